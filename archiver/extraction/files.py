"""Extraction of saved HTML files (``archiver extract``), for checks and re-extraction."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from archiver.errors import ArchiverError
from archiver.extraction.extract import extract_html
from archiver.items import Rejected
from archiver.urls import site_of


def read_html(path: Path) -> bytes:
    """The bytes of a saved page, gunzipped when the file is gzip."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiverError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ArchiverError(f"{path} is not a valid gzip file: {exc}") from exc
    return data


def extract_file(path: Path, url: str | None = None, *, any_page: bool = False) -> dict[str, Any]:
    """One JSON-ready result for a saved page: the extracted fields, or why it was rejected
    (``any_page``: extract even a page that does not look like an article)."""
    return extract_saved(read_html(path), url or path.resolve().as_uri(), str(path), any_page=any_page)


def extract_saved(html: bytes, page_url: str, source: str, *, encoding: str | None = None,
                  any_page: bool = False) -> dict[str, Any]:
    """One JSON-ready result for a page read from ``source`` (a file, or a record of a WARC file)."""
    result = extract_html(html, page_url, encoding=encoding, any_page=any_page)
    if isinstance(result, Rejected):
        return {"source": source, "url": page_url, "rejected": result.reason, "detail": result.detail}
    return {"source": source, "url": result.url, "canonical_url": result.canonical_url,
            "site": site_of(result.canonical_url or page_url), **result.content(), "word_count": result.word_count}
