"""Turn extracted pages into article records: dedup decision, record, raw capture.

This is the one place that decides whether a page is a new article, another address
of a known one, a better copy of it, or a changed version (a revision: only when the
article's own text, title or byline changed, see :mod:`archiver.storage.changes`).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from pathlib import Path

from archiver.datadir import DataDir
from archiver.items import Article, Extraction, FetchedPage
from archiver.storage.changes import is_real_change
from archiver.storage.dedup import SourcePage, describe_source
from archiver.storage.keystore import KeyStore, KnownArticle
from archiver.storage.records import ArticleStore
from archiver.storage.rediskeys import RedisKeyStore
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
    """The data dir's records and dedup keys, updated together one page at a time."""

    def __init__(self, data_dir: DataDir | Path, *, keep_raw: bool = True,
                 keys: KeyStore | RedisKeyStore | None = None):
        data_dir = DataDir.of(data_dir)
        self.store = ArticleStore(data_dir)
        self.keys = keys if keys is not None else open_key_store(data_dir)
        self.keep_raw = keep_raw

    def close(self) -> None:
        self.keys.close()

    def ingest(self, page: FetchedPage, extraction: Extraction) -> IngestResult:
        source = describe_source(page, extraction)
        with self.keys.hold(source.keys, [source.digest], [article_id(source.canonical)]):
            return self._ingest(page, extraction, source)

    def _ingest(self, page: FetchedPage, extraction: Extraction, source: SourcePage) -> IngestResult:
        found = self.keys.find_by_urls(source.keys) or self.keys.find_by_content(source.digest)
        known = self.keys.article(found) if found else None
        if known is None:
            return self._store_new(page, extraction, source)
        stored = self.store.read(known.path)
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
        if self.keep_raw:
            digest = hashlib.sha256(page.body).hexdigest()
            self.store.save_raw(record.site, record.id, page.fetched_at, digest, page.body)
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
        record.revisions = old.revisions + [revision]
        if not record.published:  # the new version shows no date: the old one still holds
            record.published, record.published_source = old.published, old.published_source
        record.modified = extraction.modified or page.fetched_at
        path = self._save(record, page, source.quality, source.keys, known.path)
        return IngestResult(Outcome.REVISED, record, path)
