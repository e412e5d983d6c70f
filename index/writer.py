"""Writing the index: batched upserts for the crawl, and an atomic full rebuild.

Whoosh allows one writer per index (a lock file). :class:`BatchWriter` takes the lock
when it is created, so a second writer waits up to ``lock_timeout`` and then fails
with a clear message, and commits every ``batch_size`` changes (each commit is what
readers see next). :func:`rebuild` builds a new index in a temporary directory beside
the old one, moves its segment files in and writes a new table of contents: the TOC
rename is Whoosh's own atomic commit point, so searches keep using the old
generation until that instant and a crash before it leaves the old index intact.

Both write segments with :class:`~index.bulk.BulkSegmentWriter` (postings in flat
arrays, written a block at a time). Memory: the writer reads segments with plain reads,
not mmap (see :func:`_unmapped`); a batch's postings take about 20 KB an article, and
merges only ever combine small segments (:func:`~index.bulk.merge_small_segments`);
after each commit freed heap pages go back to the OS (:func:`release_memory`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, LockError, clean_files
from whoosh.writing import NO_MERGE

from index.bulk import BulkSegmentWriter, merge_small_segments
from index.errors import IndexUnavailable
from index.schema import to_document
from index.storage import INDEX_NAME, WRITE_LOCK, create_whoosh_index, locked, open_whoosh_index, segment_storage

logger = logging.getLogger(__name__)


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Give free heap pages back to the OS.

    A commit frees the batch's posting pool (and a merge's) all at once, but glibc keeps
    freed pages below the top of the heap, so without this the writer's RSS ratchets up
    with every merge. Takes about a millisecond.
    """
    if _TRIM is not None:
        _TRIM(0)


def _unmapped(ix):
    """``ix`` opened again on a storage that reads segments with plain reads, not mmap.

    Each batch's writer opens every segment (to replace documents by id) and merges read
    whole segments. Whoosh's readers keep their mmaps alive in reference cycles until
    the cyclic garbage collector runs, so a crawl's RSS collected the mapped pages of
    old, even deleted, segments: 90 MB of file-backed RSS at 10,000 articles, growing
    with the index. Plain reads go through the page cache without counting in RSS.
    Searching maps segments (:class:`~index.storage.MappedStorage`); writing never does.
    """
    if not isinstance(ix.storage, FileStorage):
        return ix
    return FileIndex(segment_storage(ix.storage.folder), indexname=ix.indexname)


class BatchWriter:
    """Adds, replaces and deletes articles, committing every ``batch_size`` changes, or
    once the oldest uncommitted change is ``commit_interval`` seconds old (see
    :meth:`commit_if_due`), so a slow crawl's articles become searchable as it goes.

    Changes wait in memory, one per article id, and reach Whoosh at the commit: its
    ``update_document`` and ``delete_by_term`` only see committed segments, so a change
    to a document added earlier in the same batch (a copy re-keyed to the article's own
    page, a revision stored soon after the first version) left both in the index. Here
    the last change to an id wins, whatever the order of events.
    """

    def __init__(self, ix, *, batch_size: int = 500, lock_timeout: float = 30.0,
                 on_commit: Callable[[], None] | None = None, commit_interval: float | None = None):
        self._ix = _unmapped(ix)
        #: Fields of this index: one built before a field was added (``credit``) indexes what it knows.
        self._fields = frozenset(self._ix.schema.names())
        self.on_commit = on_commit  #: called after each commit, e.g. to note what is now durable
        self.batch_size = max(1, batch_size)
        self.commit_interval = commit_interval
        self.lock_timeout = lock_timeout
        self._changes: dict[str, dict[str, Any] | None] = {}  #: id -> its document, or None to delete it
        self._pending = 0
        self._oldest_change: float | None = None  #: time.monotonic() of the first uncommitted change
        self._closed = False
        self._writer = self._open()  # the lock now: a second writer waits or fails at once, not at a commit

    def _open(self):
        try:
            return BulkSegmentWriter(self._ix, timeout=self.lock_timeout, delay=0.1)
        except LockError:
            raise locked(self._ix.storage.folder, self.lock_timeout) from None

    def upsert(self, record: dict[str, Any]) -> None:
        """Add the article, replacing any document with the same id."""
        document = to_document(record)
        self._stage(document["id"], document)

    def delete(self, article_id: str) -> None:
        self._stage(str(article_id), None)

    def _stage(self, article_id: str, document: dict[str, Any] | None) -> None:
        if self._closed:
            raise ValueError("BatchWriter is closed")
        self._changes.pop(article_id, None)  # re-inserted: the dict keeps the order of last changes
        self._changes[article_id] = document
        self._pending += 1
        if self._oldest_change is None:
            self._oldest_change = time.monotonic()
        if self._pending >= self.batch_size:
            self.commit()

    def commit_if_due(self) -> None:
        """Commit when the oldest pending change has waited ``commit_interval`` seconds."""
        if (self.commit_interval is not None and self._oldest_change is not None
                and time.monotonic() - self._oldest_change >= self.commit_interval):
            self.commit()

    def commit(self) -> None:
        """Make pending changes visible to new searches (and release the lock until the next change)."""
        writer, self._writer = self._writer, None
        changes, self._changes = self._changes, {}
        self._pending = 0
        self._oldest_change = None
        if not changes:
            if writer is None:
                return
            writer.cancel()
        else:
            writer = writer or self._open()
            try:
                for article_id, document in changes.items():
                    writer.delete_by_term("id", article_id)
                    if document is not None:
                        writer.add_document(**{k: v for k, v in document.items() if k in self._fields})
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=merge_small_segments)
        release_memory()
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


#: The writer process's name in ``ps``/``top`` (``/proc/<pid>/comm``).
WRITER_PROCESS_NAME = "index-writer"


def put_while_alive(inbox: Any, item: Any, process: Any) -> bool:
    """Put ``item`` on a bounded queue, waiting while it is full; False if its reader process died."""
    while True:
        try:
            inbox.put(item, timeout=1.0)
            return True
        except queue.Full:
            if not process.is_alive():
                return False


class IndexWriterFailed(RuntimeError):
    """The background writer process stopped; what it had not committed is not indexed."""


class BackgroundWriter:
    """A :class:`BatchWriter` in a child process, for a crawl.

    Indexing is pure-Python Whoosh, about 4–5 ms of CPU a document: run on the crawl's
    reactor thread it took 30 % of that thread's CPU and stalled downloads and the
    extraction hand-off behind it. Here the parent only queues records (pickled
    by the queue's feeder thread) and the child analyses, writes and merges on the
    other core. Changes keep their order. The queue is bounded: a parent more than
    ``backlog`` changes ahead blocks in :meth:`upsert` until the child catches up.

    After each commit the child reports the ids it made durable; :meth:`committed`
    and :meth:`close` return them, so the caller marks only those as indexed. A child
    that fails raises :class:`IndexWriterFailed` from the next call; everything it did
    not commit stays unindexed for the next run to index.
    """

    def __init__(self, index_dir: Path | str, *, batch_size: int = 500, lock_timeout: float = 30.0,
                 backlog: int | None = None, commit_interval: float | None = None):
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                          else "spawn")
        self._inbox = ctx.Queue(maxsize=backlog or 2 * max(1, batch_size))
        self._reports, child_end = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_serve, name=WRITER_PROCESS_NAME, daemon=True,
                                    args=(str(index_dir), batch_size, lock_timeout, commit_interval, self._inbox,
                                          child_end))
        self._process.start()
        child_end.close()
        self._failed: str | None = None
        self._closed = False
        try:
            if not self._reports.poll(lock_timeout + 60.0):
                raise EOFError
            kind, detail = self._reports.recv()
        except EOFError:
            self.kill()
            raise IndexUnavailable(f"the index writer for {index_dir} did not start") from None
        if kind != "ready":
            self._process.join()
            raise IndexUnavailable(detail)

    def upsert(self, record: dict[str, Any]) -> None:
        """Add the article, replacing any document with the same id."""
        self._send(("upsert", record))

    def delete(self, article_id: str) -> None:
        self._send(("delete", str(article_id)))

    def commit(self) -> None:
        """Ask for a commit now (its ids come back through :meth:`committed`)."""
        self._send(("commit", None))

    def committed(self) -> list[str]:
        """Ids the child has committed since the last call; never waits."""
        return [] if self._closed else self._drain(wait=False)

    def close(self) -> list[str]:
        """Commit what is pending, stop the child; returns the ids committed since :meth:`committed`."""
        if self._closed:
            return []
        self._closed = True
        if self._failed is None:
            self._send(("close", None))
        ids = self._drain(wait=True)
        self._process.join()
        return ids

    def kill(self) -> None:
        """Stop the child without committing (its uncommitted changes stay unindexed)."""
        self._closed = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join()

    def _send(self, message: tuple[str, Any]) -> None:
        if self._failed is not None:
            raise IndexWriterFailed(self._failed)
        if not put_while_alive(self._inbox, message, self._process):
            self._drain(wait=False)
            self._died()

    def _drain(self, *, wait: bool) -> list[str]:
        """Read the child's reports; with ``wait``, until it says it has closed or it dies."""
        ids: list[str] = []
        while self._failed is None:
            if not self._reports.poll(1.0 if wait else 0):
                if wait and self._process.is_alive():
                    continue
                if wait:
                    self._died()
                break
            try:
                kind, detail = self._reports.recv()
            except EOFError:
                self._died()
            if kind == "committed":
                ids += detail
            elif kind == "closed":
                break
            else:
                self._fail(detail)
        return ids

    def _fail(self, message: str) -> None:
        self._failed = message
        raise IndexWriterFailed(message)

    def _died(self) -> None:
        self._fail(f"index writer process died (exit code {self._process.exitcode})")


def _serve(index_dir: str, batch_size: int, lock_timeout: float, commit_interval: float | None, inbox,
           reports) -> None:
    """The writer process: apply queued changes with a BatchWriter until told to close.

    Ignores SIGINT, SIGTERM and SIGHUP, which a terminal (Ctrl-C, a hang-up) or a
    service manager sends to the whole process group: the parent shuts down gracefully
    and then closes this writer. If the parent dies, commit what is pending and exit,
    releasing the index lock for the next crawl.
    """
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # name it for top/ps (and benchmarks/crawl.py); Linux only
        Path("/proc/self/comm").write_text(WRITER_PROCESS_NAME)
    parent = multiprocessing.parent_process()
    uncommitted: list[str] = []

    def report(kind: str, detail: Any) -> None:
        with contextlib.suppress(OSError):  # the parent is gone: its next run indexes what it never heard of
            reports.send((kind, detail))

    def committed() -> None:
        report("committed", list(uncommitted))
        uncommitted.clear()

    try:
        writer = BatchWriter(open_whoosh_index(index_dir, create=True), batch_size=batch_size,
                             lock_timeout=lock_timeout, on_commit=committed, commit_interval=commit_interval)
    except Exception as exc:  # locked, unreadable: the parent raises it as IndexUnavailable
        report("error", str(exc))
        return
    report("ready", None)
    try:
        while True:
            writer.commit_if_due()
            try:
                kind, value = inbox.get(timeout=1.0)
            except queue.Empty:
                if parent is not None and not parent.is_alive():
                    break
                continue
            if kind == "upsert":
                uncommitted.append(value["id"])
                writer.upsert(value)
            elif kind == "delete":
                writer.delete(value)
            elif kind == "commit":
                writer.commit()
            else:
                break
        writer.close()
        report("closed", None)
    except Exception as exc:  # report it; the lock goes with this process
        logger.exception("Index writer failed")
        report("error", f"index writer failed: {exc!r}")


def rebuild(
    index_dir: Path | str,
    records: Iterable[dict[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
    procs: int = 2,
    segment_docs: int = 20_000,
    lock_timeout: float = 60.0,
) -> int:
    """Build a fresh index from ``records`` and swap it in atomically; returns the count.

    With ``procs`` > 1 the records are dealt out in small batches to that many
    builders (this process and ``procs - 1`` workers), each writing segments of
    ``segment_docs`` documents (memory grows with it: about 20 KB a document); the
    segments are then listed in one table of contents, never merged.
    """
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.rebuild-", dir=index_dir.parent))
    parts = [tmp / f"part{i}" for i in range(max(1, procs))]
    workers: list[_Worker] = []
    try:
        workers = [_Worker(part, segment_docs) for part in parts[1:]]
        builder = SegmentBuilder(parts[0], segment_docs)
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
                    turn = _deal(batch, turn, builder, workers)
                    batch = []
                if progress is not None and count % 200 == 0:
                    progress(count)
            _deal(batch, turn, builder, workers)
        except BaseException:
            builder.cancel()
            raise
        builder.finish()
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


class SegmentBuilder:
    """Adds documents to a new index, committing a segment every ``segment_docs`` documents."""

    def __init__(self, path: Path, segment_docs: int):
        self._ix = create_whoosh_index(path)
        self.segment_docs = max(1, segment_docs)
        self._writer: BulkSegmentWriter | None = None
        self._in_segment = 0

    def add(self, record: dict[str, Any]) -> None:
        if self._writer is None:
            self._writer = BulkSegmentWriter(self._ix)
        self._writer.add_document(**to_document(record))
        self._in_segment += 1
        if self._in_segment >= self.segment_docs:
            self.finish()

    def finish(self) -> None:
        """Commit the segment being written (never merging)."""
        if self._writer is not None:
            self._writer.commit(mergetype=NO_MERGE)
            self._writer, self._in_segment = None, 0
            release_memory()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None


def _deal(batch: list[dict[str, Any]], turn: int, builder: SegmentBuilder, workers: list[_Worker]) -> int:
    """Give one batch to the builder whose turn it is; returns the next turn."""
    if not batch:
        return turn
    if turn == 0:
        for record in batch:
            builder.add(record)
    else:
        workers[turn - 1].send(batch)
    return (turn + 1) % (len(workers) + 1)


def _build_part(path: str, segment_docs: int, inbox) -> None:
    """Worker process: index every batch from ``inbox`` into its own index, until None."""
    builder = SegmentBuilder(Path(path), segment_docs)
    while (batch := inbox.get()) is not None:
        for record in batch:
            builder.add(record)
    builder.finish()


class _Worker:
    """One builder process writing the segments of ``path``."""

    def __init__(self, path: Path, segment_docs: int):
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.inbox = ctx.Queue(maxsize=16)
        self.process = ctx.Process(target=_build_part, args=(str(path), segment_docs, self.inbox), daemon=True)
        self.process.start()

    def send(self, item: Any) -> None:
        if not put_while_alive(self.inbox, item, self.process):
            raise RuntimeError(f"index writer process failed (exit code {self.process.exitcode})")

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
            raise locked(index_dir, lock_timeout)
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
