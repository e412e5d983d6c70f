"""The crawl's duplicate-request filter: Scrapy's, kept in memory even with a ``JOBDIR``.

A resumed (or killed and rerun) crawl re-discovers from sitemaps, feeds and listings,
and pages already archived cost only a conditional request, while a page fetched but
not stored before the stop is fetched again instead of being lost.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter


class SessionDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate-request filter, never persisted to the job dir."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SessionDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)
