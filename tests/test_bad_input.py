"""Bad and hostile input through the real command line: located messages, exit 1, no traceback,
nothing written. One case per kind of mistake an editor, a stranger's pull request or the web
can make."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

LOCATED = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$", re.M)


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file()
    }


def assert_refused(project: Path, command: str, path: str, line: int | None, fragment: str):
    before = snapshot(project)
    out = run(project, command)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    if line is None:
        assert any(
            ln.startswith(f"{path}:") and fragment in ln for ln in out.stderr.splitlines()
        ), out.stderr
    else:
        hits = [
            m
            for m in LOCATED.finditer(out.stderr)
            if m["path"] == path and int(m["line"]) == line and fragment in m["msg"]
        ]
        assert hits, out.stderr
    assert snapshot(project) == before, f"{command} wrote something"


def append_fact(project: Path, text: str) -> int:
    """Append raw YAML to the facts list; return the 1-based line where it starts."""
    facts = project / "facts.yaml"
    content = facts.read_text("utf-8")
    if not content.endswith("\n"):
        content += "\n"
    line = content.count("\n") + 1
    facts.write_text(content + text, "utf-8")
    return line


FACT = """\
  - id: test-fact
    date: "2020-02-18"
    summary: نص
    kind: event
    status: reviewed
    sources:
      - file: 000_1a27685ede925d13.txt
        quote: وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء.
"""


@pytest.mark.parametrize("command", ["check", "extract", "generate"])
def test_malformed_yaml(project_copy: Path, command: str):
    line = append_fact(project_copy, '  - id: "unterminated\n')
    assert_refused(project_copy, command, "facts.yaml", line + 1, "YAML syntax error")


def test_wrong_type(project_copy: Path):
    line = append_fact(project_copy, FACT.replace('date: "2020-02-18"', "date: [2020]"))
    assert_refused(project_copy, "check", "facts.yaml", line + 1, "date")


def test_unknown_key_says_did_you_mean(project_copy: Path):
    line = append_fact(project_copy, FACT.replace("    summary:", "    sumary:"))
    assert_refused(project_copy, "check", "facts.yaml", line + 2, "did you mean 'summary'")


def test_unknown_actor_says_did_you_mean(project_copy: Path):
    line = append_fact(
        project_copy, FACT.replace("    kind: event", "    actors: [gnaa]\n    kind: event")
    )
    assert_refused(project_copy, "check", "facts.yaml", line + 3, "did you mean 'gna'")


def test_python_object_tag_is_refused(project_copy: Path):
    line = append_fact(
        project_copy,
        FACT.replace("summary: نص", "summary: !!python/object/apply:os.system [touch pwned]"),
    )
    assert_refused(project_copy, "check", "facts.yaml", line + 2, "tag")
    assert not (project_copy / "pwned").exists()


def test_alias_bomb_is_refused(project_copy: Path):
    bomb = '  - id: bomb\n    summary: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(f"    x{i}: &a{i} [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n" for i in range(1, 10))
    line = append_fact(project_copy, bomb)
    assert_refused(project_copy, "check", "facts.yaml", line + 1, "anchors")


def test_file_over_the_size_bound(project_copy: Path):
    facts = project_copy / "facts.yaml"
    facts.write_text(facts.read_text("utf-8") + "#" * (51 * 1024 * 1024) + "\n", "utf-8")
    assert_refused(project_copy, "check", "facts.yaml", None, "over the limit")


def test_seed_in_windows_1256(project_copy: Path):
    data = "قال السراج إن المحادثات ستستأنف.\n".encode("cp1256")
    _replace_seed(project_copy, data)
    assert_refused(
        project_copy, "check", "seeds/004_1243eb3aa8ecf769.txt", 1, "iconv -f WINDOWS-1256"
    )


@pytest.mark.parametrize(("data", "fragment"), [(b"", "empty"), (b"\x00\xff\x00binary", "binary")])
def test_empty_or_binary_seed(project_copy: Path, data: bytes, fragment: str):
    _replace_seed(project_copy, data)
    assert_refused(project_copy, "check", "seeds/004_1243eb3aa8ecf769.txt", None, fragment)


def test_changed_seed(project_copy: Path):
    seed = project_copy / "seeds" / "004_1243eb3aa8ecf769.txt"
    seed.write_bytes(seed.read_bytes() + b" ")
    assert_refused(project_copy, "check", "seeds/004_1243eb3aa8ecf769.txt", None, "sha256")
    assert_refused(project_copy, "extract", "seeds/004_1243eb3aa8ecf769.txt", None, "sha256")


def test_listed_seed_missing(project_copy: Path):
    (project_copy / "seeds" / "004_1243eb3aa8ecf769.txt").unlink()
    assert_refused(project_copy, "check", "seeds/sources.yaml", None, "missing")


def test_unlisted_seed_is_a_warning_with_how_to_add_it(project_copy: Path):
    (project_copy / "seeds" / "005_new.txt").write_text("قال السراج اليوم إن.\n", "utf-8")
    out = run(project_copy, "check")
    assert "Traceback" not in out.stderr
    assert "seeds/005_new.txt: warning: not listed in sources.yaml" in out.stderr
    assert "explainer add seeds/005_new.txt" in out.stderr


def _replace_seed(project: Path, data: bytes) -> None:
    """Replace seed 004 with `data` and record its new sha256, so only the content is wrong."""
    seed = project / "seeds" / "004_1243eb3aa8ecf769.txt"
    old = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(data)
    sources = project / "seeds" / "sources.yaml"
    sources.write_text(
        sources.read_text("utf-8").replace(old, hashlib.sha256(data).hexdigest()), "utf-8"
    )
