"""Timelines: how many matching articles per day, week, month or year.

Counts by publication date come from the index alone (:mod:`index.facets`). The index
does not hold ``fetched_at``, so ``by_fetched`` reads that one field from the matching
records in the store.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from index import ArticleIndex
from index.errors import QueryError
from index.facets import facet_rows

from archiver.datadir import DataDir
from archiver.indexing import index_for
from archiver.storage.records import ArticleStore
from archiver.timestamps import parse_timestamp

PERIODS = ("day", "week", "month", "year")
#: Groups drawn or printed side by side; the rest are summed as "other" (CSV and JSON keep all).
SHOWN_GROUPS = 8


def period_start(day: date, period: str) -> date:
    """The first day of the period holding ``day`` (weeks start on Monday, as ISO weeks do)."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    raise QueryError(f"unknown period {period!r}; use one of: {', '.join(PERIODS)}")


def next_period(start: date, period: str) -> date:
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def period_label(start: date, period: str) -> str:
    """``2018-07-05``, ``2018-W27``, ``2018-07`` or ``2018``."""
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()[: {"day": 10, "month": 7, "year": 4}[period]]


@dataclass
class Timeline:
    """Counts per period (every period of the range, empty ones as 0), optionally per group."""

    query: str
    period: str
    date_field: str  #: "published" or "fetched_at"
    split: str | None
    starts: list[date]
    totals: list[int]
    groups: dict[str, list[int]] = field(default_factory=dict)  #: group -> counts, largest group first
    undated: int = 0  #: matching articles without that date (not counted in any period)

    @property
    def total(self) -> int:
        return sum(self.totals)

    def labels(self) -> list[str]:
        return [period_label(s, self.period) for s in self.starts]

    def shown_groups(self) -> dict[str, list[int]]:
        """The largest groups, and the others summed as "other"."""
        names = list(self.groups)
        shown = {name: self.groups[name] for name in names[:SHOWN_GROUPS]}
        if len(names) > SHOWN_GROUPS:
            shown["other"] = [sum(self.groups[n][i] for n in names[SHOWN_GROUPS:]) for i in range(len(self.starts))]
        return shown

    def to_dict(self) -> dict[str, Any]:
        buckets = []
        for i, (label, start) in enumerate(zip(self.labels(), self.starts)):
            bucket: dict[str, Any] = {"period": label, "start": start.isoformat(), "count": self.totals[i]}
            if self.split:
                bucket["groups"] = {name: counts[i] for name, counts in self.groups.items() if counts[i]}
            buckets.append(bucket)
        return {"query": self.query, "by": self.period, "date_field": self.date_field, "split": self.split,
                "total": self.total, "undated": self.undated, "buckets": buckets}

    def to_csv(self) -> str:
        """``period,start,count`` — plus one column per group when split."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = list(self.groups)
        writer.writerow(["period", "start", "count", *names])
        for i, (label, start) in enumerate(zip(self.labels(), self.starts)):
            writer.writerow([label, start.isoformat(), self.totals[i], *(self.groups[n][i] for n in names)])
        return out.getvalue()


def build_timeline(data_dir: DataDir | Path, query: str | None, *, period: str = "month", by_fetched: bool = False,
                   split: str | None = None, site: str | None = None, author: str | None = None,
                   credit: str | None = None, since: date | None = None, until: date | None = None,
                   index: ArticleIndex | None = None) -> Timeline:
    """Count the articles matching a search (same query and filters) per period.

    ``since``/``until`` select by publication date, as in search, and also fix the
    range of periods shown, so a quiet stretch at either end shows as zeros. ``index``: one
    the caller keeps open (see :func:`~archiver.indexing.index_for`).
    """
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}; use one of: {', '.join(PERIODS)}")
    data_dir = DataDir.of(data_dir)
    with index_for(data_dir, index) as index:
        rows = facet_rows(index, query, split=split, site=site, author=author, credit=credit, since=since,
                          until=until)
    when: dict[str, datetime | None] = {row.id: row.published for row in rows}
    if by_fetched:
        when = fetched_times(data_dir, set(when))
    counts: Counter[date] = Counter()
    by_group: dict[str, Counter[date]] = {}
    undated = 0
    for row in rows:
        moment = when.get(row.id)
        if moment is None:
            undated += 1
            continue
        start = period_start(moment.date(), period)
        counts[start] += 1
        for name in row.groups:
            by_group.setdefault(name, Counter())[start] += 1
    starts = _range(counts, period, since, until)
    ordered = sorted(by_group.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return Timeline(
        query=query or "", period=period, date_field="fetched_at" if by_fetched else "published", split=split,
        starts=starts, totals=[counts[s] for s in starts],
        groups={name: [c[s] for s in starts] for name, c in ordered}, undated=undated,
    )


def fetched_times(data_dir: DataDir, ids: set[str]) -> dict[str, datetime | None]:
    """``fetched_at`` of these records (file names give the id, so only matches are read)."""
    store = ArticleStore(data_dir)
    found: dict[str, datetime | None] = {}
    for path in store.paths():
        if path.stem in ids:
            try:
                moment = parse_timestamp(store.read(path).get("fetched_at"))
                found[path.stem] = moment.replace(tzinfo=None) if moment else None
            except (OSError, ValueError):
                continue
    return found


def _range(counts: Counter[date], period: str, since: date | None, until: date | None) -> list[date]:
    """Every period from the first to the last (or from --since to --until)."""
    first = period_start(since, period) if since else min(counts, default=None)
    last = period_start(until, period) if until else max(counts, default=None)
    if first is None or last is None:
        return []
    starts, current = [], first
    while current <= last:
        starts.append(current)
        current = next_period(current, period)
    return starts
