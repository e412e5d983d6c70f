"""The live progress line of a crawl on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archiver.runs import PROGRESS_KEYS, run_counts


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
        parts = [f"{label} {counts[label]}" for label, _ in PROGRESS_KEYS] + [f"errors {counts['errors']}"]
        self.stream.write("\r\033[K" + " | ".join(parts) + f" | {counts['pages'] / elapsed:.1f} pages/s")
        self.stream.flush()

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.stream.write("\r\033[K")
        self.stream.flush()
