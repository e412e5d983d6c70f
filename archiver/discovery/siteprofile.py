"""Optional site profiles (TOML) that override discovery for one site.

Every field is optional; a crawl without a profile uses the generic rules::

    start_urls = ["https://example.com/news/"]      # extra start points
    sitemaps = ["https://example.com/news-sitemap.xml"]
    feeds = ["https://example.com/rss"]
    article_patterns = ['^/\\d{4}/\\d{2}/[^/]+/$']   # URL paths that are articles (others are not)
    listing_patterns = ['^/topics/']                 # URL paths never archived, only followed
    deny_patterns = ['^/video/']                     # URL paths never requested
    allowed_hosts = ["news.example.com"]             # more hosts the crawl may visit
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from archiver.errors import ArchiverError

LIST_FIELDS = ("start_urls", "sitemaps", "feeds", "article_patterns", "listing_patterns", "deny_patterns", "allowed_hosts")


@dataclass
class SiteProfile:
    start_urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    article_patterns: list[re.Pattern[str]] = field(default_factory=list)
    listing_patterns: list[re.Pattern[str]] = field(default_factory=list)
    deny_patterns: list[re.Pattern[str]] = field(default_factory=list)
    allowed_hosts: list[str] = field(default_factory=list)


def load_profile(path: Path | str) -> SiteProfile:
    """Read and validate a profile; any mistake is one clear ArchiverError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ArchiverError(f"cannot read profile {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ArchiverError(f"profile {path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - set(LIST_FIELDS))
    if unknown:
        raise ArchiverError(f"profile {path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(LIST_FIELDS)}")
    values: dict[str, list] = {}
    for name in LIST_FIELDS:
        items = data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ArchiverError(f"profile {path}: {name} must be a list of strings")
        if name.endswith("_patterns"):
            try:
                values[name] = [re.compile(i) for i in items]
            except re.error as exc:
                raise ArchiverError(f"profile {path}: bad regular expression in {name}: {exc}") from exc
        else:
            values[name] = items
    return SiteProfile(**values)
