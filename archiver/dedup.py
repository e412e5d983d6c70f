"""Dedup keys and the persistent key store that maps them to article ids.

An article is known by every URL key that resolved to it (canonical, variants,
redirects) and by the hash of its normalised text. The key store is a SQLite file in
``state/``: lookups are O(1) and survive restarts, so dedup holds across runs without
scanning the JSON store.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archiver.errors import DataDirError

if TYPE_CHECKING:
    from archiver.distributed import RedisKeyStore

NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

#: How trustworthy a page is as the source of its article's record.
QUALITY_ALIAS = 0  #: AMP/print variant, or a page whose canonical link names another URL
QUALITY_UNLINKED = 1  #: a page with no canonical link (possibly a syndicated copy)
QUALITY_CANONICAL = 2  #: the article's own page: its canonical link names itself

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


def normalise_text(text: str) -> str:
    """Text reduced to its words: case, accents' composition, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(NON_WORD.sub(" ", text).split())


def content_hash(text: str) -> str:
    """The exact-duplicate key of an article body."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def open_state_db(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """A SQLite file under ``state/`` in WAL mode with its tables made; DataDirError if it can't be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(schema)
    except (OSError, sqlite3.Error) as exc:
        raise DataDirError(f"cannot open {what} {path}: {exc}") from exc
    return db


@dataclass
class KnownArticle:
    """What the key store remembers of one stored article."""

    id: str
    path: Path
    content_hash: str
    quality: int


class KeyStore:
    """URL keys and content hashes → article ids, in SQLite (WAL, one writer)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.db = open_state_db(self.path, SCHEMA, "the key store")

    def close(self) -> None:
        self.db.close()

    def hold(self, url_keys: list[str], digests: list[str], ids: list[str]) -> contextlib.AbstractContextManager[None]:
        """Lock one page's dedup decision; a single writer needs no lock (see RedisKeyStore.hold)."""
        return contextlib.nullcontext()

    def find_by_urls(self, keys: list[str]) -> str | None:
        """The article id claimed by the first of these URL keys that has one."""
        for key in keys:
            row = self.db.execute("SELECT article_id FROM url_keys WHERE key = ?", (key,)).fetchone()
            if row:
                return row[0]
        return None

    def find_by_content(self, digest: str) -> str | None:
        row = self.db.execute("SELECT article_id FROM content_keys WHERE hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    def article(self, article_id: str) -> KnownArticle | None:
        row = self.db.execute(
            "SELECT id, path, content_hash, quality FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return KnownArticle(row[0], Path(row[1]), row[2], row[3]) if row else None

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def claim(self, known: KnownArticle, url_keys: list[str], digests: list[str], *, changed: bool = True) -> None:
        """Record an article and point these keys at it, in one transaction.

        ``changed`` marks the record as not yet in the search index (see :meth:`unindexed`).
        """
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO articles (id, path, content_hash, quality) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
                " SET path = excluded.path, content_hash = excluded.content_hash, quality = excluded.quality,"
                " indexed = CASE WHEN ? THEN 0 ELSE indexed END",
                (known.id, str(known.path), known.content_hash, known.quality, changed),
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO url_keys (key, article_id) VALUES (?, ?)", [(k, known.id) for k in url_keys]
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO content_keys (hash, article_id) VALUES (?, ?)", [(d, known.id) for d in digests]
            )

    def unindexed(self) -> list[KnownArticle]:
        """Stored articles whose latest version may not be in the index (a crash before its commit)."""
        rows = self.db.execute("SELECT id, path, content_hash, quality FROM articles WHERE indexed = 0").fetchall()
        return [KnownArticle(r[0], Path(r[1]), r[2], r[3]) for r in rows]

    def mark_indexed(self, ids: list[str]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in ids])

    def move(self, old_id: str, new: KnownArticle) -> None:
        """Re-key an article: every key of ``old_id`` now names ``new.id``."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE url_keys SET article_id = ? WHERE article_id = ?", (new.id, old_id))
            self.db.execute("UPDATE content_keys SET article_id = ? WHERE article_id = ?", (new.id, old_id))
            self.db.execute("DELETE FROM articles WHERE id = ?", (old_id,))
            self.db.execute(
                "INSERT OR REPLACE INTO articles (id, path, content_hash, quality) VALUES (?, ?, ?, ?)",
                (new.id, str(new.path), new.content_hash, new.quality),
            )


def open_key_store(data_dir: Path | str, redis_url: str | None = None) -> KeyStore | RedisKeyStore:
    """The archive's key store: SQLite in ``state/``, or in Redis when distributed workers share the archive."""
    if redis_url:
        from archiver.distributed import RedisKeyStore

        return RedisKeyStore.from_url(redis_url, data_dir)
    return KeyStore(Path(data_dir) / "state" / "keys.sqlite")
