"""Date-window crawls: what a crawl limited to ``--since``/``--until`` need not fetch.

The archive pipeline decides for sure, from the extracted publication date. Before
that, the spider skips what is *clearly* outside the window, from hints that cost no
request: a dated URL (``/2018/07/05/slug/``), a feed item's date, or a sitemap
``<lastmod>`` earlier than the window (a page last modified before ``since`` was
published before it too; the same holds for a sub-sitemap whose ``<lastmod>`` is
earlier). A day of slack on each side absorbs time zones, so nothing in the window is
ever skipped on a hint.

The same hints order the frontier with ``--newest-first``: :func:`newest_first_priority`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from archiver.extraction.dates import date_from_url, parse_date

#: Hints are read as local days somewhere on Earth: allow a day either way.
SLACK = timedelta(days=1)
#: Priority steps below the article priority per month of age (newest first), capped.
MAX_MONTHS = 1200


def hint_day(value: str | None) -> date | None:
    """The day of a date string from a feed, sitemap or URL (any common format)."""
    parsed = parse_date(value) if value else None
    try:
        return date.fromisoformat(parsed[:10]) if parsed else None
    except ValueError:
        return None


def url_day(url: str) -> date | None:
    """The day a dated URL names, if any."""
    found = date_from_url(url)
    return date.fromisoformat(found) if found else None


@dataclass(frozen=True)
class DateWindow:
    """Publication days ``since``..``until`` (both inclusive, either open)."""

    since: date | None = None
    until: date | None = None

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None

    @classmethod
    def from_strings(cls, since: str | None, until: str | None) -> DateWindow:
        """From ISO days (the ``ARCHIVER_SINCE``/``ARCHIVER_UNTIL`` settings); empty is open."""
        return cls(date.fromisoformat(since) if since else None, date.fromisoformat(until) if until else None)

    def contains(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def clearly_before(self, day: date) -> bool:
        return self.since is not None and day < self.since - SLACK

    def clearly_after(self, day: date) -> bool:
        return self.until is not None and day > self.until + SLACK

    def rules_out_published(self, day: date | None) -> bool:
        """True when a page published on ``day`` (from its URL or a feed) is clearly outside."""
        return day is not None and (self.clearly_before(day) or self.clearly_after(day))

    def rules_out_lastmod(self, day: date | None) -> bool:
        """True when a page (or sitemap) last modified on ``day`` can only hold older articles."""
        return day is not None and self.clearly_before(day)

    def rules_out(self, url: str, *, published: str | None = None, lastmod: str | None = None) -> bool:
        """Whether a page is clearly outside the window, from every hint at hand."""
        if not self:
            return False
        return (self.rules_out_published(hint_day(published) or url_day(url))
                or self.rules_out_lastmod(hint_day(lastmod)))


def newest_first_priority(base: int, day: date | None, today: date) -> int:
    """A request priority that drops by one per month of age; undated pages go last."""
    if day is None:
        return base - MAX_MONTHS - 1
    months = (today.year - day.year) * 12 + today.month - day.month
    return base - min(max(months, 0), MAX_MONTHS)
