"""The news spider: finds every article of a site through all the channels it offers.

From each start URL it reads robots.txt sitemaps, the usual WordPress sitemap and feed
locations, the home page and archive pages with their pagination, feeds announced in
``<link rel=alternate>``, and links inside pages. It discovers and fetches: every HTML
page that may be an article goes to the extraction workers
(:class:`~archiver.extensions.extraction.ExtractionPool`), which parse it once and hand
back both its extraction and its links; the spider yields the extraction (an
:class:`~archiver.items.ExtractedPage`, or a :class:`~archiver.items.Rejected` saying
why not) for the pipelines, and requests for the links.

Run it as ``archiver crawl URL`` or ``scrapy crawl news -a url=URL``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.url import url_has_any_extension
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from archiver.datadir import DataDir
from archiver.discovery.listings import KnownListings
from archiver.discovery.pagelinks import PageLinks, page_links
from archiver.discovery.sources import (
    WELL_KNOWN_FEEDS,
    WELL_KNOWN_SITEMAPS,
    is_listing_url,
    is_pagination_url,
    looks_like_article_url,
    parse_feed,
    parse_sitemap,
    should_skip,
    sitemaps_in_robots,
)
from archiver.extensions.extraction import ExtractionPool
from archiver.extraction.extract import PageReading, parse_html
from archiver.fetcherrors import failure_cause, failure_reason
from archiver.items import ExtractedPage, FetchedPage, FetchedResource, Rejected
from archiver.middlewares.conditional import NotModified
from archiver.responses import fetched_page, http_exchange
from archiver.discovery.siteprofile import SiteProfile, load_profile
from archiver.storage.fetchstate import FetchState
from archiver.spiders.request import SpiderRequest
from archiver.storage.keyfilter import KeyFilter
from archiver.urls import clean_url, is_http_url, is_local, is_variant, start_url, strip_variant, url_key
from archiver.discovery.window import DateWindow, hint_day, newest_first_priority, url_day

logger = logging.getLogger(__name__)

#: Links to files that are never pages (images, media, documents, archives).
SKIPPED_EXTENSIONS = {f".{ext}" for ext in IGNORED_EXTENSIONS}
PRIORITY_SITEMAP = 100
PRIORITY_FEED = 90
PRIORITY_START = 80
PRIORITY_ARTICLE = 20
PRIORITY_LISTING = 10
PRIORITY_OTHER = 0

#: A site on this machine (the demo site, a test server) needs no gentleness.
LOCAL_SITE_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
#: Statuses that say a page is gone: remembered, so a stale sitemap does not cost them every run.
GONE_STATUSES = (404, 410)


class NewsSpider(Spider):
    """Discover and fetch the articles of one or more news sites, no configuration needed."""

    name = "news"

    #: Tried on every start host besides those named in robots.txt.
    well_known_sitemaps: tuple[str, ...] = WELL_KNOWN_SITEMAPS
    #: Tried on every start host besides feeds announced in pages.
    well_known_feeds: tuple[str, ...] = WELL_KNOWN_FEEDS
    #: Follow links found in HTML pages (listings and articles).
    follow_links: bool = True

    def __init__(
        self,
        url: str | None = None,
        urls: Iterable[str] | None = None,
        profile: str | SiteProfile | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if isinstance(profile, str) and profile:
            profile = load_profile(profile)
        self.profile: SiteProfile = profile or SiteProfile()
        given = [u.strip() for u in (url or "").split(",") if u.strip()] + list(urls or [])
        given += self.profile.start_urls
        if not given:
            raise ValueError("give at least one start URL, e.g. -a url=https://news.example/")
        self.start_urls = [start_url(u) for u in given]
        self.netlocs = {urlsplit(u).netloc for u in self.start_urls}
        self.netlocs |= {_www_twin(n) for n in self.netlocs}
        self.netlocs |= {h.lower() for h in self.profile.allowed_hosts}
        self.allowed_domains = sorted({n.rsplit(":", 1)[0] if not n.startswith("[") else n for n in self.netlocs})
        self._scoped = functools.lru_cache(maxsize=1 << 16)(self._scope)
        #: URLs already requested from links this run (cheaper than letting Scrapy's dupefilter drop them).
        self.followed = KeyFilter()  # a set of 8-byte hashes: the crawl's memory stays flat as it grows
        #: The date each feed item or news sitemap gives its page (a page may have been requested before it was read).
        self.feed_dates: dict[str, str] = {}
        self.fetch_state: FetchState | None = None
        self.incremental = False
        self.stale_listing_pages = 2
        self.gone_recheck = timedelta(days=30)
        #: Publication days to archive (``--since``/``--until``): what is clearly outside is not fetched.
        self.window = DateWindow()
        #: Order article requests by date, newest first (``--newest-first``).
        self.newest_first = False
        self.today = date.today()
        #: Emit captures of 304s (and, with ``capture_all``, of sitemaps, feeds, listings) for the WARC.
        self.capture = False
        self.capture_all = False
        #: Pages the extractor classified as listings (and in later runs): crawled, not extracted.
        self.listings = KnownListings()
        self.listings_file: Path | None = None
        self._extraction_pool: ExtractionPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.set_run_settings(settings)
        spider.fetch_state = FetchState(DataDir.from_settings(settings))
        spider.incremental = not settings.getbool("ARCHIVER_FULL")
        spider.stale_listing_pages = settings.getint("ARCHIVER_STALE_LISTING_PAGES")
        spider.gone_recheck = timedelta(days=settings.getfloat("ARCHIVER_GONE_RECHECK_DAYS"))
        spider.window = DateWindow.from_strings(settings.get("ARCHIVER_SINCE"), settings.get("ARCHIVER_UNTIL"))
        spider.newest_first = settings.getbool("ARCHIVER_NEWEST_FIRST")
        spider.capture = settings.getbool("ARCHIVER_STORE_RAW")
        spider.capture_all = spider.capture and settings.getbool("ARCHIVER_WARC_ALL_RESPONSES")
        spider.listings_file = DataDir.from_settings(settings).known_listings
        if spider.incremental:
            spider.listings = KnownListings.read(spider.listings_file)
        return spider

    def set_run_settings(self, settings: Any) -> None:
        """What every run of this spider gets, however it is started (``archiver crawl``,
        ``scrapy crawl``, scrapyd): the frontier kept in the data dir across runs, and no
        throttling when every start URL is this machine. Set before Scrapy freezes the
        settings, at spider priority, so project files and ``-s`` options still win."""
        if not settings.get("JOBDIR"):
            settings.set("JOBDIR", str(DataDir.from_settings(settings).frontier), priority="spider")
        if all(is_local(u) for u in self.start_urls):
            settings.setdict(LOCAL_SITE_SETTINGS, priority="spider")

    def closed(self, reason: str) -> None:
        if self.fetch_state is not None:
            self.fetch_state.close()
        if self.listings_file is not None and (self.listings or self.listings_file.exists()):
            self.listings.write(self.listings_file)

    async def start(self) -> AsyncIterator[Request]:
        for start in self.start_urls:
            base = f"{urlsplit(start).scheme}://{urlsplit(start).netloc}"
            yield SpiderRequest(start, self.parse_page, priority=PRIORITY_START, errback=self.on_error, meta={"found_via": "start"})
            yield self._quiet(urljoin(base, "/robots.txt"), self.parse_robots, PRIORITY_SITEMAP)
            for path in self.well_known_sitemaps:
                yield self._quiet(urljoin(base, path), self.parse_sitemap, PRIORITY_SITEMAP)
            for path in self.well_known_feeds:
                yield self._quiet(urljoin(base, path), self.parse_feed, PRIORITY_FEED)
        for sitemap in self.profile.sitemaps:
            yield self._quiet(sitemap, self.parse_sitemap, PRIORITY_SITEMAP)
        for feed in self.profile.feeds:
            yield self._quiet(feed, self.parse_feed, PRIORITY_FEED)

    def _quiet(self, url: str, callback: Any, priority: int) -> Request:
        """A request for a place that may not exist: a 404 there is normal, not an error."""
        return SpiderRequest(url, callback, priority=priority, errback=self.on_missing, meta=self._meta(callback, "start"))

    def on_missing(self, failure: Any) -> None:
        """A well-known place (robots.txt, a sitemap, a feed) that failed: a 4xx means the
        site has none, anything else (refused, timed out, 5xx) is a failure like any other."""
        if failure.check(HttpError) and failure.value.response.status < 500:
            logger.debug("Not available: %s", getattr(failure.request, "url", failure))
            self._count("missing_well_known")
            return
        self.on_error(failure)

    def on_error(self, failure: Any) -> list[FetchedResource] | None:
        """A page that could not be fetched: one warning and a counter per reason, no traceback.

        Failures are not archived state, so the next run asks again; only pages that
        answered 404/410 are remembered as gone (see :meth:`_known_gone`). Why a start
        page failed is kept for the crawl summary (``archiver/start_failures``). A ``304 Not
        Modified`` is no failure: its answer goes on as a capture when captures are kept.
        """
        request = failure.request
        cause = ""  #: the network's own words, when the status code does not say it all
        if failure.check(NotModified):
            if not self.capture:
                return None
            response = failure.value.response
            return [FetchedResource(url=response.url, status=response.status, body=response.body,
                                    http=http_exchange(response), fetched_at=_now(), found_via="not-modified")]
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = "redirect_not_followed" if 300 <= status < 400 else f"http_{status}"
            explained = f"HTTP {status}" + (" (a redirect elsewhere, not followed)" if 300 <= status < 400 else "")
            if status in GONE_STATUSES:
                self._remember_gone(request)
        elif failure.check(IgnoreRequest):
            return None  # robots.txt, offsite, not modified, network guard: decided and counted elsewhere
        else:
            reason, cause = failure_reason(failure), failure_cause(failure.value)
            explained = cause
        retries = request.meta.get("retry_times", 0)
        logger.warning("Failed %s: %s%s%s", request.url, reason, f" ({cause})" if cause else "",
                       f" (after {retries} retries)" if retries else "")
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value(f"archiver/failed/{reason}")
            if request.url in self.start_urls:
                failures = self.crawler.stats.get_value("archiver/start_failures") or {}
                self.crawler.stats.set_value("archiver/start_failures",
                                             {**failures, request.url: explained})
        return None

    def _resource(self, response: Response, found_via: str) -> Iterator[FetchedResource]:
        """The response as a capture for the WARC, when every response is kept (``ARCHIVER_WARC_ALL_RESPONSES``)."""
        if self.capture_all:
            yield FetchedResource(url=response.url, status=response.status, body=response.body,
                                  http=http_exchange(response), fetched_at=_now(), found_via=found_via)

    def _remember_gone(self, request: Request) -> None:
        if self.fetch_state is None:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.fetch_state.record(request.url, fetched_at=now, etag=None, last_modified=None,
                                sitemap_lastmod=request.meta.get("sitemap_lastmod"), content_hash=None, article_id=None)

    def _known_gone(self, url: str, lastmod: str | None) -> bool:
        """A page that answered 404/410 lately (a crawl-state entry without an article) and
        whose sitemap ``<lastmod>``, if any, has not moved since: not worth a request."""
        if not (self.incremental and self.fetch_state):
            return False
        known = self.fetch_state.get(url)
        if known is None or known.article_id is not None or (lastmod and lastmod != known.sitemap_lastmod):
            return False
        try:
            seen = datetime.fromisoformat(known.fetched_at)
        except ValueError:
            return False
        return datetime.now(timezone.utc) - seen < self.gone_recheck

    # -- scope -----------------------------------------------------------------------

    def in_scope(self, url: str) -> bool:
        """True for http(s) URLs on the start hosts that are worth a request."""
        if not is_http_url(url) or should_skip(url):
            return False
        parts = urlsplit(url)
        if parts.netloc.lower() not in self.netlocs:
            return False
        return not any(p.search(parts.path) for p in self.profile.deny_patterns)

    def is_candidate(self, url: str) -> bool:
        """Whether a fetched HTML page may be an article (the extractor decides for sure)."""
        path = urlsplit(url).path or "/"
        if self.profile.article_patterns:
            return any(p.search(path) for p in self.profile.article_patterns)
        if any(p.search(path) for p in self.profile.listing_patterns):
            return False
        return not is_listing_url(url)

    def follow(self, url: str, callback: Any, found_via: str, priority: int | None = None, *,
               day_hint: str | None = None, **meta: Any) -> Request | None:
        """A request for ``url`` when it is in scope, its tracking parameters dropped.

        ``day_hint`` (a feed or sitemap date) orders articles when crawling newest first.
        """
        try:
            url = clean_url(url)
        except ValueError:
            return None
        if not self.in_scope(url):
            self._count("out_of_scope")
            return None
        if priority is None:
            priority = PRIORITY_ARTICLE if looks_like_article_url(url) else PRIORITY_LISTING if is_listing_url(url) else PRIORITY_OTHER
            if self.newest_first and priority == PRIORITY_ARTICLE:
                priority = newest_first_priority(priority, url_day(url) or hint_day(day_hint), self.today)
        errback = self.on_error if callback == self.parse_page else self.on_missing
        return SpiderRequest(url, callback, priority=priority, errback=errback, meta=self._meta(callback, found_via, **meta))

    def _meta(self, callback: Any, found_via: str, **meta: Any) -> dict[str, Any]:
        """Request meta; sitemaps may be far bigger than pages (``ARCHIVER_SITEMAP_MAXSIZE``)."""
        if callback == self.parse_sitemap and self.crawler is not None:
            meta["download_maxsize"] = self.settings.getint("ARCHIVER_SITEMAP_MAXSIZE")
        return {"found_via": found_via, **meta}

    # -- callbacks -------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request | FetchedResource]:
        yield from self._resource(response, "robots")
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        for sitemap in sitemaps_in_robots(text, response.url):
            request = self.follow(sitemap, self.parse_sitemap, "sitemap", PRIORITY_SITEMAP)
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request | FetchedResource]:
        yield from self._resource(response, "sitemap")
        body = self._sitemap_body(response)
        contents = parse_sitemap(body) if body is not None else None
        if contents is None:
            logger.warning("Ignoring invalid sitemap: %s", response.url)
            self._count("invalid_sitemap")
            return
        self._count("sitemaps")
        for entry in contents.entries:
            if self.window.rules_out(entry.url, lastmod=entry.lastmod):
                self._count("outside_window")
                continue
            if contents.is_index:
                request = self.follow(entry.url, self.parse_sitemap, "sitemap", PRIORITY_SITEMAP)
            elif self._unchanged_since_last_run(entry.url, entry.lastmod):
                self._count("skipped_unchanged_lastmod")
                if scoped := self._scoped(entry.url):
                    self.followed.add(scoped)  # links to it need no request either
                continue
            elif self._known_gone(entry.url, entry.lastmod):
                self._count("skipped_gone")
                continue
            else:
                request = self.follow(entry.url, self.parse_page, "sitemap", day_hint=entry.published or entry.lastmod,
                                      sitemap_lastmod=entry.lastmod, feed_published=entry.published)
                if request is not None and entry.published:
                    self.feed_dates[request.url] = entry.published
            if request is not None:
                yield request

    def _unchanged_since_last_run(self, url: str, lastmod: str | None) -> bool:
        """An archived page whose sitemap ``<lastmod>`` has not moved needs no request."""
        if not (self.incremental and lastmod and self.fetch_state):
            return False
        known = self.fetch_state.get(url)
        return known is not None and known.article_id is not None and known.sitemap_lastmod == lastmod

    def _sitemap_body(self, response: Response) -> bytes | None:
        """The sitemap XML, gunzipped when the file is gzip, within the size limit."""
        if not gzip_magic_number(response):
            return response.body
        limit = self.settings.getint("ARCHIVER_SITEMAP_MAXSIZE", self.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            return gunzip(response.body, max_size=limit)
        except Exception as exc:  # gzip raises several unrelated types (OSError, EOFError, _DecompressionMaxSizeExceeded)
            logger.warning("Ignoring sitemap %s: cannot gunzip (%s)", response.url, exc)
            return None

    def parse_feed(self, response: Response) -> Iterator[Request | FetchedResource]:
        yield from self._resource(response, "feed")
        entries = parse_feed(response.body)
        if entries is None:
            logger.warning("Ignoring invalid feed: %s", response.url)
            self._count("invalid_feed")
            return
        self._count("feeds")
        for entry in entries:
            if self.window.rules_out(entry.url, published=entry.published):
                self._count("outside_window")
                continue
            request = self.follow(entry.url, self.parse_page, "feed", day_hint=entry.published,
                                  feed_published=entry.published)
            if request is not None:
                if entry.published:
                    self.feed_dates[request.url] = entry.published
                yield request

    async def parse_page(self, response: Response) -> list[Request | ExtractedPage | Rejected | FetchedResource]:
        """A page: extracted (when it may be an article) and its links followed.

        An article page is parsed once, by an extraction worker, which also reads its
        links; a listing page is never extracted, only parsed here for its links: known by
        its URL (``/tag/...``, ``/page/2/``), or by the extractor's verdict on it in an earlier
        run or on its first page (:mod:`archiver.discovery.listings`). A coroutine that
        returns a list rather than an async generator: Scrapy then runs the spider
        middlewares over the output in their plain (cheaper) synchronous form.
        """
        if not isinstance(response, HtmlResponse):
            return list(self._not_html(response))
        candidate = self.is_candidate(response.url)
        if candidate and response.url in self.listings:
            self._count("known_listings")
        elif candidate:
            page = self._page_item(response)
            reading = await self.extraction_pool().read(page)
            return [] if reading is None else list(self._read_page(response, page, reading))  # None: stopping
        return list(self._listing_page(response, by_url=not candidate))

    def _not_html(self, response: Response) -> Iterator[Request | FetchedResource]:
        if _is_sitemap_xml(response.body):
            yield from self.parse_sitemap(response)
        else:
            self._count("not_html")

    def _read_page(self, response: HtmlResponse, page: FetchedPage,
                   reading: PageReading) -> Iterator[Request | ExtractedPage | Rejected]:
        """What the extraction worker read: the article (or why not), then requests for the page's links."""
        links = self._scoped_links(reading.links.links) if self.follow_links else []
        if isinstance(reading.result, Rejected):
            if reading.result.reason == "listing":
                self.listings.add(response.url)
            yield reading.result
        else:
            page.aliases = self._own_variants(response.url, links, reading.links.amp)
            yield ExtractedPage(page, reading.result)
        yield from self._feeds_and_canonical(response.url, reading.links)
        yield from self._follow_links(response, links, listing=False)

    def _listing_page(self, response: HtmlResponse, by_url: bool) -> Iterator[Request | FetchedResource]:
        """A listing, parsed here for its links only (``by_url``: its URL says so, which starts stale paging)."""
        found = page_links(parse_html(response.text), response.url)
        links = self._scoped_links(found.links) if self.follow_links else []
        self._count("listing_pages")
        yield from self._resource(response, "listing")
        yield from self._feeds_and_canonical(response.url, found)
        yield from self._follow_links(response, links, listing=by_url)

    def extraction_pool(self) -> ExtractionPool:
        """The crawl's extraction workers (an extension, so every component shares one pool)."""
        if self._extraction_pool is None:
            self._extraction_pool = self.crawler.get_extension(ExtractionPool)
            if self._extraction_pool is None:
                raise RuntimeError("the news spider needs the ExtractionPool extension (EXTENSIONS)")
        return self._extraction_pool

    def _page_item(self, response: HtmlResponse) -> FetchedPage:
        redirects = list(response.meta.get("redirect_urls", []))
        url = redirects[0] if redirects else response.url
        return fetched_page(
            response,
            url=url,
            found_via=response.meta.get("found_via", "link"),
            redirect_urls=redirects,
            fetched_at=_now(),
            sitemap_lastmod=response.meta.get("sitemap_lastmod"),
            feed_published=response.meta.get("feed_published") or self.feed_dates.get(url),
        )

    def _scoped_links(self, urls: list[str]) -> list[str]:
        """The page's links, cleaned, in scope, each once.

        News pages repeat the same menu and sidebar links on every page: those hit the
        memoised :meth:`_scope`.
        """
        return list(dict.fromkeys(u for u in map(self._scoped, urls) if u))

    def _scope(self, url: str) -> str | None:
        """``url`` cleaned when it is worth a request, else None (memoised per crawl)."""
        try:
            url = clean_url(url)
        except ValueError:
            return None
        if url_has_any_extension(url, SKIPPED_EXTENSIONS):
            return None
        return url if self.in_scope(url) else None

    def _own_variants(self, url: str, links: list[str], amp: str | None) -> list[str]:
        """AMP and print renderings this page links to: recorded on its article, never fetched."""
        candidates = links + ([u] if amp and (u := self._scoped(amp)) else [])
        own = url_key(url)
        return [u for u in dict.fromkeys(candidates) if is_variant(u) and url_key(u) == own]

    def _feeds_and_canonical(self, url: str, found: PageLinks) -> Iterator[Request]:
        for feed in found.feeds:
            request = self.follow(feed, self.parse_feed, "feed", PRIORITY_FEED)
            if request is not None:
                yield request
        if found.canonical and found.canonical != url:
            request = self.follow(found.canonical, self.parse_page, "canonical")
            if request is not None:
                yield request

    def _follow_links(self, response: HtmlResponse, links: list[str], listing: bool) -> Iterator[Request]:
        """Requests for links not followed yet this run; variants are followed as their article."""
        stale = self._stale_run(response, links) if listing else 0
        if listing and self._past_window(links):
            stale = self.stale_listing_pages  # listings run newest first: later pages are older still
        for url in links:
            if is_variant(url):
                url = strip_variant(url)
            if url in self.followed:
                continue
            if self.window.rules_out(url):
                self._count("outside_window")
                self.followed.add(url)
                continue
            if is_pagination_url(url) and stale >= self.stale_listing_pages:
                self._count("stopped_paging")
                continue
            self.followed.add(url)
            request = self.follow(url, self.parse_page, "link")
            if request is not None:
                if is_pagination_url(url):
                    request.meta["stale_listing"] = stale
                yield request

    def _stale_run(self, response: HtmlResponse, links: list[str]) -> int:
        """How many listing pages in a row (this one included) hold no new article link.

        New means neither archived nor already followed this run: a link on every page (a
        "most read" box, an old address that redirects to an archived article, a page that
        is never archived) is new on the first listing that shows it, not on all of them,
        or paging would never stop.
        """
        if not (self.incremental and self.fetch_state):
            return 0
        fresh = any(looks_like_article_url(u) and strip_variant(u) not in self.followed
                    and not self.fetch_state.is_archived(u) for u in links)
        return 0 if fresh else response.meta.get("stale_listing", 0) + 1

    def _past_window(self, links: list[str]) -> bool:
        """True for a listing whose dated article links all predate ``--since``."""
        if self.window.since is None:
            return False
        days = [day for u in links if looks_like_article_url(u) and (day := url_day(u)) is not None]
        return bool(days) and all(self.window.clearly_before(day) for day in days)

    def _count(self, key: str) -> None:
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value(f"archiver/discovery/{key}")


WWW = re.compile(r"^www\.", re.IGNORECASE)


def _www_twin(netloc: str) -> str:
    """``example.com`` ↔ ``www.example.com``: one site, two spellings."""
    return WWW.sub("", netloc) if WWW.match(netloc) else f"www.{netloc}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_sitemap_xml(body: bytes) -> bool:
    """A sitemap linked like a page (e.g. from an HTML sitemap or a canonical link)."""
    head = body[:2000]
    return b"<urlset" in head or b"<sitemapindex" in head
