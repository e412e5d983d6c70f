"""robots.txt, Yoast-style sitemaps and the RSS feeds of the demo site."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from archiver.demo import pages, text

if TYPE_CHECKING:
    from archiver.demo.site import DemoSite

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
STYLESHEET = '<?xml-stylesheet type="text/xsl" href="{base}/main-sitemap.xsl"?>'


def robots_txt(site: DemoSite, base: str) -> str:
    lines = ["User-agent: *"] + [f"Disallow: {p}" for p in site.disallowed_prefixes]
    return "\n".join(lines + ["", f"Sitemap: {base}/sitemap_index.xml", ""])


def is_gzipped_sitemap(number: int) -> bool:
    """Post sitemaps 2, 4, 6... are served gzip-compressed as post-sitemapN.xml.gz."""
    return number % 2 == 0


def post_sitemap_path(number: int) -> str:
    suffix = "" if number == 1 else str(number)
    return f"/post-sitemap{suffix}.xml" + (".gz" if is_gzipped_sitemap(number) else "")


def _index(base: str, entries: list[tuple[str, datetime]]) -> str:
    rows = "".join(f"\n\t<sitemap>\n\t\t<loc>{escape(loc)}</loc>\n\t\t<lastmod>{_w3c(when)}</lastmod>\n\t</sitemap>"
                   for loc, when in entries)
    return f'{XML_HEAD}{STYLESHEET.format(base=base)}\n<sitemapindex xmlns="{SITEMAP_NS}">{rows}\n</sitemapindex>\n'


def url_set(base: str, entries: list[tuple[str, datetime | None]]) -> str:
    """A <urlset> of page URLs with their last modification (omitted when unknown)."""
    rows = []
    for loc, when in entries:
        lastmod = f"\n\t\t<lastmod>{_w3c(when)}</lastmod>" if when else ""
        rows.append(f"\n\t<url>\n\t\t<loc>{escape(loc)}</loc>{lastmod}\n\t</url>")
    return (f'{XML_HEAD}{STYLESHEET.format(base=base)}\n<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" xmlns="{SITEMAP_NS}">'
            f'{"".join(rows)}\n</urlset>\n')


def _w3c(when: datetime) -> str:
    return when.replace(microsecond=0).isoformat()


def _chunk_entries(site: DemoSite, base: str, numbers: range) -> list[tuple[str, datetime]]:
    chunks = site.post_sitemaps()
    return [(base + post_sitemap_path(n), max(a.last_modified for a in chunks[n - 1])) for n in numbers]


def sitemap_index(site: DemoSite, base: str) -> str:
    """The root index: the first two post sitemaps, a nested index of the rest, pages, categories, authors."""
    count = len(site.post_sitemaps())
    entries = _chunk_entries(site, base, range(1, min(count, 2) + 1))
    if count > 2:
        rest = _chunk_entries(site, base, range(3, count + 1))
        entries.append((base + "/post-archive-sitemap.xml", max(when for _, when in rest)))
    entries += [(base + "/page-sitemap.xml", site.latest), (base + "/category-sitemap.xml", site.latest),
                (base + "/author-sitemap.xml", site.latest)]
    return _index(base, entries)


def nested_sitemap_index(site: DemoSite, base: str) -> str:
    return _index(base, _chunk_entries(site, base, range(3, len(site.post_sitemaps()) + 1)))


def page_sitemap(site: DemoSite, base: str) -> str:
    return url_set(base, [(base + "/", site.latest)] + [(base + p, None) for p in pages.STATIC_PAGES])


def category_sitemap(site: DemoSite, base: str) -> str:
    return url_set(base, [(f"{base}/category/{slug}/", site.latest) for slug in site.category_slugs.values()])


def author_sitemap(site: DemoSite, base: str) -> str:
    return url_set(base, [(f"{base}/author/{a.slug}/", site.latest) for a in site.authors])


def _rss(site: DemoSite, base: str, title: str, self_path: str, items: list[str]) -> str:
    return (
        f'{XML_HEAD}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n<channel>\n'
        f"\t<title>{escape(title)}</title>\n"
        f'\t<atom:link href="{base}{self_path}" rel="self" type="application/rss+xml" />\n'
        f"\t<link>{base}</link>\n\t<description>Independent news for working people</description>\n"
        f"\t<lastBuildDate>{format_datetime(site.latest, usegmt=True)}</lastBuildDate>\n"
        "\t<language>en-US</language>\n\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        "\t<generator>https://wordpress.org/?v=5.2.4</generator>\n"
        + "".join(items) + "</channel>\n</rss>\n"
    )


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(site: DemoSite, base: str) -> str:
    """RSS 2.0 of the 10 newest articles, with full content like WordPress."""
    items = []
    for a in site.recent(10):
        url = base + a.path
        creators = "".join(f"\t\t<dc:creator>{_cdata(n)}</dc:creator>\n" for n in a.authors)
        categories = "".join(f"\t\t<category>{_cdata(c)}</category>\n" for c in a.categories + a.tags)
        content = "".join(f"<p>{escape(p)}</p>\n" for p in a.paragraphs)
        items.append(
            f"\t<item>\n\t\t<title>{escape(a.title)}</title>\n\t\t<link>{url}</link>\n"
            f"\t\t<comments>{url}#respond</comments>\n"
            f"\t\t<pubDate>{format_datetime(a.published_dt, usegmt=True)}</pubDate>\n{creators}{categories}"
            f'\t\t<guid isPermaLink="false">{base}/?p={a.number}</guid>\n'
            f"\t\t<description>{_cdata(a.description + ' [&#8230;]')}</description>\n"
            f"\t\t<content:encoded>{_cdata(content)}</content:encoded>\n"
            f"\t\t<wfw:commentRss>{url}feed/</wfw:commentRss>\n"
            f"\t\t<slash:comments>{text.comment_count(a.body_seed)}</slash:comments>\n\t</item>\n"
        )
    return _rss(site, base, site.name, "/feed/", items)


def comments_rss(site: DemoSite, base: str) -> str:
    items = []
    for a in site.recent(10):
        for c in text.make_comments(a.body_seed, a.number, a.published_dt):
            items.append(
                f"\t<item>\n\t\t<title>Comment on {escape(a.title)} by {escape(c.author)}</title>\n"
                f"\t\t<link>{base}{a.path}#comment-{c.id}</link>\n"
                f"\t\t<dc:creator>{_cdata(c.author)}</dc:creator>\n"
                f"\t\t<pubDate>{format_datetime(c.date, usegmt=True)}</pubDate>\n"
                f'\t\t<guid isPermaLink="false">{base}/?p={a.number}#comment-{c.id}</guid>\n'
                f"\t\t<description>{_cdata(c.text)}</description>\n\t</item>\n"
            )
    return _rss(site, base, f"Comments for {site.name}", "/comments/feed/", items)
