"""What a first `explainer generate` cannot do without: reading facts.yaml and writing the pages.

Why: the "Scale" issue's target of 2 s for generate at N = 10,000 is met by a re-run and by a
run after an edit, which find the last run's work in `.explainer-cache/`; a first run (a fresh
clone) has nothing to reuse. This script measures, on a project whose pages were generated,
the two parts of a first run that no rendering code can remove: reading facts.yaml with no
cache (as generate does, and with PyYAML's libyaml loader alone, for comparison), and
writing the generated pages, their contents already in memory, in as many processes as
generate uses. BENCHMARKS.md quotes it.

    python bench/synth.py --articles 10000 /tmp/story
    python -m generator --root /tmp/story generate
    python bench/generate_floor.py /tmp/story
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.factindex import load_index  # noqa: E402
from generator.pages import MAX_PROCESSES, cores  # noqa: E402

GENERATED = ("actors", "dates", "meetings", "sources")


def write_pages(pages: list[tuple[str, bytes]], out: Path, processes: int) -> tuple[float, float]:
    """Write `pages` under `out`, one share per process (forked): (wall, system CPU) seconds."""
    for folder in GENERATED:
        (out / folder).mkdir(parents=True, exist_ok=True)
    os.sync()
    time.sleep(2)  # the disk done with what came before
    start, before = time.perf_counter(), os.times()
    children = []
    for k in range(1, processes):
        pid = os.fork()
        if pid == 0:
            for rel, data in pages[k::processes]:
                (out / rel).write_bytes(data)
            os._exit(0)
        children.append(pid)
    for rel, data in pages[0::processes]:
        (out / rel).write_bytes(data)
    for pid in children:
        os.waitpid(pid, 0)
    wall, after = time.perf_counter() - start, os.times()
    system = after.system - before.system + after.children_system - before.children_system
    return wall, system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="a project whose pages were generated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site_src = args.project / "site_src"
    pages = sorted(
        (p.relative_to(site_src).as_posix(), p.read_bytes())
        for folder in GENERATED
        for p in (site_src / folder).rglob("*.md")
    )
    if not pages:
        sys.exit(f"{site_src}: no generated pages (run `explainer generate` first)")
    size = sum(len(data) for _, data in pages)
    processes = min(cores(), MAX_PROCESSES)
    writes = []
    for _ in range(args.repeat):
        out = Path(tempfile.mkdtemp(prefix="floor-", dir=args.project))
        try:
            writes.append(write_pages(pages, out, processes))
        finally:
            shutil.rmtree(out)
    facts = args.project / "facts.yaml"
    start = time.perf_counter()
    index = load_index(facts)  # no cache: as a first run reads it
    read = time.perf_counter() - start
    start = time.perf_counter()
    with facts.open("rb") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)
    libyaml = time.perf_counter() - start
    print(
        f"writing {len(pages):,} pages ({size / 1e6:.0f} MB) in {processes} processes: "
        + ", ".join(f"{wall:.2f} s (system CPU {system:.2f} s)" for wall, system in writes)
    )
    print(
        f"reading facts.yaml ({facts.stat().st_size / 1e6:.0f} MB, {len(index.facts):,} facts) "
        f"with no cache: {read:.2f} s (libyaml's loader alone, one process: {libyaml:.2f} s)"
    )


if __name__ == "__main__":
    main()
