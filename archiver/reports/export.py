"""Export article sets (JSON Lines, CSV, Parquet, or their raw captures as WARC) with a provenance manifest.

Records stream from the store one at a time, so memory stays flat whatever the size
of the set; a file export is written to a temp file and renamed into place, and a
``<out>.manifest.json`` beside it says what was exported, when, and its SHA-256.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

from archiver import __version__
from archiver.datadir import DataDir
from archiver.errors import ExportError
from archiver.indexing import open_index
from archiver.items import ADDED_FIELDS, RECORD_FIELDS
from archiver.reports.warcexport import write_cdxj, write_warc
from archiver.storage.atomic import atomic_file, atomic_write
from archiver.storage.keystore import KeyStore
from archiver.storage.records import ArticleStore, CorruptRecord
from archiver.timestamps import as_utc, parse_timestamp

FORMATS = ("jsonl", "csv", "parquet", "warc")
#: Formats that need a file (no standard output).
FILE_ONLY = ("parquet", "warc")
#: Left out unless asked for by ``--fields``: bulky history, not analysis data.
INTERNAL_FIELDS = ("revisions",)
DEFAULT_FIELDS = tuple(f for f in RECORD_FIELDS if f not in INTERNAL_FIELDS)
LIST_FIELDS = ("urls", "authors", "categories", "tags")
TIME_FIELDS = ("published", "modified", "fetched_at")
BOOL_FIELDS = ("paywalled",)
#: Structured fields a CSV cell or a Parquet column holds as JSON text.
JSON_FIELDS = ("capture", "revisions")
#: A spreadsheet runs a cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARQUET_BATCH = 1000


@dataclass
class Selection:
    """Which articles to export, in which order (same filters as search)."""

    query: str | None = None
    site: str | None = None
    author: str | None = None
    credit: str | None = None
    since: date | None = None
    until: date | None = None
    sort: str = "oldest"

    @property
    def is_everything(self) -> bool:
        return not (self.query or self.site or self.author or self.credit or self.since or self.until)

    def describe(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "site": self.site,
            "author": self.author,
            "credit": self.credit,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "sort": self.sort,
        }


@dataclass
class ExportResult:
    count: int
    path: Path | None  #: None for standard output
    manifest: Path | None
    sha256: str | None
    crawled_from: str | None = None
    crawled_to: str | None = None
    skipped: list[CorruptRecord] = field(default_factory=list)  #: selected records that could not be read
    notes: list[str] = field(default_factory=list)
    index: Path | None = None  #: the CDXJ index beside a WARC export


@dataclass
class Selected:
    """The records of a selection: how many there are, streamed one at a time."""

    total: int
    records: Iterator[dict[str, Any]]


def parse_fields(spec: str | None) -> tuple[str, ...]:
    """``a,b,c`` → validated field names (default: every field but bulky internals)."""
    if not spec:
        return DEFAULT_FIELDS
    names = tuple(n.strip() for n in spec.split(",") if n.strip())
    unknown = [n for n in names if n not in RECORD_FIELDS]
    if unknown or not names:
        raise ExportError(f"unknown field(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(RECORD_FIELDS)}")
    return names


def select_records(data_dir: DataDir, selection: Selection, skipped: list[CorruptRecord]) -> Selected:
    """The selected records: from the index for queries and sorting, else the store.
    Records that cannot be read are left out and listed in ``skipped``."""
    store = ArticleStore(data_dir)
    if selection.is_everything and selection.sort == "oldest":
        paths = data_dir.record_paths()
        return Selected(len(paths), store.iter_records(skipped, paths))
    with open_index(data_dir) as index:
        ids = index.ids(selection.query or None, site=selection.site, author=selection.author,
                        credit=selection.credit, since=selection.since, until=selection.until, sort=selection.sort)

    def by_id() -> Iterator[dict[str, Any]]:
        keys = KeyStore(data_dir)
        try:
            for article_id in ids:
                known = keys.article(article_id)
                path = known.path if known else next(iter(data_dir.record_paths(article_id)), None)
                if path is None:
                    continue  # indexed, but no longer in the store
                try:
                    yield store.read(path)
                except (OSError, ValueError) as exc:
                    skipped.append(CorruptRecord(path, str(exc)))
        finally:
            keys.close()

    return Selected(len(ids), by_id())


def project(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The chosen fields of a record; a field added after the record was written has its old meaning."""
    return {name: record.get(name, ADDED_FIELDS.get(name)) for name in fields}


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet will show, not run (OWASP CSV-injection advice)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return neutralise(json.dumps(value, ensure_ascii=False))
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return neutralise(json.dumps(value, ensure_ascii=False))
        return neutralise("; ".join(str(v) for v in value))
    return neutralise(str(value))


def write_jsonl(records: Iterator[dict[str, Any]], fields: tuple[str, ...], out: IO[bytes], tick: Callable[[], None]) -> None:
    for record in records:
        out.write(json.dumps(project(record, fields), ensure_ascii=False).encode("utf-8") + b"\n")
        tick()


def write_csv(records: Iterator[dict[str, Any]], fields: tuple[str, ...], out: IO[bytes], tick: Callable[[], None]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([csv_cell(record.get(name)) for name in fields])
        tick()
    text.flush()
    text.detach()


def write_parquet(records: Iterator[dict[str, Any]], fields: tuple[str, ...], out: IO[bytes], tick: Callable[[], None]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("parquet export needs pyarrow: pip install 'news-archiver[parquet]'") from None
    types = {name: pa.string() for name in fields}
    types.update({n: pa.list_(pa.string()) for n in LIST_FIELDS if n in fields})
    types.update({n: pa.timestamp("us", tz="UTC") for n in TIME_FIELDS if n in fields})
    types.update({n: pa.int64() for n in ("word_count", "schema_version") if n in fields})
    types.update({n: pa.bool_() for n in BOOL_FIELDS if n in fields})
    schema = pa.schema([(name, types[name]) for name in fields])
    writer = pq.ParquetWriter(out, schema, compression="zstd")
    batch: dict[str, list[Any]] = {name: [] for name in fields}

    def flush() -> None:
        if batch[fields[0]]:
            writer.write_table(pa.table({n: pa.array(v, type=types[n]) for n, v in batch.items()}, schema=schema))
            for values in batch.values():
                values.clear()

    for record in records:
        for name in fields:
            value = record.get(name)
            if name in TIME_FIELDS:
                value = as_utc(parse_timestamp(value))
            elif name in JSON_FIELDS:
                value = None if value is None else json.dumps(value, ensure_ascii=False)
            batch[name].append(value)
        tick()
        if len(batch[fields[0]]) >= PARQUET_BATCH:
            flush()
    flush()
    writer.close()


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}


def export_articles(
    data_dir: DataDir | Path,
    selection: Selection,
    *,
    fmt: str,
    out: Path | IO[bytes],
    fields: tuple[str, ...] = DEFAULT_FIELDS,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the selected articles in ``fmt`` to the file ``out`` (atomically, with a
    manifest beside it) or to the binary stream ``out`` (standard output).

    ``progress(done, total)`` hears how far it got. Records that cannot be read are
    skipped, listed in the result and in the manifest: the export says it is incomplete.
    """
    data_dir = DataDir.of(data_dir)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if not isinstance(out, Path) and fmt in FILE_ONLY:
        raise ExportError(f"{fmt} cannot stream to standard output; give --out FILE")
    skipped: list[CorruptRecord] = []
    selected = select_records(data_dir, selection, skipped)
    count = 0
    fetched: list[str] = []  # [earliest, latest] capture time of the exported records

    def counted() -> Iterator[dict[str, Any]]:
        for record in selected.records:
            stamp = record.get("fetched_at")
            if stamp:
                fetched[:] = [min(fetched[0], stamp), max(fetched[1], stamp)] if fetched else [stamp, stamp]
            yield record

    def tick() -> None:
        nonlocal count
        count += 1
        if progress is not None and count % 100 == 0:
            progress(count + len(skipped), selected.total)

    uncaptured = 0

    def captures(records: Iterator[dict[str, Any]], fields: tuple[str, ...], handle: IO[bytes],
                 tick: Callable[[], None]) -> None:
        nonlocal uncaptured
        info = {"selection": selection.describe(), "archive": str(data_dir.root.resolve())}
        uncaptured = write_warc(data_dir, info, records, handle, tick)

    writer = captures if fmt == "warc" else WRITERS[fmt]
    if not isinstance(out, Path):
        writer(counted(), fields, out, tick)
        out.flush()
        return ExportResult(count, None, None, None, *(fetched or [None, None]), skipped=skipped)
    digest = _write_atomically(out, lambda handle: writer(counted(), fields, handle, tick))
    if progress is not None:
        progress(count + len(skipped), selected.total)
    result = ExportResult(count, out, Path(f"{out}.manifest.json"), digest, *(fetched or [None, None]), skipped=skipped)
    if fmt == "warc":
        result.index = Path(f"{out}.cdxj")
        write_cdxj(out, result.index)
        if uncaptured:
            result.notes.append(f"{uncaptured} of the articles have no WARC capture (archived before WARC)")
    manifest = {
        "file": out.name,
        "format": fmt,
        "fields": list(fields),
        "selection": selection.describe(),
        "records": count,
        "skipped_unreadable": len(skipped),
        "unreadable_records": [{"path": str(data_dir.relative(c.path)), "error": c.error} for c in skipped],
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "crawled_from": result.crawled_from,
        "crawled_to": result.crawled_to,
        "archive": str(data_dir.root.resolve()),
        "tool": f"news-archiver {__version__}",
        "sha256": digest,
        **({"cdxj": result.index.name} if result.index else {}),
    }
    try:
        atomic_write(result.manifest, json.dumps(manifest, indent=1).encode("utf-8") + b"\n")
    except OSError as exc:
        raise ExportError(f"cannot write {result.manifest}: {exc.strerror or exc}") from exc
    return result


class _HashingFile(io.RawIOBase):
    """A write-only file that hashes what passes through it."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self.sha.update(view)
        self.raw.write(view)
        return len(view)


def _write_atomically(out: Path, write: Callable[[IO[bytes]], None]) -> str:
    """Run ``write`` into ``out`` atomically; return the SHA-256 of what it wrote."""
    try:
        with atomic_file(out) as raw:
            hashing = _HashingFile(raw)
            write(hashing)  # type: ignore[arg-type]
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return hashing.sha.hexdigest()
