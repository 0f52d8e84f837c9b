"""MkDocs' page loop in worker processes (generator/buildpool.py), on a small real MkDocs site.

The explainer's own site is compared with a one-process build in tests/test_site.py; here a
plain MkDocs project (no hook) lets each page be handed to the workers, so that what a worker
must send back is tested where it matters: warnings that make a strict build fail, links to
anchors that MkDocs checks after its loop, the search entries, and a page whose rendering
fails.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import buildpool

PAGES = 60


def make_project(root: Path, *, broken_anchor: bool = False, failing: bool = False) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\n[first](p00.md)\n", encoding="utf-8")
    for i in range(PAGES):
        target = f"p{(i + 1) % PAGES:02d}.md#part-b"
        if broken_anchor and i == 17:
            target = f"p{(i + 1) % PAGES:02d}.md#no-such-part"
        body = f"# Page {i}\n\nText {i} with [next]({target}).\n\n## Part B\n\nMore {i}.\n"
        if broken_anchor and i == 45:
            body += "\nA [missing page](nope.md).\n"  # warned while the worker reads it
        if failing and i == 33:
            body += "\n<div markdown>\n"  # read by the hook below, which refuses it
        (docs / f"p{i:02d}.md").write_text(body, encoding="utf-8")
    hooks = ""
    if failing:
        (root / "refuse.py").write_text(
            "def on_page_markdown(markdown, page, config, files):\n"
            "    if '<div markdown>' in markdown:\n"
            "        raise ValueError('refused: ' + page.file.src_uri)\n"
            "    return markdown\n",
            encoding="utf-8",
        )
        hooks = "hooks:\n  - refuse.py\n"
    (root / "mkdocs.yml").write_text(
        "site_name: Pool\ntheme: material\nnav:\n  - index.md\nplugins:\n  - search\n"
        "validation:\n  anchors: warn\n" + hooks,
        encoding="utf-8",
    )
    return root / "mkdocs.yml"


def run_build(config_file: Path, site: Path, jobs: int) -> None:
    config = load_config(str(config_file), site_dir=str(site), strict=True)
    # every page but the nav's home page goes to the workers, from the first page on
    deferrable = (lambda page: page.file.src_uri != "index.md") if jobs > 1 else None
    buildpool.install(deferrable, [], jobs=jobs, min_pages=1)
    try:
        build(config)
    finally:
        buildpool.install(None, [])


def tree(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


@pytest.fixture
def mkdocs_log(caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    return caplog


def test_workers_build_the_site_a_single_process_builds(tmp_path, mkdocs_log):
    config_file = make_project(tmp_path / "project")
    run_build(config_file, tmp_path / "serial", jobs=1)
    run_build(config_file, tmp_path / "pooled", jobs=2)
    serial, pooled = tree(tmp_path / "serial"), tree(tmp_path / "pooled")
    assert sorted(serial) == sorted(pooled)
    assert [name for name in serial if serial[name] != pooled[name]] == []
    # the search index has every page's entries, in the serial build's order
    assert b'"location":"p59/#part-b"' in pooled["search/search_index.json"]


def test_warnings_of_worker_pages_fail_a_strict_build(tmp_path, mkdocs_log):
    config_file = make_project(tmp_path / "project", broken_anchor=True)
    with pytest.raises(Abort, match="2 warnings"):
        run_build(config_file, tmp_path / "site", jobs=2)
    # a warning of a worker, logged by the build in the page's turn
    assert "Doc file 'p45.md' contains a link 'nope.md'" in mkdocs_log.text
    # MkDocs' own check of links to anchors, after its page loop, with the workers' anchors
    assert "contains a link 'p18.md#no-such-part'" in mkdocs_log.text
    assert "does not contain an anchor '#no-such-part'" in mkdocs_log.text


def test_a_page_that_fails_in_a_worker_fails_the_build_with_mkdocs_message(tmp_path, mkdocs_log):
    config_file = make_project(tmp_path / "project", failing=True)
    with pytest.raises(ValueError, match=r"refused: p33\.md"):
        run_build(config_file, tmp_path / "site", jobs=2)
    assert "Error reading page 'p33.md': refused: p33.md" in mkdocs_log.text
    # the pages before it were written by the workers
    assert (tmp_path / "site" / "p32" / "index.html").exists()


def test_the_number_of_workers_is_read_from_the_environment(monkeypatch, mkdocs_log):
    monkeypatch.setenv(buildpool.JOBS_VARIABLE, "3")
    assert buildpool.jobs_wanted() == (3, 1)
    monkeypatch.setenv(buildpool.JOBS_VARIABLE, "many")
    assert buildpool.jobs_wanted() == (1, 0)
    assert "EXPLAINER_BUILD_JOBS='many': not a number of processes" in mkdocs_log.text
    monkeypatch.delenv(buildpool.JOBS_VARIABLE)
    jobs, minimum = buildpool.jobs_wanted()
    assert jobs >= 1 and minimum == buildpool.MIN_PAGES
