"""Plain data passed between the crawl's steps.

Items are dataclasses, not live Scrapy objects, so they pickle into the extraction
worker pool and can be built by hand in tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from archiver.text import count_words

#: 2: ``credit``, ``paywalled``, ``authors_source`` and ``published_source`` added; ``authors``
#: holds people only (version 1 records read with the defaults below).
SCHEMA_VERSION = 2
#: Fields added since version 1, and what they mean in a record written before them.
ADDED_FIELDS: dict[str, Any] = {"credit": None, "paywalled": False, "authors_source": None, "published_source": None}


@dataclass
class HttpExchange:
    """The HTTP exchange behind a response, as the WARC capture keeps it (names as sent, repeats kept)."""

    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    protocol: str = "HTTP/1.1"
    reason: str = ""  #: the status line's reason phrase
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    ip_address: str | None = None


@dataclass
class FetchedPage:
    """One HTML response that may hold an article, as the spider saw it."""

    url: str  #: the URL as requested (after tracking-parameter clean-up)
    final_url: str  #: the URL that answered, after redirects
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  #: lower-case names
    encoding: str | None = None  #: Scrapy's decision (header, <meta>, BOM or detection)
    found_via: str = "link"  #: start | sitemap | feed | listing | link
    redirect_urls: list[str] = field(default_factory=list)  #: URLs that redirected here
    fetched_at: str = ""  #: ISO 8601 UTC
    sitemap_lastmod: str | None = None
    aliases: list[str] = field(default_factory=list)  #: its AMP/print URLs, seen but not fetched
    #: the date a feed or news sitemap listed it with (RSS pubDate, Atom published, news:publication_date)
    feed_published: str | None = None
    http: HttpExchange | None = None  #: the exchange as received, for the WARC capture


@dataclass
class FetchedResource:
    """A response kept only as a capture, never extracted: a sitemap, feed or listing page
    (``ARCHIVER_WARC_ALL_RESPONSES``), or a ``304 Not Modified`` answer to a revalidation."""

    url: str
    status: int
    body: bytes
    http: HttpExchange
    fetched_at: str  #: ISO 8601 UTC
    found_via: str  #: robots | sitemap | feed | listing | not-modified


@dataclass(kw_only=True)
class ArticleContent:
    """What a page says about its article: the record fields the extractor fills.

    Declared once; :class:`Extraction` and :class:`Article` both carry these fields. The
    ``*_source`` fields say which evidence a value came from, so that researchers can filter
    on it (records stored before they existed read as None).
    """

    title: str
    authors: list[str]  #: people only
    #: where the byline came from: jsonld, meta, microdata, link, byline, shown, trafilatura
    authors_source: str | None = None
    credit: str | None = None  #: an agency or organisation the byline credits ("Reuters", "Staff")
    published: str | None
    #: where the date came from: jsonld, meta, microdata, time, feed, url, shown, htmldate
    published_source: str | None = None
    paywalled: bool = False  #: the page marks the article as subscriber-only
    modified: str | None
    text: str
    description: str | None
    categories: list[str]
    tags: list[str]
    language: str | None

    def content(self) -> dict[str, Any]:
        """The content fields only, as keyword arguments for another ArticleContent."""
        return {f.name: getattr(self, f.name) for f in fields(ArticleContent)}


@dataclass
class Extraction(ArticleContent):
    """What the extractor read from one article page (no dedup or storage facts)."""

    url: str = ""  #: the page's final URL
    canonical_url: str | None = None  #: rel=canonical / og:url, absolute, when the page names one
    kind: str = "article"  #: the page's kind (archiver.extraction.classify); not stored in the record
    kind_signals: str = ""  #: the signals that gave it, for people checking a page

    @property
    def word_count(self) -> int:
        return count_words(self.text)


@dataclass
class Rejected:
    """A page the extractor would not archive, and why (a short slug, counted in stats)."""

    url: str
    reason: str  #: a page kind ("listing", "gallery"...; see extraction.classify), or "too-short", "empty", "not-html", "parse-error"
    detail: str = ""


#: Record fields before the content, as documented in DESIGN.md.
_IDENTITY = ("id", "url", "urls", "site")


@dataclass(kw_only=True)
class Article(ArticleContent):
    """The stored article record; field names are the public interface (DESIGN.md)."""

    id: str
    url: str
    urls: list[str]
    site: str
    word_count: int
    content_hash: str
    fetched_at: str
    #: where the raw capture is: {"warc", "offset", "length", "record_id"} (None: no WARC capture)
    capture: dict[str, Any] | None = None
    revisions: list[dict[str, Any]] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The record as written, fields in documented order."""
        data = asdict(self)
        return {name: data[name] for name in RECORD_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(**{name: data[name] for name in RECORD_FIELDS if name in data})


#: Field order of the article record: identity, content, then the archive's own facts.
RECORD_FIELDS: tuple[str, ...] = (
    *_IDENTITY,
    *(f.name for f in fields(ArticleContent)),
    *(f.name for f in fields(Article) if f.name not in _IDENTITY and f.name not in {g.name for g in fields(ArticleContent)}),
)


@dataclass
class ExtractedPage:
    """A fetched page with what the extractor read from it (between pipelines)."""

    page: FetchedPage
    extraction: Extraction


@dataclass
class StoredArticle:
    """What the archive did with a page: the record as stored, and how it changed."""

    outcome: str  #: new | merged | unchanged | replaced | revised
    record: Article
    path: str
    replaced_id: str | None = None
