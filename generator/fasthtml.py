"""The search plugin's HTML reading, with a faster tokenizer for the HTML MkDocs writes.

Why: Material's search plugin reads every page's HTML with a subclass of the standard
library's html.parser.HTMLParser, to cut it into the sections of the search index. That parser
is written in Python and checks every character's context; on a story of 10,000 articles its
tokenizing alone is about a tenth of the whole build's work. The HTML it reads is
Python-Markdown's and the hook's: plain start and end tags with double-quoted attributes, text
and character references, nothing else.

How: `feed` cuts such HTML into tags and text with one regular expression and calls the
parser's own handlers (handle_starttag, handle_endtag, handle_startendtag, handle_data) with
exactly the arguments, in exactly the order, that html.parser would: the text between two
tags in one call, its character references resolved by the same html.unescape, tag and
attribute names in lower case, attribute values unescaped, a bare attribute as None. Anything
else (a comment, a declaration, a processing instruction, a `<` that starts no tag, single
quotes, an unclosed script or style element, a feed while html.parser waits for the rest
of a cut one) is left to html.parser itself, before any handler has run. A script or style
element's content is raw text, as html.parser reads it. tests/test_fasthtml.py compares the calls of both on real pages and on
hostile HTML.

Material's own handlers then cost as much as the tokenizing (a method call per tag and per
text, an Element made per tag, set intersections hashing Elements with a Python __hash__,
a list of heading names made per start tag): for Material's search Parser of the versions
whose handlers are known here (checked by a digest of their source), `_material_read` does
what they do to the parser, call by call, with the elements' tags kept aside as strings.
Elements compare and hash by their tag, so every membership test the handlers make is one
of tags. tests/test_fasthtml.py compares the resulting sections and parser state with the
handlers' on hostile HTML and generated documents; tests/test_site.py on every built page.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import sys
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser

# a start tag (name, attributes, "/" of a self-closing tag) or an end tag (name)
_TAG = re.compile(
    r'<(?:([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)\s*(/?)>'
    r"|/([a-zA-Z][a-zA-Z0-9]*)>)"
)
_ATTR = re.compile(r'\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(="([^"]*)")?')
# The elements whose content html.parser reads as raw text, up to their end tag (its
# set_cdata_mode): their text is handed over as it is, without resolving references.
_RAW_END = {
    name: re.compile(rf"</\s*{name}\s*>", re.I) for name in HTMLParser.CDATA_CONTENT_ELEMENTS
}
# Newer Pythons read more elements in a mode of their own (textarea and title as escapable raw
# text) and end raw text at more spellings of the end tag: such HTML is left to html.parser.
_OTHER_MODES = frozenset(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))

# what to call: (0, text) handle_data, (1, name, attrs) handle_starttag,
# (2, name, attrs) handle_startendtag, (3, name) handle_endtag
_Call = tuple


def _calls(html: str) -> list[_Call] | None:
    """The handler calls html.parser makes for `html`, or None when it holds anything but
    tags, text and raw-text elements (see the module's docstring)."""
    calls: list[_Call] = []
    append = calls.append
    find = html.find
    match = _TAG.match
    pos = 0
    n = len(html)
    while pos < n:
        lt = find("<", pos)
        if lt < 0:
            append((0, unescape(html[pos:])))
            break
        if lt > pos:
            append((0, unescape(html[pos:lt])))
        m = match(html, lt)
        if m is None:
            return None  # a comment, a declaration, a stray "<": html.parser's business
        pos = m.end()
        name, attr_text, slash, end_name = m.groups()
        if name is None:
            append((3, end_name.lower()))
            continue
        name = name.lower()
        attrs = list(_attributes(attr_text)) if attr_text else []
        if slash:
            append((2, name, attrs))
            continue
        if name in _OTHER_MODES:
            return None
        append((1, name, attrs))
        raw_end = _RAW_END.get(name)
        if raw_end is not None:
            close = raw_end.search(html, pos)
            if close is None:
                return None
            raw = html[pos : close.start()]
            if "</" in raw and f"</{name}" in raw.lower():
                return None  # an end tag spelled another way inside: html.parser's business
            if raw:
                append((0, raw))
            append((3, name))
            pos = close.end()
    return calls


# A tag's attributes as html.parser hands them over, by the text they are read from: the
# same few (a card's class, a language's span) make most of a large site's tags.
_ATTRIBUTES: dict[str, tuple[tuple[str, str | None], ...]] = {}
_ATTRIBUTES_KEPT = 20_000


def _attributes(text: str) -> tuple[tuple[str, str | None], ...]:
    attrs = _ATTRIBUTES.get(text)
    if attrs is None:
        if len(_ATTRIBUTES) >= _ATTRIBUTES_KEPT:
            _ATTRIBUTES.clear()
        attrs = _ATTRIBUTES[text] = tuple(
            (key.lower(), unescape(value) if value else (value if eq else None))
            for key, eq, value in _ATTR.findall(text)
        )
    return attrs


def fast_feed(parser: HTMLParser, data: str) -> bool:
    """Read all of `data` into `parser` through its handlers; False (and nothing called)
    when `data` is not of the simple kind, or the parser holds the start of something cut."""
    if parser.rawdata or not parser.convert_charrefs or parser.cdata_elem is not None:
        return False
    calls = _calls(data)
    if calls is None:
        return False
    read = _READERS.get(type(parser))
    if read is not None:
        read(parser, calls)
        return True
    handlers = (
        parser.handle_data,
        parser.handle_starttag,
        parser.handle_startendtag,
        parser.handle_endtag,
    )
    for call in calls:
        handlers[call[0]](*call[1:])
    return True


def install(parser_class: type[HTMLParser]) -> None:
    """Make `parser_class` read a whole document handed to its first feed() with fast_feed
    (and Material's search Parser, of a known version, with _material_read).

    Its close() then finds nothing left to read. Installing twice changes nothing.
    """
    if getattr(parser_class.feed, "_explainer_fast", False):
        return
    if _known_material_parser(parser_class):
        _READERS[parser_class] = _material_read
    original = parser_class.feed

    def feed(self: HTMLParser, data: str) -> None:
        if not fast_feed(self, data):
            original(self, data)

    feed._explainer_fast = True  # type: ignore[attr-defined]
    parser_class.feed = feed  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------
# Material's search Parser

# sha256 of the source of Element, Section and Parser and of the void tags in
# material/plugins/search/plugin.py, for the versions whose handlers _material_read does
# (mkdocs-material 9.6.0 to 9.8.2); any other version keeps its own handlers
MATERIAL_PARSER_DIGESTS = {"bff3b63206a34fb12246de3f4f54863b64f1a58fdaf095d6ec4f546e5c3da8b7"}
_READERS: dict[type, Callable[[HTMLParser, list[_Call]], None]] = {}
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_RAW_TEXT = ("script", "style", "object")  # what the Parser never stops skipping


def material_digest(module) -> str | None:
    """The digest of a search plugin module's Parser, Element, Section and void tags."""
    try:
        names = (module.Element, module.Section, module.Parser)
        source = "".join(inspect.getsource(c) for c in names) + repr(sorted(module.void))
    except (AttributeError, OSError, TypeError):
        return None
    return hashlib.sha256(source.encode()).hexdigest()


def _known_material_parser(parser_class: type) -> bool:
    module = sys.modules.get(parser_class.__module__)
    return (
        parser_class.__name__ == "Parser"
        and getattr(module, "Parser", None) is parser_class
        and material_digest(module) in MATERIAL_PARSER_DIGESTS
    )


def _material_read(parser, calls: list[_Call]) -> None:
    """Do to Material's search Parser what its handle_starttag, handle_endtag and
    handle_data (and html.parser's handle_startendtag: start, then end) do for `calls`."""
    module = sys.modules[type(parser).__module__]
    element, section_of, void = module.Element, module.Section, module.void
    context = parser.context
    tags = [el.tag for el in context]  # context's tags: what `in` and `==` compare
    skip = parser.skip
    skipped = {el if isinstance(el, str) else el.tag for el in skip}  # it starts with names
    keep = parser.keep
    data = parser.data
    section = parser.section
    for call in calls:
        kind = call[0]
        if kind == 0:  # handle_data
            text = call[1]
            if not skipped.isdisjoint(tags):
                continue
            if "pre" not in tags:
                text = " " if text.isspace() else text.replace("\n", " ")
            if section is None:
                section = section_of(element("hx"))
                data.append(section)
            if section.el.tag in tags:
                if not any(
                    el.tag == "a" and el.attrs.get("class") == "headerlink" for el in context
                ):
                    section.title.append(escape(text, quote=False))
            elif text.isspace():
                if not section.text or not section.text[-1].isspace() or "pre" in tags:
                    section.text.append(text)
            else:
                section.text.append(escape(text, quote=False))
            continue
        tag = call[1]
        if kind != 3:  # handle_starttag
            attrs = dict(call[2])
            el = element(tag, attrs)
            if tag in void:
                if kind == 1:
                    continue
            else:
                context.append(el)
                tags.append(tag)
                if tag in _HEADINGS and "id" in attrs:
                    depth = len(context)
                    if tag != "h1" and not data:
                        section = section_of(element("hx"), depth)
                        data.append(section)
                    section = section_of(el, depth)
                    if data:
                        section.id = attrs["id"]
                    data.append(section)
                if section is None:
                    section = section_of(element("hx"))
                    data.append(section)
                if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
                    skip.add(el)
                    skipped.add(tag)
                elif tag in keep and skipped.isdisjoint(tags):
                    (section.title if section.el.tag in tags else section.text).append(f"<{tag}>")
                if kind == 1:
                    continue
        # handle_endtag
        if not tags or tags[-1] != tag:
            continue
        if section.depth > len(context):
            for earlier in reversed(data):
                if earlier.depth <= len(context):
                    section.depth = float("inf")
                    section = earlier
                    break
        el = context.pop()
        tags.pop()
        if tag in skipped:
            if tag not in _RAW_TEXT:
                skip.remove(el)
                skipped.discard(tag)
            continue
        if tag in keep and skipped.isdisjoint(tags):
            out = section.title if section.el.tag in tags else section.text
            index = out.index(f"<{tag}>")
            if any(not piece.isspace() for piece in out[index + 1 :]):
                out.append(f"</{tag}>")
            else:
                del out[index:]
    parser.section = section
