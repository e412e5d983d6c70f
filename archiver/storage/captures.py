"""Reading raw captures back from WARC files: one record by its pointer, or every response of a file.

Captures are found by the pointer each article record keeps (:class:`Capture`); WARC
files from other tools (Heritrix, Browsertrix, wget) read the same way with
:func:`iter_responses`. Archives from before WARC kept gzipped HTML under ``raw/``;
:func:`read_legacy_html` still reads those.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archiver.datadir import DataDir
from archiver.errors import ArchiverError


@dataclass(frozen=True)
class Capture:
    """Where a capture is: a WARC file (relative to the data dir), and its response record there."""

    warc: str
    offset: int
    length: int  #: bytes of the response record and the request record written after it
    record_id: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Capture:
        return cls(str(data["warc"]), int(data["offset"]), int(data["length"]), str(data["record_id"]))


@dataclass
class CapturedResponse:
    """One HTTP response as a WARC file holds it (body with its transfer and content encodings undone)."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str  #: WARC-Date
    record_id: str
    payload_digest: str | None
    source: str  #: ``<file>#<offset>``, for messages and ``archiver extract``


def _response(record: Any, source: str) -> CapturedResponse:
    http = record.http_headers
    return CapturedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        status=int(http.get_statuscode() or 0) if http else 0,
        headers=list(http.headers) if http else [],
        body=record.content_stream().read(),
        date=record.rec_headers.get_header("WARC-Date") or "",
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
        source=source,
    )


def read_capture(data_dir: DataDir, capture: Capture) -> CapturedResponse:
    """The response a record points at; ArchiverError when the file or the record is missing or damaged."""
    path = data_dir.warc_path(capture.warc)
    try:
        with path.open("rb") as handle:
            handle.seek(capture.offset)
            for record in ArchiveIterator(handle):
                if record.rec_headers.get_header("WARC-Record-ID") != capture.record_id:
                    break
                return _response(record, f"{capture.warc}#{capture.offset}")
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        raise ArchiverError(f"cannot read capture {capture.warc}#{capture.offset}: {exc}") from None
    raise ArchiverError(f"no record {capture.record_id} at {capture.warc}#{capture.offset}")


def copy_capture(data_dir: DataDir, capture: Capture, out: IO[bytes]) -> None:
    """Copy a capture's records byte for byte (gzip members as written, digests and ids intact)."""
    path = data_dir.warc_path(capture.warc)
    try:
        with path.open("rb") as handle:
            handle.seek(capture.offset)
            data = handle.read(capture.length)
    except OSError as exc:
        raise ArchiverError(f"cannot read capture {capture.warc}#{capture.offset}: {exc.strerror or exc}") from None
    if len(data) != capture.length:
        raise ArchiverError(f"capture {capture.warc}#{capture.offset} is cut short")
    out.write(data)


def iter_responses(path: Path) -> Iterator[CapturedResponse]:
    """Every ``response`` record of a WARC file, in file order."""
    try:
        with path.open("rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.format != "warc":  # warcio reads anything else as ARC, garbage included
                    raise ArchiveLoadFailed(f"not a WARC record at offset {records.get_record_offset()}")
                if record.rec_type == "response":
                    response = _response(record, str(path))
                    response.source = f"{path}#{records.get_record_offset()}"  # known once the record is read
                    yield response
    except (OSError, ArchiveLoadFailed) as exc:
        raise ArchiverError(f"cannot read {path} as WARC: {exc}") from None


def read_legacy_html(data_dir: DataDir, site: str, article_id: str, fetched_at: str) -> bytes | None:
    """The gzipped HTML an archive from before WARC kept of one version, if any."""
    for path in data_dir.raw_captures(site, article_id, fetched_at):
        try:
            return gzip.decompress(path.read_bytes())
        except (OSError, EOFError):
            continue
    return None
