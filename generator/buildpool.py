"""MkDocs' page loop on every core, for the generated pages of a large story.

Why: MkDocs renders pages one after another on one core (Markdown, the theme's templates, the
search plugin's HTML parser: 10-20 ms a page). A story of 10,000 articles has over 12,000
generated pages, and the rendering of one page depends on no other page's rendering: the page
reads the list of files and the navigation, which MkDocs has worked out before its page loop.

How: MkDocs' build() calls two functions of its own module for every page, _populate_page
(Markdown to HTML) and then, once every page is read, _build_page (theme, write). While a
`mkdocs build` runs, the hook puts wrappers in their place (install()). The first wrapper puts
off the pages it is told are safe to render elsewhere (the generated pages);
at the first call of the second, once MkDocs has everything a page needs (files, navigation,
the theme's environment), worker processes forked from the build render those pages
(populate, then build, with MkDocs' own functions, so every plugin event runs as it would),
write them, and send back what the build still needs of each: the search plugin's entries,
the page's anchors and links to anchors (MkDocs checks them after the loop), and its log
messages. The build's own loop then takes each page's results at the page's turn, so the
search index, the warnings and the output are the same as a serial build's, byte for byte
(tests/test_site.py compares the two).

Only with plugins whose per-page state this module knows (the search plugins and
mkdocs-static-i18n, besides the explainer's hook), where processes can be forked, and when
there are pages enough to pay for it; a page whose rendering fails in a worker is rendered
again in the build's own process, which then fails as MkDocs would, with MkDocs' message.

EXPLAINER_BUILD_JOBS=N sets the number of worker processes (1: no workers), and then applies
to a build of any size; by default, one per core, from 500 deferred pages on.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mkdocs.commands import build as _mkbuild
from mkdocs.utils import meta

log = logging.getLogger("mkdocs.plugins.explainer")

JOBS_VARIABLE = "EXPLAINER_BUILD_JOBS"
MIN_PAGES = 500  # below this, a build takes seconds and forking is not worth it
CHUNK = 20  # pages per task: small enough to balance two workers, large enough to batch
# The plugins whose per-page work is known to be taken care of here; any other plugin may
# keep state of its own from page to page, which a worker's copy would lose.
KNOWN_PLUGINS = {"search", "material/search", "i18n"}

_populate_page = _mkbuild._populate_page
_build_page = _mkbuild._build_page


@dataclass
class PageResult:
    """What a worker sends back of one page: what the build needs after its page loop."""

    src_uri: str
    failed: bool = False
    records: list[tuple[str, int, str]] = field(default_factory=list)
    entries: list = field(default_factory=list)
    anchors: set[str] | None = None
    links: dict[str, dict[str, str]] | None = None
    title: str | None = None


class _Capture(logging.Handler):
    """A worker's log messages, kept to be logged by the build in the page's turn."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class _Run:
    """One build()'s deferred pages and their rendering."""

    def __init__(self, jobs: int, min_pages: int) -> None:
        self.jobs = jobs
        self.min_pages = min_pages
        self.pending: list = []  # Page objects put off by _populate_page, in MkDocs' order
        self.pending_ids: set[int] = set()
        self.results: dict[str, PageResult] = {}
        self.stream: Iterator[list[PageResult]] | None = None
        self.pool = None
        self.started = False
        self.args: tuple = ()
        self.files = None  # the build's Files, as _populate_page is given them
        self.frozen = False  # gc.freeze() while the workers run
        self.taken = 0  # deferred pages whose turn has come in the build loop


_eligible: Callable | None = None
_jobs = 1
_min_pages = MIN_PAGES
_run: _Run | None = None  # the build() under way; forked workers read it
_capture: _Capture | None = None


def jobs_wanted() -> tuple[int, int]:
    """(worker processes, pages needed to use them), from EXPLAINER_BUILD_JOBS or the cores."""
    value = os.environ.get(JOBS_VARIABLE, "").strip()
    if value:
        try:
            jobs = int(value)
        except ValueError:
            jobs = 0
        if jobs < 1:
            log.warning("%s=%r: not a number of processes; building on one", JOBS_VARIABLE, value)
            return 1, 0
        return jobs, 1
    from .pages import cores

    return cores(), MIN_PAGES


def install(
    eligible: Callable | None,
    plugins: list[str],
    jobs: int | None = None,
    min_pages: int | None = None,
) -> None:
    """Render the pages `eligible(page)` accepts in workers, from the next build() on.

    `eligible` None (or one process wanted, or an unknown plugin, or no fork) puts MkDocs'
    own page loop back. `jobs` and `min_pages` default to jobs_wanted().
    """
    global _eligible, _jobs, _min_pages, _run
    if _run is not None:
        _stop(_run)  # a build that failed midway leaves its workers
    _run = None
    if jobs is None or min_pages is None:
        wanted = jobs_wanted()
        jobs = wanted[0] if jobs is None else jobs
        min_pages = wanted[1] if min_pages is None else min_pages
    unknown = sorted(p for p in plugins if p not in KNOWN_PLUGINS and not p.startswith("__"))
    if unknown and eligible is not None and jobs > 1:
        log.info("explainer: pages rendered on one core (plugins %s)", ", ".join(unknown))
    if (
        eligible is None
        or jobs < 2
        or unknown
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        _mkbuild._populate_page = _populate_page
        _mkbuild._build_page = _build_page
        _eligible = None
        return
    _eligible, _jobs, _min_pages = eligible, jobs, min_pages
    _mkbuild._populate_page = populate_page
    _mkbuild._build_page = build_page


def populate_page(page, config, files, dirty: bool = False) -> None:
    """MkDocs' _populate_page, which puts off the pages the workers will render."""
    global _run
    if _run is None or _run.started:
        _run = _Run(_jobs, _min_pages)  # a new build() (mkdocs-static-i18n runs one a language)
    if _eligible is not None and not dirty and _eligible(page):
        _run.files = files
        _run.pending.append(page)
        _run.pending_ids.add(id(page))
        # Its front matter and title, which the other pages' menus may show (a page of the
        # nav), are read here; the rest of the page is the workers' job.
        _read_front_matter(page, config)
        return
    _populate_page(page, config, files, dirty)


HEAD = 16384  # characters read for a page's front matter (a generated page's is a few hundred)


def _read_front_matter(page, config) -> None:
    """MkDocs' page.read_source for a deferred page, from the start of its file only when
    that holds the whole front matter, with a title.

    A worker reads the source again (_render). Kept here until the build's end (and, with
    mkdocs-static-i18n, through the next language's build, forked from this process), the
    Markdown of every deferred page would be most of what the build holds; reading every
    file whole, here in the build's one process while the workers wait, was a second of a
    10,000-article build with both editions. Anything unusual (a plugin that gives pages
    their source, a file that cannot be read or decoded, no title in the front matter) and
    the page is read as MkDocs reads it.
    """
    file = page.file
    if config.plugins.events.get("page_read_source") or file.generated_by or not file.abs_src_path:
        page.read_source(config)
        return
    try:
        with open(file.abs_src_path, encoding="utf-8-sig", errors="strict") as f:
            head = f.read(HEAD)
    except (OSError, ValueError):
        page.read_source(config)  # and its message
        return
    found = meta.YAML_RE.match(head)
    data = meta.get_data(head[: found.end()])[1] if found else {}
    if "title" not in data:
        page.read_source(config)
        return
    page.markdown, page.meta = "", data


def build_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False):
    """MkDocs' _build_page; a deferred page takes its results from the workers instead."""
    run = _run
    if run is None or id(page) not in run.pending_ids:
        return _build_page(page, config, doc_files, nav, env, dirty, excluded)
    if not run.started:
        _start(run, (config, doc_files, nav, env, dirty, excluded))
    result = _take(run, page.file.src_uri)
    if result is None or result.failed:
        # rendered here, as MkDocs would have: a failure raises with MkDocs' own message
        try:
            _populate_page(page, config, run.files, dirty)
            return _build_page(page, config, doc_files, nav, env, dirty, excluded)
        except BaseException:
            _stop(run)
            raise
    for name, level, message in result.records:
        logging.getLogger(name).log(level, message)
    entries = search_entries(config)
    if entries is not None:
        entries.extend(result.entries)
    page.present_anchor_ids = result.anchors
    if result.links is not None:
        by_uri = run.files.src_uris  # the build's File objects, which MkDocs' check reads
        page.links_to_anchors = {
            by_uri[uri]: links for uri, links in result.links.items() if uri in by_uri
        }
    if result.title is not None:
        page._title_from_render = result.title
    return None


def _start(run: _Run, args: tuple) -> None:
    """Fork the workers over the deferred pages (or render them here when too few)."""
    run.started = True
    run.args = args
    n = len(run.pending)
    if n < max(run.min_pages, 1):
        return  # _take finds no results: each page is rendered in its turn, here
    context = multiprocessing.get_context("fork")
    jobs = min(run.jobs, max(1, n // CHUNK))
    # The workers share the build's memory with it until either side writes to a page of it;
    # a garbage collection writes to every object it scans, and would soon make each process
    # a full copy (on 10,000 articles: 500 MB more in all). Every object alive now stays
    # alive for the page loop anyway: they are left out of the collections until it ends.
    gc.collect()  # what is garbage now would otherwise stay, frozen, for the whole loop
    _trim()  # and what generating the pages freed goes back to the system before the fork
    gc.freeze()
    run.frozen = True
    run.pool = context.Pool(jobs, initializer=_worker_init)
    bounds = [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]
    run.stream = run.pool.imap(_render_chunk, bounds)
    log.debug("explainer: %d pages rendered by %d worker processes", n, jobs)


def _take(run: _Run, src_uri: str) -> PageResult | None:
    while src_uri not in run.results and run.stream is not None:
        try:
            chunk = next(run.stream)
        except StopIteration:
            run.stream = None
            break
        except BaseException:
            _stop(run)
            raise
        for result in chunk:
            run.results[result.src_uri] = result
    result = run.results.pop(src_uri, None)
    run.taken += 1
    if run.taken == len(run.pending):
        _stop(run)  # every page is back: the workers' memory is freed before on_post_build
    return result


def _stop(run: _Run) -> None:
    if run.pool is not None:
        run.pool.terminate()
        run.pool.join()
        run.pool = None
    run.stream = None
    if run.frozen:
        gc.unfreeze()
        run.frozen = False


def in_fork(function: Callable):
    """function() run in a forked process, its return value (picklable) brought back.

    For work whose memory the build should not keep: the process ends with it. Where
    processes cannot be forked, function() runs here.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return function()
    global _forked
    _forked = function
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            return pool.apply(_call_forked)
    finally:
        _forked = None


_forked: Callable | None = None


def _call_forked():
    assert _forked is not None
    return _forked()


def search_entries(config) -> list | None:
    """The search plugin's list of entries (Material's or MkDocs' own)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        index = getattr(plugin, "search_index", None)
        if index is not None:
            entries = getattr(index, "entries", None)
            if entries is None:
                entries = getattr(index, "_entries", None)
            return entries
    return None


# --------------------------------------------------------------------------------------------
# In the workers


def _worker_init() -> None:
    """A forked worker: its log messages go back to the build, not to the terminal."""
    global _capture
    _capture = _Capture()
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.addHandler(_capture)


def _render_chunk(bounds: tuple[int, int]) -> list[PageResult]:
    start, end = bounds
    assert _run is not None
    results = [_render(page) for page in _run.pending[start:end]]
    _trim_if_grown()
    return results


# What a worker may hold beyond what it held after its last trim: what its pages freed is kept
# for the next ones up to this much (giving it back after every chunk, as this module did, had
# the next chunk take it from the system again, a page fault every 4 KB: on 10,000 articles,
# 160,000 faults more, and seconds of the kernel's time), and given back past it
TRIM_ABOVE = 64 << 20
_kept = 0  # the worker's resident bytes after its last trim


def _trim_if_grown() -> None:
    global _kept
    resident = _resident()
    if resident is None or resident > _kept + TRIM_ABOVE:
        _trim()
        _kept = _resident() or 0


def _resident() -> int | None:
    """This process's resident bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _trim() -> None:
    """Give the memory the pages freed back to the system (glibc keeps it otherwise: a worker
    would hold the high-water mark of its largest pages for the rest of the build)."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def _render(page) -> PageResult:
    """Populate and build one page with MkDocs' functions, as the build would have."""
    assert _run is not None and _capture is not None
    config, doc_files, nav, env, dirty, excluded = _run.args
    entries = search_entries(config)
    before = len(entries) if entries is not None else 0
    _capture.records = []
    result = PageResult(page.file.src_uri)
    try:
        _populate_page(page, config, _run.files, dirty)
        _build_page(page, config, doc_files, nav, env, dirty, excluded)
    except Exception:
        result.failed = True
        return result
    finally:
        if entries is not None:
            result.entries = entries[before:]
            del entries[before:]
    result.records = _capture.records
    result.anchors = page.present_anchor_ids
    if page.links_to_anchors:
        result.links = {f.src_uri: links for f, links in page.links_to_anchors.items()}
    result.title = page._title_from_render
    page.toc = []  # the worker keeps nothing of the page it has written
    return result
