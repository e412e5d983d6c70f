"""When crawling, the publication date a Google News sitemap gives an article
(``<news:publication_date>``) is evidence for its date, as a feed item's is: a page that
carries no date of its own is dated to the moment by its news sitemap entry."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from archiver.demo.server import DemoServer
from archiver.demo.site import _Page
from archiver.discovery.sources import parse_sitemap

from .conftest import load_records, run_cli
from .test_feed_dates import UndatedPages

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{rows}
</urlset>
"""
NEWS_ROW = """
  <url>
    <loc>{loc}</loc>
    <news:news>
      <news:publication><news:name>Demo Gazette</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>{published}</news:publication_date>
      <news:title>{title}</news:title>
    </news:news>
  </url>"""


class NewsSitemapSite(UndatedPages):
    """The undated demo site with a Google News sitemap, announced in robots.txt, of the
    stories published before the ten its feed lists (news sitemaps cover the last days)."""

    def in_news_sitemap(self) -> list:  # type: ignore[type-arg]
        return self.recent(20)[10:]

    def _fixed(self, path: str, base: str) -> _Page:
        if path == "/news-sitemap.xml":
            rows = "".join(NEWS_ROW.format(loc=escape(base + a.path), published=a.published, title=escape(a.title))
                           for a in self.in_news_sitemap())
            return _Page(200, NEWS_SITEMAP.format(rows=rows), "application/xml; charset=UTF-8")
        page = super()._fixed(path, base)
        if path == "/robots.txt":
            page.body += f"Sitemap: {base}/news-sitemap.xml\n"
        return page


def test_news_sitemap_entries_carry_their_publication_date() -> None:
    site = NewsSitemapSite(articles=24, seed=11)
    body = site.render("GET", "/news-sitemap.xml", {}, "http://example.org").body
    contents = parse_sitemap(body)
    assert contents is not None and not contents.is_index
    assert {(urlsplit(e.url).path, e.published) for e in contents.entries} == {
        (a.path, a.published) for a in site.in_news_sitemap()}


def test_articles_listed_in_a_news_sitemap_are_dated_by_it(tmp_path: Path) -> None:
    site = NewsSitemapSite(articles=24, seed=11)
    in_news = {article.path: article for article in site.in_news_sitemap()}
    in_feed = {article.path for article in site.recent(10)}
    with DemoServer(site) as server:
        result = run_cli("crawl", server.url, "--data-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    records = {urlsplit(record["url"]).path: record for record in load_records(tmp_path)}
    assert set(in_news) <= set(records)
    # A page fetched from a link before the news sitemap was read has no date from it (as
    # with feeds): how many do depends on the machine's load, so most, not all, are dated.
    dated = [path for path in in_news if records[path]["published_source"] == "feed"]
    assert len(dated) > len(in_news) / 2, dated
    for path in dated:
        assert records[path]["published"] == in_news[path].published, path
    for path, record in records.items():
        if path not in in_news and path not in in_feed:  # no listing gave a date: the URL's day
            assert record["published_source"] == "url" and len(record["published"]) == 10, path
