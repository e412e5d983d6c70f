"""Scrapy components in this process, without a reactor run: crawlers, responses, signals.

``get_crawler`` builds an unstarted crawler with the project's settings (``archiver/settings.py``)
plus a test's own; components are made with their ``from_crawler``, and their signal handlers
are driven with ``crawler.signals.send_catch_log`` as the engine would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler, get_reactor_settings

from archiver import settings as project_settings

PROJECT_SETTINGS = {name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()}
#: The crawler builds its extensions when it is made: none here (the lock would take the data dir),
#: a test makes the one component it checks.
NO_EXTENSIONS = {"EXTENSIONS": {}, "EXTENSIONS_BASE": {}}


def crawler_for(data_dir: Path, spider: type[Spider] = Spider, **settings: Any) -> Crawler:
    """An unstarted crawler with the project's settings, writing to ``data_dir``, without extensions."""
    crawler = get_crawler(spider, {**PROJECT_SETTINGS, **NO_EXTENSIONS, "ARCHIVER_DATA_DIR": str(data_dir), **settings})
    crawler.crawling = True  # as Crawler.crawl sets it while the engine runs (components check it to stop early)
    return crawler


#: The one extension a spider's callbacks use: its extraction workers, here extracting in this process.
INLINE_EXTRACTION = {"EXTENSIONS": {"archiver.extensions.extraction.ExtractionPool": 0}, "ARCHIVER_EXTRACT_WORKERS": 0}


def spider_for(data_dir: Path, spider: type[Spider], *, settings: dict[str, Any] | None = None,
               **kwargs: Any) -> Spider:
    """A spider made as ``Crawler.crawl`` makes it: ``from_crawler`` runs before the settings
    freeze (a spider may set its run settings there), then the crawler applies them. Pages
    are extracted in this process (:data:`INLINE_EXTRACTION`)."""
    crawler = Crawler(spider, {"REMOTE_CONTROL_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                               **get_reactor_settings(), **PROJECT_SETTINGS, **NO_EXTENSIONS, **INLINE_EXTRACTION,
                               "ARCHIVER_DATA_DIR": str(data_dir), **(settings or {})})
    made = spider.from_crawler(crawler, **kwargs)
    crawler.spider = made
    crawler._apply_settings()  # freezes the settings; makes the stats and extensions, as a crawl does next
    crawler.crawling = True  # as Crawler.crawl sets it while the engine runs
    return made


def html_response(url: str, body: str | bytes, *, meta: dict[str, Any] | None = None, status: int = 200,
                  headers: dict[str, str] | None = None) -> HtmlResponse:
    """An HTML response to a GET of ``url`` (``meta`` as the request carried it)."""
    request = Request(url, meta=meta or {})
    data = body.encode("utf-8") if isinstance(body, str) else body
    return HtmlResponse(url=url, body=data, encoding="utf-8", status=status, headers=headers, request=request)


def xml_response(url: str, body: bytes, *, meta: dict[str, Any] | None = None) -> Response:
    """A sitemap, feed or robots.txt response (not HTML)."""
    return TextResponse(url=url, body=body, encoding="utf-8", request=Request(url, meta=meta or {}))


def run(awaitable: Any) -> Any:
    """The result of a coroutine (an ``async def`` component method) run to its end."""
    return asyncio.run(awaitable)


async def _collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


def collect(items: AsyncIterator[Any]) -> list[Any]:
    return asyncio.run(_collect(items))


async def aiter_of(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


def open_spider(crawler: Crawler, spider: Spider) -> None:
    crawler.spider = spider
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)


def close_spider(crawler: Crawler, spider: Spider, reason: str = "finished") -> None:
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason=reason)
