"""Discovery helpers: robots.txt, sitemaps, feeds and URL shapes."""

import gzip

from archiver.discovery.sources import (
    is_listing_url,
    looks_like_article_url,
    parse_feed,
    parse_sitemap,
    should_skip,
    sitemaps_in_robots,
)

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <sitemap><loc>https://ex.com/post-sitemap.xml</loc><lastmod>2019-01-02T10:00:00+00:00</lastmod></sitemap>
 <sitemap><loc>https://ex.com/post-sitemap2.xml.gz</loc></sitemap>
</sitemapindex>"""
URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <url><loc> https://ex.com/2018/07/05/a/ </loc><lastmod>2018-07-06</lastmod></url>
 <url><loc>https://ex.com/2018/07/06/b/</loc></url>
</urlset>"""


def test_robots_sitemaps_are_absolute() -> None:
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://ex.com/sitemap_index.xml\nsitemap: /news.xml\n"
    assert sitemaps_in_robots(robots, "https://ex.com/robots.txt") == [
        "https://ex.com/sitemap_index.xml",
        "https://ex.com/news.xml",
    ]


def test_sitemap_index_and_urlset() -> None:
    index = parse_sitemap(SITEMAP_INDEX)
    assert index is not None and index.is_index
    assert [e.url for e in index.entries] == ["https://ex.com/post-sitemap.xml", "https://ex.com/post-sitemap2.xml.gz"]
    assert index.entries[0].lastmod == "2019-01-02T10:00:00+00:00"
    urlset = parse_sitemap(URLSET)
    assert urlset is not None and not urlset.is_index
    assert [(e.url, e.lastmod) for e in urlset.entries] == [
        ("https://ex.com/2018/07/05/a/", "2018-07-06"),
        ("https://ex.com/2018/07/06/b/", None),
    ]


def test_malformed_sitemaps_are_none_not_errors() -> None:
    for body in (b"", b"not xml at all", b"<html><body>hi</body></html>", gzip.compress(URLSET), b"<?xml version='1.0'?><urlset"):
        result = parse_sitemap(body)
        assert result is None or result.entries == []


def test_rss_and_atom_feeds() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>A</title><link>https://ex.com/2018/07/05/a/</link><pubDate>Thu, 05 Jul 2018 09:00:00 +0000</pubDate></item>
      <item><title>B</title><guid isPermaLink="true">https://ex.com/2018/07/06/b/</guid></item>
    </channel></rss>"""
    entries = parse_feed(rss)
    assert entries is not None
    assert [e.url for e in entries] == ["https://ex.com/2018/07/05/a/", "https://ex.com/2018/07/06/b/"]
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>A</title><link rel="alternate" href="https://ex.com/a/"/><published>2018-07-05T09:00:00Z</published></entry>
    </feed>"""
    atom_entries = parse_feed(atom)
    assert atom_entries is not None and atom_entries[0].url == "https://ex.com/a/"
    assert atom_entries[0].published == "2018-07-05T09:00:00Z"
    assert parse_feed(b"<html><body>no feed</body></html>") is None
    assert parse_feed(b"\x00\xff garbage") is None


def test_url_shapes() -> None:
    for listing in ("https://ex.com/", "https://ex.com/page/3/", "https://ex.com/category/politics/",
                    "https://ex.com/tag/ice/page/2/", "https://ex.com/author/jane-doe/", "https://ex.com/2018/07/"):
        assert is_listing_url(listing), listing
        assert not looks_like_article_url(listing), listing
    for article in ("https://ex.com/2018/07/05/ice-contract-story/", "https://ex.com/news/a-long-story-slug-here",
                    "https://ex.com/world/1234567.html"):
        assert looks_like_article_url(article), article
        assert not is_listing_url(article), article
    for skipped in ("https://ex.com/wp-admin/x", "https://ex.com/2018/07/05/a/?replytocom=5", "https://ex.com/?s=ice",
                    "https://ex.com/wp-json/wp/v2/posts", "https://ex.com/2018/07/05/a/embed/"):
        assert should_skip(skipped), skipped
    assert not should_skip("https://ex.com/2018/07/05/a/")
