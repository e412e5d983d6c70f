"""The run log (``state/runs.jsonl``): one JSON line per crawl, written as it ends.

Each entry holds the run's figures (pages, articles, errors...) and, per site, what it
stored: how many versions, how many with short bodies, without author or date. Health
checks compare runs from these entries alone, so judging a run never reads the store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from archiver.datadir import DataDir

#: Bodies under this many words count as short (empty ones included).
SHORT_WORDS = 50


@dataclass
class SiteFigures:
    """What one run stored for one site (versions: new, updated or replaced articles)."""

    stored: int = 0
    short: int = 0  #: bodies under SHORT_WORDS words
    current: int = 0  #: versions that were current when counted (their authors and dates count)
    no_author: int = 0  #: neither a person nor a credit (wire copy credits its agency)
    no_date: int = 0
    #: current versions by where their date came from (``published_source``: {"jsonld": 40, "url": 2})
    date_sources: dict[str, int] = field(default_factory=dict)
    #: current versions by where their byline came from (``authors_source``)
    author_sources: dict[str, int] = field(default_factory=dict)

    def add(self, version: Mapping[str, Any], *, current: bool = True) -> None:
        self.stored += 1
        self.short += len((version.get("text") or "").split()) < SHORT_WORDS
        if current:
            self.current += 1
            self.no_author += not version.get("authors") and not version.get("credit")  # no byline at all
            self.no_date += not version.get("published")
            _count(self.date_sources, version.get("published_source") if version.get("published") else None)
            _count(self.author_sources, version.get("authors_source") if version.get("authors") else None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _count(counts: dict[str, int], source: str | None) -> None:
    if source:
        counts[source] = counts.get(source, 0) + 1


#: Stats keys of the figures shown on the progress line (with ``errors``) and in the run log.
PROGRESS_KEYS = (
    ("pages", "response_received_count"),
    ("articles", "archiver/archive/new"),
    ("updated", "archiver/archive/revised"),
    ("merged", "archiver/archive/merged"),
)
#: Pipeline steps that raised, counted by the run log.
ITEM_ERRORS = "archiver/item_errors"
#: Failure reasons that are the site's answer (the page is not there), not errors.
GONE_REASONS = ("http_404", "http_410")


def failure_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Requests that failed, by reason (``archiver/failed/<reason>``)."""
    return {k.rsplit("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith("archiver/failed/")}


#: Stats key prefix of the pages the extractor did not archive, by kind or reason.
REJECTED_PREFIX = "archiver/extract/rejected/"
#: Pages the spider knew for listings by their URL (home, /page/2/, /tag/...) and never sent to the extractor.
LISTING_URLS_KEY = "archiver/discovery/listing_pages"


def not_archived(stats: dict[str, Any]) -> dict[str, int]:
    """Pages fetched but not archived, by kind ("listing", "gallery"...) or reason ("too-short"),
    most first: the extractor's rejections and the listing pages the spider recognised by URL."""
    counts: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith(REJECTED_PREFIX):
            reason = key[len(REJECTED_PREFIX):]
            counts[reason] = counts.get(reason, 0) + int(value)
    if stats.get(LISTING_URLS_KEY):
        counts["listing"] = counts.get("listing", 0) + int(stats[LISTING_URLS_KEY])
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def run_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The figures of one run, from Scrapy's stats. ``errors`` are the requests that failed
    (but not pages the site says are gone), spider callbacks and pipeline steps that raised."""
    rejected = sum(v for k, v in stats.items() if k.startswith(REJECTED_PREFIX))
    failed = failure_counts(stats)
    counts = {label: int(stats.get(key, 0)) for label, key in PROGRESS_KEYS}
    counts["errors"] = (sum(n for reason, n in failed.items() if reason not in GONE_REASONS)
                        + int(stats.get("spider_exceptions/count", 0)) + int(stats.get(ITEM_ERRORS, 0)))
    counts["gone"] = sum(failed.get(reason, 0) for reason in GONE_REASONS)
    counts["unchanged"] = int(stats.get("archiver/archive/unchanged", 0))
    counts["replaced"] = int(stats.get("archiver/archive/replaced", 0))
    counts["not_modified"] = int(stats.get("downloader/response_status_count/304", 0))
    counts["rejected"] = int(rejected)
    counts["requests"] = int(stats.get("downloader/request_count", 0))
    return counts


def append_run(data_dir: DataDir, entry: dict[str, Any]) -> None:
    """Add one run's entry to the log, durably."""
    path = data_dir.run_log
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_runs(data_dir: DataDir, count: int = 5) -> list[dict[str, Any]]:
    """The newest ``count`` entries of the run log, oldest first (unreadable lines skipped)."""
    path = data_dir.run_log
    if not path.exists():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            runs.append(entry)
    return runs[-count:]
