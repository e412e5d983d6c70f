"""A page's links, feeds, canonical and AMP addresses, from one walk over its tree.

The markup follows what publishers write: ``<base href>`` on a CDN or in a sub-folder,
rel values in capitals or with several tokens, feeds of several types, links in
``<area>`` image maps, the same menu link twice, hrefs padded with whitespace.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Request

from archiver.discovery.pagelinks import PageLinks, page_links
from archiver.extraction.extract import parse_html
from archiver.spiders.news import NewsSpider

from .scrapy_helpers import html_response, run, spider_for

SITE = "https://news.example"
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Story</title>
<link rel="stylesheet" href="/style.css">
<link rel="Canonical" href="/2024/05/01/story/">
<link rel="canonical" href="/2024/05/01/second-canonical/">
<link rel="amphtml" href="amp/">
<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed/">
<link rel="alternate" type="Application/Atom+XML" href="{SITE}/politics/atom.xml">
<link rel="alternate" hreflang="de" href="/de/2024/05/01/geschichte/">
<link rel="alternate nofollow" type="application/rss+xml" href=" /sport/rss.xml ">
</head><body>
<a href="/2024/05/02/next/">next</a>
<a href=" ../older/ ">older</a>
<a href="/2024/05/02/next/">next again</a>
<a name="top">no href</a>
<map><area href="/2024/05/03/map-story/" alt="map"></map>
<a href="https://elsewhere.example/x/">away</a>
</body></html>"""


def links_of(html: str, url: str) -> PageLinks:
    return page_links(parse_html(html), url)


def test_links_are_absolute_in_page_order_each_once() -> None:
    found = links_of(PAGE, f"{SITE}/2024/05/01/story/")
    assert found.links == [f"{SITE}/2024/05/02/next/", f"{SITE}/2024/05/01/older/",
                           f"{SITE}/2024/05/03/map-story/", "https://elsewhere.example/x/"]


def test_feeds_canonical_and_amp_whatever_the_case_and_tokens_of_rel() -> None:
    found = links_of(PAGE, f"{SITE}/2024/05/01/story/")
    assert found.feeds == [f"{SITE}/feed/", f"{SITE}/politics/atom.xml", f"{SITE}/sport/rss.xml"]
    assert found.canonical == f"{SITE}/2024/05/01/story/"  # the first one
    assert found.amp == f"{SITE}/2024/05/01/story/amp/"


def test_base_href_resolves_relative_addresses() -> None:
    page = PAGE.replace("<head>", '<head><base href="/2024/05/01/story/"><base href="https://cdn.example/">', 1)
    found = links_of(page, f"{SITE}/?p=42")
    assert found.links[1] == f"{SITE}/2024/05/01/older/"  # the first <base> wins
    assert found.amp == f"{SITE}/2024/05/01/story/amp/"


def test_no_document_means_no_links() -> None:
    assert links_of("   ", SITE) == PageLinks()
    assert links_of("<p>just text, no links</p>", SITE) == PageLinks()


def test_the_spider_follows_what_the_walk_finds(tmp_path: Path) -> None:
    """rel values in capitals and a base href: feeds, canonical and links all become requests."""
    spider = spider_for(tmp_path, NewsSpider, url=SITE + "/")
    page = PAGE.replace("<head>", '<head><base href="/2024/05/01/story/">', 1)
    try:
        out = run(spider.parse_page(html_response(f"{SITE}/?p=42", page)))
    finally:
        spider.closed("finished")
    urls = [o.url for o in out if isinstance(o, Request)]
    assert f"{SITE}/politics/atom.xml" in urls and f"{SITE}/sport/rss.xml" in urls
    assert f"{SITE}/2024/05/01/story/" in urls  # canonical, found through <link rel="Canonical">
    assert f"{SITE}/2024/05/01/older/" in urls  # relative to the base, not to the page
