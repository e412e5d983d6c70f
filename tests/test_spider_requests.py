"""The spider's requests survive the frontier: saved by name as Scrapy would save them, loaded back
with the same callbacks, and refused when a callback is not the spider's."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from archiver.spiders.news import NewsSpider
from archiver.spiders.request import SpiderRequest

from .scrapy_helpers import html_response, run, spider_for

SITE = "https://news.example"


@pytest.fixture
def spider(tmp_path: Path) -> NewsSpider:
    return spider_for(tmp_path, NewsSpider, url=SITE)


def test_the_spiders_requests_are_spider_requests(spider: NewsSpider) -> None:
    page = html_response(f"{SITE}/", '<html><body><a href="/2024/05/03/third/">third</a>'
                                     '<a href="/sitemap.xml">map</a></body></html>')
    followed = [r for r in run(spider.parse_page(page)) if isinstance(r, Request)]
    assert followed and all(type(r) is SpiderRequest for r in followed)


@pytest.mark.parametrize("callbacks", ["parse_page/on_error", "parse_sitemap/on_missing", "parse_feed/"])
def test_saved_as_scrapy_saves_it_and_loaded_back(spider: NewsSpider, callbacks: str) -> None:
    callback, errback = (getattr(spider, name) if name else None for name in callbacks.split("/"))
    options = dict(priority=7, errback=errback, meta={"found_via": "sitemap", "sitemap_lastmod": "2024-05-01"},
                   headers={"If-None-Match": '"abc"'}, cb_kwargs={"depth": 2})
    ours = SpiderRequest(f"{SITE}/2024/05/01/story/", callback, **options)
    saved = ours.to_dict(spider=spider)
    scrapys = Request(f"{SITE}/2024/05/01/story/", callback, **options).to_dict(spider=spider)
    assert saved.pop("_class") == "archiver.spiders.request.SpiderRequest"
    assert saved == scrapys
    assert (ours.callback, ours.errback) == (callback, errback)  # the request itself is left as it was
    loaded = request_from_dict(ours.to_dict(spider=spider), spider=spider)
    assert type(loaded) is SpiderRequest
    assert (loaded.callback, loaded.errback) == (callback, errback)
    assert (loaded.url, loaded.priority, loaded.meta, loaded.cb_kwargs) == (ours.url, 7, ours.meta, ours.cb_kwargs)


class Elsewhere:
    def parse_page(self, response: object) -> None:
        """Named as the spider's callback, but another object's method."""


def test_a_callback_that_is_not_the_spiders_is_refused(spider: NewsSpider) -> None:
    for callback in (Elsewhere().parse_page, print, lambda response: None):
        with pytest.raises(ValueError, match="not an instance method"):
            SpiderRequest(f"{SITE}/x/", callback).to_dict(spider=spider)
    with pytest.raises(ValueError):
        SpiderRequest(f"{SITE}/x/", spider.parse_page, errback=Elsewhere().parse_page).to_dict(spider=spider)
