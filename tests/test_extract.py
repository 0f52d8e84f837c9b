"""Extract on the real seeds: dated sentences, their actors and meetings, stable ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.extract import candidate_id, extract_article, extract_corpus
from generator.ingest import load_sources, read_corpus
from generator.model import Actor, Meeting

ACTORS = (
    Actor("gna", "حكومة الوفاق", "body", ("الوفاق", "حكومة الوفاق الوطني", "حكومة فايز السراج")),
    Actor("fayez-al-sarraj", "فايز السراج", "person", ("السراج",)),
    Actor("unsc", "مجلس الأمن الدولي", "body", ("مجلس الأمن",)),
    Actor("ghassan-salame", "غسان سلامة", "person", ("سلامة",)),
    Actor("lna", "الجيش الوطني الليبي", "body", ("الجيش الليبي",)),
)
MEETINGS = (
    Meeting(
        "geneva-jmc-2020-02",
        "الجولة الثانية من محادثات اللجنة العسكرية المشتركة",
        place="جنيف",
        start="2020-02-18",
        end="2020-02-23",
        aliases=("اجتماع الـ5+5",),
    ),
)


@pytest.fixture(scope="module")
def articles(repo: Path):
    arts, _ = read_corpus(repo / "seeds")
    return {a.meta.file: a for a in arts}


def by_quote(extraction, start: str):
    [c] = [c for c in extraction.candidates if c.quote.startswith(start)]
    return c


def test_withdrawal_is_dated_tuesday_18_february(articles):
    ex = extract_article(articles["000_1a27685ede925d13.txt"], ACTORS, MEETINGS)
    c = by_quote(ex, "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار")
    assert c.date == "2020-02-18"
    assert "الثلاثاء" in c.expression
    assert c.actors == ("gna",)
    assert c.file == "000_1a27685ede925d13.txt"
    assert c.id == candidate_id(c.file, c.quote)


def test_security_council_resolution_takes_its_own_date_not_the_background(articles):
    ex = extract_article(articles["000_1a27685ede925d13.txt"], ACTORS, MEETINGS)
    c = by_quote(ex, "وتبنى مجلس الأمن الدولي في 12 شباط/فبراير")
    assert (c.date, c.expression) == ("2020-02-12", "12 شباط/فبراير")
    assert "unsc" in c.actors and "lna" in c.actors


def test_plans_statements_and_meetings(articles):
    ex = extract_article(articles["000_1a27685ede925d13.txt"], ACTORS, MEETINGS)
    plan = by_quote(ex, "لكن سلامة أوضح أن وقف النار هذا ليس")
    assert (plan.date, plan.kind) == ("2020-02-26", "plan")
    said = by_quote(ex, "وأكد سلامة الثلاثاء")
    assert (said.date, said.kind, said.actors) == ("2020-02-18", "statement", ("ghassan-salame",))
    # with no alias in the sentence, the meeting is inferred from the place and the date
    started = by_quote(ex, "وكانت الجولة الثانية من المحادثات")
    assert started.date == "2020-02-18" and started.meeting == "geneva-jmc-2020-02"


def test_undated_sentences_are_not_candidates(articles):
    ex = extract_article(articles["004_1243eb3aa8ecf769.txt"], ACTORS, MEETINGS)
    quotes = [c.quote for c in ex.candidates]
    assert not any(q.startswith("وجاء في المسودة أن تلتزم الأطراف") for q in quotes)
    # "الآن" is not a date
    assert not any(q.startswith("قال المتحدث باسم الأمم المتحدة ستيفان دوجاريك") for q in quotes)


def test_titled_newcomers_become_actor_candidates(articles):
    ex = extract_article(articles["004_1243eb3aa8ecf769.txt"], ACTORS, MEETINGS)
    people = {a.name: a.role for a in ex.actor_candidates}
    assert people.get("سيرجي لافروف") == "وزير الخارجية الروسي"
    assert people.get("ستيفان دوجاريك") == "المتحدث باسم الأمم المتحدة"


def test_a_date_after_a_title_is_not_a_person(articles):
    """A title followed by a date ("the special envoy ... on 13 August", "the spokesman late
    last June") proposes no actor named after the date."""
    article = articles["004_1243eb3aa8ecf769.txt"]
    added = (
        "\n\nوقال المبعوث الخاص عماد المسماري في 13 آب/أغسطس إن المحادثات ستستأنف.\n"
        "وأعلن الناطق الرسمي أواخر يونيو الماضي أن الهدنة صامدة.\n"
    )
    ex = extract_article(replace(article, raw=article.raw + added, parsed=False), ACTORS, MEETINGS)
    dated = {c.quote for c in ex.candidates}
    assert any(q.startswith("وقال المبعوث الخاص عماد المسماري") for q in dated)  # read as dated
    names = {a.name for a in ex.actor_candidates}
    assert not names & {"آب/أغسطس", "أواخر يونيو الماضي", "يونيو الماضي"}, names
    assert "سيرجي لافروف" in names  # the article's own newcomers are still proposed


def test_ids_do_not_depend_on_order_or_other_articles(articles, repo: Path, tmp_path: Path):
    arts = sorted(articles.values(), key=lambda a: a.meta.file)
    forward = extract_corpus(arts, ACTORS, MEETINGS)
    backward = extract_corpus(list(reversed(arts)), ACTORS, MEETINGS)
    assert {c.id for e in forward for c in e.candidates} == {
        c.id for e in backward for c in e.candidates
    }
    alone = extract_corpus([articles["002_3ea420536559d97a.txt"]], ACTORS, MEETINGS)
    assert alone[0] == next(e for e in forward if e.file == "002_3ea420536559d97a.txt")
    # parallel workers and the cache give exactly the same extraction
    assert extract_corpus(arts, ACTORS, MEETINGS, jobs=2) == forward
    cache = tmp_path / "cache"
    assert extract_corpus(arts, ACTORS, MEETINGS, cache_dir=cache) == forward
    assert any(cache.rglob("*.json"))
    assert extract_corpus(arts, ACTORS, MEETINGS, cache_dir=cache) == forward


def test_no_publication_date_means_no_relative_dates(articles):
    article = articles["002_3ea420536559d97a.txt"]
    undated = replace(article, meta=replace(article.meta, published=None))
    ex = extract_article(undated, ACTORS, MEETINGS)
    assert ex.candidates
    assert all(c.date is None for c in ex.candidates)  # 002 has only relative dates


def test_dask_local_cluster_gives_the_same_candidates(articles, repo: Path):
    distributed = pytest.importorskip("distributed")
    from generator.cluster import extract_with_dask

    metas = load_sources(repo / "seeds")
    arts = sorted(articles.values(), key=lambda a: a.meta.file)
    expected = extract_corpus(arts, ACTORS, MEETINGS)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        got = extract_with_dask(repo / "seeds", metas, ACTORS, MEETINGS, partitions=3)
    assert got == expected


def test_a_family_name_is_the_person_the_article_named_in_full(articles):
    """Two people the index knows by one family name: a sentence that shortens the name is the
    one the article named in full, and a full name is only its bearer. (Extract listed every
    bearer of the family name under both facts.)"""
    cousins = (
        Actor("adel-ghariani", "عادل الغرياني", "person", ("الغرياني",)),
        Actor("nouri-ghariani", "نوري الغرياني", "person", ("الغرياني",)),
    )
    article = articles["004_1243eb3aa8ecf769.txt"]
    added = (
        "\n\nووصل نوري الغرياني إلى جنيف في 13 آب/أغسطس 2020 للقاء الوفد.\n"
        "وقال الغرياني في 14 آب/أغسطس 2020 إن الهدنة صامدة.\n"
    )
    ex = extract_article(
        replace(article, raw=article.raw + added, parsed=False), ACTORS + cousins, MEETINGS
    )
    assert by_quote(ex, "ووصل نوري الغرياني").actors == ("nouri-ghariani",)
    assert by_quote(ex, "وقال الغرياني").actors == ("nouri-ghariani",)
