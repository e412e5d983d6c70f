"""The processes of a distributed crawl: seeding runs (``archiver crawl --redis``) and workers.

A seeding run puts the start requests of the given sites into the shared queue in Redis
and exits. Workers, on any number of machines, pull requests from that queue, push what
they discover back (scrapy-redis's duplicate filter keeps each URL once per session) and
write records to the shared data dir, where ``archiver index --follow`` indexes them.
Each machine keeps its crawl state (``fetches.sqlite``) on local disk: SQLite must not
be shared over a network file system.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from scrapy import Request

from archiver.crawl import CrawlOptions, check_settings, crawl_settings, launch, start_urls
from archiver.datadir import DataDir
from archiver.discovery.siteprofile import SiteProfile, load_profile
from archiver.distributed.frontier import Frontier, FrontierStatus, redis_settings
from archiver.distributed.scheduler import worker_id
from archiver.errors import ArchiverError
from archiver.redisclient import connect, redact
from archiver.runs import run_counts
from archiver.spiders.news import NewsSpider
from archiver.storage.lock import DataDirLock

#: Seconds between looks for a seeding run while a worker waits for one.
SEED_POLL = 0.5
#: Crawl options of the seeding run that every worker applies (not per-process limits).
JOB_SETTINGS = ("ARCHIVER_SINCE", "ARCHIVER_UNTIL", "ARCHIVER_NEWEST_FIRST", "ARCHIVER_FULL")


class WorkerSpider(NewsSpider):
    """The news spider in a worker: the seeding run made the start requests, the queue hands them out."""

    async def start(self) -> AsyncIterator[Request]:
        for request in ():
            yield request


@dataclass
class SeedSummary:
    redis_url: str
    sites: list[str]
    queued: int  #: start requests this run added to the queue
    requeued: int  #: requests of dead workers put back in the queue
    status: FrontierStatus
    log_file: Path


def seed_crawl(options: CrawlOptions, redis_url: str, *, state_dir: Path | None = None) -> SeedSummary:
    """Put the start requests of ``options.urls`` into the shared queue; the workers crawl.

    Also starts a new crawl session (the fingerprints are forgotten, so the sites are
    discovered again) and puts dead workers' leases back in the queue.
    """
    if options.max_pages or options.max_articles:
        raise ArchiverError("--max-pages and --max-articles limit one process: give workers "
                            "-s CLOSESPIDER_PAGECOUNT=N or -s CLOSESPIDER_ITEMCOUNT=N instead")
    urls = start_urls(options.urls)
    check_settings(options.settings)
    profile = load_profile(options.profile) if options.profile else None
    frontier = Frontier(connect(redis_url))
    data_dir = options.data_dir.on_this_machine(state_dir)
    with DataDirLock(data_dir, shared=True):
        seed_log = data_dir.new_log_file("seed")
        overrides = {**redis_settings(redis_url), "SCHEDULER": "archiver.distributed.scheduler.SeedScheduler",
                     "ITEM_PIPELINES": {}, "EXTENSIONS": {}, **options.settings}
        settings = crawl_settings(replace(options, urls=urls, data_dir=data_dir, settings=overrides), seed_log)
        requeued = frontier.reap()
        frontier.seed(urls, options.profile.read_text(encoding="utf-8") if options.profile else None,
                      {name: settings.get(name) for name in JOB_SETTINGS})
        stats = launch(settings, NewsSpider, urls=urls, profile=profile).stats
    return SeedSummary(redis_url, urls, int(stats.get("scheduler/enqueued/redis", 0)), requeued,
                       frontier.status(), seed_log)


@dataclass
class WorkerOptions:
    redis_url: str
    data_dir: DataDir
    idle_exit: float = 30.0  #: seconds the shared frontier must stay empty before the worker ends; 0: never
    state_dir: Path | None = None  #: local dir for this machine's crawl state
    concurrency: int | None = None
    workers: int | None = None
    progress: bool = True
    settings: dict[str, object] = field(default_factory=dict)  #: extra Scrapy settings


@dataclass
class WorkerSummary:
    worker: str
    seconds: float
    finish_reason: str
    log_file: Path
    counts: dict[str, int]


def run_worker(options: WorkerOptions) -> WorkerSummary:
    """Crawl from the shared frontier until it has stayed empty for ``idle_exit`` seconds."""
    check_settings(options.settings)
    frontier = Frontier(connect(options.redis_url))
    seeds = wait_for_seeds(frontier, options.idle_exit)
    if not seeds:
        raise ArchiverError(f"nothing is seeded in {redact(options.redis_url)}: "
                            f"run `archiver crawl --redis {redact(options.redis_url)} URL` first")
    data_dir = options.data_dir.on_this_machine(options.state_dir)
    profile = seeded_profile(frontier, data_dir)
    worker = worker_id()
    started = time.monotonic()
    with DataDirLock(data_dir, shared=True):
        worker_log = data_dir.new_log_file(f"worker-{worker}")
        overrides = {**redis_settings(options.redis_url), **frontier.job_settings(),
                     "SCHEDULER": "archiver.distributed.scheduler.LeasingScheduler",
                     "ARCHIVER_REDIS_WORKER_ID": worker, "MAX_IDLE_TIME_BEFORE_CLOSE": options.idle_exit,
                     **options.settings}
        crawl = CrawlOptions(urls=seeds, data_dir=data_dir, concurrency=options.concurrency,
                             workers=options.workers, progress=options.progress, settings=overrides)
        stats = launch(crawl_settings(crawl, worker_log), WorkerSpider, urls=seeds, profile=profile).stats
    return WorkerSummary(worker, time.monotonic() - started, str(stats.get("finish_reason", "unknown")), worker_log,
                         run_counts(stats))


def wait_for_seeds(frontier: Frontier, patience: float) -> list[str]:
    """The seeded start URLs, waiting up to ``patience`` seconds (0: for ever) for a seeding run."""
    deadline = time.monotonic() + patience
    while not (seeds := frontier.seeds()):
        if patience and time.monotonic() >= deadline:
            return []
        time.sleep(SEED_POLL)
    return seeds


def seeded_profile(frontier: Frontier, data_dir: DataDir) -> SiteProfile | None:
    """The seeding run's site profile, read through a local copy (profiles load from files)."""
    text = frontier.profile()
    if text is None:
        return None
    path = data_dir.seeded_profile
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_profile(path)
