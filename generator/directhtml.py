"""Generated Markdown turned into HTML without Python-Markdown, where the result is certain.

Why: Python-Markdown turns about a megabyte a second into HTML, and builds its parser afresh
for every page (MkDocs makes a new Markdown instance per page, with its own four tree
processors). On a story of 10,000 articles the generated pages are 25,000 with the English
edition, most of them a source's page of a few headings, a list and its citations: the
Markdown machinery was a third of such a page's rendering.

What: the Markdown of a generated page (generator/pages.py) is made of a handful of
constructs, every editor's string escaped to inert text (pages.md_text). The hook
(generator/site.py) takes out the cards and the one-line fact lists (which the generator
writes as HTML) and the page's own lists, which it converts here (list_html); what is then
left of most pages is a few headings, a paragraph or two of plain text and links, and
placeholders, which page_html() makes into what MkDocs' Page.render would make of it: the
HTML, the table of contents, the title, the anchors. Page.render hands those over instead of
running Markdown (install()). Any construct outside that small grammar, or Markdown settings
in mkdocs.yml other than the ones known here, and Python-Markdown does the work as before.
The front matter the generator writes is read here too, without PyYAML (get_data).

The results are Python-Markdown's own, byte for byte: tests/test_site.py compares them with
Python-Markdown (and MkDocs' Page.render) on every page of the fixtures, hostile ones
included, and builds the whole site both ways.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import nest_toc_tokens, unique
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

_MD_LINK = re.compile(r"\[([^\[\]]*)\]\(([A-Za-z0-9._/#-]+)\)")
_INLINE_TAG = re.compile(
    r'<span(?: class="[a-z -]+")?(?: lang="[a-z]{2}" dir="(?:ltr|rtl)")?'
    r'(?: data-search-exclude="true")?>|</span>'
    r'|<code(?: class="[a-z -]+")? dir="ltr"(?: data-search-exclude="true")?>|</code>|&#\d+;'
)
# attr_list's lines the cards use: a class (a dispute), or a paragraph's exclusion from
# search (a card's first line and a repeated quote, on its date page)
_ATTR_LINE = re.compile(r'^\{: (?:\.([a-z-]+)|(data-search-exclude="true")) \}$')
# What Python-Markdown could read as syntax once links, spans and references are taken out
# (brackets in text are refused, so a parenthesis cannot be part of a link).
_ACTIVE = re.compile(r"[\[\]<>&*_`\\!]|^[ \t]|[ \t]$|^(?:=+|-+|#.*|\d+\..*|[-+*] .*)$", re.M)


def _link_text(match: re.Match) -> str:
    return match.group(1)


def _link_html(match: re.Match) -> str:
    return f'<a href="{match.group(2)}">{match.group(1)}</a>'


def _inline(text: str) -> str | None:
    # (functions, not templates, as replacements: Python 3.11 expands a template in Python
    # for every match; a third of the time of a million calls on a large story)
    if "[" not in text:
        return None if _ACTIVE.search(_INLINE_TAG.sub("", text)) else text
    if _ACTIVE.search(_INLINE_TAG.sub("", _MD_LINK.sub(_link_text, text))):
        return None
    return _MD_LINK.sub(_link_html, text)


def _paragraph(lines: list[str]) -> str | None:
    attrs = ""
    if lines and (m := _ATTR_LINE.match(lines[-1])):
        attrs = f' class="{m.group(1)}"' if m.group(1) else f" {m.group(2)}"
        lines = lines[:-1]
    if not lines:
        return None
    text = _inline("\n".join(lines))
    return None if text is None else f"<p{attrs}>{text}</p>"


def list_html(body: str) -> str | None:
    """Lines "- item" (a tight list) as Python-Markdown's HTML; None when not sure."""
    items = []
    for line in body.rstrip("\n").split("\n"):
        text = _inline(line[2:])
        if text is None or text != text.strip():
            return None
        items.append(f"<li>{text}</li>")
    body_html = "\n".join(items)
    return f"<ul>\n{body_html}\n</ul>"


# --------------------------------------------------------------------------------------------
# A whole page

# the placeholders the hook leaves for the blocks it converted, the figures and the JSON-LD
_PLACEHOLDER = re.compile(r'<div data-ex-(?:slot="[\d,]+"|figure="\d+")></div>')
_HEADING = re.compile(r"(#{1,6}) (\S(?:[^\n]*\S)?)")
_TAG = re.compile(r"<[^<>]*>")
# what a heading's text must not hold: Markdown syntax, HTML, entities, attr_list's braces,
# closing hashes, tables' bars, and spaces that Markdown and the table of contents treat apart
_HEADING_ACTIVE = re.compile(r"[\[\]<>&*_`\\!{}|#\t]|  ")
# what Python-Markdown's preprocessors would change before any block is read
_NOT_PLAIN = re.compile(r"[\r\t\x02\x03]|^[ ]+$", re.M)
_BLOCK_BREAK = re.compile(r"\n{2,}")
# an id Python-Markdown writes as it is (its serializer escapes these in attributes)
_PLAIN_ID = re.compile(r'[^"&<>\s]+')
# Python-Markdown's extensions (MkDocs adds the first three) whose output is known here
KNOWN_EXTENSIONS = {"toc", "tables", "fenced_code", "md_in_html", "attr_list", "admonition"}


@dataclass
class Rendered:
    """What Page.render makes of a page's Markdown, made by page_html."""

    markdown: str  # the Markdown it was made from
    content: str
    toc_tokens: list[dict]
    title: str | None
    anchors: list[str]  # the headings' ids, in order


def page_html(
    markdown: str, slugify: Callable[[str, str], str], link_found: Callable[[str], bool]
) -> Rendered | None:
    """What Python-Markdown (the site's extensions, toc with permalinks) makes of a page
    left with headings, plain paragraphs and placeholders; None for anything else.

    `link_found(target)`: a link's .md target is one of the build's pages (a link that is
    not, or one with an anchor, is left to MkDocs, which checks and reports it).
    """
    if _NOT_PLAIN.search(markdown):
        return None
    out: list[str] = []
    tokens: list[dict] = []
    anchors: list[str] = []
    used: set[str] = set()
    counters: dict[str, int] = {}
    title = None
    for n, block in enumerate(_BLOCK_BREAK.split(markdown.strip("\n"))):
        if _PLACEHOLDER.fullmatch(block):
            out.append(block + "\n")  # Python-Markdown ends a raw HTML block with a blank line
            continue
        heading = _HEADING.fullmatch(block)
        if heading is not None:
            text = heading.group(2)
            # the cards' inline tags and entities (an untranslated name in an English title)
            # are copied by Python-Markdown as they are; anything else is left to it
            if _HEADING_ACTIVE.search(_INLINE_TAG.sub("", text)):
                return None
            # the table of contents' name: the text without its tags, spaces collapsed,
            # entities kept; the id is made from it with the entities read
            name = " ".join(_TAG.sub("", text).split())
            anchor = unique(slugify(html.unescape(name), "-"), used, counters)
            if not _PLAIN_ID.fullmatch(anchor):
                return None
            level = len(heading.group(1))
            tokens.append(
                {"level": level, "id": anchor, "name": name, "html": text, "data-toc-label": ""}
            )
            anchors.append(anchor)
            if n == 0 and level == 1:
                title = name
            out.append(
                f'<h{level} id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
                f'title="Permanent link">&para;</a></h{level}>'
            )
            continue
        if block.startswith("#"):
            return None
        paragraph = _paragraph(block.split("\n"))
        if paragraph is None:
            return None
        for link in _MD_LINK.finditer(block):
            if "#" in link.group(2) or not link_found(link.group(2)):
                return None
        out.append(paragraph)
    if not out:
        return None
    return Rendered(markdown, "\n".join(out).strip(), nest_toc_tokens(tokens), title, anchors)


_made: dict[str, Rendered] = {}  # a page's src_uri: what page_html made of its Markdown
_slugify: Callable[[str, str], str] | None = None  # the build's, when offer() may make pages
_page_render = Page.render
_pages_log = logging.getLogger("mkdocs.structure.pages")


def settings_known(config) -> Callable[[str, str], str] | None:
    """The toc extension's slugify when mkdocs.yml's Markdown settings are those page_html
    knows (the site's extensions; toc with permalinks and nothing else); None otherwise."""
    names = set(config.markdown_extensions or [])
    toc = (config.mdx_configs or {}).get("toc") or {}
    if not names <= KNOWN_EXTENSIONS or "toc" not in names:
        return None
    if set(toc) - {"permalink", "slugify"} or toc.get("permalink") is not True:
        return None
    slugify = toc.get("slugify")
    return slugify if callable(slugify) else None


def offer(page: Page, markdown: str, files: Files | None) -> None:
    """Make the page's HTML here if its Markdown allows (page_html); Page.render then takes
    it, provided the page's Markdown is still this one when MkDocs renders it."""
    _made.pop(page.file.src_uri, None)
    slugify = _slugify
    if slugify is None or files is None:
        return
    base = posixpath.dirname(page.file.src_uri)

    def link_found(target: str) -> bool:
        path = posixpath.normpath(posixpath.join(base, target))
        return files.get_file_from_path(path) is not None

    made = page_html(markdown, slugify, link_found)
    if made is not None:
        _made[page.file.src_uri] = made


def _render(self: Page, config, files: Files) -> None:
    """MkDocs' Page.render, which takes the HTML page_html made when there is some."""
    made = _made.pop(self.file.src_uri, None)
    if made is None or made.markdown is not self.markdown:
        return _page_render(self, config, files)
    self.content = made.content
    self.toc = get_toc(made.toc_tokens)
    self._title_from_render = made.title
    self.present_anchor_ids = set(made.anchors)
    if _pages_log.getEffectiveLevel() > logging.DEBUG:
        # as MkDocs records them: the headings' permalinks are links to the page's anchors
        self.links_to_anchors = (
            {self.file: {anchor: f"#{anchor}" for anchor in made.anchors}} if made.anchors else {}
        )
    return None


def install(enabled: bool = True, config=None) -> None:
    """Put _render in the place of Page.render and get_data in the place of MkDocs' own (or
    MkDocs' own back); offer() makes pages from then on when `config`'s Markdown settings are
    the known ones (settings_known)."""
    global _slugify
    _made.clear()
    _slugify = settings_known(config) if enabled and config is not None else None
    Page.render = _render if enabled else _page_render  # type: ignore[method-assign]
    meta.get_data = get_data if enabled else _get_data


# --------------------------------------------------------------------------------------------
# The front matter

# A value as the generator writes it (pages.yaml_text: a JSON string of md_text's output):
# within double quotes, no quote, backslash or escape, and none of the characters PyYAML
# refuses (it then reads no front matter at all) or reads as a line break (which a quoted
# scalar folds), nor a byte order mark.
_QUOTED = r'"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*)"'
_FRONT_MATTER = re.compile(f"title: {_QUOTED}\ndescription: {_QUOTED}\n")
_get_data = meta.get_data


def get_data(doc: str) -> tuple[str, dict]:
    """mkdocs.utils.meta.get_data, which MkDocs reads every page's front matter with: the
    generator's own front matter (a title and a description, _FRONT_MATTER) read without
    PyYAML, whose pure-Python loader took 0.1 ms a page (twice a page of a large build: the
    build's process reads the front matter of the pages its workers render). Anything else
    is PyYAML's, as before; tests/test_site.py compares the two on hostile values.
    """
    found = meta.YAML_RE.match(doc)
    if found is not None:
        plain = _FRONT_MATTER.fullmatch(found.group(1))
        if plain is not None:
            data = {"title": plain.group(1), "description": plain.group(2)}
            return doc[found.end() :].lstrip("\n"), data
    return _get_data(doc)
