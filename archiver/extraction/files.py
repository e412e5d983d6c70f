"""Extraction of saved HTML files (``archiver extract``), for checks and re-extraction."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from archiver.errors import ArchiverError
from archiver.extraction.classify import KINDS
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
    """One JSON-ready result for a saved page: the extracted fields and the page's kind, or
    why it was rejected (its kind, for a page that is not an article; ``any_page``: extract
    whatever the page's kind)."""
    page_url = url or path.resolve().as_uri()
    result = extract_html(read_html(path), page_url, any_page=any_page)
    if isinstance(result, Rejected):
        kind = {"kind": result.reason} if result.reason in KINDS else {}
        return {"source": str(path), "url": page_url, "rejected": result.reason, **kind, "detail": result.detail}
    return {"source": str(path), "url": result.url, "canonical_url": result.canonical_url,
            "site": site_of(result.canonical_url or page_url), "kind": result.kind, "signals": result.kind_signals,
            **result.content(), "word_count": result.word_count}
