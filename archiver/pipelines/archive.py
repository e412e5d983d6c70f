"""The archive step of the crawl: dedup against the key store and write the record."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from importlib.metadata import version
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.datadir import DataDir
from archiver.discovery.window import DateWindow
from archiver import __version__
from archiver.items import ExtractedPage, FetchedResource, StoredArticle
from archiver.storage.archive import Archive, Outcome, open_key_store
from archiver.storage.fetchstate import FetchState
from archiver.storage.warc import WarcWriter

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """ExtractedPage → StoredArticle: dedup against the key store and write the record.

    Pages that add nothing new (another address of a stored article, an unchanged
    re-fetch) are dropped after their URLs are merged, so Scrapy's item count is the
    count of articles stored or updated. Ingestion runs in one dedicated thread: one
    page at a time (dedup decisions never race), and the reactor keeps downloading
    while a record is fsynced. Every fetch also goes to the WARC (``ARCHIVER_STORE_RAW``);
    a :class:`FetchedResource` (a 304, or a sitemap, feed or listing) only goes there.

    Records are made durable in batches (``ARCHIVER_ARCHIVE_BATCH_SIZE`` pages, or once the
    oldest waited ``ARCHIVER_ARCHIVE_BATCH_SECONDS``, and when the crawl closes): one fsync
    per file and folder, the key store and crawl state committed after the files. A stored
    article goes on to the index only once its batch is durable.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.data_dir = DataDir.from_settings(crawler.settings)
        self.keep_raw = crawler.settings.getbool("ARCHIVER_STORE_RAW")
        self.warc_max_size = crawler.settings.getint("ARCHIVER_WARC_MAX_SIZE")
        self.warc_info = warcinfo(crawler)
        self.window = DateWindow.from_strings(crawler.settings.get("ARCHIVER_SINCE"), crawler.settings.get("ARCHIVER_UNTIL"))
        self.temp_max_age = crawler.settings.getfloat("ARCHIVER_TEMP_FILE_MAX_AGE")
        self.redis_url = crawler.settings.get("ARCHIVER_REDIS_URL") or None
        self.batch_size = crawler.settings.getint("ARCHIVER_ARCHIVE_BATCH_SIZE")
        self.batch_seconds = crawler.settings.getfloat("ARCHIVER_ARCHIVE_BATCH_SECONDS")
        self.archive: Archive | None = None
        self.state: FetchState | None = None
        #: the batch's stored articles and the futures their items wait on (archive thread only)
        self.batch: list[tuple[Future[StoredArticle], StoredArticle | DropItem]] = []
        self.batch_started = 0.0
        self.flushed_at = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="archive")
        self.archive, self.state = self.thread.submit(self._open).result()

    def _open(self) -> tuple[Archive, FetchState]:
        warc = WarcWriter(self.data_dir, max_size=self.warc_max_size, info=self.warc_info) if self.keep_raw else None
        archive = Archive(self.data_dir, keep_raw=self.keep_raw, keys=open_key_store(self.data_dir, self.redis_url),
                          warc=warc)
        removed = archive.store.remove_temp_files(older_than=self.temp_max_age)
        if removed:
            logger.info("Removed %d temp files left by an interrupted crawl", removed)
        state = FetchState(self.data_dir)
        if self.batch_size > 1 and archive.begin():
            state.begin()
        return archive, state

    def close_spider(self) -> None:
        if self.archive is not None:
            self.thread.submit(self._flush).result()
            self.thread.submit(self.archive.close).result()
        if self.state is not None:
            self.thread.submit(self.state.close).result()
        self.thread.shutdown()

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedResource):
            return await asyncio.wrap_future(self.thread.submit(self._capture, item))
        if not isinstance(item, ExtractedPage):
            return item
        stored = await asyncio.wrap_future(self.thread.submit(self._ingest, item))
        if stored.done():
            return stored.result()
        due = asyncio.get_running_loop().call_later(self.batch_seconds, self.thread.submit, self._flush_due)
        try:
            return await asyncio.wrap_future(stored)
        finally:
            due.cancel()

    def _capture(self, item: FetchedResource) -> None:
        assert self.archive is not None
        self.archive.capture_resource(item)
        self.stats.inc_value(f"archiver/warc/{item.found_via}")
        if time.monotonic() - self.flushed_at >= self.batch_seconds:
            self._flush()  # a re-crawl of 304s stores nothing: its revisits and revalidations still become durable
        raise DropItem(f"captured only ({item.found_via}): {item.url}")

    def _ingest(self, item: ExtractedPage) -> Future[StoredArticle]:
        """Archive one page; the future is done once what it wrote is durable: the stored
        article, or DropItem when the page added nothing new (another address of a stored
        article, an unchanged re-fetch)."""
        assert self.archive is not None
        published = item.extraction.published
        if self.window and not (published and self.window.contains(date.fromisoformat(published[:10]))):
            self.stats.inc_value("archiver/archive/outside_window")
            raise DropItem(f"published {published[:10] if published else 'on an unknown day'}, "
                           f"outside the date window: {item.page.final_url}")
        result = self.archive.ingest(item.page, item.extraction)
        self.stats.inc_value(f"archiver/archive/{result.outcome.value}")
        self._remember(item, result.record.id, result.record.content_hash)
        outcome: StoredArticle | DropItem
        if result.outcome in (Outcome.MERGED, Outcome.UNCHANGED):
            outcome = DropItem(f"{result.outcome.value}: {item.page.final_url} is article {result.record.id}")
        else:
            outcome = StoredArticle(result.outcome.value, result.record, str(result.path), result.replaced_id)
        done: Future[StoredArticle] = Future()
        if not self.batch:
            self.batch_started = time.monotonic()
        self.batch.append((done, outcome))
        if not self.archive.batched or len(self.batch) >= self.batch_size:
            self._flush()
        return done

    def _flush_due(self) -> None:
        """Flush the batch if its oldest page has waited long enough (a timer of a waiting item)."""
        if self.batch and time.monotonic() - self.batch_started >= self.batch_seconds:
            self._flush()

    def _flush(self) -> None:
        """Make the batch durable and let its items go on (or fail, all of them, if it cannot be)."""
        assert self.archive is not None and self.state is not None
        batch, self.batch = self.batch, []
        self.flushed_at = time.monotonic()
        try:
            self.archive.flush(self.state)
        except Exception as exc:
            logger.error("Could not make the last %d archived pages durable (they are fetched again by the next"
                         " crawl): %s", len(batch), exc)
            for done, _ in batch:
                done.set_exception(exc)
            return
        for done, outcome in batch:
            if isinstance(outcome, DropItem):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)

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


#: Settings worth knowing when reading a crawl's WARC files (politeness, scope, limits).
WARCINFO_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS",
                     "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_MAXSIZE", "ARCHIVER_FULL", "ARCHIVER_SINCE",
                     "ARCHIVER_UNTIL", "ARCHIVER_WARC_ALL_RESPONSES")


def warcinfo(crawler: Crawler) -> dict[str, str]:
    """The ``warcinfo`` fields of this crawl's WARC files: the crawler and its settings."""
    settings = crawler.settings
    return {
        "software": f"news-archiver/{__version__} (Scrapy {version('scrapy')}; warcio {version('warcio')})",
        "operator": settings.get("BOT_NAME"),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "isPartOf": str(DataDir.from_settings(settings).root.resolve().name),
        "description": "news-archiver crawl: article pages and their revisits",
        "settings": json.dumps({name: settings.get(name) for name in WARCINFO_SETTINGS}, default=str, sort_keys=True),
    }
