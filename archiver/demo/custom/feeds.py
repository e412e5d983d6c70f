"""robots.txt, sitemaps and section feeds of the custom-CMS demo site.

The sitemap index lives at a path only robots.txt names (``/sitemaps/index.xml``; the
usual ``/sitemap.xml`` and ``/sitemap_index.xml`` answer 404). It lists a Google News
sitemap (stories of the last two days, with ``<news:news>``), one sitemap per month of
everything published (stories, galleries, live blogs, videos), the fronts, and the
pages. RSS feeds exist per section and are linked only from the section fronts.
"""

from __future__ import annotations

from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from archiver.demo.custom.fronts import STATIC_PAGES, page_path
from archiver.demo.custom.model import ARTICLE

if TYPE_CHECKING:
    from archiver.demo.custom.site import CustomSite

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def robots_txt(site: CustomSite, base: str) -> str:
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in site.disallowed_prefixes), "",
             "User-agent: GPTBot", "Disallow: /", "", f"Sitemap: {base}/sitemaps/index.xml", ""]
    return "\n".join(lines)


def months(site: CustomSite) -> list[str]:
    return sorted({p.published[:7] for p in site.pieces})


def sitemap_index(site: CustomSite, base: str) -> str:
    entries = [(f"{base}/sitemaps/news.xml", site.latest.isoformat())]
    for month in months(site):
        newest = max(p.last_modified for p in site.pieces if p.published.startswith(month))
        entries.append((f"{base}/sitemaps/content-{month}.xml", newest.isoformat()))
    entries += [(f"{base}/sitemaps/sections.xml", None), (f"{base}/sitemaps/pages.xml", None)]
    rows = "".join(f"<sitemap><loc>{escape(loc)}</loc>" + (f"<lastmod>{when}</lastmod>" if when else "") + "</sitemap>\n"
                   for loc, when in entries)
    return f"{XML_HEAD}<sitemapindex {SITEMAP_NS}>\n{rows}</sitemapindex>\n"


def _urlset(rows: list[str], extra_ns: str = "") -> str:
    return f"{XML_HEAD}<urlset {SITEMAP_NS}{' ' + extra_ns if extra_ns else ''}>\n{''.join(rows)}</urlset>\n"


def news_sitemap(site: CustomSite, base: str) -> str:
    """Stories of the last two days (at least the ten newest: a small newsroom's), Google News style."""
    cutoff = site.latest.timestamp() - 2 * 86400
    recent = [p for i, p in enumerate(site.articles) if i < 10 or p.published_dt.timestamp() >= cutoff]
    rows = [
        f"<url><loc>{escape(base + p.path)}</loc><news:news><news:publication><news:name>{escape(site.name)}"
        f"</news:name><news:language>en</news:language></news:publication><news:publication_date>{p.published}"
        f"</news:publication_date><news:title>{escape(p.title)}</news:title></news:news></url>\n"
        for p in recent
    ]
    return _urlset(rows, NEWS_NS)


def month_sitemap(site: CustomSite, base: str, month: str) -> str | None:
    pieces = [p for p in site.pieces if p.published.startswith(month)]
    if not pieces:
        return None
    rows = [f"<url><loc>{escape(base + p.path)}</loc><lastmod>{p.last_modified.isoformat()}</lastmod></url>\n"
            for p in pieces]
    return _urlset(rows)


def sections_sitemap(site: CustomSite, base: str) -> str:
    return _urlset([f"<url><loc>{escape(base + page_path(f, 1))}</loc></url>\n"
                    for f in site.fronts() if f.page == 1 and f.kind in ("home", "section", "videos", "photos")])


def pages_sitemap(site: CustomSite, base: str) -> str:
    paths = list(STATIC_PAGES) + [f"/people/{s.slug}" for s in site.staff]
    return _urlset([f"<url><loc>{escape(base + p)}</loc></url>\n" for p in paths])


def section_rss(site: CustomSite, base: str, section: str) -> str:
    """The section's 15 newest pieces (stories and the rest, as real section feeds carry)."""
    items = []
    for p in site.section_pieces(section)[:15]:
        creator = f"<dc:creator>{escape(p.byline)}</dc:creator>" if p.kind == ARTICLE else ""
        items.append(f"<item><title>{escape(p.title)}</title><link>{escape(base + p.path)}</link>"
                     f'<guid isPermaLink="false">courier-{p.number}</guid>{creator}'
                     f"<pubDate>{format_datetime(p.published_dt)}</pubDate>"
                     f"<description>{escape(p.description)}</description></item>\n")
    return (f'{XML_HEAD}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>{escape(site.name)}: {escape(section)}</title><link>{base}/{section}/</link>"
            f"<description>Latest from {escape(site.name)}</description>\n{''.join(items)}</channel></rss>\n")
