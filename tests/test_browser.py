"""The built site in a real browser (Debian's chromium, headless): what a reader gets.

The site is served by http.server on 127.0.0.1; every request the page makes is recorded, so
"no third-party request" is checked on the wire, not only in the HTML. Screenshots of the
home, an actor and a meeting page at desktop and phone widths go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pages_fixture import PAYLOADS, hostile_data
from project_files import copy_project
from test_site import mkdocs_build

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "tests" / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@functools.cache
def _serve(site: Path) -> str:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def _build(tmp: Path, facts: dict | None = None, sources: list | None = None) -> Path:
    project = copy_project(tmp / "project")
    if facts is not None:
        (project / "facts.yaml").write_text(
            yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    if sources is not None:
        (project / "seeds/sources.yaml").write_text(
            yaml.safe_dump(sources, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stderr[-4000:]
    return tmp / "site"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> str:
    return _serve(_build(tmp_path_factory.mktemp("browser-site")))


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> str:
    facts, sources = hostile_data()
    return _serve(_build(tmp_path_factory.mktemp("hostile-site"), facts, sources))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """A browser page with everything it requests, logs as an error, or opens as a dialog."""

    def __init__(self, browser, viewport: str = "desktop"):
        self.context = browser.new_context(viewport=VIEWPORTS[viewport])
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

    def close(self) -> None:
        self.context.close()

    def assert_clean(self) -> None:
        foreign = [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
        ]
        assert not foreign, foreign
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs


@pytest.fixture
def watch(browser) -> Iterator[Watch]:
    w = Watch(browser)
    yield w
    w.close()


def _first_meeting(site_url: str, watch: Watch) -> str:
    """The absolute URL of the first meeting listed on the meetings index."""
    watch.page.goto(site_url + "meetings/")
    return watch.page.eval_on_selector("article ul a", "a => a.href")


def test_home_renders_rtl_with_its_timeline(site_url, watch):
    page = watch.page
    page.goto(site_url)
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    timeline = page.locator("svg.ex-timeline").first
    timeline.wait_for(state="visible")
    box = timeline.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 30
    assert page.locator("svg.ex-timeline a").count() > 3
    # the earliest mark is on the right: the first link in the SVG (sorted by date) is rightmost
    xs = page.eval_on_selector_all(
        "svg.ex-timeline a circle", "cs => cs.map(c => c.getBoundingClientRect().x)"
    )
    assert xs[0] > xs[-1]
    watch.assert_clean()


def test_screenshots(site_url, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in VIEWPORTS:
        w = Watch(browser, viewport)
        try:
            meeting = _first_meeting(site_url, w)
            for name, url in (
                ("home", site_url),
                ("actor", site_url + "actors/fayez-al-sarraj/"),
                ("meeting", meeting),
            ):
                w.page.goto(url)
                w.page.locator("article h1").wait_for()
                path = SHOTS / f"{name}-{viewport}.png"
                w.page.screenshot(path=str(path), full_page=False)
                assert path.stat().st_size > 10_000
                if viewport == "phone":  # nothing wider than the screen but the figures
                    overflow = w.page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 1, (name, overflow)
            w.assert_clean()
        finally:
            w.close()


def _search(page, query: str) -> None:
    """Type a query into Material's search box (in the header on a desktop viewport).

    Playwright types Arabic letters as inserted text, without key events, and Material reads
    the query on keyup: a final End key stands in for the keyup of a real Arabic keyboard.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    box.press("End")


# "سراج" is only in the index's normalised field (no article); "سرّاج" also needs the query
# folded in the browser (explainer-search.js); "السراج", as the pages write it, is only in
# the entries' own text (the hook leaves such words out of the normalised field).
@pytest.mark.parametrize("query", ["السراج", "سراج", "سرّاج", "فايز السراج"])
def test_search_finds_the_actor_page(site_url, watch, query):
    page = watch.page
    page.goto(site_url)
    _search(page, query)
    hit = page.locator(".md-search-result__list a[href*='actors/fayez-al-sarraj/']").first
    hit.wait_for(state="attached", timeout=15_000)
    watch.assert_clean()


def test_search_folds_hamza(site_url, watch):
    page = watch.page
    page.goto(site_url)
    assert page.evaluate("explainerNormalise('إبريل')") == "ابريل"
    _search(page, "إبريل")  # the pages write "أبريل": matched only through both foldings
    page.locator(".md-search-result__list .md-search-result__item").first.wait_for(
        state="attached", timeout=15_000
    )
    watch.assert_clean()


def test_click_path_actor_fact_date_source(site_url, watch):
    page = watch.page
    page.goto(site_url + "actors/")
    page.locator("article a[href*='fayez-al-sarraj']").first.click()
    page.wait_for_url("**/actors/fayez-al-sarraj/")
    fact = page.locator(".ex-fact").first
    fact_id = fact.get_attribute("id")
    fact.locator(".ex-fact-meta a").first.click()
    page.wait_for_url("**/dates/**")
    assert f"#{fact_id}" in page.url
    on_date = page.locator(f"#{fact_id}")
    on_date.wait_for()
    on_date.locator("blockquote a[href*='sources/']").first.click()
    page.wait_for_url("**/sources/**")
    assert page.locator("article h1").is_visible()
    assert page.locator(f"article a[href*='#{fact_id}']").count() >= 1  # and back
    watch.assert_clean()


def test_hostile_facts_show_as_text(hostile_url, browser):
    w = Watch(browser)
    try:
        paths = ("", "actors/evil-actor/", "meetings/evil-meeting/", "dates/2020-02-18/")
        for path in (*paths, "sources/evil-source/", *(f"en/{p}" for p in paths)):
            w.page.goto(hostile_url + path)
            text = w.page.locator("article").inner_text()
            for payload in PAYLOADS:
                assert payload.replace("\u202e", "") in text, (path, payload)
            assert "\u202e" not in w.page.content()
            assert w.page.locator("article img, article script:not([type])").count() == 0
            assert w.page.locator("article a[href^='javascript']").count() == 0
        w.page.goto(hostile_url + "actors/evil-actor/")
        assert "<" in w.page.title()  # the payload is in the <title> as text
        w.assert_clean()
    finally:
        w.close()


def _switch_language(page, lang: str) -> None:
    """Open the language menu in the header (Material shows it on hover) and pick `lang`."""
    page.locator(".md-header__option .md-select").hover()
    link = page.locator(f".md-select__link[hreflang='{lang}']")
    link.wait_for(state="visible")
    link.click()


def test_language_switch_leads_to_the_same_page_in_the_other_edition(site_url, watch):
    page = watch.page
    page.goto(site_url + "actors/fayez-al-sarraj/")
    _switch_language(page, "en")
    page.wait_for_url("**/en/actors/fayez-al-sarraj/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert page.locator("article h1").inner_text().startswith("Fayez al-Sarraj")
    # quotes stay Arabic, right to left, inside the English page
    quote = page.locator(".ex-fact blockquote .ex-ar").first
    assert quote.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # English timeline: the earliest mark is on the left
    xs = page.eval_on_selector_all(
        "svg.ex-timeline a circle", "cs => cs.map(c => c.getBoundingClientRect().x)"
    )
    assert len(xs) > 1 and xs[0] < xs[-1]
    _switch_language(page, "ar")
    page.wait_for_url("**/actors/fayez-al-sarraj/")
    assert "/en/" not in page.url
    assert page.evaluate("document.documentElement.lang") == "ar"
    watch.assert_clean()


def test_search_stays_in_the_edition_of_the_page(site_url, watch):
    """Each edition searches its own pages, from an index of its own: an English reader's
    browser downloads the English entries only, and the results link to English pages."""
    page = watch.page
    page.goto(site_url + "en/")
    _search(page, "Sarraj")
    hit = page.locator(".md-search-result__list a[href*='en/actors/fayez-al-sarraj/']").first
    hit.wait_for(state="attached", timeout=15_000)
    hrefs = page.eval_on_selector_all(".md-search-result__list a", "as => as.map(a => a.href)")
    assert hrefs and all("/en/" in h for h in hrefs), hrefs
    indexes = [u for u in watch.requests if u.endswith("search_index.json")]
    assert indexes and set(indexes) == {site_url + "en/search/search_index.json"}, indexes
    hit.click()
    page.wait_for_url("**/en/actors/fayez-al-sarraj/**")
    assert page.locator("h1").first.inner_text().strip()
    watch.requests.clear()
    page.goto(site_url)
    _search(page, "السراج")
    page.locator(".md-search-result__list a[href*='actors/fayez-al-sarraj/']").first.wait_for(
        state="attached", timeout=15_000
    )
    hrefs = page.eval_on_selector_all(".md-search-result__list a", "as => as.map(a => a.href)")
    assert hrefs and not any("/en/" in h for h in hrefs), hrefs
    indexes = [u for u in watch.requests if u.endswith("search_index.json")]
    assert indexes and set(indexes) == {site_url + "search/search_index.json"}, indexes
    watch.assert_clean()
