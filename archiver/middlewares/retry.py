"""Retries that back off: exponential, or as long as the server's ``Retry-After`` asks."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, spaced out: exponential backoff, or the server's ``Retry-After``.

    When the server names a wait (``Retry-After``), the host's download slot is paced
    to one request per that wait while it lasts, so a 429 holds back the whole crawl of
    that host, not only one request; the usual pace resumes afterwards.
    """

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("ARCHIVER_RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("ARCHIVER_RETRY_BACKOFF_MAX")

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None)
        asked = wait is not None
        if wait is None:
            wait = self.backoff_base * (2**attempt)
        wait = min(wait, self.backoff_max)
        if attempt < request.meta.get("max_retry_times", self.max_retry_times) and wait > 0:
            slot = self._slot(request) if asked else None
            paused = slot is not None and wait > slot.delay
            previous = slot.delay if slot is not None else 0.0
            if paused:
                slot.delay = wait
            logger.info("HTTP %s on %s: waiting %.1fs before retrying", response.status, request.url, wait)
            await asyncio.sleep(wait)
            if paused and slot.delay == wait:
                slot.delay = previous
        return super().process_response(request, response)

    def _slot(self, request: Request) -> Any:
        """The request's download slot, whose delay paces every request to that host."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return None
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        return downloader.slots.get(key)
