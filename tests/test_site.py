"""The built site: `mkdocs build --strict` of the project, every link, no third-party request.

The build runs on a copy of the project (seeds/, facts.yaml, mkdocs.yml, hand-written
site_src/, hooks/) in a subprocess, as a maintainer runs it, with the hook generating the pages.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from devserver import edit_fact
from hypothesis import example, given
from hypothesis import strategies as st
from project_files import copy_project

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

# Hosts that serve fonts, scripts or trackers: their names must not appear in any asset.
THIRD_PARTY = (
    "fonts.googleapis",
    "fonts.gstatic",
    "cdn.jsdelivr",
    "unpkg.com",
    "cdnjs.cloudflare",
    "googletagmanager",
    "google-analytics",
)

# Material's bundle loads these only when the browser lacks ResizeObserver (none since 2020)
# or when a page has a Mermaid diagram (the generated pages have none, and escaped text cannot
# make one). The browser tests check that no request leaves 127.0.0.1.
MATERIAL_FALLBACKS = (
    '"https://unpkg.com/resize-observer-polyfill"',
    '"https://unpkg.com/mermaid@11/dist/mermaid.min.js"',
)


def search_docs(site: Path) -> list[dict]:
    """The search entries of both editions, each located from the site's root: the English
    index (en/search/) locates its entries from the English edition's folder."""
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    english = site / "en/search/search_index.json"
    if english.exists():
        for doc in json.loads(english.read_text("utf-8"))["docs"]:
            docs.append({**doc, "location": "en/" + doc["location"]})
    return docs


def built_pages(site: Path, pattern: str) -> list[tuple[Path, str]]:
    """The built pages whose paths match `pattern` (under `site`), with their HTML."""
    return [(path, path.read_text(encoding="utf-8")) for path in sorted(site.glob(pattern))]


def mkdocs_build(
    project: Path, out: Path, *args: str, **env_vars: str
) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1", **env_vars)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            "mkdocs.yml",
            "-d",
            str(out),
            *args,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_same_site(first: Path, second: Path) -> None:
    """The two built sites hold the same files, byte for byte."""
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert not different, different[:10]


class Page(HTMLParser):
    """Links, ids and the root attributes of one built HTML page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attrs)
        self.ids: set[str] = set()
        self.html_attrs: dict = {}
        self.body_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if tag == "body":
            self.body_attrs = a
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        for key in ("href", "src", "action", "poster", "data"):
            if a.get(key):
                self.links.append((tag, a[key], a))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                self.links.append((tag, part.strip().split(" ")[0], a))


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def target_file(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """The file a relative URL of `page` points to, and its fragment."""
    base = "/" + page.relative_to(site).as_posix()
    parts = urlsplit(urljoin(base, url))
    path = site / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def check_site(
    site: Path, *, check_anchors: bool = True, check_js: bool = True
) -> dict[Path, Page]:
    """Every internal link and anchor resolves; nothing is loaded from another host.

    check_js: also refuse third-party host names anywhere in the JavaScript bundles (Material's
    known conditional fallbacks aside); off for Zensical, whose bundle names CDNs for features
    (code execution, editors) that its pages load only on demand.
    """
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken, external = [], []
    for path, page in pages.items():
        for tag, url, attrs in page.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                # only links to an article's original page may leave the site, never a load
                if not (tag == "a" and "ex-external" in attrs.get("class", "")):
                    external.append((path, url))
                continue
            if parts.scheme in ("mailto", "data", "blob"):
                continue
            assert not parts.scheme, (path, url)
            target, fragment = target_file(site, path, url)
            if not target.exists():
                broken.append((path.relative_to(site), url))
                continue
            if check_anchors and fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    broken.append((path.relative_to(site), url))
    assert not broken, broken[:20]
    assert not external, external[:20]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), css
        assert "@import" not in text or not re.search(r"@import\s+['\"]?(?:https?:)?//", text)
    scripts = list(site.rglob("*.js")) if check_js else []
    for asset in [*scripts, *site.rglob("*.css"), *pages]:
        text = asset.read_text(encoding="utf-8", errors="replace")
        for known in MATERIAL_FALLBACKS:
            text = text.replace(known, "")
        for host in THIRD_PARTY:
            assert host not in text, (asset, host)
    return pages


@pytest.fixture(scope="module")
def built_with_log(tmp_path_factory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("built")
    project = copy_project(root / "project")
    out = root / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return project, out, result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(built_with_log) -> tuple[Path, Path]:
    project, out, _ = built_with_log
    return project, out


def test_build_is_strict_clean_and_complete(built):
    project, site = built
    for rel in ("index.html", "about/index.html", "actors/index.html", "meetings/index.html"):
        assert (site / rel).exists(), rel
    assert (site / "actors/fayez-al-sarraj/index.html").exists()
    # the hand-written page is still the hand-written one
    assert (project / "site_src/about.md").read_bytes() == (REPO / "site_src/about.md").read_bytes()


def test_every_internal_link_resolves_and_nothing_is_external(built):
    _, site = built
    pages = check_site(site)
    assert len(pages) > 20


def test_every_page_is_arabic_rtl_with_a_description(built):
    _, site = built
    for path in site.rglob("*.html"):
        page = parse(path)
        english = path.relative_to(site).parts[0] == "en"
        assert page.html_attrs.get("lang") == ("en" if english else "ar"), path
        assert page.body_attrs.get("dir") == ("ltr" if english else "rtl"), path
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description"' in home
    assert '<svg class="ex-timeline"' in home and 'role="img"' in home
    actor = (site / "actors/fayez-al-sarraj/index.html").read_text(encoding="utf-8")
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', actor).group(1)
    assert json.loads(ld)["@type"] == "Person"


def test_search_index_holds_each_fact_once_on_its_date_page(built):
    """A fact's summary is found on its date page (or the home page's latest facts), not
    again on every actor, meeting and source page that lists it: the index a reader's phone
    downloads stays a fraction of the site."""
    from generator.factindex import load_index

    project, site = built
    docs = search_docs(site)
    facts = [f for f in load_index(project / "facts.yaml").facts if f.status != "rejected"]
    assert facts
    for fact in facts:
        needle = html.escape(fact.summary, quote=False)
        where = {d["location"].split("#")[0] for d in docs if needle in d["text"]}
        assert where, fact.id
        pages = {w.removeprefix("en/") for w in where}
        assert all(w.startswith("dates/") or w == "" for w in pages), (fact.id, where)


def test_who_cites_a_fact_is_shown_on_its_date_page_but_not_searched(built):
    """A card's citation line (the outlet and day of its source) is on the page for the
    reader, not in the search index: a search for an outlet finds that outlet's source
    pages, not every fact it reported (thousands, in a large story)."""
    _, site = built
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    cited = 0
    for path in sorted((site / "dates").glob("*/index.html")):
        page = path.read_text(encoding="utf-8")
        citations = re.findall(r"<blockquote>.*?<p>— (.*?)</p>\n</blockquote>", page, re.S)
        texts = [
            d["text"]
            for d in index["docs"]
            if d["location"].split("#")[0] == f"dates/{path.parent.name}/"
        ]
        assert texts, path
        for citation in citations:
            assert "data-search" not in citation, path
            cited += 1
            assert "<p>—" not in "".join(texts), path
    assert cited > 40
    # the outlets are still found, on their sources' pages
    outlets = {d["title"] for d in index["docs"] if d["location"].startswith("sources/")}
    assert any("العربية" in title for title in outlets)


def test_search_reads_every_built_page_as_with_html_parser(built):
    """The hook gives Material's search parser a faster tokenizer, and does its handlers'
    work in one function (generator/fasthtml.py): on every page of both editions it takes
    the fast path and makes the same sections, with the same titles and texts, as
    html.parser and the handlers do."""
    from material.plugins.search.plugin import Parser

    from generator.fasthtml import fast_feed, install

    install(Parser)  # (with a Material whose parser it does not know, the handlers run)

    def sections(parser: Parser) -> list[tuple]:
        parser.close()
        return [(s.el.tag, s.id, s.title, s.text) for s in parser.data]

    _, site = built
    article = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
    pages = 0
    for path in sorted(site.rglob("*.html")):
        for content in article.findall(path.read_text(encoding="utf-8")):
            plain = Parser()
            HTMLParser.feed(plain, content)
            fast = Parser()
            assert fast_feed(fast, content), path
            assert sections(fast) == sections(plain), path
            pages += 1
    assert pages > 40


def test_a_date_pages_way_to_its_neighbours_is_shown_but_not_searched(built):
    """A date page's links to the day before and after and to its month and year are there
    for the reader, not in the search index: they made every day of a month an answer to a
    search for the month, and took a line of every date entry of the index."""
    _, site = built
    docs = search_docs(site)
    pages = 0
    for path, page in built_pages(site, "**/dates/*/index.html"):
        shown = re.findall(r'<p><span class="ex-pager">(.*?)</span></p>', page)
        within = re.findall(r"<p>(?:ضمن|Within): (.*?)</p>", page)
        if not shown and not within:
            continue
        pages += 1
        assert "data-search" not in page, path
        location = path.parent.relative_to(site).as_posix() + "/"
        texts = " ".join(d["text"] for d in docs if d["location"].startswith(location))
        assert "ex-pager" not in texts and "ضمن:" not in texts and "Within:" not in texts, path
    assert pages > 20


def test_a_generated_pages_heading_alone_is_no_search_entry(built):
    """A generated page's section with nothing searchable but its heading ("Facts taken from
    this source (6)" on every source page) is left out of the index; every page keeps its
    own entry, and hand-written pages keep all their sections."""
    _, site = built
    docs = search_docs(site)
    locations = {d["location"] for d in docs}
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        assert url in locations, url  # each page's own entry
    generated = [d for d in docs if not d["location"].split("#")[0].rstrip("/").endswith("about")]
    empty = [d["location"] for d in generated if "#" in d["location"] and not d["text"]]
    assert not empty, empty[:5]
    assert any(d["location"].startswith("sources/") for d in docs)
    assert not any("#الوقائع-المأخوذة-من-هذا-المصدر" in d["location"] for d in docs)
    about = [d for d in docs if d["location"].startswith("about/#")]
    assert len(about) >= 4  # the hand-written page's sections


def test_the_untranslated_marker_is_shown_but_not_searched(tmp_path):
    """A fact without its English summary shows the Arabic one marked "(untranslated)" on the
    English edition's pages; the marker is not in the English search index (on a story not yet
    translated it was the same word on every card and name)."""
    project = copy_project(tmp_path / "project")
    facts = project / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    line = (
        "    summary_en: A ceasefire between the GNA and the LNA took effect on Sunday"
        " 12 January 2020.\n"
    )
    assert line in text
    facts.write_text(text.replace(line, ""), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-4000:]
    page = (site / "en/dates/2020-01-12/index.html").read_text(encoding="utf-8")
    assert '<span class="ex-untranslated">&#40;untranslated&#41;</span>' in page
    assert "data-search" not in page
    docs = [d for d in search_docs(site) if d["location"].startswith("en/dates/2020-01-12/")]
    assert docs and any("دخل وقف لإطلاق النار" in d["text"] for d in docs)
    assert not any("untranslated" in d["text"] + d["norm"] for d in docs)


def test_a_sources_fingerprint_is_shown_but_not_searched(built):
    """A source page shows its article's sha256 (the evidence that the quotes are its
    bytes); the search index has the page's outlet and day, not 64 hexadecimal digits."""
    _, site = built
    docs = search_docs(site)
    seen = 0
    for path, page in built_pages(site, "sources/*/index.html"):
        digest = re.search(r'<code class="ex-hash" dir="ltr">([0-9a-f]{64})</code>', page)
        assert digest, path
        location = f"sources/{path.parent.name}/"
        entry = [d for d in docs if d["location"] == location]
        assert entry and entry[0]["title"], path
        assert digest.group(1) not in entry[0]["text"] + entry[0]["norm"], path
        seen += 1
    assert seen >= 5


def test_an_actors_mentions_and_own_name_are_not_shown_as_other_names(built):
    """Russia's mentions in facts.yaml ("قالت موسكو") find it in articles but are no names of
    it: its page and its structured data list neither them nor its own name as other names,
    while another actor's aliases are listed."""
    project, site = built
    facts = yaml.safe_load((project / "facts.yaml").read_text(encoding="utf-8"))
    russia = next(a for a in facts["actors"] if a["id"] == "russia")
    assert russia["mentions"] and russia["name"] in russia["aliases"]
    for path in ("actors/russia/index.html", "en/actors/russia/index.html"):
        page = (site / path).read_text(encoding="utf-8")
        ld = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
        )
        other_names = ld.get("alternateName", [])
        assert not set(russia["mentions"]) & set(other_names), path
        assert ld["name"] not in other_names, path
        # (its facts quote the phrases; its particulars list no other name)
        assert "يُذكر أيضًا باسم" not in page and "Also written in Arabic as" not in page, path
    sarraj = (site / "actors/fayez-al-sarraj/index.html").read_text(encoding="utf-8")
    assert "يُذكر أيضًا باسم" in sarraj


def test_a_quote_repeating_its_summary_is_shown_but_searched_once(tmp_path):
    """A candidate's quote is its summary: the date page shows both, and the search index,
    which a reader's phone downloads whole, has the sentence once."""
    project = copy_project(tmp_path / "project")
    facts = project / "facts.yaml"
    quote = "بغية التوصّل لاتفاق على وقف لإطلاق النار بين الطرفين دخل حيّز التنفيذ الأحد."
    text = facts.read_text(encoding="utf-8")
    summary = re.search(r"^    summary: دخل وقف لإطلاق النار .*$", text, re.M)
    assert summary and f"quote: '{quote}'" in text
    facts.write_text(text.replace(summary.group(0), f"    summary: '{quote}'"), "utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site, EXPLAINER_ENGLISH="false")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = (site / "dates/2020-01-12/index.html").read_text(encoding="utf-8")
    assert html.unescape(page).count(quote) >= 2  # the summary, the quote (a tooltip)
    quoted = re.findall(r"<blockquote>\n<p>([^<]*)</p>", page)
    assert quote in [html.unescape(q) for q in quoted]
    assert "data-ex-" not in page and "data-search-" not in page
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("dates/2020-01-12/")]
    assert sum(d["text"].count(html.escape(quote, quote=False)) for d in docs) == 1
    check_site(site)


def test_each_edition_has_its_own_search_index(built):
    """A reader's browser downloads the index of the edition it reads, not both: the Arabic
    pages' entries in search/, the English pages' in en/search/ (located from en/), and
    every page's search configuration pointing at its edition's folder."""
    _, site = built
    arabic = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    english = json.loads((site / "en/search/search_index.json").read_text("utf-8"))["docs"]
    pages = {path.relative_to(site).parent.as_posix() for path in site.rglob("index.html")}
    arabic_pages = {p for p in pages if p != "en" and not p.startswith("en/")}
    english_pages = {p.removeprefix("en").removeprefix("/") for p in pages - arabic_pages}

    def located(docs: list[dict]) -> set[str]:
        return {d["location"].split("#")[0].rstrip("/") or "." for d in docs}

    assert located(arabic) and located(arabic) <= arabic_pages
    assert located(english) and located(english) <= {p or "." for p in english_pages}
    assert "actors/fayez-al-sarraj" in located(arabic) & located(english)
    assert all(d["title"] for d in arabic + english)
    assert any("Sarraj" in d["title"] for d in english)
    assert not any("Sarraj" in d["title"] for d in arabic)
    assert not any(re.search("[\u0600-\u06ff]", d["title"]) for d in english if d["location"] == "")
    config = re.compile(r'<script id="__config" type="application/json">(.*?)</script>')
    for path in sorted(site.rglob("index.html")):
        page = path.read_text("utf-8")
        base = json.loads(config.search(page).group(1))["base"]
        folder = path.parent.relative_to(site).as_posix()
        english_page = folder == "en" or folder.startswith("en/")
        root = urljoin(f"http://host/{folder}/", base)
        assert root == ("http://host/en/" if english_page else "http://host/"), (path, base)


def test_search_index_holds_normalised_arabic(built):
    _, site = built
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["ar", "en"]  # Arabic pages quote English names too
    assert "norm" in index["config"]["fields"]
    docs = search_docs(site)
    # the hook added its terms once, to the entries of both editions
    assert all("norm" in d for d in docs)
    english = [d for d in docs if d["location"].startswith("en/")]
    assert english and len(english) < len(docs)
    assert any(d["location"].startswith("en/actors/fayez-al-sarraj/") for d in english)
    sarraj = [d for d in docs if d["location"].startswith("actors/fayez-al-sarraj/")]
    assert sarraj
    words = set(sarraj[0]["norm"].split())
    assert "سراج" in words  # the article-less form, for the query "سراج"
    # a word as the page writes it is found in the text itself (tests/test_browser.py
    # searches "السراج"), not again in the extra field: half of that field on a large story
    assert "السراج" not in words and "السراج" in sarraj[0]["title"] + sarraj[0]["text"]
    separator = re.compile(index["config"]["separator"])
    for doc in docs:
        written = separator.split(re.sub(r"<[^>]*>", " ", doc["title"] + " " + doc["text"]))
        again = set(doc["norm"].split()) & {w.lower() for w in written}
        # (but for a word with letters whose case a browser may fold otherwise: "salamé")
        assert all(not w.isascii() and w != w.upper() for w in again), (doc["location"], again)
    assert all("\u0651" not in d["norm"] for d in docs)  # no shadda: "السرّاج" folded
    april = [d for d in docs if re.search("[أإ]بريل", d["title"] + d["text"])]
    assert april and all("ابريل" in d["norm"].split() for d in april)
    js = (site / "assets/explainer-search.js").read_text(encoding="utf-8")
    assert "Worker.prototype.postMessage" in js


# --------------------------------------------------------------------------------------------
# The English edition (mkdocs-static-i18n)


def _switch(page: Page) -> dict[str, str]:
    """The language switch of a built page: {hreflang: href}."""
    return {
        attrs["hreflang"]: url
        for tag, url, attrs in page.links
        if tag == "a" and "md-select__link" in attrs.get("class", "")
    }


def test_every_generated_page_has_its_english_page_and_the_switch_links_them(built):
    project, site = built
    manifest = json.loads((project / "site_src/.generated.json").read_text(encoding="utf-8"))
    arabic = [p for p in manifest if not p.endswith(".en.md")]
    assert sorted(manifest) == sorted(arabic + [p[:-3] + ".en.md" for p in arabic])
    for rel in [*arabic, "about.md"]:
        stem = rel[: -len(".md")]
        folder = (
            ""
            if stem == "index"
            else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")
        )
        ar_html, en_html = site / folder / "index.html", site / "en" / folder / "index.html"
        assert ar_html.exists() and en_html.exists(), rel
        # Arabic -> English and back, by relative links
        to_en, to_ar = _switch(parse(ar_html))["en"], _switch(parse(en_html))["ar"]
        assert not urlsplit(to_en).scheme and not to_en.startswith("/"), (rel, to_en)
        assert target_file(site, ar_html, to_en)[0] == en_html, rel
        assert target_file(site, en_html, to_ar)[0] == ar_html, rel
    sarraj = (site / "en/actors/fayez-al-sarraj/index.html").read_text(encoding="utf-8")
    assert "<h1" in sarraj and "Fayez al-Sarraj" in sarraj and "Switch to dark mode" in sarraj
    about = (site / "en/about/index.html").read_text(encoding="utf-8")
    assert "About this site" in about


def test_pages_are_generated_once_per_build(built_with_log):
    _, _, log = built_with_log
    # the outer build generates both editions; the plugin's nested English build does not
    assert len(re.findall(r"explainer: \d+ pages written", log)) == 1, log[-3000:]
    assert "Building 'en' documentation" in log


def test_the_english_edition_can_be_switched_off(tmp_path):
    project = copy_project(tmp_path / "project")
    assert mkdocs_build(project, tmp_path / "both").returncode == 0
    assert list((project / "site_src").rglob("actors/*.en.md"))
    result = mkdocs_build(project, tmp_path / "arabic", EXPLAINER_ENGLISH="false")
    assert result.returncode == 0, result.stderr[-4000:]
    site = tmp_path / "arabic"
    assert not (site / "en").exists() and (site / "actors/gna/index.html").exists()
    # the English pages left by the first build are gone, the hand-written one stays
    left = sorted(
        p.relative_to(project / "site_src").as_posix()
        for p in (project / "site_src").rglob("*.en.md")
    )
    assert left == ["about.en.md"]
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["ar"]
    assert not any(d["location"].startswith("en/") for d in index["docs"])
    home = parse(site / "index.html")
    assert not _switch(home) and home.html_attrs.get("lang") == "ar"


def test_serve_rebuilds_build_each_edition_once(tmp_path, monkeypatch):
    """`mkdocs serve` rebuilds with the same config: the joint search index stays one entry
    per page section, and each rebuild builds Arabic (outer) then English (nested) again."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator import site as hook

    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        counts = []
        for _ in range(3):
            build(config)
            counts.append(len(search_docs(tmp_path / "site")))
            assert parse(tmp_path / "site/index.html").html_attrs["lang"] == "ar"
            assert parse(tmp_path / "site/en/index.html").html_attrs["lang"] == "en"
            assert parse(tmp_path / "site/404.html").html_attrs["lang"] == "ar"
        assert counts[0] == counts[1] == counts[2], counts
    finally:
        config.plugins.on_shutdown()
        hook.on_startup(command="build", dirty=False)


def test_serve_writes_the_index_of_the_site_as_it_is_after_dirty_rebuilds(tmp_path, monkeypatch):
    """Under `mkdocs serve --dirty` (as `explainer serve` runs it), a rebuild renders only the
    pages an edit changed, in both editions; the search index it writes is still the whole
    site's, the same entries as a build from scratch: none twice (Material's merge with the
    last index piled both editions up, rebuild after rebuild), none of a page that is gone,
    each page's newest."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator import site as hook

    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(sys, "argv", [*sys.argv, "--dirty"])  # read by mkdocs-static-i18n
    site = tmp_path / "site"
    facts = project / "facts.yaml"

    def rebuild() -> list[dict]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        build(config, dirty=True)
        return search_docs(site)

    edits = [
        # a summary: one date page and the pages of its actors, in both editions
        ("ceasefire-takes-effect", "summary", "ملخص جديد لوقف إطلاق النار"),
        ("ceasefire-takes-effect", "summary_en", "A new summary of the ceasefire"),
        # a fact alone on its day moves to another: dates/2020-06-01 goes, 2020-06-04 comes
        ("turkish-boeing-leaves-konya", "date", '"2020-06-04"'),
    ]
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        for fact, key, value in edits:
            facts.write_text(edit_fact(facts.read_text("utf-8"), fact, key, value), "utf-8")
            served = rebuild()
            locations = [doc["location"] for doc in served]
            assert len(locations) == len(set(locations))
        served = rebuild()  # and one with nothing changed
    finally:
        config.plugins.on_shutdown()
        hook.on_startup(command="build", dirty=False)
    locations = {doc["location"] for doc in served}
    assert "dates/2020-06-04/" in locations and "en/dates/2020-06-04/" in locations
    assert not any(
        loc.startswith(("dates/2020-06-01/", "en/dates/2020-06-01/")) for loc in locations
    )
    assert any("A new summary of the ceasefire" in doc["text"] for doc in served)

    result = mkdocs_build(project, tmp_path / "fresh")
    assert result.returncode == 0, result.stderr[-4000:]
    fresh = search_docs(tmp_path / "fresh")

    def key(doc: dict) -> str:
        return json.dumps(doc, ensure_ascii=False, sort_keys=True)

    served_keys, fresh_keys = sorted(map(key, served)), sorted(map(key, fresh))
    missing = sorted(set(fresh_keys) - set(served_keys))
    extra = sorted(set(served_keys) - set(fresh_keys))
    assert not missing and not extra, (missing[:2], extra[:2])
    assert served_keys == fresh_keys


def test_i18n_files_remembered_under_serve_are_the_plugins_own(built, monkeypatch):
    """Under `mkdocs serve` the hook hands out mkdocs-static-i18n's File of a file in a
    language from memory after the first time: for every file of the seeds' site, in each
    language, the remembered File is what the plugin makes, attribute for attribute."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs_static_i18n import suffix

    from generator import i18nfiles

    project, site = built
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    plugins_own = getattr(suffix.create_i18n_file, "made_by_plugin", suffix.create_i18n_file)
    monkeypatch.setattr(suffix, "create_i18n_file", plugins_own)
    i18nfiles.install(remember=True)
    remembered = suffix.create_i18n_file
    assert remembered is not plugins_own
    files = list(get_files(config))
    assert len(files) > 100
    languages = ["ar", "en"]

    def state(file) -> dict:
        attributes = {k: v for k, v in vars(file).items() if k != "alternates"}
        for name in ("url", "dest_uri", "abs_dest_path", "name", "src_uri", "norm_src_uri"):
            attributes[name] = getattr(file, name)
        return attributes

    for file in files:
        for language in languages:
            made = plugins_own(file, language, "ar", languages, config)
            for _ in range(2):  # the first call makes it, the second remembers it
                again = remembered(file, language, "ar", languages, config)
                assert again is not made and state(again) == state(made), file.src_uri
                assert again.alternates == {language: again}
            # and a page's counterpart, made from the File of the other language
            counterpart = "en" if language == "ar" else "ar"
            other = remembered(made, counterpart, "ar", languages, config)
            expected = plugins_own(made, counterpart, "ar", languages, config)
            assert state(other) == state(expected), file.src_uri


@pytest.mark.parametrize("directory_urls", [True, False])
def test_i18n_files_made_without_pathlib_are_the_plugins_own(built, directory_urls):
    """generator/i18nfiles.py makes mkdocs-static-i18n's File of a file in a language with
    string operations: every attribute is the plugin's own, for every file of the seeds' site
    and for awkward names, in each language and as a page's counterpart."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files
    from mkdocs_static_i18n import suffix

    from generator import i18nfiles

    project, site = built
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.use_directory_urls = directory_urls
    plugins_own = getattr(suffix.create_i18n_file, "made_by_plugin", suffix.create_i18n_file)
    awkward = [
        "README.md",
        "README.en.md",
        "index.en.md",
        "a/README.en.md",
        "a/index.md",
        "a/index.en.md",
        "a/b.c.en.md",
        "a/b.c.md",
        "x.fr.md",
        "x.fr_FR.md",
        "x.pt-BR.md",
        "x.zh-Hant-TW.md",
        "x.notalocale.md",
        "x.EN.md",
        "img/pic.en.png",
        "img/pic.png",
        "img/pic.en.tar.gz",
        ".hidden.md",
        ".en.md",
        "a.b.md",
        "dir.en/page.md",
        "dir.en/page.en.md",
        "page..en.md",
        "page.en..md",
        "page.md.",
        "a/b/c/d.en.md",
        "index/index.en.md",
        "README/README.en.md",
        "notes.en",
        "x.ar.md",
        "x.ar.en.md",
    ]
    files = [
        *get_files(config),
        *(File(name, config.docs_dir, config.site_dir, directory_urls) for name in awkward),
    ]
    assert len(files) > 100

    def state(file) -> dict:
        attributes = {k: v for k, v in vars(file).items() if k != "alternates"}
        for name in ("url", "dest_uri", "abs_dest_path", "name", "src_uri", "dest_path"):
            attributes[name] = getattr(file, name)
        return attributes

    languages = ["ar", "en"]
    for file in files:
        for language in languages:
            made = plugins_own(file, language, "ar", languages, config)
            ours = i18nfiles.create_i18n_file(file, language, "ar", languages, config)
            assert state(ours) == state(made), (file.src_uri, language)
            assert ours.alternates == {language: ours}
            for other in languages:  # a counterpart, made from the File of a language
                expected = plugins_own(made, other, "ar", languages, config)
                assert state(
                    i18nfiles.create_i18n_file(made, other, "ar", languages, config)
                ) == state(expected), (file.src_uri, language, other)


@given(
    st.lists(st.sampled_from(["/", "a", "b", "ab", ".", "..", ".x", "a.b"]), max_size=8).map(
        "".join
    ),
    st.lists(st.sampled_from(["/", "a", "b", "ab", ".", "..", ".x"]), max_size=6).map("".join),
)
def test_is_relative_to_is_pathlibs(src, dest):
    """The plugin asks whether each file is under docs_dir: generator/i18nfiles.py answers
    with string operations for plain absolute paths, and as pathlib does for every path."""
    from pathlib import PurePath

    from generator import i18nfiles

    for a, b in ((src, dest), ("/" + src, "/" + dest), ("/" + src, dest)):
        assert i18nfiles.is_relative_to(a, b) == PurePath(a).is_relative_to(b), (a, b)


def test_i18n_file_lists_are_the_plugins_own(built, monkeypatch):
    """mkdocs-static-i18n's reconfigure_files, with the explainer's File maker, path test and
    default language read once (generator/i18nfiles.py), gives the same Files, alternates and
    all, as with the plugin's own, for each language of the seeds' site."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs_static_i18n import reconfigure, suffix

    from generator import i18nfiles

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project, site = built
    i18nfiles.install()
    monkeypatch.setattr(i18nfiles, "_remember_lists", False)  # (as `mkdocs build` has it)

    def listing(language: str, theirs: bool) -> list[tuple]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        plugin = config.plugins["i18n"]
        plugin.current_language = language
        with pytest.MonkeyPatch.context() as plugins_own:
            if theirs:
                plugin_class = reconfigure.ExtendedPlugin
                own = plugin_class.reconfigure_files.made_by_plugin
                plugins_own.setattr(reconfigure, "is_relative_to", i18nfiles.PLUGINS_IS_RELATIVE_TO)
                plugins_own.setattr(
                    suffix, "create_i18n_file", suffix.create_i18n_file.made_by_plugin
                )
                plugins_own.setattr(plugin_class, "reconfigure_files", own)
                plugins_own.setattr(
                    plugin_class,
                    "default_language",
                    property(plugin_class.default_language.fget.made_by_plugin),
                )
            files = plugin.reconfigure_files(get_files(config), config)
        return [
            (
                f.src_uri,
                f.dest_uri,
                f.url,
                getattr(f, "locale", None),
                sorted((k, v.src_uri, v.url) for k, v in getattr(f, "alternates", {}).items()),
            )
            for f in files
        ]

    for language in ("ar", "en"):
        ours = listing(language, theirs=False)
        assert len(ours) > 60
        assert ours == listing(language, theirs=True), language


def test_i18n_file_lists_remembered_under_serve_follow_the_files(built, monkeypatch):
    """Under `mkdocs serve`, a language's file list is remembered from rebuild to rebuild
    (generator/i18nfiles.py): the same Files for the same files and settings, in a container
    of the rebuild's own plugin; made afresh, as the plugin makes it, when a file is added."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files
    from mkdocs_static_i18n import reconfigure

    from generator import i18nfiles

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project, site = built
    i18nfiles.install()
    monkeypatch.setattr(i18nfiles, "_remember_lists", True)
    monkeypatch.setattr(i18nfiles, "_lists", {})

    def rebuild(language: str, extra: tuple[str, ...] = (), theirs: bool = False):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))  # as serve does
        plugin = config.plugins["i18n"]
        plugin.current_language = language
        files = get_files(config)
        for name in extra:
            files.append(File(name, config.docs_dir, config.site_dir, True))
        method = reconfigure.ExtendedPlugin.reconfigure_files
        if theirs:
            method = method.made_by_plugin
        return plugin, method(plugin, files, config)

    def state(files) -> list[tuple]:
        return [
            (f.src_uri, f.url, getattr(f, "locale", None), sorted(getattr(f, "alternates", {})))
            for f in files
        ]

    plugin, first = rebuild("ar")
    again_plugin, again = rebuild("ar")
    assert again is not first and again.plugin is again_plugin is not plugin
    assert list(again) == list(first)  # the very Files, remembered
    _, english = rebuild("en")
    assert state(english) == state(rebuild("en", theirs=True)[1])
    _, added = rebuild("ar", ("actors/new-one.md",))
    assert "actors/new-one.md" in [f.src_uri for f in added]
    assert state(added) == state(rebuild("ar", ("actors/new-one.md",), theirs=True)[1])


def test_builds_are_deterministic(built, tmp_path):
    _, first = built
    project = copy_project(tmp_path / "elsewhere")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-4000:]
    second = tmp_path / "site"
    assert_same_site(first, second)


def test_pages_rendered_by_worker_processes_are_the_one_process_build(built, tmp_path):
    """generator/buildpool.py renders the generated pages in worker processes on a large
    story; the seeds' 128 pages are below its threshold (so `built` is one process's work)
    unless EXPLAINER_BUILD_JOBS asks for workers."""
    _, first = built
    project = copy_project(tmp_path / "project")
    second = tmp_path / "site"
    result = mkdocs_build(project, second, "--verbose", EXPLAINER_BUILD_JOBS="2")
    assert result.returncode == 0, result.stderr[-4000:]
    log = result.stdout + result.stderr
    # both editions' generated pages (about.md is the build's own)
    assert log.count("explainer: 64 pages rendered by 2 worker processes") == 2, log[-3000:]
    assert_same_site(first, second)


def test_the_frame_rendered_once_per_folder_is_the_frame_of_every_page(built, tmp_path):
    """generator/themecache.py renders the navigation, the theme's configuration, the
    header (each page's title and language selector put in) and then the whole page frame
    (each page's own parts put in) once per folder (on_env): the same site, byte for byte, as
    a build whose hook leaves the theme alone (the hook file without on_env); and the frames
    were used, and never differed from a whole render where they were checked against one
    (a difference would have been made good by the whole render, unseen in the site).
    (Checked to fail when the title, the selector or a page's own part is put in wrong.)"""
    _, first = built
    verbose = mkdocs_build(copy_project(tmp_path / "verbose"), tmp_path / "verbose-site", "-v")
    assert verbose.returncode == 0, verbose.stderr[-4000:]
    log = verbose.stdout + verbose.stderr
    counts = [
        tuple(map(int, m))
        for m in re.findall(
            r"(\d+) pages put in their folder's frame of the theme, (\d+) of them checked "
            r"against a whole render, (\d+) different",
            log,
        )
    ]
    assert counts, log[-3000:]
    # (of the 128 generated pages, those after the first of each folder, both editions)
    assert sum(framed for framed, _, _ in counts) > 80
    assert sum(checked for _, checked, _ in counts) > 4
    assert all(different == 0 for _, _, different in counts)
    assert_same_site(first, tmp_path / "verbose-site")
    project = copy_project(tmp_path / "project")
    hook = project / "hooks/explainer_hook.py"
    text = hook.read_text(encoding="utf-8")
    assert "on_env = _site.on_env\n" in text
    hook.write_text(text.replace("on_env = _site.on_env\n", ""), encoding="utf-8")
    second = tmp_path / "site"
    result = mkdocs_build(project, second)
    assert result.returncode == 0, result.stderr[-4000:]
    assert_same_site(first, second)


def test_bad_facts_yaml_fails_the_build_with_located_problems(tmp_path):
    project = copy_project(tmp_path / "project")
    data = yaml.safe_load((project / "facts.yaml").read_text(encoding="utf-8"))
    data["facts"][0]["date"] = "2020-13-45"
    data["facts"][0]["bogus"] = 1
    (project / "facts.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"facts\.yaml:\d+:\d+: ", result.stdout + result.stderr)


def test_unknown_ids_and_impossible_dates_fail_a_strict_build_every_time(tmp_path):
    """Schema-valid but wrong: the hook warns, located, and --strict fails, the second build
    too (a build with problems leaves no stamp that would let the next one skip reading)."""
    project = copy_project(tmp_path / "project")
    facts = project / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    first_actors = re.search(r"^    actors: \[(\w[\w-]*)", text, re.M)
    assert first_actors, "the curated facts.yaml lists a fact's actors in flow style"
    line = text.count("\n", 0, first_actors.start()) + 1
    facts.write_text(
        text[: first_actors.start(1)] + "no-such-actor" + text[first_actors.end(1) :],
        encoding="utf-8",
    )
    for _ in range(2):
        result = mkdocs_build(project, tmp_path / "site")
        out = result.stdout + result.stderr
        assert result.returncode != 0, out[-3000:]
        assert re.search(rf"facts\.yaml:{line}:\d+: unknown actor id 'no-such-actor'", out), out[
            -3000:
        ]
    facts.write_text(text, encoding="utf-8")
    assert mkdocs_build(project, tmp_path / "site").returncode == 0


def test_hand_written_page_in_the_way_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "site_src/actors").mkdir()
    (project / "site_src/actors/index.md").write_text("# قائمتي\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "hand-written; rename it or remove it" in result.stdout + result.stderr
    assert (project / "site_src/actors/index.md").read_text(encoding="utf-8") == "# قائمتي\n"


def test_a_hand_written_link_to_a_card_is_checked_like_any_anchor(tmp_path):
    """The hook hands the cards to MkDocs as one placeholder per run, and their ids itself:
    a hand-written link to a fact's card on its date page builds strictly, and a link to a
    card that is not there fails the build as any broken anchor does."""
    from generator.factindex import load_index
    from generator.pages import date_page

    project = copy_project(tmp_path / "project")
    fact = next(
        f for f in load_index(project / "facts.yaml").facts if f.status != "rejected" and f.date
    )
    about = project / "site_src/about.md"
    text = about.read_text(encoding="utf-8")
    link = f"{date_page(fact.date)}#f-{fact.id}"
    about.write_text(text + f"\n[واقعة]({link})\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    about.write_text(text + f"\n[واقعة]({link}-missing)\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site2")
    assert result.returncode != 0
    assert f"f-{fact.id}-missing" in result.stdout + result.stderr


def test_zensical_builds_the_same_project(tmp_path):
    """Zensical builds the same mkdocs.yml; both editions with zensical-i18n.

    Zensical (0.0.x) has no i18n of its own and ignores the `i18n` plugin of mkdocs.yml;
    zensical-i18n, which reads that plugin's settings, builds one Zensical site per language
    (the English one under en/). Without it, Zensical builds the Arabic edition only, and the
    test checks that much.
    """
    zensical = shutil.which("zensical")
    if zensical is None:
        pytest.skip("zensical is not installed")
    i18n = shutil.which("zensical-i18n")
    from generator.factindex import load_index
    from generator.ingest import load_sources
    from generator.pages import generate

    project = copy_project(tmp_path / "project")
    if i18n is None:
        (project / "site_src/about.en.md").unlink()  # a page of the English edition
    # Zensical does not run MkDocs hooks: generate the pages first, as `explainer generate`.
    generate(
        load_index(project / "facts.yaml"),
        load_sources(project / "seeds"),
        project / "site_src",
        english=i18n is not None,
    )
    result = subprocess.run(
        [i18n or zensical, "build", "-f", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = project / "site"
    home = parse(site / "index.html")
    assert home.html_attrs.get("lang") == "ar" and home.body_attrs.get("dir") == "rtl"
    if i18n is not None:
        english = parse(site / "en/index.html")
        assert english.html_attrs.get("lang") == "en" and english.body_attrs.get("dir") == "ltr"
        assert (site / "en/actors/fayez-al-sarraj/index.html").exists()
        sarraj = (site / "en/actors/fayez-al-sarraj/index.html").read_text(encoding="utf-8")
        assert "Fayez al-Sarraj" in sarraj
    check_site(site, check_anchors=False, check_js=False)


_PIECES = [
    " ", "\n", "\t", "\u00a0", "a", "é", "_", "-", '"', "=", ">",
    'data-search-exclude="true"', 'data-search-x="1 2"', "data-search-",
    '<link rel="alternate" href="/en/" hreflang="en">', '<link rel="alternate" href="',
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_cutting_with_the_white_space_before_is_the_regular_expression(text):
    """The hook takes out the search attributes with the white-space character before each,
    and the hreflang links with all the white space before them, without patterns that
    start with white space (see site._cut): what re.sub gives with them."""
    from generator import site

    assert site._cut(text, site._SEARCH_ATTRS, 1) == re.sub(r'\s?data-search-\w+="[^"]+"', "", text)
    # as the search plugin's module calls it (site._SearchModuleRe)
    pattern = site.MATERIAL_SEARCH_ATTRS
    assert site._SearchModuleRe().sub(pattern, "", text) == re.sub(pattern, "", text)
    assert site._cut(text, site._HREFLANG, None) == re.sub(
        r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">', "", text
    )


_BLOCK_PIECES = [
    "\n", "\n\n", "x", " ", "- ", "-", "</div>", "</div>x", "<div>",
    '<div class="ex-fact" id="f-a">', '<div class="ex-cite" data-search-exclude="true">',
    '<div class="ex-fact ex-unreviewed" data-search-exclude="true" id="f-b-1">',
    '<div class="ex-lines" data-search-exclude="true">', "<p>q</p>", "<ul>",
]  # fmt: skip


@given(st.lists(st.sampled_from(_BLOCK_PIECES), max_size=30).map("".join))
@example('<div class="ex-fact" id="f-a">\n</div>\n<div class="ex-cite">\n\n</div>x\n</div>')
@example("x\n- a\n\n- b\n- c\n\n-d\n\n- e")
def test_the_hooks_block_patterns_find_what_the_plain_ones_find(text):
    """The hook finds the cards and the pages' lists with patterns written for speed (a card
    line by line, a list from its "-"): the same matches as the plain patterns they stand for.
    """
    from generator import site

    card = re.compile(
        r'^(?:<div class="(?:ex-fact|ex-fact ex-unreviewed|ex-cite)"'
        r'(?: data-search-exclude="true")?(?: id="(f-[a-z0-9-]+)")?>'
        r'|<div class="ex-lines" data-search-exclude="true">)\n.*?\n</div>(?:\n|\Z)',
        re.S | re.M,
    )
    plain_list = re.compile(r"(?<=\n\n)((?:- [^\n]*(?:\n|\Z))+)(?=\n|\Z)")
    for fast, plain in ((site._CARD, card), (site._LIST, plain_list)):
        assert [(m.span(), m.group(1) if m.re.groups else None) for m in fast.finditer(text)] == [
            (m.span(), m.group(1) if fast.groups else None) for m in plain.finditer(text)
        ]


def test_the_search_plugins_substitution_is_the_one_made_faster():
    """Material's search plugin takes the search attributes out of each page with the pattern
    site._SearchModuleRe makes faster: if a new version writes it otherwise, this says so
    (the plugin then runs its own substitution, slower); and the plugin's module has it."""
    import ast
    import inspect
    import textwrap

    from material.plugins.search import plugin as search

    from generator import site

    source = textwrap.dedent(inspect.getsource(search.SearchPlugin.on_page_context))
    patterns = [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and "data-search" in str(node.value)
    ]
    assert patterns == [site.MATERIAL_SEARCH_ATTRS]
    site._fast_search_parser(search.SearchPlugin())
    assert isinstance(search.re, site._SearchModuleRe)
    assert search.re.compile is re.compile  # anything else is re's own


def test_raw_html_links_are_resolved_where_href_is_an_attribute_of_its_own(tmp_path):
    """The .md links of raw HTML (the figures) are made URLs where "href" is a whole name
    (xlink:href and data-href too, as a word boundary has it), not the end of a longer one."""
    from types import SimpleNamespace

    from mkdocs.structure.files import File, Files

    from generator import site

    def file(name):
        return File(name, str(tmp_path), str(tmp_path / "site"), True)

    files = Files([file("dates/2020.md"), file("actors/gna.md")])
    page = SimpleNamespace(file=file("dates/2020.md"))
    text = (
        '<a href="../actors/gna.md">|<x ahref="../actors/gna.md">|<x data-href="../actors/gna.md">'
        '|<x _href="../actors/gna.md#f-1">|<use xlink:href="../actors/gna.md#f-1">'
        '|<x éhref="../actors/gna.md">|<a href="https://example.org/a.md">'
    )
    assert site._resolve_links(text, page, files).split("|") == [
        '<a href="../../actors/gna/">',
        '<x ahref="../actors/gna.md">',
        '<x data-href="../../actors/gna/">',
        '<x _href="../actors/gna.md#f-1">',
        '<use xlink:href="../../actors/gna/#f-1">',
        '<x éhref="../actors/gna.md">',
        '<a href="https://example.org/a.md">',
    ]


def as_the_hook_gets_them(pages: dict[str, str]):
    """Each page's Markdown as MkDocs reads it, and as mkdocs-static-i18n hands it on to the
    hook: its on_page_markdown (which runs first) joins the lines again, without the last
    newline, so a card, a list or a line list can end the text."""
    for rel, text in pages.items():
        yield rel, "read", text
        yield rel, "joined", "\n".join(text.splitlines())


def test_cards_converted_by_the_hook_are_what_markdown_gives():
    """The hook keeps the cards (written as HTML by the generator) and the figures and JSON-LD
    from Markdown, and converts the pages' lists itself (directhtml.list_html): the same HTML
    as Python-Markdown with the site's extensions, on every generated page of both editions,
    hostile ones too."""
    import markdown
    import pages_fixture as F
    from pymdownx.slugs import slugify

    from generator import site
    from generator.pages import render_pages

    class _Page:
        def __init__(self, uri):
            self.file = type("File", (), {"src_uri": uri})()

    def convert(text):
        return markdown.Markdown(
            extensions=["md_in_html", "attr_list", "admonition", "toc"],
            extension_configs={"toc": {"permalink": True, "slugify": slugify(case="lower")}},
        ).convert(text)

    converted = english = untranslated = lines = lists = json_ld = 0
    # the long index: busy pages list their facts in lines (pages.CARD_LIMIT)
    for index, sources in (
        (F.index(facts=(*F.FACTS, F.ECHO)), F.SOURCES),  # a quote left out of search
        F.hostile_index(),
        (F.long_index(60, days=60), F.SOURCES),
    ):
        pages = render_pages(index, sources, english=True)
        counts: dict[str, int] = {}  # a page's slots, in the first shape seen
        for rel, shape, text in as_the_hook_gets_them(pages):
            site._generated.add(rel)
            try:
                slotted = site.on_page_markdown(text, _Page(rel), None, None)
                slots = site._slots.pop(rel, [])
                figures = site._figures.pop(rel, [])
            finally:
                site._generated.discard(rel)
            # a block at the end of the text is converted all the same
            assert counts.setdefault(rel, len(slots)) == len(slots), (rel, shape)
            assert not site._CARD.search(slotted), rel  # every card taken out
            site._anchors.pop(rel, None)
            html_text = site._put_back(convert(slotted), slots, lambda block: block)
            html_text = site._FIGURE_SLOT.sub(
                lambda m, figures=figures: figures[int(m.group(1))], html_text
            )
            assert html_text == convert(text), rel
            converted += len(slots)
            lines += sum(slot.startswith('<div class="ex-lines"') for slot in slots)
            lists += sum(slot.startswith("<ul>") for slot in slots)
            json_ld += sum(figure.startswith("<script") for figure in figures)
            english += len(slots) if rel.endswith(".en.md") else 0
            untranslated += sum('class="ex-untranslated"' in slot for slot in slots)
    assert converted > 40 and english > 20 and untranslated > 0
    assert lines > 4  # the one-line facts' lists too
    assert lists > 20 and json_ld > 20  # the pages' own lists, and their JSON-LD


def test_pages_made_without_python_markdown_are_what_mkdocs_makes(tmp_path, monkeypatch, request):
    """What is left of a generated page once the hook took its cards out (headings, plain
    paragraphs, placeholders) is made into HTML by generator/directhtml.py: the content, the
    table of contents, the title, the anchors and MkDocs' record of the links to them are
    Page.render's own, on every generated page of both editions, hostile ones too; pages
    with anything else are left to Python-Markdown."""
    import logging

    import pages_fixture as F
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils.meta import get_data

    from generator import directhtml, site
    from generator.pages import render_pages

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    slugify = directhtml.settings_known(config)
    assert slugify is not None  # the site's own Markdown settings are the known ones
    pages_log = logging.getLogger("mkdocs.structure.pages")
    level = pages_log.level
    pages_log.setLevel(logging.ERROR)  # links to nowhere, on purpose
    request.addfinalizer(lambda: pages_log.setLevel(level))
    direct = left = 0
    for index, sources in (
        (F.index(facts=(*F.FACTS, F.ECHO)), F.SOURCES),
        F.hostile_index(),
        (F.long_index(60, days=60), F.SOURCES),
    ):
        pages = render_pages(index, sources, english=True)
        read = {rel: get_data(source)[0] for rel, source in pages.items()}
        taken: dict[str, bool] = {}  # a page left to Python-Markdown, in the first shape seen
        for rel, shape, text in as_the_hook_gets_them(read):
            site._generated.add(rel)
            try:
                slotted = site.on_page_markdown(
                    text, type("P", (), {"file": File(rel, "", "", True)})(), None, None
                )
            finally:
                site._generated.discard(rel)
                for table in (site._slots, site._figures, site._anchors):
                    table.pop(rel, None)
            made = directhtml.page_html(slotted, slugify, lambda target: True)
            # a page ending in a card or a list takes the same way in both shapes
            assert taken.setdefault(rel, made is None) == (made is None), (rel, shape)
            if made is None:
                left += 1
                continue
            direct += 1
            file = File(rel, str(tmp_path), str(tmp_path / "site"), True)
            page = Page(None, file, config)
            page.markdown = slotted
            directhtml.install(False)
            page.render(config, Files([]))  # MkDocs' own: no link resolves, so none is changed
            assert made.content == page.content, rel
            assert made.title == page._title_from_render, rel
            assert set(made.anchors) == page.present_anchor_ids, rel
            ours = Page(None, file, config)
            ours.markdown = slotted
            directhtml.install(True)
            directhtml._made[rel] = made
            ours.render(config, Files([]))
            assert directhtml._made == {}
            assert ours.content == page.content and str(ours.toc) == str(page.toc), rel
            assert [(a.id, a.title, a.level) for a in ours.toc] == [
                (a.id, a.title, a.level) for a in page.toc
            ], rel
            assert ours.links_to_anchors == page.links_to_anchors, rel
            assert ours._title_from_render == page._title_from_render, rel
            assert ours.present_anchor_ids == page.present_anchor_ids, rel
    directhtml.install(True)
    assert direct > 100 and left > 5, (direct, left)


def test_pages_made_without_python_markdown_build_the_same_site(built, tmp_path):
    """The seeds' site built with every generated page through Python-Markdown is the one
    built with generator/directhtml.py, byte for byte."""
    _, first = built
    project = copy_project(tmp_path / "project")
    hook = project / "hooks/explainer_hook.py"
    hook.write_text(
        hook.read_text(encoding="utf-8") + "\n_site.DIRECT_PAGES = False\n", encoding="utf-8"
    )
    second = tmp_path / "site"
    result = mkdocs_build(project, second)
    assert result.returncode == 0, result.stderr[-4000:]
    assert_same_site(first, second)


def test_generated_pages_skip_python_markdown_in_a_real_build(tmp_path):
    """In a build of the seeds' project (both editions, worker processes and all), every
    generated page is made by generator/directhtml.py but the dates' index, whose year and
    month headings carry attr_list ids; Python-Markdown renders the hand-written pages and
    those two. (mkdocs-static-i18n once handed the hook pages without their last newline,
    and every page ending in a list went through Python-Markdown unnoticed: the heaviest
    ones, actors and meetings, a sixth of the build's time at 10,000 articles.)"""
    project = copy_project(tmp_path / "project")
    hand_written = {
        p.relative_to(project / "site_src").as_posix() for p in (project / "site_src").rglob("*.md")
    }
    counting = (
        "import sys\n"
        "import generator.directhtml as d\n"
        "from mkdocs.__main__ import cli\n"
        "render = d._page_render\n"
        "def counted(page, config, files):\n"
        "    print('python-markdown:', page.file.src_uri, file=sys.stderr, flush=True)\n"
        "    return render(page, config, files)\n"
        "d._page_render = counted\n"
        "sys.argv = ['mkdocs', *sys.argv[1:]]\n"
        "cli()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-c", counting, "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    through_markdown = set(re.findall(r"^python-markdown: (\S+)$", result.stderr, re.M))
    assert {"about.md", "about.en.md"} <= hand_written <= through_markdown
    assert through_markdown - hand_written == {"dates/index.md", "dates/index.en.md"}


def test_i18n_markdown_event_is_the_plugins_own_with_or_without_translations(monkeypatch):
    """mkdocs-static-i18n's on_page_markdown is skipped when the language has no admonition
    translations (i18nfiles.plain_admonitions): the Markdown it gives is the plugin's own, line
    endings and all; with translations, the plugin's method runs and translates."""
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    plugin = config.plugins["i18n"]
    handler = config.plugins.events["page_markdown"][0]
    assert handler.__qualname__.startswith("_without_translations")  # the wrapper took its place
    texts = [
        "",
        "\n",
        "# t\n\ntext\n",
        "a\r\nb\rc\n\n\n",
        '!!! note\n    body\n\n!!! warning "kept"\n    x\n',
        "x\u2028y\x85z\x1c\n\u2029",
        "<div>\n\n- a\n- b</div>",
    ]
    for translations in ({}, {"note": "ملاحظة", "WARNING": "تحذير"}):
        monkeypatch.setattr(plugin.current_language_config, "admonition_translations", translations)
        for text in texts:
            ours = handler(text, page=None, config=config, files=None)
            assert ours == plugin.on_page_markdown(text, config=config, page=None, files=None)
            assert ours == "\n".join(text.splitlines()) or translations
    assert '!!! note "ملاحظة"' in handler(texts[4], page=None, config=config, files=None)


def test_the_search_separator_splits_as_in_the_browser():
    """The hook leaves out of an entry's normalised words those the browser's search finds
    in its text as written, split by the search's separator as JavaScript reads it: \\s is
    JavaScript's (U+FEFF splits, U+0085 does not), and a separator whose escapes could mean
    something else to Python is not used at all."""
    from generator.site import _as_browser_splits

    separator = _as_browser_splits(r'[\s\-،؛؟.,:;!?()\[\]{}«»"“”/|]+')
    assert separator is not None
    assert separator.split("السرّاج، في «طرابلس» a-b\x85c\ufeffd") == [
        "السرّاج",
        "في",
        "طرابلس",
        "a",
        "b\x85c",
        "d",
    ]
    assert _as_browser_splits(r"[\s\-]+").split("a b-c\u00a0d") == ["a", "b", "c", "d"]
    for unsure in (r"\s+", r"[\w]+", r"[\S]+", r"[\s\-]+|x", r"[\d]+", ""):
        assert _as_browser_splits(unsure) is None, unsure


_FRONT_PIECES = [
    "a", "ب", " ", "  ", "\t", "\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\x00",
    "\x7f", "\x9f", "\ufffe", '"', "\\", "\\n", "\\u0041", ":", ": ", "#", " #", "'", "-",
    "---", "&#34;", "{", "[", "*", "!", "|", ">", "%", "@", "`", "\U0001f600",
]  # fmt: skip
_FRONT_VALUES = st.lists(st.sampled_from(_FRONT_PIECES), max_size=12).map("".join)


@given(_FRONT_VALUES, _FRONT_VALUES, st.sampled_from(["", "\n", "# T\n", "\n\nText\n"]))
def test_front_matter_read_without_pyyaml_is_what_pyyaml_reads(title, description, body):
    """directhtml.get_data reads the generator's front matter without PyYAML: for any title and
    description between quotes (hostile ones: escapes, line breaks of every kind, characters
    PyYAML refuses), the Markdown and the data MkDocs' own get_data gives."""
    from mkdocs.utils import meta

    from generator import directhtml

    doc = f'---\ntitle: "{title}"\ndescription: "{description}"\n---\n{body}'
    assert directhtml.get_data(doc) == directhtml._get_data(doc)
    assert directhtml._get_data is not directhtml.get_data
    assert meta.get_data in (directhtml.get_data, directhtml._get_data)


def test_every_generated_pages_front_matter_is_read_without_pyyaml():
    """The generator's front matter (pages.yaml_text), hostile values included, is the form
    directhtml.get_data reads itself; so the speed-up is not lost to a change of the
    template, and what it reads is PyYAML's."""
    import pages_fixture as F
    from mkdocs.utils import meta

    from generator import directhtml
    from generator.pages import render_pages

    seen = 0
    for index, sources in ((F.index(facts=(*F.FACTS, F.ECHO)), F.SOURCES), F.hostile_index()):
        for rel, text in render_pages(index, sources, english=True).items():
            found = meta.YAML_RE.match(text)
            assert found and directhtml._FRONT_MATTER.fullmatch(found.group(1)), rel
            assert directhtml.get_data(text) == directhtml._get_data(text), rel
            seen += 1
    assert seen > 50
