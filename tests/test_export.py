"""Exports: each format read back with its own reader, and byte-identical across runs."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from generator.export import FORMATS, export
from generator.factindex import load_index
from generator.ingest import load_sources
from generator.model import FactIndex

SEED0 = "000_1a27685ede925d13.txt"
SEED2 = "002_3ea420536559d97a.txt"

FACTS = f"""\
title: المحادثات العسكرية الليبية في جنيف
story: قصة <قصيرة>
actors:
  - id: gna
    name: حكومة الوفاق
    kind: body
  - id: lna
    name: الجيش الوطني الليبي
    kind: body
meetings:
  - id: geneva-jmc-2020-02
    name: محادثات اللجنة العسكرية المشتركة 5+5، الجولة الثانية; جنيف
    name_en: Joint Military Commission, second round
    place: جنيف
    start: "2020-02-18"
    end: "2020-02-23"
    participants: [gna, lna]
  - id: moscow-talks
    name: محادثات موسكو
    start: "2020-01-13"
  - id: berlin-conference
    name: مؤتمر برلين
    start: "2020-01"
facts:
  - id: port-shelled
    date: "2020-02-18"
    summary: قصف ميناء طرابلس <script>alert(1)</script> & "تعليق"
    summary_en: Tripoli port shelled
    actors: [lna]
    kind: event
    status: reviewed
    sources:
      - file: {SEED2}
        quote: ودانت القصف الذي طال ميناء طرابلس، أمس الثلاثاء
        date: "2020-02-18"
        note: أمس الثلاثاء
  - id: talks-february
    date: "2020-02"
    until: "2020-03"
    summary: محادثات في شباط, "فبراير"
    actors: [gna, lna]
    meeting: geneva-jmc-2020-02
    status: reviewed
    sources:
      - file: {SEED0}
        quote: وانسحبت حكومة الوفاق
      - file: {SEED2}
        quote: ودانت القصف
  - id: a-candidate
    date: "2020-02-01"
    summary: مرشح
    status: candidate
    sources: [{{file: {SEED0}, quote: q}}]
  - id: a-rejected
    date: "2020-02-02"
    summary: مرفوض
    status: rejected
    sources: [{{file: {SEED0}, quote: q}}]
  - id: undated
    summary: بلا تاريخ
    status: reviewed
    sources: [{{file: {SEED0}, quote: q}}]
"""


@pytest.fixture
def index(tmp_path: Path) -> FactIndex:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return load_index(path)


@pytest.fixture
def sources(project_copy: Path):
    return load_sources(project_copy / "seeds")


def test_json_follows_the_contract(index: FactIndex, sources) -> None:
    data = json.loads(export(index, sources, "json"))
    assert list(data) == ["facts", "actors", "meetings", "sources"]
    # (date, id) order; "2020-02" before the days of February; undated last
    assert [f["id"] for f in data["facts"]] == [
        "talks-february",
        "a-candidate",
        "a-rejected",
        "port-shelled",
        "undated",
    ]
    fact = data["facts"][0]
    for key in ("id", "date", "until", "summary", "actors", "meeting", "status", "sources"):
        assert key in fact
    assert fact["until"] == "2020-03"
    assert fact["actors"] == ["gna", "lna"]
    assert fact["meeting"] == "geneva-jmc-2020-02"
    assert fact["sources"][0] == {"file": SEED0, "quote": "وانسحبت حكومة الوفاق"}
    port = data["facts"][3]
    assert port["meeting"] is None and port["until"] is None
    assert port["sources"][0]["date"] == "2020-02-18"
    assert port["sources"][0]["note"] == "أمس الثلاثاء"
    src = data["sources"][0]
    assert list(src) == ["file", "id", "outlet", "outlet_en", "published", "sha256", "url"]
    assert (src["file"], src["published"]) == (SEED0, "2020-02-20")
    assert [a["id"] for a in data["actors"]] == ["gna", "lna"]
    assert data["meetings"][0]["id"] == "berlin-conference"


def test_json_is_readable_arabic_and_ends_with_a_newline(index: FactIndex, sources) -> None:
    text = export(index, sources, "json")
    assert "حكومة الوفاق" in text
    assert text.endswith("}\n")


def test_csv_reads_back(index: FactIndex, sources) -> None:
    text = export(index, sources, "csv")
    assert not text.startswith("\ufeff")
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows][:2] == ["talks-february", "a-candidate"]
    row = rows[0]
    assert row["summary"] == 'محادثات في شباط, "فبراير"'
    assert row["actors"] == "gna;lna"
    assert row["sources"] == f"{SEED0};{SEED2}"
    assert row["quote"] == "وانسحبت حكومة الوفاق"
    assert (row["date"], row["until"], row["meeting"]) == (
        "2020-02",
        "2020-03",
        "geneva-jmc-2020-02",
    )
    assert rows[-1]["date"] == ""


def test_timelinejs(index: FactIndex, sources) -> None:
    data = json.loads(export(index, sources, "timelinejs"))
    assert data["title"]["text"]["headline"] == "المحادثات العسكرية الليبية في جنيف"
    assert data["title"]["text"]["text"] == "قصة &lt;قصيرة&gt;"
    events = data["events"]
    # reviewed and dated only: no candidate, no rejected, no undated fact
    assert [e["unique_id"] for e in events] == ["talks-february", "port-shelled"]
    for e in events:
        assert e["start_date"]["year"]
        assert e["text"]["headline"]
    feb, port = events
    assert feb["start_date"] == {"year": "2020", "month": "2"}
    assert feb["end_date"] == {"year": "2020", "month": "3"}
    assert feb["group"] == "محادثات اللجنة العسكرية المشتركة 5+5، الجولة الثانية; جنيف"
    assert port["start_date"] == {"year": "2020", "month": "2", "day": "18"}
    assert "end_date" not in port and "group" not in port
    headline = port["text"]["headline"]
    assert "<script>" not in headline
    assert headline == (
        "قصف ميناء طرابلس &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;تعليق&quot;"
    )
    assert "Tripoli port shelled" in port["text"]["text"]


def test_ics(index: FactIndex, sources) -> None:
    text = export(index, sources, "ics")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    cal = Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0"
    assert "PRODID" in cal
    events = list(cal.walk("VEVENT"))
    # berlin-conference is known only to the month: not a calendar day, not listed
    assert [str(e["UID"]) for e in events] == [
        "moscow-talks@explainer",
        "geneva-jmc-2020-02@explainer",
    ]
    moscow, geneva = events
    assert moscow.decoded("DTSTART") == date(2020, 1, 13)
    assert moscow.decoded("DTEND") == date(2020, 1, 14)
    assert geneva.decoded("DTSTART") == date(2020, 2, 18)
    assert geneva.decoded("DTEND") == date(2020, 2, 24)  # exclusive: the day after the end
    assert str(geneva["SUMMARY"]) == "محادثات اللجنة العسكرية المشتركة 5+5، الجولة الثانية; جنيف"
    assert str(geneva["LOCATION"]) == "جنيف"
    assert "حكومة الوفاق، الجيش الوطني الليبي" in str(geneva["DESCRIPTION"])
    assert "DTSTAMP" in geneva


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic(index: FactIndex, sources, fmt: str) -> None:
    shuffled = FactIndex(
        actors=tuple(reversed(index.actors)),
        meetings=tuple(reversed(index.meetings)),
        facts=tuple(reversed(index.facts)),
        title=index.title,
        story=index.story,
    )
    assert export(index, sources, fmt) == export(shuffled, list(reversed(sources)), fmt)


def test_unknown_format(index: FactIndex, sources) -> None:
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export(index, sources, "xml")


def test_empty_index_exports(sources) -> None:
    empty = FactIndex(actors=(), meetings=(), facts=())
    assert json.loads(export(empty, [], "json")) == {
        "facts": [],
        "actors": [],
        "meetings": [],
        "sources": [],
    }
    assert export(empty, sources, "csv").startswith("id,date,until,kind,status,summary")
    assert json.loads(export(empty, sources, "timelinejs"))["events"] == []
    assert list(Calendar.from_ical(export(empty, sources, "ics")).walk("VEVENT")) == []
