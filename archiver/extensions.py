"""Crawl extensions: the data-dir lock and guard, the live progress line, and the run log."""

from __future__ import annotations

import errno
import json
import logging
import os
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from datetime import datetime, timezone
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task
from twisted.python.failure import Failure

from archiver.config import resolve_data_dir
from archiver.errors import DataDirError
from archiver.lock import DataDirLock as FileLock

logger = logging.getLogger(__name__)

#: errno values that mean the data dir cannot take writes, whatever is retried.
DATA_DIR_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES}

#: Stats keys shown on the progress line and in the run log, with their labels.
PROGRESS_KEYS = (
    ("pages", "response_received_count"),
    ("articles", "archiver/archive/new"),
    ("updated", "archiver/archive/revised"),
    ("merged", "archiver/archive/merged"),
    ("errors", "log_count/ERROR"),
)


def run_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The figures of one run, from Scrapy's stats."""
    rejected = sum(v for k, v in stats.items() if k.startswith("archiver/extract/rejected/"))
    counts = {label: int(stats.get(key, 0)) for label, key in PROGRESS_KEYS}
    counts["unchanged"] = int(stats.get("archiver/archive/unchanged", 0))
    counts["replaced"] = int(stats.get("archiver/archive/replaced", 0))
    counts["not_modified"] = int(stats.get("downloader/response_status_count/304", 0))
    counts["rejected"] = int(rejected)
    counts["requests"] = int(stats.get("downloader/request_count", 0))
    return counts


class DataDirLock:
    """Holds the data dir's crawl lock for ``scrapy crawl`` runs.

    ``archiver crawl`` takes the lock itself before starting Scrapy (so it can print a
    clean error) and sets ``ARCHIVER_LOCK_HELD``, which switches this off.
    """

    def __init__(self, crawler: Crawler):
        if crawler.settings.getbool("ARCHIVER_LOCK_HELD"):
            raise NotConfigured
        self.lock = FileLock(resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR")))
        self.lock.acquire()
        crawler.signals.connect(self.lock.release, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DataDirLock:
        return cls(crawler)


class ProgressLine:
    """A one-line live status on a terminal: pages, articles, merges, errors, rate."""

    def __init__(self, crawler: Crawler, stream: TextIO):
        self.crawler = crawler
        self.stream = stream
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not crawler.settings.getbool("ARCHIVER_PROGRESS") or not sys.stderr.isatty():
            raise NotConfigured
        return cls(crawler, sys.stderr)

    def opened(self) -> None:
        self.loop.start(1.0, now=False)

    def show(self) -> None:
        counts = run_counts(self.crawler.stats.get_stats())
        elapsed = max(time.monotonic() - self.started, 1e-6)
        parts = [f"{label} {counts[label]}" for label, _ in PROGRESS_KEYS]
        self.stream.write("\r\033[K" + " | ".join(parts) + f" | {counts['pages'] / elapsed:.1f} pages/s")
        self.stream.flush()

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.stream.write("\r\033[K")
        self.stream.flush()


class RunLog:
    """Appends one JSON line per crawl to ``state/runs.jsonl`` (read by ``archiver stats``)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.path = resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR")) / "state" / "runs.jsonl"
        self.started = datetime.now(timezone.utc)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

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
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


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
        self.data_dir = resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR"))
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
