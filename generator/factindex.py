"""The fact index: load and validate facts.yaml, check it against the seeds, merge candidates.

facts.yaml is the one file editors curate by hand, through pull requests. Three promises follow
from that, and shape this module:

- every problem is reported at the LINE:COLUMN of the node at fault, all of them at once, so an
  editor fixes a pull request in one round instead of one error per CI run;
- `check` verifies what a reviewer cannot see at a glance: that every quote is really in its
  source, that ids resolve, that dates exist and are not later than the articles reporting them;
- `merge` (run by `explainer extract`) only ever *inserts text*: new candidates go at the end of
  `facts:` and `actors:`, and every byte an editor wrote stays where it was, comments included.
  Round-tripping through a YAML dumper would reflow quotes and drop comments, so it is not used.
"""

from __future__ import annotations

import calendar
import dataclasses
import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import fastjsonschema
import yaml

from . import ingest, itemwise, yamlio
from .arabic import normalize
from .model import (
    Actor,
    ActorCandidate,
    Article,
    Candidate,
    Extraction,
    Fact,
    FactIndex,
    FactSource,
    InputError,
    Meeting,
    Problem,
    SourceMeta,
)
from .project import Project
from .yamlio import Document

if TYPE_CHECKING:
    import jsonschema

SCHEMA_PATH = Path(__file__).parent / "schema" / "facts.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema=generator/schema/facts.schema.json"
FRESH_HEADER = (
    f"{SCHEMA_COMMENT}\n"
    "# The curated fact index of the site (docs/facts-format.md). `explainer extract` only adds\n"
    "# candidates (status: candidate) at the end of the lists: review, rewrite, merge or reject\n"
    "# them; a rejected candidate stays here so that it is not proposed again.\n"
)
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_LINE_BREAKS = "\n\r\x85\u2028\u2029"  # what YAML counts as a line break
_WIDTH = 2**31 - 1  # never fold a quote over several lines: editors grep for them

# ---------------------------------------------------------------------------------------------
# Schema validation


@cache
def _validator() -> jsonschema.Draft202012Validator:
    """jsonschema's validator, for the messages of an invalid file (imported then: a valid
    file, the common case, never needs it, and the import costs a twentieth of a second)."""
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@cache
def _fast_validator():
    """The same schema compiled to Python by fastjsonschema: about 20x faster on a valid file,
    which is what a 10,000-article index is almost every time it is read."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema)


def _did_you_mean(word: object, choices: Iterable[str], cutoff: float = 0.6) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _label(path: Iterable) -> str:
    """`facts[3].sources[0].quote`: the dotted path an editor can find in the file."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _type_name(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a yes/no value ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
    "integer": "a year",
}

_PATTERN_HELP = {
    SLUG_PATTERN: "is not a valid id: ids are lowercase ASCII slugs such as fayez-al-sarraj",
    r"^\d{4}(-\d{2}(-\d{2})?)?$": (
        'is not a date: write "YYYY-MM-DD", "YYYY-MM" or "YYYY" in quotes'
    ),
    r"^[^/\\.][^/\\]*$": "must be a plain file name inside seeds/ (no folder, not hidden)",
}


def _schema_problems(doc: Document, error: jsonschema.ValidationError) -> list[Problem]:
    """Turn one jsonschema error into located, editor-readable problems."""
    path = tuple(error.absolute_path)
    value = error.instance
    label = _label(path)
    # An empty value (`summary:`) has its mark on the next token; its key is where the eye goes.
    on_key = value is None

    def at(p: tuple, msg: str, key: bool = False) -> Problem:
        return doc.problem(p, msg, key=key)

    kind = error.validator
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for k in value:
            if k in allowed:
                continue
            hint = _did_you_mean(k, allowed)
            if not hint:
                hint = f"; allowed here: {', '.join(allowed)}"
            out.append(at((*path, k), f"unknown key {k!r} in {label}{hint}", key=True))
        return out
    if kind == "required" and isinstance(value, dict):
        return [
            at(path, f"{label}: missing required key {k!r}")
            for k in error.validator_value
            if k not in value
        ]
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        msg = f"{label}: expected {words}, found {_type_name(value)}"
        if "string" in expected and isinstance(value, (bool, int, float)):
            msg += " (put it in quotes: YAML reads yes/no/on/off and numbers as non-text)"
        return [at(path, msg, key=on_key)]
    if kind == "enum":
        allowed = [str(a) for a in error.validator_value]
        hint = _did_you_mean(value, allowed)
        return [
            at(path, f"{label}: {value!r} is not one of {', '.join(allowed)}{hint}", key=on_key)
        ]
    if kind == "pattern":
        help_ = _PATTERN_HELP.get(error.validator_value, f"does not match {error.validator_value}")
        return [at(path, f"{label}: {value!r} {help_}")]
    if kind == "minItems":
        return [at(path, f"{label}: needs at least {error.validator_value} entry", key=True)]
    if kind == "minLength":
        return [at(path, f"{label}: must not be empty")]
    if kind in ("minimum", "maximum"):
        return [at(path, f"{label}: {value!r} is not a year; write a date in quotes")]
    return [at(path, f"{label}: {error.message}")]


def validate_document(doc: Document) -> list[Problem]:
    """Schema problems of a parsed facts.yaml, located, in file order."""
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        return [
            doc.problem((), "facts.yaml must be a mapping with the keys actors, meetings, facts")
        ]
    try:
        _fast_validator()(doc.data)
        return []  # valid: the common case, checked by compiled code
    except fastjsonschema.JsonSchemaException:
        pass  # invalid: jsonschema below finds every error, with its path, for the messages
    problems: list[Problem] = []
    for error in _validator().iter_errors(doc.data):
        problems.extend(_schema_problems(doc, error))
    return _sorted(set(problems))


# ---------------------------------------------------------------------------------------------
# Conversion to the model


def _opt(value: object) -> str | None:
    """Optional text; an unquoted year (read by YAML as a number) becomes the text written."""
    if value is None:
        return None
    return str(value)


def _tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _sources(value: object) -> tuple[FactSource, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        FactSource(
            file=s["file"],
            quote=s["quote"],
            date=_opt(s.get("date")),
            note=s.get("note"),
            note_en=s.get("note_en"),
        )
        for s in value
    )


def _to_index(data: dict | None) -> FactIndex:
    """The validated data as model objects (the schema has guaranteed the shapes)."""
    data = data or {}
    actors = tuple(
        Actor(
            id=a["id"],
            name=a["name"],
            kind=a["kind"],
            aliases=_tuple(a.get("aliases")),
            role=a.get("role"),
            affiliation=a.get("affiliation"),
            name_en=a.get("name_en"),
            role_en=a.get("role_en"),
            status=a.get("status") or "reviewed",
            mentions=_tuple(a.get("mentions")),
        )
        for a in data.get("actors") or []
    )
    meetings = tuple(
        Meeting(
            id=m["id"],
            name=m["name"],
            place=m.get("place"),
            start=_opt(m.get("start")),
            end=_opt(m.get("end")),
            participants=_tuple(m.get("participants")),
            aliases=_tuple(m.get("aliases")),
            name_en=m.get("name_en"),
            place_en=m.get("place_en"),
            summary=m.get("summary"),
            summary_en=m.get("summary_en"),
        )
        for m in data.get("meetings") or []
    )
    facts = tuple(
        Fact(
            id=f["id"],
            date=_opt(f.get("date")),
            summary=f["summary"],
            sources=_sources(f.get("sources")),
            until=_opt(f.get("until")),
            expression=f.get("expression"),
            summary_en=f.get("summary_en"),
            actors=_tuple(f.get("actors")),
            meeting=f.get("meeting"),
            kind=f.get("kind") or "event",
            status=f.get("status") or "candidate",
            dispute=f.get("dispute"),
            dispute_en=f.get("dispute_en"),
            candidates=_tuple(f.get("candidates")),
        )
        for f in data.get("facts") or []
    )
    return FactIndex(
        actors=actors,
        meetings=meetings,
        facts=facts,
        story=data.get("story"),
        story_en=data.get("story_en"),
        title=data.get("title"),
        title_en=data.get("title_en"),
    )


def _convert_facts(items: list) -> list[Fact] | None:
    """Items of the facts list as Facts, or None if any breaks the schema (itemwise.read's
    convert: the schema checks the items one by one)."""
    if not _valid({"facts": items}):
        return None
    return list(_to_index({"facts": items}).facts)


@cache
def _itemwise_salt() -> bytes:
    """What an item's data and Fact depend on besides its text: the code that reads and
    converts it, the schema."""
    return itemwise.salt_of("factindex.py", f"schema/{SCHEMA_PATH.name}")


def _read_itemwise(
    text: str, display: str, cache: Path | None, whole: bool = True
) -> tuple[Document | None, FactIndex] | None:
    """_parse_valid's Document (None unless `whole`) and its FactIndex, the facts read item by
    item (generator/itemwise.py): from the cache for the items read before, in two processes
    where many are new. None when the file is small, has not the shape for it, or has any
    problem: the caller then reads it whole, for the same messages as ever.

    Reading 40 MB of YAML was the longest step of a large story's generation and build
    (10,000 articles: 4 s of one core) even when an edit had changed one fact of 70,000.
    """
    got = itemwise.read(
        text, display, "facts", _convert_facts, cache, _itemwise_salt(), items=whole
    )
    if got is None:
        return None
    data = got.doc.data
    assert isinstance(data, dict)
    head = {k: v for k, v in data.items() if k != "facts"}
    if not _valid({**head, "facts": []}):
        return None
    index = dataclasses.replace(
        _to_index(head),
        facts=tuple(got.values),
        fact_digests=tuple(d.hex() for d in got.digests),
    )
    return (got.doc if whole else None), index


def _valid(data: object) -> bool:
    try:
        _fast_validator()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _parse_valid(text: str, display: str, cache: Path | None = None) -> Document:
    """Parse and schema-validate facts.yaml text; raises InputError with every problem."""
    read = _read_itemwise(text, display, cache)
    return read[0] if read is not None else _parse_whole(text, display)


def _parse_whole(text: str, display: str) -> Document:
    """_parse_valid in one process: every problem found, located."""
    doc = yamlio.load(text, display)
    problems = validate_document(doc)
    if problems:
        raise InputError(problems)
    return doc


def load_index(path: Path, display: str = "facts.yaml", cache: Path | None = None) -> FactIndex:
    """Read and validate facts.yaml (syntax and schema); a missing file is an empty index.

    References, quotes and dates are `check_project`'s business: they need the seeds, and a
    dangling reference should not stop `extract` from adding candidates.
    """
    return read_index(path, display, cache, whole=False).index


@dataclass(frozen=True)
class LoadedIndex:
    """facts.yaml as read: its text, its parse and its index, and its file status at that time.

    extract reads the index once, at its start, and hands this to `merge`, which refuses to
    write if the file is no longer these bytes: an editor's save during a long extract is
    never overwritten, and the file is parsed once instead of twice.
    """

    text: str | None
    doc: Document | None
    index: FactIndex
    stat: os.stat_result | None


def read_index(
    path: Path, display: str = "facts.yaml", cache: Path | None = None, whole: bool = True
) -> LoadedIndex:
    """Read and validate facts.yaml (see `load_index`), keeping what `merge` needs.

    `cache`: a folder for the facts already read (Project.facts_cache), so that a large
    file is read again only where it changed; None reads it all. Without `whole`, the
    Document may be None (read item by item, its facts' data are not made: only the
    index is wanted)."""
    if not path.exists():
        return LoadedIndex(None, None, FactIndex(actors=(), meetings=(), facts=()), None)
    stat = path.stat()
    text = yamlio.read_text_file(path, display)
    read = _read_itemwise(text, display, cache, whole)
    if read is not None:
        return LoadedIndex(text, *read, stat)
    doc = _parse_whole(text, display)
    return LoadedIndex(text, doc, _to_index(doc.data), stat)


# ---------------------------------------------------------------------------------------------
# check


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(
        problems,
        key=lambda p: (p.path, p.line or 0, p.column or 0, p.severity, p.message),
    )


def _collapse(text: str) -> str:
    """Whitespace-insensitive form: runs of whitespace (NBSP and newlines too) become a space."""
    return " ".join(text.split())


def _date_error(value: str) -> str | None:
    """Why a well-formed YYYY[-MM[-DD]] names no real date, or None."""
    parts = [int(p) for p in value.split("-")]
    if parts[0] == 0:
        return f"{value!r} is not a date: there is no year 0"
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return f"{value!r} is not a date: there is no month {parts[1]:02d}"
    if len(parts) > 2:
        days = calendar.monthrange(parts[0], parts[1])[1]
        if not 1 <= parts[2] <= days:
            return (
                f"{value!r} is not a date: {calendar.month_name[parts[1]]} {parts[0]} "
                f"has {days} days"
            )
    return None


def _later(a: str, b: str) -> bool:
    """Is `a` after `b` at the coarser of their granularities ("2020-02" is not after the 20th)."""
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def _entries(data: dict, section: str) -> Iterator[tuple[int, dict]]:
    value = data.get(section)
    if isinstance(value, list):
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                yield i, entry


def _date_value(value: object) -> str | None:
    """A date as text if it is well formed (else the schema has already said why)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and DATE_RE.match(value):
        return value
    return None


@dataclass
class _Seeds:
    """What check knows about seeds/: the listed sources and the articles that read cleanly."""

    metas: dict[str, SourceMeta] | None  # None when sources.yaml itself is broken
    articles: dict[str, Article] = field(default_factory=dict)
    collapsed: dict[str, str] = field(default_factory=dict)


def _check_seeds(project: Project, problems: list[Problem], progress: Progress | None) -> _Seeds:
    display_dir = project.display(project.seeds)
    try:
        metas = ingest.load_sources(project.seeds, display_dir)
    except InputError as e:
        problems.extend(e.problems)
        return _Seeds(None)
    seeds = _Seeds({m.file: m for m in metas})
    update = progress(len(metas), "reading seeds") if progress else None
    for done, meta in enumerate(sorted(metas, key=lambda m: m.file), 1):
        if update:
            update(done)
        try:
            article = ingest.read_article(project.seeds, meta, display_dir)
        except InputError as e:
            problems.extend(e.problems)
            continue
        seeds.articles[meta.file] = article
        seeds.collapsed[meta.file] = _collapse(article.raw)
    problems.extend(ingest.unlisted_files(project.seeds, metas, display_dir))
    return seeds


def _check_ids(doc: Document, data: dict, problems: list[Problem]) -> None:
    """Duplicate ids within actors, meetings and facts; candidate ids claimed twice.

    Entries are remembered by index and their line looked up only when a problem names it:
    a valid index (the usual case) never pays for a table of positions.
    """

    def line_of(section: str, i: int) -> int | None:
        return doc.where((section, i, "id"))[0]

    for section, what in (("actors", "actor"), ("meetings", "meeting"), ("facts", "fact")):
        first: dict[str, int] = {}
        for i, entry in _entries(data, section):
            ident = entry.get("id")
            if not isinstance(ident, str):
                continue
            if ident in first:
                problems.append(
                    doc.problem(
                        (section, i, "id"),
                        f"duplicate {what} id {ident!r}: first defined at line "
                        f"{line_of(section, first[ident])}",
                    )
                )
            else:
                first[ident] = i
    claimed: dict[str, tuple[str, int]] = {}
    for i, entry in _entries(data, "facts"):
        cands = entry.get("candidates")
        if not isinstance(cands, list):
            continue
        for j, cid in enumerate(cands):
            if not isinstance(cid, str):
                continue
            if cid in claimed:
                owner, at = claimed[cid]
                problems.append(
                    doc.problem(
                        ("facts", i, "candidates", j),
                        f"candidate {cid!r} is already listed by fact {owner!r} at line "
                        f"{line_of('facts', at)}",
                        severity="warning",
                    )
                )
            else:
                claimed[cid] = (str(entry.get("id")), i)
    for i, entry in _entries(data, "facts"):
        ident = entry.get("id")
        if isinstance(ident, str) and ident in claimed and entry.get("status") != "rejected":
            owner, at = claimed[ident]
            if owner != ident:
                problems.append(
                    doc.problem(
                        ("facts", i, "id"),
                        f"fact {ident!r} is merged into fact {owner!r} (its candidates, line "
                        f"{line_of('facts', at)}) but is still here: delete it or set "
                        "status: rejected",
                        severity="warning",
                    )
                )


def _check_references(doc: Document, data: dict, problems: list[Problem]) -> None:
    """Actor and meeting ids that name nothing, with the closest existing id."""
    actor_ids = {e["id"] for _, e in _entries(data, "actors") if isinstance(e.get("id"), str)}
    meeting_ids = {e["id"] for _, e in _entries(data, "meetings") if isinstance(e.get("id"), str)}

    rejected = {
        e["id"]
        for _, e in _entries(data, "actors")
        if isinstance(e.get("id"), str) and e.get("status") == "rejected"
    }

    def ref(path: tuple, value: object, known: set[str], what: str) -> None:
        if isinstance(value, str) and value not in known:
            problems.append(
                doc.problem(path, f"unknown {what} id {value!r}{_did_you_mean(value, known)}")
            )
        elif what == "actor" and value in rejected:
            problems.append(
                doc.problem(
                    path, f"actor {value!r} is rejected (status: rejected)", severity="warning"
                )
            )

    def refs(path: tuple, values: object, known: set[str], what: str) -> None:
        if isinstance(values, list):
            for j, v in enumerate(values):
                ref((*path, j), v, known, what)

    for i, a in _entries(data, "actors"):
        ref(("actors", i, "affiliation"), a.get("affiliation"), actor_ids, "actor")
    for i, m in _entries(data, "meetings"):
        refs(("meetings", i, "participants"), m.get("participants"), actor_ids, "actor")
    for i, f in _entries(data, "facts"):
        refs(("facts", i, "actors"), f.get("actors"), actor_ids, "actor")
        ref(("facts", i, "meeting"), f.get("meeting"), meeting_ids, "meeting")


def _check_dates(doc: Document, data: dict, problems: list[Problem]) -> None:
    """Dates that do not exist, and ranges that end before they start."""

    def pair(path: tuple, entry: dict, start_key: str, end_key: str) -> None:
        valid: dict[str, str] = {}
        for key in (start_key, end_key):
            value = _date_value(entry.get(key))
            if value is None:
                continue
            err = _date_error(value)
            if err:
                problems.append(doc.problem((*path, key), err))
            else:
                valid[key] = value
        if start_key in valid and end_key in valid and _later(valid[start_key], valid[end_key]):
            problems.append(
                doc.problem(
                    (*path, end_key),
                    f"{end_key} {valid[end_key]!r} is before {start_key} {valid[start_key]!r}",
                )
            )

    for i, m in _entries(data, "meetings"):
        pair(("meetings", i), m, "start", "end")
    for i, f in _entries(data, "facts"):
        pair(("facts", i), f, "date", "until")
        sources = f.get("sources")
        if isinstance(sources, list):
            for j, s in enumerate(sources):
                value = _date_value(s.get("date")) if isinstance(s, dict) else None
                err = _date_error(value) if value else None
                if err:
                    problems.append(doc.problem(("facts", i, "sources", j, "date"), err))


def _check_publication(doc: Document, data: dict, seeds: _Seeds, problems: list[Problem]) -> None:
    """A source cannot report (as done or said) something dated after it was published."""
    if seeds.metas is None:
        return
    for i, f in _entries(data, "facts"):
        if f.get("kind") == "plan" or not isinstance(f.get("sources"), list):
            continue
        fact_date = _date_value(f.get("date"))
        for j, s in enumerate(f["sources"]):
            if not isinstance(s, dict):
                continue
            file = s.get("file")
            meta = seeds.metas.get(file) if isinstance(file, str) else None
            if meta is None or meta.published is None:
                continue
            own = _date_value(s.get("date"))
            value, path = (
                (own, ("facts", i, "sources", j, "date"))
                if own
                else (fact_date, ("facts", i, "date"))
            )
            if value is None or _date_error(value):
                continue
            published = meta.published.isoformat()
            if _later(value, published):
                problems.append(
                    doc.problem(
                        path,
                        f"date {value!r} is after the publication of {meta.file} ({published}), "
                        "which reports it; only a plan (kind: plan) can be dated after its source",
                    )
                )


def _closest_sentence(quote: str, article: Article) -> str | None:
    """The sentence of `article` that holds most of `quote` in order, if one holds most of it."""
    best, best_score = None, 0.0
    for sentence in article.sentences:
        text = _collapse(sentence.text)
        matcher = difflib.SequenceMatcher(None, quote, text, autojunk=False)
        found = sum(b.size for b in matcher.get_matching_blocks() if b.size >= 3)
        score = found / max(len(quote), 1)
        if score > best_score:
            best, best_score = text, score
    if best is None or best_score < 0.6:
        return None
    return best if len(best) <= 300 else best[:300] + "…"


def _check_quotes(doc: Document, data: dict, seeds: _Seeds, problems: list[Problem]) -> None:
    """Every cited file is listed in sources.yaml and every quote is in it verbatim."""
    if seeds.metas is None:
        return
    listed = sorted(seeds.metas)
    for section in ("facts", "actors"):
        for i, entry in _entries(data, section):
            sources = entry.get("sources")
            if not isinstance(sources, list):
                continue
            for j, s in enumerate(sources):
                if not isinstance(s, dict) or not isinstance(s.get("file"), str):
                    continue
                path = (section, i, "sources", j)
                file = s["file"]
                if file not in seeds.metas:
                    problems.append(
                        doc.problem(
                            (*path, "file"),
                            f"{file!r} is not listed in seeds/sources.yaml"
                            f"{_did_you_mean(file, listed)}",
                        )
                    )
                    continue
                quote = s.get("quote")
                if not isinstance(quote, str) or file not in seeds.articles:
                    continue  # no quote is a schema error; an unreadable article is reported
                wanted = _collapse(quote)
                if wanted and wanted in seeds.collapsed[file]:
                    continue
                elsewhere = [f for f, text in seeds.collapsed.items() if wanted and wanted in text]
                msg = f"quote not found in {file}"
                if elsewhere:
                    msg += f"; it is in {', '.join(sorted(elsewhere))}"
                else:
                    closest = _closest_sentence(wanted, seeds.articles[file])
                    if closest:
                        msg += f"; closest text in the source: {closest}"
                problems.append(doc.problem((*path, "quote"), msg))


def index_problems(loaded: LoadedIndex) -> list[Problem]:
    """What check_project finds in facts.yaml alone, without the seeds: duplicate ids,
    references to unknown actors and meetings, impossible dates.

    The MkDocs hook reports these while it builds: a schema-valid facts.yaml can still name an
    actor that does not exist, and the page would then silently leave that name out.
    """
    problems: list[Problem] = []
    if loaded.doc is not None and isinstance(loaded.doc.data, dict):
        _check_ids(loaded.doc, loaded.doc.data, problems)
        _check_references(loaded.doc, loaded.doc.data, problems)
        _check_dates(loaded.doc, loaded.doc.data, problems)
    return _sorted(set(problems))


# A progress bar factory (total, description) -> update(done), as the command line makes one
# on a terminal; None where nobody watches.
Progress = Callable[[int, str], Callable[[int], None] | None]


def check_project(project: Project, progress: Progress | None = None) -> list[Problem]:
    """Every problem of seeds/sources.yaml, the seeds and facts.yaml, errors and warnings.

    Problems are collected rather than raised so that an editor sees them all at once; facts.yaml
    is checked on its raw data (with type guards), so a schema error in one entry does not hide
    a misquoted source in another. Reading the seeds is most of a large project's check, hence
    the progress bar over them.
    """
    problems: list[Problem] = []
    seeds = _check_seeds(project, problems, progress)
    display = project.display(project.facts)
    if not project.facts.exists():
        problems.append(
            Problem(
                display,
                None,
                None,
                "no facts.yaml yet: `explainer extract` writes one with candidate facts",
                severity="warning",
            )
        )
        return _sorted(problems)
    try:
        text = yamlio.read_text_file(project.facts, display)
        read = _read_itemwise(text, display, project.facts_cache)  # a valid file, or None
        doc = read[0] if read is not None else yamlio.load(text, display)
    except InputError as e:
        problems.extend(e.problems)
        return _sorted(problems)
    if read is None:
        problems.extend(validate_document(doc))
    if isinstance(doc.data, dict):
        _check_ids(doc, doc.data, problems)
        _check_references(doc, doc.data, problems)
        _check_dates(doc, doc.data, problems)
        _check_publication(doc, doc.data, seeds, problems)
        _check_quotes(doc, doc.data, seeds, problems)
    return _sorted(set(problems))


# ---------------------------------------------------------------------------------------------
# merge


@dataclass(frozen=True)
class MergeResult:
    """What a merge added; `text_changed` is False when facts.yaml was left byte-identical."""

    added_facts: int
    added_actors: int
    text_changed: bool
    fact_ids: tuple[str, ...] = ()
    actor_ids: tuple[str, ...] = ()


def _candidate_entry(c: Candidate) -> dict:
    entry: dict = {"id": c.id, "date": c.date}
    if c.until is not None:
        entry["until"] = c.until
    entry["expression"] = c.expression
    entry["summary"] = _collapse(c.quote)
    entry["actors"] = list(c.actors)
    if c.meeting is not None:
        entry["meeting"] = c.meeting
    entry["kind"] = c.kind
    entry["status"] = "candidate"
    entry["sources"] = [{"file": c.file, "quote": c.quote}]
    return entry


def _actor_entry(a: ActorCandidate) -> dict:
    return {
        "id": a.id,
        "name": a.name,
        "kind": "person",
        "role": a.role,
        "status": "candidate",
        "aliases": [a.name],
        "sources": [{"file": a.file, "quote": a.quote}],
    }


# A string that can be written as a plain YAML scalar exactly as it is: no indicator first, no
# ": " or " #" inside, no control or line-break character, no space or colon last. PyYAML's
# emitter decides the same thing, but at a cost that dominates extract on large corpora.
_PLAIN_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|: | #")
_RESOLVER = yaml.resolver.Resolver()
# Characters that can end or change a plain scalar inside [ ] (PyYAML's pure-Python scanner and
# libyaml disagree on some, such as "?"): an item holding any of them is quoted.
_FLOW_INDICATORS = re.compile(r"[\[\]{},?:#&*!|>'\"%@`]")


def _plain_ok(value: str) -> bool:
    if (
        not value
        or value[0] in _PLAIN_FIRST
        or value[0].isspace()
        or value[-1] == ":"
        or value[-1].isspace()
        or _NOT_PLAIN.search(value)
    ):
        return False
    # an ASCII word may read as another type (yes, null, 12, 1e3): let PyYAML quote it
    return not value.isascii() or (
        _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"
    )


def _flow_item(value: str) -> str:
    """A string inside a flow list: plain when it can be, else double-quoted with escapes."""
    if _plain_ok(value) and not _FLOW_INDICATORS.search(value):
        return value
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=_WIDTH).strip()


def _scalar(value: object, key: str) -> str:
    """One value in YAML on one line: dates always quoted, the rest as plain as PyYAML allows."""
    if key in ("date", "until") and isinstance(value, str) and DATE_RE.match(value):
        return f'"{value}"'
    if isinstance(value, str) and _plain_ok(value):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(_flow_item(v) for v in value) + "]"
    if isinstance(value, list):
        if not value:
            return "[]"
        return yaml.safe_dump(
            value, default_flow_style=True, allow_unicode=True, width=_WIDTH
        ).strip()
    if isinstance(value, str) and any(ch in value for ch in _LINE_BREAKS):
        # double quotes keep a multi-line value on one line, its breaks written as escapes
        return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=_WIDTH).strip()
    line = yaml.safe_dump(
        {key: value}, default_flow_style=False, allow_unicode=True, width=_WIDTH, sort_keys=False
    ).rstrip("\n")
    return line[len(key) + 1 :].lstrip(" ")


def _render_block(entry: dict, indent: str, nl: str, memo: dict | None = None) -> str:
    """An entry as a block sequence item at `indent`, in the fixed readable style.

    `memo` keeps the rendering of values across entries: kinds, statuses, file names and
    lists of actors repeat thousands of times in a large merge."""
    memo = {} if memo is None else memo

    def scalar(value: object, key: str) -> str:
        if value is None or isinstance(value, str):
            memo_key: object = (key, value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            memo_key = (key, tuple(value))
        else:  # numbers (1 == True == 1.0 as keys) and nested values: rendered each time
            return _scalar(value, key)
        if memo_key not in memo:
            memo[memo_key] = _scalar(value, key)
        return memo[memo_key]

    lines: list[str] = []
    first = True
    for key, value in entry.items():
        lead = f"{indent}- " if first else f"{indent}  "
        first = False
        if key == "sources":
            lines.append(f"{lead}sources:")
            for src in value:
                inner = f"{indent}    "
                sub_first = True
                for k, v in src.items():
                    lines.append(f"{inner}{'- ' if sub_first else '  '}{k}: {scalar(v, k)}")
                    sub_first = False
        else:
            lines.append(f"{lead}{key}: {scalar(value, key)}")
    return "".join(line + nl for line in lines)


def _render_flow(entry: dict) -> str:
    return yaml.safe_dump(
        entry, default_flow_style=True, allow_unicode=True, width=_WIDTH, sort_keys=False
    ).strip()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer(r"\n", text))
    return starts


def _index_of(text: str, line: int, column: int) -> int:
    """Offset of a 1-based (line, column) mark (marks count code points, as str does)."""
    return _line_starts(text)[line - 1] + column - 1


def _end_of_line(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl + 1


def _block_indent(doc: Document, text: str, section: str) -> str:
    """The indentation of this list's items, else of the file's other lists, else two spaces."""
    for name in (section, "facts", "actors", "meetings"):
        start = doc.seq_starts.get((name,))
        if start and text[start[2] : start[2] + 1] == "-":
            return " " * start[1]
    return "  "


def _insert(text: str, doc: Document, section: str, entries: list[dict]) -> tuple[str, bool]:
    """`text` with `entries` inserted at the end of the top-level list `section`, and no other
    change than what that insertion needs (an empty `[]` or `null` value is replaced).

    The flag says the entries went in as whole lines after the last item of a block list, at
    that list's indentation: YAML can then only read them as more items of the same list, so
    checking the rendered block alone proves the result (see `merge`)."""
    nl = "\r\n" if "\r\n" in text else "\n"
    data = doc.data if isinstance(doc.data, dict) else {}
    indent = _block_indent(doc, text, section)
    memo: dict = {}
    block = "".join(_render_block(e, indent, nl, memo) for e in entries)
    if section not in data:
        if text and not text.endswith("\n"):
            text += nl
        return f"{text}{section}:{nl}{block}", False
    value = data[section]
    key_line, key_col = doc.key_marks[(section,)]
    key_pos = _index_of(text, key_line, key_col)
    if value:  # a non-empty list (the schema allows nothing else)
        _, _, start = doc.seq_starts[(section,)]
        _, _, end = doc.seq_ends[(section,)]
        if text[start] == "[":  # a flow list: stay in flow style
            close = end - 1
            before = text[start + 1 : close].rstrip()
            sep = "" if before.endswith((",", "[")) or not before else ", "
            items = ", ".join(_render_flow(e) for e in entries)
            return text[:close] + sep + items + text[close:], False
        pos = _after_last_content_line(text, start, end)
        if pos > 0 and text[pos - 1] != "\n":
            return text[:pos] + nl + block + text[pos:], False
        return text[:pos] + block + text[pos:], True
    # empty: `facts: []`, `facts: null`, `facts: ~` or `facts:`; drop the empty value
    if (section,) in doc.seq_starts:
        cut_from, cut_to = doc.seq_starts[(section,)][2], doc.seq_ends[(section,)][2]
    else:
        line, col = doc.marks[(section,)]
        vpos = _index_of(text, line, col)
        literal = re.match(r"null|Null|NULL|~", text[vpos:])
        same_line = "\n" not in text[key_pos:vpos]
        cut_from, cut_to = (vpos, vpos + literal.end()) if literal and same_line else (0, 0)
    if cut_to > cut_from and not text[cut_to : _end_of_line(text, cut_to)].strip():
        while cut_from > key_pos and text[cut_from - 1] in " \t":  # no trailing blanks left
            cut_from -= 1
    text = text[:cut_from] + text[cut_to:]
    eol = _end_of_line(text, key_pos)
    if eol == len(text) and not text.endswith("\n"):
        text += nl
        eol = len(text)
    # a top-level key alone on its line, items indented under it: they can only be its value
    rest_of_key_line = text[key_pos + len(section) + 1 : eol].strip()
    provable = key_col == 1 and (not rest_of_key_line or rest_of_key_line.startswith("#"))
    return text[:eol] + block + text[eol:], provable


def _after_last_content_line(text: str, start: int, end: int) -> int:
    """Where a block list's last item ends: after its last line that is neither blank nor a
    comment, so that comments and blank lines before the next key stay with that key."""
    lines = [m.group() for m in re.finditer(r"[^\n]*\n?", text[start:end]) if m.group()]
    pos = end
    for line in reversed(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return pos
        pos -= len(line)
    return end


def _expected(old: object, section: str, entries: list[dict]) -> list:
    base = old.get(section) if isinstance(old, dict) else None
    return [*(base or []), *entries]


def _verify(old: object, new: object, added: dict[str, list[dict]]) -> bool:
    """The new data is exactly the old one with the new entries at the end of their lists."""
    old_map = old if isinstance(old, dict) else {}
    if not isinstance(new, dict):
        return False
    for key in set(old_map) | set(new):
        if added.get(key):
            if new.get(key) != _expected(old_map, key, added[key]):
                return False
        elif new.get(key) != old_map.get(key):
            return False
    return True


# How many new entries merge re-reads after rendering them. A normal run adds far fewer and
# re-reads them all; the first extract of a 10,000-article corpus adds ~70,000, where re-reading
# every one would double the run. Each value's rendering is proved on its own by property
# tests (tests/test_factindex.py); the re-read guards the layout, which every entry shares.
REREAD_SAMPLE = 2000


def _block_reads_as(entries: list[dict]) -> bool:
    """Whether the entries, rendered as a block of list items, read back as exactly themselves
    (all of them, or an evenly spaced sample of REREAD_SAMPLE when there are more)."""
    if len(entries) > REREAD_SAMPLE:
        step = len(entries) / REREAD_SAMPLE
        entries = [entries[int(i * step)] for i in range(REREAD_SAMPLE)]
    memo: dict = {}
    block = "".join(_render_block(e, "", "\n", memo) for e in entries)
    try:
        return yamlio.load(block, "<block>").data == entries
    except InputError:
        return False


def _new_entries(
    data: dict, extractions: list[Extraction]
) -> tuple[list[Candidate], list[ActorCandidate]]:
    """The candidates whose ids are not known yet, deduplicated, in a fixed order."""
    known: set[str] = set()
    for f in data.get("facts") or []:
        known.add(f["id"])
        known.update(f.get("candidates") or [])
    actor_ids: set[str] = set()
    names: set[str] = set()
    for a in data.get("actors") or []:
        actor_ids.add(a["id"])
        names.add(normalize(a["name"]))
        # (as Actor.matched: the name, the aliases, the mentions)
        names.update(normalize(n) for key in ("aliases", "mentions") for n in a.get(key) or [])
    known |= actor_ids

    cands: dict[str, Candidate] = {}
    for c in sorted(
        (c for e in extractions for c in e.candidates), key=lambda c: (c.date or "", c.file, c.id)
    ):
        if c.id not in known and c.id not in cands:
            cands[c.id] = c
    actors: dict[str, ActorCandidate] = {}
    for a in sorted(
        (a for e in extractions for a in e.actor_candidates), key=lambda a: (a.file, a.id)
    ):
        folded = normalize(a.name)
        if a.id in known or a.id in actors or folded in names:
            continue
        actors[a.id] = a
        names.add(folded)
    return list(cands.values()), list(actors.values())


def merge(
    path: Path,
    extractions: list[Extraction],
    display: str = "facts.yaml",
    *,
    _before_write: Callable[[], None] | None = None,
    base: LoadedIndex | None = None,
    cache: Path | None = None,
) -> MergeResult:
    """Insert new candidate facts and actors into facts.yaml as text; keep every other byte.

    Known ids (docs/facts-format.md) are never proposed again, so merging twice equals merging
    once and leaves the file byte-identical. If the file changes on disk while this runs (an
    editor saving it), nothing is written: losing their edit would be worse than re-running.
    `_before_write` lets tests change the file at exactly that moment. `base` is the file as
    the caller read it before extracting (see `LoadedIndex`). `cache`: as for read_index.
    """
    if base is None:
        base = read_index(path, display, cache)
    existed = base.text is not None
    if base.text is not None and base.doc is not None:
        stat = base.stat
        text = base.text
        original: bytes | None = text.encode("utf-8")
        doc = base.doc
    else:
        stat = None
        original = None
        text = FRESH_HEADER + "actors: []\nmeetings: []\nfacts: []\n"
        doc = yamlio.load(text, display)
    data = doc.data if isinstance(doc.data, dict) else {}
    old_data = doc.data
    cands, actor_cands = _new_entries(data, extractions)
    fact_entries = [_candidate_entry(c) for c in cands]
    actor_entries = [_actor_entry(a) for a in actor_cands]

    new_text = text
    blocks_prove_it = True
    # Insert into the section that comes last in the file first: the positions the parse
    # recorded for the other one stay true, so the file is parsed once, not once per section.
    pending = [("facts", fact_entries), ("actors", actor_entries)]
    pending = [(name, entries) for name, entries in pending if entries]
    missing = [name for name, _ in pending if (name,) not in doc.key_marks]
    if len(pending) == 2 and missing:  # a section will be created: keep it simple, re-parse
        new_text, _ = _insert(new_text, doc, "facts", fact_entries)
        doc = yamlio.load(new_text, display)
        new_text, _ = _insert(new_text, doc, "actors", actor_entries)
        blocks_prove_it = False
    else:
        pending.sort(key=lambda item: doc.key_marks.get((item[0],), (0, 0)), reverse=True)
        for name, entries in pending:
            new_text, appended = _insert(new_text, doc, name, entries)
            blocks_prove_it = blocks_prove_it and appended and _block_reads_as(entries)
    if new_text != text and blocks_prove_it:
        pass  # appended at the end of block lists: re-reading the whole file proves nothing more
    elif new_text != text:
        try:
            new_doc = _parse_valid(new_text, display, cache)
        except InputError as e:
            note = Problem(display, None, None, "the new candidates are not valid; nothing written")
            raise InputError([note, *e.problems]) from None
        added = {"facts": fact_entries, "actors": actor_entries}
        if not _verify(old_data, new_doc.data, added):
            raise InputError(
                [
                    Problem(
                        display,
                        None,
                        None,
                        "could not add the candidates without changing existing entries "
                        "(unusual layout at the end of facts: or actors:); nothing was written",
                    )
                ]
            )
    if existed and new_text == text:
        return MergeResult(0, 0, False)

    if _before_write is not None:
        _before_write()
    _refuse_if_changed(path, display, original, stat)
    changed = yamlio.atomic_write(path, new_text)
    return MergeResult(
        added_facts=len(cands),
        added_actors=len(actor_cands),
        text_changed=changed,
        fact_ids=tuple(c.id for c in cands),
        actor_ids=tuple(a.id for a in actor_cands),
    )


def _refuse_if_changed(
    path: Path, display: str, original: bytes | None, stat: os.stat_result | None
) -> None:
    """Raise if facts.yaml is not, byte for byte and by mtime, what merge started from."""
    try:
        now = path.stat()
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        now, current = None, None
    same = current == original and (
        stat is None
        or now is None
        or (now.st_mtime_ns == stat.st_mtime_ns and now.st_size == stat.st_size)
    )
    if not same:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    f"{display} changed on disk while extract ran; nothing was written, "
                    "run extract again",
                )
            ]
        )
