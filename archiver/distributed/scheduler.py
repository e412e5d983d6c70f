"""The Scrapy schedulers of a distributed crawl: a worker's (leasing) and a seeding run's.

Scrapy is plugged in the way scrapy-redis intends, through its scheduler.
:class:`LeasingScheduler` adds what a fleet needs: each popped request is leased to its
worker until Scrapy is done with it, the worker beats a heartbeat, dead workers' leases
go back to the queue, and a worker ends once the whole frontier has stayed empty for
``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds (``--idle-exit``).
"""

from __future__ import annotations

import collections
import itertools
import logging
import os
import secrets
import socket
import time
import weakref
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.request import request_from_dict
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archiver.distributed import NEW_SEEDS
from archiver.distributed.frontier import Frontier

logger = logging.getLogger(__name__)

#: Seconds between a worker's heartbeats, lease releases and looks for dead workers.
TICK = 1.0


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
