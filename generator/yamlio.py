"""Hardened YAML reading with positions, shared by every stage that reads an editor's file.

facts.yaml and seeds/sources.yaml come from pull requests, sometimes from strangers. PyYAML's
safe loader already refuses tags that construct Python objects, but it still expands aliases
(an "alias bomb" of nested anchors exhausts memory) and turns `2020-02-18` into a date object
and `no` into False behind the editor's back. This reader builds the data itself from the
parser's events, so that it can refuse anchors, aliases and non-standard tags with a position
(before any alias could be expanded), keep dates as the strings the editor wrote, and remember
where every value sits, so that a later schema or reference error can still say
PATH:LINE:COLUMN.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .model import InputError, Problem

MAX_YAML_BYTES = (
    50 * 1024 * 1024
)  # far above any real index; bounds what a hostile PR can make us parse

# Far deeper than any real file; every later stage (the schema's validator, the pages) walks
# the data recursively, so a hostile nesting of thousands of lists would end in a crash.
MAX_DEPTH = 100

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class _Resolver(yaml.resolver.Resolver):
    """PyYAML's resolvers without implicit timestamps: dates stay the strings the editor wrote."""


_Resolver.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
# A plain scalar whose first character starts none of the resolvers is text (the common case).
_MAY_RESOLVE = frozenset(k for k in _Resolver.yaml_implicit_resolvers if k)
assert None not in _MAY_RESOLVE and not _Resolver.yaml_implicit_resolvers.get(None)

# libyaml's parser (ten times faster) when it is installed, else PyYAML's own. Only its events
# are used: the data is built from them here, with no call back into Python per node.
try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None  # type: ignore[assignment,misc]

Path_ = tuple  # a path into the document: keys and list indices


@dataclass
class Document:
    """Loaded YAML data, and the position (1-based line, column) of any node, by path.

    Positions of the top level (the document and its sections) are recorded while loading;
    deeper ones only when a problem first needs one, by reading the text again. A large
    index is almost always valid, and a table of millions of positions would double the
    memory that reading it takes.
    """

    path: str
    data: object
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # end position (0-based line, column, index) of every sequence, for lossless insertion
    seq_ends: dict[tuple, tuple[int, int, int]] = field(default_factory=dict)
    seq_starts: dict[tuple, tuple[int, int, int]] = field(default_factory=dict)
    text: str | None = field(default=None, repr=False)
    complete: bool = False  # whether the tables hold every node's position

    def _complete(self) -> None:
        if self.complete or self.text is None:
            return
        self.complete = True
        full = Document(self.path, None)
        try:
            _build(self.text, full, [], _DEEP)
        except yaml.YAMLError:
            return
        self.marks.update(full.marks)
        self.key_marks.update(full.key_marks)

    def where(self, path: tuple, key: bool = False) -> tuple[int | None, int | None]:
        """The closest known position of `path` (walking up to its parents)."""
        p = tuple(path)
        if len(p) > 1:
            self._complete()
        table = self.key_marks if key else self.marks
        while True:
            if p in table:
                return table[p]
            if key and p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def problem(
        self, path: tuple, message: str, key: bool = False, severity: str = "error"
    ) -> Problem:
        """A Problem located at `path` in this document."""
        line, col = self.where(path, key=key)
        return Problem(self.path, line, col, message, severity)


def read_text_file(path: Path, display: str, max_bytes: int = MAX_YAML_BYTES) -> str:
    """Read a UTF-8 text file with a size bound and a located message for bad bytes."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(display, None, None, "file not found")]) from None
    if size > max_bytes:
        raise InputError(
            [
                Problem(
                    display, None, None, f"file is {size:,} bytes, over the limit of {max_bytes:,}"
                )
            ]
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(
            [Problem(display, line, col, "not valid UTF-8; save the file as UTF-8")]
        ) from None


_DEEP = 1 << 30  # record positions at every depth (Document._complete)
_EXPECT_KEY = object()  # a mapping frame waiting for a key
_SKIP_VALUE = object()  # ... whose next node is the value of a refused key: skipped


def _refuse(message: str, mark) -> yaml.MarkedYAMLError:
    return yaml.composer.ComposerError(None, None, message, mark)


def _at(display: str, mark, message: str) -> Problem:
    return Problem(display, mark.line + 1, mark.column + 1, message)


def _scalar(ev, display: str, problems: list[Problem], resolver: _Resolver, constructor):
    """The value of a scalar event that is not plain text (another type, or an explicit tag)."""
    tag = ev.tag
    if tag is None or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    if tag == _STR:
        return ev.value
    if tag not in _STANDARD_TAGS:
        problems.append(
            _at(display, ev.start_mark, f"YAML tag {tag!r} is not allowed; write plain values")
        )
        return None
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as e:
        problems.append(_at(display, ev.start_mark, f"bad value: {e}"))
    except (ValueError, KeyError):  # `!!int abc`, `!!bool maybe`: PyYAML does not check them
        problems.append(
            _at(
                display,
                ev.start_mark,
                f"bad value: {ev.value!r} is not a valid {tag.rsplit(':', 1)[-1]}",
            )
        )
    return None


def _build(text: str, doc: Document, problems: list[Problem], depth: int = 1) -> object:
    """The data of `text`, built from the parser's events (no node tree), into `doc.data`.

    Anchors and aliases are refused at their own positions, before anything could be expanded;
    other problems (tags, keys) are collected into `problems`. The positions of the nodes down
    to `depth` (and of their keys) are recorded in `doc`, and where the top-level lists start
    and end. Nothing but the refused node itself is skipped, as the composer did.
    """
    parser = _CParser(text) if _CParser is not None else yaml.SafeLoader(text)
    try:
        return _events_to_data(parser.get_event, doc, problems, depth)
    finally:
        parser.dispose()


def _events_to_data(get, doc: Document, problems: list[Problem], depth: int) -> object:
    display = doc.path
    marks, key_marks = doc.marks, doc.key_marks
    resolver, constructor = _Resolver(), yaml.constructor.SafeConstructor()
    may_resolve = _MAY_RESOLVE
    plain: dict[str, object] = {}  # plain scalars that read as another type, once resolved
    # Each distinct text once: a candidate's summary is its quote, its source's file name is
    # every other candidate's, and the keys repeat in every item. Equal strings as one object
    # are a third less memory for a large facts.yaml, and pickle (generator/itemwise.py)
    # writes each once.
    texts: dict[str, str] = {}
    same = texts.setdefault
    get()  # the stream's start
    if get().__class__ is StreamEndEvent:  # else the document's start
        return None
    root: list = []
    # The open collections: the current one in locals, its parents on the stack. `key` is the
    # pending key of a mapping; `path` is None below the depth whose positions are recorded.
    stack: list[tuple] = []
    container, is_map, key, path = root, False, None, ()  # the document: one node, at ()
    skip = 0  # depth inside a node that is refused as a whole (its events are only checked)
    while True:
        ev = get()
        cls = ev.__class__
        if cls is ScalarEvent:
            start = False
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            start = True
        elif cls is AliasEvent:
            raise _refuse("YAML aliases (*name) are not allowed here", ev.start_mark)
        elif skip:  # the end of a collection inside a refused node
            skip -= 1
            continue
        elif cls is DocumentEndEvent:
            break
        else:  # the end of the current collection
            if path is not None and not is_map and len(path) <= 1:
                m = ev.end_mark
                doc.seq_ends[path] = (m.line, m.column, m.index)
            container, is_map, key, path = stack.pop()
            continue
        if ev.anchor is not None:
            raise _refuse("YAML anchors (&name) are not allowed here", ev.start_mark)
        if skip:
            skip += start
            continue
        if is_map:
            if key is _EXPECT_KEY:
                if start:
                    problems.append(_at(display, ev.start_mark, "mapping keys must be plain text"))
                    skip, key = 1, _SKIP_VALUE
                    continue
                key = same(ev.value, ev.value)
                if key == "<<" or ev.tag == _MERGE:
                    problems.append(
                        _at(display, ev.start_mark, "YAML merge keys (<<) are not allowed")
                    )
                    key = _SKIP_VALUE
                elif key in container:
                    problems.append(_at(display, ev.start_mark, f"duplicate key {key!r}"))
                    key = _SKIP_VALUE
                elif path is not None and len(path) < depth:
                    m = ev.start_mark
                    key_marks[(*path, key)] = (m.line + 1, m.column + 1)
                continue
            name, key = key, _EXPECT_KEY
            if name is _SKIP_VALUE:
                skip = start
                continue
        else:
            name = len(container)
        if not start:
            value = same(ev.value, ev.value)
            if ev.tag is not None:
                value = _scalar(ev, display, problems, resolver, constructor)
            elif ev.implicit[0] and (not value or value[0] in may_resolve):
                # a plain scalar that may read as another type (a number, yes, null)
                if value in plain:
                    value = plain[value]
                else:
                    count = len(problems)
                    value = _scalar(ev, display, problems, resolver, constructor)
                    if len(problems) == count:
                        plain[ev.value] = value
            if is_map:
                container[name] = value
            else:
                container.append(value)
            if path is not None and len(path) < depth:
                m = ev.start_mark
                marks[(*path, name) if container is not root else ()] = (m.line + 1, m.column + 1)
            continue
        # the start of a mapping or a sequence
        child = None
        if path is not None and len(path) < depth:
            child = (*path, name) if container is not root else ()
            m = ev.start_mark
            marks[child] = (m.line + 1, m.column + 1)
        tag = ev.tag
        if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
            problems.append(
                _at(display, ev.start_mark, f"YAML tag {tag!r} is not allowed; write plain values")
            )
            value, skip = None, 1
        else:
            value = {} if cls is MappingStartEvent else []
        if is_map:
            container[name] = value
        else:
            container.append(value)
        if value is not None:
            if len(stack) >= MAX_DEPTH:
                raise _refuse(
                    f"YAML nesting deeper than {MAX_DEPTH} levels is not allowed", ev.start_mark
                )
            stack.append((container, is_map, key, path))
            container, is_map, key, path = value, cls is MappingStartEvent, _EXPECT_KEY, child
            if child is not None and not is_map and len(child) <= 1:
                m = ev.start_mark
                doc.seq_starts[child] = (m.line, m.column, m.index)
    ev = get()
    if ev.__class__ is not StreamEndEvent:
        raise yaml.composer.ComposerError(
            "expected a single document in the stream",
            None,
            "but found another document",
            ev.start_mark,
        )
    return root[0]


def load(text: str, display: str) -> Document:
    """Parse YAML text into a Document, refusing aliases, anchors and non-standard tags.

    The data is built straight from the parser's events (libyaml's when it is installed): an
    anchor or alias is refused where it is written, before anything is expanded, and only the
    top-level positions are recorded (see `Document`).
    """
    doc = Document(display, None, text=text)
    problems: list[Problem] = []
    try:
        doc.data = _build(text, doc, problems)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        msg = " ".join(str(x) for x in (e.context, e.problem) if x) or "invalid YAML"
        if not msg.startswith("YAML "):
            msg = f"YAML syntax error: {msg}"
        raise InputError([Problem(display, line, col, msg)]) from None
    except yaml.YAMLError as e:
        raise InputError([Problem(display, None, None, f"YAML error: {e}")]) from None
    if problems:
        raise InputError(problems)
    return doc


def load_file(path: Path, display: str) -> Document:
    """Read and parse a YAML file (see `load`)."""
    return load(read_text_file(path, display), display)


def atomic_write(path: Path, data: str | bytes) -> bool:
    """Write through a temporary file in the same folder and a rename; a kill leaves the old file.

    Returns False (and writes nothing) when the file already holds exactly these bytes, so
    that untouched outputs keep their modification times and watchers stay quiet.
    """
    blob = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == blob:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, mode)  # mkstemp makes 0600 files; keep the file's own (or the usual) mode
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True
