"""The JSON store: one file per article, written atomically.

Where each file lives is :class:`~archiver.datadir.DataDir`'s business; this module
reads and writes them. The store is the source of truth: the index and the key store
can be rebuilt from it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archiver.datadir import DataDir
from archiver.errors import ArchiverError, DataDirError
from archiver.items import Article
from archiver.storage.atomic import TEMP_SUFFIX, atomic_write, atomic_write_many
from archiver.urls import article_id, url_key

logger = logging.getLogger(__name__)

RECORD_ID = re.compile(r"^[0-9a-f]{16}$")


def encode_record(record: Article) -> bytes:
    """The record as pretty UTF-8 JSON, fields in documented order."""
    return json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


@dataclass
class CorruptRecord:
    """A record file that could not be read (reported by stats, skipped by readers)."""

    path: Path
    error: str


class ArticleStore:
    """Reads and writes article records under one data dir.

    Between :meth:`begin` and :meth:`flush` writes are held in memory (and :meth:`current`
    reads them back), then made durable together: one fsync per record and one per folder
    instead of two each. Files a batch supersedes go only with :meth:`remove_superseded`,
    once whatever pointed at them points at the new ones.
    """

    def __init__(self, data_dir: DataDir | Path | str):
        self.data_dir = DataDir.of(data_dir)
        self.pending: dict[Path, bytes] | None = None  #: a batch's writes, until flushed
        self.superseded: set[Path] = set()  #: files the flushed writes replace elsewhere

    def record_path(self, record: Article) -> Path:
        return self.data_dir.record_path(record.site, record.published, record.id)

    def begin(self) -> None:
        """Hold writes in memory until :meth:`flush`."""
        if self.pending is None:
            self.pending = {}

    def write(self, record: Article, previous: Path | None = None) -> Path:
        """Write a record atomically; remove the previous file if its path changed."""
        path = self.record_path(record)
        moved = previous is not None and previous != path
        if self.pending is not None:
            self.pending[path] = encode_record(record)
            self.superseded.discard(path)
            if moved:
                assert previous is not None
                self.pending.pop(previous, None)
                self.superseded.add(previous)
            return path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, encode_record(record))
            if moved:
                assert previous is not None
                previous.unlink(missing_ok=True)
        except OSError as exc:
            raise DataDirError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return path

    def current(self, path: Path) -> dict[str, Any]:
        """The record at ``path`` as last written, a batch's pending write included (see :meth:`read`)."""
        if self.pending and path in self.pending:
            return json.loads(self.pending[path])
        return self.read(path)

    def flush(self) -> None:
        """Make the batch's writes durable (the next ones are held again). On failure the batch
        is dropped: its records are absent, the files it would have superseded stay."""
        if not self.pending:
            return
        files, self.pending = self.pending, {}
        try:
            for folder in dict.fromkeys(path.parent for path in files):
                folder.mkdir(parents=True, exist_ok=True)
            atomic_write_many(files)
        except OSError as exc:
            self.superseded.clear()
            raise DataDirError(f"cannot write records in {self.data_dir.articles}: {exc.strerror or exc}") from exc

    def remove_superseded(self) -> None:
        """Delete the files flushed writes moved away from (call once nothing points at them)."""
        for path in self.superseded:
            path.unlink(missing_ok=True)
        self.superseded.clear()

    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def remove_temp_files(self, older_than: float = 0.0) -> int:
        """Delete the temp files of writes a killed crawl never finished; returns how many.

        Only safe while no other process writes here: the crawl lock's holder passes 0,
        writers sharing the dir pass an age no live write could reach.
        """
        cutoff = time.time() - older_than
        removed = 0
        for root in (self.data_dir.articles, self.data_dir.raw):
            for path in root.rglob(f".*{TEMP_SUFFIX}") if root.is_dir() else ():
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime <= cutoff:
                        path.unlink()
                        removed += 1
        return removed

    @staticmethod
    def read(path: Path) -> dict[str, Any]:
        """One record as a dict; ValueError when the file is not a valid record."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(name in data for name in ("id", "url", "text")):
            raise ValueError("not an article record")
        return data

    def paths(self) -> Iterator[Path]:
        """Every record file, in a stable order."""
        return iter(self.data_dir.record_paths())

    def iter_records(self, corrupt: list[CorruptRecord] | None = None,
                     paths: list[Path] | None = None) -> Iterator[dict[str, Any]]:
        """Stream every readable record (of ``paths``, default all of them). An unreadable
        file is skipped: added to ``corrupt`` for the caller to report, else logged."""
        for path in self.paths() if paths is None else paths:
            try:
                yield self.read(path)
            except (OSError, ValueError) as exc:
                if corrupt is None:
                    logger.warning("Skipping unreadable record %s: %s", path, exc)
                else:
                    corrupt.append(CorruptRecord(path, str(exc)))

    def find(self, id_or_url: str) -> dict[str, Any] | None:
        """The record with this id, or whose ``url``/``urls`` holds this URL."""
        if RECORD_ID.match(id_or_url):
            for path in self.data_dir.record_paths(id_or_url):
                return self._read_or_fail(path)
            return None
        try:
            wanted = url_key(id_or_url)
        except ValueError:
            return None
        direct = self.find(article_id(id_or_url))
        if direct is not None:
            return direct
        for record in self.iter_records():
            if any(url_key(u) == wanted for u in record.get("urls", [])):
                return record
        return None

    def get(self, id_or_url: str) -> dict[str, Any]:
        """Like :meth:`find`, but an ArchiverError when there is no such article."""
        record = self.find(id_or_url)
        if record is None:
            raise ArchiverError(f"no archived article with id or URL {id_or_url!r}")
        return record

    def _read_or_fail(self, path: Path) -> dict[str, Any]:
        try:
            return self.read(path)
        except (OSError, ValueError) as exc:
            raise ArchiverError(f"unreadable record {path}: {exc}") from None
