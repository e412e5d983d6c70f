"""The custom-CMS demo publisher as a crawler meets it, page by page (no server: ``render``)."""

from __future__ import annotations

import re

from lxml import etree, html

from archiver.demo.custom import CustomSite

BASE = "http://127.0.0.1:8000"
DESKTOP = {"Host": "127.0.0.1:8000"}
SITE = CustomSite(articles=40, seed=11)


def get(path: str, headers: dict[str, str] | None = None, site: CustomSite = SITE):
    return site.render("GET", path, headers or DESKTOP, BASE)


def test_sitemap_index_is_named_only_in_robots_txt() -> None:
    robots = get("/robots.txt").body.decode()
    assert f"Sitemap: {BASE}/sitemaps/index.xml" in robots
    assert all(get(p).status == 404 for p in ("/sitemap.xml", "/sitemap_index.xml", "/feed/"))
    index = etree.fromstring(get("/sitemaps/index.xml").body)
    locs = [e.text for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{BASE}/sitemaps/news.xml" in locs and any(re.search(r"content-\d{4}-\d{2}\.xml$", u) for u in locs)


def test_news_sitemap_and_monthly_sitemaps_list_every_piece_once() -> None:
    news = get("/sitemaps/news.xml").body
    assert b"<news:publication_date>" in news
    urls = []
    for loc in etree.fromstring(get("/sitemaps/index.xml").body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        if "/content-" in loc.text:
            body = get(loc.text.removeprefix(BASE)).body
            urls += [e.text for e in etree.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert sorted(urls) == sorted(BASE + p.path for p in SITE.pieces)


def test_story_urls_are_undated_in_two_schemes() -> None:
    paths = [a.path for a in SITE.articles]
    assert not any(re.search(r"/(19|20)\d{2}/\d{2}/", p) for p in paths)
    assert any(re.search(r"/article_[0-9a-f-]{36}\.html$", p) for p in paths)
    assert any(re.search(r"-\d{7}$", p) for p in paths)


def test_feeds_are_linked_only_from_section_fronts() -> None:
    feed_link = '//link[@rel="alternate"][@type="application/rss+xml"]/@href'
    assert html.fromstring(get("/").body).xpath(feed_link) == []
    assert html.fromstring(get(SITE.articles[0].path).body).xpath(feed_link) == []
    [feed] = html.fromstring(get("/politics/").body).xpath(feed_link)
    assert get(feed.removeprefix(BASE)).status == 200


def test_fronts_load_more() -> None:
    front = html.fromstring(get("/news/").body)
    [more] = front.xpath('//a[contains(@class, "load-more")]/@href')
    assert more.endswith("/news/?page=2") and get("/news/?page=2").status == 200


def test_the_mobile_host_names_the_desktop_page_canonical() -> None:
    story = SITE.articles[0]
    mobile = html.fromstring(get(story.path, {"Host": "localhost:8000"}).body)
    assert mobile.xpath('//link[@rel="canonical"]/@href') == [BASE + story.path]
    desktop = html.fromstring(get(story.path).body)
    assert desktop.xpath('//link[@rel="alternate"][@media]/@href') == ["http://localhost:8000" + story.path]


def test_a_day_passing_changes_the_pages_not_the_stories() -> None:
    site = CustomSite(articles=10, seed=4)
    story = site.articles[0]
    before = get(story.path, site=site)
    site.refresh_chrome()
    after = get(story.path, site=site)
    assert before.body != after.body and before.headers["ETag"] != after.headers["ETag"]
    for response in (before, after):
        text = [p.text_content() for p in html.fromstring(response.body).xpath('//div[@class="story-text"]/p')]
        assert [t for t in text if not t.startswith("READ MORE")] == story.paragraphs


def test_conditional_get_and_determinism() -> None:
    response = get("/")
    again = SITE.render("GET", "/", {**DESKTOP, "If-None-Match": response.headers["ETag"]}, BASE)
    assert again.status == 304
    twin = CustomSite(articles=40, seed=11)
    assert [a.path for a in twin.articles] == [a.path for a in SITE.articles]
    assert twin.render("GET", SITE.articles[3].path, DESKTOP, BASE).body == get(SITE.articles[3].path).body
