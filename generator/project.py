"""Where a project's files live: the layout of the design card, rooted anywhere.

Every command works from the project root with no arguments (CONTRACTS.md); tests and the
benchmark run the same commands on other roots (a temporary copy, a synthetic corpus), so the
paths are gathered here instead of being spelt out in each stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def sources_yaml(self) -> Path:
        return self.root / "seeds" / "sources.yaml"

    @property
    def facts(self) -> Path:
        return self.root / "facts.yaml"

    @property
    def site_src(self) -> Path:
        return self.root / "site_src"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def cache(self) -> Path:
        """Extraction cache, keyed by content hash; untracked (.gitignore)."""
        return self.root / ".explainer-cache"

    @property
    def facts_cache(self) -> Path:
        """The facts of facts.yaml already read, by their text (factindex.read_index)."""
        return self.cache / "facts"

    @property
    def sources_cache(self) -> Path:
        """seeds/sources.yaml as last read (ingest.load_sources)."""
        return self.cache / "sources"

    @property
    def editions_stamp(self) -> Path:
        """Whether mkdocs.yml builds the English edition, as last worked out (cli)."""
        return self.cache / "editions.json"

    @property
    def pages_stamp(self) -> Path:
        """What the last page generation was made from (pages.generate_if_changed)."""
        return self.cache / "pages-stamp.json"

    def display(self, path: Path) -> str:
        """A path as shown in problems: relative to the root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
