"""Is this page an article? Generic signals, no site-specific rules.

Signals for: JSON-LD article types, WordPress ``single-post`` body classes, a dated URL, a
publication date, a byline, a long body. Signals against: JSON-LD CollectionPage /
ProfilePage / AboutPage / SearchResultsPage without an article, WordPress ``page``,
``archive``, ``home``, ``category``... body classes, archive-like URLs, and listing
structure (many teasers). ``og:type=article`` alone counts little: Yoast sets it on plain
pages (About, Contact). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from archiver.extraction.dates import date_from_url
from archiver.extraction.metadata import ARTICLE_TYPES, PageMetadata

NOT_ARTICLE_TYPES = frozenset({
    "collectionpage", "profilepage", "aboutpage", "contactpage", "searchresultspage",
    "faqpage", "checkoutpage", "realestatelisting", "itemlist", "product", "offercatalog",
})
LISTING_BODY = frozenset({
    "archive", "home", "blog", "category", "tag", "author", "search", "search-results",
    "error404", "date", "paged", "post-type-archive", "tax", "front-page",
})
SINGLE_BODY = frozenset({"single-post", "single", "single-format-standard", "postid"})
LISTING_PATH = re.compile(
    r"/(?:category|categories|tag|tags|topic|topics|author|authors|page|search|archive|archives"
    r"|section|sections|rubrik|kategorie|thema|themen)(?:/|$)|[?&](?:s|q|page|paged|cat|tag)=",
    re.I,
)
NOT_ARTICLE_PATH = re.compile(
    r"/(?:about|about-us|contact|contact-us|impressum|imprint|privacy|privacy-policy|terms"
    r"|datenschutz|kontakt|team|staff|advertise|subscribe|login|register|cart|faq)(?:/|\.html?)?$",
    re.I,
)
#: Score at or below which a page is "not-article".
REJECT_AT = -3.0


@dataclass
class Assessment:
    """How article-like a page looks, with the signals that said so."""

    score: float = 0.0
    signals: list[str] = field(default_factory=list)

    def add(self, points: float, signal: str) -> None:
        self.score += points
        self.signals.append(f"{signal}{points:+g}")


def teaser_count(tree: Any) -> int:
    """Article teasers on the page: <article> elements and headline links in a row."""
    articles = len(tree.xpath("//article"))
    heading_links = len(tree.xpath("//h2[.//a[@href]] | //h3[.//a[@href]]"))
    return max(articles, heading_links // 2)


def assess(tree: Any, url: str, metadata: PageMetadata, *, words: int | None = None) -> Assessment:
    """Add up the article signals of a parsed page."""
    result = Assessment()
    types = set(metadata.types)
    article_typed = bool(types & ARTICLE_TYPES) or any(t.endswith("article") for t in types)
    if article_typed:
        result.add(3, "ld-article")
    elif types & NOT_ARTICLE_TYPES:
        result.add(-3, "ld-not-article")
    elif types & {"webpage"} and metadata.article_ld is None:
        result.add(-0.5, "ld-webpage")
    if metadata.og_type == "article":
        result.add(0.5, "og-article")
    elif metadata.og_type in ("website", "profile", "product", "video.other"):
        result.add(-1, f"og-{metadata.og_type}")

    classes = metadata.body_classes
    if classes & SINGLE_BODY or any(c.startswith("postid-") for c in classes):
        result.add(2, "wp-single")
    elif classes & LISTING_BODY:
        result.add(-4, "wp-listing")
    elif any(c.startswith(("page-id-", "page-template")) for c in classes):
        result.add(-4, "wp-page")
    elif "page" in classes:
        result.add(-1, "page-class")

    path = urlsplit(url).path or "/"
    if date_from_url(url) and re.search(r"/\d{4}/\d{2}/\d{2}/?$", path) is None:
        result.add(2, "dated-url")
    if path in ("", "/") and not urlsplit(url).query:
        result.add(-3, "root-url")
    elif LISTING_PATH.search(url.split("#")[0][len(url.split("//", 1)[0]) + 2:]):
        result.add(-2, "listing-url")
    elif NOT_ARTICLE_PATH.search(path):
        result.add(-1.5, "page-url")

    if any(c.source.startswith(("ld-date", "meta:", "itemprop", "parsely", "time-published"))
           for c in metadata.published):
        result.add(1, "date")
    if any(c.source in ("ld-author", "meta-author", "byline", "itemprop-author", "rel-author")
           for c in metadata.authors):
        result.add(0.5, "byline")
    if words is not None and words >= 200:
        result.add(1, "long-text")

    teasers = teaser_count(tree)
    if teasers >= 8 and not article_typed:
        result.add(-2, f"listing({teasers})")
    elif teasers >= 5 and not article_typed:
        result.add(-1, f"teasers({teasers})")
    return result


def classify(tree: Any, url: str, metadata: PageMetadata, *, words: int | None = None,
             min_words: int = 40) -> str | None:
    """None when the page is an article, else the rejection reason ("not-article", "too-short")."""
    verdict = assess(tree, url, metadata, words=words)
    if verdict.score <= REJECT_AT:
        return "not-article"
    if words is not None and words < min_words:
        return "too-short"
    return None
