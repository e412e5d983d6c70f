"""Writes the run log (:mod:`archiver.runs`) as a crawl ends: its figures, and per site what it stored."""

from __future__ import annotations

import resource
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from archiver.datadir import DataDir
from archiver.items import StoredArticle
from archiver.runs import ITEM_ERRORS, SiteFigures, append_run, not_archived, run_counts

class RunLog:
    """Appends one entry per crawl to ``state/runs.jsonl`` (read by ``archiver stats`` and ``health``)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.data_dir = DataDir.from_settings(crawler.settings)
        self.started = datetime.now(timezone.utc)
        self.sites: dict[str, SiteFigures] = defaultdict(SiteFigures)
        crawler.signals.connect(self.stored, signal=signals.item_scraped)
        crawler.signals.connect(self.item_failed, signal=signals.item_error)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    def stored(self, item: Any) -> None:
        """A new, updated or replaced article reached the end of the pipelines."""
        if isinstance(item, StoredArticle):
            self.sites[item.record.site].add(vars(item.record))

    def item_failed(self) -> None:
        """A pipeline step raised (not a drop): one of the run's errors."""
        self.crawler.stats.inc_value(ITEM_ERRORS)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLog:
        return cls(crawler)

    def closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        entry = {
            "start": self.started.isoformat(timespec="seconds"),
            "end": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "urls": list(getattr(spider, "start_urls", [])),
            "finish_reason": reason,
            **run_counts(stats),
            "not_archived": not_archived(stats),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "sites": {site: figures.to_dict() for site, figures in sorted(self.sites.items())},
        }
        append_run(self.data_dir, entry)
