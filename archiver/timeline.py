"""Timelines: how many matching articles per day, week, month or year, as a table, CSV, JSON or chart.

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

from archiver.errors import ArchiverError, QueryError
from archiver.searching import open_index
from archiver.store import ArticleStore
from archiver.textout import clean_for_terminal, to_json
from index.facets import iter_facets
from index.schema import parse_record_date

PERIODS = ("day", "week", "month", "year")
#: Groups drawn or printed side by side; the rest are summed as "other" (CSV and JSON keep all).
SHOWN_GROUPS = 8
PLOT_FORMATS = (".png", ".svg")
BAR = "█"


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


def build_timeline(data_dir: Path, query: str | None, *, period: str = "month", by_fetched: bool = False,
                   split: str | None = None, site: str | None = None, author: str | None = None,
                   since: date | None = None, until: date | None = None) -> Timeline:
    """Count the articles matching a search (same query and filters) per period.

    ``since``/``until`` select by publication date, as in search, and also fix the
    range of periods shown, so a quiet stretch at either end shows as zeros.
    """
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}; use one of: {', '.join(PERIODS)}")
    index = open_index(data_dir)
    try:
        rows = list(iter_facets(index, query, split=split, site=site, author=author, since=since, until=until))
    finally:
        index.close()
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


def fetched_times(data_dir: Path, ids: set[str]) -> dict[str, datetime | None]:
    """``fetched_at`` of these records (file names give the id, so only matches are read)."""
    store = ArticleStore(data_dir)
    found: dict[str, datetime | None] = {}
    for path in store.paths():
        if path.stem in ids:
            try:
                found[path.stem] = parse_record_date(store.read(path).get("fetched_at"))
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


# -- output ---------------------------------------------------------------------------------


def format_table(timeline: Timeline, *, width: int = 40) -> str:
    """A terminal table: one row per period; a bar, or one column per group when split."""
    if not timeline.starts:
        return f"No dated articles match {timeline.query or 'the archive'!r}."
    labels = timeline.labels()
    label_width = max(len("period"), *(len(x) for x in labels))
    lines = []
    if timeline.split:
        groups = timeline.shown_groups()
        names = [clean_for_terminal(n)[:18] for n in groups]
        widths = [max(len(n), 5) for n in names]
        lines.append("  ".join(["period".ljust(label_width), "total".rjust(5)]
                               + [n.rjust(w) for n, w in zip(names, widths)]))
        for i, label in enumerate(labels):
            cells = [str(counts[i]).rjust(w) for counts, w in zip(groups.values(), widths)]
            lines.append("  ".join([label.ljust(label_width), str(timeline.totals[i]).rjust(5)] + cells))
    else:
        peak = max(timeline.totals) or 1
        for label, count in zip(labels, timeline.totals):
            bar = BAR * round(count / peak * width)
            lines.append(f"{label.ljust(label_width)}  {count:>5}  {bar}")
    lines.append(_summary(timeline))
    return "\n".join(lines)


def _summary(timeline: Timeline) -> str:
    what = f"matching {timeline.query!r}" if timeline.query else "in the archive"
    date_name = "fetch" if timeline.date_field == "fetched_at" else "publication"
    text = f"{timeline.total} articles {what}, per {timeline.period} of {date_name}"
    if timeline.split in ("author", "tag"):
        text += f"; an article with several {timeline.split}s counts once for each"
    return text + (f"; {timeline.undated} without a {date_name} date not shown" if timeline.undated else "")


def format_csv(timeline: Timeline) -> str:
    """``period,start,count`` — plus one column per group when split."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = list(timeline.groups)
    writer.writerow(["period", "start", "count", *names])
    for i, (label, start) in enumerate(zip(timeline.labels(), timeline.starts)):
        writer.writerow([label, start.isoformat(), timeline.totals[i], *(timeline.groups[n][i] for n in names)])
    return out.getvalue()


def format_json(timeline: Timeline) -> str:
    return to_json(timeline.to_dict())


def plot_timeline(timeline: Timeline, out: Path) -> None:
    """Draw the timeline as (stacked) bars into a PNG or SVG file, chosen by extension."""
    if out.suffix.lower() not in PLOT_FORMATS:
        raise ArchiverError(f"--plot: cannot tell the format of {out.name!r}; end the file name with .png or .svg")
    if not timeline.starts:
        raise ArchiverError("nothing to plot: no dated article matches")
    try:
        import matplotlib
    except ImportError:
        raise ArchiverError("--plot needs matplotlib: pip install 'news-archiver[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=100)
    try:
        positions = range(len(timeline.starts))
        if timeline.split:
            bottom = [0] * len(timeline.starts)
            for name, counts in timeline.shown_groups().items():
                ax.bar(positions, counts, bottom=bottom, label=name, width=0.85)
                bottom = [b + c for b, c in zip(bottom, counts)]
            ax.legend(title=timeline.split, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
        else:
            ax.bar(positions, timeline.totals, width=0.85, color="#2f6690")
        labels = timeline.labels()
        step = max(1, len(labels) // 24)
        ax.set_xticks(list(positions)[::step], labels[::step], rotation=60, ha="right", fontsize="small")
        ax.set_xlim(-0.6, len(labels) - 0.4)
        date_name = "Fetch date" if timeline.date_field == "fetched_at" else "Publication date"
        ax.set_xlabel(f"{date_name} ({timeline.period})")
        ax.set_ylabel(f"Articles per {timeline.period}")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(f"Archived articles per {timeline.period}" + (f" by {timeline.split}" if timeline.split else ""))
        fig.text(0.01, 0.01, f"Query: {timeline.query or '(all articles)'} — {_summary(timeline)}",
                 fontsize="small", color="#444444")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        try:
            fig.savefig(out, format=out.suffix.lower()[1:])
        except OSError as exc:
            raise ArchiverError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
