"""The extraction step of the crawl: what the extraction workers made of each page, counted."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.items import ExtractedPage, Rejected


class ExtractPipeline:
    """ExtractedPage → on to the archive; Rejected → dropped, counted by its kind or reason.

    The spider gets both from the extraction workers (:mod:`archiver.extensions.extraction`),
    together with the page's links, so that new requests come from its callback. An
    article is counted as ``archiver/extract/articles``, a page that is not archived as
    ``archiver/extract/rejected/<kind>`` (the crawl summary and the run log read them).
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Rejected):
            self.stats.inc_value(f"archiver/extract/rejected/{item.reason}")
            raise DropItem(f"{item.reason}: {item.url} {item.detail}".rstrip())
        if isinstance(item, ExtractedPage):
            self.stats.inc_value("archiver/extract/articles")
        return item
