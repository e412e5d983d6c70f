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
from archiver.storage.sqlitedb import open_state_db
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


class FetchState:
    """What the archive knows of each page URL it has archived."""

    def __init__(self, data_dir: DataDir | Path):
        self.path = DataDir.of(data_dir).fetches_db
        self.db = open_state_db(self.path, SCHEMA, "the crawl state")

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> FetchRecord | None:
        try:
            key = clean_url(url)
        except ValueError:
            return None
        row = self.db.execute(
            "SELECT url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash, article_id FROM fetches WHERE key = ?",
            (key,),
        ).fetchone()
        return FetchRecord(*row) if row else None

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
        """Remember one fetch of ``url`` (replacing what was known of it)."""
        previous = self.get(url)
        sitemap_lastmod = sitemap_lastmod or (previous.sitemap_lastmod if previous else None)
        self.db.execute(
            "INSERT OR REPLACE INTO fetches (key, url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash,"
            " article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (clean_url(url), url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash, article_id),
        )

    def touch(self, url: str, fetched_at: str, sitemap_lastmod: str | None = None) -> None:
        """A revalidation said 'not modified': note the time (and the sitemap's lastmod)."""
        self.db.execute(
            "UPDATE fetches SET fetched_at = ?, sitemap_lastmod = coalesce(?, sitemap_lastmod) WHERE key = ?",
            (fetched_at, sitemap_lastmod, clean_url(url)),
        )
