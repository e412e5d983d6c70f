"""Conditional revalidation: archived pages are asked for only if they changed."""

from __future__ import annotations

from datetime import datetime, timezone

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from archiver.datadir import DataDir
from archiver.storage.fetchstate import FetchState


class NotModified(IgnoreRequest):
    """A revalidated page answered ``304 Not Modified``: nothing to extract, but the answer
    is kept (a WARC ``revisit`` record) by whoever handles the request's errback."""

    def __init__(self, response: Response):
        super().__init__(f"not modified: {response.url}")
        self.response = response


class ConditionalRequestMiddleware:
    """Revalidate archived pages with ``If-None-Match`` / ``If-Modified-Since``.

    A ``304 Not Modified`` costs no body and no extraction: the request ends here and
    the crawl state notes the check. Off with ``ARCHIVER_FULL`` (``--full``).
    """

    def __init__(self, crawler: Crawler):
        if crawler.settings.getbool("ARCHIVER_FULL"):
            raise NotConfigured
        self.crawler = crawler
        self.data_dir = DataDir.from_settings(crawler.settings)
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
            raise NotModified(response)
        return response
