"""Crawler-trap guard: keep endless URL spaces (calendars, facets, deep paths) bounded.

A spider middleware that drops a request when:

* its path is deeper than ``ARCHIVER_TRAP_MAX_DEPTH`` segments (12), or repeats one
  segment more than ``ARCHIVER_TRAP_MAX_REPEATS`` times (3: ``/a/b/a/b/a/b/a/``);
* it has more than ``ARCHIVER_TRAP_MAX_QUERY_PARAMS`` query parameters (4: faceted
  filters combine without end);
* it *continues a trap family* that has already cost ``ARCHIVER_TRAP_CHAIN_LIMIT``
  requests (30). A request continues the page it was found on when both are on one
  host and it has the same *shape* (the path with digit runs as ``N`` plus the query
  parameter names: ``/events/?month=5`` → ``?month=6``), or the same path with another
  query (facets, cache-busters), or both carry a query string (session ids and
  cache-busters passed from page to page), or it is the second step in a row down the
  path (``/deep/a/`` → ``/deep/a/b/`` → ``/deep/a/b/c/``). A family is named by the host
  and first path segment of the page where the run started (``/events``), and its
  budget is shared by every run in it, so a calendar with both "previous" and "next"
  links, or a fan-out of ever-deeper links, costs 30 in all.

Pages found from a page of another kind (an article from a listing or a sitemap) start
afresh and cost nothing; article-looking URLs without a query, WordPress shortlinks and
archive pagination (``/page/N/``, ``?paged=N``) are never counted. So one trap costs at
most its entry page, one fan-out of children and the family budget: about 30–40
requests with the defaults. The price: a site whose listings *and* articles all sit on
query URLs (``/index.php?cat=3`` → ``/story.php?id=N``) gets 30 of those articles per
listing family by links; its sitemap or feed still gives the rest, and
``ARCHIVER_TRAP_CHAIN_LIMIT`` (or a profile) can be raised for it.
Every drop is counted in the stats as ``archiver/traps/<reason>``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler

from archiver.discovery.sources import is_pagination_url, looks_like_article_url
from archiver.urls import is_shortlink

DIGITS = re.compile(r"\d+")


def url_shape(url: str) -> str:
    """``/events/2031/05/?month=7&view=list`` → ``/events/N/N/?month&view``."""
    keys = sorted({k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)})
    return path_shape(url) + ("?" + "&".join(keys) if keys else "")


def path_shape(url: str) -> str:
    """The host and path with digit runs as ``N``."""
    parts = urlsplit(url)
    return f"{parts.netloc}{DIGITS.sub('N', parts.path)}"


def family_of(url: str) -> str:
    """The host and first path segment (digits as ``N``): what one trap's URLs share."""
    parts = urlsplit(url)
    return f"{parts.netloc}/{DIGITS.sub('N', parts.path.lstrip('/').split('/', 1)[0])}"


def too_deep(url: str, max_depth: int, max_repeats: int) -> bool:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) > max_depth:
        return True
    return bool(segments) and max(Counter(segments).values()) > max_repeats


def is_below(path: str, parent: str) -> bool:
    """True when ``path`` lies strictly under ``parent`` (the site root is nobody's parent)."""
    parent = parent.rstrip("/")
    return bool(parent) and path.startswith(parent + "/") and path.rstrip("/") != parent


def continues(url: str, found_on: str, descent: int) -> bool:
    """Whether ``url``, found on ``found_on`` after ``descent`` steps down, extends a trap run."""
    here, there = urlsplit(found_on), urlsplit(url)
    if here.netloc != there.netloc:
        return False
    return descent >= 2 or there.path == here.path or bool(here.query and there.query) or url_shape(url) == url_shape(found_on)


class TrapGuardMiddleware:
    """Drops requests into endless URL spaces; see the module docstring for the rules."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.max_depth = settings.getint("ARCHIVER_TRAP_MAX_DEPTH")
        self.max_repeats = settings.getint("ARCHIVER_TRAP_MAX_REPEATS")
        self.max_query_params = settings.getint("ARCHIVER_TRAP_MAX_QUERY_PARAMS")
        self.chain_limit = settings.getint("ARCHIVER_TRAP_CHAIN_LIMIT")
        self.spent: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapGuardMiddleware:
        return cls(crawler)

    def allow(self, request: Request, response: Any) -> bool:
        """Whether to keep ``request``, found on ``response`` (notes its trap family)."""
        url = request.url
        if too_deep(url, self.max_depth, self.max_repeats):
            self.stats.inc_value("archiver/traps/too_deep")
            return False
        query = urlsplit(url).query
        if len(parse_qsl(query, keep_blank_values=True)) > self.max_query_params:
            self.stats.inc_value("archiver/traps/too_many_params")
            return False
        if response is None or is_pagination_url(url) or is_shortlink(url):
            return True
        found_on = response.url
        descent = response.meta.get("trap_descent", 0) + 1 if is_below(urlsplit(url).path, urlsplit(found_on).path) else 0
        request.meta["trap_descent"] = descent
        if (looks_like_article_url(url) and not query) or not continues(url, found_on, descent):
            return True
        family = response.meta.get("trap_family") or family_of(found_on)
        if self.spent[family] >= self.chain_limit:
            self.stats.inc_value("archiver/traps/chain_limit")
            return False
        self.spent[family] += 1
        request.meta["trap_family"] = family
        return True

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterable[Any]:
        for item in result:
            if not isinstance(item, Request) or item.dont_filter or self.allow(item, response):
                yield item

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in result:
            if not isinstance(item, Request) or item.dont_filter or self.allow(item, response):
                yield item
