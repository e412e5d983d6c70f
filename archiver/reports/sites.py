"""The sites of an archive at a glance: articles per site, the latest crawl and its health warnings.

Counts come from the index (its ``site`` postings) and crawls from the run log, so the
overview costs the same whatever the size of the store: no record is read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index import ArticleIndex
from index.facets import facet_rows

from archiver.datadir import DataDir
from archiver.indexing import index_for
from archiver.reports.health import archive_health


@dataclass
class SiteSummary:
    site: str
    articles: int  #: in the index now
    last_crawl: str | None = None  #: end of the latest logged run that crawled the site
    last_stored: int | None = None  #: versions that run stored for the site
    crawls: int = 0  #: logged runs that crawled the site
    warnings: list[str] = field(default_factory=list)  #: extraction health of the latest run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SitesOverview:
    sites: list[SiteSummary]  #: most articles first

    @property
    def articles(self) -> int:
        return sum(s.articles for s in self.sites)

    @property
    def warnings(self) -> list[str]:
        return [w for s in self.sites for w in s.warnings]

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "sites": [s.to_dict() for s in self.sites], "warnings": self.warnings}


def sites_overview(data_dir: DataDir | Path, index: ArticleIndex | None = None) -> SitesOverview:
    """Every site in the index or the run log, with its article count, latest crawl and warnings."""
    data_dir = DataDir.of(data_dir)
    with index_for(data_dir, index) as index:
        rows = facet_rows(index, None, split="site")
    counts = Counter(site for row in rows for site in row.groups)
    health = archive_health(data_dir, scan_store=False)
    summaries = []
    for site in sorted(set(counts) | set(health.sites), key=lambda s: (-counts[s], s)):
        runs = health.sites.get(site, [])
        latest = runs[-1] if runs else None
        summaries.append(SiteSummary(
            site=site, articles=counts[site], last_crawl=latest.end if latest else None,
            last_stored=latest.stored if latest else None, crawls=len(runs),
            warnings=list(latest.warnings) if latest else [],
        ))
    return SitesOverview(summaries)
