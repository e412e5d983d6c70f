"""Each page parsed once: the extraction worker hands back the page's links with its
extraction, and pages known to be listings are followed without any extraction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request

from archiver.demo.custom import CustomSite
from archiver.demo.server import DemoServer
from archiver.discovery.listings import KnownListings
from archiver.discovery.sources import first_page
from archiver.extraction.extract import read_page
from archiver.items import ExtractedPage, FetchedPage, Rejected
from archiver.spiders import news
from archiver.spiders.news import NewsSpider

from .conftest import load_records, run_cli
from .hostile_site import Article, article_html, paragraphs
from .scrapy_helpers import html_response, run, spider_for

BASE = "http://127.0.0.1:8000"
SITE = CustomSite(articles=40, seed=11)
STORY = Article("/2024/05/01/council-votes/", "Council votes on the budget", paragraphs(3))


def front(path: str) -> bytes:
    """A section front of the custom demo publisher: a listing its URL does not give away."""
    return SITE.render("GET", path, {"Host": "127.0.0.1:8000"}, BASE).body


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[NewsSpider]:
    made = spider_for(tmp_path, NewsSpider, url=BASE + "/")
    yield made
    made.closed("finished")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the spider parses itself, in the crawl process."""
    seen: list[str] = []

    def counted(text: str):
        seen.append(text[:40])
        return parse_html(text)

    parse_html = news.parse_html
    monkeypatch.setattr(news, "parse_html", counted)
    return seen


def test_an_article_page_is_parsed_only_by_the_extraction(spider: NewsSpider, parses: list[str]) -> None:
    links = '<a href="/2024/05/02/next-story/">next</a><a href="/politics/">Politics</a>'
    out = run(spider.parse_page(html_response(BASE + STORY.path, article_html(STORY, links=links))))
    assert isinstance(out[0], ExtractedPage) and out[0].extraction.title == STORY.title
    requests = [o.url for o in out if isinstance(o, Request)]
    assert f"{BASE}/2024/05/02/next-story/" in requests and f"{BASE}/politics/" in requests
    assert parses == []  # its links came back from the worker's tree


def test_a_page_the_extractor_rejects_still_gives_its_links(spider: NewsSpider, parses: list[str]) -> None:
    out = run(spider.parse_page(html_response(f"{BASE}/news/", front("/news/"))))
    assert isinstance(out[0], Rejected) and out[0].reason == "listing"
    requests = [o.url for o in out if isinstance(o, Request)]
    assert f"{BASE}/news/?page=2" in requests
    assert sum(r.removeprefix(BASE) in {p.path for p in SITE.pieces} for r in requests) >= 5
    assert parses == []


def test_the_later_pages_of_a_listing_cost_no_extraction(spider: NewsSpider, parses: list[str]) -> None:
    run(spider.parse_page(html_response(f"{BASE}/news/", front("/news/"))))
    out = run(spider.parse_page(html_response(f"{BASE}/news/?page=2", front("/news/?page=2"))))
    assert not [o for o in out if isinstance(o, (Rejected, ExtractedPage))]  # not sent to the extractor
    assert any(isinstance(o, Request) for o in out)  # but followed
    assert len(parses) == 1  # parsed here, for its links only
    assert spider.crawler.stats.get_value("archiver/discovery/known_listings") == 1


def test_an_unrelated_page_is_still_extracted(spider: NewsSpider) -> None:
    run(spider.parse_page(html_response(f"{BASE}/news/", front("/news/"))))
    out = run(spider.parse_page(html_response(BASE + STORY.path, article_html(STORY))))
    assert isinstance(out[0], ExtractedPage)


@pytest.mark.parametrize(("url", "first"), [
    (f"{BASE}/news/?page=3", f"{BASE}/news/"),
    (f"{BASE}/news/page/3/", f"{BASE}/news/"),
    (f"{BASE}/topics/?sort=new&paged=2", f"{BASE}/topics/?sort=new"),
    (f"{BASE}/2024/05/01/story/", f"{BASE}/2024/05/01/story/"),  # not a later page: unchanged
])
def test_first_page(url: str, first: str) -> None:
    assert first_page(url) == first


def test_known_listings_cover_every_page_of_a_listing_and_survive_a_restart(tmp_path: Path) -> None:
    known = KnownListings()
    known.add(f"{BASE}/news/local/")
    assert f"{BASE}/news/local/?page=4" in known and "https://127.0.0.1:8000/news/local" in known
    assert f"{BASE}/news/" not in known and f"{BASE}/news/local/story-1234567" not in known
    known.write(tmp_path / "listings.txt")
    assert f"{BASE}/news/local/page/2/" in KnownListings.read(tmp_path / "listings.txt")
    assert len(KnownListings.read(tmp_path / "missing.txt")) == 0


def test_a_rejected_page_keeps_its_links_from_the_same_parse() -> None:
    page = FetchedPage(url=f"{BASE}/news/", final_url=f"{BASE}/news/", status=200, body=front("/news/"),
                       headers={"content-type": "text/html; charset=utf-8"}, encoding="utf-8")
    reading = read_page(page)
    assert isinstance(reading.result, Rejected) and reading.result.reason == "listing"
    assert f"{BASE}/news/?page=2" in reading.links.links and reading.links.feeds


STAT = re.compile(r"'archiver/(discovery/known_listings|extract/rejected/listing)': (\d+)")


def logged_stats(data_dir: Path) -> dict[str, int]:
    """The listing counters of the data dir's latest crawl, from Scrapy's stats dump in its log."""
    log = sorted((data_dir / "logs").glob("crawl-*.log"))[-1].read_text(encoding="utf-8")
    return {name: int(value) for name, value in STAT.findall(log)}


@pytest.mark.slow
def test_a_recrawl_extracts_no_listing_it_has_seen(tmp_path: Path) -> None:
    site = CustomSite(articles=60, seed=11)
    with DemoServer(site) as server:
        first = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert first.returncode == 0, first.stderr
        assert {r["url"] for r in load_records(tmp_path)} == {server.base_url + a.path for a in site.articles}
        before = logged_stats(tmp_path)
        assert before["extract/rejected/listing"] >= 5
        again = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert again.returncode == 0, again.stderr
    after = logged_stats(tmp_path)
    assert "extract/rejected/listing" not in after  # every listing known: none extracted
    assert after["discovery/known_listings"] >= before["extract/rejected/listing"]  # still fetched and followed
