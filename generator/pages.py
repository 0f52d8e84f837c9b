"""Pages: the fact index and the sources as Markdown pages for MkDocs, in site_src/.

Everything a reader sees is generated here from facts.yaml, and facts.yaml comes from pull
requests, sometimes from strangers: every string of the index is treated as hostile. Markdown
comes from Jinja2 templates with autoescape on, and every value a template prints passes
through `md_text`, which turns the characters that HTML or Markdown would interpret into
numeric character references. References are inert in Markdown (no link, emphasis or list can
start from `&#91;`) and decode to the same visible text in HTML, in attributes and in SVG, so
one escaping is right in every context a page has. Links and URLs are built only here, from
slugs and from URLs checked to be http(s).

The output is a pure function of the input (sorted everywhere, no timestamps) and pages are
written only when their bytes change, so that a rebuild after a one-fact edit touches only the
pages that show that fact, and `mkdocs serve`, which watches site_src/, settles after one
round. generate() owns exactly the files listed in its manifest (site_src/.generated.json): it
never overwrites or deletes a page an editor wrote by hand.

The groupings that pages need (facts by actor, meeting, date and source; co-occurrences) are
computed once, and a fact card is rendered once per link depth, so that generation stays linear
in the size of the index (10,000 articles, about 1,000 dates).

Every page is rendered once per edition (generator/editions.py) from the same templates: the
Arabic edition at the paths of CONTRACTS.md (actors/gna.md), and, when the site has its English
edition, the English one beside it (actors/gna.en.md, which mkdocs-static-i18n publishes under
/en/). The English edition prints the editors' English (`name_en`, `summary_en`, ...) where
they wrote it, and otherwise the Arabic text, marked as untranslated, inside an element with
lang="ar" dir="rtl"; every value is escaped by md_text in both editions alike.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import functools
import hashlib
import json
import os
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from .arabic import (
    BIDI_CONTROLS,
    ZERO_WIDTH,
    fold_char,
    normalize,
    normalize_with_map,
    strip_controls,
)
from .editions import ARABIC, ENGLISH, Edition
from .figures import GraphNode, TimelineMark, graph_svg, timeline_svg
from .model import Actor, Fact, FactIndex, FactSource, InputError, Meeting, Problem, SourceMeta
from .yamlio import atomic_write

MANIFEST = ".generated.json"
SECTIONS = ("actors", "meetings", "dates", "sources")
# Everything generate() may own at the top of site_src/; the rest is written by hand. A copy of
# a project without these (tests, the benchmark corpus) is what a fresh clone has.
GENERATED_ENTRIES = (*SECTIONS, "index.md", "index.en.md", MANIFEST)
TEMPLATES = Path(__file__).parent / "templates"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
# A page generate() may own (in either edition): anything else in a (tampered) manifest is
# never deleted.
OWNED = re.compile(
    r"^(?:index|(?:actors|meetings|dates|sources)/(?:index|[a-z0-9-]+))(?:\.en)?\.md$"
)
LATEST = 10  # facts on the home page
# Past this many dates, a timeline marks months (then years) instead of dates.
TIMELINE_MARKS = 120
# Past this many facts, an actor's or a meeting's page lists them one line each (date, kind,
# summary, a link to the full card with its quotes on the date page) instead of as cards: the
# page of a main actor of a long story would otherwise hold thousands of quotes (the note that
# says so is "compact_note" in generator/editions.py).
CARD_LIMIT = 40
# What may stand before a name inside the same word: و ف ب ل ك and their pairs.
_PROCLITICS = {"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"}


@dataclass(frozen=True)
class GenerateResult:
    """What generate() did, for the CLI's one-line report."""

    written: int
    unchanged: int
    removed: int
    rendered: int = 0  # pages rendered (the others were known to be as they are on disk)


# --------------------------------------------------------------------------------------------
# Escaping


_MD_SIGNIFICANT = "&<>\"'\\`*_{}[]()#+-.!|~"
_MD_TABLE: dict[int, str | None] = {ord(c): f"&#{ord(c)};" for c in _MD_SIGNIFICANT}
_MD_TABLE.update({ord(c): None for c in BIDI_CONTROLS + ZERO_WIDTH})  # strip_controls, in one pass
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
# what only _md_escape_any handles: a control character, one to drop, any white space but a
# single space
_IRREGULAR = re.compile(
    r"[\x00-\x1f\x7f-\x9f" + re.escape(BIDI_CONTROLS + ZERO_WIDTH) + r"]|\s\s|[^\S ]"
)
_MD_REFERENCES = tuple((c, f"&#{ord(c)};") for c in _MD_SIGNIFICANT if c not in "&#")


def md_text(value: object) -> Markup:
    """Untrusted text as inert Markdown/HTML text: it shows as written, never as markup.

    Bidi and zero-width controls are dropped (an U+202E would reorder what the reader sees),
    whitespace, line breaks included, collapses to single spaces (so no text can open a new
    block: a heading, a list, a code block), and every character HTML or Markdown gives a
    meaning to becomes a numeric character reference.
    """
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if type(value) is str:
        done = _MD_CACHE.get(value)
        if done is None:
            if len(_MD_CACHE) >= _MD_CACHE_SIZE:
                _MD_CACHE.clear()
            done = _MD_CACHE[value] = _md_escape(value)
        return done
    return _md_escape(str(value))


# The same names, labels, summaries and quotes are printed on several pages each.
_MD_CACHE: dict[str, Markup] = {}
_MD_CACHE_SIZE = 200_000


def _md_escape(text: str) -> Markup:
    if _IRREGULAR.search(text):
        return _md_escape_any(text)
    # The common text (single spaces, nothing to drop): one str.replace per significant
    # character it holds, two and a half times as fast as str.translate's lookup of every
    # character (a first generation escapes a hundred thousand summaries and quotes). "&" and
    # "#" wait as characters no such text holds, since the references of the others hold them.
    amp = "&" in text
    if amp:
        text = text.replace("&", "\x01")
    hash_ = "#" in text
    if hash_:
        text = text.replace("#", "\x02")
    for char, reference in _MD_REFERENCES:
        if char in text:
            text = text.replace(char, reference)
    if amp:
        text = text.replace("\x01", "&#38;")
    if hash_:
        text = text.replace("\x02", "&#35;")
    return Markup(text)


def _md_escape_any(text: str) -> Markup:
    """md_text's escaping of any text (_md_escape's of text without anything irregular)."""
    text = _CONTROL.sub(" ", text)
    return Markup(_SPACES.sub(" ", text).translate(_MD_TABLE))


_ARABIC_OPEN = Markup('<span class="ex-ar" lang="ar" dir="rtl">')
# (The Markup below is made from one f-string of parts that are Markup already, escaped or
# trusted: adding Markup to Markup checks and wraps every part, a tenth of a large story's
# first generation.)


def original(value: object, edition: Edition) -> Markup:
    """Arabic text that no edition translates (a quote, an alias, a headline), escaped.

    On the English edition's pages it is set apart as Arabic, right to left.
    """
    if edition.primary:
        return md_text(value)
    return Markup(f"{_ARABIC_OPEN}{md_text(value)}</span>")


def untranslated(value: object, edition: Edition) -> Markup:
    """Arabic text standing where the edition's translation is missing: escaped, set apart as
    Arabic, right to left, and followed by the visible marker "(untranslated)"."""
    marker = words(edition).untranslated
    return Markup(f"{original(value, edition)} {_UNTRANSLATED_OPEN}{marker}</span>")


# The marker's element: shown to the reader, not searched (on a story whose facts are not yet
# translated, the same word on every card and name of the English edition's index)
_UNTRANSLATED_OPEN = '<span class="ex-untranslated" data-search-exclude="true">'


class _Words:
    """An edition's WORDS as the templates and the cards print them: each entry as Markup
    (trusted text, printed as written), the arguments of those that take some escaped."""

    def __init__(self, edition: Edition):
        for key, value in edition.words.items():
            setattr(self, key, _escaping(value) if callable(value) else Markup(value))
        # the marker is escaped like a value ("&#40;untranslated&#41;"), as the pages have
        # always printed it
        self.untranslated = md_text(edition.text("untranslated"))
        # escaped as a value too, as the Arabic pages have always printed it
        self.compact_note = md_text(edition.text("compact_note"))


def _escaping(entry: Callable[..., str]) -> Callable[..., Markup]:
    return lambda *args: Markup(entry(*(md_text(a) for a in args)))


@functools.cache
def words(edition: Edition) -> _Words:
    return _Words(edition)


def shown(obj: object, name: str, edition: Edition) -> Markup:
    """The field `name` of an index object as the edition prints it (Edition.pick), escaped."""
    return _shown(*edition.pick(obj, name), edition)


def _shown(value: str | None, missing: bool, edition: Edition) -> Markup:
    if value is None:
        return Markup("")
    return untranslated(value, edition) if missing else md_text(value)


def _news_article(meta: SourceMeta, ed: Edition) -> dict:
    """A source as schema.org's NewsArticle (a source page's JSON-LD, a meeting's subjectOf)."""
    return {
        "@type": "NewsArticle",
        "headline": meta.title,
        "publisher": (
            {"@type": "Organization", "name": plain(meta, "outlet", ed)} if meta.outlet else None
        ),
        "datePublished": meta.published.isoformat() if meta.published else None,
    }


def plain(obj: object, name: str, edition: Edition) -> str:
    """The same value as plain text (titles, descriptions, figures, JSON-LD): no marker."""
    return edition.pick(obj, name)[0] or ""


def translated(obj: object, name: str, edition: Edition) -> str | None:
    """The value in the edition's language, or None (a page's description: no Arabic in an
    English page's <meta name="description">, which has no way to say it is Arabic)."""
    value, missing = edition.pick(obj, name)
    return None if missing else value


def yaml_text(value: object) -> Markup:
    """A front-matter value: escaped as md_text (Material prints meta values unescaped), quoted.

    A JSON string is a valid YAML double-quoted scalar.
    """
    return Markup(json.dumps(str(md_text(value)).strip(), ensure_ascii=False))


def safe_url(url: str | None) -> str | None:
    """An editor's URL when it is a plain http(s) URL to a host; None otherwise."""
    if not url:
        return None
    url = strip_controls(url).strip()
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# Inside JSON strings only: what ends a <script>, what a template engine reads, old JS newlines.
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&{}%\u2028\u2029"}


def json_ld(data: dict) -> Markup:
    """A schema.org JSON-LD block that no value can break out of.

    A <script> element ends at the first `</script` whatever the JSON says, so `<`, `>` and
    `&` inside strings are written as JSON escapes; so are `{`, `}` and `%` (no template
    syntax survives in the page) and U+2028/2029 (line breaks to old JavaScript parsers).
    """
    text = json.dumps(_clean(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = _JSON_STRING.sub(lambda m: m.group().translate(_JSON_ESCAPES), text)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _clean(value: object) -> object:
    if isinstance(value, str):
        return " ".join(strip_controls(value).split())
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _finalize(value: object) -> object:
    """Every `{{ }}` of every template goes through md_text unless it is already Markup."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, int | float):
        return Markup(str(value))
    return md_text(value)


def _slug(value: str) -> Markup:
    """An id printed as is (in an HTML id): ids are checked to be slugs before rendering."""
    if not SLUG.match(value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the life of the process.

    Why: a Jinja environment parses and compiles each template it loads, and a new one is
    made for every generation here and by MkDocs for every build() (two a rebuild with the
    English edition): under `mkdocs serve` that was a tenth of a one-fact edit's rebuild.
    Jinja keys the code by the template's name and checks it against the source's checksum,
    so an edited template is compiled again. One instance per kind of environment (compiled
    code depends on the environment's settings).
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=_COMPILED,
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_text"] = md_text
    env.filters["yaml"] = yaml_text
    env.filters["slug"] = _slug
    return env


# --------------------------------------------------------------------------------------------
# Paths and links


def actor_page(actor_id: str) -> str:
    return f"actors/{actor_id}.md"


def meeting_page(meeting_id: str) -> str:
    return f"meetings/{meeting_id}.md"


def date_page(value: str) -> str:
    return f"dates/{value}.md"


def date_anchor(value: str) -> str:
    """The anchor of a year or a month heading in dates/index.md (attr_list ids).

    Markup, because the template's finalize would otherwise escape its "-": only a validated
    YYYY or YYYY-MM gets here.
    """
    if not re.fullmatch(r"\d{4}(?:-\d{2})?", value):
        raise ValueError(f"not a year or a month: {value!r}")
    return Markup(("y-" if len(value) == 4 else "m-") + value)


def source_page(source_id: str) -> str:
    return f"sources/{source_id}.md"


def source_name(meta: SourceMeta | None, file: str, edition: Edition = ARABIC) -> Markup:
    """source_label as the edition prints it in a page: an outlet it lacks marked untranslated."""
    if meta is None:
        return md_text(file)
    return _source_name(
        edition.pick(meta, "outlet"), edition.pick(meta, "title"), meta.published, edition
    )


@functools.lru_cache(maxsize=4096)
def _source_name(
    outlet: tuple[str | None, bool],
    title: tuple[str | None, bool],
    published: datetime.date | None,
    edition: Edition,
) -> Markup:
    """source_name of a source whose outlet and title the edition picks as these (value,
    missing): sources share a few outlets and dates, and each is named on many pages."""
    name = _shown(*outlet, edition) or _shown(*title, edition) or words(edition).unnamed_source
    if published:
        return words(edition).source_label(name, edition.date_label(published.isoformat()))
    return name


class PageContext:
    """Links from one page, always as .md paths relative to the page's source file.

    Both editions link the same paths: an English page (actors/gna.en.md) links to
    ../dates/2020-02-18.md, which mkdocs-static-i18n (and zensical-i18n) resolve to the
    page of the language being built, dates/2020-02-18.en.md, as they resolve the links of
    hand-written pages; so do the links of the figures, which the hook resolves through the
    plugin's file list.

    In Markdown links, MkDocs checks them (--strict fails on a broken one) and turns them into
    URLs for whatever URL scheme the site uses. The links inside the inline SVG figures are
    raw HTML, which MkDocs leaves alone: the hook (generator.site.on_page_content) resolves
    those the same way, and Zensical resolves .md links in raw HTML by itself.
    """

    def __init__(self, path: str):
        self.path = path
        self._dir = tuple(path.split("/")[:-1])

    def rel(self, target: str, anchor: str | None = None) -> str:
        # posixpath.relpath would do, but it asks the OS for the cwd on every one of the
        # hundreds of thousands of links of a large index
        parts = target.split("/")
        common = 0
        while (
            common < len(self._dir)
            and common < len(parts) - 1
            and self._dir[common] == parts[common]
        ):
            common += 1
        rel = "../" * (len(self._dir) - common) + "/".join(parts[common:])
        return f"{rel}#{anchor}" if anchor else rel

    def link(self, text: object, target: str, anchor: str | None = None) -> Markup:
        return Markup(f"[{md_text(text)}]({self.rel(target, anchor)})")

    def a(self, text: object, target: str, anchor: str | None = None) -> Markup:
        """link() in HTML, for the blocks written as HTML (cards, citations, lines)."""
        return Markup(f'<a href="{self.rel(target, anchor)}">{md_text(text)}</a>')


# --------------------------------------------------------------------------------------------
# The index, grouped once


@dataclass
class _Segment:
    text: str
    target: str | None = None


@dataclass
class _FactView:
    """What a fact card shows in one edition; independent of the page it is shown on."""

    fact: Fact
    segments: list[_Segment]
    unmatched_actors: list[Actor]
    meeting: Meeting | None
    meeting_linked: bool
    sources: list[tuple[FactSource, SourceMeta | None]]
    date_page: str | None
    kind_label: str
    candidate: bool
    untranslated: bool = False  # the summary is the Arabic one (no summary_en)
    # per source: its quote is the summary shown, word for word (a candidate's, until an
    # editor writes one), so that the date page leaves the quote out of search
    echoes: tuple[bool, ...] = ()


@dataclass
class _Story:
    index: FactIndex
    sources: list[SourceMeta]
    actors: dict[str, Actor] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    source_by_file: dict[str, SourceMeta] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    by_actor: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    by_meeting: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    by_date: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    by_source: dict[str, list[tuple[Fact, FactSource]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    dates: list[str] = field(default_factory=list)
    meeting_actors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    affiliates: dict[str, list[Actor]] = field(default_factory=lambda: defaultdict(list))
    editions: tuple[Edition, ...] = (ARABIC,)
    # edition's lang -> fact id -> what its card shows (made on first use: see _Views)
    views: dict[str, _Views] = field(default_factory=dict)
    fact_by_id: dict[str, Fact] = field(default_factory=dict)
    # (page, the summary's language) -> _needles of the names that link to it
    needles: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def co_actors(self, actor_id: str) -> Counter:
        """The actors named in the facts of `actor_id`, with how many of its facts name each.

        Counted for the actor page that asks, not for every actor while the story is built:
        an edit's generation renders a handful of actor pages, and the pairs of every fact's
        actors were a fifth of building a large story (10,000 articles: 0.1 s of 0.45)."""
        out: Counter = Counter()
        for fact in self.by_actor.get(actor_id, ()):
            out.update({a for a in fact.actors if a in self.actors and a != actor_id})
        return out


def _fact_key(fact: Fact) -> tuple:
    return (fact.date is None, fact.date or "", fact.id)


@functools.lru_cache(maxsize=8192)
def _valid_date(value: str | None) -> str | None:
    """The date if it is a valid one to show (a story has few distinct dates, asked about
    hundreds of thousands of times: remembered)."""
    return value if value and ISO.match(value) else None


def _fact_date_page(fact: Fact) -> str | None:
    """The page of the fact's date, where its card is (None: undated, or not a valid date)."""
    day = _valid_date(fact.date)
    return date_page(day) if day else None


def _check_ids(index: FactIndex, sources: list[SourceMeta]) -> None:
    """Ids name files: refuse any that is not a slug, whatever the earlier stages checked."""
    problems = []
    for kind, items in (
        ("actor", index.actors),
        ("meeting", index.meetings),
        ("fact", index.facts),
    ):
        for item in items:
            if not SLUG.match(item.id):
                problems.append(
                    Problem("facts.yaml", None, None, f"{kind} id {item.id!r} is not a slug")
                )
    for src in sources:
        if not SLUG.match(src.id):
            problems.append(
                Problem("seeds/sources.yaml", None, None, f"source id {src.id!r} is not a slug")
            )
    if problems:
        raise InputError(problems)


def _build(
    index: FactIndex,
    sources: list[SourceMeta],
    editions: tuple[Edition, ...] = (ARABIC,),
    previous: _Story | None = None,
) -> _Story:
    """The groupings and the cards' views of the story.

    previous: the story of the last generation, with the same actors, meetings and sources
    (Incremental checks it): the views of the facts that did not change are taken from it.
    """
    st = _Story(index, sorted(sources, key=lambda s: s.id), editions=editions)
    if previous is not None:
        st.needles = previous.needles
    # A rejected actor is an extraction's mistake kept in facts.yaml so that it is not proposed
    # again (see factindex): readers get no page for it, and no link to one.
    st.actors = {
        a.id: a for a in sorted(index.actors, key=lambda a: a.id) if a.status != "rejected"
    }
    st.meetings = {m.id: m for m in sorted(index.meetings, key=lambda m: (m.start or "", m.id))}
    st.source_by_file = {s.file: s for s in st.sources}
    st.facts = sorted((f for f in index.facts if f.status != "rejected"), key=_fact_key)
    for actor in st.actors.values():
        if actor.affiliation and actor.affiliation in st.actors:
            st.affiliates[actor.affiliation].append(actor)
    for meeting in st.meetings.values():
        for actor_id in meeting.participants:
            if actor_id in st.actors:
                st.meeting_actors[meeting.id][actor_id] += 0
    # (the names of locals and bound methods: 70,000 facts go through this loop on every
    # generation, an edit's too)
    known_actors, by_actor, by_date = st.actors.keys(), st.by_actor, st.by_date
    meetings, by_meeting, meeting_actors = st.meetings, st.by_meeting, st.meeting_actors
    source_by_file, by_source = st.source_by_file, st.by_source
    for fact in st.facts:
        actor_ids = known_actors & fact.actors
        for actor_id in actor_ids:
            by_actor[actor_id].append(fact)
        if fact.meeting in meetings:
            by_meeting[fact.meeting].append(fact)
            counts = meeting_actors[fact.meeting]
            for actor_id in sorted(actor_ids):  # (in order: the graph's edges come in it)
                counts[actor_id] += 1
        day = _valid_date(fact.date)
        if day:
            by_date[day].append(fact)
        for src in fact.sources:
            if src.file in source_by_file:
                by_source[src.file].append((fact, src))
    st.fact_by_id = {fact.id: fact for fact in st.facts}
    for edition in editions:
        st.views[edition.lang] = _Views(
            st, edition, previous.views.get(edition.lang) if previous else None
        )
    st.dates = sorted(st.by_date)
    return st


class _Views(dict):
    """Fact id -> its _FactView in one edition, each made the first time a page asks for it.

    Why lazily: matching every fact's summary against the names of its actors is most of
    building a large story (10,000 articles: 3 s of 4), and a source page, the most common
    page, shows no card. Made on demand, the views of a first generation are made in the
    processes that render the pages (_write_pages), in parallel, and those of an edit
    (Incremental) only for the pages the edit touches. `previous`: the views the last
    generation made; one whose fact is unchanged is taken as it is.
    """

    def __init__(self, st: _Story, edition: Edition, previous: _Views | None) -> None:
        super().__init__()
        self.st = st
        self.edition = edition
        self.previous = previous

    def __missing__(self, fact_id: str) -> _FactView:
        st = self.st
        fact = st.fact_by_id[fact_id]
        view = self.previous.get(fact_id) if self.previous is not None else None
        if view is None or view.fact != fact:
            view = self._primarys(fact)
            if view is None:
                actor_ids = sorted({a for a in fact.actors if a in st.actors})
                view = _view(st, fact, actor_ids, self.edition)
        self[fact_id] = view
        return view

    def _primarys(self, fact: Fact) -> _FactView | None:
        """The view of a fact whose summary this (further) edition lacks: the primary
        edition's, with this edition's name of the fact's kind, marked untranslated; None
        for the primary edition or a translated summary.

        The card shows the Arabic summary then, searched for the Arabic names as the Arabic
        edition's is: the same segments, the same actors named or not, the same quotes that
        repeat it. On a large story most facts are extract's candidates, never translated:
        matching each summary once instead of once per edition was a fifth of the views.
        """
        edition = self.edition
        primary = self.st.editions[0]
        if edition.primary or not primary.primary or not edition.pick(fact, "summary")[1]:
            return None
        return dataclasses.replace(
            self.st.views[primary.lang][fact.id],
            kind_label=edition.fact_kinds.get(fact.kind, fact.kind),
            untranslated=True,
        )


def _names(*groups: Iterable[str]) -> list[str]:
    out = {n for group in groups for n in group if n}
    return sorted(out, key=lambda n: (-len(n), n))


def _english_names(name: str | None, person: bool) -> list[str]:
    """An English name as summaries write it, longest first: "Government of National Accord
    (GNA)" also as "Government of National Accord" and "GNA" (an acronym in brackets; any other
    bracket is a qualifier, dropped), "The Moscow talks" also without "The", and a person also
    by the last name ("Haftar", "al-Sarraj", "Sarraj")."""
    if not name or not name.strip():
        return []
    name = " ".join(name.split())
    names = {name}
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)
    if m:
        names.add(m.group(1))
        if _ACRONYM.match(m.group(2)):
            names.add(m.group(2))
    for n in list(names):
        if n[:4].lower() == "the ":
            names.add(n[4:])
    if person:
        last = (m.group(1) if m else name).split()[-1]
        for n in (last, re.sub(r"^(?:al|el)-", "", last, flags=re.I)):
            if len(n) >= 4:
                names.add(n)
    return _names(names)


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&+.-]+$")


def _needles(names: list[str]) -> list[str]:
    """The names as _find_mention looks for them: folded, in the same order, none too short."""
    return [n for n in (normalize(name).strip() for name in names) if len(n) >= 2]


def _find_mention(folded: str, needles: list[str]) -> tuple[int, int] | None:
    """The first whole-word occurrence (proclitics allowed) of one of the needles (_needles)."""
    for needle in needles:
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            word_start = start
            while word_start > 0 and folded[word_start - 1].isalnum():
                word_start -= 1
            after_ok = end == len(folded) or not folded[end].isalnum()
            if after_ok and folded[word_start:start] in _PROCLITICS:
                return start, end
            start = folded.find(needle, start + 1)
    return None


def _view(st: _Story, fact: Fact, actor_ids: list[str], edition: Edition = ARABIC) -> _FactView:
    """Link the fact's actors and meeting where the summary names them; list the others.

    An English summary is searched for the English names (_english_names); the Arabic one,
    in either edition, for the Arabic names and aliases.
    """
    summary, missing = edition.pick(fact, "summary")
    summary = summary or ""
    english = not edition.primary and not missing
    folded, offsets = normalize_with_map(summary)
    spans: list[tuple[int, int, str]] = []
    targets: list[tuple[str, list[str], Actor | None]] = []
    meeting = st.meetings.get(fact.meeting) if fact.meeting else None
    if meeting:
        page = meeting_page(meeting.id)
        key = (page, "en" if english else "ar")
        if key not in st.needles:
            names = (
                _english_names(meeting.name_en, False)
                if english
                else _names([meeting.name], meeting.aliases)
            )
            st.needles[key] = _needles(names)
        targets.append((page, st.needles[key], None))
    for actor_id in actor_ids:
        actor = st.actors[actor_id]
        page = actor_page(actor_id)
        key = (page, "en" if english else "ar")
        if key not in st.needles:
            names = (
                _english_names(actor.name_en, actor.kind == "person")
                if english
                else _names(actor.matched)
            )
            st.needles[key] = _needles(names)
        targets.append((page, st.needles[key], actor))
    meeting_linked = False
    # the longest name wins where two overlap: "نوري الغرياني" links Nouri, not the family
    # name another of the fact's actors is also known by (the order of the fact's actors is
    # an editor's, not a priority)
    found = [(_find_mention(folded, names), i) for i, (_, names, _) in enumerate(targets)]
    found.sort(key=lambda f: -(f[0][1] - f[0][0]) if f[0] else 0)
    missed: list[int] = []
    for hit, i in found:
        target, _, actor = targets[i]
        if hit:
            start = offsets[hit[0]]
            end = offsets[hit[1] - 1] + 1
            while end < len(summary) and not fold_char(summary[end]):
                end += 1  # keep a trailing shadda or tatweel inside the link
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, target))
                meeting_linked = meeting_linked or actor is None
                continue
        if actor is not None:
            missed.append(i)
    unmatched = [targets[i][2] for i in sorted(missed)]
    segments: list[_Segment] = []
    pos = 0
    for start, end, target in sorted(spans):
        if start > pos:
            segments.append(_Segment(summary[pos:start]))
        segments.append(_Segment(summary[start:end], target))
        pos = end
    if pos < len(summary):
        segments.append(_Segment(summary[pos:]))
    return _FactView(
        fact=fact,
        segments=segments,
        unmatched_actors=unmatched,
        meeting=meeting,
        meeting_linked=meeting_linked,
        sources=[(s, st.source_by_file.get(s.file)) for s in fact.sources],
        date_page=_fact_date_page(fact),
        kind_label=edition.fact_kinds.get(fact.kind, fact.kind),
        candidate=fact.status == "candidate",
        untranslated=missing,
        echoes=tuple(md_text(src.quote) == md_text(summary) for src in fact.sources),
    )


def source_label(meta: SourceMeta | None, file: str, edition: Edition = ARABIC) -> str:
    """How a citation names its source: the outlet and the day, or the file when unknown."""
    if meta is None:
        return file
    outlet = plain(meta, "outlet", edition) or plain(meta, "title", edition)
    outlet = outlet or edition.text("unnamed_source")
    if meta.published:
        return edition.text("source_label", outlet, edition.date_label(meta.published.isoformat()))
    return outlet


# --------------------------------------------------------------------------------------------
# Rendering


class _Renderer:
    """The pages of one edition: the templates with that edition's words, dates and paths."""

    def __init__(self, st: _Story, edition: Edition = ARABIC):
        self.st = st
        self.edition = edition
        self.words = words(edition)
        self.views = st.views[edition.lang]
        self.env = _environment()
        self.env.globals.update(
            ed=edition,
            t=self.words,
            date_label=edition.date_label,
            actor_page=actor_page,
            meeting_page=meeting_page,
            date_page=date_page,
            date_anchor=date_anchor,
            source_page=source_page,
            safe_url=safe_url,
            json_ld=json_ld,
            card=self.card,
            fact_line=self.fact_line,
            paragraphs=paragraphs,
        )
        # an editor's text as the edition prints it: filters, which Jinja calls directly (a
        # global function goes through Context.call, a cost on every value of every page)
        self.env.filters.update(
            tr=lambda obj, name: shown(obj, name, edition),
            original=lambda text: original(text, edition),
            untranslated=lambda text: untranslated(text, edition),
            source_name=lambda meta, file: source_name(meta, file, edition),
        )
        self._rendered: dict[str | tuple[str, str], Markup] = {}
        self._folder_name: str | None = None
        self._card_template = self.env.get_template("_fact.html.j2")

    def card(self, fact_id: str, ctx: PageContext) -> Markup:
        """A fact card, rendered once per folder and reused on every page of that folder.

        Its links are relative, so they are the same for every page of one folder. Pages
        are rendered folder by folder, so only the current folder's cards are kept: a large
        story's cards are most of its text.
        """
        cards = self._folder(ctx)
        card = cards.get(fact_id)
        if card is None:
            card = cards[fact_id] = card_html(self.views[fact_id], ctx, self.edition)
        return card

    def _folder(self, ctx: PageContext) -> dict[str | tuple[str, str], Markup]:
        """The cards and lines (keyed by fact id and ("line", fact id)) already rendered for
        the folder of ctx's page, emptied when the pages move on to another folder."""
        folder = posixpath.dirname(ctx.path)
        if folder != self._folder_name:
            self._rendered.clear()
            self._folder_name = folder
        return self._rendered

    def fact_line(self, fact_id: str, ctx: PageContext) -> Markup:
        """fact_line_uncached's line, rendered once per folder (as card() does for cards)."""
        lines = self._folder(ctx)
        line = lines.get(("line", fact_id))
        if line is None:
            line = lines["line", fact_id] = self.fact_line_uncached(fact_id, ctx)
        return line

    def fact_line_uncached(self, fact_id: str, ctx: PageContext) -> Markup:
        """A fact in one line, for pages past CARD_LIMIT: its full card is on its date page.

        An undated fact has no date page: its line links to its first source instead.
        A line shows no links inside the summary, so it needs no _FactView: an actor's page
        lists hundreds of facts, and making their views would be most of its rendering.
        """
        ed, t = self.edition, self.words
        fact = self.st.fact_by_id[fact_id]
        day_page = _fact_date_page(fact)
        out = [
            ctx.a(ed.date_label(fact.date), day_page, "f-" + fact.id)
            if day_page
            else md_text(t.undated)
        ]
        if fact.until:
            out += [" – ", md_text(ed.date_label(fact.until))]
        out += [" · ", md_text(ed.fact_kinds.get(fact.kind, fact.kind))]
        if fact.status == "candidate":
            out += [' · <span class="ex-badge">', md_text(t.unreviewed), "</span>"]
        out += [": ", shown(fact, "summary", ed)]
        if not day_page and fact.sources:
            src = fact.sources[0]
            meta = self.st.source_by_file.get(src.file)
            out.append(" — ")
            out.append(
                ctx.a(source_name(meta, src.file, ed), source_page(meta.id))
                if meta
                else md_text(src.file)
            )
        return Markup("".join(out))

    def template_card(self, fact_id: str, ctx: PageContext) -> Markup:
        """The same card from _fact.html.j2, the reference that card_html must match."""
        return Markup(self._card_template.render(f=self.views[fact_id], ctx=ctx, st=self.st))

    def render(self, template: str, path: str, **values: object) -> str:
        ctx = PageContext(path)
        return self.env.get_template(template).render(ctx=ctx, st=self.st, **values)

    # -- figures --------------------------------------------------------------------------

    def timeline(self, ctx: PageContext, facts: list[Fact], title: str, figure_id: str) -> Markup:
        """The facts' dates as a timeline: one mark per date, or per month or year when many.

        A mark per date of a story of thousands of dates would be a figure of a megabyte that
        no one can click; past TIMELINE_MARKS dates, a mark stands for a month (then a year)
        and links to that month (year) in the index of dates.
        """
        ed = self.edition
        if facts is self.st.facts:  # the whole story's (home, dates' index): already grouped
            groups: dict[str, list[Fact]] = self.st.by_date
        else:
            groups = defaultdict(list)
            for fact in facts:
                day = _valid_date(fact.date)
                if day:
                    groups[day].append(fact)
        counts = {day: len(group) for day, group in groups.items()}
        unit = "day"
        for cut, name in ((7, "month"), (4, "year")):
            if len(counts) <= TIMELINE_MARKS:
                break
            coarser: dict[str, int] = defaultdict(int)
            for day, n in counts.items():
                coarser[day[:cut]] += n
            counts, unit = coarser, name
        marks = []
        for key in sorted(counts):
            n = counts[key]
            if unit == "day":
                first, missing = ed.pick(groups[key][0], "summary")
                first = first or ""
                first = first if len(first) <= 90 else first[:89] + "…"
                if missing:
                    first = f"{first} {ed.text('untranslated')}"
                label = ed.text("timeline_mark", ed.date_label(key), n, first)
                href = ctx.rel(date_page(key))
            else:
                label = ed.text("timeline_group", ed.date_label(key), n)
                href = ctx.rel("dates/index.md", date_anchor(key))
            marks.append(TimelineMark(key, href, label, n, grouped=unit != "day"))
        desc = (
            ed.text(
                "timeline_desc",
                unit,
                len(marks),
                ed.date_label(marks[0].date),
                ed.date_label(marks[-1].date),
            )
            if marks
            else ed.text("timeline_empty")
        )
        svg = timeline_svg(marks, title=title, desc=desc, figure_id=figure_id, words=ed.figures)
        return Markup(f'<figure class="ex-figure" data-search-exclude="true">{svg}</figure>')

    def graph(self, ctx: PageContext) -> Markup:
        st, ed = self.st, self.edition
        meetings = [
            GraphNode(m.id, plain(m, "name", ed), ctx.rel(meeting_page(m.id)))
            for m in st.meetings.values()
            if st.meeting_actors.get(m.id)
        ]
        edges, per_meeting = graph_edges(st.meeting_actors, [m.id for m in meetings])
        actor_ids = sorted(
            {a for _, a, _ in edges},
            key=lambda a: (st.actors[a].kind, normalize(plain(st.actors[a], "name", ed)), a),
        )
        actors = [
            GraphNode(a, plain(st.actors[a], "name", ed), ctx.rel(actor_page(a))) for a in actor_ids
        ]
        svg = graph_svg(
            meetings,
            actors,
            edges,
            title=ed.text("graph_title"),
            desc=ed.text("graph_desc", len(meetings), len(actors), per_meeting),
            figure_id="actors-meetings",
            words=ed.figures,
        )
        return Markup(f'<figure class="ex-figure" data-search-exclude="true">{svg}</figure>')


# Beyond this many lines the actors-and-meetings graph is a tangle no reader can follow, and a
# heavy page on a phone (10,000 articles: 4,800 lines, a 1 MB figure 7,000 pixels tall)
GRAPH_EDGES = 600


def graph_edges(
    meeting_actors: dict[str, dict[str, int]], meeting_ids: list[str], budget: int = GRAPH_EDGES
) -> tuple[list[tuple[str, str, int]], int | None]:
    """The graph's lines (meeting, actor, weight: the facts of the meeting that name the
    actor, at least 1 for a listed participant), with None; or, when they are more than
    `budget`, each meeting's most named actors only (ties by id), as many as
    the budget allows each meeting and at least three, with that number. A meeting's page
    still has all its facts, and an actor's page all of theirs."""
    edges = [(m, a, max(n, 1)) for m in meeting_ids for a, n in meeting_actors[m].items()]
    if len(edges) <= budget:
        return edges, None
    per_meeting = max(3, budget // max(len(meeting_ids), 1))
    kept = []
    for m in meeting_ids:
        ranked = sorted(meeting_actors[m].items(), key=lambda item: (-item[1], item[0]))
        kept += [(m, a, max(n, 1)) for a, n in sorted(ranked[:per_meeting])]
    return kept, per_meeting


# What leaves an element out of the search index: a card on any page but its date page; on
# that page, its first line (the date, the kind, "unreviewed": the same words on every card
# of the page), a quote that repeats its card's summary (_FactView.echoes), and who cites it
# (the source's page is the answer to a search for an outlet). The hook finds it there too.
SEARCH_EXCLUDE = ' data-search-exclude="true"'


def card_html(f: _FactView, ctx: PageContext, edition: Edition = ARABIC) -> Markup:
    """A fact card: templates/_fact.html.j2 written out in Python, byte for byte.

    A card is the bulk of every page (tens of thousands of them in a large index), and the
    template engine's per-call overhead dominated generation; tests/test_pages.py checks that
    this function and the template give the same bytes for every fact of the fixtures, hostile
    ones included, in both editions. Every value printed passes through md_text, as the
    template's finalize does.

    Why HTML in a Markdown page: the card is the HTML Python-Markdown made of the card's
    Markdown before (tests/test_site.py still compares a page with Python-Markdown's reading
    of it), written here once instead of converted by the build on every page (a sixth of a
    large build's page work). Its links are to .md paths, as the figures' are: the build
    resolves and checks them (site._resolve_links).
    """
    fact = f.fact
    a = ctx.a
    t = words(edition)
    searchable = ctx.path.startswith("dates/")  # elsewhere the whole card is left out
    out = [
        '<div class="ex-fact',
        " ex-unreviewed" if f.candidate else "",
        '"' if searchable else '"' + SEARCH_EXCLUDE,
        ' id="f-',
        _slug(fact.id),
        '">\n<p',
        SEARCH_EXCLUDE if searchable else "",
        '><span class="ex-fact-meta">',
    ]
    if f.date_page:
        out.append(a(edition.date_label(fact.date), f.date_page, "f-" + fact.id))
    else:
        out.append(t.undated)
    if fact.until:
        out += [" – ", md_text(edition.date_label(fact.until))]
    out += [" · ", md_text(f.kind_label)]
    if f.candidate:
        out += [' · <span class="ex-badge">', t.unreviewed, "</span>"]
    out.append('</span></p>\n<p><span class="ex-summary">')
    if f.untranslated:
        out.append(_ARABIC_OPEN)
    for seg in f.segments:
        out.append(a(seg.text, seg.target) if seg.target else md_text(seg.text))
    if f.untranslated:
        out += ["</span> ", _UNTRANSLATED_OPEN, t.untranslated, "</span>"]
    out.append("</span></p>\n")
    if f.unmatched_actors:
        out += ['<p><span class="ex-label">', t.label_actors, "</span> "]
        # (str.join: Markup.join escapes each part again; links are Markup already)
        out.append(
            str.join(
                t.sep,
                (
                    a(shown(actor, "name", edition), actor_page(actor.id))
                    for actor in f.unmatched_actors
                ),
            )
        )
        out.append("</p>\n")
    if f.meeting and not f.meeting_linked:
        out += [
            '<p><span class="ex-label">',
            t.label_meeting,
            "</span> ",
            a(shown(f.meeting, "name", edition), meeting_page(f.meeting.id)),
            "</p>\n",
        ]
    if fact.dispute:
        out += [
            '<p class="ex-dispute"><span class="ex-label">',
            t.label_dispute,
            "</span> ",
            shown(fact, "dispute", edition),
            "</p>\n",
        ]
    if f.sources:
        out.append("<blockquote>\n")
    for (src, meta), echo in zip(f.sources, f.echoes, strict=True):
        out += ["<p", SEARCH_EXCLUDE if echo and searchable else "", ">"]
        out += [original(src.quote, edition), "</p>\n<p", SEARCH_EXCLUDE if searchable else ""]
        out.append(">— ")
        if meta:
            out.append(a(source_name(meta, src.file, edition), source_page(meta.id)))
        else:
            out.append(md_text(src.file))
        if src.date:
            out += [" · ", t.source_date, md_text(edition.date_label(src.date))]
        if src.note:
            out += [" · ", shown(src, "note", edition)]
        out.append("</p>\n")
    if f.sources:
        out.append("</blockquote>\n")
    out.append("</div>\n")
    return Markup("".join(out))


def by_year(facts: list[Fact], edition: Edition = ARABIC) -> list[tuple[str, list[Fact]]]:
    """Facts (in date order) grouped under their year; undated ones last."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        day = _valid_date(fact.date)
        groups[day[:4] if day else ""].append(fact)
    return [
        (year or edition.text("undated"), groups[year])
        for year in sorted(groups, key=lambda y: (not y, y))
    ]


def paragraphs(text: str | None) -> list[str]:
    """An editor's multi-line text as paragraphs: each line of a YAML block is one."""
    return [p for p in (text or "").splitlines() if p.strip()]


def _source_key(meta: SourceMeta) -> tuple:
    return (meta.published is None, meta.published.isoformat() if meta.published else "", meta.id)


def _description(text: str | None, fallback: str) -> str:
    text = " ".join(strip_controls(text or "").split()) or fallback
    return text if len(text) <= 160 else text[:159] + "…"


class _Edition:
    """The pages of one edition, each rendered on demand.

    `renderers()` names every page and how to render it without rendering any, so that a
    long-running preview (pages.Incremental) can render again only the pages an edit touches
    and take the others from the last generation.
    """

    def __init__(self, st: _Story, edition: Edition = ARABIC):
        self.st = st
        self.ed = edition
        self.r = _Renderer(st, edition)

    def renderers(self) -> dict[str, Callable[[], str]]:
        """{page path: a function rendering it}, in a fixed order."""
        st, ed = self.st, self.ed
        out: dict[str, Callable[[], str]] = {ed.page("index.md"): self.home}
        for actor_id in st.actors:
            out[ed.page(actor_page(actor_id))] = functools.partial(self.actor, actor_id)
        out[ed.page("actors/index.md")] = self.actors_index
        for meeting_id in st.meetings:
            out[ed.page(meeting_page(meeting_id))] = functools.partial(self.meeting, meeting_id)
        out[ed.page("meetings/index.md")] = self.meetings_index
        for i, day in enumerate(st.dates):
            out[ed.page(date_page(day))] = functools.partial(self.date, i)
        out[ed.page("dates/index.md")] = self.dates_index
        for meta in st.sources:
            out[ed.page(source_page(meta.id))] = functools.partial(self.source, meta)
        out[ed.page("sources/index.md")] = self.sources_index
        return out

    def home(self) -> str:
        st, ed, r = self.st, self.ed, self.r
        title = plain(st.index, "title", ed) or ed.text("default_title")
        counts = {
            "actors": len(st.actors),
            "meetings": len(st.meetings),
            "dates": len(st.dates),
            "sources": len(st.sources),
            "facts": len(st.facts),
        }
        latest = []  # the last LATEST dated facts, newest first
        for fact in reversed(st.facts):
            if len(latest) == LATEST:
                break
            if _valid_date(fact.date):
                latest.append(fact)
        home = ed.page("index.md")
        story, story_untranslated = ed.pick(st.index, "story")
        return r.render(
            "home.md.j2",
            home,
            title=title,
            heading=shown(st.index, "title", ed) if st.index.title else md_text(title),
            description=_description(None if story_untranslated else story, title),
            story=story,
            story_untranslated=story_untranslated,
            counts=counts,
            timeline=r.timeline(
                PageContext(home), st.facts, ed.text("timeline_of", title), "story-timeline"
            ),
            latest=latest,
        )

    @functools.cached_property
    def actor_meetings(self) -> dict[str, list[Meeting]]:
        out: dict[str, list[Meeting]] = defaultdict(list)
        for meeting in self.st.meetings.values():  # in meeting order
            for actor_id in self.st.meeting_actors.get(meeting.id, {}):
                out[actor_id].append(meeting)
        return out

    def actor(self, actor_id: str) -> str:
        st, ed, r = self.st, self.ed, self.r
        actor = st.actors[actor_id]
        path = ed.page(actor_page(actor_id))
        ctx = PageContext(path)
        facts = st.by_actor.get(actor_id, [])
        meetings = self.actor_meetings.get(actor_id, [])
        co = sorted(st.co_actors(actor_id).items(), key=lambda kv: (-kv[1], kv[0]))
        ld_type = {"person": "Person", "country": "Country"}.get(actor.kind, "Organization")
        affiliation = st.actors.get(actor.affiliation) if actor.affiliation else None
        name = plain(actor, "name", ed)
        # the name in the other edition's language is one of its alternate names
        other_names = {actor.name_en} if ed.primary else {actor.name}
        ld = {
            "@context": "https://schema.org",
            "@type": ld_type,
            "name": name,
            "alternateName": sorted((set(actor.aliases) | (other_names - {None})) - {name}),
            "description": plain(actor, "role", ed) or None,
            "jobTitle": (plain(actor, "role", ed) or None) if ld_type == "Person" else None,
            ("affiliation" if ld_type == "Person" else "parentOrganization"): (
                {"@type": "Organization", "name": plain(affiliation, "name", ed)}
                if affiliation
                else None
            ),
        }
        return r.render(
            "actor.md.j2",
            path,
            actor=actor,
            title=name,
            description=_description(translated(actor, "role", ed), name),
            kind=ed.actor_kinds.get(actor.kind, actor.kind),
            affiliation=affiliation,
            affiliates=st.affiliates.get(actor_id, []),
            facts=facts,
            compact=len(facts) > CARD_LIMIT,
            facts_by_year=by_year(facts, ed) if len(facts) > CARD_LIMIT else [],
            meetings=meetings,
            co_actors=[(st.actors[a], n) for a, n in co],
            timeline=r.timeline(ctx, facts, ed.text("timeline_of", name), f"timeline-{actor_id}"),
            ld=json_ld(ld),
        )

    def actors_index(self) -> str:
        st, ed = self.st, self.ed
        by_kind: dict[str, list[Actor]] = defaultdict(list)
        for actor in st.actors.values():
            by_kind[actor.kind].append(actor)
        kinds = sorted(
            by_kind,
            key=lambda k: (list(ed.actor_kinds).index(k) if k in ed.actor_kinds else 9, k),
        )
        return self.r.render(
            "actors_index.md.j2",
            ed.page("actors/index.md"),
            groups=[
                (
                    ed.actor_kind_plural.get(k, k),
                    sorted(by_kind[k], key=lambda a: (normalize(plain(a, "name", ed)), a.id)),
                )
                for k in kinds
            ],
            count=lambda a: len(st.by_actor.get(a.id, [])),
        )

    def meeting(self, meeting_id: str) -> str:
        st, ed, r = self.st, self.ed, self.r
        meeting = st.meetings[meeting_id]
        path = ed.page(meeting_page(meeting_id))
        ctx = PageContext(path)
        facts = st.by_meeting.get(meeting_id, [])
        days: dict[str | None, list[Fact]] = defaultdict(list)
        for fact in facts:
            days[_valid_date(fact.date)].append(fact)
        day_keys = sorted(days, key=lambda d: (d is None, d or ""))
        participants = [st.actors[a] for a in sorted(st.meeting_actors.get(meeting_id, {}))]
        cited: dict[str, SourceMeta] = {}
        for fact in facts:
            for src in fact.sources:
                meta = st.source_by_file.get(src.file)
                if meta:
                    cited[meta.id] = meta
        name = plain(meeting, "name", ed)
        other_names = {meeting.name_en} if ed.primary else {meeting.name}
        ld = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": name,
            "alternateName": sorted(set(meeting.aliases) | (other_names - {None})),
            "startDate": meeting.start,
            "endDate": meeting.end,
            "description": plain(meeting, "summary", ed) or None,
            "location": (
                {"@type": "Place", "name": plain(meeting, "place", ed)} if meeting.place else None
            ),
            "performer": [
                {
                    "@type": "Person" if a.kind == "person" else "Organization",
                    "name": plain(a, "name", ed),
                }
                for a in participants
            ],
            "subjectOf": [_news_article(s, ed) for s in sorted(cited.values(), key=lambda s: s.id)],
        }
        return r.render(
            "meeting.md.j2",
            path,
            meeting=meeting,
            title=name,
            description=_description(translated(meeting, "summary", ed), name),
            participants=participants,
            days=[(d, days[d]) for d in day_keys],
            compact=len(facts) > CARD_LIMIT,
            timeline=r.timeline(ctx, facts, ed.text("timeline_of", name), f"timeline-{meeting_id}"),
            cited=sorted(cited.values(), key=_source_key),
            ld=json_ld(ld),
        )

    def meetings_index(self) -> str:
        st, ed = self.st, self.ed
        path = ed.page("meetings/index.md")
        return self.r.render(
            "meetings_index.md.j2",
            path,
            meetings=list(st.meetings.values()),
            count=lambda m: len(st.by_meeting.get(m.id, [])),
            graph=self.r.graph(PageContext(path)),
        )

    @functools.cached_property
    def finer(self) -> dict[str, list[str]]:
        """The days (and months) of each month (and year) that has a page of its own."""
        out: dict[str, list[str]] = defaultdict(list)
        for day in self.st.dates:
            for cut in (4, 7):
                if len(day) > cut and day[:cut] in self.st.by_date:
                    out[day[:cut]].append(day)
        return out

    def date(self, i: int) -> str:
        st, ed = self.st, self.ed
        day = st.dates[i]
        coarser = [day[:cut] for cut in (4, 7) if len(day) > cut and day[:cut] in st.by_date]
        label = ed.date_label(day)
        facts = st.by_date[day]
        single = ed.pick(facts[0], "summary") if len(facts) == 1 else (None, False)
        return self.r.render(
            "date.md.j2",
            ed.page(date_page(day)),
            day=day,
            label=label,
            title=label,
            description=_description(
                single[0] if not single[1] else None,
                ed.text("dated_in", label, len(facts)),
            ),
            facts=facts,
            previous=st.dates[i - 1] if i > 0 else None,
            next=st.dates[i + 1] if i + 1 < len(st.dates) else None,
            finer=self.finer.get(day, []),
            coarser=coarser,
        )

    def dates_index(self) -> str:
        st, ed = self.st, self.ed
        years: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
        for day in st.dates:
            years[day[:4]][day[:7] if len(day) >= 7 else None].append(day)
        path = ed.page("dates/index.md")
        return self.r.render(
            "dates_index.md.j2",
            path,
            years=[
                (year, sorted(months.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")))
                for year, months in sorted(years.items())
            ],
            count=lambda d: len(st.by_date[d]),
            undated=len(st.facts) - sum(map(len, st.by_date.values())),
            timeline=self.r.timeline(
                PageContext(path), st.facts, ed.text("timeline_all"), "dates-timeline"
            ),
        )

    def source(self, meta: SourceMeta) -> str:
        st, ed, r = self.st, self.ed, self.r
        cites = sorted(st.by_source.get(meta.file, []), key=lambda fs: _fact_key(fs[0]))
        label = source_label(meta, meta.file, ed)
        ld = {
            "@context": "https://schema.org",
            **_news_article(meta, ed),
            "url": safe_url(meta.url),
        }
        return r.render(
            "source.md.j2",
            ed.page(source_page(meta.id)),
            meta=meta,
            label=source_name(meta, meta.file, ed),
            title=label,
            description=_description(meta.title if ed.primary else None, label),
            url=safe_url(meta.url),
            cites=[(fact, src, _fact_date_page(fact)) for fact, src in cites],
            ld=json_ld(ld),
        )

    def sources_index(self) -> str:
        st = self.st
        return self.r.render(
            "sources_index.md.j2",
            self.ed.page("sources/index.md"),
            sources=sorted(st.sources, key=_source_key),
            count=lambda s: len(st.by_source.get(s.file, [])),
        )


# --------------------------------------------------------------------------------------------
# Writing


def _write_page(path: Path, blob: bytes, absent: bool = False) -> bool:
    """yamlio.atomic_write without its fsync: a page is rebuilt from facts.yaml at will, and
    thousands of fsyncs were most of a first generation. Still all or nothing (a rename), and
    a page that already holds these bytes is not touched (it keeps its modification time).
    `absent`: the page is known not to be there (it is not read first), and its folder to be.
    """
    if not absent:
        try:
            if path.read_bytes() == blob:
                return False
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (IsADirectoryError, NotADirectoryError):
            return atomic_write(path, blob)  # let it fail as it always did
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


# From this many pages on, a first generation renders them on every core (_write_pages);
# from this many facts on, any generation does: the home and index pages count and draw every
# fact (10,000 articles: a second of rendering for the ten of both editions)
PARALLEL_PAGES = 2000
PARALLEL_FACTS = 20_000
MAX_PROCESSES = 4  # each process but the first copies much of the story as it renders


def _write_pages(
    site_src: Path,
    pages: dict[str, Callable[[], str]],
    parallel: bool = True,
    facts: int = 0,
    absent: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    """Render and write the pages: (written, unchanged).

    Rendering is about half of a large story's generation (10,000 articles: 9 s of 20, on one
    core), and each page's text depends on the story alone, not on any other page: with
    `parallel`, enough pages and more than one core, processes forked from this one render
    and write a share each. Forked, they share the story with this process; as each one
    reads the facts of its pages it makes its own copy of the memory they sit in, which is why
    the number of processes is capped. Not where processes cannot be forked, nor where
    other threads run (`mkdocs serve`; the caller says parallel=False there). `facts`: the
    story's, for the weight of its index pages. `absent`: pages known not to be there (a
    first generation's), written without trying to read them first.
    """
    for folder in sorted({posixpath.dirname(rel) for rel in absent} - {""}):
        (site_src / folder).mkdir(parents=True, exist_ok=True)
    order = sorted(pages)
    large = len(order) >= PARALLEL_PAGES or (facts >= PARALLEL_FACTS and len(order) > 1)
    processes = min(cores(), MAX_PROCESSES, len(order)) if large else 1
    if not parallel or processes < 2 or not hasattr(os, "fork"):
        return _write_share(site_src, pages, order, absent)
    shares = _shares(order, processes)
    return _in_forks(lambda share: _write_share(site_src, pages, share, absent), shares)


def _shares(order: list[str], processes: int) -> list[list[str]]:
    """Interleaved runs of `order`, so that each process gets its part of every kind of page
    (a source page takes a fraction of a date page's time)."""
    run = max(1, min(100, len(order) // (processes * 8)))
    return [
        [rel for i in range(k * run, len(order), processes * run) for rel in order[i : i + run]]
        for k in range(processes)
    ]


def cores() -> int:
    """The cores this process may run on (the build's page workers count them too)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _write_share(
    site_src: Path,
    pages: dict[str, Callable[[], str]],
    share: list[str],
    absent: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    written = 0
    for rel in share:
        written += _write_page(site_src / rel, pages[rel]().encode("utf-8"), rel in absent)
    return written, len(share) - written


def _in_forks(
    work: Callable[[list[str]], tuple[int, int]], shares: list[list[str]]
) -> tuple[int, int]:
    """work(share) for every share, the first here and each other in a forked process: the
    sums of what they return. An exception in any of them is raised here, once every process
    has ended.

    os.fork rather than multiprocessing: this runs inside the build's own forked helper
    process (generator/buildpool.py), a daemon, which multiprocessing forbids to have
    children. gc.freeze() keeps the children's garbage collector from writing to (and so
    copying) every object of the story they share.
    """
    import gc
    import pickle

    children: list[tuple[int, int]] = []
    thawed = gc.get_freeze_count() == 0  # (else the caller froze them, and keeps them so)
    gc.freeze()
    try:
        for share in shares[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its share, its answer down the pipe, and out
                os.close(read_end)
                try:
                    answer = ("ok", work(share))
                except BaseException as e:
                    answer = ("error", e)
                try:
                    blob = pickle.dumps(answer)
                except Exception:
                    blob = pickle.dumps(("error", RuntimeError(repr(answer[1]))))
                with os.fdopen(write_end, "wb") as out:
                    out.write(blob)
                os._exit(0)
            os.close(write_end)
            children.append((pid, read_end))
        failure: BaseException | None = None
        written = unchanged = 0
        try:
            written, unchanged = work(shares[0])
        except BaseException as e:
            failure = e
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as answers:
                blob = answers.read()
            os.waitpid(pid, 0)
            try:
                status, value = pickle.loads(blob)
            except Exception:
                status, value = "error", RuntimeError("a page-writing process ended early")
            if status == "ok":
                written, unchanged = written + value[0], unchanged + value[1]
            elif failure is None:
                failure = value
        if failure is not None:
            raise failure
        return written, unchanged
    finally:
        if thawed:
            gc.unfreeze()


def _read_manifest(site_src: Path) -> set[str]:
    """The pages generate() wrote last time; entries that could not be ours are ignored."""
    try:
        data = json.loads((site_src / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return set()
    if not isinstance(data, list):
        return set()
    return {p for p in data if isinstance(p, str) and OWNED.match(p)}


def render_pages(
    index: FactIndex, sources: list[SourceMeta], english: bool = False
) -> dict[str, str]:
    """Every generated page as {path relative to site_src: Markdown}, without writing.

    english: the English edition's pages too (actors/gna.en.md beside actors/gna.md, ...).
    """
    _, renderers = _renderers(index, sources, english)
    return {path: render() for path, render in renderers.items()}


def _editions(english: bool) -> tuple[Edition, ...]:
    return (ARABIC, ENGLISH) if english else (ARABIC,)


def _renderers(
    index: FactIndex,
    sources: list[SourceMeta],
    english: bool = False,
    previous: _Story | None = None,
) -> tuple[_Story, dict[str, Callable[[], str]]]:
    """The story, and every generated page's path with how to render it, nothing rendered
    yet (previous: see _build)."""
    _check_ids(index, sources)
    st = _build(index, sources, _editions(english), previous)
    out: dict[str, Callable[[], str]] = {}
    for edition in st.editions:
        out.update(_Edition(st, edition).renderers())
    return st, out


# the home page and the indexes: their counts and figures cover every fact
_INDEX_PAGES = (
    "index.md",
    "actors/index.md",
    "meetings/index.md",
    "dates/index.md",
    "sources/index.md",
)
# the indexes that count facts by their _where alone (how many per actor, meeting and source,
# who met whom), and nothing else of them: an edit that leaves every _where as it was (a
# summary, a quote, a kind reworded: the usual edit) leaves them as they were. The home page
# shows the latest facts, and the dates' index a timeline whose marks may name a fact.
_COUNTING_PAGES = ("actors/index.md", "meetings/index.md", "sources/index.md")


def _only_facts_differ(old: _Story, index: FactIndex, sources: list[SourceMeta]) -> bool:
    """Whether the story of (index, sources) differs from `old` in its facts alone.

    An edit of an actor, a meeting, the story's title or text, or the sources shows on many
    pages, and such edits are rare: they render everything again.
    """
    if dataclasses.replace(old.index, facts=()) != dataclasses.replace(index, facts=()):
        return False
    return old.sources == sorted(sources, key=lambda s: s.id)


def _where(fact: Fact) -> tuple:
    """What decides the pages a fact shows on (_fact_pages) and what the counting indexes
    count (_COUNTING_PAGES): actors, meeting, date, sources, and whether it is rejected (a
    rejected fact is on no page, and counted nowhere)."""
    return (
        fact.actors,
        fact.meeting,
        fact.date,
        tuple(src.file for src in fact.sources),
        fact.status == "rejected",
    )


def _fact_pages(where: tuple, source_by_file: dict[str, SourceMeta]) -> set[str]:
    """The (Arabic) pages a fact (_where) shows on: its actors', its meeting's, its date's (and
    that date's month's and year's) and its sources'."""
    actors, meeting, date, files, _ = where
    pages = {actor_page(a) for a in actors}
    if meeting:
        pages.add(meeting_page(meeting))
    day = _valid_date(date)
    if day:
        pages.update(date_page(day[:cut]) for cut in (4, 7, 10) if cut <= len(day))
    for file in files:
        meta = source_by_file.get(file)
        if meta is not None:
            pages.add(source_page(meta.id))
    return pages


def _around_changed_dates(old_dates: list[str], new_dates: list[str]) -> set[str]:
    """The date pages that link to a date that appeared or disappeared: the days around it
    (their previous/next links), and every day of a month or year that got or lost its page."""
    touched: set[str] = set()
    if old_dates == new_dates:
        return touched
    for day in set(old_dates) ^ set(new_dates):
        for dates in (old_dates, new_dates):
            i = bisect.bisect_left(dates, day)
            touched.update(date_page(d) for d in dates[max(i - 1, 0) : i + 2])
        if len(day) < 10:
            touched.update(date_page(d) for d in new_dates if d.startswith(day))
    return touched


def _touched(old: _Story, new: _Story) -> set[str]:
    """The (Arabic) pages that can differ between two stories that differ in facts alone
    (_pages_touched, from the facts that differ)."""
    before = {f.id: f for f in old.index.facts}
    after = {f.id: f for f in new.index.facts}
    differ = [i for i in before.keys() | after.keys() if before.get(i) != after.get(i)]
    gone = [_where(before[i]) for i in differ if i in before]
    came = [_where(after[i]) for i in differ if i in after]
    return _pages_touched(gone, came, new.source_by_file, old.dates, new.dates)


def _pages_touched(
    gone: list[tuple],
    came: list[tuple],
    source_by_file: dict[str, SourceMeta],
    old_dates: list[str],
    new_dates: list[str],
) -> set[str]:
    """The (Arabic) pages an edit of facts alone can change: those the changed facts show on
    (_fact_pages of the _where of their versions before, `gone`, and after, `came`), the home
    page and the indexes (their counts and figures; the counting ones only when the _where
    of the facts are not the same as before, as a whole), and, when a date appears or
    disappears, the previous/next links of the neighbouring days. The sources are the same
    before and after (or more than facts changed). tests/test_pages.py checks the result
    against a full render.
    """
    touched = set(_INDEX_PAGES)
    if Counter(gone) == Counter(came):
        touched.difference_update(_COUNTING_PAGES)
    for where in (*gone, *came):
        touched |= _fact_pages(where, source_by_file)
    return touched | _around_changed_dates(old_dates, new_dates)


class Incremental:
    """The last generation's story and pages, for a process that generates again and again.

    Under `mkdocs serve` the hook keeps one: after an edit of a few facts, only the pages
    those facts show on are rendered again (a dozen, not thousands), and every other page is
    the text rendered last time. Anything but facts changed renders everything.
    """

    def __init__(self) -> None:
        self._last: tuple[_Story, dict[str, str]] | None = None
        self.rendered = 0  # pages rendered by the last call (for the log and the tests)

    def render(
        self, index: FactIndex, sources: list[SourceMeta], english: bool = False
    ) -> dict[str, str]:
        """What render_pages(index, sources, english) returns, rendering as little as it can."""
        old, last_pages = self._last if self._last is not None else (None, {})
        if old is not None and not (
            old.editions == _editions(english) and _only_facts_differ(old, index, sources)
        ):
            old = None
        st, renderers = _renderers(index, sources, english, previous=old)
        wanted = None
        if old is not None:
            wanted = {ed.page(p) for p in _touched(old, st) for ed in st.editions}
        pages: dict[str, str] = {}
        self.rendered = 0
        for path, render in renderers.items():
            if wanted is not None and path not in wanted and path in last_pages:
                pages[path] = last_pages[path]
            else:
                pages[path] = render()
                self.rendered += 1
        self._last = (st, pages)
        return pages


def generate(
    index: FactIndex,
    sources: list[SourceMeta],
    site_src: Path,
    english: bool = False,
    incremental: Incremental | None = None,
) -> GenerateResult:
    """Write the pages into site_src/: only changed ones, never a hand-written one.

    english: write the English edition's pages too; without it, English pages left by an
    earlier generation are removed like any page no longer produced.
    All collisions with hand-written pages are reported before anything is written, so a
    refused run leaves site_src/ as it was. incremental: render through it (see Incremental).
    """
    return _generate(index, sources, site_src, english, incremental)[0]


def _generate(
    index: FactIndex,
    sources: list[SourceMeta],
    site_src: Path,
    english: bool = False,
    incremental: Incremental | None = None,
    last: tuple[_Footprint, set[str]] | None = None,
    footprint: bool = False,
) -> tuple[GenerateResult, _Footprint | None, set[str]]:
    """generate(), and, with `footprint`, the footprint of what it rendered (None under
    `incremental`: its last story is in memory); and the pages of `last` that it left
    alone, neither rendered nor written.

    last: the previous run's footprint and the pages it wrote that are still as it left them
    (generate_if_changed): such a page, if no difference between that footprint and this
    story touches it, is neither rendered nor written.
    """
    # Pages are rendered as they are written, one at a time: a large story's pages together
    # would be a few hundred megabytes held at once (under `mkdocs serve`, Incremental keeps
    # them, to render again only what an edit touches).
    st = None
    if incremental is not None:
        texts = incremental.render(index, sources, english)
        pages = {rel: functools.partial(str, text) for rel, text in texts.items()}
        rendered = incremental.rendered
    else:
        st, pages = _renderers(index, sources, english)
        rendered = len(pages)
    owned = _read_manifest(site_src)
    problems = []
    for folder in sorted({posixpath.dirname(rel) for rel in pages} - {""}):
        path = site_src / folder
        if path.exists() and not path.is_dir():
            problems.append(
                Problem(
                    f"{site_src.name}/{folder}",
                    None,
                    None,
                    f"{site_src.name}/{folder} is a file where the generator writes the folder "
                    f"of its {folder} pages; rename it or remove it",
                )
            )
    absent: set[str] = set()
    for rel in sorted(pages.keys() - owned):  # (a page the manifest lists is ours)
        render, path = pages[rel], site_src / rel
        if not path.exists():
            absent.add(rel)
            continue
        try:
            same = path.read_bytes() == render().encode("utf-8")
        except OSError:
            same = False
        if not same:  # byte-identical: ours from a lost manifest, safe to adopt
            problems.append(
                Problem(
                    f"{site_src.name}/{rel}",
                    None,
                    None,
                    f"{site_src.name}/{rel} is hand-written; rename it or remove it "
                    "(the generator writes a page at this path)",
                )
            )
    if problems:
        raise InputError(problems)
    to_write = pages
    made = None
    kept: set[str] = set()
    if st is not None and (footprint or last is not None):
        made = _Footprint.of(st, last[0] if last is not None else None)
        if last is not None:
            untouched = _untouched(last[0], st, made, last[1] & owned)
            if untouched is None:  # the last footprint is of no use (and may be damaged)
                made = _Footprint.of(st)
            else:
                kept = untouched
                to_write = {rel: render for rel, render in pages.items() if rel not in kept}
                rendered = len(to_write)
    removed = 0
    written, unchanged = _write_pages(
        site_src,
        to_write,
        parallel=incremental is None,
        facts=len(index.facts),
        absent=frozenset(absent),
    )
    unchanged += len(pages) - len(to_write)
    for rel in sorted(owned - pages.keys()):
        try:
            (site_src / rel).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    manifest = json.dumps(sorted(pages), ensure_ascii=False, indent=1) + "\n"
    atomic_write(site_src / MANIFEST, manifest)
    result = GenerateResult(
        written=written, unchanged=unchanged, removed=removed, rendered=rendered
    )
    return result, made, kept


# --------------------------------------------------------------------------------------------
# Rendering again only what an edit touched, from one run of `explainer generate` to the next


def _digest(value: object) -> str:
    """A digest of a model object that is the same in every process: the model holds only
    builtins, dates and tuples (generator/model.py), whose repr is their value."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


@dataclass
class _Footprint:
    """What a generation's pages were made from, small enough to keep from one run to the
    next: the story but its facts as one digest (`base`), each fact as a digest and what
    decides the pages it shows on (_where), and the dates that have a page.

    Kept beside the stamp (a few megabytes at 10,000 articles): a line of JSON, then a line
    per fact, its digest and its _where as JSON. Between two stories with the same base it
    tells the pages an edit touched as _touched does, from digests: reading the last run's
    facts back would cost as much as most of the run it spares. A fact's digest is that of
    its text in facts.yaml when the index has one (FactIndex.fact_digests), else of its
    value; only the lines of the facts that changed are read as JSON, and only theirs are
    made anew.
    """

    base: str
    facts: dict[str, str]  # a fact's digest -> its _where as JSON
    dates: list[str]

    @classmethod
    def of(cls, st: _Story, last: _Footprint | None = None) -> _Footprint:
        """The footprint of `st`; `last` (of the same generator) lends its facts' lines."""
        base = _digest(
            (dataclasses.replace(st.index, facts=()), st.sources, [e.lang for e in st.editions])
        )
        facts = st.index.facts
        digests = st.index.fact_digests
        if digests is None or len(digests) != len(facts):
            digests = tuple(_digest(f) for f in facts)
        known = last.facts if last is not None else {}
        lines = {
            d: known.get(d) or json.dumps(_where(f), ensure_ascii=False, separators=(",", ":"))
            for d, f in zip(digests, facts, strict=True)
        }
        return cls(base, lines, list(st.dates))

    def to_text(self, key: str) -> str:
        """The footprint of the generation whose stamp holds `key`."""
        record = {"key": key, "base": self.base, "dates": self.dates}
        head = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        # (JSON escapes line breaks and tabs inside strings)
        return "".join([head, "\n", *(f"{d}\t{w}\n" for d, w in self.facts.items())])

    @classmethod
    def from_text(cls, text: str, key: str) -> _Footprint | None:
        """The footprint in `text` if it is that of the generation whose stamp holds `key`.

        Its facts are checked as touched() reads them: only the changed ones are.
        """
        head, _, body = text.partition("\n")
        try:
            data = json.loads(head)
            if data["key"] != key:
                return None
            base, dates = data["base"], data["dates"]
            # split("\n"), not splitlines(): JSON leaves U+2028 and U+0085 as they are
            facts = dict(line.split("\t") for line in body.split("\n")[:-1])
        except (ValueError, TypeError, KeyError):
            return None
        if not (
            isinstance(base, str)
            and isinstance(dates, list)
            and all(isinstance(d, str) for d in dates)
        ):
            return None
        return cls(base, facts, dates)

    def touched(self, new: _Footprint, source_by_file: dict[str, SourceMeta]) -> set[str] | None:
        """The (Arabic) pages that can differ from this footprint's story to `new`'s (as
        _touched tells them), or None when more than the facts changed, or this footprint
        (read back from a file) is damaged: everything then.
        source_by_file: the sources of both (the same, or the bases would differ)."""
        if new.base != self.base:
            return None
        sides = []
        for facts, other in ((self.facts, new.facts), (new.facts, self.facts)):
            wheres = [_checked_where(facts[d]) for d in facts.keys() - other.keys()]
            sides.append([w for w in wheres if w is not None])
            if len(sides[-1]) != len(wheres):
                return None
        return _pages_touched(*sides, source_by_file, self.dates, new.dates)


def _checked_where(line: str) -> tuple | None:
    """The _where written as JSON in a footprint's line, or None if it is not one (a
    footprint read back from a damaged file)."""
    try:
        actors, meeting, date, files, rejected = json.loads(line)
    except (TypeError, ValueError):
        return None
    ok = (
        isinstance(actors, list)
        and all(isinstance(a, str) for a in actors)
        and isinstance(meeting, str | None)
        and isinstance(date, str | None)
        and isinstance(files, list)
        and all(isinstance(f, str) for f in files)
        and isinstance(rejected, bool)
    )
    return (tuple(actors), meeting, date, tuple(files), rejected) if ok else None


def _untouched(last: _Footprint, st: _Story, now: _Footprint, intact: set[str]) -> set[str] | None:
    """The pages of `intact` (written by the run of footprint `last`, as it left them) that
    are, byte for byte, what `st` (of footprint `now`) would render there; None when `last`
    cannot tell (more than facts changed, or it is damaged)."""
    touched = last.touched(now, st.source_by_file)
    if touched is None:
        return None
    touched = {ed.page(p) for p in touched for ed in st.editions}
    return {rel for rel in intact if rel not in touched}


# --------------------------------------------------------------------------------------------
# Doing nothing when nothing changed


def _code_version() -> bytes:
    """The bytes of the code and templates a page depends on (reading, validating, rendering)."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('jinja2')} {version('markupsafe')}".encode())
    package = Path(__file__).parent
    for path in sorted(
        p for p in package.rglob("*") if p.suffix in (".py", ".j2", ".json") and p.is_file()
    ):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.digest()


def _code_key(english: bool) -> str:
    """A hash of the generator and of the editions generated: what a page is rendered with."""
    digest = hashlib.sha256(_code_version())
    digest.update(b"editions: ar en\0" if english else b"editions: ar\0")
    return digest.hexdigest()


def _inputs_key(code: str, inputs: Sequence[Path]) -> str:
    """A hash of the input files' bytes (a missing file counts as such) and of `code`
    (_code_key: the generator and the editions generated)."""
    digest = hashlib.sha256(code.encode())
    for path in inputs:
        digest.update(str(path).encode() + b"\0")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            digest.update(b"missing\0")
        else:
            digest.update(b"%d\0" % len(data) + data)
    return digest.hexdigest()


def _file_state(path: str | Path) -> list[int] | None:
    """A file's size and modification time (a path as text: tens of thousands of pages are
    asked about, and pathlib's joins cost more than the stats)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


@dataclass
class _Stamp:
    """What the last generation recorded (generate_if_changed), read back."""

    key: str  # _inputs_key of its inputs
    code: str | None  # _code_key it rendered with
    files: dict  # path in site_src/ -> [size, modification time] it left the file with
    site_src: Path

    def intact(self) -> set[str]:
        """The pages it wrote that still have the size and time it left them with (a stat of
        every page: only asked for when it can spare rendering them)."""
        root = os.path.join(self.site_src, "")
        return {
            rel
            for rel, state in self.files.items()
            if rel != MANIFEST and OWNED.match(rel) and _file_state(root + rel) == state
        }

    def holds(self) -> bool:
        """Whether every file it lists, the manifest too, is as it left it."""
        manifest = self.files[MANIFEST]
        return (
            _file_state(self.site_src / MANIFEST) == manifest
            and len(self.intact()) == len(self.files) - 1
        )


def _read_stamp(stamp: Path, site_src: Path) -> _Stamp | None:
    """The last generation's stamp, if it was made for this site_src/."""
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("site_src") != str(site_src.resolve()):
        return None
    files, key, code = data.get("files"), data.get("key"), data.get("code")
    if not isinstance(files, dict) or MANIFEST not in files or not isinstance(key, str):
        return None
    return _Stamp(key, code if isinstance(code, str) else None, files, site_src)


def _footprint_file(stamp: Path) -> Path:
    return stamp.with_name(stamp.stem + "-footprint.txt")


def generate_if_changed(
    inputs: Sequence[Path],
    site_src: Path,
    load: Callable[[], tuple[FactIndex, list[SourceMeta]]],
    stamp: Path,
    english: bool = False,
    incremental: Incremental | None = None,
) -> GenerateResult:
    """generate(*load(), site_src, english, incremental), unless the inputs, the editions and
    the generator are as last time; and after an edit of facts alone, only the pages it touched.

    `inputs` are the files `load` reads (facts.yaml, seeds/sources.yaml). `stamp` is where
    a generation records what it was made from (a hash of its inputs and of this code) and the
    size and modification time of every file it left; it lives outside site_src/ (in the
    untracked cache), since it is not a page and holds times. When the inputs' bytes and
    the generator's code hash to what the stamp recorded, and every page listed there still has
    the size and modification time it was left with, nothing is read, rendered or written.

    Otherwise facts.yaml is read again, and beside the stamp lies the last run's _Footprint:
    when only facts changed, the pages no changed fact shows on, and that are still as the
    last run left them, are neither rendered nor written (10,000 articles: a dozen pages
    rendered instead of 12,833). Anything else (an actor, a meeting or a source edited, an
    upgraded generator, another edition, a run interrupted while writing) renders everything,
    and writes only the pages that changed; a run refused for bad input changes nothing. Under `mkdocs serve`, `incremental` does that job in
    memory instead.
    """
    code = _code_key(english)
    key = _inputs_key(code, inputs)
    last = _read_stamp(stamp, site_src)
    if last is not None and last.key == key and last.holds():
        return GenerateResult(written=0, unchanged=len(last.files) - 1, removed=0)
    footprint_file = _footprint_file(stamp)
    previous = None
    reusable = last is not None and last.code == code and incremental is None
    intact = last.intact() if reusable else None
    if intact:
        try:
            text = footprint_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        footprint = _Footprint.from_text(text, last.key) if text else None
        if footprint is not None:
            previous = (footprint, intact)
    index, sources = load()  # input problems end it here, leaving the last stamp as it was
    stamp.unlink(missing_ok=True)  # (pages written from now on are not what it recorded)
    result, footprint, kept = _generate(
        index, sources, site_src, english, incremental, previous, footprint=True
    )
    pages = [*_read_manifest(site_src), MANIFEST]
    root = os.path.join(site_src, "")
    # (a page left alone is as intact() found it a moment ago: as the last stamp has it)
    files = {
        rel: last.files[rel] if last is not None and rel in kept else _file_state(root + rel)
        for rel in sorted(pages)
    }
    if all(files.values()):
        record = {"key": key, "code": code, "site_src": str(site_src.resolve()), "files": files}
        stamp.parent.mkdir(parents=True, exist_ok=True)
        if footprint is not None:
            atomic_write(footprint_file, footprint.to_text(key))
        else:
            footprint_file.unlink(missing_ok=True)
        # (the footprint's file of earlier versions, JSON: megabytes no version reads)
        stamp.with_name(stamp.stem + "-footprint.json").unlink(missing_ok=True)
        atomic_write(stamp, json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n")
    return result
