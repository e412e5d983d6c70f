"""Crawler-trap guard: keep endless URL spaces (calendars, facets, deep paths) bounded.

A spider middleware that drops a request when:

* its path is deeper than ``ARCHIVER_TRAP_MAX_DEPTH`` segments, or repeats one segment
  more than ``ARCHIVER_TRAP_MAX_REPEATS`` times (``/a/b/a/b/a/b/...``);
* it has more than ``ARCHIVER_TRAP_MAX_QUERY_PARAMS`` query parameters (faceted filters
  combine without end);
* it continues a chain of more than ``ARCHIVER_TRAP_CHAIN_LIMIT`` pages of one *shape*
  (the path with digit runs as ``N`` plus the query parameter names), each found on the
  previous one: ``/events/?month=5`` → ``?month=6`` → ... is an infinite calendar. Pages
  found from a page of another shape (an article from a listing) start a new chain, and
  article-looking URLs and archive pagination (``/page/N/``) are exempt.

So a trap costs at most the chain limit in requests (default 30).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler

from archiver.discovery import is_pagination_url, looks_like_article_url

DIGITS = re.compile(r"\d+")


def url_shape(url: str) -> str:
    """``/events/2031/05/?month=7&view=list`` → ``/events/N/N/?month&view``."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc}{DIGITS.sub('N', parts.path)}" + ("?" + "&".join(keys) if keys else "")


def too_deep(url: str, max_depth: int, max_repeats: int) -> bool:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) > max_depth:
        return True
    return bool(segments) and max(Counter(segments).values()) > max_repeats


class TrapGuardMiddleware:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.max_depth = settings.getint("ARCHIVER_TRAP_MAX_DEPTH")
        self.max_repeats = settings.getint("ARCHIVER_TRAP_MAX_REPEATS")
        self.max_query_params = settings.getint("ARCHIVER_TRAP_MAX_QUERY_PARAMS")
        self.chain_limit = settings.getint("ARCHIVER_TRAP_CHAIN_LIMIT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapGuardMiddleware:
        return cls(crawler)

    def allow(self, request: Request, response: Any) -> bool:
        """Whether to keep ``request``, found on ``response`` (sets its chain length)."""
        url = request.url
        if too_deep(url, self.max_depth, self.max_repeats):
            self.stats.inc_value("archiver/traps/too_deep")
            return False
        if len(parse_qsl(urlsplit(url).query, keep_blank_values=True)) > self.max_query_params:
            self.stats.inc_value("archiver/traps/too_many_params")
            return False
        if looks_like_article_url(url) or is_pagination_url(url):
            return True
        chain = 0
        if response is not None and url_shape(url) == url_shape(response.url):
            chain = response.meta.get("trap_chain", 0) + 1
        if chain > self.chain_limit:
            self.stats.inc_value("archiver/traps/chain_limit")
            return False
        request.meta["trap_chain"] = chain
        return True

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterable[Any]:
        for item in result:
            if not isinstance(item, Request) or item.dont_filter or self.allow(item, response):
                yield item

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in result:
            if not isinstance(item, Request) or item.dont_filter or self.allow(item, response):
                yield item
