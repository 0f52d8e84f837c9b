"""Extract: turn an article into candidate facts (dated sentences with their actors and meeting).

Extraction is a pure function of one article and the index's known entities, so that it can
run in worker processes (`--jobs`), be cached by content hash, and be mapped over a cluster
(a Dask bag, see BENCHMARKS.md) without any shared state.

A candidate is a sentence that holds at least one date expression: the date engine runs over the
whole article (so that "18 من الشهر ذاته" can look back at the month named earlier), and each
date is attributed to the sentence that contains it. The candidate's id depends only on the file
name and the sentence (docs/facts-format.md), so improving the date engine or adding articles
never re-proposes a sentence an editor has already dealt with.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

import regex

from . import dates
from .arabic import normalize
from .entities import EntityMatcher, Mention, titled_people
from .ingest import parse_article
from .model import (
    Actor,
    ActorCandidate,
    Article,
    Candidate,
    DateMention,
    Extraction,
    Meeting,
    Sentence,
)


def _code_version() -> str:
    """A hash of the code extraction runs: any change to it invalidates the cache by itself."""
    h = hashlib.sha256()
    for name in (
        "extract.py",
        "dates.py",
        "dates_lexicon.py",
        "entities.py",
        "arabic.py",
        "ingest.py",
        "model.py",
    ):
        path = Path(__file__).with_name(name)
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


CODE_VERSION = _code_version()

# A date right after these words is background to the statement, not its date.
_BACKGROUND = regex.compile(r"(?:منذ|قبل|بعد|حتى|خلال)\s*(?:بدء|بداية|مطلع)?\s*(?:\S+\s+)?$")
# Markers of a plan: something scheduled or expected, which may be dated after publication.
# The future prefix س on an imperfect verb ("سيعقد", "ستبدأ") counts only at the start of a word
# (after an optional و or ف), not inside words such as "روسيا" or "سياسية".
_PLAN = regex.compile(
    r"من المقرر|المقرر|(?<!\S)[وف]?س(?!ياس|يطر|يار)[يتن]\p{Arabic}{2,}|يتوقع|من المتوقع|المقبل|المقبله|القادم|يعتزم"
)
_SPEECH = regex.compile(
    r"(?:^|\s)[وف]?(?:قال|قالت|اكد|اكدت|اوضح|اوضحت|اعلن|اعلنت|اضاف|اضافت|اشار|اشارت|اعتبر|اعتبرت|شدد|شددت|"
    r"ذكر|ذكرت|صرح|صرحت|افاد|افادت|نقلت|نقل|طالب|طالبت|دعا|دعت|رحب|رحبت|دان|دانت)(?:\s|$)"
)


def candidate_id(file: str, sentence: str) -> str:
    """`c-` + 10 hex digits of sha1(file + "\\n" + sentence): stable across runs and corpora."""
    return "c-" + hashlib.sha1(f"{file}\n{sentence}".encode()).hexdigest()[:10]


def _primary(sentence: Sentence, mentions: list[DateMention], raw: str) -> DateMention:
    """The date a sentence is about: the first that is not background ("منذ نيسان 2019")."""
    for m in mentions:
        before = normalize(raw[max(sentence.start, m.start - 30) : m.start])
        if not _BACKGROUND.search(before) and m.value is not None:
            return m
    resolved = [m for m in mentions if m.value is not None]
    return (resolved or mentions)[0]


def _kind(sentence: str, mention: DateMention, article: Article) -> str:
    text = normalize(sentence)
    published = article.meta.published
    if _PLAN.search(text) or (
        published is not None
        and mention.value is not None
        and mention.value > published.isoformat()
    ):
        return "plan"
    if _SPEECH.search(text):
        return "statement"
    return "event"


def _in_range(value: str | None, meeting: Meeting) -> bool:
    if value is None or meeting.start is None:
        return False
    end = meeting.end or meeting.start
    day = value if len(value) == 10 else None
    if day is None:
        return meeting.start.startswith(value) or end.startswith(value)
    return meeting.start <= day <= end


def extract_article(
    article: Article,
    actors: Sequence[Actor],
    meetings: Sequence[Meeting],
    matcher: EntityMatcher | None = None,
) -> Extraction:
    """Candidate facts and actor candidates of one article."""
    if not article.parsed:
        article = parse_article(article.meta, article.raw)
    matcher = matcher or EntityMatcher(actors, meetings)
    meetings_by_id = {m.id: m for m in meetings}
    mentions = dates.find_dates(article.raw, article.meta.published)
    candidates: list[Candidate] = []
    newcomers: dict[str, ActorCandidate] = {}
    mi = 0
    found = [matcher.find(sentence.text) for sentence in article.sentences]
    resolved = matcher.resolve(found)
    for sentence, entities, known in zip(article.sentences, resolved, found, strict=True):
        inside: list[DateMention] = []
        while mi < len(mentions) and mentions[mi].start < sentence.start:
            mi += 1
        j = mi
        while j < len(mentions) and mentions[j].end <= sentence.end:
            inside.append(mentions[j])
            j += 1
        dated = [(m.start - sentence.start, m.end - sentence.start) for m in inside]
        # every name the index knows ends a title, a shared alias left unresolved too
        for person in titled_people(sentence.text, known, article.meta.file, sentence.text, dated):
            if not matcher.is_known_name(person.name) and person.id not in newcomers:
                newcomers[person.id] = person
        if not inside:
            continue
        primary = _primary(sentence, inside, article.raw)
        candidates.append(
            Candidate(
                id=candidate_id(article.meta.file, sentence.text),
                date=primary.value,
                until=primary.until,
                expression=primary.text,
                quote=sentence.text,
                file=article.meta.file,
                actors=_ordered_ids(entities, "actor"),
                meeting=_meeting(entities, matcher, sentence.text, primary, meetings_by_id),
                kind=_kind(sentence.text, primary, article),
            )
        )
    return Extraction(
        file=article.meta.file,
        candidates=tuple(candidates),
        actor_candidates=tuple(newcomers[k] for k in sorted(newcomers)),
    )


def _ordered_ids(entities: list[Mention], kind: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in entities:
        if m.kind == kind:
            seen.setdefault(m.id, None)
    return tuple(seen)


def _meeting(
    entities: list[Mention],
    matcher: EntityMatcher,
    text: str,
    primary: DateMention,
    meetings_by_id: dict[str, Meeting],
) -> str | None:
    """The meeting named in the sentence, or else the one held at the named place on that date."""
    named = _ordered_ids(entities, "meeting")
    if named:
        dated = [i for i in named if _in_range(primary.value, meetings_by_id[i])]
        return (dated or list(named))[0]
    at_place = [m for m in matcher.place_mentions(text) if _in_range(primary.value, m)]
    return sorted(at_place, key=lambda m: m.id)[0].id if len(at_place) == 1 else None


# ---------------------------------------------------------------------------------------------
# The corpus: parallel and cached.


def entities_key(actors: Sequence[Actor], meetings: Sequence[Meeting]) -> str:
    """A hash of everything in the index that extraction depends on (names, aliases, an
    actor's mentions and kind, places)."""
    blob = json.dumps(
        [
            [(a.id, a.name, a.kind, a.aliases, a.mentions, a.status) for a in actors],
            [(m.id, m.name, m.aliases, m.place, m.start, m.end) for m in meetings],
        ],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _cache_path(cache_dir: Path, article: Article, key: str) -> Path:
    digest = hashlib.sha256(
        f"{CODE_VERSION}\n{key}\n{article.meta.file}\n"
        f"{article.meta.sha256}\n{article.meta.published}".encode()
    ).hexdigest()
    return cache_dir / digest[:2] / f"{digest}.json"


def _from_json(data: dict) -> Extraction:
    return Extraction(
        file=data["file"],
        candidates=tuple(
            Candidate(**{**c, "actors": tuple(c["actors"])}) for c in data["candidates"]
        ),
        actor_candidates=tuple(ActorCandidate(**a) for a in data["actor_candidates"]),
    )


_WORKER: tuple[EntityMatcher, tuple[Actor, ...], tuple[Meeting, ...]] | None = None


def _init_worker(actors: tuple[Actor, ...], meetings: tuple[Meeting, ...]) -> None:
    global _WORKER
    _WORKER = (EntityMatcher(actors, meetings), actors, meetings)


def _work(article: Article) -> Extraction:
    assert _WORKER is not None
    matcher, actors, meetings = _WORKER
    return extract_article(article, actors, meetings, matcher)


def extract_corpus(
    articles: Sequence[Article],
    actors: Sequence[Actor],
    meetings: Sequence[Meeting],
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress=None,
) -> list[Extraction]:
    """Extract every article, reusing cached results for articles whose content is unchanged.

    Results are in the order of `articles`. `jobs=0` means one worker per core. `progress`, if
    given, is called with the number of articles done so far after each one.
    """
    actors, meetings = tuple(actors), tuple(meetings)
    key = entities_key(actors, meetings)
    results: list[Extraction | None] = [None] * len(articles)
    todo: list[int] = []
    for i, article in enumerate(articles):
        if cache_dir is not None:
            path = _cache_path(cache_dir, article, key)
            try:
                results[i] = _from_json(json.loads(path.read_text("utf-8")))
                continue
            except (FileNotFoundError, ValueError, KeyError, TypeError):
                pass
        todo.append(i)
    done = len(articles) - len(todo)
    if progress:
        progress(done)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(
            jobs, initializer=_init_worker, initargs=(actors, meetings)
        ) as pool:
            # small chunks: at the end, one worker idles while the other finishes its last chunk
            chunk = max(1, min(50, len(todo) // (jobs * 8)))
            for i, extraction in zip(
                todo, pool.map(_work, [articles[i] for i in todo], chunksize=chunk), strict=False
            ):
                results[i] = extraction
                done += 1
                if progress:
                    progress(done)
    else:
        matcher = EntityMatcher(actors, meetings)
        for i in todo:
            results[i] = extract_article(articles[i], actors, meetings, matcher)
            done += 1
            if progress:
                progress(done)
    if cache_dir is not None:
        for i in todo:
            _write_cache(_cache_path(cache_dir, articles[i], key), results[i])
    return [r for r in results if r is not None]


def _write_cache(path: Path, extraction: Extraction | None) -> None:
    if extraction is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(extraction), ensure_ascii=False), "utf-8")
    os.replace(tmp, path)
