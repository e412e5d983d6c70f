"""news-please spiders for a site on a non-default port (the benchmark's 127.0.0.1:PORT demo site).

news-please 1.6.16 sets ``allowed_domains = ["127.0.0.1:PORT"]`` (its UrlExtractor.get_allowed_domain
keeps the port), and Scrapy 2.19's OffsiteMiddleware matches allowed_domains against the request's
*hostname*, so every request -- even the first sitemap request -- is dropped as offsite
("offsite/filtered: 1", zero pages crawled). These subclasses only strip the port from
allowed_domains after news-please's own __init__; everything else is news-please's code.
For the benchmark's bookkeeping only, if NP_ITEM_LOG is set, the URL of every item that went
through the pipelines (ArticleMasterExtractor -> HtmlFileStorage -> JsonFileStorage) is appended
to that file: news-please's default file names drop the slug of URLs ending in "/", so JSON files
can overwrite each other and the files alone under-count what it extracted.
Loaded via SPIDER_MODULES in config.cfg (news-please looks crawlers up there by name) with this
directory on PYTHONPATH. Keeping offsite filtering on matters: RecursiveCrawler would otherwise
follow the demo pages' links to twitter.com, facebook.com, wordpress.org...
"""

import os

from scrapy import signals

from newsplease.crawler.spiders.recursive_crawler import RecursiveCrawler
from newsplease.crawler.spiders.sitemap_crawler import SitemapCrawler


def _strip_ports(domains):
    return [d.rsplit(":", 1)[0] if d and ":" in d else d for d in domains]


class _ItemLog:
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = os.environ.get("NP_ITEM_LOG")
        if path:
            spider._item_log = open(path, "a", buffering=1, encoding="utf-8")
            crawler.signals.connect(spider._log_item, signal=signals.item_scraped)
        return spider

    def _log_item(self, item, **_):
        self._item_log.write(item["url"] + "\n")


class LocalSitemapCrawler(_ItemLog, SitemapCrawler):
    name = "LocalSitemapCrawler"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_domains = _strip_ports(self.allowed_domains)


class LocalRecursiveCrawler(_ItemLog, RecursiveCrawler):
    name = "LocalRecursiveCrawler"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_domains = _strip_ports(self.allowed_domains)
