"""The JSON store: one file per article, written atomically; raw captures beside it.

Layout under the data dir::

    articles/<site>/<YYYY>/<MM>/<id>.json     (``undated/`` when no date is known)
    raw/<site>/<id>/<stamp>-<hash>.html.gz     (the HTML each version was read from)

The store is the source of truth: the index and the key store can be rebuilt from it.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archiver.errors import DataDirError
from archiver.items import Article
from archiver.urls import article_id, url_key

logger = logging.getLogger(__name__)

#: What may appear in a path segment built from a host name or id.
UNSAFE_SEGMENT = re.compile(r"[^a-z0-9._-]+")
MAX_SEGMENT = 100
RECORD_GLOB = "*/*/*/*.json"
RECORD_ID = re.compile(r"^[0-9a-f]{16}$")


def safe_segment(text: str) -> str:
    """A file-name-safe, bounded form of a host or id: never a path traversal."""
    segment = UNSAFE_SEGMENT.sub("_", text.lower()).strip("._") or "_"
    return segment[:MAX_SEGMENT]


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    A temp file in the same folder is written, fsynced and renamed over the target;
    the folder is fsynced so the rename survives a power cut.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def encode_record(record: Article) -> bytes:
    """The record as pretty UTF-8 JSON, fields in documented order."""
    return json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


@dataclass
class CorruptRecord:
    """A record file that could not be read (reported by stats, skipped by readers)."""

    path: Path
    error: str


class ArticleStore:
    """Reads and writes article records and raw captures under one data dir."""

    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self.articles_dir = self.data_dir / "articles"
        self.raw_dir = self.data_dir / "raw"

    def record_path(self, record: Article) -> Path:
        """Where a record lives: by site and publication month, named by id."""
        year, month = "undated", "00"
        if record.published and re.match(r"^\d{4}-\d{2}", record.published):
            year, month = record.published[:4], record.published[5:7]
        return self.articles_dir / safe_segment(record.site) / year / month / f"{safe_segment(record.id)}.json"

    def write(self, record: Article, previous: Path | None = None) -> Path:
        """Write a record atomically; remove the previous file if its path changed."""
        path = self.record_path(record)
        try:
            atomic_write(path, encode_record(record))
            if previous is not None and previous != path:
                previous.unlink(missing_ok=True)
        except OSError as exc:
            raise DataDirError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return path

    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def remove_temp_files(self, older_than: float = 0.0) -> int:
        """Delete the temp files of writes a killed crawl never finished; returns how many.

        Only safe while no other process writes here: the crawl lock's holder passes 0,
        writers sharing the dir pass an age no live write could reach.
        """
        cutoff = time.time() - older_than
        removed = 0
        for root in (self.articles_dir, self.raw_dir):
            for path in root.rglob(".*.tmp") if root.is_dir() else ():
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime <= cutoff:
                        path.unlink()
                        removed += 1
        return removed

    def save_raw(self, site: str, article_id: str, stamp: str, digest: str, body: bytes) -> Path:
        """Keep the captured HTML (gzip) so the article can be re-extracted offline."""
        name = f"{re.sub(r'[^0-9TZ]', '', stamp)}-{digest[:12]}.html.gz"
        path = self.raw_dir / safe_segment(site) / safe_segment(article_id) / name
        if not path.exists():
            try:
                atomic_write(path, gzip.compress(body, compresslevel=6))
            except OSError as exc:
                raise DataDirError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return path

    @staticmethod
    def read(path: Path) -> dict[str, Any]:
        """One record as a dict; ValueError when the file is not a valid record."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(name in data for name in ("id", "url", "text")):
            raise ValueError("not an article record")
        return data

    def paths(self) -> Iterator[Path]:
        """Every record file, in a stable order."""
        if not self.articles_dir.is_dir():
            return iter(())
        return iter(sorted(self.articles_dir.glob(RECORD_GLOB)))

    def iter_records(self, corrupt: list[CorruptRecord] | None = None) -> Iterator[dict[str, Any]]:
        """Stream every readable record; unreadable files are logged and skipped."""
        for path in self.paths():
            try:
                yield self.read(path)
            except (OSError, ValueError) as exc:
                logger.warning("Skipping unreadable record %s: %s", path, exc)
                if corrupt is not None:
                    corrupt.append(CorruptRecord(path, str(exc)))

    def find(self, id_or_url: str) -> dict[str, Any] | None:
        """The record with this id, or whose ``url``/``urls`` holds this URL."""
        if RECORD_ID.match(id_or_url):
            for path in self.articles_dir.glob(f"*/*/*/{id_or_url}.json"):
                return self.read(path)
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

