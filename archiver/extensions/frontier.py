"""The pending frontier across runs: Scrapy's ``JOBDIR`` queue in ``state/frontier/``.

A crawl stopped by Ctrl-C leaves its queue there and the next run continues it; a run
that finishes clears it.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


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
