"""Item pipelines: extract → archive (dedup + store) → index. Thin glue, one step each."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from index.writer import BackgroundWriter, IndexWriterFailed

from archiver.archive import Archive, Outcome
from archiver.config import resolve_data_dir
from archiver.dedup import KeyStore, open_key_store
from archiver.extract import extract
from archiver.items import ExtractedPage, FetchedPage, Rejected, StoredArticle
from archiver.state import FetchState
from archiver.store import ArticleStore
from archiver.window import DateWindow

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """FetchedPage → ExtractedPage, in a pool of worker processes off the reactor.

    Scrapy keeps at most ``CONCURRENT_ITEMS`` items per response in flight and stops
    downloading while too many responses wait (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``), so
    the pool's queue stays bounded. A crashed worker is replaced and the page retried
    once, then recorded as failed.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        workers = crawler.settings.get("ARCHIVER_EXTRACT_WORKERS")
        self.workers = (os.cpu_count() or 1) if workers in (None, "") else int(workers)
        self.min_words = crawler.settings.getint("ARCHIVER_EXTRACT_MIN_WORDS")
        self.pool: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = self._new_pool()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> Executor | None:
        if self.workers <= 0:
            return None
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("forkserver"))

    async def _extract(self, page: FetchedPage) -> Any:
        if self.pool is None:
            return extract(page, min_words=self.min_words)
        for attempt in (1, 2):
            try:
                return await asyncio.wrap_future(self.pool.submit(extract, page, min_words=self.min_words))
            except BrokenProcessPool:
                logger.warning("Extraction worker died on %s (attempt %d)", page.final_url, attempt)
                self.stats.inc_value("archiver/extract/worker_crash")
                self.pool.shutdown(wait=False, cancel_futures=False)
                self.pool = self._new_pool()
        return Rejected(page.final_url, "worker-crash", "the extraction worker died twice on this page")

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        result = await self._extract(item)
        if isinstance(result, Rejected):
            self.stats.inc_value(f"archiver/extract/rejected/{result.reason}")
            raise DropItem(f"{result.reason}: {result.url} {result.detail}".rstrip())
        self.stats.inc_value("archiver/extract/articles")
        return ExtractedPage(item, result)


class ArchivePipeline:
    """ExtractedPage → StoredArticle: dedup against the key store and write the record.

    Pages that add nothing new (another address of a stored article, an unchanged
    re-fetch) are dropped after their URLs are merged, so Scrapy's item count is the
    count of articles stored or updated. Ingestion runs in one dedicated thread: one
    page at a time (dedup decisions never race), and the reactor keeps downloading
    while a record is fsynced.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.data_dir = resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR"))
        self.keep_raw = crawler.settings.getbool("ARCHIVER_STORE_RAW")
        self.window = DateWindow.from_strings(crawler.settings.get("ARCHIVER_SINCE"), crawler.settings.get("ARCHIVER_UNTIL"))
        self.temp_max_age = crawler.settings.getfloat("ARCHIVER_TEMP_FILE_MAX_AGE")
        self.redis_url = crawler.settings.get("ARCHIVER_REDIS_URL") or None
        self.archive: Archive | None = None
        self.state: FetchState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="archive")
        self.archive, self.state = self.thread.submit(self._open).result()

    def _open(self) -> tuple[Archive, FetchState]:
        archive = Archive(self.data_dir, keep_raw=self.keep_raw, keys=open_key_store(self.data_dir, self.redis_url))
        removed = archive.store.remove_temp_files(older_than=self.temp_max_age)
        if removed:
            logger.info("Removed %d temp files left by an interrupted crawl", removed)
        return archive, FetchState(self.data_dir)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.thread.submit(self.archive.close).result()
        if self.state is not None:
            self.thread.submit(self.state.close).result()
        self.thread.shutdown()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ExtractedPage):
            return item
        return await asyncio.wrap_future(self.thread.submit(self._ingest, item))

    def _ingest(self, item: ExtractedPage) -> StoredArticle:
        assert self.archive is not None
        published = item.extraction.published
        if self.window and not (published and self.window.contains(date.fromisoformat(published[:10]))):
            self.stats.inc_value("archiver/archive/outside_window")
            raise DropItem(f"published {published[:10] if published else 'on an unknown day'}, "
                           f"outside the date window: {item.page.final_url}")
        result = self.archive.ingest(item.page, item.extraction)
        self.stats.inc_value(f"archiver/archive/{result.outcome.value}")
        self._remember(item, result.record.id, result.record.content_hash)
        if result.outcome in (Outcome.MERGED, Outcome.UNCHANGED):
            raise DropItem(f"{result.outcome.value}: {item.page.final_url} is article {result.record.id}")
        return StoredArticle(result.outcome.value, result.record, str(result.path), result.replaced_id)

    def _remember(self, item: ExtractedPage, article_id: str, digest: str) -> None:
        """Note validators and lastmod so the next run can revalidate or skip this page."""
        assert self.state is not None
        page = item.page
        for url in dict.fromkeys((page.final_url, page.url)):
            self.state.record(
                url,
                fetched_at=page.fetched_at,
                etag=page.headers.get("etag"),
                last_modified=page.headers.get("last-modified"),
                sitemap_lastmod=page.sitemap_lastmod,
                content_hash=digest,
                article_id=article_id,
            )


class IndexPipeline:
    """StoredArticle → the search index, through one writer process per crawl.

    Whoosh indexing costs about 5 ms of CPU an article; a :class:`BackgroundWriter`
    does it in a child process with batched commits, so the reactor thread only queues
    records. The key store marks each written record as not yet indexed until the
    writer reports a commit that holds it, so records stored just before a crash (or a
    failure of the writer) are indexed when the next crawl opens.
    """

    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("ARCHIVER_INDEX_ENABLED"):
            raise NotConfigured
        self.index_dir = resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR")) / "index"
        self.batch_size = crawler.settings.getint("ARCHIVER_INDEX_BATCH_SIZE")
        self.stats = crawler.stats
        self.data_dir = resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR"))
        self.writer: BackgroundWriter | None = None
        self.keys: KeyStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.keys = KeyStore(self.data_dir / "state" / "keys.sqlite")
        self.writer = BackgroundWriter(self.index_dir, batch_size=self.batch_size)
        store = ArticleStore(self.data_dir)
        for known in self.keys.unindexed():
            try:
                record = store.read(known.path)
            except (OSError, ValueError) as exc:
                logger.warning("Cannot index %s: %s", known.path, exc)
                continue
            self._send(lambda w: w.upsert(record))
        self._send(lambda w: w.commit())

    def close_spider(self) -> None:
        if self.writer is not None:
            self._send(lambda w: self._mark(w.close()))
        if self.keys is not None:
            self.keys.close()

    def _send(self, action: Callable[[BackgroundWriter], object]) -> None:
        """Apply ``action`` to the writer and note its commits; a failed writer stops indexing, not the crawl."""
        if self.writer is None:
            return
        try:
            action(self.writer)
            self._mark(self.writer.committed())
        except IndexWriterFailed as exc:
            logger.error("Indexing stopped: %s. The articles stored from now on are indexed by the next crawl"
                         " (or by `archiver reindex`).", exc)
            self.stats.inc_value("archiver/index/failed")
            self.writer.kill()
            self.writer = None

    def _mark(self, ids: list[str]) -> None:
        if ids:
            assert self.keys is not None
            self.keys.mark_indexed(ids)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StoredArticle):
            return item
        if item.replaced_id:
            self._send(lambda w: w.delete(item.replaced_id))
        self._send(lambda w: w.upsert(item.record.to_dict()))
        self.stats.inc_value("archiver/index/upserts")
        return item
