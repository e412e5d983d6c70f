"""The archive's SQLite files (key store, crawl state): one way to open them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archiver.errors import DataDirError


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
