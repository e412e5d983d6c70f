"""The demo news site: served pages, sitemaps, feed, variants, conditional GET and ground truth."""

from __future__ import annotations

import gzip
import json
import re
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from lxml import etree, html

from archiver.demo import text
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Fetched:
    """One request, redirects not followed, error statuses returned rather than raised."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with OPENER.open(request, timeout=10) as response:
            return Fetched(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, dict(error.headers), error.read())


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    """A private site (these tests publish and update articles, so not the shared session one)."""
    with DemoServer(DemoSite(articles=45, seed=7)) as running:
        yield running


def test_server_url_and_log_records_host(server: DemoServer) -> None:
    assert server.url == server.base_url + "/" and server.base_url.startswith("http://127.0.0.1:")
    server.clear_log()
    fetch(server.url)
    fetch(server.url + "about/", headers={"Host": f"localhost:{server.port}"})
    hosts = [(r.path, r.host, r.status) for r in server.requests]
    assert hosts == [("/", f"127.0.0.1:{server.port}", 200), ("/about/", f"localhost:{server.port}", 200)]
    assert server.requests[0].headers.get("User-Agent", "").startswith("Python-urllib")


def test_robots_txt(server: DemoServer) -> None:
    response = fetch(server.url + "robots.txt")
    assert response.status == 200
    lines = response.body.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /wp-admin/" in lines and "Disallow: /private/" in lines
    assert f"Sitemap: {server.base_url}/sitemap_index.xml" in lines
    assert server.site.disallowed_prefixes == ["/wp-admin/", "/private/"]


def _sitemap_urls(server: DemoServer, url: str, seen: list[str]) -> list[str]:
    """Page URLs reachable from a sitemap, following nested indexes and gzipped files."""
    seen.append(url)
    body = fetch(url).body
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    root = etree.fromstring(body)
    locs = [loc.text for loc in root.iter(f"{SM}loc")]
    assert all(el.text for el in root.iter(f"{SM}lastmod"))
    if root.tag == f"{SM}sitemapindex":
        return [u for loc in locs for u in _sitemap_urls(server, loc, seen)]
    return locs


def test_sitemaps_list_every_article_exactly_once(server: DemoServer) -> None:
    sitemaps: list[str] = []
    urls = _sitemap_urls(server, server.url + "sitemap_index.xml", sitemaps)
    articles = {server.base_url + a.path for a in server.site.articles}
    counts = Counter(u for u in urls if u in articles)
    assert set(counts) == articles and set(counts.values()) == {1}
    assert any(s.endswith(".xml.gz") for s in sitemaps), sitemaps
    assert server.base_url + "/post-archive-sitemap.xml" in sitemaps  # a nested index
    assert server.base_url + "/about/" in urls  # non-articles are in page-sitemap.xml
    gz = fetch(next(s for s in sitemaps if s.endswith(".gz")))
    assert gz.headers["Content-Type"] == "application/x-gzip"
    redirect = fetch(server.url + "sitemap.xml")
    assert (redirect.status, redirect.headers["Location"]) == (301, server.base_url + "/sitemap_index.xml")


def test_feed_is_rss_of_the_ten_newest(server: DemoServer) -> None:
    response = fetch(server.url + "feed/")
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    items = etree.fromstring(response.body).findall("./channel/item")
    newest = server.site.articles[:10]
    assert [i.findtext("link") for i in items] == [server.base_url + a.path for a in newest]
    assert [i.findtext("title") for i in items] == [a.title for a in newest]
    creators = [i.findtext("{http://purl.org/dc/elements/1.1/}creator") for i in items]
    assert creators == [a.authors[0] for a in newest]
    assert all(i.findtext("pubDate") for i in items)


def test_article_page_holds_its_truth(server: DemoServer) -> None:
    for article in server.site.articles[:9]:
        response = fetch(server.base_url + article.path)
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
        tree = html.fromstring(response.body)
        assert tree.findtext(".//title") == f"{article.title} | {server.site.name}"
        assert tree.xpath("string(//h1)") == article.title
        body = [p.text_content() for p in tree.xpath("//div[@class='entry-content']/p")]
        assert body == article.paragraphs
        assert article.phrase in article.text
        assert "single-post" in tree.body.get("class")
        assert tree.xpath("//link[@rel='canonical']/@href") == [server.base_url + article.path]
        assert tree.xpath("//link[@rel='amphtml']/@href") == [server.base_url + article.path + "amp/"]
        assert tree.xpath("//link[@rel='shortlink']/@href") == [f"{server.base_url}/?p={article.number}"]
        assert tree.xpath("//h3[@id='reply-title']/text()") == ["Leave a Reply"]
        assert [a.text for a in tree.xpath("//span[@class='byline']//a[@rel='author']")] == article.authors
        assert tree.xpath("//time[contains(@class,'published')]/@datetime") == [article.published]
        assert tree.xpath("//a[@rel='tag']/text()")[: len(article.tags)] == article.tags
        ld = tree.xpath("//script[@type='application/ld+json']/text()")
        names = tree.xpath("//meta[@name='author']/@content")
        if article.markup == "jsonld":
            node = next(n for n in json.loads(ld[0])["@graph"] if n["@type"] == "NewsArticle")
            people = node["author"] if isinstance(node["author"], list) else [node["author"]]
            assert [p["name"] for p in people] == article.authors and node["datePublished"] == article.published
        elif article.markup == "meta":
            assert not ld and names == [", ".join(article.authors)]
        else:
            assert not ld and not names and not tree.xpath("//meta[@property='article:published_time']")


def test_markup_kinds_and_authors_are_varied() -> None:
    site = DemoSite(articles=300)
    kinds = Counter(a.markup for a in site.articles)
    assert set(kinds) == {"jsonld", "meta", "visible"} and min(kinds.values()) > 60
    assert any(len(a.authors) == 2 for a in site.articles)
    assert len({a.number for a in site.articles}) == len({a.path for a in site.articles}) == 300
    assert [a.published for a in site.articles] == sorted((a.published for a in site.articles), reverse=True)
    assert "2017-01-01" <= site.articles[-1].published < site.articles[0].published < "2020-01-01"
    bodies = [a.text for a in site.articles]
    assert all(sum(a.phrase in b for b in bodies) == 1 for a in site.articles[:100])
    assert all(3 <= len(a.phrase.split()) <= 5 for a in site.articles)
    assert all(4 <= len(a.paragraphs) <= 12 for a in site.articles)


def test_phrase_words_appear_nowhere_else() -> None:
    phrase_words = set(text.PHRASE_A + text.PHRASE_B + text.PHRASE_C + text.PHRASE_D)
    other = json.dumps([text.SENTENCES, text.NOUNS, text.ADJECTIVES, text.VERBS, text.TOPICS, text.PLACES, text.ORGS,
                        text.FIRST_NAMES, text.LAST_NAMES, text.GROUPS, text.ROLES, text.TIMES, text.TITLES,
                        text.PHRASE_SENTENCES, text.LINK_SENTENCE, text.COMMENT_SENTENCES, text.CORRECTION]).lower()
    assert not phrase_words & set(re.findall(r"[a-z]+", other))
    assert len({text.phrase_for(i) for i in range(5000)}) == 5000


def test_shortlink_and_slashless_redirect_to_the_article(server: DemoServer) -> None:
    article = server.site.articles[3]
    short = fetch(f"{server.base_url}/?p={article.number}")
    assert (short.status, short.headers["Location"]) == (301, server.base_url + article.path)
    slashless = fetch(server.base_url + article.path.rstrip("/"))
    assert (slashless.status, slashless.headers["Location"]) == (301, server.base_url + article.path)
    partner = fetch(server.url + "go/partner/")
    assert (partner.status, partner.headers["Location"]) == (302, f"http://localhost:{server.port}/partner-landing/")


def test_variants_carry_the_same_text(server: DemoServer) -> None:
    site = server.site
    article = site.syndicated_articles()[0]
    assert site.has_syndicated_copy(article)
    paths = site.variant_paths(article)
    assert f"{article.path}amp/" in paths and f"{article.path}?print=1" in paths and site.syndicated_path(article) in paths
    for path, canonical in [(f"{article.path}amp/", [server.base_url + article.path]), (f"{article.path}?print=1", []),
                            (site.syndicated_path(article), []),
                            (f"{article.path}?utm_source=twitter&utm_medium=social", [server.base_url + article.path])]:
        tree = html.fromstring(fetch(server.base_url + path).body)
        assert tree.xpath("//link[@rel='canonical']/@href") == canonical, path
        paragraphs = [p.text_content() for p in tree.xpath("//h1/following::p") if p.text_content() in article.paragraphs]
        assert paragraphs == article.paragraphs, path
    syndicated = fetch(server.base_url + site.syndicated_path(article)).body.decode()
    assert "ld+json" not in syndicated
    partners = fetch(server.url + "partners/").body.decode()
    assert site.syndicated_path(article) in partners


def test_listings_paginate_newest_first(server: DemoServer) -> None:
    site = server.site
    home = html.fromstring(fetch(server.url).body)
    assert "home blog" in home.body.get("class")
    assert home.xpath("//meta[@property='og:type']/@content") == ["website"]
    titles = home.xpath("//h2[@class='entry-title']/a/@href")
    assert titles == [server.base_url + a.path for a in site.articles[:10]]
    assert home.xpath("//a[@rel='next']/@href") == [server.base_url + "/page/2/"]
    page2 = html.fromstring(fetch(server.url + "page/2/").body)
    assert page2.xpath("//a[@rel='prev']/@href") == [server.base_url + "/"]
    assert fetch(server.url + "page/99/").status == 404
    author = site.author(site.articles[0].authors[0])
    archive = html.fromstring(fetch(f"{server.base_url}/author/{author.slug}/").body)
    assert "archive author" in archive.body.get("class")
    assert "CollectionPage" in archive.xpath("string(//script[@type='application/ld+json'])")


def test_non_article_pages_and_404(server: DemoServer) -> None:
    for path in server.site.non_article_paths:
        tree = html.fromstring(fetch(server.base_url + path).body)
        assert "page-template-default" in tree.body.get("class"), path
        assert not tree.xpath("//a[@rel='author']") and not tree.xpath("//time[contains(@class,'published')]")
    assert "'article'" in repr(html.fromstring(fetch(server.url + "about/").body).xpath(
        "//meta[@property='og:type']/@content"))
    missing = fetch(server.url + "no/such/page/")
    assert missing.status == 404 and b"can&rsquo;t be found" in missing.body
    assert fetch(server.url + "private/staff-directory/").status == 200  # served, so a violation would be logged


def test_conditional_get_answers_304(server: DemoServer) -> None:
    url = server.base_url + server.site.articles[5].path
    first = fetch(url)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    by_etag = fetch(url, headers={"If-None-Match": first.headers["ETag"]})
    assert by_etag.status == 304 and by_etag.body == b""
    by_date = fetch(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status == 304
    assert fetch(url, headers={"If-None-Match": '"stale"'}).status == 200
    assert fetch(server.url + "feed/", headers={"If-None-Match": fetch(server.url + "feed/").headers["ETag"]}).status == 304


def test_update_changes_body_and_validators(server: DemoServer) -> None:
    site = server.site
    article = site.articles[7]
    url = server.base_url + article.path
    before = fetch(url)
    old_text = article.text
    updated = site.update(article.number)
    assert updated is article and article.text != old_text and article.text.startswith(old_text)
    assert article.modified and article.modified > article.published
    after = fetch(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Last-Modified"] != before.headers["Last-Modified"]
    assert article.paragraphs[-1].encode() in after.body
    site.update(article.number, ["Replaced body, paragraph one.", "Paragraph two."])
    assert article.text == "Replaced body, paragraph one.\n\nParagraph two."


def test_publish_adds_articles_to_home_feed_and_sitemaps(server: DemoServer) -> None:
    site = server.site
    before = len(site.articles)
    newest = site.articles[0]
    new = site.publish(3)
    assert len(site.articles) == before + 3 and site.articles[:3] == new[::-1]
    assert all(a.published > newest.published for a in new)
    home = fetch(server.url).body.decode()
    assert all(server.base_url + a.path in home for a in new)
    assert server.base_url + new[-1].path in fetch(server.url + "feed/").body.decode()
    urls = _sitemap_urls(server, server.url + "sitemap_index.xml", [])
    assert all(urls.count(server.base_url + a.path) == 1 for a in new)
    assert fetch(server.base_url + new[0].path).status == 200
    assert site.article_by_path(new[0].path) is new[0]


def test_deterministic() -> None:
    one, two = DemoSite(articles=40, seed=7), DemoSite(articles=40, seed=7)
    assert one.articles == two.articles
    assert [a.text for a in one.articles] == [a.text for a in two.articles]
    base = "http://127.0.0.1:1"
    for path in ["/", one.articles[4].path, "/sitemap_index.xml", "/feed/", "/about/"]:
        assert one.render("GET", path, {}, base).body == two.render("GET", path, {}, base).body
    assert [a.title for a in DemoSite(articles=40, seed=8).articles] != [a.title for a in one.articles]


@pytest.mark.slow  # builds a 100,000-article site
def test_small_and_large_sites_build() -> None:
    small = DemoSite(articles=5)
    assert len(small.articles) == 5 and small.syndicated_articles()
    assert small.render("GET", "/sitemap_index.xml", {}, "http://127.0.0.1:1").status == 200
    started = time.perf_counter()
    big = DemoSite(articles=100_000)
    elapsed = time.perf_counter() - started
    print(f"\n100,000-article demo site built in {elapsed:.2f} s")
    assert len(big.articles) == 100_000
    article = big.articles[50_000]
    assert big.render("GET", article.path, {}, "http://127.0.0.1:1").status == 200
