"""The index directory on disk: opening it, and what its failures mean.

Both the searcher (:mod:`index.search`) and the writers (:mod:`index.writer`) open the
index through :func:`open_whoosh_index`, so a missing, damaged or locked index gives
the same one-line :class:`~index.errors.IndexUnavailable` everywhere.

Segments are mapped into memory for searching and read in place
(:class:`MappedStorage`): Whoosh itself opens each file inside a compound segment
as ``BytesIO`` over a view of its mmap, which copies it, so opening a searcher on
100,000 articles copied every segment's postings and stored fields (1.8 s of CPU
and 1.5 GB of RSS before the first hit, paid by every ``archiver search``).
Writers read segments with plain reads (:func:`segment_storage`; why: the
writer's ``_unmapped``).
"""

from __future__ import annotations

import io
import mmap
import pickle
import struct
import zlib
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

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


#: Whoosh's compound segment files (one per segment, holding its postings, terms and columns).
SEGMENT_SUFFIX = ".seg"


def segment_storage(path: Path | str) -> FileStorage:
    """The index directory as Whoosh storage that reads files with plain reads, not mmap (see above)."""
    return FileStorage(str(path), supports_mmap=False)


class MappedStorage(FileStorage):
    """The index directory with each segment file mapped once and its inner files read in place."""

    def __init__(self, path: Path | str):
        super().__init__(str(path), supports_mmap=False)  # Whoosh's own mapping copies: see above

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        if not name.endswith(SEGMENT_SUFFIX):
            return super().open_file(name, **kwargs)
        handle = open(self._fpath(name), "rb")
        try:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty or unmappable: plain reads
            return StructFile(handle, name=name, **kwargs)
        return _MappedFile(handle, mapped, name=name, **kwargs)


class _MappedFile(StructFile):
    """A segment file: read plainly (its directory), its inner files handed out as views of the map."""

    def __init__(self, handle: Any, mapped: mmap.mmap, **kwargs: Any):
        super().__init__(handle, **kwargs)
        self._view = memoryview(mapped)

    def subset(self, offset: int, length: int, name: str | None = None) -> BufferFile:
        return _ViewFile(self._view[offset:offset + length], name=name or self._name)


class _ViewFile(BufferFile):
    """Whoosh's BufferFile over a view, without its copy into ``BytesIO``."""

    def __init__(self, view: memoryview, name: str | None = None):
        super().__init__(b"", name=name)
        self._buf = view
        self.file = _ViewReader(view)


class _ViewReader(io.RawIOBase):
    """A read-only file over a memoryview (reads copy only what they return)."""

    def __init__(self, view: memoryview):
        self._view = view
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._at + size)
        data = bytes(self._view[self._at:end])
        self._at = max(self._at, end)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._at = offset if whence == io.SEEK_SET else (self._at + offset if whence == io.SEEK_CUR
                                                          else len(self._view) + offset)
        return self._at

    def tell(self) -> int:
        return self._at


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
            ix = MappedStorage(path).open_index(INDEX_NAME)
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
