"""What an archive holds: counts per site, year and author, and the last crawl runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archiver.datadir import DataDir
from archiver.runs import read_runs
from archiver.storage.records import ArticleStore, CorruptRecord


@dataclass
class ArchiveStats:
    articles: int = 0
    sites: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    authors: dict[str, int] = field(default_factory=dict)
    revised: int = 0
    corrupt: list[str] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def archive_stats(data_dir: DataDir | Path, *, top_authors: int = 20) -> ArchiveStats:
    """Scan the store once (streaming) and count."""
    data_dir = DataDir.of(data_dir)
    sites: Counter[str] = Counter()
    years: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    corrupt: list[CorruptRecord] = []
    stats = ArchiveStats()
    for record in ArticleStore(data_dir).iter_records(corrupt):
        stats.articles += 1
        sites[record.get("site") or "?"] += 1
        years[(record.get("published") or "undated")[:4]] += 1
        authors.update(record.get("authors") or [])
        stats.revised += bool(record.get("revisions"))
    stats.sites = dict(sites.most_common())
    stats.years = dict(sorted(years.items()))
    stats.authors = dict(authors.most_common(top_authors))
    stats.corrupt = [f"{c.path}: {c.error}" for c in corrupt]
    stats.runs = read_runs(data_dir)
    return stats
