"""Plain data classes passed between the pipeline stages.

The pipeline runs one way: ingest -> extract -> fact index -> pages -> site. Each stage takes
and returns only these classes (never another stage's internals), so that a stage can be
replaced or run elsewhere (in a worker process, on a cluster) without dragging the others along.
All of them are frozen and hold only builtins, dates and tuples: they pickle cheaply and compare
by value, which the determinism and caching of later stages rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date


class _PickledByFields:
    """Pickled as its class and its field values, in order (unpickling calls the class).

    Why: dataclass's own pickling of a slots class looks its fields up again for every object
    it reads back. The cache of facts.yaml (generator/itemwise.py) holds about 150,000 facts
    and citations on a story of 10,000 articles, read back by every `explainer generate`:
    that look-up was half of their reading.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple:
        return (type(self), tuple(getattr(self, f.name) for f in fields(self)))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Problems: every stage reports bad input the same way, as PATH:LINE:COLUMN: message.


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the stage can."""

    path: str
    line: int | None = None
    column: int | None = None
    message: str = ""
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        """The `PATH:LINE:COLUMN: message` form that editors' tools and CONTRACTS.md expect."""
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{loc}: {prefix}{self.message}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so problems show on the pull request's lines."""
        kind = "warning" if self.severity == "warning" else "error"
        parts = [f"file={self.path}"]
        if self.line is not None:
            parts.append(f"line={self.line}")
            if self.column is not None:
                parts.append(f"col={self.column}")
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {','.join(parts)}::{msg}"


class InputError(Exception):
    """Raised by any stage when its input is wrong; the CLI prints the problems and exits 1."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------------------------
# Ingest


@dataclass(frozen=True, slots=True)
class SourceMeta(_PickledByFields):
    """One entry of seeds/sources.yaml: what an editor established about an article."""

    file: str
    id: str
    outlet: str | None
    published: date | None
    sha256: str
    url: str | None = None
    basis: str | None = None
    title: str | None = None
    outlet_en: str | None = None  # the outlet's name in English, for the English edition


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article; start/end are code-point offsets into the raw text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """An article as read: the raw text (evidence, never altered) and its cleaned sentences."""

    meta: SourceMeta
    raw: str
    title: str
    sentences: tuple[Sentence, ...]
    parsed: bool = True  # False: checked and decoded, sentences not split yet (ingest.read_corpus)


# --------------------------------------------------------------------------------------------
# Extract


@dataclass(frozen=True)
class DateMention:
    """A temporal expression found in a text, resolved at the granularity the text gives.

    `value` and `until` are ISO strings (YYYY, YYYY-MM or YYYY-MM-DD) or None when the
    expression cannot be resolved (a relative one without a publication date).
    """

    text: str
    start: int
    end: int
    value: str | None
    until: str | None = None
    granularity: str = "day"  # "day", "month" or "year"
    kind: str = "absolute"  # "absolute", "relative", "weekday", "anaphora", "range", "dateline"
    qualifier: str | None = None  # "early", "mid", "late", "past", "next", "current"
    time: str | None = None  # "HH:MM" or a part of day: "morning", "evening", "night", "dawn"

    def to_json(self) -> dict:
        """The object `explainer dates` prints (CONTRACTS.md), extra keys included."""
        out: dict = {"text": self.text, "start": self.start, "end": self.end, "value": self.value}
        if self.until is not None:
            out["until"] = self.until
        out["granularity"] = self.granularity
        out["kind"] = self.kind
        if self.qualifier is not None:
            out["qualifier"] = self.qualifier
        if self.time is not None:
            out["time"] = self.time
        return out


@dataclass(frozen=True, slots=True)
class Actor(_PickledByFields):
    """A person, organisation, country or body of the story."""

    id: str
    name: str
    kind: str  # person / organisation / country / body
    aliases: tuple[str, ...] = ()
    role: str | None = None
    affiliation: str | None = None
    name_en: str | None = None
    role_en: str | None = None
    status: str = "reviewed"  # "candidate" for actors proposed by extract
    # phrases that find the actor in an article without being one of its names (a metonym in
    # its context: "قالت موسكو" for Russia): matched like aliases, never shown as a name
    mentions: tuple[str, ...] = ()

    @property
    def matched(self) -> tuple[str, ...]:
        """Every text that finds the actor in an article: its name, aliases and mentions."""
        return (self.name, *self.aliases, *self.mentions)


@dataclass(frozen=True, slots=True)
class Meeting(_PickledByFields):
    """A meeting, conference or other event that facts happen at."""

    id: str
    name: str
    place: str | None = None
    start: str | None = None
    end: str | None = None
    participants: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    name_en: str | None = None
    place_en: str | None = None
    summary: str | None = None
    summary_en: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A dated statement found by extract, proposed to editors as a new fact."""

    id: str
    date: str | None
    until: str | None
    expression: str
    quote: str
    file: str
    actors: tuple[str, ...] = ()
    meeting: str | None = None
    kind: str = "event"


@dataclass(frozen=True)
class ActorCandidate:
    """A titled person named in a text but not yet in the index ("وزير الخارجية الروسي سيرجي لافروف")."""

    id: str
    name: str
    role: str
    file: str
    quote: str


@dataclass(frozen=True)
class Extraction:
    """What extract finds in one article: a pure function of the article and the known entities."""

    file: str
    candidates: tuple[Candidate, ...]
    actor_candidates: tuple[ActorCandidate, ...] = ()


# --------------------------------------------------------------------------------------------
# Fact index


@dataclass(frozen=True, slots=True)
class FactSource(_PickledByFields):
    """A citation: a verbatim quote of a seed file, and what that source says if it disagrees."""

    file: str
    quote: str
    date: str | None = None  # the date this source gives, when sources disagree
    note: str | None = None  # what this source says differently, when sources disagree
    note_en: str | None = None  # the note in English


@dataclass(frozen=True, slots=True)
class Fact(_PickledByFields):
    """A dated statement of the index, with its sources."""

    id: str
    date: str | None
    summary: str
    sources: tuple[FactSource, ...]
    until: str | None = None
    expression: str | None = None
    summary_en: str | None = None
    actors: tuple[str, ...] = ()
    meeting: str | None = None
    kind: str = "event"  # event / statement / plan
    status: str = "candidate"  # candidate / reviewed / rejected
    dispute: str | None = None
    dispute_en: str | None = None
    candidates: tuple[str, ...] = ()  # extraction candidate ids this fact stands for


@dataclass(frozen=True)
class FactIndex:
    """The whole of facts.yaml, validated."""

    actors: tuple[Actor, ...]
    meetings: tuple[Meeting, ...]
    facts: tuple[Fact, ...]
    story: str | None = None  # a few lines for the home page
    story_en: str | None = None
    title: str | None = None
    title_en: str | None = None
    extras: dict = field(default_factory=dict, compare=False, hash=False)
    # A digest of each fact's text in facts.yaml, when the reader kept one (factindex's
    # item-by-item read): a later stage tells the facts an edit changed without hashing them.
    fact_digests: tuple[str, ...] | None = field(default=None, compare=False, repr=False)
