"""load_index (validation into the model) and merge (lossless insertion of candidates)."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import factindex, itemwise, yamlio
from generator.factindex import SCHEMA_COMMENT, check_project, load_index, merge
from generator.ingest import read_corpus
from generator.model import (
    ActorCandidate,
    Candidate,
    Extraction,
    Fact,
    FactSource,
    InputError,
)
from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
SEED0 = "000_1a27685ede925d13.txt"
SEED2 = "002_3ea420536559d97a.txt"
Q_WITHDRAW = "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء."
Q_PORT = (
    'ودانت القصف الذي طال ميناء طرابلس، أمس الثلاثاء، معتبرةً أنه "كاد أن يؤدي إلى كارثة '
    'حقيقية" فيما لو أصيبت باخرة لنقل الغاز المسال قبالة شواطئ العاصمة الليبية.'
)
Q_SARRAJ = (
    "بدورها أعلنت السفارة الأميركية في طرابلس أن حكومة فايز السراج استأنفت مشاركتها في "
    "اجتماع الـ5+5 العسكرية في جنيف."
)


def cand(cid: str, date: str | None, file: str = SEED0, quote: str = Q_WITHDRAW, **kw) -> Candidate:
    return Candidate(
        id=cid,
        date=date,
        until=kw.pop("until", None),
        expression=kw.pop("expression", "الثلاثاء"),
        quote=quote,
        file=file,
        **kw,
    )


C1 = cand("c-1111111111", "2020-02-18", actors=("gna",))
C2 = cand("c-2222222222", "2020-02-19", quote=Q_SARRAJ, expression="أمس الأربعاء")
C3 = cand("c-3333333333", "2020-02-18", file=SEED2, quote=Q_PORT, expression="أمس الثلاثاء")
E0 = Extraction(SEED0, (C1, C2))
E2 = Extraction(SEED2, (C3,))

EDITED = f"""\
# yaml-language-server: $schema=generator/schema/facts.schema.json
# Editors' notes: keep this comment.
title: المحادثات العسكرية الليبية
actors:
  - id: gna   # the Tripoli government
    name: 'حكومة الوفاق'
    kind: body
    aliases: [حكومة الوفاق]

meetings: []

facts:
  # rejected: not a fact
  - id: c-2222222222
    status: rejected
    summary:   "spacing and quoting as the editor left them"
    sources:
      - {{file: {SEED0}, quote: "{Q_SARRAJ}"}}
  - id: gna-withdraws
    date: '2020-02-18'
    summary: حكومة الوفاق تنسحب من محادثات جنيف   # rewritten by an editor
    actors: [gna]
    status: reviewed
    candidates: [c-1111111111]
    sources:
      - file: {SEED0}
        quote: {Q_WITHDRAW}

# trailing notes about the file
"""


def _facts(tmp_path: Path, text: str | None) -> Path:
    path = tmp_path / "facts.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# load_index


def test_missing_file_is_an_empty_index(tmp_path: Path) -> None:
    index = load_index(tmp_path / "facts.yaml")
    assert (index.actors, index.meetings, index.facts) == ((), (), ())


def test_load_converts_to_the_model(tmp_path: Path) -> None:
    index = load_index(_facts(tmp_path, EDITED))
    assert index.title == "المحادثات العسكرية الليبية"
    assert [a.id for a in index.actors] == ["gna"]
    assert index.actors[0].aliases == ("حكومة الوفاق",)
    assert index.actors[0].status == "reviewed"
    rejected, reviewed = index.facts
    assert rejected.status == "rejected" and rejected.kind == "event"
    assert reviewed == Fact(
        id="gna-withdraws",
        date="2020-02-18",
        summary="حكومة الوفاق تنسحب من محادثات جنيف",
        sources=(FactSource(SEED0, Q_WITHDRAW),),
        actors=("gna",),
        status="reviewed",
        candidates=("c-1111111111",),
    )


def test_unquoted_dates_are_kept_as_written(tmp_path: Path) -> None:
    text = f"""\
facts:
  - id: a
    date: 2020-02-18
    until: 2021
    summary: s
    sources: [{{file: {SEED0}, quote: q}}]
"""
    (fact,) = load_index(_facts(tmp_path, text)).facts
    assert (fact.date, fact.until) == ("2020-02-18", "2021")


def test_load_reports_every_schema_problem_located(tmp_path: Path) -> None:
    text = """\
actors:
  - id: gna
    nme: حكومة الوفاق
    kind: bdy
facts:
  - id: a
    summary: yes
    sources: []
  - id: Bad_Id
    date: "18-02-2020"
    summary: s
    sources: [{file: ../etc/passwd, quote: q}]
"""
    with pytest.raises(InputError) as info:
        load_index(_facts(tmp_path, text), display="facts.yaml")
    assert [p.format() for p in info.value.problems] == [
        "facts.yaml:2:5: actors[0]: missing required key 'name'",
        "facts.yaml:3:5: unknown key 'nme' in actors[0] (did you mean 'name'?)",
        "facts.yaml:4:11: actors[0].kind: 'bdy' is not one of person, organisation, country, body "
        "(did you mean 'body'?)",
        "facts.yaml:7:14: facts[0].summary: expected text, found a yes/no value (True) "
        "(put it in quotes: YAML reads yes/no/on/off and numbers as non-text)",
        "facts.yaml:8:5: facts[0].sources: needs at least 1 entry",
        "facts.yaml:9:9: facts[1].id: 'Bad_Id' is not a valid id: ids are lowercase ASCII slugs "
        "such as fayez-al-sarraj",
        "facts.yaml:10:11: facts[1].date: '18-02-2020' is not a date: write \"YYYY-MM-DD\", "
        '"YYYY-MM" or "YYYY" in quotes',
        "facts.yaml:12:22: facts[1].sources[0].file: '../etc/passwd' must be a plain file name "
        "inside seeds/ (no folder, not hidden)",
    ]


def test_unknown_key_without_close_match_lists_allowed_keys(tmp_path: Path) -> None:
    text = "meetings:\n  - id: m\n    name: n\n    zzz: 1\n"
    with pytest.raises(InputError) as info:
        load_index(_facts(tmp_path, text))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 5)
    assert "allowed here: aliases, end, id, name" in problem.message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_index(_facts(tmp_path, "- id: a\n"))
    assert info.value.problems[0].format().startswith("facts.yaml:1:1: facts.yaml must be")


def test_python_tag_refused_by_load(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_index(_facts(tmp_path, "title: !!python/object/apply:os.system [echo]\n"))
    assert info.value.problems[0].format().startswith("facts.yaml:1:8: YAML tag")


# ---------------------------------------------------------------------------------------------
# merge


def test_merge_into_a_missing_file_writes_a_fresh_valid_one(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    result = merge(path, [E2, E0])
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_COMMENT
    assert (result.added_facts, result.added_actors, result.text_changed) == (3, 0, True)
    # ordered by (date, file, id), whatever the order of the extractions
    assert result.fact_ids == ("c-1111111111", "c-3333333333", "c-2222222222")
    index = load_index(path)
    assert [f.id for f in index.facts] == list(result.fact_ids)
    first = index.facts[0]
    assert first.status == "candidate"
    assert first.summary == Q_WITHDRAW
    assert first.sources == (FactSource(SEED0, Q_WITHDRAW),)
    assert first.actors == ("gna",)
    assert '    date: "2020-02-18"\n' in text
    assert "until:" not in text and "meeting:" not in text


def test_rendered_candidate_style(tmp_path: Path) -> None:
    c = cand(
        "c-4444444444",
        "2020-02",
        until="2020-03",
        meeting="geneva",
        kind="plan",
        quote="'quoted' start: and # not a comment",
    )
    path = tmp_path / "facts.yaml"
    merge(path, [Extraction(SEED0, (c,))])
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  - id: c-4444444444") :]
    assert block == (
        "  - id: c-4444444444\n"
        '    date: "2020-02"\n'
        '    until: "2020-03"\n'
        "    expression: الثلاثاء\n"
        "    summary: '''quoted'' start: and # not a comment'\n"
        "    actors: []\n"
        "    meeting: geneva\n"
        "    kind: plan\n"
        "    status: candidate\n"
        "    sources:\n"
        f"      - file: {SEED0}\n"
        "        quote: '''quoted'' start: and # not a comment'\n"
    )
    assert load_index(path).facts[0].sources[0].quote == "'quoted' start: and # not a comment"


def test_merge_preserves_everything_the_editor_wrote(tmp_path: Path) -> None:
    path = _facts(tmp_path, EDITED)
    result = merge(path, [E0, E2])
    new = path.read_text(encoding="utf-8")
    # only c-3333333333 is new: c-1111111111 is merged into gna-withdraws, c-2222 is rejected
    assert result.fact_ids == ("c-3333333333",)
    start = new.index("  - id: c-3333333333")
    end = new.index("\n# trailing notes")
    inserted = new[start:end]
    assert new[:start] + new[end:] == EDITED
    # inserted right after the last line of the last fact, before the trailing comment
    assert new[:start].endswith(f"        quote: {Q_WITHDRAW}\n")
    assert inserted.count("- id:") == 1


def test_second_merge_is_byte_identical(tmp_path: Path) -> None:
    path = _facts(tmp_path, EDITED)
    merge(path, [E0, E2])
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    result = merge(path, [E2, E0])
    assert (result.added_facts, result.text_changed) == (0, False)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


def test_merge_order_independent_and_stable_when_an_article_is_added(tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in ("a", "b", "c"))
    for d in (a, b, c):
        d.mkdir()
    merge(a / "facts.yaml", [E0, E2])
    merge(b / "facts.yaml", [E2, E0])
    assert (a / "facts.yaml").read_bytes() == (b / "facts.yaml").read_bytes()
    # one article first, then the second one arrives: existing candidates are not touched
    merge(c / "facts.yaml", [E0])
    first = (c / "facts.yaml").read_text(encoding="utf-8")
    result = merge(c / "facts.yaml", [E0, E2])
    assert result.fact_ids == ("c-3333333333",)
    second = (c / "facts.yaml").read_text(encoding="utf-8")
    assert second.startswith(first)
    assert {f.id for f in load_index(c / "facts.yaml").facts} == {
        f.id for f in load_index(a / "facts.yaml").facts
    }


def test_edited_and_reordered_entries_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    merge(path, [E0, E2])
    text = path.read_text(encoding="utf-8")
    # an editor moves the last candidate first and rewrites its summary
    blocks = text.split("  - id: ")
    head, entries = blocks[0], ["  - id: " + b for b in blocks[1:]]
    entries[-1] = entries[-1].replace(f"summary: {Q_SARRAJ}", "summary: الوفاق تعود إلى جنيف")
    edited = head + entries[-1] + "".join(entries[:-1])
    path.write_text(edited, encoding="utf-8")
    result = merge(path, [E0, E2])
    assert result.text_changed is False
    assert path.read_text(encoding="utf-8") == edited


def test_merge_into_empty_lists_and_missing_keys(tmp_path: Path) -> None:
    for text in (
        "facts: []  # none yet\n",
        "facts:\n",
        "facts: ~\n",
        "facts: null\nmeetings: []\n",
        "title: t\n",
        "",
        "# only a comment",
    ):
        path = _facts(tmp_path, text)
        merge(path, [E0])
        new = path.read_text(encoding="utf-8")
        assert [f.id for f in load_index(path).facts] == ["c-1111111111", "c-2222222222"], text
        if text.startswith("facts: []"):
            assert new.startswith("facts:   # none yet\n  - id: c-1111111111\n")
        if text == "title: t\n":
            assert new.startswith("title: t\nfacts:\n  - id: c-1111111111\n")


def test_merge_keeps_an_indentless_list_style(tmp_path: Path) -> None:
    text = (
        "actors:\n"
        "- id: gna\n"
        "  name: حكومة الوفاق\n"
        "  kind: body\n"
        "facts:\n"
        "- id: x\n"
        "  summary: s\n"
        f"  sources: [{{file: {SEED0}, quote: q}}]\n"
        "meetings: []\n"
    )
    path = _facts(tmp_path, text)
    merge(path, [E2])
    new = path.read_text(encoding="utf-8")
    assert f"  sources: [{{file: {SEED0}, quote: q}}]\n- id: c-3333333333\n  date:" in new
    assert new.endswith("meetings: []\n")
    assert new.replace(new[new.index("- id: c-3") : new.index("meetings:")], "") == text


def test_merge_into_a_flow_list(tmp_path: Path) -> None:
    text = f"facts: [{{id: x, summary: s, sources: [{{file: {SEED0}, quote: q}}]}}]\n"
    path = _facts(tmp_path, text)
    merge(path, [E2])
    assert [f.id for f in load_index(path).facts] == ["x", "c-3333333333"]
    assert path.read_text(encoding="utf-8").startswith(text[:-2])


def test_actor_candidates(tmp_path: Path) -> None:
    lavrov = ActorCandidate("sergei-lavrov", "سيرجي لافروف", "وزير الخارجية الروسي", SEED0, "q1")
    # already known under an alias written with a hamza and a diacritic: not proposed again
    salame = ActorCandidate("ghassan-salame", "غسان سلامة", "المبعوث الأممي", SEED0, "q2")
    again = ActorCandidate("lavrov-2", "سيرجي لافروف", "وزير", SEED2, "q3")
    text = (
        "actors:\n"
        "  - id: unsmil-envoy\n"
        "    name: المبعوث الأممي\n"
        "    kind: person\n"
        "    aliases: [غسّان سلامه]\n"
        "# meetings come next\n"
        "meetings: []\n"
    )
    path = _facts(tmp_path, text)
    result = merge(path, [Extraction(SEED0, (), (lavrov, salame)), Extraction(SEED2, (), (again,))])
    assert (result.added_actors, result.actor_ids) == (1, ("sergei-lavrov",))
    new = path.read_text(encoding="utf-8")
    assert new == text.replace(
        "# meetings come next",
        "  - id: sergei-lavrov\n"
        "    name: سيرجي لافروف\n"
        "    kind: person\n"
        "    role: وزير الخارجية الروسي\n"
        "    status: candidate\n"
        "    aliases: [سيرجي لافروف]\n"
        "    sources:\n"
        f"      - file: {SEED0}\n"
        "        quote: q1\n"
        "# meetings come next",
    )
    (_, actor) = load_index(path).actors
    assert actor.status == "candidate"
    assert merge(path, [Extraction(SEED0, (), (lavrov,))]).text_changed is False


def test_merge_refuses_an_invalid_file(tmp_path: Path) -> None:
    path = _facts(tmp_path, "facts:\n  - id: x\n    summary: s\n    sorces: []\n")
    before = path.read_bytes()
    with pytest.raises(InputError) as info:
        merge(path, [E0])
    assert info.value.problems[0].format().startswith("facts.yaml:2:5: facts[0]: missing")
    assert path.read_bytes() == before


def test_merge_refuses_when_the_file_changes_during_the_run(tmp_path: Path) -> None:
    path = _facts(tmp_path, EDITED)
    saved = EDITED.replace("keep this comment", "an editor saved this meanwhile")

    def editor_saves() -> None:
        path.write_text(saved, encoding="utf-8")

    with pytest.raises(InputError) as info:
        merge(path, [E2], _before_write=editor_saves)
    assert "changed on disk while extract ran; nothing was written" in str(info.value)
    assert path.read_text(encoding="utf-8") == saved
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_merge_refuses_a_save_made_while_articles_were_extracted(tmp_path: Path) -> None:
    """extract reads facts.yaml before extracting; a save during extraction is never lost."""
    path = _facts(tmp_path, EDITED)
    loaded = factindex.read_index(path)
    saved = EDITED.replace("keep this comment", "an editor saved this meanwhile")
    path.write_text(saved, encoding="utf-8")  # while the articles were being read
    with pytest.raises(InputError) as info:
        merge(path, [E2], base=loaded)
    assert "changed on disk while extract ran" in str(info.value)
    assert path.read_text(encoding="utf-8") == saved


def test_merge_refuses_when_the_file_appears_during_the_run(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    with pytest.raises(InputError):
        merge(path, [E2], _before_write=lambda: path.write_text("facts: []\n", encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == "facts: []\n"


def test_merge_detects_a_same_bytes_rewrite_by_mtime(tmp_path: Path) -> None:
    path = _facts(tmp_path, EDITED)

    def touch() -> None:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))

    with pytest.raises(InputError):
        merge(path, [E2], _before_write=touch)


def test_merge_keeps_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(EDITED.replace("\n", "\r\n").encode("utf-8"))
    merge(path, [E2])
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert [f.id for f in load_index(path).facts][-1] == "c-3333333333"


# ---------------------------------------------------------------------------------------------
# the real seeds, and the real extract stage when it is there


def _extract_corpus():
    extract = pytest.importorskip("generator.extract")
    return extract.extract_corpus


def test_real_extract_merged_twice_is_stable_and_checks_clean(project_copy: Path) -> None:
    extract_corpus = _extract_corpus()
    project = Project(project_copy)
    if project.facts.exists():
        project.facts.unlink()
    articles, _ = read_corpus(project.seeds)
    index = load_index(project.facts)
    extractions = extract_corpus(articles, index.actors, index.meetings)
    first = merge(project.facts, extractions)
    assert first.added_facts > 0
    text = project.facts.read_bytes()
    second = merge(project.facts, list(reversed(extractions)))
    assert (second.added_facts, second.text_changed) == (0, False)
    assert project.facts.read_bytes() == text
    # every quote extract wrote is verbatim in its source and no candidate postdates its source
    assert [p.format() for p in check_project(project) if p.severity == "error"] == []


def test_real_extract_merged_into_the_repository_facts_yaml_only_inserts(
    project_copy: Path,
) -> None:
    extract_corpus = _extract_corpus()
    project = Project(project_copy)
    if not project.facts.exists():
        pytest.skip("the repository has no facts.yaml yet")
    original = project.facts.read_text(encoding="utf-8")
    articles, _ = read_corpus(project.seeds)
    index = load_index(project.facts)
    extractions = extract_corpus(articles, index.actors, index.meetings)
    # and something new, so that the curated file really receives an insertion
    extra = cand("c-ffffffffff", "2020-02-18", file=SEED2, quote=Q_PORT)
    newcomer = ActorCandidate("new-person", "شخص جديد", "دور", SEED2, Q_PORT)
    extractions.append(Extraction(SEED2, (extra,), (newcomer,)))
    result = merge(project.facts, extractions)
    assert "c-ffffffffff" in result.fact_ids and "new-person" in result.actor_ids
    merged = project.facts.read_text(encoding="utf-8")
    ops = difflib.SequenceMatcher(
        None, original.splitlines(True), merged.splitlines(True), autojunk=False
    ).get_opcodes()
    assert {op for op, *_ in ops} <= {"equal", "insert"}
    before = project.facts.read_bytes()
    assert merge(project.facts, extractions).text_changed is False
    assert project.facts.read_bytes() == before
    assert [p.format() for p in check_project(project) if p.severity == "error"] == []


def test_repository_facts_yaml_loads_if_present(repo: Path, tmp_path: Path) -> None:
    if not (repo / "facts.yaml").exists():
        pytest.skip("the repository has no facts.yaml yet")
    shutil.copy2(repo / "facts.yaml", tmp_path / "facts.yaml")
    index = load_index(tmp_path / "facts.yaml")
    assert len({f.id for f in index.facts}) == len(index.facts)


def test_schema_file_is_valid_draft_2020_12() -> None:
    import json

    import jsonschema

    for name in ("facts", "sources"):
        schema = json.loads(
            (factindex.SCHEMA_PATH.parent / f"{name}.schema.json").read_text(encoding="utf-8")
        )
        jsonschema.Draft202012Validator.check_schema(schema)


def test_sources_schema_accepts_the_real_sources_yaml(repo: Path) -> None:
    import json

    import jsonschema

    from generator.yamlio import load_file

    schema = json.loads(
        (factindex.SCHEMA_PATH.parent / "sources.schema.json").read_text(encoding="utf-8")
    )
    doc = load_file(repo / "seeds" / "sources.yaml", "seeds/sources.yaml")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(doc.data)) == []


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quote=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80).filter(
        lambda s: s.strip()
    ),
    expression=st.text(max_size=20),
)
def test_any_quote_round_trips_through_merge(tmp_path: Path, quote: str, expression: str) -> None:
    path = tmp_path / "facts.yaml"
    path.unlink(missing_ok=True)
    c = cand("c-5555555555", "2020-02-18", quote=quote, expression=expression)
    merge(path, [Extraction(SEED0, (c,))])
    (fact,) = load_index(path).facts
    assert fact.sources[0].quote == quote
    assert fact.expression == expression
    assert fact.summary == " ".join(quote.split())
    before = path.read_bytes()
    assert merge(path, [Extraction(SEED0, (c,))]).text_changed is False
    assert path.read_bytes() == before


@settings(max_examples=500, deadline=None)
@given(
    value=st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",))),
        st.sampled_from(
            ["yes", "no", "null", "~", "12", "1e3", "0x1f", "- x", "a: b", "#c", "ok #"]
        ),
        st.text(alphabet="ابتثجحخ 0123456789:#-'\"\u0085\u2028[]{},&*!|>%@`", max_size=30),
    ),
    key=st.sampled_from(["summary", "quote", "expression", "id"]),
)
def test_every_rendered_value_reads_back_as_itself(value: str, key: str) -> None:
    """The property the merge's sampled re-read relies on: each value renders to a YAML scalar
    that reads back as exactly that value, on one line."""
    rendered = factindex._scalar(value, key)
    assert "\n" not in rendered
    assert yamlio.load(f"{key}: {rendered}\n", "t").data == {key: value}
    listed = factindex._scalar([value, "gna"], "actors")
    assert yamlio.load(f"actors: {listed}\n", "t").data == {"actors": [value, "gna"]}


@pytest.mark.parametrize("value", ["0?&", "a:b", "x#y", "&a", "*b", "[c]", "d,e"])
def test_awkward_flow_items_are_quoted(value: str) -> None:
    listed = factindex._scalar([value], "actors")
    assert yamlio.load(f"actors: {listed}\n", "t").data == {"actors": [value]}


# ---------------------------------------------------------------------------------------------
# A large facts.yaml is read item by item (generator/itemwise.py): the items read before come
# from the cache, the others are parsed (in two processes when they are many). Every way gives
# the Document, index and problems of a whole read.


def _read_outcome(path: Path, cache: Path | None = None) -> object:
    """What read_index makes of a file: every part of its result, or its problems."""
    try:
        loaded = factindex.read_index(path, "facts.yaml", cache)
    except InputError as e:
        return [p.format() for p in e.problems]
    doc = loaded.doc
    return (
        loaded.index,
        doc.data,
        doc.marks,
        doc.key_marks,
        doc.seq_starts,
        doc.seq_ends,
        doc.text,
        [p.format() for p in factindex.index_problems(loaded)],
    )


@pytest.fixture
def itemwise_on(tmp_path: Path, monkeypatch) -> Path:
    """Item-wise reading from the first character, forking from the first character too (to
    parse, and to write the cache), the cache's key in a folder of the test's own; the cache
    folder to use."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    # (the browser tests' servers run in threads of this process, which the library's own
    # check would not fork beside; the parsing child touches none of them)
    monkeypatch.setattr(itemwise, "may_fork", lambda: True)
    monkeypatch.setattr(itemwise, "ITEMWISE_FROM", 0)
    monkeypatch.setattr(itemwise, "FORK_FROM", 0)
    monkeypatch.setattr(itemwise, "ASIDE_FROM", 0)  # segments written by a forked process
    return tmp_path / "cache"


def _whole(path: Path, monkeypatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(itemwise, "ITEMWISE_FROM", 10**12)
        m.setattr(itemwise, "FORK_FROM", 10**12)
        return _read_outcome(path)


def _itemwise_used(path: Path, cache: Path | None) -> bool:
    text = path.read_text(encoding="utf-8")
    return factindex._read_itemwise(text, "facts.yaml", cache) is not None


def _facts_text(n: int, summary=lambda i: f"بيان رقم {i}", indent: str = "") -> str:
    items = "".join(
        f"{indent}- id: fact-{i:03d}\n"
        f"{indent}  date: '2020-02-{i % 28 + 1:02d}'\n"
        f"{indent}  summary: {summary(i)}\n"
        f"{indent}  sources:\n"
        f"{indent}  - file: {SEED0}\n"
        f"{indent}    quote: {Q_WITHDRAW}\n"
        for i in range(n)
    )
    return f"{SCHEMA_COMMENT}\ntitle: قصة\nactors: []\nfacts:\n{items}"


HOSTILE = [
    _facts_text(40),
    _facts_text(40, indent="  "),
    # comments and blank lines between the items, a block scalar in every item
    _facts_text(40).replace("  sources:\n", "  dispute: |\n    - id: not an item\n  sources:\n")
    + "\n# the end\n",
    # quoted summaries over several lines, one of which reads like an item at column 0:
    # a cut there leaves the text before it unterminated, and the file is read whole
    _facts_text(40, summary=lambda i: f'"بيان\n- id: fact-x{i}\n  رقم {i}"'),
    _facts_text(40, summary=lambda i: f"'بيان\n- id: fact-x{i}\n  رقم {i}'"),
    _facts_text(40, summary=lambda i: f"[بيان,\n- id: fact-x{i}]"),
    # a real item whose first line does not read like one (`-` alone) and a quoted summary
    # with a line that does: as many pieces as items, but not the same ones
    _facts_text(40)
    .replace("summary: بيان رقم 5\n", 'summary: "بيان\n- رقم 5"\n')
    .replace("- id: fact-006\n", "-\n  id: fact-006\n"),
    # the facts key on the file's first line
    "facts:\n" + _facts_text(40).split("facts:\n", 1)[1],
    # another top-level key after the facts
    _facts_text(40) + "meetings: []\n",
    # problems in an item: the same messages, at the same places
    _facts_text(40).replace("id: fact-035\n", "id: fact-035\n  colour: red\n"),
    _facts_text(40).replace("id: fact-036\n", "id: fact-036\n  actors: [nobody]\n"),
    _facts_text(40).replace(
        "date: '2020-02-09'\n  summary: بيان رقم 36",
        "date: '2020-02-31'\n  summary: بيان رقم 36",
    ),
    _facts_text(40).replace("summary: بيان رقم 37\n", "summary: بيان: رقم 37\n"),
    _facts_text(40).replace("id: fact-038\n", "id: fact-038\n  kind: !!python/name:os.system\n"),
    _facts_text(40).replace("id: fact-039\n", "id: &a fact-039\n"),
    _facts_text(40) + "- id: fact-001\n  summary: مكرر\n  sources: []\n",
    # line breaks that YAML counts and str.count does not; document markers
    _facts_text(40).replace("\n", "\r\n"),
    _facts_text(40).replace(f"{SCHEMA_COMMENT}\n", "%YAML 1.1\n---\n"),
]


def test_the_repository_index_read_item_by_item_is_the_index_read_whole(
    tmp_path, monkeypatch, itemwise_on
):
    path = tmp_path / "facts.yaml"
    shutil.copy2(REPO / "facts.yaml", path)
    whole = _whole(path, monkeypatch)
    assert _read_outcome(path) == whole  # in two processes, no cache
    assert _read_outcome(path, itemwise_on) == whole  # the cache filled
    assert _read_outcome(path, itemwise_on) == whole  # every item from the cache
    assert _itemwise_used(path, itemwise_on)


@pytest.mark.parametrize("text", HOSTILE)
def test_an_index_read_item_by_item_is_the_index_read_whole(
    text, tmp_path, monkeypatch, itemwise_on
):
    path = tmp_path / "facts.yaml"
    path.write_bytes(text.encode("utf-8"))
    whole = _whole(path, monkeypatch)
    assert _read_outcome(path) == whole
    assert _read_outcome(path, itemwise_on) == whole
    assert _read_outcome(path, itemwise_on) == whole


@pytest.mark.parametrize("text", HOSTILE)
def test_an_edit_read_with_the_cache_is_the_edit_read_whole(
    text, tmp_path, monkeypatch, itemwise_on
):
    """The cache holds every item of a plain file; then the file becomes a hostile one that
    shares most of its lines: what comes from the cache and what is parsed again still make
    the Document of a whole read."""
    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    _read_outcome(path, itemwise_on)
    path.write_bytes(text.encode("utf-8"))
    assert _read_outcome(path, itemwise_on) == _whole(path, monkeypatch)


def test_a_plain_large_index_is_read_item_by_item(tmp_path, itemwise_on):
    """(So that the comparisons above compare two ways of reading, not one with itself.)"""
    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    assert _itemwise_used(path, None) and _itemwise_used(path, itemwise_on)
    text = _facts_text(40, summary=lambda i: f'"بيان\n- id: fact-x{i}\n  رقم {i}"')
    path.write_bytes(text.encode("utf-8"))
    assert not _itemwise_used(path, itemwise_on)


def test_only_the_items_an_edit_changed_are_parsed_again(tmp_path, monkeypatch, itemwise_on):
    path = tmp_path / "facts.yaml"
    text = _facts_text(40)
    path.write_bytes(text.encode("utf-8"))
    factindex.read_index(path, "facts.yaml", itemwise_on)
    parsed: list[str] = []
    load = yamlio.load

    def spy(text: str, display: str):
        parsed.append(text)
        return load(text, display)

    monkeypatch.setattr(yamlio, "load", spy)
    monkeypatch.setattr(itemwise, "FORK_FROM", 10**12)  # (a child's calls are not seen here)
    edited = text.replace("summary: بيان رقم 17\n", "summary: بيان رقم سبعة عشر\n")
    path.write_bytes(edited.encode("utf-8"))
    index = factindex.read_index(path, "facts.yaml", itemwise_on).index
    assert index.facts[17].summary == "بيان رقم سبعة عشر"
    # the edited item, the last item (where the list ends is in the Document); not the head,
    # which is as the cache has it
    assert len(parsed) == 2
    assert parsed[0].startswith("- id: fact-017\n") and parsed[0].count("- id:") == 1
    assert parsed[1].startswith("- id: fact-039\n")
    assert "summary: بيان رقم 5\n" not in "".join(parsed)
    # an edited head is parsed again, and read as edited
    parsed.clear()
    path.write_bytes(edited.replace("title: قصة\n", "title: قصة أخرى\n").encode("utf-8"))
    loaded = factindex.read_index(path, "facts.yaml", itemwise_on)
    assert loaded.index.title == "قصة أخرى" and loaded.doc.data["title"] == "قصة أخرى"
    assert len(parsed) == 2 and parsed[0].startswith(SCHEMA_COMMENT)


def test_the_cut_of_the_text_is_made_aside_and_here_when_that_fails(
    tmp_path, monkeypatch, itemwise_on
):
    """A read after a read cuts the text into items in a forked process while it loads the
    cache; a child that gives no answer leaves the cut to this process, and the same read."""
    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    whole = _whole(path, monkeypatch)
    assert _read_outcome(path, itemwise_on) == whole
    parent, real, here = os.getpid(), itemwise._cut, []

    def cut(text: str, key: str):
        if os.getpid() == parent:
            here.append(key)
        elif failing:
            os._exit(1)
        return real(text, key)

    monkeypatch.setattr(itemwise, "_cut", cut)
    for failing in (False, True):
        here.clear()
        assert _read_outcome(path, itemwise_on) == whole
        assert here == (["facts"] if failing else [])


def test_a_forged_cache_segment_is_not_unpickled(tmp_path, monkeypatch, itemwise_on):
    """A pull request can add files under .explainer-cache/: they are not the user's, and
    unpickling one could run anything. Signed with another key, or signed at all, they are
    refused and removed."""
    import pickle

    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    whole = _whole(path, monkeypatch)
    marker = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    itemwise_on.mkdir(parents=True)
    payload = pickle.dumps((factindex._itemwise_salt(), [(b"x" * 16, Boom())]))
    (itemwise_on / "forged.items").write_bytes(b"\0" * 32 + payload)
    assert _read_outcome(path, itemwise_on) == whole
    assert not marker.exists()
    assert not (itemwise_on / "forged.items").exists()
    # even with the right key, the unpickler builds nothing but the model's data classes
    store = itemwise._Store.at(itemwise_on, factindex._itemwise_salt())
    (itemwise_on / "signed.items").write_bytes(store._mac(payload) + payload)
    assert _read_outcome(path, itemwise_on) == whole
    assert not marker.exists()


@pytest.mark.parametrize("index_only", [False, True])
def test_the_cache_stays_small_over_many_edits(tmp_path, monkeypatch, itemwise_on, index_only):
    """index_only: each edit is first read for its index alone (as `explainer generate` reads
    it, without the items' data), which then merges the segments: what it writes must still
    give a whole read its Document."""
    path = tmp_path / "facts.yaml"
    text = _facts_text(40)
    for round_ in range(2 * itemwise.MAX_SEGMENTS):
        edited = text.replace("summary: بيان رقم 3\n", f"summary: بيان رقم 3 ({round_})\n")
        path.write_bytes(edited.encode("utf-8"))
        whole = _whole(path, monkeypatch)
        if index_only:
            assert factindex.load_index(path, "facts.yaml", itemwise_on) == whole[0]
        assert _read_outcome(path, itemwise_on) == whole
        assert len(list(itemwise_on.glob("*.items"))) <= itemwise.MAX_SEGMENTS
    assert not list(itemwise_on.glob("*.tmp"))


@pytest.mark.parametrize("text", HOSTILE)
def test_an_index_read_for_the_pages_is_the_index_read_whole(
    text, tmp_path, monkeypatch, itemwise_on
):
    """load_index (the pages' read) leaves the items' data in the cache: the same index, or
    the same problems, as a whole read; from no cache, a full one, and after an edit."""
    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    _read_outcome(path, itemwise_on)
    path.write_bytes(text.encode("utf-8"))
    whole = _whole(path, monkeypatch)

    def index_outcome(cache: Path | None) -> object:
        try:
            return factindex.load_index(path, "facts.yaml", cache)
        except InputError as e:
            return [p.format() for p in e.problems]

    expected = whole if isinstance(whole, list) else whole[0]
    assert index_outcome(None) == expected
    assert index_outcome(itemwise_on) == expected
    assert index_outcome(itemwise_on) == expected
    assert _read_outcome(path, itemwise_on) == whole  # the cache's data still whole


def test_a_read_for_the_pages_does_not_unpickle_the_items_data(tmp_path, itemwise_on):
    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    factindex.read_index(path, "facts.yaml", itemwise_on)
    store = itemwise._Store.at(itemwise_on, factindex._itemwise_salt())
    items = [e for e in store.load(data=False).values() if isinstance(e[1], Fact)]
    assert len(items) == 40 and all(data is None for data, _ in items)
    store = itemwise._Store.at(itemwise_on, factindex._itemwise_salt())
    items = [e for e in store.load().values() if isinstance(e[1], Fact)]
    assert len(items) == 40 and all(isinstance(data, dict) for data, _ in items)
    loaded = factindex.read_index(path, "facts.yaml", itemwise_on, whole=False)
    assert loaded.doc is None and len(loaded.index.facts) == 40


def test_no_cache_where_the_key_cannot_be_kept(tmp_path, monkeypatch, itemwise_on):
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    path = tmp_path / "facts.yaml"
    path.write_bytes(_facts_text(40).encode("utf-8"))
    assert _read_outcome(path, itemwise_on) == _whole(path, monkeypatch)
    assert not itemwise_on.exists()
