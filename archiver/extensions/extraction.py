"""The crawl's extraction workers, shared through the crawler.

The spider hands each page that may be an article to :meth:`ExtractionPool.read` and gets
back, from one parse in a worker, the page's extraction (or why it is not archived) and
its links, feeds, canonical and AMP addresses: the crawl process never parses that page
itself, and new requests still come from the spider's callback, through every spider
middleware (depth, traps, the dupefilter).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from archiver.extraction.classify import KindRules
from archiver.extraction.extract import PageReading, read_page
from archiver.items import FetchedPage, Rejected
from archiver.shutdown import init_child, start_forkserver

logger = logging.getLogger(__name__)


def extraction_workers(settings: BaseSettings) -> int:
    """How many worker processes extract the crawl's pages (``ARCHIVER_EXTRACT_WORKERS``; 0: none)."""
    workers = settings.get("ARCHIVER_EXTRACT_WORKERS")
    return (os.cpu_count() or 1) if workers in (None, "") else int(workers)


class ExtractionPool:
    """A pool of ``ARCHIVER_EXTRACT_WORKERS`` worker processes (0: extraction in the crawl process).

    Scrapy stops downloading while too many responses wait in their callbacks
    (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``), so the pool's queue stays bounded. A crashed
    worker is replaced and the page retried once, then recorded as failed. Workers ignore
    Ctrl-C, SIGTERM and SIGHUP, which reach the whole process group: the crawl stops them
    (:mod:`archiver.shutdown`). Once the crawl is asked to stop, pages are no longer sent
    to the workers, so a stop takes seconds, not the time to work off hundreds of
    downloaded pages: the next run finds them again (nothing marks them as archived).
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = extraction_workers(crawler.settings)
        self.min_words = crawler.settings.getint("ARCHIVER_EXTRACT_MIN_WORDS")
        self.rules = kind_rules(crawler.settings)
        self.pool: Executor | None = None
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        return cls(crawler)

    def open(self) -> None:
        if self.workers > 0:
            start_forkserver(extraction_workers=True)
        self.pool = self._new_pool()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> Executor | None:
        if self.workers <= 0:
            return None
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=init_child)

    async def read(self, page: FetchedPage) -> PageReading | None:
        """The page's extraction and links; None once the crawl is stopping (the page is left for the next run)."""
        if not self.crawler.crawling:
            self.stats.inc_value("archiver/extract/left_for_next_run")
            logger.debug("The crawl is stopping; left for the next run: %s", page.final_url)
            return None
        if self.pool is None:
            return read_page(page, min_words=self.min_words, rules=self.rules)
        for attempt in (1, 2):
            try:
                return await asyncio.wrap_future(self.pool.submit(read_page, page, min_words=self.min_words,
                                                                  rules=self.rules))
            except BrokenProcessPool:
                logger.warning("Extraction worker died on %s (attempt %d)", page.final_url, attempt)
                self.stats.inc_value("archiver/extract/worker_crash")
                self.pool.shutdown(wait=False, cancel_futures=False)
                self.pool = self._new_pool()
        return PageReading(Rejected(page.final_url, "worker-crash", "the extraction worker died twice on this page"))


def kind_rules(settings: BaseSettings) -> KindRules:
    """The page-kind rules of ``ARCHIVER_EXTRACT_KINDS``, ``..._KIND_WEIGHTS`` and
    ``..._KIND_MIN_EVIDENCE``; ValueError names a bad value."""
    try:
        weights = settings.getdict("ARCHIVER_EXTRACT_KIND_WEIGHTS")
        min_evidence = settings.getfloat("ARCHIVER_EXTRACT_KIND_MIN_EVIDENCE")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad page-kind setting: {exc}") from None
    return KindRules.from_settings(weights, min_evidence, settings.getlist("ARCHIVER_EXTRACT_KINDS"))
