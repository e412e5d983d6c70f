"""The pending frontier across runs: Scrapy's ``JOBDIR`` queue, without its seen-set.

A crawl stopped by Ctrl-C leaves its queue in ``state/frontier/`` and the next run
continues it. The seen-URL filter stays in memory: a resumed (or killed and rerun)
crawl re-discovers from sitemaps, feeds and listings, and pages already archived cost
only a conditional request, while a page fetched but not stored before the stop is
fetched again instead of being lost. A run that finishes clears the frontier.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class SessionDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate-request filter, never persisted to the job dir."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SessionDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)


class FrontierCleanup:
    """Deletes the saved frontier once a crawl has finished normally."""

    def __init__(self, jobdir: Path):
        self.jobdir = jobdir

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierCleanup:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        extension = cls(Path(jobdir))
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def closed(self, spider: Any, reason: str) -> None:
        if reason == "finished":
            shutil.rmtree(self.jobdir, ignore_errors=True)
        else:
            logger.info("Crawl stopped (%s); its pending requests are kept in %s for the next run", reason, self.jobdir)
