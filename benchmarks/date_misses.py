"""Why a published day is missed, and how high any choice among a page's own dates could go.

Used by ``python benchmarks/extraction.py --date-misses``. A miss is of one kind
(:data:`MISS_KINDS`), judged against every date candidate of the page (its markup, shown
date, URL and htmldate's guess):

- "ranked lower": a candidate names the true day and another was preferred;
- "a time zone off": none names it, but a datetime candidate falls on it in some time zone
  (within 14 hours), or a plain day is one day from it: the truth was read on another clock;
- "no source agrees": the truth is a day no candidate comes near (an annotation of another
  event, a date the page does not carry);
- "no date on the page": no candidate at all;
- "no article text": the page makes no record (its text could not be found: a script-only
  page, a paywall's empty shell), whatever its candidates.

The ceiling counts the first two kinds as hits: no ranking of the page's candidates, and
no choice of the clock, can score higher. The other kinds are out of reach of any rule
that chooses among the page's own evidence.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

MISS_KINDS = ("ranked lower", "a time zone off", "no source agrees", "no date on the page", "no article text")
#: The kinds a ranking of the page's candidates could still get right.
REACHABLE_KINDS = MISS_KINDS[:2]
#: The widest distance between UTC and a clock in use (UTC-12 to UTC+14).
CLOCK_REACH = timedelta(hours=14)


def miss_kind(truth_day: str, values: list[str], *, has_text: bool = True) -> str:
    """The kind of a miss of ``truth_day`` (YYYY-MM-DD) given the page's candidates as ISO
    values (dates or datetimes), and whether the extraction found the page's text."""
    if not has_text:
        return "no article text"
    if not values:
        return "no date on the page"
    if truth_day in {value[:10] for value in values}:
        return "ranked lower"
    if any(_within_a_clock(truth_day, value) for value in values):
        return "a time zone off"
    return "no source agrees"


def _within_a_clock(truth_day: str, value: str) -> bool:
    """Some clock shows a datetime on the true day; or a plain day is one day from it."""
    truth = date.fromisoformat(truth_day)
    if "T" not in value:
        return abs((date.fromisoformat(value[:10]) - truth).days) == 1
    utc = datetime.fromisoformat(value).astimezone(timezone.utc)
    return (utc - CLOCK_REACH).date() <= truth <= (utc + CLOCK_REACH).date()
