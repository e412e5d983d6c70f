"""A bare Scrapy crawl: the floor Scrapy itself puts under any crawler built on it.

Fetches exactly the URLs given in a file (one a line, as ``archiver crawl`` requested
them; benchmarks/crawl.py writes that file from the demo server's request log), with
the archiver's own politeness-off settings for a local site, and does nothing with
the responses; ``--links`` also reads every page's links with Scrapy's LinkExtractor
and yields a request for each link in the list (Scrapy's dupefilter drops it, as any
Scrapy crawler's dupefilter drops links it already saw), so the page set is the same.
``--jobdir`` keeps the frontier in Scrapy's disk queue, as the archiver does for resume
(Scrapy's dupefilter then also appends each new request's fingerprint to a file there, a
buffered write the archiver's own dupefilter does not make).
``--engine`` picks the event loop: Scrapy's default asyncio reactor, Twisted's own
epoll reactor, or no reactor (asyncio with Scrapy's aiohttp download handler).

benchmarks/crawl.py runs this script in a child process and samples its CPU; run alone:

    python benchmarks/bare_scrapy.py urls.txt --links --engine epoll
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from pathlib import Path

from scrapy import Request, Spider
from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from scrapy.settings import Settings

from archiver import settings as project
from archiver.spiders.news import LOCAL_SITE_SETTINGS

ENGINES = {
    "asyncio": {"TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"},
    "epoll": {"TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor"},
    "reactorless": {"TWISTED_REACTOR_ENABLED": False,
                    "DOWNLOAD_HANDLERS": {"http": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler",
                                          "https": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler"}},
}


class BareSpider(Spider):
    """Requests the listed URLs; reads links only when asked."""

    name = "bare"

    def __init__(self, urls: list[str], links: bool, **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        self.wanted = set(urls)
        self.link_extractor = LinkExtractor() if links else None

    async def start(self) -> AsyncIterator[Request]:
        for url in self.urls:
            yield Request(url, self.parse, meta={"dont_redirect": True})

    def parse(self, response: Response):
        if self.link_extractor is None or not hasattr(response, "text"):  # 3xx/4xx reach here too
            return
        for link in self.link_extractor.extract_links(response):
            if link.url in self.wanted:
                yield Request(link.url, self.parse, meta={"dont_redirect": True})


def settings(engine: str, jobdir: str | None, overrides: list[str]) -> dict:
    """The archiver's settings for a site on this machine, minus everything the archiver adds
    (``overrides``: NAME=VALUE, as given to ``archiver crawl -s``)."""
    archiver = Settings()
    archiver.setmodule(project)
    values = {name: archiver[name] for name in
              ("USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_ITEMS", "DOWNLOAD_TIMEOUT",
               "DOWNLOAD_MAXSIZE", "COOKIES_ENABLED", "TELNETCONSOLE_ENABLED", "REMOTE_CONTROL_ENABLED",
               "EXTENSIONS_BASE")}
    values.update(LOCAL_SITE_SETTINGS, LOG_LEVEL="INFO", HTTPERROR_ALLOW_ALL=True, **ENGINES[engine])
    if jobdir:
        values["JOBDIR"] = jobdir
    values.update(o.split("=", 1) for o in overrides)
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", type=Path, help="a file of URLs, one a line")
    parser.add_argument("--links", action="store_true", help="read each page's links and yield requests for them")
    parser.add_argument("--jobdir", help="keep the frontier in Scrapy's disk queue in this directory")
    parser.add_argument("--engine", choices=sorted(ENGINES), default="asyncio")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting (the benchmark passes the crawl's own -s settings)")
    args = parser.parse_args()
    urls = args.urls.read_text().split()
    values = settings(args.engine, args.jobdir, args.settings)
    process = (CrawlerProcess if args.engine != "reactorless" else AsyncCrawlerProcess)(values)
    process.crawl(BareSpider, urls=urls, links=args.links)
    process.start()


if __name__ == "__main__":
    main()
