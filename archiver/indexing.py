"""The archive's search index: searching it, rebuilding it, and feeding it what workers stored.

The Whoosh engine is the top-level :mod:`index` package, which knows nothing of the
archive; this module connects it to the data dir. A single-machine crawl indexes as it
stores (:class:`~archiver.pipelines.index.IndexPipeline`); a distributed crawl has one
``archiver index --follow`` process (:func:`follow_index`); ``archiver reindex``
rebuilds everything from the JSON store (:func:`reindex_archive`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from index import ArticleIndex, SearchResults, rebuild

from archiver.datadir import DataDir
from archiver.shutdown import interrupted_by_stop_signals
from archiver.storage.records import ArticleStore, CorruptRecord
from archiver.storage.rediskeys import RedisKeyStore

logger = logging.getLogger(__name__)


def open_index(data_dir: DataDir | Path) -> ArticleIndex:
    """The archive's index, or a one-line error that says how to build it."""
    return ArticleIndex.open(DataDir.of(data_dir).index)


@contextlib.contextmanager
def index_for(data_dir: DataDir | Path, index: ArticleIndex | None = None) -> Iterator[ArticleIndex]:
    """``index`` when a long-lived caller keeps one open (a server: reading the arrays of a large
    index costs far more than a search), else the archive's index, open for this call only."""
    if index is not None:
        yield index
        return
    with open_index(data_dir) as opened:
        yield opened


def search_archive(
    data_dir: DataDir | Path,
    query: str,
    *,
    site: str | None = None,
    author: str | None = None,
    credit: str | None = None,
    since: date | None = None,
    until: date | None = None,
    sort: str = "relevance",
    limit: int = 10,
    page: int = 1,
    changed: bool = False,
    index: ArticleIndex | None = None,
) -> SearchResults:
    """Run one query against the archive's index (or ``index``, kept open by the caller)."""
    with index_for(data_dir, index) as index:
        return index.search(query, site=site, author=author, credit=credit, since=since, until=until, sort=sort,
                            limit=limit, page=page, changed=changed)


@dataclass
class ReindexResult:
    indexed: int
    corrupt: list[CorruptRecord] = field(default_factory=list)


def reindex_archive(data_dir: DataDir | Path, progress: Callable[[int], None] | None = None) -> ReindexResult:
    """Rebuild the index from the JSON store alone (unreadable records are skipped and listed)."""
    data_dir = DataDir.of(data_dir)
    corrupt: list[CorruptRecord] = []
    count = rebuild(data_dir.index, ArticleStore(data_dir).iter_records(corrupt), progress=progress)
    return ReindexResult(count, corrupt)


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


def follow_index(data_dir: DataDir | Path, redis_url: str, *, follow: bool = False, poll: float = 2.0,
                 progress: Callable[[IndexResult], None] | None = None) -> IndexResult:
    """Index what workers stored; with ``follow``, keep polling every ``poll`` seconds until interrupted
    (``progress`` hears of every pass that changed something)."""
    data_dir = DataDir.of(data_dir)
    keys = RedisKeyStore.from_url(redis_url, data_dir)
    index = ArticleIndex.open(data_dir.index, create=True)
    store = ArticleStore(data_dir)
    total = IndexResult()
    reported: set[Path] = set()
    stopping = interrupted_by_stop_signals() if follow else contextlib.nullcontext()
    try:
        with stopping:
            while True:
                done = index_pending(keys, index, store, reported)
                total.indexed += done.indexed
                total.removed += done.removed
                total.unreadable += done.unreadable
                if not follow:
                    return total
                for problem in done.unreadable:
                    logger.warning("Skipped unreadable record %s: %s", problem.path, problem.error)
                if progress is not None and (done.indexed or done.removed):
                    progress(done)
                time.sleep(poll)
    finally:
        index.close()
        keys.close()
