"""Reading a long YAML list item by item, so that what an edit left alone is not parsed again.

facts.yaml grows with the story: at 10,000 articles it holds 70,000 facts (40 MB), and reading
it (parsing, validating, converting) was 3 to 4 s of every `generate`, `check` and build, even
after an editor had changed one line. This module cuts the file's last top-level list at its
items' lines, keeps what each item's text gave (its data, and what the caller made of it)
under a digest of that text in `.explainer-cache/`, and parses only the items it has not seen
before: in two processes when they are many (the first read of a large story).

Why the pieces give the whole file's data. A file is read this way only when it has a plain
shape (`layout`): the list is the last thing in the file, which has no directives, no
document markers and only `\\n` line breaks. The text is then a head (up to the list's first
item), which must parse alone to a mapping whose last key is the list's, with nothing yet, and
pieces, each starting at a line `- ` at the list's indentation. A piece is taken only as
exactly one item of the list: parsed with the pieces beside it as a standalone YAML list, one
item per piece, each starting on its piece's first line; or it is the very text of a piece
taken so before (its digest is in the cache). A line that only reads like an item (inside a
quoted scalar or a flow collection, which YAML lets run over lines at any indentation) leaves
the text before it unterminated, so that piece is never taken; block scalars, plain scalars
and nested collections of an item cannot reach back to the list's own indentation; and an
item's data depends on its text alone (yamlio refuses anchors and aliases). Anything else,
and the caller reads the file whole, for the messages it has always given.

The cache is pickled (the objects come back ten times faster than from JSON) and therefore
authenticated: each segment carries a keyed digest whose key lives outside the project, in the
user's cache directory. A pull request can add files under `.explainer-cache/`, not that key;
and the unpickler builds no class but the model's data classes anyway.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import hmac
import io
import itertools
import os
import pickle
import re
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import model, yamlio
from .model import InputError
from .yamlio import Document

# With a cache, a list this long is read item by item (below, a whole read takes a blink)
ITEMWISE_FROM = 500_000  # characters (10,000 articles: 40 million)
# This much text to parse is shared with a forked process
FORK_FROM = 2_000_000  # characters
# Segments of the cache before they are merged into one (each run that meets new items adds one)
MAX_SEGMENTS = 32
# From this many entries on, a segment is written by a forked process (_Store.add)
ASIDE_FROM = 1000

# The patterns over the whole file start with a line break: the regular expression engine
# jumps from one to the next (an anchor tried at each of 40 million characters took 0.4 s)
_LINE_MARK = re.compile(r"\n(?:%|---|\.\.\.)")  # a directive, a document's start or end
_TOP_LEVEL_AFTER = re.compile(r"\n[^\s#-]")  # a line at column 0: a key, or worse
_FIRST_ITEM = re.compile(r"^(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ", re.M)
# line breaks that YAML counts and str.count("\n") does not
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")

# What the caller makes of a run of items (validated, converted), or None if any is refused
Convert = Callable[[list], "list | None"]


@dataclass(frozen=True)
class Layout:
    """Where a file's last list can be cut: its head's end and its items' lines."""

    indent: int
    starts: list[int]  # index of each item's first line
    lines: list[int]  # its 0-based line number
    size: int  # the text's length

    def end(self, i: int) -> int:
        """Where item i's text ends (the next one's start, or the end of the text)."""
        return self.starts[i + 1] if i + 1 < len(self.starts) else self.size


def layout(text: str, key: str) -> Layout | None:
    """The items of the top-level list `key`, when the file has the plain shape that lets it be
    cut at them (see the module's docstring); None otherwise."""
    if any(c in text for c in _OTHER_BREAKS) or text.startswith(("%", "---", "...")):
        return None
    if _LINE_MARK.search(text):
        return None
    key_line = re.compile(rf"\n{re.escape(key)}:[ \t]*(?:#[^\n]*)?\n")
    bodies = [m.end() for m in key_line.finditer(text)]
    if text.startswith(f"{key}:"):
        first_line = key_line.match("\n" + text[:1000])
        if first_line is not None:
            bodies.append(first_line.end() - 1)
    if len(bodies) != 1:
        return None
    first = _FIRST_ITEM.match(text, bodies[0])
    if first is None or _TOP_LEVEL_AFTER.search(text, bodies[0]):
        return None
    indent = first.group(1)
    base = first.start(1)
    item = re.compile(rf"\n{indent}- ")
    starts = [base, *(m.start() + 1 for m in item.finditer(text, base))]
    lines = [text.count("\n", 0, base)]
    for previous, start in itertools.pairwise(starts):
        lines.append(lines[-1] + text.count("\n", previous, start))
    return Layout(len(indent), starts, lines, len(text))


def digest(piece: str) -> bytes:
    """The cache's key for an item's text."""
    return hashlib.blake2b(piece.encode("utf-8"), digest_size=16).digest()


def _cut(text: str, key: str) -> tuple[Layout | None, list[bytes]]:
    """The layout of `text` and the digest of each item's text (none without a layout)."""
    lay = layout(text, key)
    if lay is None:
        return None, []
    return lay, [digest(text[lay.starts[i] : lay.end(i)]) for i in range(len(lay.starts))]


def _aside(text: str, key: str) -> Callable[[], tuple[Layout | None, list[bytes]]]:
    """_cut(text, key) in a forked process, while this one goes on (loads the cache): the
    function that waits for its answer, or makes it here if the child gave none.

    Why: after an edit of a large file, the cache's objects (10,000 articles: 0.45 s to
    unpickle) and the cut of the text (0.3 s: its items' lines and the digests of 70,000
    texts) are most of a read, and neither needs the other.
    """
    import gc

    answers = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `wait`, which the caller calls)
    thawed = gc.get_freeze_count() == 0  # (else the caller froze them, and keeps them so)
    gc.freeze()  # the child's collector leaves this process's objects alone (and unshared)
    pid = os.fork()
    if pid == 0:
        gc.disable()
        try:
            pickle.dump(_cut(text, key), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        finally:
            os._exit(0)
    if thawed:
        gc.unfreeze()

    def wait() -> tuple[Layout | None, list[bytes]]:
        try:
            os.waitpid(pid, 0)
            answers.seek(0)
            lay, digests = pickle.load(answers)
            if lay is None or (isinstance(lay, Layout) and len(digests) == len(lay.starts)):
                return lay, digests
        except Exception:
            pass
        finally:
            answers.close()
        return _cut(text, key)

    return wait


@dataclass
class Read:
    """A file read item by item: its Document (as a whole read makes it; with `items` False,
    the head's alone, the list None), what the caller's convert made of the list's items,
    and each item's text digest."""

    doc: Document
    values: list
    digests: list[bytes]


def read(
    text: str,
    display: str,
    key: str,
    convert: Convert,
    cache: Path | None,
    salt: bytes,
    items: bool = True,
) -> Read | None:
    """`text` (the file `display`) read item by item, or None when it cannot be (then the
    caller reads it whole). `cache`: the folder of the items already read, or None;
    `salt`: what the items' reading depends on (the code), so that another version's items
    are not taken. `items`: whether the Document's list is wanted; a caller that needs the
    values alone (the pages) spares unpickling the items' data, a third of a read after an
    edit (10,000 articles: 0.25 s)."""
    if len(text) < (ITEMWISE_FROM if cache is not None else FORK_FROM):
        return None
    store = _Store.at(cache, salt) if cache is not None else None
    if store is not None and len(text) >= FORK_FROM and may_fork():
        cut = _aside(text, key)  # while the cache is loaded here
        try:
            known = store.load(data=items)
        finally:
            lay, digests = cut()
    else:
        lay, digests = _cut(text, key)
        known = store.load(data=items) if store is not None and lay is not None else {}
    if lay is None:
        return None
    n = len(lay.starts)
    head_text = text[: lay.starts[0]]
    head_key = digest(_HEAD + head_text)
    head = _head(known.get(head_key), display)
    if head is None:
        try:
            head = yamlio.load(head_text, display)
        except InputError:
            return None
    # (what the cache keeps of the head, taken before the list is added to it)
    tables = _tables(head) if store is not None and head_key not in known else None
    data = head.data
    if not (isinstance(data, dict) and list(data)[-1:] == [key] and data[key] is None):
        return None
    # The last item is always parsed: where the list ends is part of the Document
    missing = [i for i in range(n - 1) if digests[i] not in known] + [n - 1]
    parsed = _parse(text, lay, _runs(missing), display, convert, store, digests, known)
    if parsed is None:
        return None
    fresh, end, kept = parsed
    entries = [fresh.get(i) or known[d] for i, d in enumerate(digests)]
    if items:
        data[key] = [entry[0] for entry in entries]
    values = [entry[1] for entry in entries]
    line, column, index = end
    head.marks[(key,)] = (lay.lines[0] + 1, lay.indent + 1)
    head.seq_starts[(key,)] = (lay.lines[0], lay.indent, lay.starts[0] + lay.indent)
    head.seq_ends[(key,)] = (lay.lines[-1] + line, column, lay.starts[-1] + index)
    head.text = text
    if store is not None:
        new = [(digests[i], fresh[i]) for i in sorted(fresh) if i not in kept]
        if tables is not None:
            new.append((head_key, (None, tables)))
        new = [entry for entry in new if entry[0] not in known]
        if new:  # (else nothing to keep: the usual read after a read)
            store.keep({*digests, head_key}, new)
    return Read(head, values, digests)


# The head's entry in the cache is keyed by the digest of its text after this (no item's text
# starts so): parsing the head (the story, its actors and meetings) anew was a tenth of a read
_HEAD = "\0head\n"


def _tables(doc: Document) -> tuple:
    """What the cache keeps of a head's Document: its data and tables, copied (`read` adds
    the list to them), all builtins (the cache's unpickler builds no other class)."""
    return (
        dict(doc.data) if isinstance(doc.data, dict) else doc.data,
        dict(doc.marks),
        dict(doc.key_marks),
        dict(doc.seq_ends),
        dict(doc.seq_starts),
    )


def _head(entry: tuple | None, display: str) -> Document | None:
    """The head's Document again from its cache entry (_tables), or None."""
    if entry is None:
        return None
    data, marks, key_marks, seq_ends, seq_starts = entry[1]
    return Document(
        display, dict(data), dict(marks), dict(key_marks), dict(seq_ends), dict(seq_starts)
    )


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive indices as ranges [a, b)."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


# An answer of _parse_runs: {item index: (data, value)} and where the last run's list ends
# (0-based line, column, index, counted from the last item's start), if it holds the last item
_Parsed = tuple[dict[int, tuple], tuple[int, int, int] | None]


def _parse_runs(
    text: str, lay: Layout, runs: list[tuple[int, int]], display: str, convert: Convert
) -> _Parsed | None:
    """The items of `runs`, each run parsed as a standalone list and taken only if it holds
    one item per piece, each starting on its piece's first line (see the module's docstring)."""
    out: dict[int, tuple] = {}
    end = None
    last = len(lay.starts) - 1
    for a, b in runs:
        try:
            doc = yamlio.load(text[lay.starts[a] : lay.end(b - 1)], display)
        except InputError:
            return None
        items = doc.data
        if not isinstance(items, list) or len(items) != b - a:
            return None
        first = lay.lines[a]
        for j in range(b - a):
            mark = doc.marks.get((j,))
            if mark is None or mark[0] - 1 != lay.lines[a + j] - first:
                return None
        values = convert(items)
        if values is None or len(values) != len(items):
            return None
        out.update(zip(range(a, b), zip(items, values, strict=True), strict=True))
        if b - 1 == last:
            line, column, index = doc.seq_ends[()]
            shift = lay.starts[last] - lay.starts[a]
            end = (line - (lay.lines[last] - first), column, index - shift)
    return out, end


def _parse(
    text: str,
    lay: Layout,
    runs: list[tuple[int, int]],
    display: str,
    convert: Convert,
    store: _Store | None,
    digests: list[bytes],
    known: dict[bytes, tuple],
) -> tuple[dict[int, tuple], tuple[int, int, int], set[int]] | None:
    """_parse_runs over `runs`, the later part in a forked process when there is much to
    parse; None if any piece is refused. Also the items already kept in the cache: in that
    case each process writes the segment of its new items (at the same time) and the child
    hands its items over through it (the first read of a large file)."""
    size = sum(lay.end(b - 1) - lay.starts[a] for a, b in runs)
    if size < FORK_FROM or not may_fork():
        answer = _parse_runs(text, lay, runs, display, convert)
        return None if answer is None or answer[1] is None else (answer[0], answer[1], set())
    mine, theirs = _share(lay, runs, size // 2)
    # A first read (nothing in the cache) writes its items as two segments, one per process;
    # after that, `keep` adds new items and merges the segments
    if store is not None and store.loaded:
        store = None
    import gc

    def new(fresh: dict[int, tuple]) -> list[tuple[bytes, tuple]]:
        return [(digests[i], fresh[i]) for i in sorted(fresh) if digests[i] not in known]

    # the child's answer goes into a file, which it writes without waiting for this process
    # to read (a pipe holds 64 KB; the items are 20 MB at 10,000 articles)
    with tempfile.TemporaryFile() as answers:
        thawed = gc.get_freeze_count() == 0  # (else the caller froze them, and keeps them so)
        gc.freeze()  # the child's collector leaves this process's objects alone (and unshared)
        pid = os.fork()
        if pid == 0:  # the child: the later items, or nothing
            gc.disable()  # it lives a few seconds
            try:
                answer = _parse_runs(text, lay, theirs, display, convert)
                if answer is not None and store is not None:
                    segment = store.add(new(answer[0]), aside=False)  # (it ends next)
                    if segment is not None:  # the items go over in the segment
                        answer = ({i: None for i in answer[0]}, answer[1], segment)
                pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
                answers.flush()
            finally:
                os._exit(0)
        if thawed:
            gc.unfreeze()
        try:
            own = _parse_runs(text, lay, mine, display, convert)
            kept = set()
            if own is not None and store is not None and store.add(new(own[0])) is not None:
                kept = set(own[0])
        finally:
            os.waitpid(pid, 0)
        answers.seek(0)
        blob = answers.read()
    if own is None:
        return None
    gc.disable()  # tens of thousands of containers at once: collections would rescan them all
    try:
        answer = pickle.loads(blob)
        if answer is not None and len(answer) == 3:
            fresh, end, segment = answer
            entries = dict(store.read(segment)) if store is not None else {}
            for i in fresh:
                fresh[i] = entries.get(digests[i]) or known[digests[i]]
            kept |= set(fresh)
            answer = (fresh, end)
    except Exception:
        answer = None
    finally:
        gc.enable()
    if answer is None or answer[1] is None:
        return None
    own[0].update(answer[0])
    return own[0], answer[1], kept


def _share(
    lay: Layout, runs: list[tuple[int, int]], half: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """`runs` cut in two at an item, the first holding about `half` characters."""
    mine: list[tuple[int, int]] = []
    taken = 0
    for k, (a, b) in enumerate(runs):
        size = lay.end(b - 1) - lay.starts[a]
        if taken + size < half:
            mine.append((a, b))
            taken += size
            continue
        # cut inside this run, at the first item past the half
        cut = a
        while cut < b - 1 and lay.starts[cut] - lay.starts[a] + taken < half:
            cut += 1
        if cut > a:
            mine.append((a, cut))
        return mine, [(cut, b), *runs[k + 1 :]]
    return mine, []


def may_fork() -> bool:
    """Whether this process can fork safely: not where other threads run (`mkdocs serve`),
    whose locks a child would inherit held."""
    return hasattr(os, "fork") and threading.active_count() == 1


def memo(cache: Path | None, salt: bytes, text: str, compute: Callable[[], object]) -> object:
    """compute(), which reads `text` alone, or what it gave for this very text last time (kept
    in the folder `cache`, with `salt` as in `read`). For a file read whole and rarely
    edited (seeds/sources.yaml: 10,000 entries, 0.4 s to parse and check)."""
    store = _Store.at(cache, salt) if cache is not None else None
    if store is None:
        return compute()
    key = digest(text)
    known = store.load(data=False)  # (its entries have none)
    if key in known:
        return known[key][1]
    value = compute()
    store.replace([(key, (None, value))])
    return value


def salt_of(*names: str) -> bytes:
    """A salt for `read` and `memo`: the bytes of these modules of the package (the code that
    reads and converts), and the YAML library's version."""
    import yaml

    hasher = hashlib.sha256(f"{yaml.__version__} {yamlio._CParser is not None}".encode())
    package = Path(__file__).parent
    for name in sorted({*names, "itemwise.py", "model.py", "yamlio.py"}):
        hasher.update(name.encode() + b"\0" + (package / name).read_bytes())
    return hasher.digest()


# ---------------------------------------------------------------------------------------------
# The cache: segments of (digest, (data, value)) entries (_Store)


def _key() -> bytes | None:
    """The key of the cache's digests, made on first use in the user's cache directory; None
    (no cache) where that directory cannot be written."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "arabic-explainer" / "cache.key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # another process's key, if it made one first
        os.unlink(tmp)
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


class _Unpickler(pickle.Unpickler):
    """Builds builtins, dates and the model's data classes, nothing else."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == ("datetime", "date"):
            return datetime.date
        cls = getattr(model, name, None) if module == model.__name__ else None
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            return cls
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed here")


@dataclass
class _Store:
    """The cache's folder: segments of entries, merged into one when they are many or mostly
    stale.

    A segment is signed in two parts: the salt and each entry's digest and value, then the
    entries' data, pickled by one Pickler (the data's strings are the values' strings, written
    once); a reader that wants the values alone unpickles the first part only. The file:
    the first part's keyed digest, the second's (over the first's digest and the second part),
    the first part's length (8 bytes), the parts.
    """

    folder: Path
    salt: bytes
    key: bytes
    loaded: list[Path] = dataclasses.field(default_factory=list)  # the segments read
    entries: int = 0  # the entries they hold
    known: dict[bytes, tuple] = dataclasses.field(default_factory=dict)
    data: bool = True  # whether `known` holds the entries' data (load)

    @classmethod
    def at(cls, folder: Path, salt: bytes) -> _Store | None:
        key = _key()
        return cls(folder, salt, key) if key is not None else None

    def _mac(self, payload: bytes | memoryview) -> bytes:
        return hashlib.blake2b(payload, key=self.key, digest_size=32, person=b"explainer").digest()

    def read(self, path: Path, data: bool = True) -> list[tuple[bytes, tuple]] | None:
        """The entries of the segment at `path`, if it is whole, signed and of this salt;
        without `data`, each entry's data is None."""
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        # (views and a file over the bytes read, not copies of tens of megabytes)
        view = memoryview(blob)
        size = int.from_bytes(view[64:72], "big") if len(blob) >= 72 else -1
        if not 0 <= size <= len(blob) - 72:
            return None
        first = self._mac(view[72 : 72 + size])
        if not hmac.compare_digest(view[:32], first):
            return None
        if data and not hmac.compare_digest(view[32:64], self._mac(first + view[72 + size :])):
            return None
        stream = io.BytesIO(blob)
        stream.seek(72)
        unpickler = _Unpickler(stream)
        try:
            salt, pairs = unpickler.load()
            if salt != self.salt or not isinstance(pairs, list):
                return None
            if not data:
                return [(d, (None, value)) for d, value in pairs]
            datas = unpickler.load()
            if not isinstance(datas, list) or len(datas) != len(pairs):
                return None
        except Exception:
            return None
        return [(d, (item, value)) for (d, value), item in zip(pairs, datas, strict=True)]

    def load(self, data: bool = True) -> dict[bytes, tuple]:
        """Every entry of the segments that are whole, signed and of this salt (without
        `data`, their data None); the others (another version's, or damaged) are of no use to
        anyone, and removed."""
        known = self.known
        self.data = data
        try:
            paths = sorted(self.folder.glob("*.items"))
        except OSError:
            return known
        import gc

        gc.disable()
        try:
            for path in paths:
                entries = self.read(path, data)
                if entries is None:
                    with contextlib.suppress(OSError):
                        path.unlink()
                    continue
                self.loaded.append(path)
                self.entries += len(entries)
                known.update(entries)
        finally:
            gc.enable()
        return known

    def add(self, entries: list[tuple[bytes, tuple]], aside: bool = True) -> Path | None:
        """A new segment of `entries`, written whole or not at all: its path, or None.

        Many entries are written by a forked process (`aside`), which this one waits for:
        pickling a text keeps its UTF-8 form in the string for the string's life, which for
        the Arabic text of 35,000 facts is 26 MB more that a generation would carry along.
        """
        if not entries:
            return None
        path = self.folder / f"{os.getpid()}-{secrets.token_hex(8)}.items"
        if aside and len(entries) >= ASIDE_FROM and may_fork():
            pid = os.fork()
            if pid == 0:
                try:
                    self._write(entries, path)
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
            return path if path.exists() else None
        return path if self._write(entries, path) else None

    def _write(self, entries: list[tuple[bytes, tuple]], path: Path) -> bool:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump((self.salt, [(d, value) for d, (_, value) in entries]))
        size = out.tell()
        pickler.dump([item for _, (item, _) in entries])
        payload = out.getbuffer()
        first = self._mac(payload[:size])
        second = self._mac(first + payload[size:])
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(first + second + size.to_bytes(8, "big"))
                fh.write(payload)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return False
        return True

    def keep(self, live: set[bytes], new: list[tuple[bytes, tuple]]) -> None:
        """Add the `new` entries; when the segments are many, or hold mostly entries that no
        item has any more, replace them all with one segment of the `live` entries."""
        stale = self.entries + len(new) > 2 * len(live) + 1000
        if len(self.loaded) + 1 < MAX_SEGMENTS and not stale:
            self.add(new)
            return
        if not self.data:  # loaded without the data, which the merged segment must hold
            self.known, self.loaded, self.entries = {}, [], 0
            self.load()
        merged = {d: e for d, e in self.known.items() if d in live}
        merged.update(new)
        self.replace(list(merged.items()))

    def replace(self, entries: list[tuple[bytes, tuple]]) -> None:
        """One new segment of `entries` in place of the segments loaded (kept if it cannot
        be written)."""
        if self.add(entries) is None:
            return
        for path in self.loaded:
            with contextlib.suppress(OSError):
                path.unlink()
