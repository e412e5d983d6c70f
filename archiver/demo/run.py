"""``archiver demo``: serve the demo site locally, crawl it, search it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from index import SearchResults

from archiver.crawl import CrawlOptions, CrawlSummary, run_crawl
from archiver.datadir import DataDir
from archiver.demo import FLAVOURS
from archiver.demo.check import DemoCheck, check_demo
from archiver.demo.custom import CustomSite
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.errors import ArchiverError
from archiver.indexing import search_archive
from archiver.shutdown import interrupted_by_stop_signals


def demo_site(flavour: str, articles: int) -> DemoSite | CustomSite:
    """The demo site of one flavour with this many articles."""
    try:
        return FLAVOURS[flavour](articles=articles)
    except KeyError:
        raise ArchiverError(f"unknown demo flavour {flavour!r}; choose one of {', '.join(FLAVOURS)}") from None


def serve_forever(*, articles: int, port: int, ready: Callable[[str], None], flavour: str = "wordpress") -> None:
    """Serve the demo site until Ctrl-C or ``kill``, for crawling it by hand; ``ready`` gets its URL."""
    try:
        with interrupted_by_stop_signals(), DemoServer(demo_site(flavour, articles), port=port) as server:
            ready(server.url)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        return


@dataclass
class DemoRun:
    url: str  #: where the demo site was served
    flavour: str
    articles: int  #: articles on the demo site (the ground truth)
    summary: CrawlSummary
    offsite_requests: int  #: requests the crawl made to other hosts (should be 0)
    query: str  #: a phrase search that finds one article
    results: SearchResults
    check: DemoCheck  #: the archive against the site's ground truth


def run_demo(data_dir: DataDir, *, articles: int, serving: Callable[[str], None] | None = None,
             flavour: str = "wordpress") -> DemoRun:
    """Crawl a freshly served demo site into ``data_dir`` and search it for one article's phrase."""
    site = demo_site(flavour, articles)
    with DemoServer(site) as server:
        if serving is not None:
            serving(server.url)
        summary = run_crawl(CrawlOptions(urls=[server.url], data_dir=data_dir))
        requests = list(server.requests)
    offsite = [r for r in requests if r.host != server.url.split("/")[2]]
    query = f'"{site.articles[0].phrase}"'
    return DemoRun(server.url, flavour, len(site.articles), summary, len(offsite), query,
                   search_archive(data_dir, query, limit=3), check_demo(data_dir, site, server.base_url, requests))
