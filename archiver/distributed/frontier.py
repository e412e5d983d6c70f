"""The shared frontier of a distributed crawl, in Redis: seeds, leases and recovery.

scrapy-redis keeps the request queue (a sorted set by priority) and the request
fingerprints in Redis. This module adds what a fleet of workers needs around them:

* the seeds (start URLs and the site profile) a worker builds its spider from;
* leases: a worker pops a request *into* its own lease hash in one Lua script and
  releases it when Scrapy is done with it. A worker whose heartbeat key has expired
  (killed, crashed, cut off) leaves its leases behind, and any other worker or the next
  seeding run puts them back in the queue, so no URL is lost.

The dedup keys the workers share are in :mod:`archiver.storage.rediskeys`. One archive
per Redis database (``redis://host:6379/N``). Nothing here imports Scrapy.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import redis

from archiver.redisclient import PREFIX

QUEUE_KEY = f"{PREFIX}:requests"  #: scrapy-redis's priority queue (sorted set of pickled requests)
DUPEFILTER_KEY = f"{PREFIX}:dupefilter"  #: scrapy-redis's request fingerprints
SEEDS_KEY = f"{PREFIX}:seeds"
PROFILE_KEY = f"{PREFIX}:profile"
JOB_SETTINGS_KEY = f"{PREFIX}:settings"
WORKERS_KEY = f"{PREFIX}:workers"

#: Pop the best request into the worker's lease hash, with its score: ``score|request``.
POP = """
local item = redis.call('ZPOPMIN', KEYS[1])
if #item == 0 then return false end
redis.call('HSET', KEYS[2], ARGV[1], item[2] .. '|' .. item[1])
return item[1]
"""
#: Put a worker's leases (all of them, or those named in ARGV) back in the queue.
GIVE_BACK = """
local leases = #ARGV > 0 and redis.call('HMGET', KEYS[1], unpack(ARGV)) or redis.call('HVALS', KEYS[1])
local n = 0
for _, lease in ipairs(leases) do
  if lease then
    local bar = string.find(lease, '|', 1, true)
    redis.call('ZADD', KEYS[2], string.sub(lease, 1, bar - 1), string.sub(lease, bar + 1))
    n = n + 1
  end
end
if #ARGV > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV)) else redis.call('DEL', KEYS[1]) end
return n
"""
#: A worker whose heartbeat expired: its leases back in the queue, itself off the list.
REAP = """
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local n = 0
for _, lease in ipairs(redis.call('HVALS', KEYS[1])) do
  local bar = string.find(lease, '|', 1, true)
  redis.call('ZADD', KEYS[2], string.sub(lease, 1, bar - 1), string.sub(lease, bar + 1))
  n = n + 1
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
return n
"""


def redis_settings(url: str) -> dict[str, object]:
    """The Scrapy settings every process of a distributed crawl shares (the scheduler is the caller's)."""
    return {
        "REDIS_URL": url,
        "ARCHIVER_REDIS_URL": url,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
        "SCHEDULER_PERSIST": True,
        "JOBDIR": "",  # the frontier lives in Redis
        "ARCHIVER_INDEX_ENABLED": False,  # one `archiver index --follow` process writes the index
        "ARCHIVER_TEMP_FILE_MAX_AGE": 3600,  # other workers' temp files are writes in progress
    }


def heartbeat_key(worker: str) -> str:
    return f"{PREFIX}:worker:{worker}"


def leases_key(worker: str) -> str:
    return f"{PREFIX}:leases:{worker}"


@dataclass
class FrontierStatus:
    queued: int  #: requests waiting in the queue
    in_flight: int  #: requests leased to workers
    workers: int  #: workers whose heartbeat is alive


class Frontier:
    """The shared frontier in Redis: seeds, leases, worker heartbeats and recovery.

    Uses a client without response decoding (queued requests are pickles).
    """

    def __init__(self, client: redis.Redis):
        self.client = client
        self._pop = client.register_script(POP)
        self._give_back = client.register_script(GIVE_BACK)
        self._reap = client.register_script(REAP)

    # -- seeds ----------------------------------------------------------------------

    def seed(self, urls: list[str], profile: str | None, settings: dict[str, object]) -> None:
        """Start a crawl session: add the start URLs, set the profile and the crawl options every
        worker applies (``--since``, ``--full``...), and forget the fingerprints.

        Forgetting the fingerprints lets this run discover every page again (what is
        unchanged costs a conditional request or is merged as unchanged), which also
        finds anything a worker lost in an earlier run.
        """
        pipe = self.client.pipeline()
        pipe.delete(DUPEFILTER_KEY)
        pipe.sadd(SEEDS_KEY, *urls)
        if profile is None:
            pipe.delete(PROFILE_KEY)
        else:
            pipe.set(PROFILE_KEY, profile.encode("utf-8"))
        pipe.set(JOB_SETTINGS_KEY, json.dumps(settings).encode("utf-8"))
        pipe.execute()

    def seeds(self) -> list[str]:
        return sorted(url.decode("utf-8") for url in self.client.smembers(SEEDS_KEY))

    def job_settings(self) -> dict[str, object]:
        """The Scrapy settings of the latest seeding run that apply to the whole crawl."""
        value = self.client.get(JOB_SETTINGS_KEY)
        return json.loads(value) if value else {}

    def profile(self) -> str | None:
        """The site profile (TOML text) of the latest seeding run, if it had one."""
        value = self.client.get(PROFILE_KEY)
        return value.decode("utf-8") if value is not None else None

    # -- leases ---------------------------------------------------------------------

    def register(self, worker: str, ttl: int) -> None:
        """Announce ``worker`` alive for ``ttl`` seconds (called again as its heartbeat)."""
        pipe = self.client.pipeline()
        pipe.set(heartbeat_key(worker), str(time.time()), ex=ttl)
        pipe.sadd(WORKERS_KEY, worker)
        pipe.execute()

    def unregister(self, worker: str) -> None:
        """A worker that stopped cleanly: it finished every request it leased."""
        pipe = self.client.pipeline()
        pipe.delete(leases_key(worker), heartbeat_key(worker))
        pipe.srem(WORKERS_KEY, worker)
        pipe.execute()

    def pop(self, worker: str, lease: str) -> bytes | None:
        """The best queued request, now leased to ``worker`` under ``lease``."""
        return self._pop(keys=[QUEUE_KEY, leases_key(worker)], args=[lease])

    def release(self, worker: str, leases: list[str]) -> None:
        """``worker`` is done with these requests."""
        if leases:
            self.client.hdel(leases_key(worker), *leases)

    def release_all(self, worker: str) -> None:
        self.client.delete(leases_key(worker))

    def give_back(self, worker: str, leases: list[str]) -> int:
        """Return leased requests to the queue unprocessed."""
        return int(self._give_back(keys=[leases_key(worker), QUEUE_KEY], args=leases))

    def reap(self) -> int:
        """Put the leases of every worker whose heartbeat expired back in the queue; how many."""
        requeued = 0
        for member in self.client.smembers(WORKERS_KEY):
            worker = member.decode("utf-8")
            keys = [leases_key(worker), QUEUE_KEY, heartbeat_key(worker), WORKERS_KEY]
            requeued += max(0, int(self._reap(keys=keys, args=[worker])))
        return requeued

    def has_work(self, *, besides: str) -> bool:
        """True while requests are queued, or leased to a worker other than ``besides``
        (it may still push more, or die and have its leases put back)."""
        if self.client.zcard(QUEUE_KEY):
            return True
        others = [m.decode("utf-8") for m in self.client.smembers(WORKERS_KEY)]
        return any(self.client.hlen(leases_key(w)) for w in others if w != besides)

    def status(self) -> FrontierStatus:
        workers = [m.decode("utf-8") for m in self.client.smembers(WORKERS_KEY)]
        return FrontierStatus(
            queued=int(self.client.zcard(QUEUE_KEY)),
            in_flight=sum(int(self.client.hlen(leases_key(w))) for w in workers),
            workers=sum(int(self.client.exists(heartbeat_key(w))) for w in workers),
        )
