"""The archive step of the crawl: dedup against the key store and write the record."""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
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
        self.archive: Archive | None = None
        self.state: FetchState | None = None

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
        return archive, FetchState(self.data_dir)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.thread.submit(self.archive.close).result()
        if self.state is not None:
            self.thread.submit(self.state.close).result()
        self.thread.shutdown()

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedResource):
            return await asyncio.wrap_future(self.thread.submit(self._capture, item))
        if not isinstance(item, ExtractedPage):
            return item
        return await asyncio.wrap_future(self.thread.submit(self._ingest, item))

    def _capture(self, item: FetchedResource) -> None:
        assert self.archive is not None
        self.archive.capture_resource(item)
        self.stats.inc_value(f"archiver/warc/{item.found_via}")
        raise DropItem(f"captured only ({item.found_via}): {item.url}")

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
