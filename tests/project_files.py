"""The project's inputs copied to a scratch folder: what tests edit, build and serve.

Generated pages are left behind (a copy starts as a fresh clone does), so that every build of
a copy generates its pages itself, as `mkdocs build` does on a maintainer's machine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.pages import GENERATED_ENTRIES

REPO = Path(__file__).resolve().parents[1]


def copy_project(dst: Path) -> Path:
    """seeds/, facts.yaml, mkdocs.yml, hooks/ and the hand-written part of site_src/, in dst."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "seeds", dst / "seeds")
    for name in ("facts.yaml", "mkdocs.yml"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dst / name)
    if (REPO / "hooks").exists():
        shutil.copytree(REPO / "hooks", dst / "hooks")
    if (REPO / "site_src").exists():
        top = str(REPO / "site_src")
        shutil.copytree(
            REPO / "site_src",
            dst / "site_src",
            ignore=lambda folder, names: [
                n for n in names if folder == top and n in GENERATED_ENTRIES
            ],
        )
    return dst
