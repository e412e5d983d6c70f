"""What the demo sites answer: a response, and the conditional-GET rule both flavours follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime


@dataclass
class DemoResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def not_modified(headers: Mapping[str, str], etag: str, modified: datetime) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins; else If-Modified-Since (``headers`` in lower case)."""
    if "if-none-match" in headers:
        tags = [t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            return modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False
