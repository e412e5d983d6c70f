"""Extraction of saved HTML files (``archiver extract``), for checks and re-extraction."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from archiver.errors import ArchiverError
from archiver.extraction.classify import KINDS
from archiver.extraction.extract import decode_html, extract_html, parse_html
from archiver.extraction.metadata import read_metadata
from archiver.items import Rejected
from archiver.urls import is_http_url, site_of

#: The source name that stands for standard input.
STDIN = "-"


def read_html(path: Path) -> bytes:
    """The bytes of a saved page, gunzipped when the file is gzip."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiverError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return gunzipped(data, str(path))


def gunzipped(data: bytes, source: str) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ArchiverError(f"{source} is not a valid gzip file: {exc}") from exc
    return data


def own_url(html: bytes, fallback: str) -> str:
    """The address a saved page gives itself (its canonical link or og:url), else ``fallback``:
    dates in the URL, the site's name and relative links then read as on the web."""
    tree = parse_html(decode_html(html))
    canonical = read_metadata(tree, fallback).canonical_url if tree is not None else None
    return canonical if canonical and is_http_url(canonical) else fallback


def extract_saved(html: bytes, source: str, url: str | None = None, *, encoding: str | None = None,
                  any_page: bool = False) -> dict[str, Any]:
    """One JSON-ready result for a saved page: the extracted fields and the page's kind, or
    why it was rejected (its kind, for a page that is not an article; ``any_page``: extract
    whatever the page's kind). Without ``url``, the page's own canonical address stands in for it.
    ``source``: a file, ``-`` for standard input, or ``<file>#<offset>`` of a WARC record."""
    fallback = Path("/dev/stdin" if source == STDIN else source).resolve().as_uri()
    page_url = url or own_url(html, fallback)
    result = extract_html(html, page_url, encoding=encoding, any_page=any_page)
    if isinstance(result, Rejected):
        kind = {"kind": result.reason} if result.reason in KINDS else {}
        return {"source": source, "url": page_url, "rejected": result.reason, **kind, "detail": result.detail}
    return {"source": source, "url": result.url, "canonical_url": result.canonical_url,
            "site": site_of(result.canonical_url or page_url), "kind": result.kind, "signals": result.kind_signals,
            **result.content(), "word_count": result.word_count}


@dataclass
class SavedPage:
    """What became of one file given to ``archiver extract``: a result, or why there is none."""

    source: str
    result: dict[str, Any] | None = None
    error: str | None = None


def extract_files(sources: Iterable[str], url: str | None = None, *, any_page: bool = False,
                  stdin: BinaryIO | None = None) -> Iterator[SavedPage]:
    """Extract each saved page in turn (``-``: standard input); a file that cannot be read
    is reported and the others still extracted."""
    for source in sources:
        try:
            if source == STDIN:
                html = gunzipped(stdin.read() if stdin is not None else b"", "standard input")
            else:
                html = read_html(Path(source))
        except ArchiverError as exc:
            yield SavedPage(source, error=str(exc))
            continue
        yield SavedPage(source, result=extract_saved(html, source, url, any_page=any_page))
