"""The index directory on disk: opening it, and what its failures mean.

Both the searcher (:mod:`index.search`) and the writers (:mod:`index.writer`) open the
index through :func:`open_whoosh_index`, so a missing, damaged or locked index gives
the same one-line :class:`~index.errors.IndexUnavailable` everywhere.

Segments are read with plain reads, never mmap (:func:`segment_storage`). Whoosh
opens each file inside a compound segment file as ``BytesIO`` over a view of the
mmap, which copies it: opening a searcher on 100,000 articles copied every segment's
postings and stored fields, 1.8 s of CPU and 1.5 GB of RSS before the first hit
(plain reads: 80 ms, 52 MB), paid by every ``archiver search``. Writers had the
same problem in another form (readers keep their mmaps alive in reference cycles
until the cyclic collector runs, so a crawl's RSS collected the pages of old, even
deleted, segments). Plain reads go through the page cache without counting in RSS.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from index.errors import IndexUnavailable
from index.schema import INDEX_FORMAT, build_schema, index_format

INDEX_NAME = "MAIN"  # Whoosh's default index name inside the directory
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"
#: Errors that mean the files on disk are damaged (as opposed to a bad query).
CORRUPTION = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, KeyError, IndexError)


def unavailable(index_dir: Path | str, exc: BaseException | None = None) -> IndexUnavailable:
    """The error for an index that cannot be read, telling the user how to rebuild it."""
    reason = f" ({type(exc).__name__})" if exc is not None else ""
    return IndexUnavailable(f"search index in {index_dir} is unreadable{reason}; run `archiver reindex` to rebuild it")


def outdated(index_dir: Path | str) -> IndexUnavailable:
    return IndexUnavailable(f"search index in {index_dir} was built by an older version of the archiver; "
                            "run `archiver reindex` to rebuild it")


def locked(index_dir: Any, waited: float) -> IndexUnavailable:
    return IndexUnavailable(f"index is locked by another writer (waited {waited:g}s): {index_dir}; "
                            "try again when it finishes")


def segment_storage(path: Path | str) -> FileStorage:
    """The index directory as Whoosh storage that reads files with plain reads, not mmap (see above)."""
    return FileStorage(str(path), supports_mmap=False)


def create_whoosh_index(path: Path) -> Any:
    """A new, empty index in ``path`` (made if missing)."""
    path.mkdir(parents=True, exist_ok=True)
    return segment_storage(path).create_index(build_schema(), indexname=INDEX_NAME)


def whoosh_index_exists(path: Path | str) -> bool:
    return Path(path).is_dir() and windex.exists_in(str(path), indexname=INDEX_NAME)


def open_whoosh_index(path: Path | str, *, create: bool = False) -> Any:
    """The Whoosh index in ``path``, checked readable and of this layout; IndexUnavailable otherwise."""
    path = Path(path)
    try:
        if whoosh_index_exists(path):
            ix = segment_storage(path).open_index(INDEX_NAME)
            ix.reader().close()  # opens every segment: catches truncated files now
        elif create:
            return create_whoosh_index(path)
        else:
            raise IndexUnavailable(f"no search index in {path}; run `archiver reindex` to build it")
    except IndexUnavailable:
        raise
    except Exception as exc:  # any failure to read the TOC, schema or segments
        raise unavailable(path, exc) from None
    if index_format(ix.schema) != INDEX_FORMAT:
        ix.close()
        raise outdated(path)
    return ix
