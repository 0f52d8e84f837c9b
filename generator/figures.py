"""Static SVG figures for the generated pages: a right-to-left timeline and an actor graph.

The figures are drawn at generation time and embedded inline in the Markdown, never drawn by
JavaScript in the reader's browser: the site must work without scripts, make no request to a
third-party host, and stay readable in Material's light and dark palettes. So the SVG uses no
fonts of its own (it inherits the page's), colours only through `currentColor` and Material's
CSS variables (with fallbacks, for a viewer outside the site), and a viewBox with width 100% so
that it scales down to a phone. Every mark is a link to the page that explains it, and every
figure carries a <title>/<desc> and an aria-label, because a timeline is only an overview: the
same facts are listed as text on the page.

Arabic reads right to left, so time runs right to left too: the earliest date is on the right.
The English edition draws the same figures left to right, with its own words (FigureWords).
All text that reaches the SVG comes from editors or sources and is escaped as XML here.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .arabic import BIDI_CONTROLS, ZERO_WIDTH, strip_controls

MONTHS_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)

_FG = "var(--md-default-fg-color, currentColor)"
_FG_LIGHT = "var(--md-default-fg-color--lighter, currentColor)"
_FG_LIGHTEST = "var(--md-default-fg-color--lightest, currentColor)"
_ACCENT = "var(--md-accent-fg-color, currentColor)"
_PRIMARY = "var(--md-primary-fg-color, currentColor)"
_BG = "var(--md-default-bg-color, transparent)"


# XML's own specials, and what Markdown or a template engine would read in a raw HTML block
# of a Markdown page (figures are embedded inline in the generated Markdown).
_XML_TABLE = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#!|~"}
# strip_controls in the same pass
_XML_TABLE.update({ord(c): None for c in BIDI_CONTROLS + ZERO_WIDTH})


def xml(text: object) -> str:
    """Escape text for SVG/HTML text and attributes: numeric references, no bidi controls.

    Bidi controls are dropped rather than escaped: an U+202E in an editor's name would
    otherwise flip the visible order of the label and disguise it.
    """
    return str(text).translate(_XML_TABLE)


def _href(path: str) -> str:
    """A link built by pages.py from slugs; escaped as XML only, so that it stays a .md path."""
    # (html.escape rather than xml.sax.saxutils.escape, the same here: that module imports
    # urllib.request and http.client, a tenth of `explainer generate`'s start)
    return html.escape(path, quote=False).replace('"', "&quot;")


def parse_iso(value: str) -> tuple[date, str]:
    """A date string of the index as (a representative day, granularity).

    Months are drawn at their middle and years at mid-year, so that a coarse fact sits where
    a reader would expect it and does not pretend to a precise day.
    """
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return date(year, 7, 1), "year"
    month = int(parts[1])
    if len(parts) == 2:
        return date(year, month, 15), "month"
    return date(year, month, int(parts[2])), "day"


@functools.lru_cache(maxsize=65536)
def date_label(value: str | None) -> str:
    """An ISO date of the index as Arabic readers write it: "18 فبراير 2020", "فبراير 2020"."""
    if not value:
        return "بلا تاريخ"
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return parts[0]
        month = MONTHS_AR[int(parts[1]) - 1]
        if len(parts) == 2:
            return f"{month} {parts[0]}"
        return f"{int(parts[2])} {month} {parts[0]}"
    except (ValueError, IndexError):
        return value


@dataclass(frozen=True)
class FigureWords:
    """The words and the direction of the figures in one edition (Arabic by default).

    generator.editions builds one per edition from its WORDS; these defaults are the Arabic
    edition's, so that a call without `words` draws what it always drew.
    """

    months: tuple[str, ...] = MONTHS_AR
    rtl: bool = True  # time runs right to left, meetings in the right column
    earlier: str = "← الأقدم"
    later: str = "الأحدث"
    no_dates: str = "لا توجد وقائع مؤرخة"
    meetings: str = "الاجتماعات"
    actors: str = "الفاعلون"


@dataclass(frozen=True)
class TimelineMark:
    """One date with facts: where it is, where it links to and what its tooltip says."""

    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    href: str  # a .md path relative to the page that embeds the figure (see pages.PageContext)
    label: str  # tooltip and accessible name
    count: int = 1
    grouped: bool = False  # stands for all the facts of a month or a year, not for one date


@dataclass(frozen=True)
class GraphNode:
    """A node of the actor graph: an actor or a meeting, linked to its page."""

    id: str
    label: str
    href: str


def _truncate(text: str, limit: int) -> str:
    text = " ".join(strip_controls(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _month_ticks(first: date, last: date) -> list[date]:
    """First days of months between two days, thinned to about a dozen ticks."""
    months = (last.year - first.year) * 12 + (last.month - first.month) + 1
    step = max(1, math.ceil(months / 12))
    ticks = []
    y, m = first.year, first.month
    for i in range(months + 1):
        d = date(y, m, 1)
        if first <= d <= last and i % step == 0:
            ticks.append(d)
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return ticks


def timeline_svg(
    marks: Sequence[TimelineMark],
    *,
    title: str,
    desc: str,
    figure_id: str = "timeline",
    words: FigureWords = FigureWords(),  # frozen: one shared default is safe
) -> str:
    """A horizontal timeline of dated marks, earliest on the right, month ticks in Arabic
    (earliest on the left and English months with the English edition's `words`).

    Marks closer than a mark's width are stacked upwards, so that two adjacent days stay two
    separate links instead of one hidden behind the other.
    """
    width, height, left, right, axis_y = 1000, 170, 40, 960, 105
    months = words.months
    fid = xml(figure_id)
    points = sorted(((*parse_iso(m.date), m) for m in marks), key=lambda t: (t[0], t[2].date))
    out = [
        f'<svg class="ex-timeline" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{xml(title)}" '
        f'aria-describedby="{fid}-desc" style="color: {_FG}; max-width: 100%; height: auto">',
        f'<title id="{fid}-title">{xml(title)}</title>',
        f'<desc id="{fid}-desc">{xml(desc)}</desc>',
    ]
    if not points:
        out.append(
            f'<text x="{width // 2}" y="{axis_y}" text-anchor="middle" font-size="16" '
            f'fill="currentColor">{xml(words.no_dates)}</text></svg>'
        )
        return "".join(out)
    # Pad the range so that no mark sits on the end of the axis, and a short story still
    # shows the month it happened in.
    pad = max(3, (points[-1][0].toordinal() - points[0][0].toordinal()) // 20)
    first = date.fromordinal(points[0][0].toordinal() - pad)
    last = date.fromordinal(points[-1][0].toordinal() + pad)
    if (last.year, last.month) == (
        first.year,
        first.month,
    ) or last.toordinal() - first.toordinal() < 28:
        first = first.replace(day=1)
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = max(last, date.fromordinal(nxt.toordinal() - 1))
    span = last.toordinal() - first.toordinal()

    def x_of(d: date) -> float:
        share = (d.toordinal() - first.toordinal()) / span * (right - left)
        return right - share if words.rtl else left + share

    # the earlier end of the axis, and the later one
    early_x, early_anchor = (right + 20, "end") if words.rtl else (left - 20, "start")
    late_x, late_anchor = (left - 20, "start") if words.rtl else (right + 20, "end")
    out.append(
        f'<line x1="{left - 20}" y1="{axis_y}" x2="{right + 20}" y2="{axis_y}" '
        f'style="stroke: {_FG_LIGHT}" stroke-width="2"/>'
    )
    out.append(
        f'<text x="{early_x}" y="{axis_y - 68}" text-anchor="{early_anchor}" direction="ltr" font-size="17" '
        f'style="fill: {_FG_LIGHT}">{xml(words.earlier)}</text>'
    )
    out.append(
        f'<text x="{late_x}" y="{axis_y - 68}" text-anchor="{late_anchor}" direction="ltr" font-size="17" '
        f'style="fill: {_FG_LIGHT}">{xml(words.later)}</text>'
    )
    ticks = _month_ticks(first, last)
    if not ticks or abs(x_of(first) - x_of(ticks[0])) > 90:
        # the month the axis starts in, named at its earlier end, before its first full month
        out.append(
            f'<text x="{x_of(first):.1f}" y="{axis_y + 32}" text-anchor="{early_anchor}" direction="ltr" '
            f'font-size="19" fill="currentColor">'
            f"{xml(months[first.month - 1])} {first.year}</text>"
        )
    for i, tick in enumerate(ticks):
        x = x_of(tick)
        label = months[tick.month - 1]
        if i == 0 or tick.month == 1:
            label = f"{label} {tick.year}"
        out.append(
            f'<line x1="{x:.1f}" y1="{axis_y - 6}" x2="{x:.1f}" y2="{axis_y + 6}" '
            f'style="stroke: {_FG_LIGHT}" stroke-width="1.5"/>'
            f'<text x="{min(max(x, 60), width - 60):.1f}" y="{axis_y + 32}" '
            f'text-anchor="middle" font-size="19" '
            f'fill="currentColor">{xml(label)}</text>'
        )
    last_x: float | None = None
    level = 0
    for day, granularity, mark in points:
        x = x_of(day)
        radius = 6 + min(mark.count, 8) * 0.9
        level = level + 1 if last_x is not None and abs(last_x - x) < 2 * radius + 2 else 0
        last_x = x
        y = axis_y - (level % 4) * 17
        style = (
            f"fill: {_ACCENT}; stroke: {_BG}"
            if granularity == "day" or mark.grouped
            else f"fill: {_BG}; stroke: {_ACCENT}"
        )
        name = xml(mark.label)
        out.append(
            f'<a href="{_href(mark.href)}" aria-label="{name}"><title>{name}</title>'
            f'<circle class="ex-mark" cx="{x:.1f}" cy="{y}" r="{radius:.1f}" '
            f'stroke-width="2" style="{style}"/></a>'
        )
    out.append("</svg>")
    return "".join(out)


def graph_svg(
    meetings: Sequence[GraphNode],
    actors: Sequence[GraphNode],
    edges: Sequence[tuple[str, str, int]],
    *,
    title: str,
    desc: str,
    figure_id: str = "graph",
    words: FigureWords = FigureWords(),  # frozen: one shared default is safe
) -> str:
    """A bipartite graph: meetings in the right column, actors in the left, linked by edges
    (the other way round, with labels left to right, with the English edition's `words`).

    An edge (meeting id, actor id, weight) stands for participation or for facts at that
    meeting that name the actor; its width grows with the weight, logarithmically so that
    one busy meeting does not drown the others.
    """
    width, row, top = 1000, 36, 36
    mx, ax = (600, 400) if words.rtl else (400, 600)
    # where a column's labels start and which way they run: outwards from the middle
    text_dir = "rtl" if words.rtl else "ltr"
    m_text, m_anchor = (mx + 14, "end") if words.rtl else (mx - 14, "end")
    a_text, a_anchor = (ax - 14, "start") if words.rtl else (ax + 14, "start")
    m_head, a_head = (width - 10, 10) if words.rtl else (10, width - 10)
    rows = max(len(meetings), len(actors), 1)
    height = top * 2 + rows * row
    fid = xml(figure_id)
    m_y = {
        n.id: top + (i + 0.5) * row * rows / max(len(meetings), 1) for i, n in enumerate(meetings)
    }
    a_y = {n.id: top + (i + 0.5) * row * rows / max(len(actors), 1) for i, n in enumerate(actors)}
    names = {n.id: n.label for n in (*meetings, *actors)}
    out = [
        f'<svg class="ex-graph" viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" role="img" aria-label="{xml(title)}" '
        f'aria-describedby="{fid}-desc" style="color: {_FG}; max-width: 100%; height: auto">',
        f'<title id="{fid}-title">{xml(title)}</title>',
        f'<desc id="{fid}-desc">{xml(desc)}</desc>',
        f'<text x="{m_head}" y="22" text-anchor="{"end" if m_head > a_head else "start"}" '
        f'direction="ltr" font-size="18" font-weight="bold" '
        f'fill="currentColor">{xml(words.meetings)}</text>',
        f'<text x="{a_head}" y="22" text-anchor="{"end" if a_head > m_head else "start"}" '
        f'direction="ltr" font-size="18" font-weight="bold" '
        f'fill="currentColor">{xml(words.actors)}</text>',
    ]
    # (the lines' colour once, on their group: a large story's graph has hundreds of lines)
    out.append(f'<g style="stroke: {_FG_LIGHTEST}">')
    for meeting_id, actor_id, weight in sorted(edges):
        if meeting_id not in m_y or actor_id not in a_y:
            continue
        stroke = 1 + math.log2(max(weight, 1))
        label = xml(f"{names[meeting_id]} — {names[actor_id]}")
        out.append(
            f'<line x1="{mx:.0f}" y1="{m_y[meeting_id]:.1f}" x2="{ax:.0f}" '
            f'y2="{a_y[actor_id]:.1f}" stroke-width="{stroke:.1f}"><title>{label}</title></line>'
        )
    out.append("</g>")
    for node in meetings:
        y = m_y[node.id]
        out.append(
            f'<a href="{_href(node.href)}" aria-label="{xml(node.label)}">'
            f"<title>{xml(node.label)}</title>"
            f'<circle cx="{mx}" cy="{y:.1f}" r="7" style="fill: {_PRIMARY}; stroke: {_BG}"/>'
            f'<text x="{m_text}" y="{y + 6:.1f}" text-anchor="{m_anchor}" direction="{text_dir}" '
            f'font-size="17" fill="currentColor">{xml(_truncate(node.label, 44))}</text></a>'
        )
    for node in actors:
        y = a_y[node.id]
        out.append(
            f'<a href="{_href(node.href)}" aria-label="{xml(node.label)}">'
            f"<title>{xml(node.label)}</title>"
            f'<circle cx="{ax}" cy="{y:.1f}" r="7" style="fill: {_ACCENT}; stroke: {_BG}"/>'
            f'<text x="{a_text}" y="{y + 6:.1f}" text-anchor="{a_anchor}" direction="{text_dir}" '
            f'font-size="17" fill="currentColor">{xml(_truncate(node.label, 44))}</text></a>'
        )
    out.append("</svg>")
    return "".join(out)
