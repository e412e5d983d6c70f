"""The news spider's callbacks on hand-built responses: what it yields for pages, sitemaps, feeds and robots.txt."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archiver.items import ExtractedPage, FetchedPage
from archiver.spiders.news import PRIORITY_SITEMAP, NewsSpider
from archiver.spiders.request import SpiderRequest
from archiver.storage.fetchstate import FetchState

from .hostile_site import paragraphs
from .scrapy_helpers import collect, html_response, run, spider_for, xml_response

SITE = "https://news.example"
ARTICLE = f"{SITE}/2024/05/01/council-votes/"

ARTICLE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council votes</title>
<link rel="canonical" href="/2024/05/01/council-votes/">
<link rel="amphtml" href="/2024/05/01/council-votes/amp/">
<link rel="alternate" type="application/rss+xml" href="/feed/">
</head><body><article><h1>Council votes</h1><p>{body}</p></article>
<a href="/2024/05/02/next-story/?utm_source=sidebar">next</a>
<a href="/2024/05/02/next-story/#comments">next again</a>
<a href="/category/politics/">Politics</a>
<a href="/2024/05/01/council-votes/print/">print</a>
<a href="https://elsewhere.example/2024/05/01/copy/">offsite</a>
<a href="/wp-content/uploads/photo.jpg">photo</a>
<a href="mailto:desk@news.example">mail</a>
</body></html>""".format(body=paragraphs(1).replace("\n\n", "</p><p>"))

LISTING_PAGE = """<html><body><a href="/2024/05/03/third/">third</a><a href="/page/2/">older</a></body></html>"""


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[NewsSpider]:
    news = spider_for(tmp_path, NewsSpider, url=SITE + "/")
    yield news
    news.closed("finished")


def stats(spider: NewsSpider) -> dict:
    return spider.crawler.stats.get_stats()


def test_start_requests_cover_every_channel(spider: NewsSpider) -> None:
    requests = collect(spider.start())
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{SITE}/", "parse_page"),
        (f"{SITE}/robots.txt", "parse_robots"),
        (f"{SITE}/sitemap_index.xml", "parse_sitemap"),
        (f"{SITE}/wp-sitemap.xml", "parse_sitemap"),
        (f"{SITE}/sitemap.xml", "parse_sitemap"),
        (f"{SITE}/feed/", "parse_feed"),
    ]
    assert requests[0].meta["found_via"] == "start" and requests[0].errback == spider.on_error
    assert all(r.errback == spider.on_missing for r in requests[1:])  # may not exist: a 404 there is normal
    assert requests[2].meta["download_maxsize"] == spider.settings.getint("ARCHIVER_SITEMAP_MAXSIZE")


def test_an_article_page_yields_its_page_then_requests_for_its_links(spider: NewsSpider) -> None:
    response = html_response(ARTICLE, ARTICLE_PAGE, meta={"found_via": "sitemap", "sitemap_lastmod": "2024-05-02",
                                                          "redirect_urls": [f"{SITE}/?p=42"]},
                             headers={"ETag": '"abc"', "Content-Type": "text/html; charset=utf-8"})
    out = run(spider.parse_page(response))
    extracted, *requests = out
    assert isinstance(extracted, ExtractedPage) and extracted.extraction.title == "Council votes"
    page = extracted.page  # parsed once, in the extraction worker, which gave its links too
    assert isinstance(page, FetchedPage)
    assert (page.url, page.final_url, page.status, page.body) == (f"{SITE}/?p=42", ARTICLE, 200, response.body)
    assert page.found_via == "sitemap" and page.sitemap_lastmod == "2024-05-02" and page.encoding == "utf-8"
    assert page.headers["etag"] == '"abc"' and page.redirect_urls == [f"{SITE}/?p=42"]
    assert page.aliases == [f"{ARTICLE}print/", f"{ARTICLE}amp/"]  # its own variants, recorded, not fetched
    assert all(isinstance(r, Request) for r in requests)
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{SITE}/feed/", "parse_feed"),
        (f"{SITE}/2024/05/02/next-story/", "parse_page"),  # tracking parameter and fragment dropped, once
        (f"{SITE}/category/politics/", "parse_page"),
        (ARTICLE, "parse_page"),  # the variants' article (the dupefilter drops what was fetched)
    ]
    assert {r.meta["found_via"] for r in requests} == {"feed", "link"}
    assert requests[1].priority > requests[2].priority  # articles before listings


def test_a_listing_page_is_followed_not_archived(spider: NewsSpider) -> None:
    out = run(spider.parse_page(html_response(f"{SITE}/category/politics/", LISTING_PAGE)))
    assert [type(o) for o in out] == [SpiderRequest, SpiderRequest]
    assert [r.url for r in out] == [f"{SITE}/2024/05/03/third/", f"{SITE}/page/2/"]
    assert out[1].meta["stale_listing"] == 0
    assert stats(spider)["archiver/discovery/listing_pages"] == 1
    again = run(spider.parse_page(html_response(f"{SITE}/", LISTING_PAGE)))
    assert again == []  # links already followed this run are not asked for twice


def test_paging_stops_when_a_listing_s_only_unarchived_link_was_already_followed(spider: NewsSpider) -> None:
    """A link on every listing page (a "most read" box, an old address redirecting to an
    archived article) is new once: the later pages it is on bring nothing new."""
    def listing(url: str, next_page: str, stale: int | None = None) -> list:
        page = f'<html><body><a href="/2024/05/03/most-read">most read</a><a href="{next_page}">older</a></body></html>'
        meta = {} if stale is None else {"stale_listing": stale}
        return [r.url for r in run(spider.parse_page(html_response(url, page, meta=meta)))]

    assert listing(f"{SITE}/category/politics/", "/category/politics/page/2/") == [
        f"{SITE}/2024/05/03/most-read", f"{SITE}/category/politics/page/2/"]
    assert listing(f"{SITE}/category/politics/page/2/", "/category/politics/page/3/", stale=0) == [
        f"{SITE}/category/politics/page/3/"]
    assert listing(f"{SITE}/category/politics/page/3/", "/category/politics/page/4/", stale=1) == []
    assert stats(spider)["archiver/discovery/stopped_paging"] == 1


def test_a_canonical_elsewhere_on_the_site_is_requested(spider: NewsSpider) -> None:
    page = ARTICLE_PAGE.replace('href="/2024/05/01/council-votes/">', 'href="/2024/05/01/the-real-one/">', 1)
    requests = [o for o in run(spider.parse_page(html_response(ARTICLE, page))) if isinstance(o, Request)]
    canonical = [r for r in requests if r.meta["found_via"] == "canonical"]
    assert [r.url for r in canonical] == [f"{SITE}/2024/05/01/the-real-one/"]


URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <url><loc>{SITE}/2024/05/01/a/</loc><lastmod>2024-05-02</lastmod></url>
 <url><loc>{SITE}/2017/01/01/old/</loc></url>
 <url><loc>https://elsewhere.example/2024/05/01/b/</loc></url>
</urlset>""".encode()
INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <sitemap><loc>{SITE}/post-sitemap.xml.gz</loc></sitemap>
</sitemapindex>""".encode()


def test_a_sitemap_yields_page_requests_with_their_lastmod(spider: NewsSpider) -> None:
    requests = list(spider.parse_sitemap(xml_response(f"{SITE}/sitemap.xml", URLSET)))
    assert [r.url for r in requests] == [f"{SITE}/2024/05/01/a/", f"{SITE}/2017/01/01/old/"]  # offsite dropped
    assert all(r.callback == spider.parse_page and r.meta["found_via"] == "sitemap" for r in requests)
    assert requests[0].meta["sitemap_lastmod"] == "2024-05-02" and requests[1].meta["sitemap_lastmod"] is None
    assert stats(spider)["archiver/discovery/sitemaps"] == 1
    assert stats(spider)["archiver/discovery/out_of_scope"] == 1


def test_a_gzipped_sitemap_index_yields_sitemap_requests(spider: NewsSpider) -> None:
    [request] = spider.parse_sitemap(xml_response(f"{SITE}/sitemap_index.xml.gz", gzip.compress(INDEX)))
    assert request.url == f"{SITE}/post-sitemap.xml.gz" and request.callback == spider.parse_sitemap
    assert request.priority == PRIORITY_SITEMAP and request.meta["download_maxsize"] > 0


def test_a_sitemap_linked_like_a_page_is_read_as_a_sitemap(spider: NewsSpider) -> None:
    requests = run(spider.parse_page(xml_response(f"{SITE}/sitemap.xml", URLSET)))
    assert [r.url for r in requests] == [f"{SITE}/2024/05/01/a/", f"{SITE}/2017/01/01/old/"]


def test_an_invalid_sitemap_is_a_warning_and_a_counter(spider: NewsSpider, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="archiver.spiders.news"):
        assert list(spider.parse_sitemap(xml_response(f"{SITE}/sitemap.xml", b"<html>not a sitemap"))) == []
        assert list(spider.parse_sitemap(xml_response(f"{SITE}/s.xml.gz", b"\x1f\x8b\x08broken"))) == []
    assert "Ignoring invalid sitemap: https://news.example/sitemap.xml" in caplog.text
    assert "cannot gunzip" in caplog.text
    assert stats(spider)["archiver/discovery/invalid_sitemap"] == 2


def test_a_date_window_skips_sitemap_entries_outside_it(tmp_path: Path) -> None:
    spider = spider_for(tmp_path, NewsSpider, settings={"ARCHIVER_SINCE": "2024-01-01"}, url=SITE)
    requests = list(spider.parse_sitemap(xml_response(f"{SITE}/sitemap.xml", URLSET)))
    assert [r.url for r in requests] == [f"{SITE}/2024/05/01/a/"]
    assert spider.crawler.stats.get_value("archiver/discovery/outside_window") == 1
    spider.closed("finished")


def test_unchanged_and_gone_sitemap_entries_cost_no_request(tmp_path: Path) -> None:
    state = FetchState(tmp_path)
    state.record(f"{SITE}/2024/05/01/a/", fetched_at="2024-05-03T00:00:00+00:00", etag=None, last_modified=None,
                 sitemap_lastmod="2024-05-02", content_hash="h", article_id="a" * 16)
    state.record(f"{SITE}/2017/01/01/old/", fetched_at="2099-01-01T00:00:00+00:00", etag=None, last_modified=None,
                 sitemap_lastmod=None, content_hash=None, article_id=None)  # answered 404 lately
    state.close()
    spider = spider_for(tmp_path, NewsSpider, url=SITE)
    assert list(spider.parse_sitemap(xml_response(f"{SITE}/sitemap.xml", URLSET))) == []
    assert spider.crawler.stats.get_value("archiver/discovery/skipped_unchanged_lastmod") == 1
    assert spider.crawler.stats.get_value("archiver/discovery/skipped_gone") == 1
    spider.closed("finished")
    full = spider_for(tmp_path, NewsSpider, settings={"ARCHIVER_FULL": True}, url=SITE)
    assert len(list(full.parse_sitemap(xml_response(f"{SITE}/sitemap.xml", URLSET)))) == 2  # --full: revisit all
    full.closed("finished")


FEED = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>
<item><title>A</title><link>{SITE}/2024/05/01/a/?utm_medium=rss</link><pubDate>Wed, 01 May 2024 10:00:00 +0000</pubDate></item>
<item><title>B</title><link>https://elsewhere.example/2024/05/01/b/</link></item>
</channel></rss>""".encode()


def test_a_feed_yields_requests_for_its_items(spider: NewsSpider, caplog: pytest.LogCaptureFixture) -> None:
    [request] = spider.parse_feed(xml_response(f"{SITE}/feed/", FEED))
    assert request.url == f"{SITE}/2024/05/01/a/" and request.callback == spider.parse_page
    assert request.meta["found_via"] == "feed"
    assert stats(spider)["archiver/discovery/feeds"] == 1
    with caplog.at_level(logging.WARNING, logger="archiver.spiders.news"):
        assert list(spider.parse_feed(xml_response(f"{SITE}/feed/", b"<html><body>no feed</body></html>"))) == []
    assert "Ignoring invalid feed: https://news.example/feed/" in caplog.text
    assert stats(spider)["archiver/discovery/invalid_feed"] == 1


def test_robots_txt_sitemaps_in_scope_are_requested(spider: NewsSpider) -> None:
    robots = (b"User-agent: *\nDisallow: /wp-admin/\nSitemap: /news-sitemap.xml\n"
              b"Sitemap: https://elsewhere.example/sitemap.xml\nsitemap: https://www.news.example/s2.xml\n")
    requests = list(spider.parse_robots(xml_response(f"{SITE}/robots.txt", robots)))
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{SITE}/news-sitemap.xml", "parse_sitemap"), ("https://www.news.example/s2.xml", "parse_sitemap")]
    assert all(r.priority == PRIORITY_SITEMAP and r.meta["found_via"] == "sitemap" for r in requests)


def test_failures_are_counted_and_gone_pages_remembered(spider: NewsSpider) -> None:
    def failed(url: str, status: int, retries: int = 0) -> Failure:
        request = Request(url, meta={"retry_times": retries})
        error = HttpError(Response(url, status=status, request=request))
        failure = Failure(error)
        failure.request = request
        return failure

    spider.on_error(failed(f"{SITE}/2024/05/20/down/", 503, retries=2))
    spider.on_error(failed(f"{SITE}/2024/05/21/gone/", 410))
    assert stats(spider)["archiver/failed/http_503"] == 1 and stats(spider)["archiver/failed/http_410"] == 1
    gone = spider.fetch_state.get(f"{SITE}/2024/05/21/gone/")
    assert gone is not None and gone.article_id is None
    assert spider.fetch_state.get(f"{SITE}/2024/05/20/down/") is None  # a failure is asked again next run
