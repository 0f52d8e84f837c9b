"""The benchmark scripts that BENCHMARKS.md quotes run on a project as the README says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from project_files import copy_project

REPO = Path(__file__).resolve().parents[1]


def test_the_generate_floor_script_writes_every_generated_page_and_reads_the_facts(tmp_path):
    project = copy_project(tmp_path / "story")
    generated = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "generate"],
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    pages = sum(
        1
        for folder in ("actors", "dates", "meetings", "sources")
        for _ in (project / "site_src" / folder).rglob("*.md")
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/generate_floor.py"), str(project), "--repeat", "1"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    written = re.search(r"writing ([\d,]+) pages \((\d+) MB\) in (\d+) process", result.stdout)
    assert written and int(written[1].replace(",", "")) == pages > 100, result.stdout
    read = re.search(r"reading facts\.yaml \(\d+ MB, ([\d,]+) facts\) with no cache", result.stdout)
    assert read and int(read[1].replace(",", "")) > 30, result.stdout
    # its scratch folder is gone, the generated pages untouched
    assert not list(project.glob("floor-*"))
