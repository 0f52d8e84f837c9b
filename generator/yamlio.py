"""Hardened YAML reading with positions, shared by every stage that reads an editor's file.

facts.yaml and seeds/sources.yaml come from pull requests, sometimes from strangers. PyYAML's
safe loader already refuses tags that construct Python objects, but it still expands aliases
(an "alias bomb" of nested anchors exhausts memory) and turns `2020-02-18` into a date object
and `no` into False behind the editor's back. This reader composes the node tree itself so
that it can refuse anchors, aliases and non-standard tags with a position, keep dates as the
strings the editor wrote, and remember where every value sits, so that a later schema or
reference error can still say PATH:LINE:COLUMN.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import InputError, Problem

MAX_YAML_BYTES = (
    50 * 1024 * 1024
)  # far above any real index; bounds what a hostile PR can make us parse

_STR = "tag:yaml.org,2002:str"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay the strings the editor wrote.

    It also refuses anchors and aliases as it composes, at their own positions, before any
    alias could be expanded (an "alias bomb" of nested anchors).
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed here", event.start_mark
            )
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "YAML anchors (&name) are not allowed here", event.start_mark
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple  # a path into the document: keys and list indices


@dataclass
class Document:
    """Loaded YAML data, and the position (1-based line, column) of any node, by path.

    Positions of the top level (the document and its sections) are recorded while loading;
    deeper ones only when a problem first needs one, by composing the text again. A large
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
        loader = _CLoader(self.text) if _CLoader is not None else _Loader(self.text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return
        finally:
            loader.dispose()
        if node is not None:
            _record(node, (), self)

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


def _record(node, path: tuple, doc: Document, seen: set[int] | None = None) -> None:
    """Record the position of `node` and of everything under it (the slow, complete table)."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    doc.marks[path] = _pos(node)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                doc.key_marks.setdefault((*path, key_node.value), _pos(key_node))
                _record(value_node, (*path, key_node.value), doc, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _record(child, (*path, i), doc, seen)


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


_CLoader = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """libyaml's parser and composer (ten times faster), with the same resolvers."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _may_hold_anchors(text: str) -> bool:
    """Anchors and aliases need '&' or '*'; without either, the scan for them can be skipped."""
    return "&" in text or "*" in text


def load(text: str, display: str) -> Document:
    """Parse YAML text into a Document, refusing aliases, anchors and non-standard tags.

    libyaml composes the node tree when it is installed (it keeps the same positions); the
    pure-Python composer, which refuses anchors and aliases where they are written, runs
    instead whenever the text contains a character that could start one.
    """
    fast = _CLoader is not None and not _may_hold_anchors(text)
    loader = _CLoader(text) if fast else _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        msg = " ".join(str(x) for x in (e.context, e.problem) if x) or "invalid YAML"
        if not msg.startswith("YAML "):
            msg = f"YAML syntax error: {msg}"
        raise InputError([Problem(display, line, col, msg)]) from None
    except yaml.YAMLError as e:
        raise InputError([Problem(display, None, None, f"YAML error: {e}")]) from None
    finally:
        loader.dispose()
    doc = Document(display, None, text=text)
    if node is None:
        doc.data = None
        return doc
    problems: list[Problem] = []
    seen: set[int] = set()
    doc.data = _convert(node, (), doc, problems, seen, loader)
    if problems:
        raise InputError(problems)
    return doc


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node, path, doc: Document, problems, seen, loader):
    top = len(path) <= 1
    if top:
        doc.marks[path] = _pos(node)
    if id(node) in seen:
        # The composer hands back the same node object for an alias: refuse it.
        problems.append(Problem(doc.path, *_pos(node), "YAML aliases (*name) are not allowed here"))
        return None
    seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        problems.append(
            Problem(
                doc.path, *_pos(node), f"YAML tag {node.tag!r} is not allowed; write plain values"
            )
        )
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(doc.path, *_pos(key_node), "mapping keys must be plain text")
                )
                continue
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                problems.append(
                    Problem(doc.path, *_pos(key_node), "YAML merge keys (<<) are not allowed")
                )
                continue
            key = key_node.value
            if key in out:
                problems.append(Problem(doc.path, *_pos(key_node), f"duplicate key {key!r}"))
                continue
            if top:
                doc.key_marks[(*path, key)] = _pos(key_node)
            out[key] = _convert(value_node, (*path, key), doc, problems, seen, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        if top:
            doc.seq_starts[path] = (
                node.start_mark.line,
                node.start_mark.column,
                node.start_mark.index,
            )
            doc.seq_ends[path] = (node.end_mark.line, node.end_mark.column, node.end_mark.index)
        return [
            _convert(child, (*path, i), doc, problems, seen, loader)
            for i, child in enumerate(node.value)
        ]
    if node.tag == _STR:
        return node.value  # the common case, without the constructor's bookkeeping
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as e:
        problems.append(Problem(doc.path, *_pos(node), f"bad value: {e}"))
        return None


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
