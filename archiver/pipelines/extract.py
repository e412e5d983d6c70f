"""The extraction step of the crawl: pages to extracted articles, in worker processes."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from archiver.extraction import extract
from archiver.extraction.classify import KindRules
from archiver.items import ExtractedPage, FetchedPage, Rejected
from archiver.shutdown import init_child, start_forkserver

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """FetchedPage → ExtractedPage, in a pool of worker processes off the reactor.

    Scrapy keeps at most ``CONCURRENT_ITEMS`` items per response in flight and stops
    downloading while too many responses wait (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``), so
    the pool's queue stays bounded. A crashed worker is replaced and the page retried
    once, then recorded as failed. Workers ignore Ctrl-C, SIGTERM and SIGHUP, which reach
    the whole process group: the crawl stops them (:mod:`archiver.shutdown`). Once the
    crawl is asked to stop, pages still waiting for extraction are dropped, so a stop
    takes seconds, not the time to work off hundreds of downloaded pages: the next run
    finds them again (nothing marks them as archived). A page that is not archived is counted by its kind or
    reason (``archiver/extract/rejected/<kind>``).
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        workers = crawler.settings.get("ARCHIVER_EXTRACT_WORKERS")
        self.workers = (os.cpu_count() or 1) if workers in (None, "") else int(workers)
        self.min_words = crawler.settings.getint("ARCHIVER_EXTRACT_MIN_WORDS")
        self.rules = kind_rules(crawler.settings)
        self.pool: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers > 0:
            start_forkserver()
        self.pool = self._new_pool()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> Executor | None:
        if self.workers <= 0:
            return None
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=init_child)

    async def _extract(self, page: FetchedPage) -> Any:
        if self.pool is None:
            return extract(page, min_words=self.min_words, rules=self.rules)
        for attempt in (1, 2):
            try:
                return await asyncio.wrap_future(self.pool.submit(extract, page, min_words=self.min_words,
                                                                  rules=self.rules))
            except BrokenProcessPool:
                logger.warning("Extraction worker died on %s (attempt %d)", page.final_url, attempt)
                self.stats.inc_value("archiver/extract/worker_crash")
                self.pool.shutdown(wait=False, cancel_futures=False)
                self.pool = self._new_pool()
        return Rejected(page.final_url, "worker-crash", "the extraction worker died twice on this page")

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if not self.crawler.crawling:
            self.stats.inc_value("archiver/extract/left_for_next_run")
            raise DropItem(f"the crawl is stopping; left for the next run: {item.final_url}")
        result = await self._extract(item)
        if isinstance(result, Rejected):
            self.stats.inc_value(f"archiver/extract/rejected/{result.reason}")
            raise DropItem(f"{result.reason}: {result.url} {result.detail}".rstrip())
        self.stats.inc_value("archiver/extract/articles")
        return ExtractedPage(item, result)


def kind_rules(settings: BaseSettings) -> KindRules:
    """The page-kind rules of ``ARCHIVER_EXTRACT_KINDS``, ``..._KIND_WEIGHTS`` and
    ``..._KIND_MIN_EVIDENCE``; ValueError names a bad value."""
    try:
        weights = settings.getdict("ARCHIVER_EXTRACT_KIND_WEIGHTS")
        min_evidence = settings.getfloat("ARCHIVER_EXTRACT_KIND_MIN_EVIDENCE")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad page-kind setting: {exc}") from None
    return KindRules.from_settings(weights, min_evidence, settings.getlist("ARCHIVER_EXTRACT_KINDS"))
