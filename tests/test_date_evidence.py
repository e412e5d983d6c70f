"""The published date from the page's evidence: rules kept only where they held on pages
they were not chosen on (``python benchmarks/extraction.py``, halves A and B and the dates
set); these tests pin what the review of the date rules decided."""

from __future__ import annotations

from datetime import date

import lxml.html

from archiver.extraction.dates import choose_published
from archiver.extraction.metadata import read_metadata

LATEST = date(2026, 1, 1)
FILLER = " ".join(["The council debated the new budget for a long time on Tuesday evening."] * 5)


def shown_dates(body: str) -> list[str]:
    html = ('<html><head><meta property="og:title" content="Water supply tainted"></head>'
            f'<body><div><div><h1>Water supply tainted</h1>{body}</div></div></body></html>')
    md = read_metadata(lxml.html.document_fromstring(html), "https://news.example.org/water-supply")
    return [c.value for c in md.published if c.source == "visible"]


def test_a_day_shown_without_its_year_is_no_date():
    """Placing "May 9" in a year guessed from other dates moved right days on the pages it
    was written for and wrong ones on htmldate's set (removed)."""
    assert shown_dates(f'<p class="date">May 9</p><p>{FILLER}</p>') == []
    assert choose_published([("ld-datepublished", "2020-05-07T15:55:22+01:00"), ("visible", "May 9")],
                            latest=LATEST) == "2020-05-07T15:55:22+01:00"
