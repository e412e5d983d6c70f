"""The crawl's duplicate-request filter: Scrapy's, kept in memory even with a ``JOBDIR``.

A resumed (or killed and rerun) crawl re-discovers from sitemaps, feeds and listings,
and pages already archived cost only a conditional request, while a page fetched but
not stored before the stop is fetched again instead of being lost.

The fingerprints seen are kept as 64-bit hashes in a :class:`~archiver.storage.keyfilter.KeyFilter`
(about 8 bytes a request instead of ~160 for Scrapy's set of 20-byte fingerprints): a crawl of a million
requests would wrongly skip one with a chance of about one in ten million.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter

from archiver.storage.keyfilter import KeyFilter


class SessionDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate-request filter, never persisted to the job dir, its fingerprints compacted."""

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.seen = KeyFilter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SessionDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)

    def request_seen(self, request: Request) -> bool:
        fingerprint = self.fingerprinter.fingerprint(request)
        if fingerprint in self.seen:
            return True
        self.seen.add(fingerprint)
        return False
