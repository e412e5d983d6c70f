"""The data dir's crawl lock, held for the whole crawl."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archiver.datadir import DataDir
from archiver.storage.lock import DataDirLock as FileLock


class CrawlLock:
    """Holds the data dir's crawl lock for ``scrapy crawl`` (and scrapyd) runs.

    ``archiver crawl`` takes the lock itself before starting Scrapy, so it can print a
    clean error; this process then already holds it and the extension stands aside.
    """

    def __init__(self, crawler: Crawler):
        data_dir = DataDir.from_settings(crawler.settings)
        if FileLock.held_here(data_dir):
            raise NotConfigured
        self.lock = FileLock(data_dir)
        self.lock.acquire()
        crawler.signals.connect(self.lock.release, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLock:
        return cls(crawler)
