"""generator/fasthtml.py: the search plugin's parser gets the calls html.parser would make.

The pages of a real build are compared in tests/test_site.py; here, HTML of every kind an
editor's text or a plugin could put into a page, hostile included.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.fasthtml import fast_feed, install


class Recorder(HTMLParser):
    """Every handler call, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.calls.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.calls.append(("end", tag))

    def handle_startendtag(self, tag, attrs):
        self.calls.append(("startend", tag, attrs))

    def handle_data(self, data):
        self.calls.append(("data", data))

    def handle_comment(self, data):
        self.calls.append(("comment", data))

    def handle_decl(self, decl):
        self.calls.append(("decl", decl))

    def handle_pi(self, data):
        self.calls.append(("pi", data))


def html_parser_calls(html: str) -> list[tuple]:
    parser = Recorder()
    HTMLParser.feed(parser, html)
    parser.close()
    return parser.calls


# What Python-Markdown, the theme and the hook write: the fast path reads all of it.
SIMPLE = [
    "",
    "text only, no tag",
    '<h1 id="t">عنوان<a class="headerlink" href="#t" title="Permanent link">&para;</a></h1>',
    '<div class="ex-fact" id="f-1"><p><a href="../../dates/2020-01-12/">12 يناير</a> · '
    '<span class="ex-badge">غير مراجَع</span>: نص&#46; &amp; &lt;b&gt; &#x41;&#65; &amp</p>'
    "<blockquote>\n<p>اقتباس</p>\n</blockquote>\n</div>",
    '<p\nclass="x"  data-search-exclude="true" >a\r\nb</p>trailing & text &',
    '<br/><br /><input disabled><a title="">x</a><a title="&quot;q&quot;">y</a>',
    '<svg viewBox="0 0 1 1"><line x1="0" y1="0"/><text>&lt;</text></svg>',
    '<script type="application/ld+json">{"a": "<b>&amp;"}</script><p>after</p>',
    '<SCRIPT>if (a<b) {}</SCRIPT ><P CLASS="up">x</P>',
    "<style>p>a{color:red}</style>",
    "</p></div>unopened ends",
]

# Anything else: html.parser itself reads it, and the fast path calls nothing.
OTHER = [
    "<!-- a comment --><p>a</p>",
    "<!DOCTYPE html><p>x</p>",
    "<?xml version='1.0'?><p>x</p>",
    "a < b and c > d",
    "<p class='single'>x</p>",
    "<a href=bare>y</a>",
    '<a href="x"title="y">z</a>',
    "<my-element>x</my-element>",
    "</ p>",
    "<script>never closed",
    "<p>cut <",
    "<![CDATA[x]]>",
    "<script>a = '</script x>';</script>",
    "<script>a</SCRIPT/></script>",
]


# Read in a mode of their own by newer Pythons' html.parser (escapable raw text): taken by the
# fast path where html.parser reads them as plain HTML, left to it where it does not.
EITHER = [
    "<textarea><b>x</b> &amp; y</textarea>",
    "<title>a &amp; <i>b</i></title>",
]


@pytest.mark.parametrize("html", SIMPLE)
def test_simple_html_gets_the_calls_html_parser_makes(html):
    parser = Recorder()
    assert fast_feed(parser, html)
    parser.close()
    assert parser.calls == html_parser_calls(html)


@pytest.mark.parametrize("html", OTHER)
def test_anything_else_is_left_to_html_parser_before_any_call(html):
    parser = Recorder()
    assert not fast_feed(parser, html)
    assert parser.calls == []


@pytest.mark.parametrize("html", SIMPLE + OTHER + EITHER)
def test_an_installed_parser_reads_everything_as_html_parser_does(html):
    class Installed(Recorder):
        pass

    install(Installed)
    install(Installed)  # twice: still one wrapper
    parser = Installed()
    parser.feed(html)
    parser.close()
    assert parser.calls == html_parser_calls(html)


def test_a_feed_after_a_cut_one_or_without_charref_conversion_is_left_alone():
    parser = Recorder()
    HTMLParser.feed(parser, "<p>half <a href")  # html.parser waits for the rest of the tag
    assert not fast_feed(parser, '="x">y</a></p>')
    raw = HTMLParser(convert_charrefs=False)
    assert not fast_feed(raw, "<p>x</p>")


def test_a_feed_after_a_whole_one_reads_on_as_html_parser_does():
    parser = Recorder()
    HTMLParser.feed(parser, "<p>one</p>")
    assert fast_feed(parser, "<p>two &amp; more</p>")
    parser.close()
    assert parser.calls == html_parser_calls("<p>one</p><p>two &amp; more</p>")


# --------------------------------------------------------------------------------------------
# Material's search Parser: its handlers' work done in one function (fasthtml._material_read)

# Material's handlers' own ways: headings without ids, a page opening on an h2, nested and
# excluded elements (compared by tag), empty kept tags, permalinks, pre, self-closing tags
QUIRKS = [
    '<h2 id="a">Two</h2><p>x</p><h1 id="b">One <code>c</code></h1><p>y</p>',
    "<p>before any heading</p><h3>no id</h3><p>after</p>",
    '<div data-search-exclude="true"><div>inner</div>after inner</div><p>out</p>',
    '<div data-search-exclude="true"><p>a</p></div><div><p>b</p></div>',
    '<div class="linenodiv"><pre>1\n2</pre></div><pre>  keep\n  lines </pre>',
    "<p> </p><p>\n</p><ul><li> </li><li>x</li></ul><sub></sub><sup>s</sup>",
    '<h1 id="t">T<a class="headerlink" href="#t">&para;</a></h1>text<br/>more<br>end',
    '<div><h2 id="n">nested</h2><p>in</p></div><p>back out</p><h2 id="m">M</h2>',
    "<section><h4 id='q'>x</h4></section>".replace("'", '"') + "<p>tail</p>",
    "<p/><div/><code/>x<object>skipped<p>in object</p></object>after",
    "<p>unclosed <code>c <li>deep</p> text</code></li>",
    "<hx>an hx tag</hx><p>p</p>",
    "<pre>x<span> </span> <b>\n</b></pre> <span> </span> <p>x</p>",
    '<h1 id="a">A</h1><h1 id="a">again</h1>\n \n<p>a\nb</p>   <p>c</p>',
]

PIECES = [
    '<h1 id="a">', '<h2 id="b">', "<h2>", '<h3 id="c">', "</h1>", "</h2>", "</h3>",
    "<div>", '<div data-search-exclude="true">', '<div class="linenodiv">', "</div>",
    "<p>", "</p>", "<pre>", "</pre>", "<code>", "</code>", "<li>", "</li>", "<ul>", "</ul>",
    '<a class="headerlink" href="#a">', '<a href="x">', "</a>", "<br>", "<br/>", "<p/>",
    "<span>", "</span>", "<object>", "</object>", "<sub>", "</sub>", "<hx>", "</hx>",
    "<script>a<b</script>", "text", " ", "\n", "  \n ", "a\nb", "&amp;", "&lt;x&gt;",
]  # fmt: skip


def material_state(parser) -> tuple:
    """The sections a Material search Parser made, and what it holds for the next feed."""
    sections = [
        (s.el.tag, s.el.attrs, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in parser.data
    ]
    where = next((i for i, s in enumerate(parser.data) if s is parser.section), None)
    return (
        sections,
        where,
        [(el.tag, el.attrs) for el in parser.context],
        sorted(el if isinstance(el, str) else el.tag for el in parser.skip),
    )


def read_both(*feeds: str) -> tuple:
    """(handlers' state or error, fast state or error) after the same feeds."""
    from material.plugins.search.plugin import Parser

    install(Parser)
    results = []
    for fast in (False, True):
        parser = Parser()
        try:
            for html in feeds:
                if fast:
                    assert fast_feed(parser, html)
                else:
                    HTMLParser.feed(parser, html)
            parser.close()
        except ValueError as error:  # Material's own, from its data.index()
            results.append(("error", type(error)))
            continue
        results.append(material_state(parser))
    return tuple(results)


def test_material_parsers_handlers_are_known():
    """The installed mkdocs-material's search Parser is one whose handlers fasthtml does
    itself (9.6.0 to 9.8.2); another version keeps its own handlers, and the tests below
    still compare the results with them."""
    from importlib.metadata import version

    import material.plugins.search.plugin as material_search

    from generator.fasthtml import _READERS, MATERIAL_PARSER_DIGESTS, material_digest

    install(material_search.Parser)
    installed = version("mkdocs-material")
    if material_digest(material_search) not in MATERIAL_PARSER_DIGESTS:
        assert material_search.Parser not in _READERS
        pytest.skip(f"mkdocs-material {installed}: a search parser fasthtml does not know")
    assert material_search.Parser in _READERS, installed


@pytest.mark.parametrize("html", SIMPLE + QUIRKS)
def test_material_parser_read_at_once_is_its_handlers_work(html):
    handlers, fast = read_both(html)
    assert fast == handlers


def test_material_parser_reads_on_after_a_first_feed_as_its_handlers_do():
    for first, second in (
        ('<div data-search-exclude="true"><p>a', "</p>b</div><p>c</p>"),
        ('<h2 id="x">half', ' title</h2><p>text</p><div><h3 id="y">in</h3></div>after'),
        ("<pre>  one\n", "  two</pre>  <p> </p>"),
    ):
        handlers, fast = read_both(first, second)
        assert fast == handlers


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_material_parser_read_at_once_on_any_mix_of_its_cases(html):
    handlers, fast = read_both(html)
    assert fast == handlers
