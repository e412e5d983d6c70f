"""The archive's SQLite files (key store, crawl state): one shared connection per file and process.

In a crawl the archive thread writes the key store and the crawl state while the spider,
the conditional-request middleware and the index pipeline read or write them from the
reactor thread. They all share one :class:`StateDb` per file, so a batch of the archive's
writes held in one open transaction (:meth:`StateDb.begin`, committed once the batch's
files are durable) never makes another user wait for SQLite's lock, and the key filters
(:mod:`archiver.storage.keyfilter`) loaded at open see every write of the process.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archiver.errors import DataDirError
from archiver.storage.keyfilter import KeyFilter

_open: dict[Path, StateDb] = {}
_open_lock = threading.Lock()


class StateDb:
    """One SQLite file under ``state/`` in WAL mode, shared by this process's users of it."""

    def __init__(self, path: Path, db: sqlite3.Connection):
        self.path = path
        self.db = db
        self.lock = threading.RLock()
        self.users = 0
        self.batching = False  #: writes go into one transaction until commit()
        self._filters: dict[str, KeyFilter] = {}

    def close(self) -> None:
        """One user is done; the last one closes the connection (committing an open batch)."""
        with _open_lock:
            self.users -= 1
            if self.users > 0:
                return
            _open.pop(self.path, None)
        with self.lock:
            self.commit(more=False)
            self.db.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.lock:
            return self.db.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """Statements applied all or none: their own transaction, or a savepoint in an open batch."""
        with self.lock:
            if self.batching and not self.db.in_transaction:
                self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("SAVEPOINT writing")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK TO writing")
                self.db.execute("RELEASE writing")
                raise
            self.db.execute("RELEASE writing")

    def begin(self) -> None:
        """Batch writes: from now on they go into one transaction until :meth:`commit`."""
        self.batching = True

    def commit(self, *, more: bool = True) -> None:
        """Commit the batch; with ``more=False`` the batching ends (later writes commit on their own)."""
        with self.lock:
            if self.db.in_transaction:
                self.db.execute("COMMIT")
            self.batching = self.batching and more

    def rollback(self) -> None:
        """Drop the batch's writes (its files could not be made durable)."""
        with self.lock:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")

    def key_filter(self, name: str, sql: str) -> KeyFilter:
        """The filter of the keys ``sql`` selects, loaded on first use and kept by every writer."""
        with self.lock:
            if name not in self._filters:
                self._filters[name] = KeyFilter(row[0] for row in self.db.execute(sql))
            return self._filters[name]


class StateFile:
    """What the key store and the crawl state share: their :class:`StateDb`, closed and batched."""

    db: StateDb

    def close(self) -> None:
        self.db.close()

    def begin(self) -> None:
        """Hold the following writes in one transaction until :meth:`commit` (a batch of records)."""
        self.db.begin()

    def commit(self, *, more: bool = True) -> None:
        """Commit the batch (``more=False``: and stop batching)."""
        self.db.commit(more=more)

    def rollback(self) -> None:
        self.db.rollback()


def open_state_db(path: Path, schema: str, what: str) -> StateDb:
    """This process's :class:`StateDb` of ``path``, its tables made; DataDirError if it can't be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = path.parent.resolve() / path.name
        with _open_lock:
            shared = _open.get(key)
            if shared is None:
                db = sqlite3.connect(key, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(schema)
                shared = _open[key] = StateDb(key, db)
            shared.users += 1
    except (OSError, sqlite3.Error) as exc:
        raise DataDirError(f"cannot open {what} {path}: {exc}") from exc
    return shared
