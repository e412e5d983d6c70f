"""Where articles are found: robots.txt, sitemaps, feeds and URL shapes (pure functions).

Nothing here fetches; the spider hands in bodies and URLs and gets plain data back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from scrapy.utils.sitemap import Sitemap

#: Places where WordPress and most CMSs publish sitemaps and feeds.
WELL_KNOWN_SITEMAPS = ("/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml")
WELL_KNOWN_FEEDS = ("/feed/",)

#: Listing pages: crawled for links, never archived as articles.
LISTING_PATH = re.compile(
    r"(^/$)|(/page/\d+/?$)|(^/(category|categories|tag|tags|topic|topics|author|authors|section|archives?)(/|$))"
    r"|(^/\d{4}(/\d{2}){0,2}/?$)",
    re.IGNORECASE,
)
#: URLs that are never worth a request: admin, APIs, comment replies, embeds, search, feeds of comments.
SKIP_URL = re.compile(
    r"(/wp-admin/|/wp-login\.php|/wp-json/|/xmlrpc\.php|/wp-content/|/wp-includes/|/cdn-cgi/|/trackback/?$"
    r"|/embed/?$|/comments/feed/?$|/feed/(rss2?|atom|rdf)/?$|[?&](replytocom|s|share|like_comment|doing_wp_cron)="
    r"|/(login|logout|register|signin|signup|cart|checkout|my-account)(/|$))",
    re.IGNORECASE,
)
#: Article URL shapes common on news sites: dated paths, or a long slug, or a numeric id.
ARTICLE_URL = re.compile(
    r"(/(19|20)\d{2}/\d{1,2}/(\d{1,2}/)?[^/]+)|(/[a-z0-9]+(-[a-z0-9]+){3,}(\.html?)?/?$)|(/\d{5,}(\.html?)?/?$)",
    re.IGNORECASE,
)
#: Links to the next page of an archive.
PAGINATION = re.compile(r"(/page/\d+/?$)|([?&](page|paged|pg)=\d+)", re.IGNORECASE)
PAGE_PATH = re.compile(r"/page/\d+/?$", re.IGNORECASE)
PAGE_PARAMS = ("page", "paged", "pg")
ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
ATOM_NS = "{http://www.w3.org/2005/Atom}"
#: Google News sitemaps give each URL the day it was published (``<news:publication_date>``).
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass
class SitemapEntry:
    url: str
    lastmod: str | None = None
    published: str | None = None  #: a news sitemap's publication date of the page


@dataclass
class SitemapContents:
    """A parsed sitemap: an index of further sitemaps, or a set of page URLs."""

    is_index: bool
    entries: list[SitemapEntry]


@dataclass
class FeedEntry:
    url: str
    published: str | None = None


def sitemaps_in_robots(robots_txt: str, base_url: str) -> list[str]:
    """Sitemap URLs announced in a robots.txt (``Sitemap:`` lines, made absolute)."""
    return [urljoin(base_url, match) for match in ROBOTS_SITEMAP.findall(robots_txt)]


def parse_sitemap(body: bytes) -> SitemapContents | None:
    """A sitemap's entries, or None when the body is not a sitemap (malformed or other XML)."""
    try:
        sitemap = Sitemap(body)
        if sitemap.type not in ("sitemapindex", "urlset"):
            return None
        published = news_published(body)
        entries = [SitemapEntry(loc, item.get("lastmod") or None, published.get(loc))
                   for item in sitemap if (loc := (item.get("loc") or "").strip())]
    except (etree.XMLSyntaxError, ValueError, AttributeError, StopIteration):
        return None
    return SitemapContents(sitemap.type == "sitemapindex", entries)


def news_published(body: bytes) -> dict[str, str]:
    """URL -> publication date of a Google News sitemap (``<news:publication_date>``), the
    CMS's own date of each article: evidence for its publication date when crawling. Empty
    for other sitemaps (scrapy's parser keeps only the top-level fields of an entry)."""
    if NEWS_NS[1:-1].encode() not in body:
        return {}
    root = etree.fromstring(body, parser=_xml_parser())
    published: dict[str, str] = {}
    for node in root.iter(f"{NEWS_NS}publication_date") if root is not None else ():
        entry = node.getparent().getparent()  # <url><news:news><news:publication_date>
        loc = next((child.text for child in entry if etree.QName(child).localname == "loc"), None) \
            if entry is not None else None
        if loc and loc.strip() and node.text and node.text.strip():
            published[loc.strip()] = node.text.strip()
    return published


def _xml_parser() -> etree.XMLParser:
    """A forgiving parser that neither resolves entities nor reaches the network."""
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


def parse_feed(body: bytes) -> list[FeedEntry] | None:
    """The item links of an RSS or Atom feed, or None when the body is not a feed."""
    try:
        root = etree.fromstring(body, parser=_xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    entries: list[FeedEntry] = []
    if root.tag == f"{ATOM_NS}feed":
        for entry in root.iter(f"{ATOM_NS}entry"):
            link = entry.find(f"{ATOM_NS}link[@rel='alternate']")
            if link is None:
                link = entry.find(f"{ATOM_NS}link")
            if link is not None and link.get("href"):
                entries.append(FeedEntry(link.get("href").strip(), entry.findtext(f"{ATOM_NS}published")))
        return entries
    if etree.QName(root).localname not in ("rss", "RDF"):
        return None
    for item in root.iter("item", "{http://purl.org/rss/1.0/}item"):
        link = item.findtext("link") or item.findtext("{http://purl.org/rss/1.0/}link")
        guid = item.find("guid")
        if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
            link = guid.text
        if link:
            entries.append(FeedEntry(link.strip(), item.findtext("pubDate")))
    return entries


def is_listing_url(url: str) -> bool:
    """Home, pagination, and category/tag/author/date archives: link hubs, not articles."""
    return bool(LISTING_PATH.search(urlsplit(url).path or "/"))


def is_pagination_url(url: str) -> bool:
    """Page N of an archive (``/page/3/``, ``?paged=3``)."""
    return bool(PAGINATION.search(url))


def first_page(url: str) -> str:
    """Page 1 of an archive's page N (``/news/page/3/`` → ``/news/``, ``/news/?page=3`` → ``/news/``);
    any other URL as it is."""
    if not is_pagination_url(url):
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in PAGE_PARAMS]
    return urlunsplit(parts._replace(path=PAGE_PATH.sub("/", parts.path), query=urlencode(query)))


def should_skip(url: str) -> bool:
    """URLs never worth requesting (admin, API, comment-reply and share links, search)."""
    return bool(SKIP_URL.search(url))


def looks_like_article_url(url: str) -> bool:
    """A cheap guess from the URL's shape, used only to order the frontier."""
    return bool(ARTICLE_URL.search(urlsplit(url).path)) and not is_listing_url(url)
