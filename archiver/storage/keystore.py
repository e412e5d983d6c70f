"""The persistent key store: which article each URL key and content hash belongs to.

An article is known by every URL key that resolved to it (canonical, variants,
redirects) and by the hash of its normalised text. The key store is a SQLite file in
``state/``: lookups are O(1) and survive restarts, so dedup holds across runs without
scanning the JSON store. Distributed workers share the same interface in Redis
(:mod:`archiver.storage.rediskeys`).

Record paths are stored relative to the data dir, so a copied, moved or restored archive
finds its own records (and never touches the original's). Key stores written before that
(``user_version`` 0, absolute paths) are migrated when they are opened.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archiver.datadir import DataDir
from archiver.storage.sqlitedb import StateFile, open_state_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS url_keys (key TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS content_keys (hash TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    quality INTEGER NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS url_keys_by_article ON url_keys(article_id);
CREATE INDEX IF NOT EXISTS content_keys_by_article ON content_keys(article_id);
"""
#: ``PRAGMA user_version`` of a key store whose record paths are relative to the data dir.
RELATIVE_PATHS = 1


@dataclass
class KnownArticle:
    """What the key store remembers of one stored article."""

    id: str
    path: Path
    content_hash: str
    quality: int


class KeyStore(StateFile):
    """URL keys and content hashes → article ids, in SQLite (WAL, one writer).

    Whether a key is claimed at all is answered from in-memory filters of every URL key
    and content hash (loaded at open, kept by :meth:`claim`): a page never seen, the
    common case, costs no query. :meth:`begin` and :meth:`commit` hold a batch of
    claims in one transaction (the archive commits once the batch's files are durable).
    """

    def __init__(self, data_dir: DataDir | Path):
        self.data_dir = DataDir.of(data_dir)
        self.path = self.data_dir.keys_db
        self.db = open_state_db(self.path, SCHEMA, "the key store")
        if self.db.query("PRAGMA user_version")[0][0] < RELATIVE_PATHS:
            self._migrate()
        self.url_filter = self.db.key_filter("url_keys", "SELECT key FROM url_keys")
        self.content_filter = self.db.key_filter("content_keys", "SELECT hash FROM content_keys")

    def _migrate(self) -> None:
        """Make the record paths of an older key store relative to the data dir (idempotent)."""
        with self.db.writing() as db:
            rows = db.execute("SELECT id, path FROM articles").fetchall()
            db.executemany("UPDATE articles SET path = ? WHERE id = ?",
                           [(str(self.data_dir.relocated_record(path)), i) for i, path in rows])
            db.execute(f"PRAGMA user_version = {RELATIVE_PATHS}")


    def hold(self, url_keys: list[str], digests: list[str], ids: list[str]) -> contextlib.AbstractContextManager[None]:
        """Lock one page's dedup decision; a single writer needs no lock (see RedisKeyStore.hold)."""
        return contextlib.nullcontext()

    def find_by_urls(self, keys: list[str]) -> str | None:
        """The article id claimed by the first of these URL keys that has one."""
        for key in keys:
            if key in self.url_filter:
                rows = self.db.query("SELECT article_id FROM url_keys WHERE key = ?", (key,))
                if rows:
                    return rows[0][0]
        return None

    def find_by_content(self, digest: str) -> str | None:
        if digest not in self.content_filter:
            return None
        rows = self.db.query("SELECT article_id FROM content_keys WHERE hash = ?", (digest,))
        return rows[0][0] if rows else None

    def article(self, article_id: str) -> KnownArticle | None:
        rows = self.db.query("SELECT id, path, content_hash, quality FROM articles WHERE id = ?", (article_id,))
        return self._known(rows[0]) if rows else None

    def count(self) -> int:
        return self.db.query("SELECT count(*) FROM articles")[0][0]

    def entries(self) -> Iterator[KnownArticle]:
        """Every article the key store knows (for consistency checks)."""
        for row in self.db.query("SELECT id, path, content_hash, quality FROM articles ORDER BY id"):
            yield self._known(row)

    def forget(self, article_id: str) -> None:
        """Drop an article and every key naming it (its record is gone from the store)."""
        with self.db.writing() as db:
            db.execute("DELETE FROM url_keys WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM content_keys WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def claim(self, known: KnownArticle, url_keys: list[str], digests: list[str], *, changed: bool = True) -> None:
        """Record an article and point these keys at it, in one transaction.

        ``changed`` marks the record as not yet in the search index (see :meth:`unindexed`).
        """
        with self.db.writing() as db:
            db.execute(
                "INSERT INTO articles (id, path, content_hash, quality) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
                " SET path = excluded.path, content_hash = excluded.content_hash, quality = excluded.quality,"
                " indexed = CASE WHEN ? THEN 0 ELSE indexed END",
                (known.id, self._stored(known.path), known.content_hash, known.quality, changed),
            )
            db.executemany(
                "INSERT OR REPLACE INTO url_keys (key, article_id) VALUES (?, ?)", [(k, known.id) for k in url_keys]
            )
            db.executemany(
                "INSERT OR REPLACE INTO content_keys (hash, article_id) VALUES (?, ?)", [(d, known.id) for d in digests]
            )
        self.url_filter.update(url_keys)
        self.content_filter.update(digests)

    def unindexed(self) -> list[KnownArticle]:
        """Stored articles whose latest version may not be in the index (a crash before its commit)."""
        rows = self.db.query("SELECT id, path, content_hash, quality FROM articles WHERE indexed = 0")
        return [self._known(row) for row in rows]

    def mark_indexed(self, ids: list[str]) -> None:
        with self.db.writing() as db:
            db.executemany("UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in ids])

    def move(self, old_id: str, new: KnownArticle) -> None:
        """Re-key an article: every key of ``old_id`` now names ``new.id``."""
        with self.db.writing() as db:
            db.execute("UPDATE url_keys SET article_id = ? WHERE article_id = ?", (new.id, old_id))
            db.execute("UPDATE content_keys SET article_id = ? WHERE article_id = ?", (new.id, old_id))
            db.execute("DELETE FROM articles WHERE id = ?", (old_id,))
            db.execute(
                "INSERT OR REPLACE INTO articles (id, path, content_hash, quality) VALUES (?, ?, ?, ?)",
                (new.id, self._stored(new.path), new.content_hash, new.quality),
            )

    def _stored(self, path: Path) -> str:
        return str(self.data_dir.relative(path))

    def _known(self, row: tuple[str, str, str, int]) -> KnownArticle:
        return KnownArticle(row[0], self.data_dir.absolute(row[1]), row[2], row[3])
