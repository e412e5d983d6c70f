"""Is the search index in step with the store? ``archiver check``, and the check a crawl ends with.

The JSON store is the source of truth; the index and the key store are derived from
it. Each index document carries the version of the record it was made from (a digest
of the fields it indexes), so the check compares ids and versions without re-reading
the index's text:

- records with no document in the index (*missing*),
- documents with no record, such as the id a copy had before it was re-keyed (*orphaned*),
- documents made from another version of their record (*stale*),
- ids with more than one document (*duplicated*),
- key-store entries whose record file is gone (*dangling*).

A repair re-indexes or deletes just those ids and fixes or drops the dangling
entries, then checks again; it does not rebuild the index. A crawl checks only the
ids it touched (:func:`check_touched`), so its cost follows the crawl, not the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import ArticleIndex, record_version

from archiver.datadir import DataDir
from archiver.storage.archive import open_key_store
from archiver.storage.keystore import KeyStore, KnownArticle
from archiver.storage.lock import DataDirLock
from archiver.storage.records import ArticleStore, CorruptRecord
from archiver.storage.rediskeys import RedisKeyStore

#: The kinds of drift, in the order they are reported.
KINDS = ("missing", "orphaned", "stale", "duplicated", "dangling")


@dataclass
class ConsistencyReport:
    """What differs between the store, the key store and the index (empty lists: in step)."""

    records: int = 0  #: records compared (every readable record, or the ids a crawl touched)
    documents: int = 0  #: live index documents among them
    missing: list[str] = field(default_factory=list)  #: records with no index document
    orphaned: list[str] = field(default_factory=list)  #: index documents with no record
    stale: list[str] = field(default_factory=list)  #: index documents made from another version of the record
    duplicated: list[str] = field(default_factory=list)  #: ids with more than one index document
    dangling: list[str] = field(default_factory=list)  #: key-store entries whose record file is gone
    unreadable: list[CorruptRecord] = field(default_factory=list)  #: records that could not be read (not judged)
    repaired: int = 0  #: problems a repair fixed (the lists then hold what is left)

    @property
    def drift(self) -> int:
        """How many ids are out of step."""
        return sum(len(getattr(self, kind)) for kind in KINDS)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"records": self.records, "documents": self.documents, "drift": self.drift,
                                "repaired": self.repaired}
        data.update({kind: getattr(self, kind) for kind in KINDS})
        data["unreadable"] = [f"{c.path}: {c.error}" for c in self.unreadable]
        return data


def compare(expected: Mapping[str, bytes | None], indexed: Mapping[str, list[bytes]],
            known: Mapping[str, KnownArticle], *, records: int) -> ConsistencyReport:
    """The drift between the versions ids should have (None: no document) and what the index holds."""
    report = ConsistencyReport(records=records, documents=sum(len(v) for v in indexed.values()))
    for article_id, version in sorted(expected.items()):
        versions = indexed.get(article_id, [])
        if version is None:
            if versions:
                report.orphaned.append(article_id)
        elif not versions:
            report.missing.append(article_id)
        elif len(versions) > 1:
            report.duplicated.append(article_id)
        elif versions[0] != version:
            report.stale.append(article_id)
    report.dangling = sorted(i for i, entry in known.items() if not entry.path.is_file())
    return report


def check_touched(index: ArticleIndex, keys: KeyStore | RedisKeyStore,
                  expected: Mapping[str, bytes | None]) -> ConsistencyReport:
    """The crawl's end-of-run check: only the ids it stored (version) or re-keyed away (None)."""
    known = {i: entry for i in expected if expected[i] is not None and (entry := keys.article(i)) is not None}
    return compare(expected, index.versions(expected), known, records=len(expected))


def check_archive(data_dir: DataDir | Path, *, repair: bool = False, redis_url: str | None = None) -> ConsistencyReport:
    """Compare every record with the index and the key store; with ``repair``, fix what differs.

    A repair takes the crawl lock, so it never races a crawl's (or a worker's) own updates.
    """
    data_dir = DataDir.of(data_dir)
    if not repair:
        return _check(data_dir, redis_url)[0]
    with DataDirLock(data_dir):
        before, paths = _check(data_dir, redis_url)
        if not before.drift:
            return before
        _repair(data_dir, redis_url, before, paths)
        after = _check(data_dir, redis_url)[0]
    after.repaired = before.drift - after.drift
    return after


def _check(data_dir: DataDir, redis_url: str | None) -> tuple[ConsistencyReport, dict[str, Path]]:
    """The full report, and where each readable record is."""
    store = ArticleStore(data_dir)
    expected: dict[str, bytes | None] = {}
    paths: dict[str, Path] = {}
    unreadable: list[CorruptRecord] = []
    for path in store.paths():
        try:
            record = store.read(path)
        except (OSError, ValueError) as exc:
            unreadable.append(CorruptRecord(path, str(exc)))
            continue
        expected[str(record["id"])] = record_version(record)
        paths[str(record["id"])] = path
    indexed: dict[str, list[bytes]] = {}
    if ArticleIndex.exists(data_dir.index):  # none yet: every record is missing from it
        with ArticleIndex.open(data_dir.index) as index:
            indexed = index.versions()
    skipped = {path.stem for path in (c.path for c in unreadable)}  # unreadable: neither missing nor orphaned
    for article_id in indexed:
        if article_id not in expected and article_id not in skipped:
            expected[article_id] = None
    keys = open_key_store(data_dir, redis_url)
    try:
        known = {entry.id: entry for entry in keys.entries()}
    finally:
        keys.close()
    report = compare(expected, indexed, known, records=len(paths))
    report.unreadable = unreadable
    return report, paths


def _repair(data_dir: DataDir, redis_url: str | None, report: ConsistencyReport, paths: dict[str, Path]) -> None:
    """Re-index or delete the drifted ids; point dangling key-store entries at their record, or drop them."""
    keys = open_key_store(data_dir, redis_url)
    store = ArticleStore(data_dir)
    try:
        for article_id in report.dangling:
            entry = keys.article(article_id)
            if entry is None:
                continue
            if article_id in paths:
                keys.claim(KnownArticle(article_id, paths[article_id], entry.content_hash, entry.quality), [], [],
                           changed=False)
            else:
                keys.forget(article_id)
        reindexed = _reindex_ids(data_dir, store, report.missing + report.stale + report.duplicated, paths,
                                 deleted=report.orphaned)
        keys.mark_indexed(reindexed)
    finally:
        keys.close()


def _reindex_ids(data_dir: DataDir, store: ArticleStore, ids: Iterable[str], paths: dict[str, Path], *,
                 deleted: Iterable[str]) -> list[str]:
    """Upsert these records and delete these ids in one writer; returns the ids re-indexed."""
    done: list[str] = []
    with ArticleIndex.open(data_dir.index, create=True) as index, index.writer() as writer:
        for article_id in deleted:
            writer.delete(article_id)
        for article_id in ids:
            try:
                writer.upsert(store.read(paths[article_id]))
            except (OSError, ValueError):  # changed under us: the re-check reports it
                continue
            done.append(article_id)
    return done
