"""The single index writer of a distributed crawl: the library behind ``archiver index``.

Whoosh allows one writer per index, so workers store records but never index them.
Every record a worker stores or changes is listed as not yet indexed in the shared key
store (:class:`~archiver.distributed.RedisKeyStore`); one indexer process indexes what
is listed, deletes documents of articles that were re-keyed, and clears the list after
each commit, unless a record changed again meanwhile (then it is indexed again on the
next pass). ``--follow`` keeps polling as records land; ``archiver reindex`` rebuilds
the whole index from the store instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index import ArticleIndex

from archiver.distributed import RedisKeyStore
from archiver.store import ArticleStore, CorruptRecord

logger = logging.getLogger(__name__)


@dataclass
class IndexResult:
    indexed: int = 0
    removed: int = 0
    unreadable: list[CorruptRecord] = field(default_factory=list)  #: records left listed, reported once each


def index_pending(keys: RedisKeyStore, index: ArticleIndex, store: ArticleStore, reported: set[Path], *,
                  batch_size: int = 500) -> IndexResult:
    """One pass: index every listed record, delete re-keyed ids, commit every ``batch_size``."""
    result = IndexResult()
    removed = keys.removed()
    pending = keys.unindexed()
    if not removed and not pending:
        return result
    uncommitted: list[str] = []

    def committed() -> None:
        keys.mark_indexed(uncommitted)
        uncommitted.clear()

    writer = index.writer(batch_size=batch_size, on_commit=committed)
    try:
        for article_id in removed:
            uncommitted.append(article_id)
            writer.delete(article_id)
            result.removed += 1
        for known in pending:
            try:
                record = store.read(known.path)
            except (OSError, ValueError) as exc:  # moved meanwhile (listed again), or unreadable
                if known.path not in reported:
                    reported.add(known.path)
                    result.unreadable.append(CorruptRecord(known.path, str(exc)))
                continue
            uncommitted.append(known.id)
            writer.upsert(record)
            result.indexed += 1
    finally:
        writer.close()
    return result


def follow_index(data_dir: Path, redis_url: str, *, follow: bool = False, poll: float = 2.0,
                 echo: Callable[[str], None] | None = None) -> IndexResult:
    """Index what workers stored; with ``follow``, keep polling every ``poll`` seconds until interrupted."""
    keys = RedisKeyStore.from_url(redis_url, data_dir)
    index = ArticleIndex.open(data_dir / "index", create=True)
    store = ArticleStore(data_dir)
    total = IndexResult()
    reported: set[Path] = set()
    try:
        while True:
            done = index_pending(keys, index, store, reported)
            total.indexed += done.indexed
            total.removed += done.removed
            total.unreadable += done.unreadable
            if not follow:
                return total
            for problem in done.unreadable:
                logger.warning("Skipped unreadable record %s: %s", problem.path, problem.error)
            if echo is not None and (done.indexed or done.removed):
                echo(f"{time.strftime('%H:%M:%S')} indexed {done.indexed} articles, removed {done.removed}")
            time.sleep(poll)
    finally:
        index.close()
        keys.close()
