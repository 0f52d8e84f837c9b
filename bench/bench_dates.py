"""Speed of the date engine against dateparser's own Arabic search, on the same texts.

    python bench/bench_dates.py [--repeat 5] [--synthetic N] [FILES...]

Defaults to the seed articles (seeds/*.txt). Each round times find_dates over every text and
then dateparser.search.search_dates(text, languages=['ar']) over the same texts; the medians of
the rounds are printed side by side with their ratio (target: the engine >= 10x faster). With
--synthetic N the seeds are also glued into N longer articles (each about four seeds long), to
see how both scale with length. dateparser gets a fixed RELATIVE_BASE so that neither side
reads the clock, and one warm-up call each so that imports and caches are not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateparser.search import search_dates  # noqa: E402

from generator.dates import find_dates  # noqa: E402

PUBLISHED = dt.date(2020, 2, 20)
BASE = dt.datetime(2020, 2, 20)


def _engine(text: str) -> int:
    return len(find_dates(text, PUBLISHED))


def _dateparser(text: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return len(search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": BASE}) or [])


def _rate(fn: Callable[[str], int], texts: list[str], repeat: int) -> tuple[float, int]:
    """Median articles/second over `repeat` rounds, and how many dates one round found."""
    fn(texts[0])  # warm-up
    rates, found = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        found = sum(fn(t) for t in texts)
        rates.append(len(texts) / (time.perf_counter() - t0))
    return statistics.median(rates), found


def _report(label: str, texts: list[str], repeat: int) -> None:
    chars = sum(len(t) for t in texts)
    ours, n_ours = _rate(_engine, texts, repeat)
    theirs, n_theirs = _rate(_dateparser, texts, repeat)
    print(f"{label}: {len(texts)} articles, {chars} characters, median of {repeat} rounds")
    print(f"  find_dates    {ours:10.1f} articles/s   ({n_ours} dates)")
    print(f"  search_dates  {theirs:10.1f} articles/s   ({n_theirs} dates)")
    print(f"  ratio         {ours / theirs:10.1f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=0, metavar="N")
    args = ap.parse_args(argv)
    files = args.files or sorted((ROOT / "seeds").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    if not texts:
        ap.error("no input texts")
    _report("texts", texts, args.repeat)
    if args.synthetic:
        long = [
            "\n\n".join(texts[(i + k) % len(texts)] for k in range(4))
            for i in range(args.synthetic)
        ]
        _report("synthetic long articles", long, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
