"""Re-extraction from raw captures: after an extractor upgrade, every record is rebuilt from the
page it was read from, offline, keeping its history; and ``archiver extract`` reads saved pages
and WARC files alike.

A page comes back from its WARC capture through the same Scrapy response handling as in the
crawl (:mod:`archiver.responses`), so a record re-extracted with an unchanged extractor is
the record the crawl stored. Archives from before WARC kept gzipped HTML under ``raw/``:
those captures are read too (without the response headers, so the charset comes from the
page itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from archiver.datadir import DataDir
from archiver.errors import ArchiverError
from archiver.extraction import extract
from archiver.extraction.files import SavedPage, extract_saved
from archiver.extraction.files import extract_files as extract_html_files
from archiver.indexing import reindex_archive
from archiver.items import Article, Extraction, FetchedPage, Rejected
from archiver.responses import fetched_page, replayed_response
from archiver.storage.archive import Archive, Outcome
from archiver.storage.captures import Capture, CapturedResponse, iter_responses, read_capture, read_legacy_html
from archiver.storage.dedup import content_hash
from archiver.storage.records import ArticleStore
from archiver.urls import site_of

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass
class Unrebuilt:
    """A record left as it was, and why (no readable capture, or the extractor now rejects it)."""

    id: str
    reason: str


@dataclass
class ReextractResult:
    rebuilt: int = 0  #: records whose fields changed
    unchanged: int = 0
    kept: list[Unrebuilt] = field(default_factory=list)
    indexed: int = 0


def page_of(response: CapturedResponse, fetched_at: str = "") -> FetchedPage:
    """The crawl's view of a captured response: encoding and headers decided as in the crawl."""
    replayed = replayed_response(response.url, response.status, response.headers, response.body)
    return fetched_page(replayed, fetched_at=fetched_at)


def captured_page(data_dir: DataDir, record: dict[str, Any], fetched_at: str) -> FetchedPage:
    """The page a record (or one of its revisions) was read from: its WARC capture, else the
    gzipped HTML of an archive from before WARC; ArchiverError when neither can be read."""
    if record.get("capture"):
        return page_of(read_capture(data_dir, Capture.from_dict(record["capture"])), fetched_at)
    body = read_legacy_html(data_dir, site_of(record["url"]), record["id"], fetched_at)
    if body is None:
        raise ArchiverError("no raw capture")
    return FetchedPage(url=record["url"], final_url=record["url"], status=200, body=body, fetched_at=fetched_at)


def _reextracted(page: FetchedPage, min_words: int) -> Extraction:
    result = extract(page, min_words=min_words)
    if isinstance(result, Rejected):
        raise ArchiverError(f"now rejected: {result.reason}")
    return result


def _revisions(data_dir: DataDir, record: Article, min_words: int) -> list[dict[str, Any]]:
    """Each revision's title, text and hash re-read from its own capture when it has one."""
    revisions = []
    for revision in record.revisions:
        revision = dict(revision)
        if revision.get("capture"):
            try:
                extraction = _reextracted(captured_page(data_dir, {**revision, "id": record.id, "url": record.url},
                                                        revision.get("fetched_at", "")), min_words)
            except ArchiverError as exc:
                logger.warning("Kept revision %s of %s as it was: %s", revision.get("fetched_at"), record.id, exc)
            else:
                revision.update(title=extraction.title, text=extraction.text, content_hash=content_hash(extraction.text))
        revisions.append(revision)
    return revisions


def reextract_archive(data_dir: DataDir | Path, *, min_words: int = 40,
                      progress: Callable[[int], None] | None = None) -> ReextractResult:
    """Rebuild every record from its raw capture, then the index; no network. A record whose
    capture is missing or that the extractor now rejects is kept as it was, and listed."""
    data_dir = DataDir.of(data_dir)
    result = ReextractResult()
    store = ArticleStore(data_dir)
    archive = Archive(data_dir, keep_raw=False)
    try:
        for done, path in enumerate(data_dir.record_paths(), 1):
            try:
                record = Article.from_dict(store.read(path))
            except (OSError, ValueError, TypeError) as exc:
                result.kept.append(Unrebuilt(path.stem, f"unreadable record: {exc}"))
                continue
            try:
                extraction = _reextracted(captured_page(data_dir, record.to_dict(), record.fetched_at), min_words)
            except ArchiverError as exc:
                result.kept.append(Unrebuilt(record.id, str(exc)))
                continue
            outcome = archive.rebuild(record, extraction, _revisions(data_dir, record, min_words), path).outcome
            if outcome is Outcome.UNCHANGED:
                result.unchanged += 1
            else:
                result.rebuilt += 1
            if progress is not None:
                progress(done)
    finally:
        archive.close()
    result.indexed = reindex_archive(data_dir).indexed
    return result


def extract_files(sources: Iterable[str], url: str | None = None, *, any_page: bool = False,
                  stdin: BinaryIO | None = None) -> Iterator[SavedPage]:
    """One result per saved HTML file (``-``: standard input), and per HTML response of each
    WARC file; a file that cannot be read is reported and the others still extracted."""
    for source in sources:
        if not source.endswith(WARC_SUFFIXES):
            yield from extract_html_files([source], url, any_page=any_page, stdin=stdin)
            continue
        try:
            for response in iter_responses(Path(source)):
                page = page_of(response)
                if "html" not in page.headers.get("content-type", "html"):
                    continue
                yield SavedPage(response.source, result=extract_saved(page.body, response.source, response.url,
                                                                      encoding=page.encoding, any_page=any_page))
        except ArchiverError as exc:
            yield SavedPage(source, error=str(exc))