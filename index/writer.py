"""Writing the index: batched upserts for the crawl, and an atomic full rebuild.

Whoosh allows one writer per index (a lock file). :class:`BatchWriter` takes the lock
when it is created, so a second writer waits up to ``lock_timeout`` and then fails
with a clear message, and commits every ``batch_size`` changes (each commit is what
readers see next). :func:`rebuild` builds a new index in a temporary directory beside
the old one, moves its segment files in and writes a new table of contents: the TOC
rename is Whoosh's own atomic commit point, so searches keep using the old
generation until that instant and a crash before it leaves the old index intact.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, LockError, clean_files

from archiver.errors import IndexUnavailable
from index.schema import build_schema, to_document

logger = logging.getLogger(__name__)

INDEX_NAME = "MAIN"  # Whoosh's default index name inside the directory
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"


def _locked_message(index_dir: Any, waited: float) -> str:
    return f"index is locked by another writer (waited {waited:g}s): {index_dir}; try again when it finishes"


class BatchWriter:
    """Adds, replaces and deletes articles, committing every ``batch_size`` changes."""

    def __init__(self, ix, *, batch_size: int = 500, lock_timeout: float = 30.0, limitmb: int = 128,
                 on_commit: Callable[[], None] | None = None):
        self._ix = ix
        self.on_commit = on_commit  #: called after each commit, e.g. to note what is now durable
        self.batch_size = max(1, batch_size)
        self.lock_timeout = lock_timeout
        self.limitmb = limitmb
        self._pending = 0
        self._closed = False
        self._writer = self._open()

    def _open(self):
        try:
            return self._ix.writer(timeout=self.lock_timeout, delay=0.1, limitmb=self.limitmb)
        except LockError:
            raise IndexUnavailable(_locked_message(self._ix.storage.folder, self.lock_timeout)) from None

    def _active(self):
        if self._closed:
            raise ValueError("BatchWriter is closed")
        if self._writer is None:
            self._writer = self._open()
        return self._writer

    def upsert(self, record: dict[str, Any]) -> None:
        """Add the article, replacing any document with the same id."""
        self._active().update_document(**to_document(record))
        self._changed()

    def delete(self, article_id: str) -> None:
        self._active().delete_by_term("id", str(article_id))
        self._changed()

    def _changed(self) -> None:
        self._pending += 1
        if self._pending >= self.batch_size:
            self.commit()

    def commit(self) -> None:
        """Make pending changes visible to new searches (and release the lock until the next change)."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        if self._pending:
            writer.commit()
        else:
            writer.cancel()
        self._pending = 0
        if self.on_commit is not None:
            self.on_commit()

    def close(self) -> None:
        if not self._closed:
            self.commit()
            self._closed = True

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def rebuild(
    index_dir: Path | str,
    records: Iterable[dict[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
    procs: int = 2,
    limitmb: int = 256,
    lock_timeout: float = 60.0,
) -> int:
    """Build a fresh index from ``records`` and swap it in atomically; returns the count.

    With ``procs`` > 1 the records are dealt out in small batches to that many
    writers (this process and ``procs - 1`` workers), each building its own segment;
    the segments are then listed in one table of contents. Whoosh's own multiprocess
    writer merges the sub-segments serially at commit, which made it slower than one
    writer here.
    """
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.rebuild-", dir=index_dir.parent))
    parts = [tmp / f"part{i}" for i in range(max(1, procs))]
    workers: list[_Worker] = []
    try:
        workers = [_Worker(part, limitmb) for part in parts[1:]]
        writer = _create(parts[0]).writer(limitmb=limitmb)
        count, batch, turn = 0, [], 0
        seen: set[str] = set()
        try:
            for record in records:
                article_id = str(record.get("id") or "")
                if not article_id or article_id in seen:
                    logger.warning("Skipping record without id or with a repeated id: %r", article_id)
                    continue
                seen.add(article_id)
                batch.append(record)
                count += 1
                if len(batch) >= _BATCH:
                    turn = _deal(batch, turn, writer, workers)
                    batch = []
                if progress is not None and count % 200 == 0:
                    progress(count)
            _deal(batch, turn, writer, workers)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        for worker in workers:
            worker.finish()
        if progress is not None:
            progress(count)
        swap_in(parts, index_dir, lock_timeout=lock_timeout)
    finally:
        for worker in workers:
            worker.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return count


_BATCH = 50


def _create(path: Path):
    path.mkdir(parents=True, exist_ok=True)
    return FileStorage(str(path)).create_index(build_schema(), indexname=INDEX_NAME)


def _deal(batch: list[dict[str, Any]], turn: int, writer, workers: list[_Worker]) -> int:
    """Give one batch to the writer whose turn it is; returns the next turn."""
    if not batch:
        return turn
    if turn == 0:
        for record in batch:
            writer.add_document(**to_document(record))
    else:
        workers[turn - 1].send(batch)
    return (turn + 1) % (len(workers) + 1)


def _build_part(path: str, limitmb: int, inbox) -> None:
    """Worker process: index every batch from ``inbox`` into its own index, until None."""
    writer = _create(Path(path)).writer(limitmb=limitmb)
    while (batch := inbox.get()) is not None:
        for record in batch:
            writer.add_document(**to_document(record))
    writer.commit()


class _Worker:
    """One writer process building the segment of ``path``."""

    def __init__(self, path: Path, limitmb: int):
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.inbox = ctx.Queue(maxsize=16)
        self.process = ctx.Process(target=_build_part, args=(str(path), limitmb, self.inbox), daemon=True)
        self.process.start()

    def send(self, item: Any) -> None:
        while True:
            try:
                self.inbox.put(item, timeout=1.0)
                return
            except queue.Full:
                if not self.process.is_alive():
                    raise RuntimeError(f"index writer process failed (exit code {self.process.exitcode})") from None

    def finish(self) -> None:
        self.send(None)
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"index writer process failed (exit code {self.process.exitcode})")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def swap_in(built_dirs: list[Path], index_dir: Path, *, lock_timeout: float = 60.0) -> None:
    """Make the segments built in ``built_dirs`` the current generation of ``index_dir``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    target = FileStorage(str(index_dir))
    tocs = [TOC.read(FileStorage(str(d)), INDEX_NAME) for d in built_dirs]
    segments = [seg for toc in tocs for seg in toc.segments]
    lock = target.lock(WRITE_LOCK)
    started = time.monotonic()
    while not lock.acquire():
        if time.monotonic() - started >= lock_timeout:
            raise IndexUnavailable(_locked_message(index_dir, lock_timeout))
        time.sleep(0.1)
    try:
        keep = {seg.segment_id() for seg in segments}
        pattern = TOC._segment_pattern(INDEX_NAME)
        for built_dir in built_dirs:
            for name in os.listdir(built_dir):
                match = pattern.match(name)
                if match and match.group(1) in keep:
                    os.replace(built_dir / name, index_dir / name)
        toc = TOC(tocs[0].schema, segments, TOC._latest_generation(target, INDEX_NAME) + 1)
        toc.write(target, INDEX_NAME)  # atomic: temp file + rename
        clean_files(target, INDEX_NAME, toc.generation, segments)
    finally:
        lock.release()
