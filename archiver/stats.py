"""What an archive holds: counts per site, year and author, and the last crawl runs."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archiver.store import ArticleStore, CorruptRecord

RUN_LOG = Path("state") / "runs.jsonl"


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


def last_runs(data_dir: Path, count: int = 5) -> list[dict[str, Any]]:
    """The newest entries of the run log (unreadable lines skipped)."""
    path = data_dir / RUN_LOG
    if not path.exists():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            runs.append(json.loads(line))
        except ValueError:
            continue
    return runs[-count:]


def archive_stats(data_dir: Path, *, top_authors: int = 20) -> ArchiveStats:
    """Scan the store once (streaming) and count."""
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
    stats.runs = last_runs(data_dir)
    return stats
