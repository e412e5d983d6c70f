"""Run a crawl in this process: the library behind ``archiver crawl``.

``scrapy crawl news -a url=...`` runs the same spider, pipelines and extensions from
the same settings module; this wrapper adds the data-dir lock with a clean error, a
log file in the data dir, and a summary. :func:`launch` is the one way the archiver
starts Scrapy (crawls, seeding runs and distributed workers all go through it).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.log import failure_to_exc_info
from twisted.python.failure import Failure

from archiver import settings as project_settings
from archiver.datadir import DataDir
from archiver.discovery.siteprofile import load_profile
from archiver.errors import ArchiverError, DataDirError
from archiver.extensions.diskguard import free_mb
from archiver.extensions.frontier import frontier_warnings
from archiver.extensions.extraction import kind_rules
from archiver.reports.health import health_warnings
from archiver.runs import failure_counts, not_archived, run_counts
from archiver.shutdown import StopOnSignals
from archiver.spiders.news import NewsSpider
from archiver.storage.lock import DataDirLock
from archiver.urls import start_url

logger = logging.getLogger(__name__)

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
    not_archived: dict[str, int] = field(default_factory=dict)  #: pages fetched but not archived, by kind or reason
    warnings: list[str] = field(default_factory=list)  #: extraction-health and frontier warnings for this run
    stopped_by: int | None = None  #: the signal (SIGINT, SIGTERM, SIGHUP) that stopped the crawl early
    start_failures: dict[str, str] = field(default_factory=dict)  #: start URL -> why it could not be fetched
    index_checked: int = 0  #: articles this run stored or re-keyed, checked against the index at its end
    index_drift: int = 0  #: of those, how many the index does not hold as stored (see `archiver check`)

    @property
    def complete(self) -> bool:
        """False when the crawl stopped before it was done (Ctrl-C, a full disk...)."""
        return self.finish_reason in COMPLETE and self.stopped_by is None

    @property
    def failure(self) -> str | None:
        """Why the crawl achieved nothing, when it fetched no page at all (a scheduled run must say so)."""
        if self.pages or self.stopped_by is not None:
            return None
        causes = "; ".join(f"{url}: {cause}" for url, cause in self.start_failures.items())
        return f"nothing could be fetched ({causes or f'see {self.log_file}'})"

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (``archiver crawl --json``)."""
        data = asdict(self)
        data.update(log_file=str(self.log_file), complete=self.complete, failure=self.failure,
                    stopped_by=signal.Signals(self.stopped_by).name if self.stopped_by is not None else None)
        return data


def crawl_settings(options: CrawlOptions, log_file: Path) -> Settings:
    """Project settings plus this run's options."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    overrides: dict[str, object] = {
        "ARCHIVER_DATA_DIR": str(options.data_dir.root),
        "ARCHIVER_PROGRESS": options.progress,
        "LOG_FILE": str(log_file),  # a new file per run; appended to, as Scrapy reopens it once the crawl starts
        "ARCHIVER_FULL": options.full,
    }
    if options.data_dir.local_state is not None:
        overrides["ARCHIVER_STATE_DIR"] = str(options.data_dir.local_state)
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


def check_settings(overrides: dict[str, object]) -> None:
    """ArchiverError naming the first ``-s NAME=VALUE`` whose value cannot be read as its
    setting's type (a number, a boolean, a JSON object...), before any work starts.

    Scrapy reads settings only when a component needs them, so a bad value would
    otherwise fail deep inside the crawl. Names without a known default are left alone.
    """
    defaults = Settings()
    defaults.setmodule(project_settings, priority="project")
    readers = ((bool, "getbool", "true or false"), (int, "getfloat", "a number"), (float, "getfloat", "a number"),
               (dict, "getdict", "a JSON object"), (BaseSettings, "getdict", "a JSON object"))
    for name, value in overrides.items():
        default = defaults.get(name)
        for kind, reader, wanted in readers:
            if isinstance(default, kind):
                try:
                    getattr(BaseSettings({name: value}), reader)(name)
                except (ValueError, TypeError):
                    raise ArchiverError(f"--set {name}={value}: {name} must be {wanted}") from None
                break


def start_urls(urls: list[str]) -> list[str]:
    """The start URLs cleaned (:func:`~archiver.urls.start_url`); ArchiverError if one is bad."""
    if not urls:
        raise ArchiverError("give at least one start URL")
    try:
        return [start_url(u) for u in urls]
    except ValueError as exc:
        raise ArchiverError(str(exc)) from None


@dataclass
class Launched:
    """How a Scrapy run ended."""

    stats: dict[str, Any]  #: its final Scrapy stats
    stopped_by: int | None = None  #: the stop signal (SIGINT, SIGTERM, SIGHUP) that ended it early, if any


def launch(settings: Settings, spider: type[Spider], **spider_args: Any) -> Launched:
    """Run one spider to its end in this process, stopping on SIGINT, SIGTERM or SIGHUP
    (:mod:`archiver.shutdown`); ArchiverError if the crawl could not start."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    signals = StopOnSignals(lambda signum: graceful_stop(process, signum), timeout=settings.getfloat("ARCHIVER_STOP_TIMEOUT"))
    failures: list[Failure] = []
    with signals.installed():
        process.crawl(crawler, **spider_args).addErrback(failures.append)
        process.start(install_signal_handlers=False)
    if failures:
        failure = failures[0]
        logger.error("The crawl could not start", exc_info=failure_to_exc_info(failure))
        raise ArchiverError(f"the crawl could not start: {failure.getErrorMessage()}")
    return Launched(crawler.stats.get_stats() if crawler.stats else {}, signals.signum)


def graceful_stop(process: CrawlerProcess, signum: int) -> None:
    """Ask every crawl of ``process`` to stop gracefully, once its engine runs (safe from a signal handler)."""
    from twisted.internet import reactor

    def log() -> None:
        logger.info("Received %s, stopping gracefully (send it again to stop at once)", signal.Signals(signum).name)

    def stop() -> None:
        if any(c.crawling and not (c._engine and c._engine.running) for c in process.crawlers):
            reactor.callLater(0.1, stop)  # still opening: an engine stops only once it runs
        else:
            process.stop()

    reactor.callFromThread(log)
    reactor.callFromThread(stop)


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl the start URLs into the data dir; raises ArchiverError on bad input or a busy dir."""
    urls = start_urls(options.urls)
    check_settings(options.settings)
    if options.since and options.until and options.since > options.until:
        raise ArchiverError(f"--since {options.since} is after --until {options.until}")
    profile = load_profile(options.profile) if options.profile else None
    options.urls = urls
    try:
        kind_rules(crawl_settings(options, Path(os.devnull)))
    except ValueError as exc:
        raise ArchiverError(str(exc)) from None
    reserve = float(options.settings.get("ARCHIVER_MIN_FREE_MB", project_settings.ARCHIVER_MIN_FREE_MB))  # type: ignore[arg-type]
    if (free := free_mb(options.data_dir.root)) < reserve:
        raise DataDirError(f"only {free:.1f} MB free for {options.data_dir.root}; a crawl needs "
                           f"ARCHIVER_MIN_FREE_MB={reserve:g} (free some space or lower it with --set)")
    started = time.monotonic()
    with DataDirLock(options.data_dir):
        log_file = options.data_dir.new_log_file("crawl")
        launched = launch(crawl_settings(options, log_file), NewsSpider, urls=urls, profile=profile)
    stats = launched.stats
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
        failures=failure_counts(stats),
        not_archived=not_archived(stats),
        # a run that fetched nothing says so as its error, not as a health warning too
        warnings=[*frontier_warnings(stats), *(health_warnings(options.data_dir) if counts["pages"] else [])],
        stopped_by=launched.stopped_by,
        start_failures=dict(stats.get("archiver/start_failures") or {}),
        index_checked=int(stats.get("archiver/index/checked", 0)),
        index_drift=int(stats.get("archiver/index/drift", 0)),
    )
