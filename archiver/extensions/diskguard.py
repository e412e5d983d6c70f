"""Stop a crawl cleanly when the data dir can no longer take writes."""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task
from twisted.python.failure import Failure

from archiver.datadir import DataDir
from archiver.errors import DataDirError

logger = logging.getLogger(__name__)

#: errno values that mean the data dir cannot take writes, whatever is retried.
DATA_DIR_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES}


def free_mb(path: Path) -> float:
    """Megabytes free on the file system holding ``path`` (or its nearest existing parent)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free / 2**20


def is_data_dir_failure(failure: Failure) -> bool:
    """True when an item failed because the data dir can't take writes (full, read-only, gone)."""
    error = failure.value
    if isinstance(error, DataDirError | sqlite3.OperationalError):
        return True
    return isinstance(error, OSError) and error.errno in DATA_DIR_ERRNOS


class DataDirGuard:
    """Stops the crawl cleanly when the data dir can no longer take writes.

    A disk that fills mid-crawl makes every later write fail, and Scrapy's on-disk
    request queue loses its place; stopping while ``ARCHIVER_MIN_FREE_MB`` is still
    free lets the frontier, key store and index close properly, so a rerun resumes.
    An item that fails on a data-dir error (full, read-only, quota) stops it the same
    way. The reason lands in the ``archiver/data_dir_error`` stat for ``run_crawl``.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.data_dir = DataDir.from_settings(crawler.settings).root
        self.reserve_mb = crawler.settings.getfloat("ARCHIVER_MIN_FREE_MB")
        self.loop = task.LoopingCall(self.check)
        self.stopping = False
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_failed, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DataDirGuard:
        return cls(crawler)

    def opened(self) -> None:
        self.loop.start(self.crawler.settings.getfloat("ARCHIVER_DISK_CHECK_INTERVAL"), now=True)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()

    def check(self) -> None:
        free = free_mb(self.data_dir)
        if free < self.reserve_mb:
            self.stop(f"only {free:.1f} MB free for {self.data_dir} (the crawl stops below "
                      f"ARCHIVER_MIN_FREE_MB={self.reserve_mb:g}); free some space and run it again")

    def item_failed(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        if is_data_dir_failure(failure):
            self.stop(f"cannot write to {self.data_dir}: {failure.value}")

    def stop(self, message: str) -> None:
        if self.stopping:
            return
        self.stopping = True
        self.crawler.stats.set_value("archiver/data_dir_error", message)
        logger.error("Stopping the crawl: %s", message)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="data_dir_error"))
