"""The index step of the crawl: stored records into the search index, off the reactor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from index import ArticleIndex, BackgroundWriter, IndexWriterFailed, record_version

from archiver.consistency import KINDS, check_touched
from archiver.datadir import DataDir
from archiver.extensions.extraction import extraction_workers
from archiver.items import StoredArticle
from archiver.shutdown import start_forkserver
from archiver.storage.keystore import KeyStore
from archiver.storage.records import ArticleStore

logger = logging.getLogger(__name__)


class IndexPipeline:
    """StoredArticle → the search index, through one writer process per crawl.

    Whoosh indexing costs about 5 ms of CPU an article; a :class:`BackgroundWriter`
    does it in a child process with batched commits, so the reactor thread only queues
    records; it commits every ``ARCHIVER_INDEX_BATCH_SIZE`` records or after
    ``ARCHIVER_INDEX_COMMIT_INTERVAL`` seconds, so stored articles are searchable during
    a long crawl or scrapyd job. The key store marks each written record as not yet indexed until the
    writer reports a commit that holds it, so records stored just before a crash (or a
    failure of the writer) are indexed when the next crawl opens.

    At the end it checks the ids it touched against the index (the cheap part of
    ``archiver check``): each stored article indexed once at the version stored, each
    re-keyed id gone. Drift is counted in ``archiver/index/drift`` and shown in the
    crawl's summary.
    """

    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("ARCHIVER_INDEX_ENABLED"):
            raise NotConfigured
        self.data_dir = DataDir.from_settings(crawler.settings)
        self.batch_size = crawler.settings.getint("ARCHIVER_INDEX_BATCH_SIZE")
        self.commit_interval = crawler.settings.getfloat("ARCHIVER_INDEX_COMMIT_INTERVAL") or None
        self.stats = crawler.stats
        self.extraction_workers = extraction_workers(crawler.settings) > 0  #: whether the forkserver preloads the extractor
        self.writer: BackgroundWriter | None = None
        self.keys: KeyStore | None = None
        self.expected: dict[str, bytes | None] = {}  #: id -> the version sent last (None: deleted)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.keys = KeyStore(self.data_dir)
        start_forkserver(extraction_workers=self.extraction_workers)
        self.writer = BackgroundWriter(self.data_dir.index, batch_size=self.batch_size,
                                       commit_interval=self.commit_interval)
        store = ArticleStore(self.data_dir)
        for known in self.keys.unindexed():
            try:
                record = store.read(known.path)
            except (OSError, ValueError) as exc:
                logger.warning("Cannot index %s: %s", known.path, exc)
                continue
            self._upsert(record)
        self._send(lambda w: w.commit())

    def close_spider(self) -> None:
        if self.writer is not None:
            self._send(lambda w: self._mark(w.close()))
        if self.writer is not None and self.keys is not None:  # a failed writer was reported already
            self._check()
        if self.keys is not None:
            self.keys.close()

    def _check(self) -> None:
        assert self.keys is not None
        with ArticleIndex.open(self.data_dir.index) as index:
            report = check_touched(index, self.keys, self.expected)
        self.stats.set_value("archiver/index/checked", len(self.expected))
        self.stats.set_value("archiver/index/drift", report.drift)
        if report.drift:
            kinds = ", ".join(f"{len(getattr(report, kind))} {kind}" for kind in KINDS if getattr(report, kind))
            logger.warning("The index is out of step with the store for %d of the %d articles this crawl touched "
                           "(%s); run `archiver check --repair`", report.drift, len(self.expected), kinds)

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
            self.expected[item.replaced_id] = None
            self._send(lambda w: w.delete(item.replaced_id))
        self._upsert(item.record.to_dict())
        self.stats.inc_value("archiver/index/upserts")
        return item

    def _upsert(self, record: dict[str, Any]) -> None:
        self.expected[str(record["id"])] = record_version(record)
        self._send(lambda w: w.upsert(record))
