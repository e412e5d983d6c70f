"""Extraction health: per site and crawl run, how much was stored and how complete it was.

A site that changes its templates rarely breaks a crawl; it quietly yields empty bodies,
lost bylines or nothing at all. Each run's figures come from its entry in the run log
(:mod:`archiver.runs`: what it stored per site, counted as it stored it) and are compared
with the median of the same site's previous runs; a sharp change is a warning that a cron
job can alert on. Runs logged before entries carried per-site figures are counted from
the versions in the store (current records and revisions whose ``fetched_at`` falls in
the run), which only ``archiver health`` does: the end of a crawl reads the log alone.
"""

from __future__ import annotations

import bisect
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from archiver.datadir import DataDir
from archiver.runs import SiteFigures, read_runs
from archiver.storage.records import ArticleStore
from archiver.timestamps import as_utc, parse_timestamp
from archiver.urls import site_of
#: Previous runs of the same site that make the baseline (their median).
BASELINE_RUNS = 5
#: Runs read from the log: enough for the baseline of every site of the latest runs.
LOG_RUNS = 500
#: Fewer versions than this in a run are too few to judge shares by.
MIN_SAMPLE = 5
#: Fewer pages extracted than this are too few to judge the share of rejected pages by: an
#: incremental run that finds nothing new re-reads the same few non-article pages (about,
#: contact...) and nothing else, which is 100% rejected and perfectly normal.
MIN_PAGES = 20
#: Rises in a share, in percentage points, that make a warning.
SHORT_RISE = 30.0
AUTHOR_RISE = 40.0
DATE_RISE = 40.0
REJECTED_RISE = 30.0


@dataclass
class SiteRun:
    """One site's part of one crawl run."""

    site: str
    start: str
    end: str
    finish_reason: str
    stored: int = 0  #: versions stored (new, updated or replaced articles)
    short: int = 0  #: of those, bodies under SHORT_WORDS words (see archiver.runs.SiteFigures)
    current: int = 0  #: stored versions whose authors and dates count
    no_author: int = 0
    no_date: int = 0
    rejected: int = 0  #: pages the extractor turned down in the whole run (the log is not per site)
    extracted: int = 0  #: pages the extractor looked at in the whole run
    unchanged: int = 0  #: pages found unchanged (304 or same text) in the whole run
    date_sources: dict[str, int] = field(default_factory=dict)  #: how the dates of current versions were found
    author_sources: dict[str, int] = field(default_factory=dict)  #: how their bylines were found
    fetched: int | None = None  #: pages the whole run fetched (None: not logged)
    errors: int = 0  #: requests that failed in the whole run
    warnings: list[str] = field(default_factory=list)

    @property
    def short_share(self) -> float | None:
        return _share(self.short, self.stored)

    @property
    def author_share(self) -> float | None:
        return _share(self.no_author, self.current)

    @property
    def date_share(self) -> float | None:
        return _share(self.no_date, self.current)

    @property
    def rejected_share(self) -> float | None:
        return _share(self.rejected, self.extracted)

    def to_dict(self) -> dict[str, Any]:
        shares = {"short_share": self.short_share, "missing_author_share": self.author_share,
                  "missing_date_share": self.date_share, "rejected_share": self.rejected_share}
        return {**asdict(self), **shares}


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _time(value: Any) -> datetime | None:
    return as_utc(parse_timestamp(value))


@dataclass
class Health:
    """Every site's runs, oldest first, and the warnings of each site's latest run."""

    sites: dict[str, list[SiteRun]]

    @property
    def warnings(self) -> list[str]:
        return [w for runs in self.sites.values() for w in runs[-1].warnings]

    @property
    def warning_sites(self) -> list[str]:
        return [site for site, runs in self.sites.items() if runs[-1].warnings]

    @property
    def without_history(self) -> list[str]:
        """Sites crawled once so far: their latest run has nothing to be compared with."""
        return [site for site, runs in self.sites.items() if len(runs) == 1]

    def to_dict(self) -> dict[str, Any]:
        return {"sites": {s: [r.to_dict() for r in runs] for s, runs in self.sites.items()},
                "warnings": self.warnings, "without_history": self.without_history}


def archive_health(data_dir: DataDir | Path, *, scan_store: bool = True) -> Health:
    """Figures for every site of every logged run, and warnings against each site's own history.

    Runs whose log entry has no per-site figures (logged by older versions) are counted
    from the store when ``scan_store``, else left out.
    """
    data_dir = DataDir.of(data_dir)
    runs = [r for r in read_runs(data_dir, LOG_RUNS) if _time(r.get("start")) and _time(r.get("end"))]
    if not scan_store:
        runs = [r for r in runs if isinstance(r.get("sites"), dict)]
    runs.sort(key=lambda r: _time(r["start"]))
    parts: dict[tuple[int, str], SiteRun] = {}
    for number, run in enumerate(runs):
        for site in dict.fromkeys(site_of(u) for u in run.get("urls") or ()):
            parts[(number, site)] = _site_run(site, run)
        for site, figures in (run.get("sites") or {}).items():
            part = parts.setdefault((number, site), _site_run(site, run))
            for name, value in figures.items():
                if name in SiteFigures.__dataclass_fields__:
                    setattr(part, name, _figure(value))
    unlogged = [number for number, run in enumerate(runs) if not isinstance(run.get("sites"), dict)]
    if unlogged:
        _count_from_store(data_dir, runs, unlogged, parts)
    sites: dict[str, list[SiteRun]] = {}
    for (_, site), part in sorted(parts.items()):
        sites.setdefault(site, []).append(part)
    for history in sites.values():
        for i, part in enumerate(history):
            part.warnings = judge(part, history[max(0, i - BASELINE_RUNS):i])
    return Health(sites)


def health_warnings(data_dir: DataDir | Path) -> list[str]:
    """One line per warning about the sites of the latest run (empty when healthy or no run).

    Reads the run log only: the cost is that of the log, not of the archive.
    """
    data_dir = DataDir.of(data_dir)
    runs = read_runs(data_dir, 1)
    if not runs:
        return []
    health = archive_health(data_dir, scan_store=False)
    latest = runs[-1].get("start")
    return [w for history in health.sites.values() if history[-1].start == latest for w in history[-1].warnings]


def _site_run(site: str, run: dict[str, Any]) -> SiteRun:
    extracted = sum(int(run.get(k) or 0) for k in ("rejected", "articles", "updated", "replaced", "unchanged",
                                                    "merged"))
    return SiteRun(site=site, start=str(run.get("start")), end=str(run.get("end")),
                   finish_reason=str(run.get("finish_reason") or "?"), rejected=int(run.get("rejected") or 0),
                   extracted=extracted, unchanged=int(run.get("unchanged") or 0) + int(run.get("not_modified") or 0),
                   fetched=int(run["pages"]) if isinstance(run.get("pages"), int) else None,
                   errors=int(run.get("errors") or 0))


def _count_from_store(data_dir: DataDir, runs: list[dict[str, Any]], unlogged: list[int],
                      parts: dict[tuple[int, str], SiteRun]) -> None:
    """Count the versions the ``unlogged`` runs stored from the records themselves."""
    windows = [(_time(r["start"]), _time(r["end"])) for r in runs]
    starts = [w[0] for w in windows]
    wanted = set(unlogged)
    for record in _records_since(data_dir, starts[min(unlogged)]):
        site = record.get("site") or "?"
        for version, current in _versions(record):
            moment = _time(version.get("fetched_at"))
            number = bisect.bisect_right(starts, moment) - 1 if moment else -1
            if number > 0 and moment <= windows[number - 1][1]:  # times are to the second: the earlier run
                number -= 1
            if number < 0 or number not in wanted or moment > windows[number][1]:
                continue
            part = parts.setdefault((number, site), _site_run(site, runs[number]))
            figures = SiteFigures()
            figures.add(version, current=current)
            for name, value in figures.to_dict().items():
                setattr(part, name, _plus(getattr(part, name), value))


def _figure(value: Any) -> int | dict[str, int]:
    """A figure as logged: a count, or counts by source."""
    if isinstance(value, dict):
        return {str(key): int(count) for key, count in value.items()}
    return int(value)


def _plus(total: int | dict[str, int], more: int | dict[str, int]) -> int | dict[str, int]:
    """Counts added up, by source where they are by source."""
    if isinstance(total, dict):
        return dict(Counter(total) + Counter(more))
    return total + more


def _records_since(data_dir: DataDir, since: datetime) -> Iterator[dict[str, Any]]:
    """Records that may hold a version from ``since`` on: a file is rewritten whenever a
    version is stored, so one last modified earlier holds none and is not read."""
    store = ArticleStore(data_dir)
    cutoff = since.timestamp() - 1
    for path in store.paths():
        try:
            if path.stat().st_mtime >= cutoff:
                yield store.read(path)
        except (OSError, ValueError):
            continue


def _versions(record: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """The record's stored versions, each with whether it is the current one."""
    return [(r, False) for r in record.get("revisions") or [] if isinstance(r, dict)] + [(record, True)]


def judge(run: SiteRun, previous: list[SiteRun]) -> list[str]:
    """Warnings for a run that fetched nothing, stored nothing where articles were expected,
    or departs sharply from the median of the site's previous runs.

    "Nothing new" is normal: a run that stored nothing while it found pages unchanged is
    not judged by what it stored. Shares are compared only between runs that stored at
    least MIN_SAMPLE articles, and the share of rejected pages only between runs that
    extracted at least MIN_PAGES pages. A run stopped by hand is neither judged nor a
    baseline: it saw only the part of the site the crawl reached first (the home page's
    articles, say, before any "about" page).
    """
    when = run.start.replace("T", " ")[:19]
    if run.finish_reason == "shutdown":
        return []  # stopped by hand: whatever it did is not a sign of the site
    previous = [p for p in previous if p.finish_reason != "shutdown"]
    if run.fetched == 0:
        return [f"{run.site}: the run of {when} fetched nothing ({run.errors} requests failed; see its log)"]
    warnings = []
    usual_stored = statistics.median(p.stored for p in previous) if previous else 0
    more_rejected = not previous or run.rejected > statistics.median(p.rejected for p in previous)
    if run.stored == 0 and (more_rejected or not run.unchanged):
        if usual_stored > 0:
            warnings.append(f"{run.site}: the run of {when} stored no articles (previous runs: median {usual_stored:g})")
        elif not any(p.stored for p in previous):
            warnings.append(f"{run.site}: no article stored yet: the run of {when} looked at {run.extracted} "
                            f"possible articles and rejected {run.rejected} as non-articles")
    if not previous:
        return warnings
    checks = (("short or empty bodies", "short_share", SHORT_RISE, run.stored),
              ("no author", "author_share", AUTHOR_RISE, run.current),
              ("no publication date", "date_share", DATE_RISE, run.current))
    for label, name, rise, sample in checks:
        now, usual = getattr(run, name), _usual_share(previous, name)
        if now is not None and usual is not None and sample >= MIN_SAMPLE and now - usual > rise:
            warnings.append(f"{run.site}: {label} in {now:.0f}% of {sample} articles stored by the run of {when} "
                            f"(usually {usual:.0f}%)")
    now, usual = run.rejected_share, _usual_share(previous, "rejected_share", by="extracted", floor=MIN_PAGES)
    if (now is not None and usual is not None and run.extracted >= MIN_PAGES and now - usual > REJECTED_RISE
            and more_rejected):
        warnings.append(f"{run.site}: {now:.0f}% of {run.extracted} pages rejected as non-articles by the run of "
                        f"{when} (usually {usual:.0f}%)")
    return warnings


def _usual_share(runs: list[SiteRun], name: str, *, by: str = "stored", floor: int = MIN_SAMPLE) -> float | None:
    """The median of a share over the runs with enough of ``by`` (stored articles, extracted pages) to measure it."""
    values = [getattr(r, name) for r in runs if getattr(r, by) >= floor and getattr(r, name) is not None]
    return statistics.median(values) if values else None
