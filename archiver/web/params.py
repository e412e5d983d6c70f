"""A search as the URL carries it: the query, its filters, sort, page and timeline period.

Every page that works on "the current query" (search, timeline, export) reads it from the
query string the same way, so a search can be bookmarked, shared and exported as shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from archiver.errors import ArchiverError
from archiver.reports.export import Selection
from archiver.timestamps import parse_date

#: Hits per page of the search page.
PAGE_SIZE = 20
#: Pages past this are refused: deep pages cost as much as all the ones before them.
MAX_PAGE = 500


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    site: str = ""
    author: str = ""
    credit: str = ""
    since: str = ""
    until: str = ""
    sort: str = "relevance"
    page: int = 1
    by: str = "month"  #: timeline period
    split: str = ""  #: timeline groups

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchParams:
        """The parameters of a query string; ArchiverError (one line) for a bad date or page."""
        values = {name: (args.get(name) or "").strip() for name in ("q", "site", "author", "credit", "since",
                                                                      "until", "sort", "by", "split")}
        params = cls(**{k: v for k, v in values.items() if v}, page=_page(args.get("page")))
        params.dates()  # sort, period and split are checked by the library functions that use them
        return params

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: no query and no filter."""
        return not (self.q or self.site or self.author or self.credit or self.since or self.until)

    def dates(self) -> tuple[date | None, date | None]:
        return parse_date(self.since, "since"), parse_date(self.until, "until")

    def filters(self) -> dict[str, Any]:
        """The filters as the library's search, timeline and export functions take them."""
        since, until = self.dates()
        return {"site": self.site or None, "author": self.author or None, "credit": self.credit or None,
                "since": since, "until": until}

    def selection(self) -> Selection:
        """The export of what the search shows (every match, in the search's order)."""
        return Selection(query=self.q or None, sort=self.sort, **self.filters())

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query string of these parameters (with ``changes``), defaults left out: short URLs."""
        current, defaults = asdict(replace(self, **changes)), asdict(SearchParams())
        return {name: value for name, value in current.items() if value != defaults[name]}


def _page(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise ArchiverError(f"page: {value!r} is not a page number (1 to {MAX_PAGE})")
    return int(value)
