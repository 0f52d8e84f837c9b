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
"""

from __future__ import annotations

import re
from html import unescape
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
    pos = 0
    n = len(html)
    while pos < n:
        lt = html.find("<", pos)
        if lt < 0:
            calls.append((0, unescape(html[pos:])))
            break
        if lt > pos:
            calls.append((0, unescape(html[pos:lt])))
        m = _TAG.match(html, lt)
        if m is None:
            return None  # a comment, a declaration, a stray "<": html.parser's business
        pos = m.end()
        name = m.group(1)
        if name is None:
            calls.append((3, m.group(4).lower()))
            continue
        name = name.lower()
        attrs = [
            (key.lower(), unescape(value) if value else (value if eq else None))
            for key, eq, value in _ATTR.findall(m.group(2))
        ]
        if m.group(3):
            calls.append((2, name, attrs))
            continue
        if name in _OTHER_MODES:
            return None
        calls.append((1, name, attrs))
        raw_end = _RAW_END.get(name)
        if raw_end is not None:
            close = raw_end.search(html, pos)
            if close is None:
                return None
            raw = html[pos : close.start()]
            if "</" in raw and f"</{name}" in raw.lower():
                return None  # an end tag spelled another way inside: html.parser's business
            if raw:
                calls.append((0, raw))
            calls.append((3, name))
            pos = close.end()
    return calls


def fast_feed(parser: HTMLParser, data: str) -> bool:
    """Read all of `data` into `parser` through its handlers; False (and nothing called)
    when `data` is not of the simple kind, or the parser holds the start of something cut."""
    if parser.rawdata or not parser.convert_charrefs or parser.cdata_elem is not None:
        return False
    calls = _calls(data)
    if calls is None:
        return False
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
    """Make `parser_class` read a whole document handed to its first feed() with fast_feed.

    Its close() then finds nothing left to read. Installing twice changes nothing.
    """
    if getattr(parser_class.feed, "_explainer_fast", False):
        return
    original = parser_class.feed

    def feed(self: HTMLParser, data: str) -> None:
        if not fast_feed(self, data):
            original(self, data)

    feed._explainer_fast = True  # type: ignore[attr-defined]
    parser_class.feed = feed  # type: ignore[method-assign]
