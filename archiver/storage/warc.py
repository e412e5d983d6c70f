"""Writing raw captures as WARC (ISO 28500), the web archivists' format.

Every archived page becomes a ``response`` record (HTTP headers and body) followed by its
``request`` record; an unchanged re-crawl or a ``304`` becomes a ``revisit`` record
(identical-payload-digest profile) pointing at the capture it repeats. Records are
gzipped one by one and appended to the writer's current file in ``warc/``, which rotates
at a size limit and opens with a ``warcinfo`` record naming the crawler and its settings.

A crawl killed in the middle of a record leaves a torn tail; :func:`repair_warcs`
truncates every file back to its last complete record before a writer starts, and a
file being written is locked so that a repair never touches it.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import io
import json
import logging
import os
import socket
import zlib
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Callable
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.datadir import DataDir
from archiver.errors import DataDirError
from archiver.items import HttpExchange
from archiver.storage.atomic import atomic_write
from archiver.storage.captures import Capture
from archiver.timestamps import as_utc, parse_timestamp

logger = logging.getLogger(__name__)

#: Headers about encodings the crawler has already undone in the body it keeps: Twisted the
#: chunking, Scrapy the compression (warcio reads br only with the abandoned brotlipy, so a
#: payload is stored decoded, the way pywb's recorder does).
WIRE_HEADERS = ("content-encoding", "transfer-encoding")
SCAN_CHUNK = 1 << 20


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of a body, as warcio writes it (``sha1:`` base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(stamp: str) -> str:
    """An ISO 8601 time as a WARC-Date (UTC, seconds, ``Z``)."""
    when = as_utc(parse_timestamp(stamp)) or datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def stored_headers(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """Response headers that describe the payload as stored: transfer and content encodings are
    undone, so those headers, and a Content-Length that no longer holds, are kept under
    ``X-Archive-Orig-`` names (pywb's convention) and the true length is given."""
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower in WIRE_HEADERS or (lower == "content-length" and value.strip() != str(len(body))):
            kept.append((f"X-Archive-Orig-{name}", value))
        elif lower != "content-length":
            kept.append((name, value))
    return kept + [("Content-Length", str(len(body)))]


def _whole_record(data: bytes) -> bool:
    """True when ``data`` (one gunzipped member) is one complete WARC record."""
    end = data.find(b"\r\n\r\n")
    if not data.startswith(b"WARC/") or end < 0:
        return False
    for line in data[:end].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return len(data) == end + 4 + int(value) + 4 and data.endswith(b"\r\n\r\n")
            except ValueError:
                return False
    return False


def complete_length(handle: IO[bytes]) -> int:
    """Bytes from the start of a gzip-per-record WARC file up to the end of its last complete record."""
    handle.seek(0)
    good = position = 0
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    pieces: list[bytes] = []
    chunk = handle.read(SCAN_CHUNK)
    while chunk:
        try:
            pieces.append(member.decompress(chunk))
        except zlib.error:
            break
        position += len(chunk) - len(member.unused_data)
        if not member.eof:
            chunk = handle.read(SCAN_CHUNK)
            continue
        if not _whole_record(b"".join(pieces)):
            break
        good = position
        chunk = member.unused_data or handle.read(SCAN_CHUNK)
        member, pieces = zlib.decompressobj(zlib.MAX_WBITS | 16), []
    return good


def repair_warcs(data_dir: DataDir) -> list[Path]:
    """Truncate every WARC file no writer holds back to its last complete record; returns the
    files cut. Files checked whole before (``state/warc-sealed.json``) are not read again."""
    sealed = _read_sealed(data_dir)
    cut: list[Path] = []
    for path in data_dir.warc_files():
        with path.open("r+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live writer's file
            size = os.fstat(handle.fileno()).st_size
            if sealed.get(path.name) == size:
                continue
            good = complete_length(handle)
            if good < size:
                logger.warning("Truncating %s from %d to %d bytes: its last record was cut off", path, size, good)
                handle.truncate(good)
                os.fsync(handle.fileno())
                cut.append(path)
            sealed[path.name] = good
    _write_sealed(data_dir, sealed)
    return cut


def _read_sealed(data_dir: DataDir) -> dict[str, int]:
    try:
        data = json.loads(data_dir.warc_sealed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, int)} if isinstance(data, dict) else {}


def _write_sealed(data_dir: DataDir, sealed: dict[str, int]) -> None:
    data_dir.state.mkdir(parents=True, exist_ok=True)
    atomic_write(data_dir.warc_sealed, json.dumps(sealed, indent=0, sort_keys=True).encode("utf-8"))


class WarcWriter:
    """Appends captures to this writer's own WARC files in ``warc/``, one file at a time.

    ``info`` goes into each file's ``warcinfo`` record (software, settings...). Every
    capture is flushed before its pointer is returned (readers see it) and made durable
    by :meth:`sync` (or :meth:`close`), which the archive calls before any record that
    points at it is, so a record never points at bytes a crash could lose.
    """

    def __init__(self, data_dir: DataDir | Path, *, max_size: int = 1_000_000_000, info: dict[str, Any] | None = None):
        self.data_dir = DataDir.of(data_dir)
        self.max_size = max_size
        self.info = info or {}
        self.name = f"{os.getpid()}-{socket.gethostname()}"
        self.started = datetime.now(timezone.utc)
        self.serial = 0
        self.path: Path | None = None
        self.handle: IO[bytes] | None = None
        self.writer: WARCWriter | None = None
        self.repaired = False
        self.unsynced = False  #: captures appended since the last fsync
        self.batched = False  #: fsync only in sync(), not after every capture

    def begin(self) -> None:
        """Batch captures: fsync them together in :meth:`sync`, no longer one by one."""
        self.batched = True

    def sync(self) -> None:
        """Make every capture appended so far durable (one fsync for all of them)."""
        if self.handle is None or not self.unsynced:
            return
        try:
            os.fsync(self.handle.fileno())
        except OSError as exc:
            raise DataDirError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self.unsynced = False

    def close(self) -> None:
        """Close the current file, durable, noting it as checked whole."""
        if self.handle is None or self.path is None:
            return
        self.sync()
        size = self.handle.tell()
        self.handle.close()
        self.handle = None
        sealed = _read_sealed(self.data_dir)
        sealed[self.path.name] = size
        _write_sealed(self.data_dir, sealed)

    def write_response(self, url: str, status: int, body: bytes, http: HttpExchange | None, fetched_at: str) -> Capture:
        """A response record and its request record; the pointer covers both."""
        writer = self._current()
        http = http or HttpExchange()
        date = warc_date(fetched_at)
        response_headers = StatusAndHeaders(f"{status} {http.reason}".strip(), stored_headers(http.response_headers, body),
                                            protocol=http.protocol)
        warc_headers = {"WARC-Date": date}
        if http.ip_address:
            warc_headers["WARC-IP-Address"] = http.ip_address
        response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                             http_headers=response_headers, warc_headers_dict=warc_headers)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_line = StatusAndHeaders(f"{http.method} {target}", http.request_headers, protocol=http.protocol,
                                        is_http_request=True)
        request = writer.create_warc_record(url, "request", http_headers=request_line, warc_headers_dict={"WARC-Date": date})
        return self._append(lambda: writer.write_request_response_pair(request, response),
                            response.rec_headers.get_header("WARC-Record-ID"))

    def write_revisit(self, url: str, status: int, http: HttpExchange | None, fetched_at: str, *, digest: str,
                      refers_to: Capture, refers_to_uri: str, refers_to_date: str) -> Capture:
        """A revisit record (identical-payload-digest): this response's headers, the body of ``refers_to``."""
        writer = self._current()
        http = http or HttpExchange()
        headers = StatusAndHeaders(f"{status} {http.reason}".strip(), [(n, v) for n, v in http.response_headers
                                                                       if n.lower() not in WIRE_HEADERS],
                                   protocol=http.protocol)
        record = writer.create_revisit_record(url, digest, refers_to_uri, refers_to_date, http_headers=headers,
                                              warc_headers_dict={"WARC-Date": warc_date(fetched_at),
                                                                 "WARC-Refers-To": refers_to.record_id})
        return self._append(lambda: writer.write_record(record), record.rec_headers.get_header("WARC-Record-ID"))

    def _append(self, write: Callable[[], None], record_id: str) -> Capture:
        assert self.handle is not None and self.path is not None
        offset = self.handle.tell()
        try:
            write()
            self.handle.flush()
        except OSError as exc:
            raise DataDirError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self.unsynced = True
        if not self.batched:
            self.sync()
        return Capture(self.data_dir.warc_name(self.path), offset, self.handle.tell() - offset, record_id)

    def _current(self) -> WARCWriter:
        """The open file's writer: the first call repairs torn files, and a full file rotates."""
        if self.handle is not None and self.handle.tell() >= self.max_size:
            self.close()
        if self.handle is None:
            self._open_next()
        assert self.writer is not None
        return self.writer

    def _open_next(self) -> None:
        try:
            self.data_dir.warc.mkdir(parents=True, exist_ok=True)
            if not self.repaired:
                repair_warcs(self.data_dir)
                self.repaired = True
            self.serial += 1
            self.path = self.data_dir.new_warc_file(self.started, self.serial, self.name)
            handle = self.path.open("ab")
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise DataDirError(f"cannot open a WARC file in {self.data_dir.warc}: {exc.strerror or exc}") from exc
        self.handle = handle
        self.writer = WARCWriter(handle, gzip=True)
        info = {"software": self.info.get("software", "news-archiver"), "hostname": socket.gethostname(),
                "format": "WARC File Format 1.0",
                "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
                **{k: v for k, v in self.info.items() if k != "software"}}
        self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info))
        self.handle.flush()
