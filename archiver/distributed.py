"""Distributed crawling on Redis: the shared frontier's bookkeeping and the shared key store.

scrapy-redis keeps the request queue (a sorted set by priority) and the request
fingerprints in Redis. This module adds what a fleet of workers needs around them:

* the seeds (start URLs and the site profile) a worker builds its spider from;
* leases: a worker pops a request *into* its own lease hash in one Lua script and
  releases it when Scrapy is done with it. A worker whose heartbeat key has expired
  (killed, crashed, cut off) leaves its leases behind, and any other worker or the next
  seeding run puts them back in the queue, so no URL is lost;
* :class:`RedisKeyStore`, the dedup keys of :class:`~archiver.dedup.KeyStore` in Redis,
  with locks that keep two workers from both storing one article.

One archive per Redis database (``redis://host:6379/N``). Nothing here imports Scrapy.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from archiver.dedup import KnownArticle
from archiver.errors import ArchiverError

PREFIX = "archiver"
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


def redact(url: str) -> str:
    """The Redis URL without its password, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def connect(url: str, *, decode: bool = False) -> redis.Redis:
    """A client for ``url``, checked with PING; ArchiverError when the server cannot be used."""
    try:
        client = redis.Redis.from_url(url, decode_responses=decode, socket_timeout=30, socket_connect_timeout=10)
        client.ping()
    except ValueError as exc:
        raise ArchiverError(f"bad Redis URL {redact(url)}: {exc}") from None
    except redis.RedisError as exc:
        raise ArchiverError(f"cannot reach Redis at {redact(url)}: {exc}") from None
    return client


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


# -- the shared key store ------------------------------------------------------------

URLS_KEY = f"{PREFIX}:keys:urls"  #: url key → article id
CONTENT_KEY = f"{PREFIX}:keys:content"  #: content hash → article id
ARTICLES_KEY = f"{PREFIX}:keys:articles"  #: article id → {"path", "content_hash", "quality"}
UNINDEXED_KEY = f"{PREFIX}:keys:unindexed"  #: article id → change counter, until indexed
LOCK_PREFIX = f"{PREFIX}:lock:"


def claims_key(article_id: str) -> str:
    """The set of keys an article claimed (``u:<url key>``, ``c:<hash>``), for re-keying."""
    return f"{PREFIX}:keys:of:{article_id}"


#: Take every named lock, or none.
ACQUIRE = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
return 1
"""
RELEASE = """
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
"""
#: Re-key an article: keys naming ARGV[1] now name ARGV[2]; both ids need indexing.
MOVE = """
for _, claim in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  local hash = string.sub(claim, 1, 1) == 'u' and KEYS[1] or KEYS[2]
  local key = string.sub(claim, 3)
  if redis.call('HGET', hash, key) == ARGV[1] then
    redis.call('HSET', hash, key, ARGV[2])
    redis.call('SADD', KEYS[6], claim)
  end
end
redis.call('DEL', KEYS[5])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
redis.call('HINCRBY', KEYS[4], ARGV[2], 1)
"""
#: Clear "not indexed" marks, unless the article changed again since it was read.
MARK_INDEXED = """
for i, key in ipairs(ARGV) do
  if i % 2 == 1 then
    local seen = ARGV[i + 1]
    if seen == '' or redis.call('HGET', KEYS[1], key) == seen then redis.call('HDEL', KEYS[1], key) end
  end
end
"""


class RedisKeyStore:
    """The dedup key store of :class:`~archiver.dedup.KeyStore`, in Redis, shared by every worker.

    Same interface. Claims are MULTI/EXEC transactions; :meth:`hold` serialises the
    dedup decisions that could store one article twice. Record paths are kept relative
    to the data dir, which each machine may mount elsewhere. Articles removed by a
    re-key stay listed as unindexed (without an entry) until the indexer deletes them.
    """

    def __init__(self, client: redis.Redis, data_dir: Path | str, *, lock_timeout: float = 60.0):
        self.client = client
        self.data_dir = Path(data_dir)
        self.lock_timeout = lock_timeout
        self._seen: dict[str, str] = {}  #: change counters as read by unindexed()/removed()
        self._acquire = client.register_script(ACQUIRE)
        self._release = client.register_script(RELEASE)
        self._move = client.register_script(MOVE)
        self._mark = client.register_script(MARK_INDEXED)

    @classmethod
    def from_url(cls, url: str, data_dir: Path | str) -> RedisKeyStore:
        return cls(connect(url, decode=True), data_dir)

    def close(self) -> None:
        self.client.close()

    def find_by_urls(self, keys: list[str]) -> str | None:
        """The article id claimed by the first of these URL keys that has one."""
        if not keys:
            return None
        return next((found for found in self.client.hmget(URLS_KEY, keys) if found), None)

    def find_by_content(self, digest: str) -> str | None:
        return self.client.hget(CONTENT_KEY, digest)

    def article(self, article_id: str) -> KnownArticle | None:
        entry = self.client.hget(ARTICLES_KEY, article_id)
        return self._known(article_id, entry) if entry else None

    def count(self) -> int:
        return int(self.client.hlen(ARTICLES_KEY))

    def claim(self, known: KnownArticle, url_keys: list[str], digests: list[str], *, changed: bool = True) -> None:
        """Record an article and point these keys at it, in one transaction."""
        pipe = self.client.pipeline()
        pipe.hset(ARTICLES_KEY, known.id, self._entry(known))
        if url_keys:
            pipe.hset(URLS_KEY, mapping={k: known.id for k in url_keys})
        if digests:
            pipe.hset(CONTENT_KEY, mapping={d: known.id for d in digests})
        if url_keys or digests:
            pipe.sadd(claims_key(known.id), *(f"u:{k}" for k in url_keys), *(f"c:{d}" for d in digests))
        if changed:
            pipe.hincrby(UNINDEXED_KEY, known.id, 1)
        pipe.execute()

    def move(self, old_id: str, new: KnownArticle) -> None:
        """Re-key an article: every key of ``old_id`` now names ``new.id``."""
        keys = [URLS_KEY, CONTENT_KEY, ARTICLES_KEY, UNINDEXED_KEY, claims_key(old_id), claims_key(new.id)]
        self._move(keys=keys, args=[old_id, new.id, self._entry(new)])

    def unindexed(self) -> list[KnownArticle]:
        """Stored articles whose latest version is not in the index yet."""
        ids = self._pending()
        entries = self.client.hmget(ARTICLES_KEY, ids) if ids else []
        return [self._known(i, entry) for i, entry in zip(ids, entries) if entry]

    def removed(self) -> list[str]:
        """Ids re-keyed away: their documents must leave the index."""
        ids = self._pending()
        entries = self.client.hmget(ARTICLES_KEY, ids) if ids else []
        return [i for i, entry in zip(ids, entries) if not entry]

    def mark_indexed(self, ids: list[str]) -> None:
        """Done with these ids, unless one changed again since :meth:`unindexed` listed it."""
        if ids:
            self._mark(keys=[UNINDEXED_KEY], args=[v for i in ids for v in (i, self._seen.pop(i, ""))])

    @contextlib.contextmanager
    def hold(self, url_keys: list[str], digests: list[str], ids: list[str]) -> Iterator[None]:
        """Lock one page's dedup decision: its URL keys, content hashes and candidate ids,
        and every article those keys name right now.

        Pages that could turn out to be one article share a URL key or a content hash,
        and every change to a stored article happens under its id's lock, so this
        serialises exactly the decisions that could otherwise store it twice. Locks are
        all-or-nothing (no deadlock) and expire after ``lock_timeout`` should a worker
        die holding them.
        """
        token = uuid.uuid4().hex
        own = {f"u:{k}" for k in url_keys} | {f"c:{d}" for d in digests} | {f"a:{i}" for i in ids}
        while True:
            named = self._named(url_keys, digests)
            locks = [LOCK_PREFIX + name for name in sorted(own | {f"a:{i}" for i in named})]
            self._take(locks, token)
            if self._named(url_keys, digests) == named:
                break
            self._release(keys=locks, args=[token])  # a key moved meanwhile: lock its new article too
        try:
            yield
        finally:
            self._release(keys=locks, args=[token])

    def _take(self, locks: list[str], token: str) -> None:
        while not self._acquire(keys=locks, args=[token, int(self.lock_timeout * 1000)]):
            time.sleep(random.uniform(0.002, 0.02))

    def _named(self, url_keys: list[str], digests: list[str]) -> set[str]:
        pipe = self.client.pipeline(transaction=False)
        if url_keys:
            pipe.hmget(URLS_KEY, url_keys)
        if digests:
            pipe.hmget(CONTENT_KEY, digests)
        return {found for values in pipe.execute() for found in values if found}

    def _pending(self) -> list[str]:
        self._seen = self.client.hgetall(UNINDEXED_KEY)
        return sorted(self._seen)

    def _entry(self, known: KnownArticle) -> str:
        path = known.path
        with contextlib.suppress(ValueError):
            path = path.relative_to(self.data_dir)
        return json.dumps({"path": str(path), "content_hash": known.content_hash, "quality": known.quality})

    def _known(self, article_id: str, entry: str) -> KnownArticle:
        data = json.loads(entry)
        return KnownArticle(article_id, self.data_dir / data["path"], data["content_hash"], data["quality"])
