"""Search and reindex of an archive: the library behind ``archiver search`` and ``reindex``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from index import ArticleIndex, SearchResults, rebuild

from archiver.store import ArticleStore, CorruptRecord


def index_dir(data_dir: Path) -> Path:
    return data_dir / "index"


def open_index(data_dir: Path) -> ArticleIndex:
    """The archive's index, or a one-line error that says how to build it."""
    return ArticleIndex.open(index_dir(data_dir))


def search_archive(
    data_dir: Path,
    query: str,
    *,
    site: str | None = None,
    author: str | None = None,
    since: date | None = None,
    until: date | None = None,
    sort: str = "relevance",
    limit: int = 10,
    page: int = 1,
    changed: bool = False,
) -> SearchResults:
    """Run one query against the archive's index."""
    index = open_index(data_dir)
    try:
        return index.search(query, site=site, author=author, since=since, until=until, sort=sort, limit=limit,
                            page=page, changed=changed)
    finally:
        index.close()


@dataclass
class ReindexResult:
    indexed: int
    corrupt: list[CorruptRecord] = field(default_factory=list)


def reindex_archive(data_dir: Path, progress: Callable[[int], None] | None = None) -> ReindexResult:
    """Rebuild the index from the JSON store alone (unreadable records are skipped and listed)."""
    corrupt: list[CorruptRecord] = []
    count = rebuild(index_dir(data_dir), ArticleStore(data_dir).iter_records(corrupt), progress=progress)
    return ReindexResult(count, corrupt)

