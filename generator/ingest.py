"""Ingest: read seeds/ and seeds/sources.yaml into Articles of clean, located sentences.

The raw texts are evidence and are never altered: a sentence is a *span* of the raw text
(start/end offsets), so that a quote taken from it is verbatim. What ingest removes is only
what a reader would not call part of the article: the repeated headline, a bare dateline, photo
captions with their agency credit, the font-size widget ("+ الخط -") and tracking lines (a
base64 blob and an outlet signature). Sentences are split on full stops and on the ".," joins
that a scraper left where paragraphs used to be.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import regex

from . import itemwise
from .model import Article, InputError, Problem, Sentence, SourceMeta
from .yamlio import Document, load, read_text_file

SOURCES_FILE = "sources.yaml"
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# ---------------------------------------------------------------------------------------------
# sources.yaml


def source_id_for(file: str) -> str:
    """The default slug of a source: its file name without extension, lowercased, '_' -> '-'."""
    stem = file.rsplit(".", 1)[0].lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    return slug or "source"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_SOURCE_KEYS = {"file", "id", "outlet", "outlet_en", "published", "sha256", "url", "basis", "title"}


def load_sources(
    seeds_dir: Path, display_dir: str = "seeds", cache: Path | None = None
) -> list[SourceMeta]:
    """Read and validate seeds/sources.yaml; raises InputError with located problems.

    `cache`: a folder where the entries of the file as last read are kept (Project's
    sources_cache): pages are generated again after every edit of facts.yaml, seldom of this
    file, which takes 0.4 s to read at 10,000 articles."""
    path = seeds_dir / SOURCES_FILE
    display = f"{display_dir}/{SOURCES_FILE}"
    text = read_text_file(path, display)

    def parse() -> list[SourceMeta]:
        return _sources_of(load(text, display))

    if cache is None:
        return parse()
    return list(itemwise.memo(cache, _salt(), text, parse))  # type: ignore[call-overload]


@functools.cache
def _salt() -> bytes:
    return itemwise.salt_of("ingest.py")


def _sources_of(doc: Document) -> list[SourceMeta]:
    """The sources of a parsed sources.yaml, checked (InputError with every problem)."""
    problems: list[Problem] = []
    metas: list[SourceMeta] = []
    data = doc.data
    if data is None:
        data = []
    if isinstance(data, dict) and "sources" in data:  # tolerate a {sources: [...]} wrapper
        data = data["sources"]
        base: tuple = ("sources",)
    else:
        base = ()
    if not isinstance(data, list):
        raise InputError(
            [doc.problem(base, "expected a list of sources (one '- file: ...' per article)")]
        )
    seen_files: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for i, entry in enumerate(data):
        p = (*base, i)
        if not isinstance(entry, dict):
            problems.append(
                doc.problem(p, "each source must be a mapping with file, published, outlet, sha256")
            )
            continue
        for key in entry:
            if key not in _SOURCE_KEYS:
                problems.append(
                    doc.problem(
                        (*p, key),
                        f"unknown key {key!r}{_did_you_mean(key, _SOURCE_KEYS)}",
                        key=True,
                    )
                )
        meta = _source_entry(doc, p, entry, problems)
        if meta is None:
            continue
        if meta.file in seen_files:
            problems.append(doc.problem((*p, "file"), f"{meta.file!r} is listed twice"))
        if meta.id in seen_ids:
            problems.append(doc.problem((*p, "id"), f"source id {meta.id!r} is used twice"))
        seen_files[meta.file] = i
        seen_ids[meta.id] = i
        metas.append(meta)
    if problems:
        raise InputError(problems)
    return metas


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _source_entry(
    doc: Document, p: tuple, entry: dict, problems: list[Problem]
) -> SourceMeta | None:
    file = entry.get("file")
    if not isinstance(file, str) or not file:
        problems.append(doc.problem(p, "missing 'file': the article's file name in seeds/"))
        return None
    if "/" in file or "\\" in file or file.startswith("."):
        problems.append(
            doc.problem((*p, "file"), f"{file!r} must be a plain file name inside seeds/")
        )
        return None
    sid = entry.get("id", source_id_for(file))
    if not isinstance(sid, str) or not SLUG.match(sid):
        problems.append(
            doc.problem((*p, "id"), f"source id {sid!r} must be a lowercase ASCII slug")
        )
        return None
    published = entry.get("published")
    pub: date | None = None
    if published is not None:
        try:
            pub = date.fromisoformat(str(published))
        except ValueError:
            problems.append(
                doc.problem((*p, "published"), f"published {published!r} is not a YYYY-MM-DD date")
            )
            return None
    elif "published" not in entry:
        problems.append(
            doc.problem(p, "missing 'published' (YYYY-MM-DD, or null when not yet established)")
        )
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        problems.append(
            doc.problem(
                (*p, "sha256") if "sha256" in entry else p,
                "missing or malformed 'sha256' (64 lowercase hex digits)",
            )
        )
        return None
    for key in ("outlet", "outlet_en", "url", "basis", "title"):
        val = entry.get(key)
        if val is not None and not isinstance(val, str):
            problems.append(doc.problem((*p, key), f"{key!r} must be text"))
            return None
    return SourceMeta(
        file=file,
        id=sid,
        outlet=entry.get("outlet"),
        published=pub,
        sha256=sha,
        url=entry.get("url"),
        basis=entry.get("basis"),
        title=entry.get("title"),
        outlet_en=entry.get("outlet_en"),
    )


# ---------------------------------------------------------------------------------------------
# Article text


def decode_article(data: bytes, display: str) -> str:
    """Decode an article's bytes as UTF-8, or say precisely why not and how to fix it."""
    if not data.strip():
        raise InputError([Problem(display, None, None, "the article is empty")])
    if b"\x00" in data:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    "the file is binary (it contains NUL bytes), not an article text",
                )
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        hint = "not valid UTF-8"
        try:
            alt = data.decode("cp1256")
            if sum("\u0600" <= c <= "\u06ff" for c in alt) > len(alt) // 4:
                hint = (
                    "not UTF-8; it looks like Windows-1256 Arabic: convert it with "
                    f"`iconv -f WINDOWS-1256 -t UTF-8 {display} > converted.txt`, then update its sha256"
                )
        except UnicodeDecodeError:
            pass
        raise InputError([Problem(display, line, col, hint)]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


_CAPTION = regex.compile(
    r"\((?:[^()\n]*/)?[^()\n]*(?:فرانس برس|فرانس بريس|رويترز|أسوشييتد برس|الأناضول|Getty|AFP|Reuters|AP|EPA|الأوروبية)[^()\n]*\)\s*$"
)
_FONT_WIDGET = regex.compile(r"^\s*[+]\s*الخط\s*[-]\s*$")
_BASE64_TOKEN = regex.compile(r"^([A-Za-z0-9+/]{12,}={0,2})(?:\s|$)")
_DATELINE = regex.compile(
    r"^\s*(?:\p{Arabic}+\s*,?\s*)?[0-9٠-٩]{1,2}\s+\p{Arabic}+(?:/\p{Arabic}+)?\s+[0-9٠-٩]{4}(?:\s*[-/|]?\s*[0-9٠-٩]{1,2}:[0-9٠-٩]{2})?\s*$"
)


def _is_tracking(line: str) -> bool:
    m = _BASE64_TOKEN.match(line.strip())
    if not m:
        return False
    try:
        decoded = base64.b64decode(m.group(1), validate=True)
    except (binascii.Error, ValueError):
        return False
    return all(32 <= b < 127 for b in decoded)


def boilerplate_kind(line: str, title: str | None) -> str | None:
    """Why a line is not part of the article body, or None when it is."""
    s = line.strip()
    if not s:
        return "blank"
    if title is not None and s == title:
        return "repeated headline"
    if _FONT_WIDGET.match(s):
        return "font widget"
    if _is_tracking(s):
        return "tracking line"
    if _DATELINE.match(s):
        return "dateline"
    if _CAPTION.search(s) and len(s) < 200:
        return "photo caption"
    return None


# A sentence ends at . ! ? ؟ (not inside "..." and not between digits), optionally followed by
# closing quotes/brackets; a scraper's "," glue after it is swallowed. A ")," glue also ends one.
_SENT_END = regex.compile(r"""(?<!\.)[.!?؟](?!\.)["»”)\]]*(?:\s*,)?(?=\s|$)|\)\s*,(?=\s)""")


def split_sentences(raw: str, start: int, end: int) -> list[Sentence]:
    """Split raw[start:end] into sentences, keeping each one a verbatim span of `raw`."""
    out: list[Sentence] = []
    pos = start
    segment = raw[start:end]
    for m in _SENT_END.finditer(segment):
        stop = start + m.end()
        piece_end = stop
        # drop the scraper's trailing comma glue from the sentence itself
        text = raw[pos:piece_end]
        stripped = text.rstrip()
        if stripped.endswith(","):
            stripped = stripped[:-1].rstrip()
        _add(out, raw, pos, pos + len(stripped))
        pos = stop
    _add(out, raw, pos, end)
    return out


def _add(out: list[Sentence], raw: str, s: int, e: int) -> None:
    while s < e and raw[s].isspace():
        s += 1
    while e > s and raw[e - 1].isspace():
        e -= 1
    if e - s >= 2 and regex.search(r"\p{L}", raw[s:e]):
        out.append(Sentence(raw[s:e], s, e))


def parse_article(meta: SourceMeta, raw: str) -> Article:
    """Title, body lines without boilerplate, and sentences as verbatim spans of `raw`."""
    title: str | None = None
    sentences: list[Sentence] = []
    offset = 0
    for line in raw.splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        content = line.rstrip("\r\n")
        if title is None:
            if content.strip():
                title = content.strip()
            continue
        if boilerplate_kind(content, title) is not None:
            continue
        sentences.extend(split_sentences(raw, line_start, line_start + len(content)))
    return Article(
        meta=meta, raw=raw, title=meta.title or title or meta.file, sentences=tuple(sentences)
    )


def read_article(
    seeds_dir: Path, meta: SourceMeta, display_dir: str = "seeds", verify: bool = True
) -> Article:
    """Read one article, checking its size, encoding and sha256."""
    return parse_article(meta, read_text(seeds_dir, meta, display_dir, verify))


def read_text(
    seeds_dir: Path, meta: SourceMeta, display_dir: str = "seeds", verify: bool = True
) -> str:
    """An article's text, checked (size, sha256, encoding) but not yet split into sentences.

    Checking is cheap and belongs before any work starts; splitting can be left to the worker
    processes that extract the article (see `read_corpus(..., parse=False)`)."""
    path = seeds_dir / meta.file
    display = f"{display_dir}/{meta.file}"
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    f"{display_dir}/{SOURCES_FILE}",
                    None,
                    None,
                    f"{meta.file} is listed but missing from {display_dir}/",
                )
            ]
        ) from None
    if size > MAX_ARTICLE_BYTES:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    f"file is {size:,} bytes, over the limit of {MAX_ARTICLE_BYTES:,}",
                )
            ]
        )
    data = path.read_bytes()
    if verify and sha256_of(data) != meta.sha256:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    f"sha256 is {sha256_of(data)} but sources.yaml says {meta.sha256}: the text changed; "
                    "articles are evidence and are never edited in place (restore it, or add the new text as a new article)",
                )
            ]
        )
    return decode_article(data, display)


def unlisted_files(
    seeds_dir: Path, metas: list[SourceMeta], display_dir: str = "seeds"
) -> list[Problem]:
    """Warnings for article files in seeds/ that sources.yaml does not list."""
    listed = {m.file for m in metas}
    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        if path.name not in listed:
            digest = sha256_of(path.read_bytes())
            out.append(
                Problem(
                    f"{display_dir}/{path.name}",
                    None,
                    None,
                    "not listed in sources.yaml, so it is ignored; add it with "
                    f"`explainer add {display_dir}/{path.name}` or an entry "
                    f"{{file: {path.name}, published: YYYY-MM-DD, outlet: ..., sha256: {digest}}}",
                    severity="warning",
                )
            )
    return out


def read_corpus(
    seeds_dir: Path, display_dir: str = "seeds", parse: bool = True
) -> tuple[list[Article], list[Problem]]:
    """All listed articles (in file-name order, whatever the order on disk) and any warnings.

    With parse=False the articles are checked and decoded but hold no sentences yet
    (`Article.sentences` is empty and `Article.parsed` False): extract splits them in its
    worker processes, where the work runs in parallel.
    """
    metas = load_sources(seeds_dir, display_dir)
    problems: list[Problem] = []
    articles: list[Article] = []
    for meta in sorted(metas, key=lambda m: m.file):
        try:
            text = read_text(seeds_dir, meta, display_dir)
        except InputError as e:
            problems.extend(e.problems)
            continue
        if parse:
            articles.append(parse_article(meta, text))
        else:
            articles.append(Article(meta, text, meta.title or meta.file, (), parsed=False))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    return articles, unlisted_files(seeds_dir, metas, display_dir)


def add_sources(
    seeds_dir: Path,
    files: list[str],
    published: date | None,
    outlet: str | None,
    display_dir: str = "seeds",
    outlet_en: str | None = None,
) -> list[str]:
    """Append entries for new article files to sources.yaml, leaving existing text untouched.

    Each file must already be in seeds/ and decode as an article; its sha256 is computed here,
    so that editors never have to type one. `outlet_en`: the outlet's name for the English
    edition (written only when given).
    """
    from .yamlio import atomic_write

    path = seeds_dir / SOURCES_FILE
    metas = load_sources(seeds_dir, display_dir) if path.exists() else []
    listed = {m.file for m in metas}
    problems: list[Problem] = []
    entries: list[str] = []
    added: list[str] = []
    for name in sorted(set(files)):
        display = f"{display_dir}/{name}"
        target = seeds_dir / name
        if name in listed:
            problems.append(Problem(display, None, None, "is already listed in sources.yaml"))
            continue
        if not target.is_file():
            problems.append(
                Problem(
                    display, None, None, f"not found: copy the article into {display_dir}/ first"
                )
            )
            continue
        data = target.read_bytes()
        try:
            decode_article(data, display)
        except InputError as e:
            problems.extend(e.problems)
            continue
        entry = {
            "file": name,
            "published": published.isoformat() if published else None,
            "outlet": outlet,
            **({"outlet_en": outlet_en} if outlet_en else {}),
            "sha256": sha256_of(data),
        }
        entries.append(_yaml_entry(entry))
        added.append(name)
    if problems:
        raise InputError(problems)
    old = path.read_text("utf-8") if path.exists() else "# One entry per article in seeds/.\n"
    if old.strip().endswith("[]"):
        old = old.rstrip()[:-2].rstrip() + "\n"
    if old and not old.endswith("\n"):
        old += "\n"
    atomic_write(path, old + "".join(entries))
    return added


def _yaml_entry(entry: dict) -> str:
    import yaml

    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
