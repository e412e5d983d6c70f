"""Crawl extensions: the data-dir lock, the live progress line, and the run log."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import datetime, timezone
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archiver.config import resolve_data_dir
from archiver.lock import DataDirLock as FileLock

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
