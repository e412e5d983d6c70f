"""Per-URL crawl state, so a later run fetches only what is new or changed.

For every archived page: when it was fetched, its ``ETag`` / ``Last-Modified`` (for
conditional requests), the sitemap ``<lastmod>`` seen with it, its content hash and the
article it belongs to. Kept in SQLite (``state/fetches.sqlite``, or in ``ARCHIVER_STATE_DIR``
on local disk for distributed workers): readers (the spider, the conditional-request
middleware) and the one writer (the archive pipeline) share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archiver.datadir import DataDir
from archiver.storage.sqlitedb import StateFile, open_state_db
from archiver.urls import clean_url

SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    sitemap_lastmod TEXT,
    content_hash TEXT,
    article_id TEXT
);
"""


@dataclass
class FetchRecord:
    url: str
    fetched_at: str
    etag: str | None
    last_modified: str | None
    sitemap_lastmod: str | None
    content_hash: str | None
    article_id: str | None


class FetchState(StateFile):
    """What the archive knows of each page URL it has archived.

    Whether a URL is known at all comes from an in-memory filter of every key (loaded at
    open, kept by :meth:`record`), so the spider's and the middleware's question about a
    page never seen costs no query. :meth:`begin` / :meth:`commit` hold a batch of
    records in one transaction (the archive commits once the batch's files are durable).
    """

    def __init__(self, data_dir: DataDir | Path):
        self.path = DataDir.of(data_dir).fetches_db
        self.db = open_state_db(self.path, SCHEMA, "the crawl state")
        self.keys = self.db.key_filter("fetches", "SELECT key FROM fetches")

    def get(self, url: str) -> FetchRecord | None:
        try:
            key = clean_url(url)
        except ValueError:
            return None
        if key not in self.keys:
            return None
        rows = self.db.query(
            "SELECT url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash, article_id FROM fetches WHERE key = ?",
            (key,),
        )
        return FetchRecord(*rows[0]) if rows else None

    def is_archived(self, url: str) -> bool:
        record = self.get(url)
        return record is not None and record.article_id is not None

    def record(
        self,
        url: str,
        *,
        fetched_at: str,
        etag: str | None,
        last_modified: str | None,
        sitemap_lastmod: str | None,
        content_hash: str | None,
        article_id: str | None,
    ) -> None:
        """Remember one fetch of ``url`` (replacing what was known of it but a sitemap lastmod it lacks)."""
        key = clean_url(url)
        with self.db.writing() as db:
            db.execute(
                "INSERT INTO fetches (key, url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash,"
                " article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET url = excluded.url,"
                " fetched_at = excluded.fetched_at, etag = excluded.etag, last_modified = excluded.last_modified,"
                " sitemap_lastmod = coalesce(excluded.sitemap_lastmod, fetches.sitemap_lastmod),"
                " content_hash = excluded.content_hash, article_id = excluded.article_id",
                (key, url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash, article_id),
            )
        self.keys.add(key)

    def touch(self, url: str, fetched_at: str, sitemap_lastmod: str | None = None) -> None:
        """A revalidation said 'not modified': note the time (and the sitemap's lastmod)."""
        with self.db.writing() as db:
            db.execute(
                "UPDATE fetches SET fetched_at = ?, sitemap_lastmod = coalesce(?, sitemap_lastmod) WHERE key = ?",
                (fetched_at, sitemap_lastmod, clean_url(url)),
            )
