"""Export the fact index for other tools: JSON, CSV, TimelineJS and iCalendar.

Every format is a pure function of the index and the sources, and byte-identical across runs:
exports are committed or diffed by newsrooms, and a reordered key or a timestamp of "now" would
show up as a change that is not one. Facts are sorted by (date, id); a date known only to the
month sorts before the days of that month ("2020-02" < "2020-02-01"), as string order gives.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar, Event

from .model import Actor, Fact, FactIndex, Meeting, SourceMeta

FORMATS = ("json", "csv", "timelinejs", "ics")


def _fact_key(fact: Fact) -> tuple:
    # undated facts (unresolved candidates) last, then by date as written, then by id
    return (fact.date is None, fact.date or "", fact.id)


def _sorted_facts(index: FactIndex) -> list[Fact]:
    return sorted(index.facts, key=_fact_key)


# ---------------------------------------------------------------------------------------------
# JSON (CONTRACTS.md)


def _fact_json(fact: Fact) -> dict:
    sources = []
    for s in fact.sources:
        entry: dict = {"file": s.file, "quote": s.quote}
        if s.date is not None:
            entry["date"] = s.date
        if s.note is not None:
            entry["note"] = s.note
        if s.note_en is not None:
            entry["note_en"] = s.note_en
        sources.append(entry)
    return {
        "id": fact.id,
        "date": fact.date,
        "until": fact.until,
        "summary": fact.summary,
        "summary_en": fact.summary_en,
        "actors": list(fact.actors),
        "meeting": fact.meeting,
        "status": fact.status,
        "kind": fact.kind,
        "expression": fact.expression,
        "dispute": fact.dispute,
        "dispute_en": fact.dispute_en,
        "sources": sources,
    }


def _actor_json(actor: Actor) -> dict:
    return {
        "id": actor.id,
        "name": actor.name,
        "name_en": actor.name_en,
        "kind": actor.kind,
        "role": actor.role,
        "role_en": actor.role_en,
        "affiliation": actor.affiliation,
        "aliases": list(actor.aliases),
        "mentions": list(actor.mentions),
        "status": actor.status,
    }


def _meeting_json(meeting: Meeting) -> dict:
    return {
        "id": meeting.id,
        "name": meeting.name,
        "name_en": meeting.name_en,
        "place": meeting.place,
        "place_en": meeting.place_en,
        "start": meeting.start,
        "end": meeting.end,
        "participants": list(meeting.participants),
        "aliases": list(meeting.aliases),
        "summary": meeting.summary,
        "summary_en": meeting.summary_en,
    }


def _source_json(meta: SourceMeta) -> dict:
    return {
        "file": meta.file,
        "id": meta.id,
        "outlet": meta.outlet,
        "outlet_en": meta.outlet_en,
        "published": meta.published.isoformat() if meta.published else None,
        "sha256": meta.sha256,
        "url": meta.url,
    }


def export_json(index: FactIndex, sources: list[SourceMeta]) -> str:
    """The whole index (every status: consumers filter on `status`), as CONTRACTS.md says."""
    data = {
        "facts": [_fact_json(f) for f in _sorted_facts(index)],
        "actors": [_actor_json(a) for a in sorted(index.actors, key=lambda a: a.id)],
        "meetings": [
            _meeting_json(m)
            for m in sorted(index.meetings, key=lambda m: (m.start is None, m.start or "", m.id))
        ],
        "sources": [_source_json(s) for s in sorted(sources, key=lambda s: s.file)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# CSV

CSV_COLUMNS = (
    "id",
    "date",
    "until",
    "kind",
    "status",
    "summary",
    "summary_en",
    "actors",
    "meeting",
    "sources",
    "quote",
)


def export_csv(index: FactIndex, sources: list[SourceMeta]) -> str:
    """One row per fact; lists joined with ";", the first source's quote in the last column.

    Written as UTF-8 without a byte-order mark. Excel guesses the encoding of a CSV it opens by
    double-click and shows Arabic correctly only with a BOM; but a BOM is an invisible first
    character that breaks the first column's name for csv readers, pandas and command-line
    tools, and makes two exports differ from a plain `cat`. Spreadsheet users import the file
    as UTF-8 (Data > From Text/CSV), or the CLI can prepend "\\ufeff" when asked.
    """
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in _sorted_facts(index):
        writer.writerow(
            [
                f.id,
                f.date or "",
                f.until or "",
                f.kind,
                f.status,
                f.summary,
                f.summary_en or "",
                ";".join(f.actors),
                f.meeting or "",
                ";".join(s.file for s in f.sources),
                f.sources[0].quote if f.sources else "",
            ]
        )
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# TimelineJS


def _tl_date(value: str) -> dict:
    """A TimelineJS date object at the fact's granularity: no month or day it does not know."""
    parts = value.split("-")
    out = {"year": str(int(parts[0]))}
    if len(parts) > 1:
        out["month"] = str(int(parts[1]))
    if len(parts) > 2:
        out["day"] = str(int(parts[2]))
    return out


def export_timelinejs(index: FactIndex, sources: list[SourceMeta]) -> str:
    """TimelineJS3's JSON: reviewed, dated facts only (candidates are not yet checked by a
    person, rejected ones are wrong). TimelineJS renders `headline` and `text` as HTML, so all
    text from facts.yaml is escaped: a summary must not be able to inject markup or scripts."""
    actors = {a.id: a for a in index.actors}
    meetings = {m.id: m for m in index.meetings}
    outlets = {s.file: s.outlet for s in sources}
    events = []
    for f in _sorted_facts(index):
        if f.status != "reviewed" or not f.date:
            continue
        paragraphs = []
        if f.summary_en:
            paragraphs.append(f'<p lang="en" dir="ltr">{html.escape(f.summary_en)}</p>')
        if f.actors:
            names = "، ".join(actors[a].name if a in actors else a for a in f.actors)
            paragraphs.append(f"<p>{html.escape(names)}</p>")
        for s in f.sources:
            credit = s.file if not outlets.get(s.file) else f"{outlets[s.file]} ({s.file})"
            paragraphs.append(
                f"<blockquote>{html.escape(s.quote)}</blockquote><p>{html.escape(credit)}</p>"
            )
        event: dict = {"start_date": _tl_date(f.date)}
        if f.until:
            event["end_date"] = _tl_date(f.until)
        event["text"] = {"headline": html.escape(f.summary), "text": "".join(paragraphs)}
        if f.meeting:
            meeting = meetings.get(f.meeting)
            event["group"] = html.escape(meeting.name if meeting else f.meeting)
        event["unique_id"] = f.id
        events.append(event)
    data = {
        "title": {
            "text": {
                "headline": html.escape(index.title or index.title_en or "الخط الزمني"),
                "text": html.escape(index.story or index.story_en or ""),
            }
        },
        "events": events,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# iCalendar


def _day(value: str | None) -> date | None:
    """A full YYYY-MM-DD date, or None: a calendar event needs a day."""
    if value is None or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def export_ics(index: FactIndex, sources: list[SourceMeta]) -> str:
    """The meetings as all-day events (RFC 5545), for a newsroom's calendar.

    Only meetings whose start is known to the day are listed. DTEND is exclusive, so it is the
    day after the last day. DTSTAMP must be present; it is the meeting's start at midnight UTC
    rather than the time of export, so that two exports of the same index are byte-identical.
    """
    actors = {a.id: a for a in index.actors}
    cal = Calendar()
    cal.add("prodid", "-//arabic-explainer//fact index//AR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    meetings = sorted(index.meetings, key=lambda m: (m.start or "", m.id))
    for m in meetings:
        start = _day(m.start)
        if start is None:
            continue
        end = _day(m.end) or start
        if end < start:
            end = start
        event = Event()
        event.add("uid", f"{m.id}@explainer")
        event.add("dtstamp", datetime(start.year, start.month, start.day, tzinfo=timezone.utc))
        event.add("dtstart", start)
        event.add("dtend", end + timedelta(days=1))
        event.add("summary", m.name)
        place = m.place or m.place_en
        if place:
            event.add("location", place)
        lines = []
        if m.summary:
            lines.append(m.summary)
        if m.name_en:
            lines.append(m.name_en)
        if m.participants:
            names = "، ".join(actors[p].name if p in actors else p for p in m.participants)
            lines.append(f"المشاركون: {names}")
        if lines:
            event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


_EXPORTERS: dict[str, Callable[[FactIndex, list[SourceMeta]], str]] = {
    "json": export_json,
    "csv": export_csv,
    "timelinejs": export_timelinejs,
    "ics": export_ics,
}


def export(index: FactIndex, sources: list[SourceMeta], fmt: str) -> str:
    """The index in `fmt` (one of FORMATS). ics uses CRLF line ends, as RFC 5545 requires:
    write it without newline translation."""
    try:
        exporter = _EXPORTERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}"
        ) from None
    return exporter(index, sources)
