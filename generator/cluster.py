"""Extraction on a Dask cluster, for corpora beyond one machine.

`extract_article` is a pure function of one article and the index's known entities, so it maps
over a Dask bag unchanged: the articles are read where they live (each partition reads its own
files), the entities are broadcast once, and the candidates come back to be merged into
facts.yaml by the one process that owns it. Nothing here is specific to a laptop: point
`client` at a scheduler address and the same code runs on many machines.

Install the optional dependencies with `pip install -e '.[dist]'`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .extract import extract_article
from .ingest import read_article
from .model import Actor, Extraction, Meeting, SourceMeta


def _extract_partition(
    metas: list[SourceMeta],
    seeds_dir: str,
    actors: tuple[Actor, ...],
    meetings: tuple[Meeting, ...],
) -> list[Extraction]:
    from .entities import EntityMatcher

    matcher = EntityMatcher(actors, meetings)
    out = []
    for meta in metas:
        article = read_article(Path(seeds_dir), meta)
        out.append(extract_article(article, actors, meetings, matcher))
    return out


def extract_with_dask(
    seeds_dir: Path,
    metas: Sequence[SourceMeta],
    actors: Sequence[Actor],
    meetings: Sequence[Meeting],
    partitions: int | None = None,
) -> list[Extraction]:
    """Extract every listed article with dask.bag on the current Dask client (or scheduler).

    Results come back in file-name order, the same as `extract_corpus`, so merging them gives
    a byte-identical facts.yaml.
    """
    import dask.bag as db

    ordered = sorted(metas, key=lambda m: m.file)
    npart = partitions or max(1, min(len(ordered), 64))
    bag = db.from_sequence(ordered, npartitions=npart)
    results = bag.map_partitions(
        _extract_partition, str(seeds_dir), tuple(actors), tuple(meetings)
    ).compute()
    return sorted(results, key=lambda e: e.file)
