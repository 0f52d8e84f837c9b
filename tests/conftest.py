"""Shared fixtures: the repository's real files, and disposable copies of them on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from project_files import copy_project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (real seeds/, facts.yaml, mkdocs.yml, site_src/)."""
    return REPO


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's inputs in tmp_path, safe to edit and to build."""
    return copy_project(tmp_path / "project")


# Property tests explore new inputs on developers' machines, and replay a fixed set in CI
# (CI=true), so that a submission's CI result does not depend on the luck of the draw.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
