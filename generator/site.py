"""The site stage: page generation inside MkDocs, and `explainer build` / `explainer serve`.

Generation runs as a MkDocs hook (mkdocs.yml: hooks/explainer_hook.py re-exports the events
below) rather than as a separate step, so that a maintainer's plain `mkdocs build --strict` or
`mkdocs serve` on a fresh clone builds the current facts.yaml and never a stale set of pages,
and so that an edit of facts.yaml during `mkdocs serve` reloads the browser.

The serve loop settles by itself: a change of facts.yaml triggers a rebuild, the rebuild
rewrites only the pages whose bytes changed, the watcher of site_src/ sees those and triggers
one more rebuild, which finds its inputs unchanged (pages.generate_if_changed) and generates
nothing. Under `mkdocs serve --dirty` (as `explainer serve` runs it) MkDocs then renders only
the pages whose files changed: a one-fact edit re-renders a handful of pages, not the site.

For speed at scale (10,000 articles, over 12,000 pages) the hook also keeps the bulk of the
generated pages away from MkDocs' slowest steps without changing a byte of the output: the
fact cards, which the generator writes as HTML, are kept from Python-Markdown (on_page_markdown),
and the SVG figures are put into the finished page after the theme and the search plugin have
run.

Each entry of the search index gets an extra field with the words of the entry in
their normalised Arabic forms (generator.arabic.normalize) and without proclitics and article
(token_variants), so that "سراج" finds "السراج" and "ابريل" finds "إبريل"; the query side is
normalised the same way in the browser by site_src/assets/explainer-search.js.

The English edition: when mkdocs.yml's `i18n` plugin (mkdocs-static-i18n) builds the language
`en`, the hook generates the English pages too (actors/gna.en.md beside actors/gna.md). The
plugin builds the Arabic site, then, from its own on_post_build, runs a whole second build()
for English into site/en/, and at the end gathers the search entries of both. The hook does
its work once: it generates every edition's pages in the outer build (on_pre_build runs
before MkDocs lists the files, so the .en.md pages are there to be found), and writes one
search index per edition (search/, en/search/) once the plugin gathered the entries; the
nested build does neither.
"""

from __future__ import annotations

import html
import json
import logging
import os
import posixpath
import re
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import directhtml, fasthtml, i18nfiles, themecache
from .arabic import WORD, normalize, token_variants
from .directhtml import list_html
from .model import InputError, Problem
from .pages import SEARCH_EXCLUDE as _SEARCH_EXCLUDE
from .project import Project

log = logging.getLogger("mkdocs.plugins.explainer")

SEARCH_FIELD = "norm"  # the extra search field; mkdocs.yml gives it a boost under plugins.search
_TAG = re.compile(r"<[^>]*>")
# href="../dates/2020-02-18.md#f-x": a relative .md link left in raw HTML (MkDocs rewrote all
# the others); no scheme, so an absolute URL is never touched. The attribute's name must not
# be the end of a longer word (r"\bhref"): _resolve_links checks that itself, since a pattern
# starting with a literal is found by a fast search, one starting with \b by trying every
# position (35 against 2 ms for 2 MB of pages; the figures of a story are megabytes).
_RAW_MD_LINK = re.compile(r'href="([^":#?]+\.md)(#[^"]*)?"')


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def english_edition(config: MkDocsConfig) -> bool:
    """Whether the site has its English edition: the i18n plugin is there and builds "en"."""
    plugin = config.plugins.get("i18n")
    return plugin is not None and "en" in getattr(plugin, "build_languages", ())


def english_configured(project: Project) -> bool:
    """Whether `mkdocs build` of the project builds the English edition (its mkdocs.yml)."""
    if not project.mkdocs_yml.exists():
        return False
    from mkdocs.config import load_config

    try:
        config = load_config(str(project.mkdocs_yml))
    except (Abort, ConfigurationError) as e:
        raise InputError([Problem("mkdocs.yml", None, None, f"mkdocs.yml: {e}")]) from e
    return english_edition(config)


def _nested_language_build(config: MkDocsConfig) -> bool:
    """True inside the build() that mkdocs-static-i18n runs for a further language."""
    plugin = config.plugins.get("i18n")
    return bool(getattr(plugin, "building", False))


@event_priority(-110)  # after mkdocs-static-i18n's on_config (-100), for every language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """English search when there is an English edition; MkDocs' own sitemap.xml when the site
    has no site_url; one 404 page, in Arabic.

    mkdocs-static-i18n puts its own sitemap template first in the theme's folders; without a
    site_url it lists every page as "None<path>" and dates each entry with the day of the build
    (so that two builds on two days differ). MkDocs' own template writes an empty sitemap
    then, as it always did here; with a site_url the plugin's (with both editions) is kept.
    """
    if not config.site_url:
        config.theme.dirs[:] = [
            d for d in config.theme.dirs if Path(d).name != "custom_i18n_sitemap"
        ]
    # The search languages: English too when the site has its English edition (mkdocs.yml
    # turns the plugin's own search set-up off, see there).
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and english_edition(config):
        langs = list(search.config.lang or [])
        if "en" not in langs:
            search.config.lang = [*langs, "en"]
    if search is not None:
        _fast_search_parser(search)
    global _browser_separator, _editions
    _editions = further_editions(config)  # (on_post_page reads it on every page)
    _browser_separator = (
        _as_browser_splits(search.config.separator or "")
        if search is not None and search is config.plugins.get("material/search")
        else None
    )
    i18nfiles.install(remember=_serving)
    i18nfiles.plain_admonitions(config)
    _parallel_pages(config)
    _index_written_once(config)
    directhtml.install(DIRECT_PAGES, config)
    # Every language's build() writes the theme's 404.html to the root of the site; the last
    # one would win (English, as the plugin builds it after Arabic). Only the primary
    # edition's build writes it.
    plugin = config.plugins.get("i18n")
    if plugin is not None:
        static = config.theme.static_templates
        if plugin.current_language == plugin.default_language:
            if _held_back:
                static.update(_held_back)
                _held_back.clear()
        elif "404.html" in static:
            static.discard("404.html")
            _held_back.add("404.html")
    return config


_held_back: set[str] = set()  # theme templates only the primary edition's build writes


def _fast_search_parser(plugin: object) -> None:
    """Give Material's search plugin's HTML parser the faster tokenizer of
    generator/fasthtml.py (its Parser, an html.parser subclass in the plugin's module, reads
    every page); the parser keeps its handlers, and so its output. And its module the `re`
    of _SearchModuleRe.
    """
    module = sys.modules.get(type(plugin).__module__)
    parser = getattr(module, "Parser", None)
    if isinstance(parser, type) and issubclass(parser, HTMLParser):
        fasthtml.install(parser)
    if getattr(module, "re", None) is re:
        module.re = _SearchModuleRe()  # type: ignore[union-attr]


# What Material's search plugin takes out of every page once it has read it (its
# on_page_context): its data-search-* attributes, each with a white-space character before it.
MATERIAL_SEARCH_ATTRS = r"\s?data-search-\w+=\"[^\"]+\""


class _SearchModuleRe:
    """The `re` module as Material's search plugin's module sees it: `re` itself, but for the
    substitution of MATERIAL_SEARCH_ATTRS, which _cut makes: its pattern starts with optional
    white space, so it is tried at every position of every page (two seconds of a large
    build); _cut gives the same text (tests/test_site.py, on hostile text)."""

    def __getattr__(self, name: str) -> object:
        return getattr(re, name)

    @staticmethod
    def sub(pattern, repl, string, count=0, flags=0):  # type: ignore[no-untyped-def]
        if (
            pattern == MATERIAL_SEARCH_ATTRS
            and repl == ""
            and not count
            and not flags
            and type(string) is str
        ):
            return _cut(string, _SEARCH_ATTRS, 1)
        return re.sub(pattern, repl, string, count=count, flags=flags)


def on_env(env, config: MkDocsConfig, files: Files):
    """Render the parts of the theme's frame that depend only on a page's folder once per
    folder (generator/themecache.py); under `mkdocs serve`, note the pages of the site (the
    search index keeps only theirs)."""
    themecache.install(env)
    if _serving:
        # a page's URL, as its entries' locations start ("" for the home page's "./")
        _serve_pages.update(f.page.url for f in files.documentation_pages() if f.page)
    return env


def _parallel_pages(config: MkDocsConfig) -> None:
    """Render the generated pages on every core in `mkdocs build` (generator/buildpool.py).

    Not under `mkdocs serve`: a rebuild there renders the handful of pages an edit touched,
    and the server's threads make forking unsafe.
    """
    from . import buildpool

    others = [
        name
        for name, plugin in config.plugins.items()
        if getattr(plugin, "on_page_markdown", None) is not on_page_markdown
    ]
    buildpool.install(None if _serving or not _building else _deferrable, others)


def _index_written_once(config: MkDocsConfig) -> None:
    """Material's search plugin writes a placeholder where the hook writes the index next
    (_write_indexes; under `mkdocs serve`, _write_serve_index).

    Material writes its index at the end of every build() as one string, every Arabic letter
    escaped (six bytes for two), then encoded: with the English edition, three times (each
    edition's build, then mkdocs-static-i18n's joint index), each to be overwritten. On
    10,000 articles with both editions, the last of those writes held about 1 GB at once,
    most of the build's peak. The hook writes the same entries once, streamed, in UTF-8;
    Material's own write stays wherever the hook's would not follow (see _index_in_memory).

    Under `mkdocs serve --dirty`, Material merges the last build's index with the entries of
    the pages it rendered again (its `prev`); with mkdocs-static-i18n's joint index that
    merge kept every rebuild's entries of both editions, and each rebuild wrote (and the hook
    read back) a longer index than the last: 4 s, then 8 s, then 16 s for a one-fact edit on
    1,000 articles. The hook keeps the entries page by page instead (_write_serve_index).
    """
    plugin = config.plugins.get("material/search")
    index = getattr(plugin, "search_index", None)
    generate = getattr(index, "generate_search_index", None)
    if not (_building or _serving) or generate is None:
        return

    def placeholder(prev):
        if (prev is None or _serving) and _index_in_memory(config) is not None:
            return '{"config":{},"docs":[]}'
        return generate(prev)

    index.generate_search_index = placeholder


def _deferrable(page: Page) -> bool:
    """A page whose rendering needs nothing of any other's: a generated one (they link to
    each other, which needs only the list of files)."""
    return page.file.src_uri in _generated


def on_pre_build(config: MkDocsConfig) -> None:
    """Load facts.yaml and seeds/sources.yaml and (re)generate the pages into docs_dir."""
    from .factindex import index_problems, read_index
    from .ingest import load_sources
    from .pages import Incremental, _read_manifest, generate_if_changed

    _slots.clear()
    _anchors.clear()
    _link_urls.clear()
    _figures.clear()
    _late.clear()
    if _nested_language_build(config):
        return  # the outer build generated the pages of every edition moments ago
    # mkdocs-static-i18n (1.3) collects the search entries of every build of the process into
    # the joint index, never dropping the last build's: under `mkdocs serve` each rebuild
    # would add the whole site to the index again. A build starts from none.
    entries = getattr(config.plugins.get("i18n"), "search_entries", None)
    if isinstance(entries, list):
        entries.clear()
    _serve_pages.clear()
    _serve_rendered.clear()
    root = _root(config)
    project = Project(root)

    found: list[Problem] = []

    def load():
        loaded = read_index(project.facts, project.display(project.facts), project.facts_cache)
        # Problems that syntax and schema do not catch (an unknown actor id, 2020-02-30) are
        # warnings of the build: `mkdocs build --strict` fails on them, `mkdocs serve` shows
        # them located and goes on with what can be shown. The quotes against the seeds are
        # `explainer check`'s (and CI's) business: too slow for every preview.
        found.extend(index_problems(loaded))
        return loaded.index, load_sources(
            project.seeds, project.display(project.seeds), project.sources_cache
        )

    global _incremental
    if _serving and _incremental is None:
        _incremental = Incremental()

    def generate():
        """(result, problems, None) or (None, problems, the InputError's problems)."""
        try:
            result = generate_if_changed(
                [project.facts, project.sources_yaml],
                Path(config.docs_dir),
                load,
                project.pages_stamp,
                english=english_edition(config),
                incremental=_incremental,
            )
        except InputError as e:
            return None, found, e.problems
        return result, found, None

    if _building:
        from .buildpool import in_fork

        # In a process of its own: the build keeps none of the parsed facts.yaml and of the
        # rendering's memory (on 10,000 articles, 180 MB that its page workers would share)
        result, problems, failure = in_fork(generate)
    else:
        result, problems, failure = generate()
    for problem in problems:
        log.warning(problem.format())
    if failure is not None:
        lines = "\n".join(p.format() for p in failure)
        raise PluginError(f"the pages cannot be generated:\n{lines}") from InputError(failure)
    if problems:
        # no stamp: the next build reads facts.yaml again and warns again (--strict fails)
        project.pages_stamp.unlink(missing_ok=True)
    _generated.clear()
    _generated.update(_read_manifest(Path(config.docs_dir)))
    log.info(
        "explainer: %d pages written, %d unchanged, %d removed",
        result.written,
        result.unchanged,
        result.removed,
    )


# --------------------------------------------------------------------------------------------
# The fact cards without Python-Markdown
#
# The cards (and the citations of source pages, and the one-line facts of busy pages) are
# most of a large site's pages, and Python-Markdown turns about a megabyte a second into
# HTML: minutes for 10,000 articles. The generator writes them as the HTML Python-Markdown
# made of them (generator/pages.py: card_html, the templates' citations and lines), every
# editor's string escaped to inert text; the hook takes each out before Markdown runs (an
# empty placeholder, so that neither Python-Markdown nor MkDocs reads it again) and puts it
# back afterwards, its .md links resolved as the figures' are (tests/test_site.py checks the
# page is what Python-Markdown makes of it, on the fixtures, hostile ones included). A block
# may end the text without a newline: mkdocs-static-i18n's on_page_markdown, which runs
# before the hook's, joins the lines again without the last one.
# The pages' own lists (list_html; a source page's particulars, the home page's contents),
# left in Markdown, are converted here. generator/directhtml.py does that, and makes the
# HTML of what is then left of most pages (headings, plain paragraphs, placeholders)
# without Python-Markdown at all.

# (the card's id: MkDocs checks links to it; a block ends at its first line "</div>": no
# line inside one starts so, and no editor's text can hold a line break or a "<"; looked for
# line by line, five times as fast as character by character)
_CARD = re.compile(
    r'^(?:<div class="(?:ex-fact|ex-fact ex-unreviewed|ex-cite)"(?: data-search-exclude="true")?'
    r'(?: id="(f-[a-z0-9-]+)")?>'
    r'|<div class="ex-lines" data-search-exclude="true">)\n(?:[^\n]*\n)+?</div>(?:\n|\Z)',
    re.M,
)
# One placeholder stands for a run of blocks with nothing but blank lines between them:
# Python-Markdown's HTML of the run is theirs, one after the other, a blank line between two
# (it ends a raw HTML block with one).
_SLOT = re.compile(r'<div data-ex-slot="([\d,]+)"></div>(?:\n(?=\n))?')
_SLOT_RUN = re.compile(r'<div data-ex-slot="\d+"></div>\n(?:\n*<div data-ex-slot="\d+"></div>\n)*')
_SLOT_NUMBER = re.compile(r"\d+")
# A list of the page itself (an actor's particulars, a source's, the home page's contents):
# lines "- " between blank lines, which Python-Markdown makes a tight list of.
# (It starts with "-", which the search for a match skips to, and looks behind it for the
# blank line: a pattern that starts by looking behind is tried at every position.)
_LIST = re.compile(r"-(?<=\n\n-) [^\n]*(?:\n|\Z)(?:- [^\n]*(?:\n|\Z))*(?=\n|\Z)")
_slots: dict[str, list[str]] = {}
_anchors: dict[str, list[str]] = {}  # the ids of the cards taken out of a page
# The SVG figures (a tenth to a third of a page's bytes) and the JSON-LD blocks skip Markdown
# and the search plugin's HTML parser (which excludes both from the index anyway): a
# placeholder stands in for each until the theme has rendered the page.
_FIGURE = re.compile(
    r'^(?:<figure class="ex-figure" data-search-exclude="true"><svg [^\n]*</svg></figure>'
    r'|<script type="application/ld\+json">[^\n]*</script>)$',
    re.M,
)
_FIGURE_SLOT = re.compile(r'<div data-ex-figure="(\d+)"></div>')
_figures: dict[str, list[str]] = {}
# what Material's search plugin takes out of a page's HTML once it has read it (with one
# white-space character before it: see _cut)
_SEARCH_ATTRS = re.compile(r'data-search-\w+="[^"]+"')
# The cards and lists excluded from search, put in after the theme (on_page_content)
_LATE_SLOT = re.compile(r'<div data-ex-late="(\d+)"></div>')
_late: dict[str, list[str]] = {}
_LATE_JOIN = "\x00"  # between a page's late blocks, whose links are resolved in one pass
# Inside a card that search reads: the paragraphs it skips (pages.card_html writes no other
# <p> with attributes, each on a line of its own), a run of them as one, with the quotation
# that holds nothing else (a candidate's quote, which is its summary, and who cites it): the
# search plugin's parser would read each of their tags and line breaks only to skip them.
# (A pattern that starts with "<", which the search for a match skips to, rather than with an
# optional group, which it would try at every position: three times as fast.)
_EXCLUDED_PARAGRAPHS = re.compile(
    r'<(?:(blockquote)>\n<p|p) data-search-exclude="true">[^\n]*?</p>'
    r'(?:\n<p data-search-exclude="true">[^\n]*?</p>)*(?(1)\n</blockquote>)'
)
_files: Files | None = None
_generated: set[str] = set()
# False: every generated page through Python-Markdown (tests/test_site.py builds both ways)
DIRECT_PAGES = True


@event_priority(-200)  # after mkdocs-static-i18n has put its own Files in place (-100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Remember the file a link target names, for the rest of this build.

    Every link of every page is looked up in the build's files, by MkDocs (Markdown links)
    and by the hook (raw HTML): about 20 lookups a page, and a few thousand distinct targets
    on a large story. mkdocs-static-i18n's lookup tries each language's variant of the path
    and is a tenth of a millisecond; the build's files do not change once listed, so each
    target is looked up once.
    """
    lookup = files.get_file_from_path
    found: dict[str, object] = {}

    def get_file_from_path(path: str):
        try:
            return found[path]
        except KeyError:
            file = found[path] = lookup(path)
            return file

    files.get_file_from_path = get_file_from_path  # type: ignore[method-assign]
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Take the cards and lists of a generated page out of its Markdown (see _CARD)."""
    if page.file.src_uri not in _generated:
        return markdown
    slots: list[str] = []
    anchors: list[str] = []

    def stash(match: re.Match, html_text: str | None, anchor: str | None = None) -> str:
        """A placeholder for the block's HTML, or the block itself when not converted."""
        if html_text is None:
            return match.group(0)
        slots.append(html_text)
        if anchor:
            anchors.append(anchor)
        return f'<div data-ex-slot="{len(slots) - 1}"></div>\n'

    # (a card is a raw HTML block, which Python-Markdown ends with a blank line: the line
    # break kept at its end makes it so once the run of placeholders is put back)
    markdown = _CARD.sub(lambda m: stash(m, m.group(0).rstrip("\n") + "\n", m.group(1)), markdown)
    markdown = _LIST.sub(lambda m: stash(m, list_html(m.group(0))), markdown)
    if slots:
        # Every raw HTML block costs Python-Markdown (and MkDocs, which reads it for ids) a
        # parse: a date page's cards were three quarters of its Markdown work. A run of
        # placeholders becomes one; the cards' ids are given to MkDocs in on_page_content.
        markdown = _SLOT_RUN.sub(
            lambda m: f'<div data-ex-slot="{",".join(_SLOT_NUMBER.findall(m.group(0)))}"></div>\n',
            markdown,
        )
        _slots[page.file.src_uri] = slots
    if anchors:
        _anchors[page.file.src_uri] = anchors
    figures: list[str] = []

    def figure(match: re.Match) -> str:
        figures.append(match.group(0))
        return f'<div data-ex-figure="{len(figures) - 1}"></div>'

    markdown = _FIGURE.sub(figure, markdown)
    if figures:
        _figures[page.file.src_uri] = figures
    directhtml.offer(page, markdown, files)  # what is left, without Python-Markdown
    return markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Resolve the .md links of raw HTML (the SVG figures) as MkDocs resolves Markdown links.

    MkDocs rewrites only the links of Markdown syntax; the figures are inline SVG, so their
    links are written as .md paths and turned into the page's URL form here. A link to a page
    that does not exist is a warning, which fails `mkdocs build --strict` as a broken Markdown
    link does.
    """
    global _files
    _files = files
    if page.file.src_uri in _generated:
        # MkDocs reads every page before it writes any: with tens of thousands of pages, the
        # Markdown (no longer needed) would double what the build holds in memory
        page.markdown = ""
    anchors = _anchors.pop(page.file.src_uri, None)
    if anchors and page.present_anchor_ids is not None:
        page.present_anchor_ids.update(anchors)  # for MkDocs' check of links to anchors
    slots = _slots.pop(page.file.src_uri, None)
    if slots:
        late: list[str] = []

        def later(html_text: str) -> str:
            # Excluded from search (citations, one-line fact lists, a card's first line or
            # repeated quote on its date page): the search plugin's HTML parser would read
            # it only to skip it, so it is put in after the search plugin and the theme, as
            # the figures are (on_post_page). An empty <div> in its place adds nothing to
            # any search entry.
            late.append(html_text)
            return f'<div data-ex-late="{len(late) - 1}"></div>'

        def put_one(block: str) -> str:
            body = block.rstrip("\n")
            after = block[len(body) :]  # a raw HTML block's line break (see stash)
            if _SEARCH_EXCLUDE not in body[: body.index(">")]:
                return _EXCLUDED_PARAGRAPHS.sub(lambda m: later(m.group(0)), body) + after
            return later(body) + after

        html_text = _put_back(html_text, slots, put_one)
        if late:
            _late[page.file.src_uri] = late
    return _resolve_links(html_text, page, files)


def _put_back(html_text: str, slots: list[str], one: Callable[[str], str]) -> str:
    """The HTML with the slots' blocks (on_page_markdown) in the places of their
    placeholders, each as `one` gives it: what Python-Markdown makes of the page with them."""

    def put(match: re.Match) -> str:
        return "\n".join(one(slots[int(i)]) for i in match.group(1).split(","))

    ended = html_text.endswith("\n")
    html_text = _SLOT.sub(put, html_text)
    # Python-Markdown strips the end of its HTML, a last card's line break too
    return html_text if ended else html_text.rstrip("\n")


# <link rel="alternate" hreflang> in a page's <head>, which Material writes for each language
# (with the white space before it: see _cut)
_HREFLANG = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _cut(text: str, pattern: re.Pattern, spaces: int | None) -> str:
    """`text` without the matches of `pattern` and up to `spaces` white-space characters
    before each (None: all of them): re.sub(r"\\s{0,spaces}" + pattern, "", text).

    Why not that: a pattern that starts with a literal is found by a fast search for it; one
    that starts with optional white space is tried at every position of the text, ten times
    slower on the pages of a large story. `pattern` must not match white space at its start
    or end (then no white space before a match can be part of the one before it).
    """
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        keep = match.start()
        floor = pos if spaces is None else max(pos, keep - spaces)
        while keep > floor and text[keep - 1].isspace():
            keep -= 1
        out.append(text[pos:keep])
        pos = match.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _without_hreflang_links(output: str, config: MkDocsConfig) -> str:
    """The page without its <head> links to the other editions.

    Material's script takes each such link for the root of a language's site and fetches
    <link>sitemap.xml from it, to map pages between languages; mkdocs-static-i18n links each
    page to its own counterpart instead (as the language menu does, which works without
    scripts), so every page view would request two sitemaps that do not exist. Relative
    hreflang links are of no use to search engines either; with a site_url, the plugin's
    sitemap.xml lists every page's counterparts.
    """
    if config.plugins.get("i18n") is None:
        return output
    head = output.find("</head>")
    if head < 0:
        return output
    return _cut(output[:head], _HREFLANG, None) + output[head:]


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The theme's own pages (404.html): as on_post_page."""
    return _without_hreflang_links(output, config)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put the figures and the blocks kept from the search plugin into the finished page
    (see on_page_markdown and on_page_content), and point the search of a page of a further
    edition at that edition's index (_edition_base)."""
    output = _without_hreflang_links(output, config)
    if _editions:
        output = _edition_base(output, page, _editions)
    if page.file.src_uri in _generated:
        page.content = ""  # written out now; the search plugin has taken what it needs
    files = _files
    if files is None:
        return output
    late = _late.pop(page.file.src_uri, None)
    if late:
        # all of them at once: a date page holds hundreds, and the work of a call (the
        # page's folder, two regular expressions set going) was most of each one's
        joined = _LATE_JOIN.join(late)
        if joined.count(_LATE_JOIN) == len(late) - 1:
            late = _resolve_links(_cut(joined, _SEARCH_ATTRS, 1), page, files).split(_LATE_JOIN)
        else:  # (a block holding the separator: none the generator writes)
            late = [_resolve_links(_cut(block, _SEARCH_ATTRS, 1), page, files) for block in late]
        output = _LATE_SLOT.sub(lambda m: late[int(m.group(1))], output)
    figures = _figures.pop(page.file.src_uri, None)
    if not figures:
        return output

    def put_back(match: re.Match) -> str:
        figure = figures[int(match.group(1))]
        if figure.startswith("<script"):  # JSON-LD: no links, no search attributes
            return figure
        return _resolve_links(_cut(figure, _SEARCH_ATTRS, 1), page, files)

    return _FIGURE_SLOT.sub(put_back, output)


def _resolve_links(html_text: str, page: Page, files: Files) -> str:
    base = posixpath.dirname(page.file.src_uri)
    # A link's URL depends on the target and on the folders of the page's source and URL
    # (but for a link to the page itself): the pages of one folder link the same pages (a
    # day's cards, a source's days), so each is worked out once per folder and build
    # (on_pre_build empties the table).
    folder = (base, posixpath.dirname(page.file.url.rstrip("/")))

    own: dict[str, tuple[str, str]] = {}  # links to the page itself (a day's cards, its own)

    def resolve(match: re.Match) -> str:
        start = match.start()
        if start and (html_text[start - 1].isalnum() or html_text[start - 1] == "_"):
            return match.group(0)  # not an href attribute: "ahref=" (see _RAW_MD_LINK)
        target, anchor = match.group(1), match.group(2) or ""
        key = (folder, target)
        known = _link_urls.get(key)
        if known is None or known[0] == page.file.src_uri:
            known = own.get(target)
        if known is None:
            path = posixpath.normpath(posixpath.join(base, html.unescape(target)))
            file = files.get_file_from_path(path)
            if file is None:
                log.warning("%s: link to %s in raw HTML: no such page", page.file.src_uri, path)
                return match.group(0)
            known = (file.src_uri, file.url_relative_to(page.file))
            if file.src_uri != page.file.src_uri:
                _link_urls[key] = known
            else:
                own[target] = known
        return f'href="{known[1]}{anchor}"'

    return _RAW_MD_LINK.sub(resolve, html_text)


_link_urls: dict[tuple[tuple[str, str], str], tuple[str, str]] = {}  # -> (target, URL)


@event_priority(-50)  # after mkdocs-static-i18n has set this page's language links (50)
def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    """Point the language switch of every page at its counterpart by a relative link.

    mkdocs-static-i18n does so for every page but the two home pages, which keep the
    absolute links "/" and "/en/": wrong for a site published below the root of its host
    (https://example.org/explainer/). The plugin has worked out each page's counterparts
    (page.file.alternates); their URLs are relative, like every other link of the site.
    """
    alternates = getattr(page.file, "alternates", None)
    # the plugin sets the attribute (which the theme's templates read), not the mapping's key
    links = getattr(config.extra, "alternate", None)
    if alternates and links:
        for alternate in links:
            counterpart = alternates.get(alternate.get("lang"))
            if counterpart is not None:
                alternate["link"] = counterpart.url  # from the site root; "" is the home page
    _add_terms_to_new_entries(config, page)
    if _serving:
        _serve_rendered.add(page.url)
    return context


def _add_terms_to_new_entries(config: MkDocsConfig, page: Page) -> None:
    """Give the search entries of the page just read its normalised words (SEARCH_FIELD);
    of a generated page, drop the sections that are only a heading.

    Done page by page, after the search plugin's on_page_context (priority 0), rather than
    in the finished index: the work is then shared by the processes that render the pages
    (generator/buildpool.py), and the index, written once by the search plugin, need not be
    read back (on_post_build). The page's entries are the last ones of the list.

    A generated page's heading whose section has no searchable text (a source's "Facts taken
    from this source (6)", a meeting's days and an actor's years, whose facts are searched on
    their date pages) is an entry that answers nothing but the heading's words, the same on
    thousands of pages: at 10,000 articles, a sixth of the index. The page's own entry stays.
    """
    from .buildpool import search_entries

    entries = search_entries(config)
    if not entries:
        return
    start = len(entries)
    while start and SEARCH_FIELD not in entries[start - 1]:
        start -= 1
    if page.file.src_uri in _generated:
        entries[start:] = [
            doc
            for doc in entries[start:]
            if doc.get("text") or "#" not in str(doc.get("location", ""))
        ]
    for doc in entries[start:]:
        doc[SEARCH_FIELD] = _terms_of(doc)


def _terms_of(doc: dict) -> str:
    text = f"{doc.get('title', '')} {doc.get('text', '')}"
    terms = _serve_terms.get(text) if _serving else None
    if terms is None:
        terms = normalised_terms(text, _browser_separator)
        if _serving:
            _serve_terms[text] = terms
    return terms


def on_startup(command: str, dirty: bool) -> None:
    """Note whether this is `mkdocs serve`: it keeps the search terms and the rendered pages
    from build to build (pages.Incremental renders again only what an edit touches)."""
    global _serving, _building, _incremental
    _serving = command == "serve"
    _building = command == "build"
    _serve_terms.clear()
    _serve_index.clear()
    _incremental = None


def on_serve(server, config: MkDocsConfig, builder):
    """Rebuild when the inputs of the generated pages change; not when the pages do.

    MkDocs watches all of docs_dir. The generated pages are rewritten by the rebuild that an
    edit of facts.yaml starts, so watching them would only start a second, useless rebuild
    (seconds on a large story) and poll thousands of files twice a second: the hand-written
    entries of docs_dir are watched instead (about.md, assets/, ...), with facts.yaml and
    seeds/. A hand-written page added to the top of docs_dir while serving is seen after a
    restart.
    """
    from .pages import GENERATED_ENTRIES

    root = _root(config)
    docs = os.path.abspath(config.docs_dir)  # as LiveReloadServer.watch() keys it
    if docs in getattr(server, "_watched_paths", {}):
        server.unwatch(docs)
        for entry in sorted(Path(docs).iterdir()):
            if entry.name not in GENERATED_ENTRIES and not entry.name.startswith("."):
                server.watch(str(entry))
    for path in (root / "facts.yaml", root / "seeds"):
        if path.exists():
            server.watch(str(path))
    return server


@event_priority(-100)  # after Material's search plugin (and mkdocs-static-i18n) wrote the index
def on_post_build(config: MkDocsConfig) -> None:
    """Add the normalised words of every entry to the search index.

    With the English edition, mkdocs-static-i18n (registered before this hook, at the same
    priority) has by now built the English pages and written one index for both editions;
    the nested English build's own index, which the plugin overwrites, is left alone.
    With --verbose, say what the theme's page frames did (generator/themecache.py).
    """
    stats = themecache.FrameStats
    if stats.framed:  # (pages rendered in this process; the page workers keep their own)
        log.debug(
            "explainer: %d pages put in their folder's frame of the theme, %d of them checked "
            "against a whole render, %d different",
            stats.framed,
            stats.checked,
            stats.mismatched,
        )
        stats.framed = stats.checked = stats.mismatched = 0
    if _nested_language_build(config):
        return
    path = Path(config.site_dir) / "search" / "search_index.json"
    if _serving:
        _write_serve_index(config, path)
    elif path.exists():
        found = _index_in_memory(config)
        if found is None:
            _rewrite_index(config, path)
        else:
            _write_indexes(config, found)
    _VARIANTS.clear()  # filled page by page (on_page_context) and by _rewrite_index
    plugin = config.plugins.get("i18n")
    if plugin is not None:
        # mkdocs-static-i18n (1.3) starts the next build (a `mkdocs serve` rebuild) in the
        # language it built last, and then builds that language twice; the next build starts
        # from the primary language again, as the first did.
        plugin.current_language = None


def _write_serve_index(config: MkDocsConfig, path: Path) -> None:
    """Under `mkdocs serve`: the index of every page of the site, from the entries of the
    pages this rebuild rendered (in every edition) and the last rebuilds' of the others.

    A dirty rebuild renders only the pages an edit changed: each page's entries (keyed by
    its URL, which starts every entry's location) stay until the page is rendered again,
    and go with the page when it is no longer part of the site.
    """
    found = _index_in_memory(config)
    if found is None:
        if path.exists():
            _rewrite_index(config, path)
        return
    settings, entries = found
    fresh: dict[str, list[dict]] = {url: [] for url in sorted(_serve_rendered)}
    for doc in entries:
        fresh.setdefault(str(doc.get("location", "")).partition("#")[0], []).append(doc)
    _serve_index.update(fresh)
    for url in [url for url in _serve_index if url not in _serve_pages]:
        del _serve_index[url]
    _write_indexes(config, (settings, [doc for docs in _serve_index.values() for doc in docs]))


def further_editions(config: MkDocsConfig) -> tuple[str, ...]:
    """The folders of the site's editions other than the primary one ("en/"), when each gets
    a search index of its own (_write_indexes); () for a site of one edition, or when the
    search is not Material's (whose index and page configuration the split relies on).

    mkdocs-static-i18n builds every language but the default one into a folder named after
    the language, so that an entry of that edition starts with it ("en/actors/gna/").
    """
    plugin = config.plugins.get("i18n")
    if plugin is None or config.plugins.get("material/search") is None:
        return ()
    default = getattr(plugin, "default_language", None)
    return tuple(f"{lang}/" for lang in getattr(plugin, "build_languages", ()) if lang != default)


def _write_indexes(config: MkDocsConfig, found: tuple[dict, list[dict]]) -> None:
    """Write the search index of each edition: the primary edition's in search/, a further
    edition's in its own folder (en/search/), its entries' locations relative to that folder.

    Material's search downloads its whole index on every page that has a search box, and
    mkdocs-static-i18n writes one index for every edition: with both editions of a story of
    10,000 articles, 71 MB that a reader of either edition downloaded, half of it in the
    other edition. Each page of a further edition is pointed at its own (_edition_base).

    The entries are those in memory (the search plugin has just written them, each with its
    normalised words from on_page_context; with mkdocs-static-i18n, those of every edition,
    which the plugin hands to the search plugin before its last on_post_build), written again
    in UTF-8, without reading the file back (on a large story, 140 MB of JSON to parse and
    hold). Material writes every Arabic letter escaped (\\u0627: six bytes for two), 2.4 times
    the size of the same JSON in UTF-8, which readers download on their phones.
    """
    settings, entries = found
    site = Path(config.site_dir)
    editions = further_editions(config)
    groups: dict[str, list[dict]] = {"": [], **{prefix: [] for prefix in editions}}
    for doc in entries:
        location = str(doc.get("location", ""))
        prefix = next((p for p in editions if location.startswith(p)), "")
        # (a copy: under `mkdocs serve` the entries are kept for the next rebuild as they are)
        groups[prefix].append({**doc, "location": location[len(prefix) :]} if prefix else doc)
    for prefix, docs in groups.items():
        path = site / prefix / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_index(path, settings, docs)


# the search configuration Material writes into every page (base.html: "base" is the site's
# root, from which the search index and the locations of its entries are read)
_PAGE_CONFIG_BASE = re.compile(r'<script id="__config" type="application/json">\{[^<]*?"base": "')


def _edition_base(output: str, page: Page, editions: tuple[str, ...]) -> str:
    """Point the search of a page of a further edition at that edition's own index: its
    configuration's "base" becomes the edition's folder ("../.." becomes "../../en/")."""
    prefix = next((p for p in editions if page.url.startswith(p)), None)
    if prefix is None:
        return output
    match = _PAGE_CONFIG_BASE.search(output)
    if match is None:
        return output
    end = output.index('"', match.end())
    base = output[match.end() : end]
    # (with its slash: the browser resolves the index's and the entries' paths against it)
    return f"{output[:end]}{'/' if base else ''}{prefix}{output[end:]}"


def _write_index(path: Path, settings: dict, entries: list[dict]) -> None:
    data = {
        key: settings[key] for key in ("lang", "separator", "pipeline", "fields") if key in settings
    }
    # written as it is encoded: the whole text of a large index (and its UTF-8 bytes) would
    # be the largest thing the build holds at its end
    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {"config": data, "docs": entries},
            out,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )


def _index_in_memory(config: MkDocsConfig) -> tuple[dict, list] | None:
    """The search plugin's settings and entries, for _write_indexes; None when
    they are not where it reads them or an entry lacks its normalised words."""
    from .buildpool import search_entries

    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    settings = getattr(getattr(plugin, "search_index", None), "config", None)
    entries = search_entries(config)
    if not isinstance(settings, dict) or entries is None:
        return None
    if not all(SEARCH_FIELD in doc for doc in entries):
        return None
    return settings, entries


def normalised_terms(text: str, separator: re.Pattern | None = None) -> str:
    """The words of an HTML fragment, folded and without proclitics, sorted and unique.

    With `separator` (the search's, as the browser splits text: _as_browser_splits), the
    words the browser's search already finds in the fragment itself, as they are written,
    are left out: a query matches them there. On a large story they were half of the extra
    field, a seventh of the index a reader downloads.
    """
    plain = html.unescape(_TAG.sub(" ", text))
    words: set[str] = set()
    for token in set(WORD.findall(normalize(plain))):
        variants = _VARIANTS.get(token)
        if variants is None:
            variants = _VARIANTS[token] = token_variants(token)
        words |= variants
    if separator is not None:
        # Material's search worker splits an entry's text between tags, then at the
        # separator, and lower-cases each token (no entity decoded): a word whose case the
        # browser may fold otherwise than Python (neither ASCII nor caseless) stays
        words.difference_update(
            t
            for t in separator.split(_TAG.sub(" ", text).lower())
            if t and (t.isascii() or t == t.upper())
        )
    return " ".join(sorted(words))


# JavaScript's \s, which the search's separator means in the browser (Python's differs)
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _as_browser_splits(separator: str) -> re.Pattern | None:
    """The search's separator as Python's pattern that splits text where the browser's
    JavaScript does; None when that is not certain.

    Only a separator of one character class (Material's default "[\\s\\-]+", mkdocs.yml's)
    whose escapes mean the same in both, but \\s, which is written out as JavaScript reads it.
    """
    m = re.fullmatch(r"\[((?:[^\\\]]|\\[-\[\]\\./|s])+)\](\+?)", separator)
    if m is None:
        return None
    try:
        inside = re.sub(
            r"\\(.)", lambda e: _JS_SPACE if e.group(1) == "s" else e.group(0), m.group(1)
        )
        return re.compile(f"[{inside}]{m.group(2)}")
    except re.error:
        return None


# Under `mkdocs serve`, every rebuild rewrites the whole index (a dirty one too, from the
# entries Material keeps): the terms of an entry are worked out once per text per session.
_serving = False
_building = False  # `mkdocs build` (or `explainer build`): pages rendered on every core
_serve_terms: dict[str, str] = {}
_serve_index: dict[str, list[dict]] = {}  # a page's URL: its search entries (_write_serve_index)
_serve_pages: set[str] = set()  # the URLs of the site's pages in this rebuild, every edition
_serve_rendered: set[str] = set()  # those this rebuild rendered
_incremental = None  # pages.Incremental, under `mkdocs serve`
# A word's variants, worked out once per build: the same words recur on thousands of pages.
_VARIANTS: dict[str, set[str]] = {}
_browser_separator: re.Pattern | None = None  # (on_config) for normalised_terms
_editions: tuple[str, ...] = ()  # (on_config) the further editions' folders, for on_post_page


def _rewrite_index(config: MkDocsConfig, path: Path) -> None:
    """Give each document of the search index as the plugin wrote it its normalised words in
    SEARCH_FIELD, then write it again (one index per edition, as _write_indexes does): the
    way when the entries are not in memory (_index_in_memory)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if _serving and isinstance(data.get("docs"), list):
        # Under `mkdocs serve --dirty`, Material's search plugin carries the last index over
        # and appends the entries of the pages it rendered again; with mkdocs-static-i18n's
        # joint index, whole editions would pile up from rebuild to rebuild. An entry's
        # location is unique (a page, or a page and a heading's anchor): the newest one stays.
        latest = {doc.get("location"): doc for doc in data["docs"]}
        if len(latest) < len(data["docs"]):
            data["docs"] = list(latest.values())
    for doc in data.get("docs", []):
        if SEARCH_FIELD not in doc:
            doc[SEARCH_FIELD] = _terms_of(doc)
    if further_editions(config):
        _write_indexes(config, (data.get("config") or {}, data.get("docs") or []))
        return
    # an output of the build like every page MkDocs writes (no fsync: the next build makes it
    # again), in place of the one Material's search plugin wrote
    utils.write_file(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), str(path)
    )


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
    # mkdocs-static-i18n (1.3) makes its build of the English edition dirty only when it
    # finds "--dirty" on the command line, not from MkDocs' own flag: without it, every
    # rebuild would render the whole English edition again
    argv = sys.argv[:]
    if "--dirty" not in sys.argv:
        sys.argv.append("--dirty")
    try:
        # dirty: a rebuild renders only the pages generate() rewrote (a one-fact edit touches
        # a handful), not the whole site; Material's search plugin merges their entries
        mkdocs_serve(
            config_file=str(project.mkdocs_yml),
            dev_addr=dev_addr,
            livereload=True,
            build_type="dirty",
        )
    except (Abort, ConfigurationError) as e:
        raise InputError([Problem("mkdocs.yml", None, None, f"mkdocs serve: {e}")]) from e
    finally:
        sys.argv[:] = argv
