"""Downloader middlewares: conditional revalidation, and retries that back off."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings

from archiver.config import resolve_data_dir
from archiver.state import FetchState

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


class ConditionalRequestMiddleware:
    """Revalidate archived pages with ``If-None-Match`` / ``If-Modified-Since``.

    A ``304 Not Modified`` costs no body and no extraction: the request ends here and
    the crawl state notes the check. Off with ``ARCHIVER_FULL`` (``--full``).
    """

    def __init__(self, crawler: Crawler):
        if crawler.settings.getbool("ARCHIVER_FULL"):
            raise NotConfigured
        self.crawler = crawler
        self.data_dir = resolve_data_dir(crawler.settings.get("ARCHIVER_DATA_DIR"))
        self.state: FetchState | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def opened(self) -> None:
        self.state = FetchState(self.data_dir)

    def closed(self) -> None:
        if self.state is not None:
            self.state.close()

    def process_request(self, request: Request) -> None:
        if self.state is None or request.method != "GET":
            return
        known = self.state.get(request.url)
        if known is None or known.article_id is None:
            return
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
        request.meta["archiver_revalidating"] = True

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get("archiver_revalidating") and self.state is not None:
            self.crawler.stats.inc_value("archiver/incremental/not_modified")
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.state.touch(request.url, now, request.meta.get("sitemap_lastmod"))
            raise IgnoreRequest(f"not modified: {request.url}")
        return response
