"""Turn extracted pages into article records: dedup decision, record, raw capture.

This is the one place that decides whether a page is a new article, another address
of a known one, a better copy of it, or a changed version (a revision: only when the
article's own text, title or byline changed, see :mod:`archiver.storage.changes`), and so
which WARC record its capture becomes: a response for a stored version, a revisit when
the payload repeats the capture the record points at.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from archiver.datadir import DataDir
from archiver.errors import ArchiverError
from archiver.items import Article, Extraction, FetchedPage, FetchedResource
from archiver.storage.captures import Capture, read_capture
from archiver.storage.changes import is_real_change
from archiver.storage.dedup import SourcePage, content_hash, describe_source
from archiver.storage.fetchstate import FetchState
from archiver.storage.keystore import KeyStore, KnownArticle
from archiver.storage.records import ArticleStore
from archiver.storage.rediskeys import RedisKeyStore
from archiver.storage.warc import WarcWriter, payload_digest
from archiver.urls import article_id, site_of, url_key


def open_key_store(data_dir: DataDir, redis_url: str | None = None) -> KeyStore | RedisKeyStore:
    """The archive's key store: SQLite in ``state/``, or in Redis when distributed workers share the archive."""
    if redis_url:
        return RedisKeyStore.from_url(redis_url, data_dir)
    return KeyStore(data_dir)


class Outcome(enum.Enum):
    NEW = "new"  #: a new article record
    MERGED = "merged"  #: another address or copy of a stored article; only its ``urls`` grew
    UNCHANGED = "unchanged"  #: the article again: same text, title and byline (the page around them may differ)
    REPLACED = "replaced"  #: a better source for a stored article (its own page after a copy)
    REVISED = "revised"  #: the article's text, title or byline changed; the old version went to ``revisions``


@dataclass
class IngestResult:
    outcome: Outcome
    record: Article
    path: Path
    replaced_id: str | None = None  #: the id this record had before a re-key, if any


class Archive:
    """The data dir's records and dedup keys, updated together one page at a time.

    Each page's files are durable before the keys that point at them, either at once or,
    after :meth:`begin`, for a batch of pages together at :meth:`flush`.
    """

    def __init__(self, data_dir: DataDir | Path, *, keep_raw: bool = True,
                 keys: KeyStore | RedisKeyStore | None = None, warc: WarcWriter | None = None):
        data_dir = DataDir.of(data_dir)
        self.data_dir = data_dir
        self.store = ArticleStore(data_dir)
        self.keys = keys if keys is not None else open_key_store(data_dir)
        #: where raw captures go (None: not kept)
        self.warc = (warc or WarcWriter(data_dir)) if keep_raw else None
        self.batched = False

    def begin(self) -> bool:
        """Batch from now on: records held in memory, captures not yet fsynced, claims in one
        open transaction, until :meth:`flush`. Only with the SQLite key store (claims in Redis
        are seen by other workers at once, so each page stays durable before its claim);
        returns whether the archive batches."""
        if isinstance(self.keys, KeyStore):
            self.store.begin()
            self.keys.begin()
            if self.warc is not None:
                self.warc.begin()
            self.batched = True
        return self.batched

    def flush(self, *also: FetchState) -> None:
        """Make the batch durable in an order a crash cannot break: captures (one fsync), then
        records (one fsync each, one per folder), then the key store and ``also`` (the crawl
        state) commit, then the files records moved away from go. After a crash every record
        of the batch is complete or absent, and no key points at a missing file."""
        if not self.batched:
            return
        assert isinstance(self.keys, KeyStore)
        try:
            if self.warc is not None:
                self.warc.sync()
            self.store.flush()
        except BaseException:
            for database in (self.keys, *also):  # their rows would point at files never written
                database.rollback()
            raise
        self.keys.commit()
        for state in also:
            state.commit()
        self.store.remove_superseded()

    def close(self) -> None:
        self.flush()
        self.keys.close()
        if self.warc is not None:
            self.warc.close()

    def ingest(self, page: FetchedPage, extraction: Extraction) -> IngestResult:
        source = describe_source(page, extraction)
        with self.keys.hold(source.keys, [source.digest], [article_id(source.canonical)]):
            result = self._ingest(page, extraction, source)
        if result.outcome in (Outcome.MERGED, Outcome.UNCHANGED) and self.warc is not None:
            self._recapture(page.final_url, page.status, page.body, page, result.record.capture)
        return result

    def capture_resource(self, resource: FetchedResource) -> Capture | None:
        """Keep a response that is no article in the WARC; a ``304`` is a revisit of the article's capture."""
        if self.warc is None:
            return None
        if resource.status == 304 and (capture := self._capture_of(resource.url)):
            return self._recapture(resource.url, resource.status, None, resource, capture)
        return self.warc.write_response(resource.url, resource.status, resource.body, resource.http, resource.fetched_at)

    def _capture_of(self, url: str) -> dict[str, Any] | None:
        """The capture pointer of the article stored for ``url``, if it has one and its record reads."""
        found = self.keys.find_by_urls([url_key(url)])
        known = self.keys.article(found) if found else None
        try:
            return self.store.current(known.path).get("capture") if known else None
        except (OSError, ValueError):
            return None

    def _recapture(self, url: str, status: int, body: bytes | None, fetch: FetchedPage | FetchedResource,
                   pointer: dict[str, Any] | None) -> Capture:
        """A fetch that stored nothing new still goes to the WARC: a revisit (identical payload
        digest) when its body is the one the record's capture holds, or none came (304), else
        its own response."""
        assert self.warc is not None
        earlier = None
        if pointer:
            try:
                earlier = read_capture(self.data_dir, Capture.from_dict(pointer))
            except (ArchiverError, KeyError, ValueError):
                earlier = None
        if earlier is not None and earlier.payload_digest and (body is None or payload_digest(body) == earlier.payload_digest):
            return self.warc.write_revisit(url, status, fetch.http, fetch.fetched_at, digest=earlier.payload_digest,
                                           refers_to=Capture.from_dict(pointer), refers_to_uri=earlier.url,
                                           refers_to_date=earlier.date)
        return self.warc.write_response(url, status, body or b"", fetch.http, fetch.fetched_at)

    def _ingest(self, page: FetchedPage, extraction: Extraction, source: SourcePage) -> IngestResult:
        found = self.keys.find_by_urls(source.keys) or self.keys.find_by_content(source.digest)
        known = self.keys.article(found) if found else None
        if known is None:
            return self._store_new(page, extraction, source)
        stored = self.store.current(known.path)
        record = Article.from_dict(stored)
        merged_urls = record.urls + [u for u in source.urls if u not in record.urls]
        if source.quality > known.quality:
            return self._replace(page, extraction, source, known, record, merged_urls)
        if (
            source.quality == known.quality
            and url_key(source.canonical) == url_key(record.url)
            and is_real_change(record, extraction)
        ):
            return self._revise(page, extraction, source, known, record, merged_urls)
        if merged_urls == record.urls:
            return IngestResult(Outcome.UNCHANGED, record, known.path)
        record.urls = merged_urls
        path = self.store.write(record, previous=known.path)
        self.keys.claim(
            KnownArticle(record.id, path, known.content_hash, known.quality), source.keys, [source.digest], changed=False
        )
        return IngestResult(Outcome.MERGED, record, path)

    def rebuild(self, record: Article, extraction: Extraction, revisions: list[dict[str, Any]], path: Path) -> IngestResult:
        """Replace a record's content with a fresh extraction of its own capture (an extractor
        upgrade): identity, addresses, capture and history stay, dates follow :meth:`_revise`'s
        rules, and the keys follow the new content hash."""
        known = self.keys.article(record.id)
        rebuilt = replace(record, **extraction.content(), word_count=extraction.word_count,
                          content_hash=content_hash(extraction.text), revisions=revisions)
        if record.revisions:
            rebuilt.published = rebuilt.published or record.published
            rebuilt.modified = extraction.modified or record.fetched_at
        if rebuilt == record:
            return IngestResult(Outcome.UNCHANGED, record, path)
        new_path = self.store.write(rebuilt, previous=path)
        quality = known.quality if known else describe_source(
            FetchedPage(url=record.url, final_url=record.url, status=200, body=b""), extraction).quality
        self.keys.claim(KnownArticle(rebuilt.id, new_path, rebuilt.content_hash, quality),
                        [url_key(u) for u in rebuilt.urls], [rebuilt.content_hash])
        return IngestResult(Outcome.REVISED, rebuilt, new_path)

    def _build(self, page: FetchedPage, extraction: Extraction, source: SourcePage, urls: list[str]) -> Article:
        return Article(
            **extraction.content(),
            id=article_id(source.canonical),
            url=source.canonical,
            urls=urls,
            site=site_of(source.canonical),
            word_count=extraction.word_count,
            content_hash=source.digest,
            fetched_at=page.fetched_at,
        )

    def _save(self, record: Article, page: FetchedPage, quality: int, keys: list[str], previous: Path | None) -> Path:
        if self.warc is not None:
            record.capture = self.warc.write_response(page.final_url, page.status, page.body, page.http,
                                                      page.fetched_at).to_dict()
        path = self.store.write(record, previous=previous)
        self.keys.claim(KnownArticle(record.id, path, record.content_hash, quality), keys, [record.content_hash])
        return path

    def _store_new(self, page: FetchedPage, extraction: Extraction, source: SourcePage) -> IngestResult:
        record = self._build(page, extraction, source, source.urls)
        path = self._save(record, page, source.quality, source.keys, None)
        return IngestResult(Outcome.NEW, record, path)

    def _replace(
        self,
        page: FetchedPage,
        extraction: Extraction,
        source: SourcePage,
        known: KnownArticle,
        old: Article,
        urls: list[str],
    ) -> IngestResult:
        """A better source arrived (the article's own page): its fields win, no revision."""
        record = self._build(page, extraction, source, [source.canonical] + [u for u in urls if u != source.canonical])
        record.revisions = old.revisions
        if record.id != old.id:
            path = self.store.record_path(record)
            self.keys.move(old.id, KnownArticle(record.id, path, record.content_hash, source.quality))
        path = self._save(record, page, source.quality, source.keys, known.path)
        return IngestResult(Outcome.REPLACED, record, path, replaced_id=old.id if record.id != old.id else None)

    def _revise(
        self,
        page: FetchedPage,
        extraction: Extraction,
        source: SourcePage,
        known: KnownArticle,
        old: Article,
        urls: list[str],
    ) -> IngestResult:
        """The article's text, title or byline changed: keep the old version in ``revisions``."""
        record = self._build(page, extraction, source, urls)
        revision = {"fetched_at": old.fetched_at, "content_hash": old.content_hash, "modified": old.modified}
        revision["title"] = old.title
        revision["authors"] = old.authors
        revision["credit"] = old.credit
        revision["text"] = old.text
        revision["capture"] = old.capture
        record.revisions = old.revisions + [revision]
        if not record.published:  # the new version shows no date: the old one still holds
            record.published, record.published_source = old.published, old.published_source
        record.modified = extraction.modified or page.fetched_at
        path = self._save(record, page, source.quality, source.keys, known.path)
        return IngestResult(Outcome.REVISED, record, path)
