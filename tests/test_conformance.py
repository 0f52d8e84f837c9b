"""External conformance: Microsoft Recognizers-Text's Arabic date specs, engine vs dateparser.

The spec files live outside the repository (../shared/conformance/recognizers-text-arabic/,
MIT, see its README.md) and are read at run time; the test skips when they are absent. Many
cases are translations of English specs (weeks, seasons, "x days from now", spelled-out
years), which the engine does not support by design, so the floors are pass rates slightly
below what the engine measures today: a regression fails, an improvement is free.

Scoring, as the suite's README suggests:
- extractor files: every expected span is overlapped by a found span; a case with no expected
  result passes when nothing is found;
- parser files: the expected span is overlapped by a found expression whose value (expanded to
  a day: 2016-06 -> 2016-06-01) equals PastResolution or FutureResolution date/startDate, unless
  IgnoreResolution is "true" (then the span alone counts).
dateparser is scored the same way: search_dates(languages=['ar'], RELATIVE_BASE=reference).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest

from generator.dates import find_dates

SPEC_DIR = Path(__file__).parents[2] / "shared" / "conformance" / "recognizers-text-arabic"
FILES = (
    "DateExtractor.json",
    "DateParser.json",
    "DatePeriodExtractor.json",
    "DatePeriodParser.json",
)
# Pass-rate floors of the engine per file (measured minus a small margin).
FLOORS = {
    "DateExtractor.json": 0.66,  # measured 81/118 = 68.6%
    "DateParser.json": 0.49,  # measured 52/102 = 51.0%
    "DatePeriodExtractor.json": 0.67,  # measured 212/305 = 69.5%
    "DatePeriodParser.json": 0.38,  # measured 56/141 = 39.7% ("الأسبوع الأول من" is no day)
}
DEFAULT_REFERENCE = dt.datetime(2016, 11, 7)


def _reference(case: dict) -> dt.datetime:
    """The case's "now": the wall-clock part of Context.ReferenceDateTime."""
    raw = case.get("Context", {}).get("ReferenceDateTime")
    if not raw:
        return DEFAULT_REFERENCE
    return dt.datetime.fromisoformat(raw[:19])


def _expected_values(result: dict) -> set[str]:
    out = set()
    for key in ("PastResolution", "FutureResolution"):
        res = result.get("Value", {}).get(key) or {}
        for field in ("date", "startDate"):
            if res.get(field):
                out.add(res[field])
    return out


def _as_day(value: str | None) -> str | None:
    if value is None:
        return None
    return {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)


def _passes(case: dict, found: list[tuple[int, int, str | None]], parser: bool) -> bool:
    results = case["Results"]
    if not results:
        return not found
    for res in results:
        s, e = res["Start"], res["Start"] + res["Length"]
        hits = [v for fs, fe, v in found if fs < e and fe > s]
        if not hits:
            return False
        if parser and str(case.get("IgnoreResolution", "false")).lower() != "true":
            want = _expected_values(res)
            if want and not any(_as_day(v) in want for v in hits):
                return False
    return True


def _engine(case: dict) -> list[tuple[int, int, str | None]]:
    text = case["Input"]
    return [(m.start, m.end, m.value) for m in find_dates(text, _reference(case).date())]


def _dateparser(case: dict) -> list[tuple[int, int, str | None]]:
    from dateparser.search import search_dates

    text = case["Input"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": _reference(case)})
        except Exception:  # dateparser raises on some inputs; count as nothing found
            res = None
    out, pos = [], 0
    for sub, when in res or []:
        i = text.find(sub, pos)
        if i < 0:
            i = text.find(sub)
        if i < 0:
            continue
        out.append((i, i + len(sub), when.date().isoformat()))
        pos = i + len(sub)
    return out


def _load(name: str) -> list[dict]:
    return json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def table() -> dict[str, tuple[int, int, int]]:
    if not SPEC_DIR.is_dir():
        pytest.skip(f"conformance suite not found at {SPEC_DIR}")
    rows: dict[str, tuple[int, int, int]] = {}
    for name in FILES:
        cases = _load(name)
        parser = "Parser" in name
        ours = sum(_passes(c, _engine(c), parser) for c in cases)
        theirs = sum(_passes(c, _dateparser(c), parser) for c in cases)
        rows[name] = (len(cases), ours, theirs)
    print("\nfile                       cases  engine          dateparser")
    for name, (n, ours, theirs) in rows.items():
        print(f"{name:26} {n:5d}  {ours:4d} ({ours / n:6.1%})  {theirs:4d} ({theirs / n:6.1%})")
    return rows


@pytest.mark.parametrize("name", FILES)
def test_engine_pass_rate_floor(table: dict[str, tuple[int, int, int]], name: str) -> None:
    n, ours, _ = table[name]
    assert ours / n >= FLOORS[name], f"{name}: {ours}/{n} below floor {FLOORS[name]:.0%}"


def test_no_crash_and_offsets_on_every_case() -> None:
    if not SPEC_DIR.is_dir():
        pytest.skip(f"conformance suite not found at {SPEC_DIR}")
    for name in FILES:
        for case in _load(name):
            text = case["Input"]
            for m in find_dates(text, _reference(case).date()):
                assert text[m.start : m.end] == m.text
