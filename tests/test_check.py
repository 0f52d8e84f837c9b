"""`check_project`: one test per kind of problem, each pinned to its exact PATH:LINE:COLUMN.

Editors fix pull requests from these messages (and GitHub shows them on the diff's lines), so a
problem at the wrong line is a bug even when the message is right.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.factindex import check_project
from generator.project import Project

# Line numbers of BASE are used below; keep them in step when editing it.
BASE = """\
# yaml-language-server: $schema=generator/schema/facts.schema.json
actors:
  - id: gna
    name: حكومة الوفاق
    kind: body
    aliases: [حكومة الوفاق, الوفاق]
  - id: lna
    name: الجيش الوطني الليبي
    kind: body
meetings:
  - id: geneva-jmc-2020-02
    name: محادثات اللجنة العسكرية المشتركة 5+5 في جنيف
    place: جنيف
    start: "2020-02-18"
    end: "2020-02-23"
    participants: [gna, lna]
facts:
  - id: gna-withdraws
    date: "2020-02-18"
    summary: حكومة الوفاق تنسحب من محادثات جنيف
    actors: [gna]
    meeting: geneva-jmc-2020-02
    kind: event
    status: reviewed
    sources:
      - file: 000_1a27685ede925d13.txt
        quote: وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء.
"""
SEED0 = "000_1a27685ede925d13.txt"


@pytest.fixture
def project(project_copy: Path) -> Project:
    """The real seeds in tmp_path, with BASE as facts.yaml."""
    (project_copy / "facts.yaml").write_text(BASE, encoding="utf-8")
    return Project(project_copy)


def _write(project: Project, text: str) -> None:
    project.facts.write_text(text, encoding="utf-8")


def _formatted(project: Project) -> list[str]:
    return [p.format() for p in check_project(project)]


def _replace(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_base_is_clean(project: Project) -> None:
    assert _formatted(project) == []


def test_missing_facts_yaml_is_a_warning(project: Project) -> None:
    project.facts.unlink()
    problems = check_project(project)
    assert [(p.path, p.severity) for p in problems] == [("facts.yaml", "warning")]


def test_yaml_syntax_error_is_located(project: Project) -> None:
    _write(project, _replace("    kind: event\n", "    kind: [event\n"))
    (msg,) = _formatted(project)
    assert msg.startswith("facts.yaml:24:11: YAML syntax error:")


def test_wrong_type(project: Project) -> None:
    _write(project, _replace("    actors: [gna]\n", "    actors: gna\n"))
    assert _formatted(project) == [
        "facts.yaml:21:13: facts[0].actors: expected a list or null, found text"
    ]


def test_unknown_key_with_did_you_mean(project: Project) -> None:
    _write(project, _replace('    date: "2020-02-18"\n', '    dat: "2020-02-18"\n'))
    assert _formatted(project) == [
        "facts.yaml:19:5: unknown key 'dat' in facts[0] (did you mean 'date'?)"
    ]


def test_bad_enum_lists_the_allowed_values(project: Project) -> None:
    _write(project, _replace("    kind: event\n", "    kind: evnet\n"))
    assert _formatted(project) == [
        "facts.yaml:23:11: facts[0].kind: 'evnet' is not one of event, statement, plan "
        "(did you mean 'event'?)"
    ]


def test_missing_required_key(project: Project) -> None:
    _write(project, _replace("    summary: حكومة الوفاق تنسحب من محادثات جنيف\n", ""))
    assert _formatted(project) == ["facts.yaml:18:5: facts[0]: missing required key 'summary'"]


def test_bad_id_slug(project: Project) -> None:
    _write(project, _replace("  - id: gna-withdraws\n", "  - id: GNA_withdraws\n"))
    (msg,) = _formatted(project)
    assert msg.startswith("facts.yaml:18:9: facts[0].id: 'GNA_withdraws' is not a valid id")


def test_unknown_actor_id_with_did_you_mean(project: Project) -> None:
    _write(project, _replace("    actors: [gna]\n", "    actors: [gan]\n"))
    assert _formatted(project) == ["facts.yaml:21:14: unknown actor id 'gan' (did you mean 'gna'?)"]


def test_unknown_meeting_and_participant(project: Project) -> None:
    text = _replace("    meeting: geneva-jmc-2020-02\n", "    meeting: geneva-jmc-2020\n")
    text = _replace("    participants: [gna, lna]\n", "    participants: [gna, lnaa]\n", text)
    _write(project, text)
    assert _formatted(project) == [
        "facts.yaml:16:25: unknown actor id 'lnaa' (did you mean 'lna'?)",
        "facts.yaml:22:14: unknown meeting id 'geneva-jmc-2020' (did you mean 'geneva-jmc-2020-02'?)",
    ]


def test_reference_to_a_rejected_actor_is_a_warning(project: Project) -> None:
    aliases = "    aliases: [حكومة الوفاق, الوفاق]\n"
    _write(project, _replace(aliases, aliases + "    status: rejected\n"))
    problems = check_project(project)
    assert [(p.format(), p.severity) for p in problems] == [
        ("facts.yaml:17:20: warning: actor 'gna' is rejected (status: rejected)", "warning"),
        ("facts.yaml:22:14: warning: actor 'gna' is rejected (status: rejected)", "warning"),
    ]


def test_duplicate_ids_report_the_second(project: Project) -> None:
    dup = BASE[BASE.index("  - id: gna-withdraws") :]
    _write(project, BASE + dup)
    assert _formatted(project) == [
        "facts.yaml:28:9: duplicate fact id 'gna-withdraws': first defined at line 18"
    ]


def test_duplicate_actor_id(project: Project) -> None:
    _write(project, _replace("  - id: lna\n", "  - id: gna\n"))
    problems = _formatted(project)
    assert "facts.yaml:7:9: duplicate actor id 'gna': first defined at line 3" in problems


def test_impossible_date(project: Project) -> None:
    _write(project, _replace('    date: "2020-02-18"\n', '    date: "2020-02-30"\n'))
    assert _formatted(project) == [
        "facts.yaml:19:11: '2020-02-30' is not a date: February 2020 has 29 days"
    ]


def test_impossible_meeting_month_and_end_before_start(project: Project) -> None:
    text = _replace('    start: "2020-02-18"\n', '    start: "2020-13"\n')
    _write(project, text)
    assert _formatted(project) == [
        "facts.yaml:14:12: '2020-13' is not a date: there is no month 13"
    ]
    _write(project, _replace('    end: "2020-02-23"\n', '    end: "2020-02-10"\n'))
    assert _formatted(project) == [
        "facts.yaml:15:10: end '2020-02-10' is before start '2020-02-18'"
    ]


def test_until_before_date(project: Project) -> None:
    _write(
        project,
        _replace('    date: "2020-02-18"\n', '    date: "2020-02-18"\n    until: "2020-02-17"\n'),
    )
    assert _formatted(project) == [
        "facts.yaml:20:12: until '2020-02-17' is before date '2020-02-18'"
    ]


def test_fact_after_publication(project: Project) -> None:
    _write(project, _replace('    date: "2020-02-18"\n', '    date: "2020-02-25"\n'))
    (msg,) = _formatted(project)
    assert msg.startswith(
        f"facts.yaml:19:11: date '2020-02-25' is after the publication of {SEED0} (2020-02-20)"
    )


def test_plan_may_be_dated_after_its_source(project: Project) -> None:
    text = _replace('    date: "2020-02-18"\n', '    date: "2020-02-25"\n')
    _write(project, _replace("    kind: event\n", "    kind: plan\n", text))
    assert _formatted(project) == []


def test_publication_compared_at_the_facts_granularity(project: Project) -> None:
    _write(project, _replace('    date: "2020-02-18"\n', '    date: "2020-02"\n'))
    assert _formatted(project) == []
    _write(project, _replace('    date: "2020-02-18"\n', '    date: "2020-03"\n'))
    assert _formatted(project)[0].startswith("facts.yaml:19:11: date '2020-03' is after")


def test_quote_not_found_names_the_closest_sentence(project: Project) -> None:
    wrong = "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار مساء الثلاثاء."
    _write(project, _replace("في وقت متأخر الثلاثاء.", "مساء الثلاثاء."))
    (msg,) = _formatted(project)
    assert wrong in BASE.replace("في وقت متأخر الثلاثاء.", "مساء الثلاثاء.")
    assert msg == (
        f"facts.yaml:27:16: quote not found in {SEED0}; closest text in the source: "
        "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء."
    )


def test_quote_in_another_source_says_so(project: Project) -> None:
    other = "ودانت القصف الذي طال ميناء طرابلس، أمس الثلاثاء"
    _write(
        project,
        _replace(
            "quote: وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء.",
            f"quote: {other}",
        ),
    )
    assert _formatted(project) == [
        f"facts.yaml:27:16: quote not found in {SEED0}; it is in 002_3ea420536559d97a.txt"
    ]


def test_quote_match_ignores_whitespace(project: Project) -> None:
    # 001 has no-break spaces inside this sentence; the quote has plain spaces and a line break.
    text = _replace(
        "        quote: وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء.\n",
        "        quote: وانسحبت حكومة   الوفاق من محادثات\n          وقف إطلاق النار في وقت متأخر الثلاثاء.\n"
        "      - file: 001_1231ecc439629b3a.txt\n"
        "        quote: تستمر محادثات المسار العسكري والأمني الليبية في جنيف، اليوم الجمعة، بعد استجابة حكومة الوفاق\n",
    )
    _write(project, text)
    assert _formatted(project) == []


def test_cited_file_not_in_sources_yaml(project: Project) -> None:
    _write(project, _replace(f"file: {SEED0}", "file: 000_1a27685ede925d14.txt"))
    assert _formatted(project) == [
        "facts.yaml:26:15: '000_1a27685ede925d14.txt' is not listed in seeds/sources.yaml "
        f"(did you mean '{SEED0}'?)"
    ]


def test_changed_source_text(project: Project) -> None:
    seed = project.seeds / SEED0
    data = bytearray(seed.read_bytes())
    data[-2] = ord("!") if data[-2] != ord("!") else ord("?")
    seed.write_bytes(bytes(data))
    (msg,) = _formatted(project)
    assert msg.startswith(f"seeds/{SEED0}: sha256 is ")
    assert "the text changed" in msg


def test_missing_and_unlisted_articles(project: Project) -> None:
    shutil.move(project.seeds / SEED0, project.seeds / "999_new.txt")
    problems = check_project(project)
    assert [(p.path, p.line, p.severity) for p in problems] == [
        ("seeds/999_new.txt", None, "warning"),
        ("seeds/sources.yaml", None, "error"),
    ]
    assert "not listed in sources.yaml" in problems[0].message
    assert problems[1].format() == f"seeds/sources.yaml: {SEED0} is listed but missing from seeds/"


def test_sources_yaml_problem_is_located(project: Project) -> None:
    text = project.sources_yaml.read_text(encoding="utf-8")
    project.sources_yaml.write_text(
        text.replace('  published: "2020-02-20"', '  publshed: "2020-02-20"'), encoding="utf-8"
    )
    problems = _formatted(project)
    assert "seeds/sources.yaml:5:3: unknown key 'publshed' (did you mean 'published'?)" in problems


def test_python_object_tag_is_refused(project: Project) -> None:
    _write(project, _replace("    kind: event\n", "    kind: !!python/object:os.system event\n"))
    (msg,) = _formatted(project)
    assert msg.startswith("facts.yaml:23:11: YAML tag 'tag:yaml.org,2002:python/object:os.system'")


def test_alias_is_refused(project: Project) -> None:
    text = _replace("  - id: lna\n", "  - &lna\n    id: lna\n")
    text = _replace("    participants: [gna, lna]\n", "    participants: *lna\n", text)
    _write(project, text)
    (msg,) = _formatted(project)
    assert msg.startswith("facts.yaml:")
    assert "YAML anchors (&name) are not allowed" in msg


def test_anchor_and_alias_are_located_where_written(project: Project) -> None:
    text = _replace("  - id: lna\n", "  - &lna\n    id: lna\n")
    _write(project, text)
    assert _formatted(project) == ["facts.yaml:7:5: YAML anchors (&name) are not allowed here"]
    text = _replace("    participants: [gna, lna]\n", "    participants: *lna\n")
    _write(project, text)
    assert _formatted(project) == ["facts.yaml:16:19: YAML aliases (*name) are not allowed here"]


def test_merged_candidate_still_present_is_a_warning(project: Project) -> None:
    extra = """\
  - id: c-0123456789
    date: "2020-02-18"
    summary: حكومة الوفاق تنسحب
    status: candidate
    sources:
      - file: 000_1a27685ede925d13.txt
        quote: وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء.
"""
    text = _replace(
        "    status: reviewed\n", "    status: reviewed\n    candidates: [c-0123456789]\n"
    )
    _write(project, text + extra)
    problems = check_project(project)
    assert [(p.format(), p.severity) for p in problems] == [
        (
            "facts.yaml:29:9: warning: fact 'c-0123456789' is merged into fact 'gna-withdraws' "
            "(its candidates, line 18) but is still here: delete it or set status: rejected",
            "warning",
        )
    ]


def test_all_problems_at_once_in_file_order(project: Project) -> None:
    text = _replace("    actors: [gna]\n", "    actors: [gan]\n")
    text = _replace('    date: "2020-02-18"\n', '    date: "2020-02-30"\n', text)
    text = _replace("    kind: event\n", "    kind: evnet\n", text)
    text = _replace("في وقت متأخر الثلاثاء.", "مساء الثلاثاء.", text)
    _write(project, text)
    locations = [m.split(": ", 1)[0] for m in _formatted(project)]
    assert locations == [
        "facts.yaml:19:11",
        "facts.yaml:21:14",
        "facts.yaml:23:11",
        "facts.yaml:27:16",
    ]
