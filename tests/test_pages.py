"""generator.pages: the page set, the links between pages, incremental writes, hostile input."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pages_fixture as F
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from project_files import copy_project

import generator.pages as pages_module
from generator.model import FactIndex, FactSource, InputError
from generator.pages import (
    MANIFEST,
    Incremental,
    generate,
    md_text,
    render_pages,
    safe_url,
)

REPO = Path(__file__).resolve().parents[1]
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _generate(tmp_path: Path, index=None, sources=None, english=False):
    site = tmp_path / "site_src"
    site.mkdir(exist_ok=True)
    result = generate(
        index or F.index(), F.SOURCES if sources is None else sources, site, english=english
    )
    return site, result


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.md")}


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.md")}


def _age(site: Path) -> None:
    """Push every mtime into the past, so that a rewrite shows even on coarse clocks."""
    for p in site.rglob("*.md"):
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))


# --------------------------------------------------------------------------------------------
# Page set and content


def test_page_set_follows_the_contract(tmp_path):
    site, result = _generate(tmp_path)
    expected = {
        "index.md",
        "actors/index.md",
        "meetings/index.md",
        "dates/index.md",
        "sources/index.md",
        *(f"actors/{a.id}.md" for a in F.ACTORS),
        *(f"meetings/{m.id}.md" for m in F.MEETINGS),
        *(f"sources/{s.id}.md" for s in F.SOURCES),
        # 2020-02-20 has only a rejected fact: no page
        "dates/2020-02-18.md",
        "dates/2020-02-19.md",
        "dates/2020-02-21.md",
        "dates/2020-02.md",
    }
    assert _files(site) == expected
    assert result.written == len(expected) and result.unchanged == 0 and result.removed == 0
    assert json.loads((site / MANIFEST).read_text()) == sorted(expected)
    for rel in expected:
        text = (site / rel).read_text(encoding="utf-8")
        assert text.startswith("---\ntitle: "), rel
        assert "\ndescription: " in text.split("---")[1], rel
        assert re.search(r"^# \S", text, re.M), rel


@pytest.mark.parametrize("english", [False, True])
def test_every_markdown_link_resolves(tmp_path, english):
    site, _ = _generate(tmp_path, english=english)
    (site / "about.md").write_text("# عن\n", encoding="utf-8")
    pages = _files(site)
    for rel in pages:
        text = (site / rel).read_text(encoding="utf-8")
        hrefs = MD_LINK.findall(text) + re.findall(r'href="([^"]+\.md(?:#[^"]*)?)"', text)
        for href in hrefs:
            target = os.path.normpath(os.path.join(os.path.dirname(rel), href.split("#")[0]))
            assert Path(target).as_posix() in pages, f"{rel}: {href}"
            if rel.endswith(".en.md") and not target.endswith("about.md"):
                # both editions link the same paths, which mkdocs-static-i18n resolves to the
                # page of the language built: every page linked has its English version
                assert f"{Path(target).as_posix()[:-3]}.en.md" in pages, f"{rel}: {href}"


def test_links_both_ways(tmp_path):
    site, _ = _generate(tmp_path)
    day = (site / "dates/2020-02-18.md").read_text(encoding="utf-8")
    # a fact on a date page links to its actor, its meeting and its sources
    assert '<a href="../actors/gna.md">حكومة الوفاق</a>' in day
    assert 'href="../meetings/geneva-jmc-2020-02.md"' in day
    assert 'href="../sources/000-a.md"' in day and 'href="../sources/002-c.md"' in day
    assert 'id="f-gna-withdraws"' in day
    # previous and next dates that have facts
    assert "](2020-02.md)" in day and "](2020-02-19.md)" in day
    # the actor page lists its dated facts in date order, linked to their date pages
    gna = (site / "actors/gna.md").read_text(encoding="utf-8")
    anchors = re.findall(r'href="\.\./dates/([\d-]+)\.md#f-([a-z0-9-]+)"', gna)
    assert [a for _, a in anchors] == ["february-fighting", "gna-withdraws", "sarraj-statement"]
    assert "../meetings/geneva-jmc-2020-02.md" in gna
    assert "[فايز السرّاج](fayez-al-sarraj.md)" in gna or "(fayez-al-sarraj.md)" in gna
    # the source page lists every fact taken from it, with the quote
    src = (site / "sources/001-b.md").read_text(encoding="utf-8")
    assert 'href="../dates/2020-02-19.md#f-sarraj-statement"' in src
    assert "<blockquote>\n<p>وقال السراج إنه لا مفاوضات&#46;</p>" in src
    # the meeting page: participants, day by day, sources
    meeting = (site / "meetings/geneva-jmc-2020-02.md").read_text(encoding="utf-8")
    for actor in ("gna", "lna", "unsmil", "ghassan-salame"):
        assert f"(../actors/{actor}.md)" in meeting
    assert meeting.index("18 فبراير 2020") < meeting.index("### 21 فبراير 2020")
    assert '<svg class="ex-timeline"' in meeting
    home = (site / "index.md").read_text(encoding="utf-8")
    assert '<svg class="ex-timeline"' in home and 'href="dates/2020-02-18.md"' in home


def test_mentions_are_linked_where_the_summary_names_them(tmp_path):
    site, _ = _generate(tmp_path)
    day = (site / "dates/2020-02-19.md").read_text(encoding="utf-8")
    # "السرّاج" (with shadda) in the summary matches the alias "السراج"
    assert '<a href="../actors/fayez-al-sarraj.md">السرّاج</a>' in day
    # gna is listed on the fact but not named in its summary: listed after it
    assert 'الفاعلون:</span> <a href="../actors/gna.md">حكومة الوفاق الوطني</a>' in day


def test_the_longest_name_is_linked_whatever_the_order_of_the_actors(tmp_path):
    """Two actors named by overlapping names in one summary: the full name links its bearer,
    and the one whose only hit is the family name inside it is listed after the summary, in
    the editor's order. (The first actor listed took the family name, and the person the
    summary names in full was listed as not named.)"""
    cousins = (
        dataclasses.replace(
            F.ACTORS[4], id="adel-ghariani", name="عادل الغرياني", aliases=("الغرياني",), role=None
        ),
        dataclasses.replace(
            F.ACTORS[4], id="nouri-ghariani", name="نوري الغرياني", aliases=("الغرياني",), role=None
        ),
    )
    fact = dataclasses.replace(
        F.FACTS[2],
        id="ghariani",
        summary="نوري الغرياني يصل إلى جنيف",
        actors=("adel-ghariani", "gna", "nouri-ghariani"),
        meeting=None,
    )
    site, _ = _generate(tmp_path, F.index(actors=F.ACTORS + cousins, facts=(*F.FACTS, fact)))
    day = (site / "dates/2020-02-21.md").read_text(encoding="utf-8")
    card = day[day.index('id="f-ghariani"') :]
    card = card[: card.index("</div>")]
    assert '<a href="../actors/nouri-ghariani.md">نوري الغرياني</a> يصل' in card
    listed = re.search(r"الفاعلون:</span> (.*?)</p>", card).group(1)
    assert re.findall(r"actors/([a-z-]+)\.md", listed) == ["adel-ghariani", "gna"]


def test_review_status_and_disputes(tmp_path):
    site, _ = _generate(tmp_path)
    everything = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.md"))
    assert "rejected-one" not in everything and "واقعة مرفوضة" not in everything
    assert "dates/2020-02-20" not in everything
    day = (site / "dates/2020-02-21.md").read_text(encoding="utf-8")
    assert "ex-unreviewed" in day and "غير مراجَع" in day
    disputed = (site / "dates/2020-02-18.md").read_text(encoding="utf-8")
    assert "تختلف المصادر" in disputed
    assert "التاريخ بحسب هذا المصدر: 19 فبراير 2020" in disputed
    assert "يقول إن التعليق أُعلن مساء الأربعاء" in disputed


def test_structured_data(tmp_path):
    site, _ = _generate(tmp_path)
    for rel, kind in (
        ("actors/fayez-al-sarraj.md", "Person"),
        ("actors/gna.md", "Organization"),
        ("meetings/geneva-jmc-2020-02.md", "Event"),
    ):
        text = (site / rel).read_text(encoding="utf-8")
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text).group(1)
        data = json.loads(block)
        assert data["@type"] == kind
    event = json.loads(
        re.search(
            r"ld\+json\">(.*?)</script>",
            (site / "meetings/geneva-jmc-2020-02.md").read_text(encoding="utf-8"),
        ).group(1)
    )
    assert event["startDate"] == "2020-02-18" and event["endDate"] == "2020-02-23"
    assert event["location"]["name"] == "جنيف"
    assert {p["name"] for p in event["performer"]} >= {"حكومة الوفاق الوطني"}
    assert event["subjectOf"]


@pytest.mark.parametrize("english", [False, True])
def test_output_is_deterministic(english):
    a = render_pages(F.index(), F.SOURCES, english=english)
    shuffled = F.index(actors=tuple(reversed(F.ACTORS)), facts=tuple(reversed(F.FACTS)))
    b = render_pages(shuffled, list(reversed(F.SOURCES)), english=english)
    assert a == b


# --------------------------------------------------------------------------------------------
# Writing: manifest, incremental, hand-written pages


def test_second_generate_rewrites_nothing(tmp_path):
    site, _ = _generate(tmp_path)
    _age(site)
    before = _mtimes(site)
    _, result = _generate(tmp_path)
    assert result.written == 0 and result.removed == 0 and result.unchanged == len(before)
    assert _mtimes(site) == before


@pytest.mark.parametrize("english", [False, True])
def test_pages_written_by_several_processes_are_the_same(tmp_path, monkeypatch, english):
    """A large story's pages are rendered and written by forked processes (_write_pages):
    the same files, byte for byte, as one process writes, and the same counts."""
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    index = F.long_index(300, days=200)
    for name in ("one", "many"):
        (tmp_path / name).mkdir()
    one, result_one = _generate(tmp_path / "one", index, english=english)
    monkeypatch.setattr(pages_module, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(pages_module, "cores", lambda: 3)
    many, result_many = _generate(tmp_path / "many", index, english=english)
    assert _files(many) == _files(one) and len(_files(one)) > 200
    for rel in _files(one):
        assert (many / rel).read_bytes() == (one / rel).read_bytes(), rel
    assert result_many == result_one
    _age(many)
    before = _mtimes(many)
    _, again = _generate(tmp_path / "many", index, english=english)
    assert again.written == 0 and again.unchanged == len(before) and _mtimes(many) == before


def test_a_page_failing_in_a_forked_process_fails_the_generation(tmp_path, monkeypatch):
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    monkeypatch.setattr(pages_module, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(pages_module, "cores", lambda: 2)
    site = tmp_path / "site_src"
    site.mkdir()
    pages = {f"dates/2020-01-{d:02d}.md": (lambda d=d: f"# {d}\n") for d in range(1, 29)}
    doomed = pages_module._shares(sorted(pages), 2)[1][-1]  # the forked process's last page
    pages[doomed] = lambda: 1 / 0
    with pytest.raises(ZeroDivisionError):
        pages_module._write_pages(site, pages)
    written = {f"dates/{p.name}" for p in (site / "dates").iterdir()}
    assert written == set(pages) - {doomed}  # the other pages were written all the same


def test_one_changed_fact_rewrites_only_its_pages(tmp_path):
    site, _ = _generate(tmp_path)
    _age(site)
    before = _mtimes(site)
    facts = tuple(
        dataclasses.replace(f, summary="السراج يرفض المفاوضات قبل انسحاب القوات")
        if f.id == "sarraj-statement"
        else f
        for f in F.FACTS
    )
    _, result = _generate(tmp_path, F.index(facts=facts))
    changed = {rel for rel, t in _mtimes(site).items() if t != before[rel]}
    assert changed == {
        "index.md",  # latest facts
        "dates/index.md",  # timeline tooltip
        "dates/2020-02-19.md",
        "actors/fayez-al-sarraj.md",
        "actors/gna.md",
        "sources/001-b.md",
    }
    assert result.written == len(changed)
    assert "meetings/geneva-jmc-2020-02.md" not in changed


def test_pages_no_longer_produced_are_removed(tmp_path):
    site, _ = _generate(tmp_path)
    (site / "about.md").write_text("# عن\n", encoding="utf-8")
    facts = tuple(f for f in F.FACTS if f.id != "salame-briefing")
    _, result = _generate(tmp_path, F.index(facts=facts))
    assert result.removed == 1
    assert not (site / "dates/2020-02-21.md").exists()
    assert (site / "about.md").read_text(encoding="utf-8") == "# عن\n"
    assert "dates/2020-02-21.md" not in json.loads((site / MANIFEST).read_text())


def test_hand_written_page_is_never_overwritten(tmp_path):
    site = tmp_path / "site_src"
    (site / "actors").mkdir(parents=True)
    mine = site / "actors" / "index.md"
    mine.write_text("# قائمتي\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        generate(F.index(), F.SOURCES, site)
    [problem] = err.value.problems
    assert problem.path == "site_src/actors/index.md"
    assert "hand-written; rename it or remove it" in problem.message
    assert mine.read_text(encoding="utf-8") == "# قائمتي\n"
    assert _files(site) == {"actors/index.md"}  # nothing else written either


def test_a_file_where_a_folder_of_pages_goes_is_reported_not_a_traceback(tmp_path, monkeypatch):
    """A file named like a folder of generated pages (site_src/dates): a located problem and
    nothing written, from the library and from the command line (exit 1, no traceback)."""
    site = tmp_path / "site_src"
    site.mkdir()
    (site / "dates").write_text("mine\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        generate(F.index(), F.SOURCES, site)
    [problem] = err.value.problems
    assert problem.path == "site_src/dates"
    assert "is a file where the generator writes the folder" in problem.message
    assert (site / "dates").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in site.iterdir()) == ["dates"]  # nothing else written

    project = copy_project(tmp_path / "project")
    (project / "site_src/dates").write_text("mine\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert run.returncode == 1, run.stderr
    assert "site_src/dates" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr + run.stdout


def test_tampered_manifest_cannot_delete_other_files(tmp_path):
    site, _ = _generate(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text("x", encoding="utf-8")
    (site / "about.md").write_text("# عن\n", encoding="utf-8")
    (site / MANIFEST).write_text(json.dumps(["../outside.md", "about.md", "index.md"]))
    generate(F.index(), F.SOURCES, site)
    assert outside.exists() and (site / "about.md").exists()


def test_lost_manifest_adopts_identical_pages(tmp_path):
    site, _ = _generate(tmp_path)
    (site / MANIFEST).unlink()
    _, result = _generate(tmp_path)
    assert result.written == 0


# --------------------------------------------------------------------------------------------
# Hostile input


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _to_html(md_text_: str) -> str:
    body = md_text_.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["md_in_html", "attr_list", "admonition", "toc"])


def test_md_text_escapes_markdown_and_html():
    for payload in F.PAYLOADS:
        out = str(md_text(payload))
        assert not set(out) & set("<>[]()!{}`*_|\\\u202e"), out
        assert html.unescape(out) == payload.replace("\u202e", "")
    assert str(md_text("1. بند\n- بند\n# عنوان")) == "1&#46; بند &#45; بند &#35; عنوان"


@settings(max_examples=3000, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "سلام عليكم ab &#<>\"'\\`*_{}[]()+-.!|~;\x00\x01\t\n\r\x85\xa0\u2009\u3000"
            "\u200b\u200c\u200f\u202e\u2066\ufeff\x7f\x9f"
        ),
        max_size=40,
    )
)
def test_md_texts_fast_escaping_is_the_general_one(text):
    """_md_escape takes a faster path for text with single spaces and nothing to drop; on any
    text it gives what the general escaping gives (references made of "&" and "#" included)."""
    assert pages_module._md_escape(text) == pages_module._md_escape_any(text)


def test_safe_url():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil", "http://", "https://a b"):
        assert safe_url(bad) is None


@pytest.mark.parametrize("english", [False, True])
def test_hostile_payloads_render_as_text(tmp_path, english):
    index, sources = F.hostile_index()
    pages = render_pages(index, sources, english=english)
    assert ("dates/2020-02-18.en.md" in pages) == english
    assert "\u202e" not in "".join(pages.values())
    for rel, text in pages.items():
        assert "{{" not in text and "{%" not in text, rel
        parser = _Collect()
        parser.feed(_to_html(text))
        for tag, attrs in parser.tags:
            assert tag not in ("img", "iframe", "object", "embed"), (rel, tag)
            if tag == "script":
                assert attrs.get("type") == "application/ld+json", rel
            for name, value in attrs.items():
                assert not name.startswith("on"), (rel, name)
                if name in ("href", "src"):
                    assert not (value or "").lower().startswith(("javascript", "http")), (
                        rel,
                        value,
                    )
        for block in parser.scripts:  # JSON-LD: parses, and nothing closes the script early
            assert "<" not in block
            json.loads(block)
    for rel in [p for p in pages if p.startswith(("dates/2020-02-18.", "sources/evil-source."))]:
        visible = " ".join(_Collect_text(pages[rel]).split())
        for payload in F.PAYLOADS:
            assert payload.replace("\u202e", "") in visible, (rel, payload)
    for rel in [p for p in pages if p.startswith("sources/evil-source.")]:
        # the javascript: URL of the source is not emitted at all
        assert "javascript:alert(1)</a>" not in pages[rel]
        assert 'class="ex-external"' not in pages[rel]


def _Collect_text(md: str) -> str:
    parser = _Collect()
    parser.feed(_to_html(md))
    return " ".join(parser.text)


# --------------------------------------------------------------------------------------------
# The real facts.yaml


@pytest.fixture(scope="module")
def real_index():
    from generator.factindex import check_project, load_index
    from generator.ingest import load_sources
    from generator.project import Project

    if not (REPO / "facts.yaml").exists():
        pytest.skip("facts.yaml is not there yet")
    project = Project(REPO)
    if [p for p in check_project(project) if p.severity == "error"]:
        pytest.skip("facts.yaml does not pass `explainer check` yet")
    return load_index(project.facts), load_sources(project.seeds)


def test_real_facts_generate(tmp_path, real_index):
    index, sources = real_index
    site, result = _generate(tmp_path, index, sources)
    pages = _files(site)
    visible = [f for f in index.facts if f.status != "rejected"]
    for actor in index.actors:
        assert (f"actors/{actor.id}.md" in pages) == (actor.status != "rejected")
    for meeting in index.meetings:
        assert f"meetings/{meeting.id}.md" in pages
    for src in sources:
        assert f"sources/{src.id}.md" in pages
    for fact in visible:
        if fact.date:
            text = (site / f"dates/{fact.date}.md").read_text(encoding="utf-8")
            assert f'id="f-{fact.id}"' in text
            for actor in fact.actors:
                assert f"../actors/{actor}.md" in text
    sarraj = (site / "actors/fayez-al-sarraj.md").read_text(encoding="utf-8")
    assert sarraj.count('class="ex-fact') >= 1
    _, again = _generate(tmp_path, index, sources)
    assert again.written == 0 and again.unchanged == result.written


# --------------------------------------------------------------------------------------------
# Figures


def test_timeline_runs_right_to_left_and_escapes():
    from generator.figures import TimelineMark, timeline_svg

    svg = timeline_svg(
        [
            TimelineMark("2020-06-02", "dates/2020-06-02.md", "لاحق"),
            TimelineMark("2020-01-13", "dates/2020-01-13.md", F.HOSTILE),
            TimelineMark("2020-02", "dates/2020-02.md", "شهر"),
        ],
        title="خط <زمني>",
        desc="وصف",
    )
    assert svg.startswith("<svg ") and 'viewBox="0 0 1000 ' in svg and 'width="100%"' in svg
    assert 'role="img"' in svg and 'aria-label="خط &#60;زمني&#62;"' in svg
    assert "<title " in svg and "<desc " in svg and "var(--md-accent-fg-color" in svg
    assert "<script" not in svg and "{{" not in svg and "\u202e" not in svg
    xs = {href: float(x) for href, x in re.findall(r'<a href="([^"]+)".*?cx="([\d.]+)"', svg)}
    assert xs["dates/2020-01-13.md"] > xs["dates/2020-02.md"] > xs["dates/2020-06-02.md"]
    for month in ("يناير 2020", "فبراير", "مارس", "يونيو"):
        assert month in svg


def test_graph_links_meetings_and_actors():
    from generator.figures import GraphNode, graph_svg

    svg = graph_svg(
        [GraphNode("m", "اجتماع", "../meetings/m.md")],
        [GraphNode("a", "<b>فاعل</b>", "../actors/a.md"), GraphNode("b", "ب", "../actors/b.md")],
        [("m", "a", 3), ("m", "b", 1), ("m", "unknown", 1)],
        title="شبكة",
        desc="وصف",
    )
    assert svg.count("<line ") == 2
    assert 'href="../meetings/m.md"' in svg and 'href="../actors/a.md"' in svg
    assert "<b>" not in svg and "&#60;b&#62;فاعل" in svg
    # the lines take their colour from their group (Material's variable, with a fallback)
    group = re.search(
        r'<g style="stroke: var\(--md-default-fg-color--lightest, currentColor\)">'
        r"(.*?)</g>",
        svg,
    )
    assert group and group.group(1).count("<line ") == 2
    assert not re.search(r"<line [^>]*style=", svg)


def test_a_busy_graph_keeps_each_meetings_most_named_actors():
    """Past its budget of lines the graph draws, for each meeting, the actors its facts name
    most (as many as the budget allows each meeting, at least three) and says so; under it,
    every line, a listed participant's too."""
    from generator.editions import ARABIC, ENGLISH
    from generator.pages import graph_edges

    small = {"m1": {"a": 2, "b": 0}, "m2": {"c": 1}}
    assert graph_edges(small, ["m1", "m2"], budget=3) == (
        [("m1", "a", 2), ("m1", "b", 1), ("m2", "c", 1)],
        None,
    )
    busy = {
        "m1": {"a": 1, "b": 9, "c": 4, "d": 4, "e": 0, "f": 7},
        "m2": {"a": 5, "g": 2},
        "m3": {"h": 1, "i": 1, "j": 1, "k": 1},
    }
    edges, per = graph_edges(busy, ["m1", "m2", "m3"], budget=9)
    assert per == 3
    assert edges == [
        ("m1", "b", 9),
        ("m1", "c", 4),
        ("m1", "f", 7),  # d (4, like c) comes after c by id
        ("m2", "a", 5),
        ("m2", "g", 2),
        ("m3", "h", 1),
        ("m3", "i", 1),
        ("m3", "j", 1),
    ]
    every = graph_edges(busy, ["m1", "m2", "m3"], budget=12)  # all 12 lines fit
    assert every[1] is None and len(every[0]) == 12 and ("m1", "e", 1) in every[0]
    assert "أكثر 3 فاعلين ذكرًا" in ARABIC.text("graph_desc", 3, 9, 3)
    assert "أكثر 12 فاعلًا ذكرًا" in ARABIC.text("graph_desc", 30, 90, 12)
    assert "the 3 its facts name most" in ENGLISH.text("graph_desc", 3, 9, 3)
    assert (
        "most" not in ENGLISH.text("graph_desc", 3, 9)
        and ARABIC.text("graph_desc", 3, 9)[-1] == "."
    )


# --------------------------------------------------------------------------------------------
# Speed paths: they must give exactly what the plain paths give


def test_card_code_matches_its_template():
    """pages.card_html is _fact.html.j2 written in Python: the same bytes, hostile input too,
    in both editions (English summaries and untranslated ones)."""
    from generator.editions import ARABIC, ENGLISH
    from generator.pages import PageContext, _build, _Renderer, card_html

    compared = {"ar": 0, "en": 0, "untranslated": 0}
    for index, sources in ((F.index(), F.SOURCES), F.hostile_index()):
        story = _build(index, sources, (ARABIC, ENGLISH))
        for edition in (ARABIC, ENGLISH):
            renderer = _Renderer(story, edition)
            for fact in story.facts:
                fact_id, view = fact.id, story.views[edition.lang][fact.id]
                for path in ("index.md", "actors/a.md", "meetings/m.md", "dates/d.md"):
                    ctx = PageContext(edition.page(path))
                    card = card_html(view, ctx, edition)
                    assert card == renderer.template_card(fact_id, ctx)
                    compared[edition.lang] += 1
                    compared["untranslated"] += 'class="ex-untranslated"' in card
    assert compared["ar"] == compared["en"] > 0 and compared["untranslated"] > 0


def _write_inputs(tmp_path: Path, facts_text: str) -> tuple[Path, Path]:
    facts = tmp_path / "facts.yaml"
    facts.write_text(facts_text, encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text("[]\n", encoding="utf-8")
    return facts, sources


def test_unchanged_inputs_are_not_even_read(tmp_path):
    from generator.pages import generate_if_changed

    facts, sources = _write_inputs(tmp_path, "facts: []\n")
    site = tmp_path / "site_src"
    site.mkdir()
    calls = []

    def load(index=None):
        calls.append(1)
        return index or F.index(), F.SOURCES

    stamp = tmp_path / "cache" / "stamp.json"
    first = generate_if_changed([facts, sources], site, load, stamp)
    assert first.written > 0 and len(calls) == 1 and stamp.exists()
    assert not (site / stamp.name).exists()
    before = _mtimes(site)
    again = generate_if_changed([facts, sources], site, load, stamp)
    assert len(calls) == 1  # nothing read, nothing rendered
    assert again.written == 0 and again.unchanged == first.written
    assert _mtimes(site) == before
    _age(site)  # (which a later run sees as pages touched by hand: it regenerates)
    before = _mtimes(site)
    # an input edited: a full generate, which rewrites only the pages that changed
    facts.write_text("facts: []  # edited\n", encoding="utf-8")
    changed_facts = tuple(
        dataclasses.replace(f, summary="السراج يرفض المفاوضات قبل انسحاب القوات")
        if f.id == "sarraj-statement"
        else f
        for f in F.FACTS
    )
    edited = generate_if_changed(
        [facts, sources], site, lambda: load(F.index(facts=changed_facts)), stamp
    )
    assert len(calls) == 2
    changed = {rel for rel, t in _mtimes(site).items() if t != before[rel]}
    assert changed == {
        "index.md",
        "dates/index.md",
        "dates/2020-02-19.md",
        "actors/fayez-al-sarraj.md",
        "actors/gna.md",
        "sources/001-b.md",
    }
    assert edited.written == len(changed)
    # a generated page touched, edited or deleted by hand: generated again
    for damage in (
        lambda p: os.utime(p, ns=(5_000_000_000, 5_000_000_000)),
        lambda p: p.write_text("x", encoding="utf-8"),
        lambda p: p.unlink(),
    ):
        damage(site / "actors/gna.md")
        n = len(calls)
        generate_if_changed(
            [facts, sources], site, lambda: load(F.index(facts=changed_facts)), stamp
        )
        assert len(calls) == n + 1
        assert "حكومة الوفاق" in (site / "actors/gna.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# A long story: pages and figures stay readable


def _marks(page: str) -> list[str]:
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"', svg)


def test_timeline_marks_dates_then_months_then_years():
    few = render_pages(F.long_index(100, days=100), F.SOURCES)
    assert all("dates/" in href and "#" not in href for href in _marks(few["index.md"]))
    # 200 dates: a mark per month, linking to the month in the index of dates
    many = render_pages(F.long_index(200, days=200), F.SOURCES)
    home = _marks(many["index.md"])
    assert "dates/index.md#m-2019-01" in home and len(home) == len(set(home)) <= 12
    dates_index = many["dates/index.md"]
    assert "### يناير 2019 {: #m-2019-01 }" in dates_index
    assert "## 2019 {: #y-2019 }" in dates_index
    assert "شهرًا" in many["index.md"]  # the text alternative says what a mark stands for
    # 20 years of dates: a mark per year
    years = render_pages(F.long_index(400, days=7300), F.SOURCES)
    marks = _marks(years["index.md"])
    assert "dates/index.md#y-2019" in marks and len(marks) <= 21


def test_busy_actor_page_lists_facts_in_lines_linking_to_the_full_cards():
    pages = render_pages(F.long_index(60, days=60), F.SOURCES)
    gna = pages["actors/gna.md"]
    assert 'class="ex-fact' not in gna  # no card, no quote
    assert "وانسحبت حكومة الوفاق" not in gna
    line = re.search(r'^<li><a href="(.*?)">(.*?)</a> · (.*?): (.*)</li>$', gna, re.M)
    assert line and line.group(1).startswith("../dates/") and "#f-" in line.group(1)
    # every line's target holds that fact's full card
    for target in re.findall(r'^<li><a href="\.\./(dates/[^"#]+)#(f-[a-z0-9-]+)"', gna, re.M):
        assert f'id="{target[1]}"' in pages[target[0]]
    assert len(re.findall(r"^<li><a ", gna, re.M)) >= 60
    assert "### 2019" in gna and "### 2020" in gna  # grouped by year
    # the meeting page too; a quiet actor keeps its cards
    meeting = pages["meetings/geneva-jmc-2020-02.md"]
    assert 'class="ex-fact' not in meeting
    assert 'class="ex-fact' in pages["actors/ghassan-salame.md"]
    # the lines are left out of the search index, as the cards are: a fact is found once,
    # on its date page (they are inside a <div data-search-exclude> block)
    for page in (gna, meeting):
        blocks = re.findall(
            r'^<div class="ex-lines" data-search-exclude="true">\n<ul>\n(.*?)^</ul>\n</div>$',
            page,
            re.S | re.M,
        )
        assert sum(len(re.findall(r"^<li>", b, re.M)) for b in blocks) == len(
            re.findall(r'^<li><a href="\.\./dates/', page, re.M)
        )
        assert blocks


def test_a_fact_is_searchable_on_its_date_page_only():
    """The search index holds each fact once (its date page), not once per page showing it."""
    pages = render_pages(F.index(), F.SOURCES)
    for rel, text in pages.items():
        for card in re.findall(r'<div class="ex-fact[^"]*" id="f-[^"]+"[^>]*>', text):
            assert ("data-search-exclude" in card) == (not rel.startswith("dates/")), rel


def test_a_quote_that_repeats_its_summary_is_left_out_of_search():
    """A candidate's summary is its quote until an editor rewrites it: on the date page, the
    quote's paragraph is excluded from search (the summary has the same words), so the index
    a phone downloads holds those words once; a quote that says more stays searchable. The
    citation under a quote is excluded from search on every card."""
    for english in (False, True):
        pages = render_pages(F.index(facts=(*F.FACTS, F.ECHO)), F.SOURCES, english=english)
        for rel in ("dates/2020-02-21.md", "dates/2020-02-21.en.md")[: 1 + english]:
            cards = re.findall(
                r'<div class="ex-fact[^"]*" id="f-([a-z0-9-]+)".*?\n</div>\n', pages[rel], re.S
            )
            assert set(cards) == {"echo", "salame-briefing"}, rel
            text = pages[rel]
            echo_card = text[text.index('id="f-echo"') :]
            echo_card = echo_card[: echo_card.index("</div>")]
            other = text[text.index('id="f-salame-briefing"') :]
            other = other[: other.index("</div>")]
            excluded = '<p data-search-exclude="true">'
            for card, quote_excluded in ((echo_card, True), (other, False)):
                lines = card.split("\n")
                quoted = lines[lines.index("<blockquote>") + 1 : lines.index("</blockquote>")]
                quotes, cites = quoted[0::2], quoted[1::2]  # each quote, then who cites it
                assert quotes and len(cites) == len(quotes), rel
                assert all(c[c.index(">") + 1 :].startswith("— ") for c in cites), rel
                assert all(q.startswith(excluded) == quote_excluded for q in quotes), rel
                # who cites the fact is left out too: the source's own page is its answer
                assert all(c.startswith(excluded) for c in cites), rel
                # every card's first line (its date, kind, review status) is left out here
                assert lines[1].startswith(excluded + '<span class="ex-fact-meta">'), rel
        # elsewhere the whole card is excluded already
        assert excluded not in pages["sources/001-b.md"]


def test_a_rejected_actor_gets_no_page_and_no_link():
    """Rejected actor candidates stay in facts.yaml (so that extract does not propose them
    again); readers must not meet them."""
    junk = dataclasses.replace(F.ACTORS[0], id="junk-actor", name="فاعل مرفوض", status="rejected")
    pages = render_pages(F.index(actors=(*F.ACTORS, junk)), F.SOURCES)
    assert "actors/junk-actor.md" not in pages
    assert not any("junk-actor" in text or "فاعل مرفوض" in text for text in pages.values())
    assert "actors/gna.md" in pages


# --------------------------------------------------------------------------------------------
# Incremental rendering (mkdocs serve): the same pages as a full render, whatever the edit

# existing days, new days inside months that have a page, months, a new year, no date
_EDIT_DATES = [
    "2020-02-18",
    "2020-02-27",
    "2020-01-20",
    "2019-04-04",
    "2020-02",
    "2020",
    "2021-07-01",
    None,
]


@st.composite
def _fact_edits(draw, index: FactIndex, sources) -> list[FactIndex]:
    """One to three successive edits of facts, as an editor makes them in facts.yaml."""
    actor_ids = [a.id for a in index.actors]
    meeting_ids = [m.id for m in index.meetings]
    files = [s.file for s in sources]
    out = []
    for _ in range(draw(st.integers(1, 3))):
        facts = list(index.facts)
        i = draw(st.integers(0, len(facts) - 1))
        fact = facts[i]
        what = draw(
            st.sampled_from(
                [
                    "date",
                    "date",
                    "summary",
                    "actors",
                    "meeting",
                    "source",
                    "status",
                    "delete",
                    "add",
                ]
            )
        )
        if what == "date":
            facts[i] = dataclasses.replace(fact, date=draw(st.sampled_from(_EDIT_DATES)))
        elif what == "summary":
            facts[i] = dataclasses.replace(fact, summary=fact.summary + " (مصحح)")
        elif what == "actors":
            chosen = draw(st.lists(st.sampled_from(actor_ids), max_size=3, unique=True))
            facts[i] = dataclasses.replace(fact, actors=tuple(chosen))
        elif what == "meeting":
            facts[i] = dataclasses.replace(
                fact, meeting=draw(st.sampled_from([None, *meeting_ids]))
            )
        elif what == "source":
            file = draw(st.sampled_from(files))
            facts[i] = dataclasses.replace(
                fact, sources=(FactSource(file, fact.sources[0].quote), *fact.sources[1:])
            )
        elif what == "status":
            status = draw(st.sampled_from(["candidate", "reviewed", "rejected"]))
            facts[i] = dataclasses.replace(fact, status=status)
        elif what == "delete" and len(facts) > 1:
            del facts[i]
        else:
            new_id = f"{fact.id}-copy-{len(facts)}"
            facts.append(
                dataclasses.replace(fact, id=new_id, date=draw(st.sampled_from(_EDIT_DATES)))
            )
        index = dataclasses.replace(index, facts=tuple(facts))
        out.append(index)
    return out


def test_incremental_render_equals_a_full_render(real_index):
    """Whatever facts an editor changes, mkdocs serve's incremental pages are a full render's
    (both editions: which pages an edit touches does not depend on the edition)."""
    index, sources = real_index
    english = True

    @settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
    @given(_fact_edits(index, sources))
    def check(edits):
        incremental = Incremental()
        assert incremental.render(index, sources, english) == render_pages(index, sources, english)
        for edited in edits:
            pages = incremental.render(edited, sources, english)
            assert pages == render_pages(edited, sources, english)

    check()


def test_incremental_render_renders_only_the_touched_pages(real_index):
    index, sources = real_index
    incremental = Incremental()
    everything = incremental.render(index, sources)
    assert incremental.rendered == len(everything)
    fact = index.facts[0]
    edited = dataclasses.replace(
        index, facts=(dataclasses.replace(fact, summary=fact.summary + "!"), *index.facts[1:])
    )
    incremental.render(edited, sources)
    # its date (and month and year) pages, its actors', meeting's and sources', the indexes
    assert incremental.rendered <= 5 + 3 + len(fact.actors) + 1 + len(fact.sources)
    # an edit of an actor renders everything again
    actor = index.actors[0]
    renamed = dataclasses.replace(
        edited, actors=(dataclasses.replace(actor, name=actor.name + "ـ"), *edited.actors[1:])
    )
    assert incremental.render(renamed, sources) == render_pages(renamed, sources)
    assert incremental.rendered == len(everything)


def test_an_edit_that_moves_no_fact_leaves_the_counting_indexes_alone(real_index):
    """A summary reworded (the usual edit) changes no count: the indexes of actors, meetings
    and sources are not rendered again, but the home page (its latest facts) and the dates'
    index (a timeline mark may name a fact) are; the pages are still a full render's. A fact
    rejected, moved to another source, or its actors changed, renders them again."""
    from generator.pages import _COUNTING_PAGES, _build, _touched

    index, sources = real_index
    st = _build(index, sources)
    latest = [f for f in st.facts if pages_module._valid_date(f.date)][-1]  # first on home
    first_of_day = st.by_date[st.dates[0]][0]
    counting = set(_COUNTING_PAGES)
    for fact in (latest, first_of_day):
        i = index.facts.index(fact)

        def edited(i=i, fact=fact, **changes):
            facts = list(index.facts)
            facts[i] = dataclasses.replace(fact, **changes)
            return dataclasses.replace(index, facts=tuple(facts))

        reworded = edited(summary=fact.summary + " (مصحح)")
        touched = _touched(st, _build(reworded, sources))
        assert not touched & counting and {"index.md", "dates/index.md"} <= touched
        incremental = Incremental()
        incremental.render(index, sources, True)
        assert incremental.render(reworded, sources, True) == render_pages(reworded, sources, True)
        other = next(s.file for s in sources if s.file != fact.sources[0].file)
        moved = [
            edited(status="rejected"),
            edited(sources=(FactSource(other, fact.sources[0].quote),)),
            edited(actors=fact.actors[1:] or (index.actors[0].id,)),
        ]
        for change in moved:
            assert _touched(st, _build(change, sources)) & counting


# --------------------------------------------------------------------------------------------
# From one `explainer generate` to the next: only what an edit touched is rendered


def _site_pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.md")
    }


def _run(tmp: Path, n: int, index: FactIndex, sources, english: bool = True):
    """A run of generate_if_changed as `explainer generate` makes it, on inputs whose bytes
    differ from the last run's (n), the pages from (index, sources)."""
    from generator.pages import generate_if_changed

    facts, sources_yaml = _write_inputs(tmp, f"# edit {n}\n")
    return generate_if_changed(
        [facts, sources_yaml],
        tmp / "site_src",
        lambda: (index, sources),
        tmp / "cache" / "stamp.json",
        english=english,
    )


def test_generate_after_an_edit_renders_only_the_touched_pages_and_writes_a_full_render(
    tmp_path_factory, real_index
):
    """Whatever facts an editor changes, the pages on disk after each run are those of a full
    render of the edited index, though only the pages the edit touched were rendered."""
    index, sources = real_index

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(_fact_edits(index, sources))
    def check(edits):
        tmp = tmp_path_factory.mktemp("edits")
        (tmp / "site_src").mkdir()
        first = _run(tmp, 0, index, sources)
        assert first.rendered == first.written == len(_site_pages(tmp / "site_src"))
        for n, edited in enumerate(edits, 1):
            result = _run(tmp, n, edited, sources)
            expected = render_pages(edited, sources, english=True)
            assert _site_pages(tmp / "site_src") == expected
            # what was rendered for nothing (the same bytes as before) is a small part of the
            # site; an edit may really change half of a five-article site (a fact on a new
            # day: the day, its month and year, the neighbouring days, five actors' pages)
            assert result.rendered - result.written < len(expected) / 4
            assert result.written <= result.rendered

    check()


def test_a_run_leaves_no_footprint_of_an_earlier_version_in_the_cache(tmp_path, real_index):
    """Earlier versions kept the footprint as JSON beside the stamp (megabytes on a large
    story); nothing reads it now, and a run removes it."""
    index, sources = real_index
    (tmp_path / "site_src").mkdir()
    legacy = tmp_path / "cache" / "stamp-footprint.json"
    legacy.parent.mkdir()
    legacy.write_text('{"old": true}\n', encoding="utf-8")
    _run(tmp_path, 0, index, sources)
    assert not legacy.exists()
    assert (tmp_path / "cache" / "stamp-footprint.txt").exists()


def test_generate_renders_everything_again_rather_than_trust_what_it_cannot(tmp_path, real_index):
    """A damaged footprint, a page touched by hand, an actor edited, another edition: each
    costs rendering more, never a page left stale; a run refused for bad input spoils
    nothing for the next."""
    from generator.pages import generate_if_changed

    index, sources = real_index
    site = tmp_path / "site_src"
    site.mkdir()
    total = _run(tmp_path, 0, index, sources).rendered
    fact = index.facts[0]

    def edited(summary: str) -> FactIndex:
        changed = dataclasses.replace(fact, summary=summary)
        return dataclasses.replace(index, facts=(changed, *index.facts[1:]))

    # the footprint damaged (its key still right): everything rendered, the right pages
    footprint = tmp_path / "cache" / "stamp-footprint.txt"
    head, *lines = footprint.read_text(encoding="utf-8").split("\n")
    damaged = [line.split("\t")[0] + '\t"not a place"' for line in lines if line]
    footprint.write_text("\n".join([head, *damaged]) + "\n", encoding="utf-8")
    one = edited(fact.summary + " (١)")
    assert _run(tmp_path, 1, one, sources).rendered == total
    assert _site_pages(site) == render_pages(one, sources, english=True)
    # ... and that run's footprint holds none of the damage: another fact's edit is small
    other = dataclasses.replace(one.facts[1], summary=one.facts[1].summary + " (١)")
    one_more = dataclasses.replace(one, facts=(one.facts[0], other, *one.facts[2:]))
    assert _run(tmp_path, 10, one_more, sources).rendered < total / 2
    assert _site_pages(site) == render_pages(one_more, sources, english=True)

    # a run that fails on its input leaves the last run's stamp and footprint usable
    def refused():
        raise InputError([])

    facts, sources_yaml = _write_inputs(tmp_path, "# broken\n")
    stamp = tmp_path / "cache" / "stamp.json"
    with pytest.raises(InputError):
        generate_if_changed([facts, sources_yaml], site, refused, stamp, english=True)
    two = edited(fact.summary + " (٢)")
    assert _run(tmp_path, 2, two, sources).rendered < total / 2

    # a page no edit touches, changed by hand: rendered and written again
    cited = {s.id for s in sources if s.file in {src.file for src in fact.sources}}
    untouched = next(f"sources/{s.id}.md" for s in sources if s.id not in cited)
    (site / untouched).write_text("hand-made\n", encoding="utf-8")
    three = edited(fact.summary + " (٣)")
    assert _run(tmp_path, 3, three, sources).written >= 1
    assert _site_pages(site) == render_pages(three, sources, english=True)

    # an actor renamed shows on many pages: everything is rendered
    actor = index.actors[0]
    renamed = dataclasses.replace(
        three, actors=(dataclasses.replace(actor, name=actor.name + "ـ"), *three.actors[1:])
    )
    assert _run(tmp_path, 4, renamed, sources).rendered == total
    assert _site_pages(site) == render_pages(renamed, sources, english=True)

    # the Arabic edition alone: rendered in full, the English pages removed
    result = _run(tmp_path, 5, renamed, sources, english=False)
    assert result.rendered == total // 2 and result.removed == total // 2
    assert _site_pages(site) == render_pages(renamed, sources, english=False)


def test_generate_after_an_edit_of_a_facts_yaml_read_item_by_item(tmp_path, monkeypatch):
    """The way `explainer generate` runs on a large story: facts.yaml read item by item with
    its cache, each fact known to the footprint by the digest of its text. An edit of one
    fact's text renders a few pages, and the pages are those of a full render."""
    import shutil

    from generator import itemwise
    from generator.factindex import load_index
    from generator.ingest import load_sources
    from generator.pages import generate_if_changed

    if not (REPO / "facts.yaml").exists():
        pytest.skip("facts.yaml is not there yet")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(itemwise, "ITEMWISE_FROM", 0)
    facts = tmp_path / "facts.yaml"
    shutil.copy2(REPO / "facts.yaml", facts)
    sources = load_sources(REPO / "seeds", "seeds")
    site = tmp_path / "site_src"
    site.mkdir()

    def run():
        return generate_if_changed(
            [facts, REPO / "seeds" / "sources.yaml"],
            site,
            lambda: (load_index(facts, "facts.yaml", tmp_path / "cache" / "facts"), sources),
            tmp_path / "cache" / "stamp.json",
            english=True,
        )

    total = run().rendered
    assert load_index(facts, "facts.yaml", tmp_path / "cache" / "facts").fact_digests
    text = facts.read_text(encoding="utf-8")
    line = "لإطلاق النار، لكنهم لم يتوصلوا إلى اتفاق."
    assert text.count(line) == 1
    facts.write_text(text.replace(line, line + " (تعديل)"), encoding="utf-8")
    result = run()
    assert 0 < result.rendered < total / 2
    edited = load_index(facts)
    assert any("(تعديل)" in f.summary for f in edited.facts)
    assert _site_pages(site) == render_pages(edited, sources, english=True)


def test_an_untranslated_facts_view_is_the_one_matched_in_its_edition():
    """A further edition takes the primary edition's view of a fact it has no summary of
    (pages._Views._primarys): the same view as matching the summary for that edition, on
    every fact of the fixtures, hostile ones included, translated or not."""
    from generator.editions import ARABIC, ENGLISH
    from generator.pages import _build, _view

    taken = matched = 0
    for index, sources in ((F.index(facts=(*F.FACTS, F.ECHO)), F.SOURCES), F.hostile_index()):
        story = _build(index, sources, (ARABIC, ENGLISH))
        for fact in story.facts:
            actor_ids = sorted({a for a in fact.actors if a in story.actors})
            english = story.views["en"][fact.id]
            assert english == _view(story, fact, actor_ids, ENGLISH), fact.id
            if ENGLISH.pick(fact, "summary")[1]:
                taken += 1
                assert english.segments is story.views["ar"][fact.id].segments
            else:
                matched += 1
    assert taken >= 3 and matched >= 3, (taken, matched)
