"""Exports streamed to a browser: the same writers as ``archiver export``, chunk by chunk.

JSON Lines and CSV are written by :func:`~archiver.reports.export.export_articles` in a
thread into a bounded queue that the response drains, so memory stays flat and the first
rows arrive at once. Parquet needs a seekable file: it is written to a temporary file
(outside the data dir) and streamed from there, then removed. A download's provenance
manifest (:func:`export_manifest`) is the one ``archiver export --out`` writes beside its file.
"""

from __future__ import annotations

import io
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archiver.datadir import DataDir
from archiver.reports.export import FILE_ONLY, Selection, export_articles

CHUNK = 64 * 1024
#: Chunks written ahead of the reader before the writer waits.
AHEAD = 16
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
               "parquet": "application/vnd.apache.parquet"}
_DONE = object()


class _ClientGone(Exception):
    """The browser stopped reading: the export thread stops writing."""


class _QueueFile(io.RawIOBase):
    """A write-only file whose writes a reader takes from a bounded queue."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[Any] = queue.Queue(AHEAD)
        self.gone = threading.Event()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        while True:
            if self.gone.is_set():
                raise _ClientGone()
            try:
                self.chunks.put(chunk, timeout=0.5)
                return len(chunk)
            except queue.Full:
                continue


def stream_export(data_dir: DataDir, selection: Selection, fmt: str) -> Iterator[bytes]:
    """The export of ``selection`` in ``fmt``, as the chunks of an HTTP response body.

    Errors found before the first byte (a bad query) are raised by the first ``next()``;
    the caller starts the generator before sending headers, so they become a one-line error page.
    """
    if fmt in FILE_ONLY:
        return _from_file(data_dir, selection, fmt)
    return _from_thread(data_dir, selection, fmt)


def _from_thread(data_dir: DataDir, selection: Selection, fmt: str) -> Iterator[bytes]:
    sink = _QueueFile()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            export_articles(data_dir, selection, fmt=fmt, out=io.BufferedWriter(sink, CHUNK))  # type: ignore[arg-type]
        except _ClientGone:
            pass
        except Exception as exc:  # handed to the response, which raises it
            failure.append(exc)
        finally:
            while not sink.gone.is_set():
                try:
                    sink.chunks.put(_DONE, timeout=0.5)
                    break
                except queue.Full:
                    continue

    threading.Thread(target=run, name="web-export", daemon=True).start()

    def chunks() -> Iterator[bytes]:
        try:
            while (chunk := sink.chunks.get()) is not _DONE:
                yield chunk
            if failure:
                raise failure[0]
        finally:
            sink.gone.set()

    return _started(chunks())


def export_file_name(fmt: str) -> str:
    """The name a download is saved under, and the ``file`` its manifest names."""
    return f"archive-export.{fmt}"


def export_manifest(data_dir: DataDir, selection: Selection, fmt: str) -> bytes:
    """The provenance manifest of the export of ``selection`` in ``fmt``, as ``archiver export --out`` writes it.

    The export is written once more to a temporary file for it: the manifest's SHA-256 is that of
    the download of the same selection from the same archive.
    """
    with tempfile.TemporaryDirectory(prefix="archiver-web-export-") as folder:
        result = export_articles(data_dir, selection, fmt=fmt, out=Path(folder) / export_file_name(fmt))
        assert result.manifest is not None
        return result.manifest.read_bytes()


def _from_file(data_dir: DataDir, selection: Selection, fmt: str) -> Iterator[bytes]:
    folder = Path(tempfile.mkdtemp(prefix="archiver-web-export-"))
    try:
        target = folder / export_file_name(fmt)
        export_articles(data_dir, selection, fmt=fmt, out=target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def chunks() -> Iterator[bytes]:
        try:
            with target.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return chunks()


def _started(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` with its first chunk already taken, so an error before any output raises here."""
    try:
        first = next(chunks)
    except StopIteration:
        return iter(())

    def rest() -> Iterator[bytes]:
        yield first
        yield from chunks

    return rest()
