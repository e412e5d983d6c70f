"""The dedup key store in Redis, shared by every worker of a distributed crawl.

Same interface as :class:`~archiver.storage.keystore.KeyStore`, with locks that keep two
workers from both storing one article. One archive per Redis database.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from archiver.datadir import DataDir
from archiver.redisclient import PREFIX, connect
from archiver.storage.keystore import KnownArticle

if TYPE_CHECKING:
    import redis  # an optional extra; the client comes from archiver.redisclient.connect

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
#: Drop an article and every key naming it.
FORGET = """
for _, claim in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  local hash = string.sub(claim, 1, 1) == 'u' and KEYS[1] or KEYS[2]
  local key = string.sub(claim, 3)
  if redis.call('HGET', hash, key) == ARGV[1] then redis.call('HDEL', hash, key) end
end
redis.call('DEL', KEYS[5])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
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
    """The dedup key store of :class:`~archiver.storage.dedup.KeyStore`, in Redis, shared by every worker.

    Same interface. Claims are MULTI/EXEC transactions; :meth:`hold` serialises the
    dedup decisions that could store one article twice. Record paths are kept relative
    to the data dir, which each machine may mount elsewhere. Articles removed by a
    re-key stay listed as unindexed (without an entry) until the indexer deletes them.
    """

    def __init__(self, client: redis.Redis, data_dir: DataDir | Path | str, *, lock_timeout: float = 60.0):
        self.client = client
        self.data_dir = DataDir.of(data_dir)
        self.lock_timeout = lock_timeout
        self._seen: dict[str, str] = {}  #: change counters as read by unindexed()/removed()
        self._acquire = client.register_script(ACQUIRE)
        self._release = client.register_script(RELEASE)
        self._move = client.register_script(MOVE)
        self._mark = client.register_script(MARK_INDEXED)
        self._forget = client.register_script(FORGET)

    @classmethod
    def from_url(cls, url: str, data_dir: DataDir | Path | str) -> RedisKeyStore:
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

    def entries(self) -> Iterator[KnownArticle]:
        """Every article the key store knows (for consistency checks)."""
        for article_id, entry in sorted(self.client.hscan_iter(ARTICLES_KEY)):
            yield self._known(article_id, entry)

    def forget(self, article_id: str) -> None:
        """Drop an article and every key naming it (its record is gone from the store)."""
        self._forget(keys=[URLS_KEY, CONTENT_KEY, ARTICLES_KEY, UNINDEXED_KEY, claims_key(article_id)],
                     args=[article_id])

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
        path = self.data_dir.relative(known.path)
        return json.dumps({"path": str(path), "content_hash": known.content_hash, "quality": known.quality})

    def _known(self, article_id: str, entry: str) -> KnownArticle:
        data = json.loads(entry)
        return KnownArticle(article_id, self.data_dir.absolute(data["path"]), data["content_hash"], data["quality"])
