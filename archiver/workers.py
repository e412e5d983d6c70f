"""The processes of a distributed crawl: seeding runs (``archiver crawl --redis``) and workers.

A seeding run puts the start requests of the given sites into the shared queue in Redis
and exits. Workers, on any number of machines, pull requests from that queue, push what
they discover back (scrapy-redis's duplicate filter keeps each URL once per session) and
write records to the shared data dir, where ``archiver index --follow`` indexes them.

Scrapy is plugged in the way scrapy-redis intends, through its scheduler.
:class:`LeasingScheduler` adds what a fleet needs: each popped request is leased to its
worker until Scrapy is done with it, the worker beats a heartbeat, dead workers' leases
go back to the queue, and a worker ends once the whole frontier has stayed empty for
``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds (``--idle-exit``).
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import logging
import os
import secrets
import socket
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.request import request_from_dict
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archiver.config import ENV_STATE_DIR
from archiver.crawl import CrawlOptions, crawl_settings, new_log_file, start_urls
from archiver.distributed import Frontier, FrontierStatus, connect, redact, redis_settings
from archiver.errors import ArchiverError
from archiver.extensions import run_counts
from archiver.lock import DataDirLock
from archiver.profile import SiteProfile, load_profile
from archiver.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

#: Seconds between a worker's heartbeats, lease releases and looks for dead workers.
TICK = 1.0
#: Seconds between looks for a seeding run while a worker waits for one.
SEED_POLL = 0.5
#: Finish reason of a worker that met a site seeded after it started.
NEW_SEEDS = "new_seeds"
#: Crawl options of the seeding run that every worker applies (not per-process limits).
JOB_SETTINGS = ("ARCHIVER_SINCE", "ARCHIVER_UNTIL", "ARCHIVER_NEWEST_FIRST", "ARCHIVER_FULL")


def worker_id() -> str:
    """Unique per process, readable in logs: ``host-pid-random``."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"


def on_allowed_host(request: Request, domains: list[str]) -> bool:
    """Whether the request's host is one of these domains (or under one), as Scrapy's offsite rule has it."""
    host = (urlparse_cached(request).hostname or "").lower()
    names = {(urlsplit(f"//{d}").hostname or "").lower() for d in domains}
    return any(host == name or host.endswith(f".{name}") for name in names if name)


class LeasingScheduler(Scheduler):
    """scrapy-redis's scheduler, leasing each request it pops to this worker until it is done.

    The pop moves the request from the queue into the worker's lease hash in one Lua
    script. Scrapy holds a request object for exactly as long as it works on it
    (download, callback, the pipelines of its items; a retry or redirect is a new
    request, pushed to the queue first), so a finalizer on the object releases the
    lease; releases go out in batches every ``TICK``, and all at once whenever the
    worker is idle. A worker killed mid-crawl leaves its leases behind: once its
    heartbeat (``ARCHIVER_REDIS_WORKER_TTL``) expires, any worker puts them back in the
    queue, and the others wait for that before they call the frontier empty.

    Scrapy's engine looks at an idle scheduler only every few seconds; an idle worker
    hands it the first request another worker pushed itself (through ``engine.crawl``,
    as scrapy-redis's spiders do), within a ``TICK``.
    """

    def __init__(self, server: redis.Redis, **kwargs: Any):
        super().__init__(server, **kwargs)
        self.frontier = Frontier(server)
        self.crawler: Crawler | None = None
        self.worker = worker_id()
        self.ttl = 30
        self.idle_exit = 0.0
        self.leases = itertools.count()
        self.finished: collections.deque[str] = collections.deque()  #: leases whose request Scrapy let go of
        self.stopping = False
        self.idle_since: float | None = None  #: since when the shared frontier has been seen empty
        self.waiting = False  #: idle, and the engine will not ask before its next heartbeat
        self.handed: collections.deque[Request] = collections.deque()  #: leased requests handed to the engine
        self.loop = task.LoopingCall(self.tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasingScheduler:
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.worker = settings.get("ARCHIVER_REDIS_WORKER_ID") or scheduler.worker
        scheduler.ttl = settings.getint("ARCHIVER_REDIS_WORKER_TTL")
        scheduler.idle_exit = settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE")
        scheduler.crawler = crawler
        crawler.signals.connect(scheduler.idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.frontier.register(self.worker, self.ttl)
        self._reap()
        self.loop.start(TICK, now=False)

    def close(self, reason: str) -> None:
        """Scrapy finished every request it took (the engine waits for them), so no lease is left."""
        if self.loop.running:
            self.loop.stop()
        self.frontier.unregister(self.worker)
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        if self.handed and request is self.handed[-1]:
            return True  # leased already: next_request() gives it back
        return super().enqueue_request(request)

    def next_request(self) -> Request | None:
        if self.handed:
            return self.handed.popleft()
        request = self._lease()
        if request is not None:
            self.waiting = False
        return request

    def _lease(self) -> Request | None:
        """Pop the best request from the shared queue, leased to this worker."""
        if self.stopping:
            return None
        lease = str(next(self.leases))
        data = self.frontier.pop(self.worker, lease)
        if data is None:
            return None
        request = request_from_dict(self.queue.serializer.loads(data), spider=self.spider)
        if not on_allowed_host(request, self.spider.allowed_domains) and self._new_seeds():
            self.frontier.give_back(self.worker, [lease])
            self._stop(request.url)
            return None
        weakref.finalize(request, self.finished.append, lease).atexit = False
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.handed) or (not self.stopping and super().has_pending_requests())

    def tick(self) -> None:
        """Heartbeat, release finished leases, requeue dead workers' leases, notice new seeds."""
        try:
            self.frontier.register(self.worker, self.ttl)
            self.frontier.release(self.worker, [self.finished.popleft() for _ in range(len(self.finished))])
            self._reap()
            if not self.stopping and self._new_seeds():
                self._stop(None)
            if self.waiting and (request := self._lease()) is not None:
                self.waiting = False
                self.handed.append(request)
                assert self.crawler is not None and self.crawler.engine is not None
                self.crawler.engine.crawl(request)
            elif self.waiting:
                self._empty_for()
        except redis.RedisError as exc:
            logger.warning("Redis is not answering (%s); trying again", exc)

    def idle(self) -> None:
        """Nothing in progress here: stay while the shared frontier has work, leave once it stayed empty."""
        try:
            self.frontier.release_all(self.worker)
            self.finished.clear()
            if self.stopping:
                raise CloseSpider(NEW_SEEDS)
            empty_for = self._empty_for()
        except redis.RedisError as exc:
            logger.warning("Redis is not answering (%s); trying again", exc)
            raise DontCloseSpider from None
        if not self.idle_exit or empty_for < self.idle_exit:
            self.waiting = True
            raise DontCloseSpider

    def _empty_for(self) -> float:
        """Seconds the shared frontier has been seen empty: nothing queued, nothing leased elsewhere."""
        if self.frontier.has_work(besides=self.worker):
            self.idle_since = None
            return 0.0
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        return now - self.idle_since

    def _reap(self) -> None:
        requeued = self.frontier.reap()
        if requeued:
            logger.warning("Put %d requests of stopped workers back in the shared queue", requeued)
            if self.stats:
                self.stats.inc_value("archiver/distributed/requeued", requeued)

    def _new_seeds(self) -> bool:
        return not set(self.frontier.seeds()) <= set(self.spider.start_urls)

    def _stop(self, url: str | None) -> None:
        self.stopping = True
        logger.warning("Sites were seeded after this worker started%s; it stops to be started again with them",
                       f" ({url})" if url else "")


class SeedScheduler(Scheduler):
    """scrapy-redis's scheduler for a seeding run: requests go into the shared queue, none come out."""

    def next_request(self) -> Request | None:
        return None

    def has_pending_requests(self) -> bool:
        return False


class WorkerSpider(NewsSpider):
    """The news spider in a worker: the seeding run made the start requests, the queue hands them out."""

    async def start(self) -> AsyncIterator[Request]:
        for request in ():
            yield request


# -- the library behind the commands ---------------------------------------------------


def default_state_dir(data_dir: Path) -> Path:
    """This machine's crawl state for the archive at ``data_dir``, on local disk."""
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "news-archiver" / hashlib.sha1(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:12]


def use_state_dir(state_dir: Path | None, data_dir: Path) -> Path:
    """Keep this process's crawl state (``fetches.sqlite``) on local disk, never on the shared data dir."""
    path = state_dir or Path(os.environ.get(ENV_STATE_DIR) or default_state_dir(data_dir))
    os.environ[ENV_STATE_DIR] = str(path)
    return path


@dataclass
class SeedSummary:
    redis_url: str
    sites: list[str]
    queued: int  #: start requests this run added to the queue
    requeued: int  #: requests of dead workers put back in the queue
    status: FrontierStatus
    log_file: Path

    def describe(self, data_dir: Path) -> str:
        """What a user reads after seeding."""
        url = redact(self.redis_url)
        lines = [f"Seeded {self.queued} start requests for {', '.join(self.sites)} into {url}."]
        if self.requeued:
            lines.append(f"Put {self.requeued} requests of stopped workers back in the queue.")
        lines.append(f"Shared queue: {self.status.queued} requests waiting, {self.status.in_flight} in flight, "
                     f"{self.status.workers} workers running.   Log: {self.log_file}")
        if not self.status.workers:
            lines.append(f"Start workers with: archiver worker --redis {url} --data-dir {data_dir}")
        return "\n".join(lines)


def seed_crawl(options: CrawlOptions, redis_url: str) -> SeedSummary:
    """Put the start requests of ``options.urls`` into the shared queue; the workers crawl.

    Also starts a new crawl session (the fingerprints are forgotten, so the sites are
    discovered again) and puts dead workers' leases back in the queue.
    """
    if options.max_pages or options.max_articles:
        raise ArchiverError("--max-pages and --max-articles limit one process: give workers "
                            "-s CLOSESPIDER_PAGECOUNT=N or -s CLOSESPIDER_ITEMCOUNT=N instead")
    urls = start_urls(options.urls)
    profile = load_profile(options.profile) if options.profile else None
    frontier = Frontier(connect(redis_url))
    use_state_dir(None, options.data_dir)
    with DataDirLock(options.data_dir, shared=True):
        seed_log = new_log_file(options.data_dir, "seed")
        overrides = {**redis_settings(redis_url), "SCHEDULER": "archiver.workers.SeedScheduler",
                     "ITEM_PIPELINES": {}, "EXTENSIONS": {}, **options.settings}
        settings = crawl_settings(replace(options, urls=urls, settings=overrides), seed_log)
        requeued = frontier.reap()
        frontier.seed(urls, options.profile.read_text(encoding="utf-8") if options.profile else None,
                      {name: settings.get(name) for name in JOB_SETTINGS})
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, urls=urls, profile=profile)
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return SeedSummary(redis_url, urls, int(stats.get("scheduler/enqueued/redis", 0)), requeued,
                       frontier.status(), seed_log)


@dataclass
class WorkerOptions:
    redis_url: str
    data_dir: Path
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

    def describe(self) -> str:
        """The end-of-run summary a user reads."""
        c = self.counts
        lines = [
            f"Worker {self.worker} crawled {c['pages']} pages in {self.seconds:.1f} s: {c['articles']} new articles, "
            f"{c['updated']} updated, {c['merged']} duplicate addresses merged, {c['rejected']} pages not archived, "
            f"{c['errors']} errors.   Log: {self.log_file}",
        ]
        if self.finish_reason == "finished":
            lines.append("The shared frontier is empty.")
        elif self.finish_reason == NEW_SEEDS:
            lines.append("Sites were seeded after this worker started: start it again to crawl them too.")
        else:
            lines.append(f"The worker stopped early ({self.finish_reason}); what it did not finish stays in the queue.")
        return "\n".join(lines)


def run_worker(options: WorkerOptions) -> WorkerSummary:
    """Crawl from the shared frontier until it has stayed empty for ``idle_exit`` seconds."""
    frontier = Frontier(connect(options.redis_url))
    seeds = wait_for_seeds(frontier, options.idle_exit)
    if not seeds:
        raise ArchiverError(f"nothing is seeded in {redact(options.redis_url)}: "
                            f"run `archiver crawl --redis {redact(options.redis_url)} URL` first")
    state_dir = use_state_dir(options.state_dir, options.data_dir)
    profile = seeded_profile(frontier, state_dir)
    worker = worker_id()
    started = time.monotonic()
    with DataDirLock(options.data_dir, shared=True):
        worker_log = new_log_file(options.data_dir, f"worker-{worker}")
        overrides = {**redis_settings(options.redis_url), **frontier.job_settings(),
                     "SCHEDULER": "archiver.workers.LeasingScheduler", "ARCHIVER_REDIS_WORKER_ID": worker,
                     "MAX_IDLE_TIME_BEFORE_CLOSE": options.idle_exit, **options.settings}
        crawl = CrawlOptions(urls=seeds, data_dir=options.data_dir, concurrency=options.concurrency,
                             workers=options.workers, progress=options.progress, settings=overrides)
        process = CrawlerProcess(crawl_settings(crawl, worker_log))
        crawler = process.create_crawler(WorkerSpider)
        process.crawl(crawler, urls=seeds, profile=profile)
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
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


def seeded_profile(frontier: Frontier, state_dir: Path) -> SiteProfile | None:
    """The seeding run's site profile, read through a local copy (profiles load from files)."""
    text = frontier.profile()
    if text is None:
        return None
    path = state_dir / "seeded-profile.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_profile(path)

