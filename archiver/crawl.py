"""Run a crawl in this process: the library behind ``archiver crawl``.

``scrapy crawl news -a url=...`` runs the same spider, pipelines and extensions from
the same settings module; this wrapper adds the data-dir lock with a clean error, a
log file in the data dir, and a summary. :func:`launch` is the one way the archiver
starts Scrapy (crawls, seeding runs and distributed workers all go through it).
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archiver import settings as project_settings
from archiver.datadir import DataDir
from archiver.discovery.siteprofile import load_profile
from archiver.errors import ArchiverError, DataDirError
from archiver.extensions.diskguard import free_mb
from archiver.reports.health import health_warnings
from archiver.runs import run_counts
from archiver.spiders.news import NewsSpider
from archiver.storage.lock import DataDirLock
from archiver.urls import clean_url

#: Finish reasons of a crawl that did all it was asked to.
COMPLETE = ("finished", "closespider_itemcount", "closespider_pagecount")


@dataclass
class CrawlOptions:
    urls: list[str]
    data_dir: DataDir
    max_pages: int = 0
    max_articles: int = 0
    since: date | None = None
    until: date | None = None
    newest_first: bool = False
    profile: Path | None = None
    concurrency: int | None = None
    workers: int | None = None
    full: bool = False
    progress: bool = True
    settings: dict[str, object] = field(default_factory=dict)  #: extra Scrapy settings


@dataclass
class CrawlSummary:
    pages: int
    requests: int
    articles: int
    updated: int
    merged: int
    unchanged: int
    rejected: int
    errors: int
    seconds: float
    finish_reason: str
    log_file: Path
    counts: dict[str, int]
    failures: dict[str, int] = field(default_factory=dict)  #: pages that could not be fetched, by reason
    warnings: list[str] = field(default_factory=list)  #: extraction-health warnings for this run
    index_checked: int = 0  #: articles this run stored or re-keyed, checked against the index at its end
    index_drift: int = 0  #: of those, how many the index does not hold as stored (see `archiver check`)

    @property
    def complete(self) -> bool:
        """False when the crawl stopped before it was done (Ctrl-C, a full disk...)."""
        return self.finish_reason in COMPLETE


def is_local(url: str) -> bool:
    """True when the URL's host is this machine (a loopback name or address)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def crawl_settings(options: CrawlOptions, log_file: Path) -> Settings:
    """Project settings plus this run's options."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    overrides: dict[str, object] = {
        "ARCHIVER_DATA_DIR": str(options.data_dir.root),
        "ARCHIVER_PROGRESS": options.progress,
        "LOG_FILE": str(log_file),
        "LOG_FILE_APPEND": False,
        "JOBDIR": str(options.data_dir.frontier),
        "ARCHIVER_FULL": options.full,
    }
    if options.data_dir.local_state is not None:
        overrides["ARCHIVER_STATE_DIR"] = str(options.data_dir.local_state)
    if all(is_local(u) for u in options.urls):
        # Our own machine (the demo site, a test server): no need to be gentle.
        overrides.update(
            {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
        )
    if options.max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = options.max_pages
    if options.max_articles:
        overrides["CLOSESPIDER_ITEMCOUNT"] = options.max_articles
    if options.since:
        overrides["ARCHIVER_SINCE"] = options.since.isoformat()
    if options.until:
        overrides["ARCHIVER_UNTIL"] = options.until.isoformat()
    if options.newest_first:
        overrides["ARCHIVER_NEWEST_FIRST"] = True
    if options.concurrency:
        overrides["CONCURRENT_REQUESTS_PER_DOMAIN"] = options.concurrency
        overrides["AUTOTHROTTLE_TARGET_CONCURRENCY"] = float(options.concurrency)
    if options.workers is not None:
        overrides["ARCHIVER_EXTRACT_WORKERS"] = options.workers
    overrides.update(options.settings)
    settings.setdict(overrides, priority="cmdline")
    return settings


def start_urls(urls: list[str]) -> list[str]:
    """The start URLs cleaned (``https://`` assumed when no scheme is given); ArchiverError if one is bad."""
    if not urls:
        raise ArchiverError("give at least one start URL")
    try:
        return [clean_url(u if "://" in u else f"https://{u}") for u in urls]
    except ValueError as exc:
        raise ArchiverError(str(exc)) from None


def launch(settings: Settings, spider: type[Spider], **spider_args: Any) -> dict[str, Any]:
    """Run one spider to its end in this process; returns its final Scrapy stats."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **spider_args)
    process.start()
    return crawler.stats.get_stats() if crawler.stats else {}


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl the start URLs into the data dir; raises ArchiverError on bad input or a busy dir."""
    urls = start_urls(options.urls)
    if options.since and options.until and options.since > options.until:
        raise ArchiverError(f"--since {options.since} is after --until {options.until}")
    profile = load_profile(options.profile) if options.profile else None
    options.urls = urls
    reserve = float(options.settings.get("ARCHIVER_MIN_FREE_MB", project_settings.ARCHIVER_MIN_FREE_MB))  # type: ignore[arg-type]
    if (free := free_mb(options.data_dir.root)) < reserve:
        raise DataDirError(f"only {free:.1f} MB free for {options.data_dir.root}; a crawl needs "
                           f"ARCHIVER_MIN_FREE_MB={reserve:g} (free some space or lower it with --set)")
    started = time.monotonic()
    with DataDirLock(options.data_dir):
        log_file = options.data_dir.new_log_file("crawl")
        stats = launch(crawl_settings(options, log_file), NewsSpider, urls=urls, profile=profile)
    if "archiver/data_dir_error" in stats:
        raise DataDirError(f"crawl stopped: {stats['archiver/data_dir_error']}")
    counts = run_counts(stats)
    return CrawlSummary(
        pages=counts["pages"],
        requests=counts["requests"],
        articles=counts["articles"],
        updated=counts["updated"],
        merged=counts["merged"],
        unchanged=counts["unchanged"],
        rejected=counts["rejected"],
        errors=counts["errors"],
        seconds=time.monotonic() - started,
        finish_reason=str(stats.get("finish_reason", "unknown")),
        log_file=log_file,
        counts=counts,
        failures={k.rsplit("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith("archiver/failed/")},
        warnings=health_warnings(options.data_dir),
        index_checked=int(stats.get("archiver/index/checked", 0)),
        index_drift=int(stats.get("archiver/index/drift", 0)),
    )
