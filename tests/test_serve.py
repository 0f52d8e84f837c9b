"""Live reload: an edit of facts.yaml shows in the reader's open browser tab.

What editors rely on while they correct facts.yaml: with the development server running, they
save the file and the page they are looking at changes by itself (MkDocs' livereload script
reloads it once the rebuild is done). Both servers are tested as people start them, as
subprocesses on a copy of the project: `mkdocs serve` (full rebuilds) and `explainer serve`
(`python -m generator serve`, dirty rebuilds). The page is opened once in headless Chromium
and never reloaded by the test. A facts.yaml that an edit breaks must not stop the server: it
logs the located problem and picks up the editor's fix.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from devserver import KINDS, DevServer, edit_fact, get, write_atomically, write_in_place
from project_files import copy_project
from test_browser import CHROMIUM, browser  # noqa: F401 (its module-wide Chromium fixture)

REPO = Path(__file__).resolve().parents[1]
# A fact shown on a date page and on the pages of its actors (gna, lna)
FACT = "ceasefire-takes-effect"
PAGE = "dates/2020-01-12/"
RELOAD_TIMEOUT = 60_000  # ms: a rebuild on a loaded CI machine, plus the browser's reload

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"
)


@pytest.fixture
def tab(request):
    context = request.getfixturevalue("browser").new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(params=KINDS, ids=[f"{kind} serve" for kind in KINDS])
def server(request, tmp_path: Path, tab) -> DevServer:
    """The server, stopped before the tab is closed: Chromium (156) may not finish closing a
    page while the server holds one of its requests (livereload's long poll, held for up to a
    minute and then sent again by the page)."""
    project = copy_project(tmp_path / "project")
    tmp = tmp_path / "tmp"  # MkDocs' temporary site folder, should it outlive a killed server
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    srv = DevServer(request.param, project, tmp_path / "serve.log", env)
    request.addfinalizer(srv.stop)
    return srv.start()


class OpenPage:
    """The fact's card on its date page, opened once in a tab, and the tab's page loads."""

    def __init__(self, tab, server: DevServer):
        from playwright.sync_api import expect

        self.tab, self.server, self.loads = tab, server, 0
        tab.goto(server.url + PAGE)
        self.card = tab.locator(f"#f-{FACT}")
        expect(self.card).to_contain_text("دخل وقف لإطلاق النار")
        tab.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.tab.main_frame:
            self.loads += 1

    def edit(self, write, text: str) -> int:
        """Save facts.yaml once the server is idle (no rebuild under way or due); the length
        of the server's log at that time."""
        self.server.settle()
        self.loads_before = self.loads
        since = len(self.server.log_text())
        write(self.server.project / "facts.yaml", text)
        return since

    def shows(self, summary: str) -> None:
        """Wait, never touching the tab, until livereload has reloaded it to show `summary`."""
        from playwright.sync_api import expect

        try:
            expect(self.card).to_contain_text(summary, timeout=RELOAD_TIMEOUT)
        except AssertionError as e:
            raise AssertionError(
                f"{e}\n--- server log:\n{self.server.log_text()[-4000:]}"
            ) from None
        assert self.loads > self.loads_before  # reloaded by the page's livereload script
        assert self.tab.url == self.server.url + PAGE
        assert self.server.alive()


def _facts(server: DevServer) -> str:
    return (server.project / "facts.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("write", [write_atomically, write_in_place], ids=["atomic", "in-place"])
@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_an_edit_of_facts_yaml_reloads_the_open_page(server, tab, write):
    page = OpenPage(tab, server)
    for summary in ["ملخص معدل أول للواقعة", "ملخص معدل ثان للواقعة بعد الأول"]:
        since = page.edit(write, edit_fact(_facts(server), FACT, "summary", summary))
        page.shows(summary)
        # the fact's other pages are rebuilt too
        status, actor_page = get(server.url + "actors/gna/", timeout=RELOAD_TIMEOUT / 1000)
        assert status == 200 and summary in actor_page
        if write is write_atomically:
            # one rebuild per save: the pages it writes into site_src/ start no other
            server.settle()
            assert server.log_text()[since:].count("Detected file changes") == 1


# An editor's slips: what the server must report, located, and survive (an unknown id is a
# warning of the hook, factindex.index_problems; the quotes are left to `explainer check`).
BROKEN = [
    pytest.param("kind", "evnt", r"'evnt' is not one of", id="schema"),
    pytest.param("actors", "[gna, lna", r"YAML syntax error", id="syntax"),
    pytest.param("actors", "[gna, no-such-actor]", r"no-such-actor", id="unknown-actor"),
]


@pytest.mark.parametrize(("key", "value", "problem"), BROKEN)
@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_a_broken_facts_yaml_is_reported_and_the_fix_is_picked_up(server, tab, key, value, problem):
    page = OpenPage(tab, server)
    good = _facts(server)
    broken = edit_fact(edit_fact(good, FACT, "summary", "ملخص لم يصحح بعد"), FACT, key, value)
    since = page.edit(write_atomically, broken)
    edited = broken.count("\n", 0, broken.index(f"  {key}: {value}\n")) + 1
    # the rebuild reports the problem first (the hook runs before MkDocs renders anything)
    server.wait_for_log(r"facts\.yaml:\d+:\d+: |Documentation built in", 60, since)
    located = re.search(
        rf"^.*facts\.yaml:(\d+):\d+: .*{problem}.*$", server.log_text()[since:], re.M
    )
    assert located, server.log_text()[since:][-4000:]
    assert abs(int(located.group(1)) - edited) <= 1, (located.group(0), edited)
    assert server.alive()

    page.edit(write_atomically, edit_fact(good, FACT, "summary", "ملخص بعد تصحيح الخطأ"))
    page.shows("ملخص بعد تصحيح الخطأ")


def test_explainer_serve_has_help_and_a_dev_address():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--help"],
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "mkdocs serve" in result.stdout
    assert "--dev-addr" in result.stdout
