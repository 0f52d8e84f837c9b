"""Shared fixtures: the repository's real files, and disposable copies of them on disk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (real seeds/, facts.yaml, mkdocs.yml, site_src/)."""
    return REPO


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's inputs in tmp_path, safe to edit and to build."""
    dst = tmp_path / "project"
    dst.mkdir()
    shutil.copytree(REPO / "seeds", dst / "seeds")
    for name in ("facts.yaml", "mkdocs.yml"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dst / name)
    if (REPO / "site_src").exists():
        shutil.copytree(
            REPO / "site_src",
            dst / "site_src",
            ignore=shutil.ignore_patterns(
                "actors",
                "meetings",
                "dates",
                "sources",
                "index.md",
                "index.en.md",
                ".generated.json",
                "generated",
            ),
        )
    if (REPO / "hooks").exists():
        shutil.copytree(REPO / "hooks", dst / "hooks")
    return dst


# Property tests explore new inputs on developers' machines, and replay a fixed set in CI
# (CI=true), so that a submission's CI result does not depend on the luck of the draw.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
