"""Export the raw captures of an article set as one WARC file with a CDXJ index beside it.

For sharing a corpus with provenance: each selected article's captures (its current
version and every revision that has one) are copied byte for byte, so record ids,
dates and digests stay those of the crawl; a ``warcinfo`` record at the start says
what was selected from which archive. The CDXJ index (pywb's format, written by
Webrecorder's ``cdxj-indexer``) lets replay tools find each capture.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from cdxj_indexer.main import write_cdx_index
from warcio.warcwriter import WARCWriter

from archiver import __version__
from archiver.datadir import DataDir
from archiver.errors import ExportError
from archiver.storage.atomic import atomic_write
from archiver.storage.captures import Capture, copy_capture


def captures_of(record: dict[str, Any]) -> list[Capture]:
    """A record's captures, oldest version first."""
    pointers = [revision.get("capture") for revision in record.get("revisions") or []] + [record.get("capture")]
    return [Capture.from_dict(pointer) for pointer in pointers if pointer]


def write_warc(data_dir: DataDir, info: dict[str, Any], records: Iterator[dict[str, Any]], out: IO[bytes],
               tick: Callable[[], None]) -> int:
    """Write a warcinfo record, then every capture of ``records``; returns how many records had none."""
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("", {
        "software": f"news-archiver/{__version__}",
        "format": "WARC File Format 1.0",
        "description": "news-archiver export: the raw captures of an article set",
        **{name: json.dumps(value) if isinstance(value, dict) else value for name, value in info.items()},
    }))
    without = 0
    for record in records:
        captures = captures_of(record)
        for capture in captures:
            copy_capture(data_dir, capture, out)
        without += not captures
        tick()
    return without


def write_cdxj(warc: Path, cdxj: Path) -> None:
    """The sorted CDXJ index of a WARC file, written atomically beside it (file names relative)."""
    lines = io.StringIO()
    try:
        write_cdx_index(lines, [str(warc)], {"sort": True, "dir_root": str(warc.parent)})
        atomic_write(cdxj, lines.getvalue().encode("utf-8"))
    except OSError as exc:
        raise ExportError(f"cannot write {cdxj}: {exc.strerror or exc}") from exc
