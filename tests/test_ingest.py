"""Ingest on the real seeds: sources.yaml, boilerplate removal, sentence spans, bad files."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.ingest import (
    add_sources,
    load_sources,
    read_article,
    read_corpus,
    split_sentences,
)
from generator.model import InputError

SEED_SHA = {
    "000_1a27685ede925d13.txt": "89e066b10ecdfc9fb31e294445ac29e607664f1fa32c9b0819c4827a2f7a1a23",
    "001_1231ecc439629b3a.txt": "676b1fcecda7f358dd6aac18c080b78741e0721ea20b61b867c4acbb6c95f07c",
    "002_3ea420536559d97a.txt": "1376b26cb6399ac3683250f50fa32f66b1cd24470865b29df4e4ee65f2470e0c",
    "003_05d1012631864596.txt": "57050d07a328db976e529b2d4a131d47caab11e046e7b4779b79b9b212fa872d",
    "004_1243eb3aa8ecf769.txt": "367358f32e6ba46a78aa52026c20b367ca34a6db6f3a42d6b57fed0c4ecca14b",
}


def test_seeds_are_byte_for_byte_and_listed(repo: Path):
    for name, sha in SEED_SHA.items():
        assert hashlib.sha256((repo / "seeds" / name).read_bytes()).hexdigest() == sha
    metas = {m.file: m for m in load_sources(repo / "seeds")}
    assert set(metas) == set(SEED_SHA)
    assert {m.sha256 for m in metas.values()} == set(SEED_SHA.values())
    assert metas["001_1231ecc439629b3a.txt"].outlet == "العربي الجديد"
    assert metas["000_1a27685ede925d13.txt"].published == date(2020, 2, 20)
    assert metas["004_1243eb3aa8ecf769.txt"].published == date(2020, 1, 14)
    assert metas["003_05d1012631864596.txt"].id == "003-05d1012631864596"


@pytest.fixture(scope="module")
def corpus(repo: Path):
    articles, warnings = read_corpus(repo / "seeds")
    assert warnings == []
    return {a.meta.file: a for a in articles}


def test_sentences_are_verbatim_spans(corpus):
    for article in corpus.values():
        assert article.sentences
        for s in article.sentences:
            assert article.raw[s.start : s.end] == s.text
            assert s.text == s.text.strip()
            assert not s.text.endswith(",")


def test_boilerplate_is_dropped(corpus):
    a = corpus["001_1231ecc439629b3a.txt"]
    body = " ".join(s.text for s in a.sentences)
    assert a.title == "استئناف الجولة الثانية من المحادثات العسكرية الليبية في جنيف"
    assert "الخط" not in body  # the font widget
    assert "فابريس كوفريني" not in body  # the photo caption
    assert a.title not in body  # the repeated headline
    assert not any(s.text == "21 فبراير 2020" for s in a.sentences)  # bare dateline
    tail = corpus["004_1243eb3aa8ecf769.txt"].sentences[-1].text
    assert "aXA6" not in tail and "جزيرة ام اند امز" not in tail
    assert tail.startswith("وأحرز الجيش الليبي")


def test_scraper_joins_split_sentences(corpus):
    texts = [s.text for s in corpus["000_1a27685ede925d13.txt"].sentences]
    assert "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء." in texts
    assert any(
        t.startswith("وقال المتحدث باسم بعثة الأمم المتحدة في ليبيا جان العلم") for t in texts
    )
    # the ")," join in 003 ends a sentence too
    t003 = [s.text for s in corpus["003_05d1012631864596.txt"].sentences]
    assert any(t.endswith("(أو ما يعرف بلجنة 5+5)") for t in t003)
    assert any(t.startswith('في حين أفادت مصادر "العربية" صباح الأربعاء') for t in t003)


def test_ellipsis_and_decimals_do_not_split():
    raw = 'وأضاف "نحاول أيضا ... المساعدة". ارتفع 2.5 في المئة.'
    parts = [s.text for s in split_sentences(raw, 0, len(raw))]
    assert parts == ['وأضاف "نحاول أيضا ... المساعدة".', "ارتفع 2.5 في المئة."]


def _copy_seeds(repo: Path, tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(repo / "seeds", seeds)
    return seeds


def test_changed_text_is_refused(repo: Path, tmp_path: Path):
    seeds = _copy_seeds(repo, tmp_path)
    f = seeds / "002_3ea420536559d97a.txt"
    f.write_bytes(f.read_bytes().replace("الثلاثاء".encode(), "الأربعاء".encode(), 1))
    with pytest.raises(InputError) as e:
        read_corpus(seeds)
    [p] = e.value.problems
    assert p.path == "seeds/002_3ea420536559d97a.txt"
    assert "sha256" in p.message and "never edited in place" in p.message


def test_windows_1256_is_recognised(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    data = "قال السراج إن المحادثات ستستأنف.\n".encode("cp1256")
    (seeds / "a.txt").write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    (seeds / "sources.yaml").write_text(
        f"- file: a.txt\n  published: '2020-02-20'\n  outlet: null\n  sha256: {sha}\n", "utf-8"
    )
    [meta] = load_sources(seeds)
    with pytest.raises(InputError) as e:
        read_article(seeds, meta)
    [p] = e.value.problems
    assert p.format().startswith("seeds/a.txt:1:1: ")
    assert "Windows-1256" in p.message and "iconv -f WINDOWS-1256 -t UTF-8" in p.message


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary")],
)
def test_empty_and_binary_articles(tmp_path: Path, content: bytes, message: str):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    (seeds / "sources.yaml").write_text(
        f"- file: a.txt\n  published: null\n  outlet: null\n  sha256: {sha}\n", "utf-8"
    )
    with pytest.raises(InputError) as e:
        read_corpus(seeds)
    assert message in e.value.problems[0].message


def test_missing_and_unlisted_files(repo: Path, tmp_path: Path):
    seeds = _copy_seeds(repo, tmp_path)
    (seeds / "004_1243eb3aa8ecf769.txt").rename(seeds / "zz_new.txt")
    with pytest.raises(InputError) as e:
        read_corpus(seeds)
    [p] = e.value.problems
    assert p.path == "seeds/sources.yaml"
    assert "004_1243eb3aa8ecf769.txt is listed but missing" in p.message
    # once the listed file is back, the extra one is only a warning that says how to add it
    shutil.copy(seeds / "zz_new.txt", seeds / "004_1243eb3aa8ecf769.txt")
    _, warnings = read_corpus(seeds)
    [w] = warnings
    assert w.severity == "warning" and w.path == "seeds/zz_new.txt"
    assert "explainer add" in w.message


def test_sources_yaml_errors_are_located(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "sources.yaml").write_text(
        "- file: a.txt\n  published: 2020-02-30\n  outlet: x\n  sha256: " + "0" * 64 + "\n"
        "- file: b.txt\n  publishd: '2020-01-01'\n  sha256: " + "0" * 64 + "\n",
        "utf-8",
    )
    with pytest.raises(InputError) as e:
        load_sources(seeds)
    lines = [p.format() for p in e.value.problems]
    assert "seeds/sources.yaml:2:14: published '2020-02-30' is not a YYYY-MM-DD date" in lines
    assert any(
        line.startswith(
            "seeds/sources.yaml:6:3: unknown key 'publishd' (did you mean 'published'?)"
        )
        for line in lines
    )


def test_add_writes_an_entry_with_its_sha(repo: Path, tmp_path: Path):
    seeds = _copy_seeds(repo, tmp_path)
    before = (seeds / "sources.yaml").read_text("utf-8")
    text = "أعلنت البعثة الأممية اليوم الاثنين استئناف المحادثات.\n"
    (seeds / "005_new.txt").write_text(text, "utf-8")
    assert add_sources(seeds, ["005_new.txt"], date(2020, 3, 2), "وكالة") == ["005_new.txt"]
    after = (seeds / "sources.yaml").read_text("utf-8")
    assert after.startswith(before)  # nothing an editor wrote is touched
    metas = {m.file: m for m in load_sources(seeds)}
    assert metas["005_new.txt"].sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert metas["005_new.txt"].published == date(2020, 3, 2)
    with pytest.raises(InputError):
        add_sources(seeds, ["005_new.txt"], None, None)
    assert metas["005_new.txt"].outlet_en is None


def test_add_from_the_command_line_with_the_outlet_in_english(repo: Path, tmp_path: Path):
    """`explainer add FILE --published --outlet --outlet-en`: the English edition names the
    outlet as the editor wrote it."""
    from click.testing import CliRunner

    from generator.cli import cli

    seeds = _copy_seeds(repo, tmp_path)
    (seeds / "005_new.txt").write_text("أعلنت البعثة الأممية استئناف المحادثات.\n", "utf-8")
    args = ["--root", str(seeds.parent), "add", str(seeds / "005_new.txt")]
    args += ["--published", "2020-03-02", "--outlet", "الوسط", "--outlet-en", "Al-Wasat"]
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 0, result.output
    meta = {m.file: m for m in load_sources(seeds)}["005_new.txt"]
    assert (meta.outlet, meta.outlet_en) == ("الوسط", "Al-Wasat")
    assert meta.published == date(2020, 3, 2)


def test_sources_yaml_read_through_its_cache_is_read_afresh(
    repo: Path, tmp_path: Path, monkeypatch
):
    """Kept from one run to the next (it is read at every generation), the sources are those
    of the file as it is now: after an edit, the edited ones; after a broken edit, the
    located problems, every time."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    seeds = _copy_seeds(repo, tmp_path)
    cache = tmp_path / "cache"
    text = (seeds / "sources.yaml").read_text("utf-8")
    assert load_sources(seeds, cache=cache) == load_sources(seeds)
    assert load_sources(seeds, cache=cache) == load_sources(seeds)  # from the cache
    assert len(list(cache.glob("*.items"))) == 1
    edited = text.replace("outlet: null", "outlet: وكالة أخرى", 1)
    assert edited != text
    (seeds / "sources.yaml").write_text(edited, "utf-8")
    now = load_sources(seeds, cache=cache)
    assert now == load_sources(seeds) and now[0].outlet == "وكالة أخرى"
    assert len(list(cache.glob("*.items"))) == 1  # the last version only
    broken = edited.replace("published:", "publishd:", 1)
    (seeds / "sources.yaml").write_text(broken, "utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as e:
            load_sources(seeds, cache=cache)
        assert "unknown key 'publishd'" in e.value.problems[0].format()
    (seeds / "sources.yaml").write_text(text, "utf-8")
    assert load_sources(seeds, cache=cache) == load_sources(seeds)
