"""Dedup: which article a page belongs to, and how far to trust it as the article's source.

A page is described by its canonical URL, every URL key that reached it (canonical
link, AMP and print variants, redirects) and the hash of its normalised text; the
key store (:mod:`archiver.storage.keystore`) maps those keys to stored articles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from archiver.items import Extraction, FetchedPage
from archiver.text import normalise_text
from archiver.urls import clean_url, is_variant, site_of, strip_variant, url_key

#: How trustworthy a page is as the source of its article's record.
QUALITY_ALIAS = 0  #: AMP/print variant, or a page whose canonical link names another URL
QUALITY_UNLINKED = 1  #: a page with no canonical link (possibly a syndicated copy)
QUALITY_CANONICAL = 2  #: the article's own page: its canonical link names itself


def content_hash(text: str) -> str:
    """The exact-duplicate key of an article body."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


@dataclass
class SourcePage:
    """The dedup view of one page: its canonical URL, keys, content hash and quality."""

    canonical: str
    quality: int
    urls: list[str]
    keys: list[str]
    digest: str


def describe_source(page: FetchedPage, extraction: Extraction) -> SourcePage:
    """Work out which article a page belongs to, and how far to trust it as the source."""
    final = clean_url(page.final_url)
    canonical = _usable_canonical(extraction.canonical_url, final)
    if canonical is None:
        canonical = strip_variant(final)
        quality = QUALITY_ALIAS if is_variant(final) else QUALITY_UNLINKED
    else:
        quality = QUALITY_CANONICAL if url_key(canonical) == url_key(final) and not is_variant(final) else QUALITY_ALIAS
    urls: list[str] = []
    for url in (canonical, final, page.url, *page.redirect_urls, *page.aliases):
        try:
            cleaned = clean_url(url)
        except ValueError:
            continue
        if cleaned not in urls:
            urls.append(cleaned)
    keys = list(dict.fromkeys(url_key(u) for u in urls))
    return SourcePage(canonical, quality, urls, keys, content_hash(extraction.text))


def _usable_canonical(candidate: str | None, page_url: str) -> str | None:
    """The page's canonical link, unless it points off-site or at the site's root."""
    if not candidate:
        return None
    try:
        canonical = clean_url(candidate)
    except ValueError:
        return None
    if site_of(canonical) != site_of(page_url):
        return None
    if urlsplit(canonical).path in ("", "/") and urlsplit(page_url).path not in ("", "/"):
        return None
    return canonical
