"""The command line as users and outside checks call it: exit codes, messages, determinism."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def explainer(*args: str, cwd: Path, env: dict | None = None, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_dates_prints_the_contract_json(repo: Path):
    seed = repo / "seeds" / "000_1a27685ede925d13.txt"
    out = explainer("dates", "--published", "2020-02-20", str(seed), cwd=repo)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    text = seed.read_text("utf-8")
    for item in found:
        assert text[item["start"] : item["end"]] == item["text"]
    values = {item["text"]: item["value"] for item in found}
    assert values["12 شباط/فبراير"] == "2020-02-12"
    assert values["نيسان/إبريل 2019"] == "2019-04"
    assert not any("5+5" in item["text"] for item in found)
    # without a publication date relative expressions are null, never "today"
    bare = json.loads(explainer("dates", "-", cwd=repo, stdin="قال أمس الأربعاء").stdout)
    assert [d["value"] for d in bare] == [None]


def test_usage_errors_exit_2_and_bad_input_exits_1_without_traceback(repo: Path, tmp_path: Path):
    out = explainer("dates", "--published", "2020-02-31", "-", cwd=repo, stdin="")
    assert out.returncode == 2 and "2020-02-31" in out.stderr
    out = explainer("export", "--format", "pdf", cwd=repo)
    assert out.returncode == 2
    bad = tmp_path / "bad.txt"
    bad.write_bytes("قال".encode("cp1256"))
    out = explainer("dates", str(bad), cwd=repo)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert f"{bad}:1:1: " in out.stderr and "Windows-1256" in out.stderr


def test_malformed_facts_yaml_is_reported_and_nothing_written(project_copy: Path):
    facts = project_copy / "facts.yaml"
    broken = facts.read_text("utf-8").replace("\nfacts:", "\nfacts: [", 1)
    facts.write_text(broken, "utf-8")
    before = facts.read_bytes()
    for command in ("check", "extract", "generate"):
        out = explainer(command, cwd=project_copy)
        assert out.returncode == 1, (command, out.stderr)
        assert "Traceback" not in out.stderr
        assert out.stderr.startswith("facts.yaml:"), out.stderr
        assert facts.read_bytes() == before
    assert not (project_copy / "site_src" / "actors").exists()


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_inputs_same_bytes_whatever_the_timezone_and_locale(
    project_copy: Path, tmp_path: Path
):
    """extract + generate under two timezones and locales give byte-identical outputs."""
    runs = []
    for i, env in enumerate(
        [
            {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
            {"TZ": "Pacific/Kiritimati", "LANG": "ar_EG.UTF-8", "LC_ALL": ""},
        ]
    ):
        work = tmp_path / f"run{i}"
        shutil.copytree(project_copy, work)
        # the seed files are listed in another order on disk in the second run
        if i == 1:
            for f in sorted((work / "seeds").glob("*.txt"), reverse=True):
                f.rename(f.with_suffix(".tmp"))
                f.with_suffix(".tmp").rename(f)
        for command in ("extract", "generate"):
            out = explainer(command, cwd=work, env=env)
            assert out.returncode == 0, out.stderr
        runs.append(((work / "facts.yaml").read_bytes(), _tree_digest(work / "site_src")))
    assert runs[0][0] == runs[1][0]
    assert runs[0][1] == runs[1][1]


def test_extract_twice_changes_nothing(project_copy: Path):
    assert explainer("extract", cwd=project_copy).returncode == 0
    first = (project_copy / "facts.yaml").read_bytes()
    out = explainer("extract", cwd=project_copy)
    assert out.returncode == 0
    assert (project_copy / "facts.yaml").read_bytes() == first
    assert "0 new candidates" in out.stderr


@pytest.mark.parametrize("command", ["check", "generate"])
def test_commands_work_from_the_root_with_no_arguments(repo: Path, command: str, tmp_path: Path):
    work = tmp_path / "p"
    shutil.copytree(repo, work, ignore=shutil.ignore_patterns(".git", "site", "tests", "*.pyc"))
    out = explainer(command, cwd=work)
    assert out.returncode == 0, out.stderr


def test_generate_again_does_nothing_until_an_input_changes(project_copy: Path):
    """A no-op generate neither reads facts.yaml nor touches a page; an edit regenerates."""
    first = explainer("generate", cwd=project_copy)
    assert first.returncode == 0, first.stderr
    site = project_copy / "site_src"
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.md")}
    again = explainer("generate", cwd=project_copy)
    assert again.returncode == 0 and "0 pages written" in again.stderr + again.stdout
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*.md")} == pages
    facts = project_copy / "facts.yaml"
    text = facts.read_text("utf-8")
    facts.write_text(text + "# an editor's comment\n", "utf-8")
    edited = explainer("generate", cwd=project_copy)  # read again: nothing differs on the pages
    assert edited.returncode == 0 and "0 pages written" in edited.stderr + edited.stdout
    facts.write_text(text.replace("\nfacts:", "\nfacts: [", 1), "utf-8")
    broken = explainer("generate", cwd=project_copy)  # an edit is read, so its errors are seen
    assert broken.returncode == 1 and "facts.yaml:" in broken.stderr
    forced = explainer("generate", "--force", cwd=project_copy)
    assert forced.returncode == 1


def test_generate_follows_mkdocs_yml_and_its_environment_for_the_english_edition(
    project_copy: Path,
):
    """`explainer generate` writes the English pages when mkdocs.yml builds that edition
    (its `build: !ENV [EXPLAINER_ENGLISH, true]`), remembering the answer between runs: a
    change of the variable, or of mkdocs.yml, is seen at once."""
    site = project_copy / "site_src"

    def english_pages() -> int:
        return len(list(site.rglob("actors/*.en.md")))

    for value, expected in (("false", False), ("false", False), ("true", True), ("false", False)):
        result = explainer("generate", cwd=project_copy, env={"EXPLAINER_ENGLISH": value})
        assert result.returncode == 0, result.stderr
        assert (english_pages() > 0) is expected, value
    mkdocs_yml = project_copy / "mkdocs.yml"
    text = mkdocs_yml.read_text("utf-8")
    assert "build: !ENV [EXPLAINER_ENGLISH, true]" in text
    mkdocs_yml.write_text(text.replace("!ENV [EXPLAINER_ENGLISH, true]", "true"), "utf-8")
    result = explainer("generate", cwd=project_copy, env={"EXPLAINER_ENGLISH": "false"})
    assert result.returncode == 0 and english_pages() > 0, result.stderr


def _on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run explainer with its output on a pseudo-terminal, as a person at a shell sees it."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # a real terminal has a size (a fresh pseudo-terminal's is 0 x 0, where tqdm draws nothing)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("command", "bar", "summary"),
    [
        (("extract", "--no-cache"), "extract", "5 articles read"),
        (("check",), "reading seeds", "facts.yaml and seeds/ are valid"),
    ],
)
def test_long_commands_show_a_bar_on_a_terminal_and_plain_lines_otherwise(
    project_copy: Path, command, bar, summary
):
    status, shown = _on_a_terminal(*command, cwd=project_copy)
    assert status == 0, shown
    assert f"{bar}:" in shown and "article" in shown, shown  # tqdm's "desc: n/total … article/s"
    assert summary in shown.splitlines()[-1], shown
    plain = explainer(*command, cwd=project_copy)
    assert plain.returncode == 0 and f"{bar}:" not in plain.stderr + plain.stdout
    quiet = explainer("-q", *command, cwd=project_copy)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
