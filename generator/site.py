"""The site stage: page generation inside MkDocs, and `explainer build` / `explainer serve`.

Generation runs as a MkDocs hook (mkdocs.yml: hooks/explainer_hook.py re-exports the events
below) rather than as a separate step, so that a maintainer's plain `mkdocs build --strict` or
`mkdocs serve` on a fresh clone builds the current facts.yaml and never a stale set of pages,
and so that an edit of facts.yaml during `mkdocs serve` reloads the browser.

The serve loop settles by itself: a change of facts.yaml triggers a rebuild, the rebuild
rewrites only the pages whose bytes changed, the watcher of site_src/ sees those and triggers
one more rebuild, which writes nothing.

After the build, the search index gets an extra field per entry with the words of the entry in
their normalised Arabic forms (generator.arabic.normalize) and without proclitics and article
(token_variants), so that "سراج" finds "السراج" and "ابريل" finds "إبريل"; the query side is
normalised the same way in the browser by site_src/assets/explainer-search.js.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .arabic import token_variants, tokens
from .model import InputError, Problem
from .project import Project
from .yamlio import atomic_write

log = logging.getLogger("mkdocs.plugins.explainer")

SEARCH_FIELD = "norm"  # the extra search field; mkdocs.yml gives it a boost under plugins.search
_TAG = re.compile(r"<[^>]*>")
# href="../dates/2020-02-18.md#f-x": a relative .md link left in raw HTML (MkDocs rewrote all
# the others); no scheme, so an absolute URL is never touched.
_RAW_MD_LINK = re.compile(r'\b(href)="([^":#?]+\.md)(#[^"]*)?"')


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_pre_build(config: MkDocsConfig) -> None:
    """Load facts.yaml and seeds/sources.yaml and (re)generate the pages into docs_dir."""
    from .factindex import load_index
    from .ingest import load_sources
    from .pages import generate

    root = _root(config)
    project = Project(root)
    try:
        index = load_index(project.facts, project.display(project.facts))
        sources = load_sources(project.seeds, project.display(project.seeds))
        result = generate(index, sources, Path(config.docs_dir))
    except InputError as e:
        lines = "\n".join(p.format() for p in e.problems)
        raise PluginError(f"the pages cannot be generated:\n{lines}") from e
    log.info(
        "explainer: %d pages written, %d unchanged, %d removed",
        result.written,
        result.unchanged,
        result.removed,
    )


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Resolve the .md links of raw HTML (the SVG figures) as MkDocs resolves Markdown links.

    MkDocs rewrites only the links of Markdown syntax; the figures are inline SVG, so their
    links are written as .md paths and turned into the page's URL form here. A link to a page
    that does not exist is a warning, which fails `mkdocs build --strict` as a broken Markdown
    link does.
    """
    base = posixpath.dirname(page.file.src_uri)

    def resolve(match: re.Match) -> str:
        target, anchor = match.group(2), match.group(3) or ""
        path = posixpath.normpath(posixpath.join(base, html.unescape(target)))
        file = files.get_file_from_path(path)
        if file is None:
            log.warning("%s: link to %s in a figure: no such page", page.file.src_uri, path)
            return match.group(0)
        return f'{match.group(1)}="{file.url_relative_to(page.file)}{anchor}"'

    return _RAW_MD_LINK.sub(resolve, html_text)


def on_serve(server, config: MkDocsConfig, builder):
    """Rebuild when the inputs of the generated pages change, not only when site_src/ does."""
    root = _root(config)
    for path in (root / "facts.yaml", root / "seeds"):
        if path.exists():
            server.watch(str(path))
    return server


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config: MkDocsConfig) -> None:
    """Add the normalised words of every entry to the search index."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.exists():
        add_normalised_terms(path)


def normalised_terms(text: str) -> str:
    """The words of an HTML fragment, folded and without proclitics, sorted and unique."""
    plain = html.unescape(_TAG.sub(" ", text))
    words: set[str] = set()
    for token, _, _ in tokens(plain):
        words |= token_variants(token)
    return " ".join(sorted(words))


def add_normalised_terms(path: Path) -> None:
    """Give each document of Material's search index its normalised words in SEARCH_FIELD."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        doc[SEARCH_FIELD] = normalised_terms(f"{doc.get('title', '')} {doc.get('text', '')}")
    atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


# --------------------------------------------------------------------------------------------
# `explainer build` and `explainer serve`


def _mkdocs_logging(level: int) -> None:
    """Show MkDocs' messages when it runs inside our CLI (its own CLI sets this up itself)."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)


def build(project: Project, site_dir: Path | None = None, strict: bool = True) -> None:
    """`mkdocs build` of the project (pages generated by the hook), strict by default.

    Input problems come back as the InputError the hook met, so the CLI prints them as
    PATH:LINE:COLUMN lines; any other failure of MkDocs becomes one located problem.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    _mkdocs_logging(logging.WARNING)
    try:
        config = load_config(
            str(project.mkdocs_yml),
            strict=strict,
            site_dir=str(site_dir) if site_dir else None,
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except PluginError as e:
        if isinstance(e.__cause__, InputError):
            raise e.__cause__ from None
        raise InputError([Problem("mkdocs.yml", None, None, f"mkdocs build: {e}")]) from e
    except (Abort, ConfigurationError) as e:
        raise InputError([Problem("mkdocs.yml", None, None, f"mkdocs build: {e}")]) from e


def serve(project: Project, dev_addr: str = "127.0.0.1:8000") -> None:
    """`mkdocs serve` of the project with live reload on facts.yaml and seeds/ (see on_serve)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _mkdocs_logging(logging.INFO)
    try:
        mkdocs_serve(config_file=str(project.mkdocs_yml), dev_addr=dev_addr, livereload=True)
    except (Abort, ConfigurationError) as e:
        raise InputError([Problem("mkdocs.yml", None, None, f"mkdocs serve: {e}")]) from e
