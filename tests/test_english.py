"""The English edition's pages (generator.editions, generator.pages with english=True).

The pages are rendered from the fixture index of pages_fixture.py, where some values have an
English counterpart and some do not; the built site (language switch, search, lang/dir) is
tested in test_site.py and in a real browser in test_browser.py.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import markdown
import pages_fixture as F
import pytest

from generator.editions import ARABIC, ENGLISH, WORDS, date_label_en
from generator.figures import FigureWords
from generator.pages import MANIFEST, generate, generate_if_changed, render_pages

# (shown to the reader; left out of search, whose plugin then strips the attribute)
UNTRANSLATED = (
    '<span class="ex-untranslated" data-search-exclude="true">&#40;untranslated&#41;</span>'
)


def _html(page: str) -> str:
    body = page.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["md_in_html", "attr_list", "admonition", "toc"])


class _Text(HTMLParser):
    """The visible text of a page, and the language and direction each piece of it has."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.pieces: list[tuple[str, str | None, str | None]] = []  # (text, lang, dir)

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "hr", "input", "meta", "link"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        lang = next((a["lang"] for _, a in reversed(self.stack) if "lang" in a), None)
        direction = next((a["dir"] for _, a in reversed(self.stack) if "dir" in a), None)
        if data.strip():
            self.pieces.append((data, lang, direction))

    def language_of(self, text: str) -> tuple[str | None, str | None]:
        for data, lang, direction in self.pieces:
            if text in data:
                return lang, direction
        raise AssertionError(f"{text!r} is not on the page")


def _pieces(page: str) -> _Text:
    parser = _Text()
    parser.feed(_html(page))
    return parser


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_pages(F.index(), F.SOURCES, english=True)


def test_every_generated_page_has_its_english_counterpart(pages):
    arabic = {p for p in pages if not p.endswith(".en.md")}
    english = {p for p in pages if p.endswith(".en.md")}
    assert english == {ENGLISH.page(p) for p in arabic}
    assert "actors/fayez-al-sarraj.en.md" in english and "index.en.md" in english
    for rel in english:
        text = pages[rel]
        assert text.startswith("---\ntitle: "), rel
        assert re.search(r"^# \S", text, re.M), rel


def test_arabic_pages_are_the_same_with_or_without_the_english_edition(pages):
    for index, sources in ((F.index(), F.SOURCES), F.hostile_index()):
        alone = render_pages(index, sources)
        both = render_pages(index, sources, english=True)
        assert alone == {p: t for p, t in both.items() if not p.endswith(".en.md")}
    for rel, text in pages.items():
        assert ".en.md" not in text, rel  # both editions link the same paths (test_pages.py)


def test_an_english_summary_is_shown_and_a_missing_one_is_the_arabic_marked(pages):
    translated = pages["dates/2020-02-18.en.md"]
    assert "The GNA announces its withdrawal from the Geneva talks" in translated
    assert "حكومة الوفاق تعلن انسحابها" not in translated  # not the Arabic summary
    text = _pieces(translated)
    assert text.language_of("announces its withdrawal") == (None, None)  # the page's English

    missing = pages["dates/2020-02-21.en.md"]  # salame-briefing: no summary_en
    assert "المبعوث الأممي يعلن استئناف المحادثات" in missing
    text = _pieces(missing)
    assert text.language_of("المبعوث الأممي يعلن استئناف") == ("ar", "rtl")
    assert text.language_of("(untranslated)") == (None, None)  # the marker is English
    assert '<span class="ex-ar" lang="ar" dir="rtl">' in missing and UNTRANSLATED in missing
    html = _html(missing)
    assert re.search(
        r'<span class="ex-summary"><span class="ex-ar" lang="ar" dir="rtl">.*?</span> '
        r'<span class="ex-untranslated" data-search-exclude="true">\(untranslated\)</span>'
        r"</span>",
        html.replace("&#40;", "(").replace("&#41;", ")"),
    )


def test_names_labels_and_dates_in_english(pages):
    sarraj = pages["actors/fayez-al-sarraj.en.md"]
    assert 'title: "Fayez al&#45;Sarraj"' in sarraj and "# Fayez al&#45;Sarraj" in sarraj
    assert "Role:</span> Head of the Presidential Council" in sarraj
    assert 'In Arabic:</span> <span class="ex-ar" lang="ar" dir="rtl">فايز السرّاج</span>' in sarraj
    assert "Affiliation:</span> [Government of National Accord &#40;GNA&#41;](gna.md)" in sarraj
    # an actor without an English name: its Arabic name, marked, in the heading and the links
    lna = pages["actors/lna.en.md"]
    assert (
        f'# <span class="ex-ar" lang="ar" dir="rtl">الجيش الوطني الليبي</span> {UNTRANSLATED}'
        in lna
    )
    assert 'title: "الجيش الوطني الليبي"' in lna  # a page title holds no markup
    day = pages["dates/2020-02-18.en.md"]
    assert "# 18 February 2020" in day and "· statement" in day
    assert "← [February 2020](2020-02.md) · [19 February 2020](2020-02-19.md) →" in day
    # the quote stays in Arabic, set apart as such, and is not "untranslated": it is evidence
    assert '<p><span class="ex-ar" lang="ar" dir="rtl">وانسحبت حكومة الوفاق' in day
    # an untranslated outlet, a translated note, an untranslated dispute
    assert (
        f'><span class="ex-ar" lang="ar" dir="rtl">العربية</span> {UNTRANSLATED}, 19 February 2020</a>'
        in day
    )
    assert "date according to this source: 19 February 2020" in day
    assert "Says the suspension was announced on Wednesday evening" in day
    assert 'The sources differ:</span> <span class="ex-ar" lang="ar" dir="rtl">' in day
    source = pages["sources/001-b.en.md"]
    assert "# Al&#45;Araby Al&#45;Jadeed, 21 February 2020" in source
    assert "Outlet:</span> Al&#45;Araby Al&#45;Jadeed" in source
    home = pages["index.en.md"]
    assert "# The 2020 Libyan ceasefire talks" in home
    # the story has no English version: each paragraph shown in Arabic, marked
    assert home.count(UNTRANSLATED) >= 2 and "في فبراير 2020 جلس" in home
    assert "[Actors](actors/index.md): 5" in home and "[About this site](about.md)" in home
    assert "Facts in the index: 4." in home


def test_english_names_in_english_summaries_are_linked(pages):
    day = pages["dates/2020-02-19.en.md"]
    # "Sarraj" is the last name of "Fayez al-Sarraj"; the GNA is not named: listed after
    assert '<a href="../actors/fayez-al-sarraj.md">Sarraj</a> says' in day
    assert (
        'Actors:</span> <a href="../actors/gna.md">Government of National Accord &#40;GNA&#41;</a>'
        in day
    )
    withdrawal = pages["dates/2020-02-18.en.md"]
    assert 'The <a href="../actors/gna.md">GNA</a> announces' in withdrawal


def test_structured_data_in_english(pages):
    text = pages["actors/fayez-al-sarraj.en.md"]
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', text).group(1))
    assert data["name"] == "Fayez al-Sarraj" and "فايز السرّاج" in data["alternateName"]
    assert data["jobTitle"] == "Head of the Presidential Council"


def test_figures_run_left_to_right_in_english(pages):
    home = pages["index.en.md"]
    svg = re.search(r"<svg .*?</svg>", home).group(0)
    assert 'aria-label="Timeline: The 2020 Libyan ceasefire talks"' in svg
    assert "the earliest on the left" in svg and "February 2020" in svg
    assert "← Earlier" in svg and "Later →" in svg
    ticks = re.findall(r'font-size="19" fill="currentColor">([^<]*)</text>', svg)
    assert ticks and all(re.fullmatch(r"[A-Z][a-z]+(?: \d{4})?", t) for t in ticks), ticks
    # a mark's text alternative: the English summary, or the Arabic one marked
    text = html.unescape(svg)
    assert "18 February 2020 — 1 fact — The GNA announces its withdrawal" in text
    assert "February 2020 — 1 fact — اشتباكات متقطعة جنوب طرابلس طوال فبراير (untranslated)" in text
    xs = {href: float(x) for href, x in re.findall(r'<a href="([^"]+)".*?cx="([\d.]+)"', svg)}
    assert xs["dates/2020-02.md"] < xs["dates/2020-02-18.md"] < xs["dates/2020-02-21.md"]
    graph = re.search(r"<svg .*?</svg>", pages["meetings/index.en.md"]).group(0)
    assert 'aria-label="Actors and meetings"' in graph and ">Meetings</text>" in graph
    assert "The 5+5 Joint Military Commission talks in Geneva" in graph
    assert 'href="geneva-jmc-2020-02.md"' in graph and 'href="../actors/gna.md"' in graph
    # the meetings' column is on the left in English, on the right in Arabic
    assert re.search(r'<circle cx="400"[^>]*style="fill: var\(--md-primary', graph)
    arabic = re.search(r"<svg .*?</svg>", pages["meetings/index.md"]).group(0)
    assert re.search(r'<circle cx="600"[^>]*style="fill: var\(--md-primary', arabic)


def test_the_manifest_owns_the_english_pages_and_drops_them_when_switched_off(tmp_path):
    site = tmp_path / "site_src"
    site.mkdir()
    (site / "about.en.md").write_text("# About\n", encoding="utf-8")
    generate(F.index(), F.SOURCES, site, english=True)
    manifest = json.loads((site / MANIFEST).read_text())
    assert "actors/gna.en.md" in manifest and "index.en.md" in manifest
    result = generate(F.index(), F.SOURCES, site, english=False)
    assert result.removed == len(manifest) // 2
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.en.md")) == ["about.en.md"]
    assert not any(p.endswith(".en.md") for p in json.loads((site / MANIFEST).read_text()))


def test_switching_the_edition_on_regenerates(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("facts: []\n", encoding="utf-8")
    site = tmp_path / "site_src"
    site.mkdir()
    calls = []

    def load():
        calls.append(1)
        return F.index(), F.SOURCES

    stamp = tmp_path / "cache/pages.json"
    generate_if_changed([facts], site, load, stamp, english=False)
    generate_if_changed([facts], site, load, stamp, english=False)
    assert len(calls) == 1 and not list(site.rglob("*.en.md"))
    generate_if_changed([facts], site, load, stamp, english=True)
    assert len(calls) == 2 and (site / "actors/gna.en.md").exists()
    generate_if_changed([facts], site, load, stamp, english=True)
    assert len(calls) == 2


def test_every_word_exists_in_both_languages():
    for key, pair in WORDS.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        arabic, english = pair
        assert callable(arabic) == callable(english), key
        if not callable(english):
            assert arabic.strip() and english.strip(), key
            assert not re.search("[\u0600-\u06ff]", english), key
    assert ARABIC.figures == FigureWords()  # the figures' defaults are the Arabic edition's
    assert date_label_en("2020-02-18") == "18 February 2020"
    assert date_label_en("2020-02") == "February 2020" and date_label_en("2020") == "2020"
    assert ENGLISH.page("actors/gna.md") == "actors/gna.en.md"
    assert ARABIC.page("actors/gna.md") == "actors/gna.md"


def test_hostile_english_values_are_text(tmp_path):
    index, sources = F.hostile_index()
    pages = render_pages(index, sources, english=True)
    actor = pages["actors/evil-actor.en.md"]
    visible = " ".join(" ".join(d for d, _, _ in _pieces(actor).pieces).split())
    assert "Actor <script>alert(1)</script>" in visible  # the English name, as text
    for payload in F.PAYLOADS:
        assert payload.replace("\u202e", "") in visible, payload
    assert "<script>alert" not in _html(actor)
    home = pages["index.en.md"]
    assert "# Title &#60;script&#62;" in home and UNTRANSLATED in home  # story_en is missing


def test_long_stories_in_english_lines_and_grouped_timelines():
    """Pages past CARD_LIMIT facts list them in lines, timelines past TIMELINE_MARKS dates mark
    months: the same in English, with English words and an untranslated summary marked."""
    from datetime import date

    from generator.model import Fact, FactSource

    start = date(2019, 1, 1).toordinal()
    extra = tuple(
        Fact(
            f"extra-{i:04d}",
            date.fromordinal(start + i).isoformat(),
            f"واقعة رقم {i} لحكومة الوفاق",
            (FactSource("000_a.txt", "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار."),),
            actors=("gna",),
            summary_en=f"Fact number {i} of the GNA" if i % 2 else None,
        )
        for i in range(200)
    )
    pages = render_pages(F.index(facts=F.FACTS + extra), F.SOURCES, english=True)
    gna = pages["actors/gna.en.md"]
    assert "There are many facts here, so each is shown in one line" in gna
    assert "### 2019" in gna and 'class="ex-fact' not in gna  # lines, no cards
    assert re.search(
        r'^<li><a href="\.\./dates/2019-01-02\.md#f-extra-0001">2 January 2019</a> · event · '
        r'<span class="ex-badge">unreviewed</span>: Fact number 1 of the GNA</li>$',
        gna,
        re.M,
    )
    assert re.search(
        r'^<li><a href="\.\./dates/2019-01-01\.md#f-extra-0000">1 January 2019</a> · event · '
        r'<span class="ex-badge">unreviewed</span>: '
        r'<span class="ex-ar" lang="ar" dir="rtl">واقعة رقم 0 لحكومة الوفاق</span> '
        rf"{re.escape(UNTRANSLATED)}</li>$",
        gna,
        re.M,
    )
    svg = html.unescape(re.search(r"<svg .*?</svg>", pages["index.en.md"]).group(0))
    assert "January 2019 — 31 facts" in svg and "months from January 2019" in svg
    assert "each mark stands for the facts of a month" in svg
    assert 'href="dates/index.md#m-2019-01"' in svg
    arabic = render_pages(F.index(facts=F.FACTS + extra), F.SOURCES)
    assert arabic == {p: t for p, t in pages.items() if not p.endswith(".en.md")}
