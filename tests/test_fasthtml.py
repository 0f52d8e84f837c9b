"""generator/fasthtml.py: the search plugin's parser gets the calls html.parser would make.

The pages of a real build are compared in tests/test_site.py; here, HTML of every kind an
editor's text or a plugin could put into a page, hostile included.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

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
