"""'Already archived / already claimed' answered from memory: the key filters of the crawl
state and the key store.

A lookup of a URL or content hash never seen (the common case for a link) runs no SQL;
a known one reads its row. Every KeyStore / FetchState of one file in one process shares
one connection and one filter, so a write through one is seen by the others (the archive
thread writes, the spider and the middleware read), and a filter loaded at open knows
what earlier processes wrote. The crawl's duplicate-request filter keeps its fingerprints
the same compact way.
"""

from __future__ import annotations

import random
import sqlite3
import string
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request

from archiver.datadir import DataDir
from archiver.dupefilters import SessionDupeFilter
from archiver.storage.fetchstate import FetchState
from archiver.storage.keyfilter import MERGE_MIN, KeyFilter
from archiver.storage.keystore import KeyStore, KnownArticle

from .scrapy_helpers import crawler_for

PAGE = "https://news.example/2024/05/01/council-votes/"


def remember(state: FetchState, url: str, article_id: str | None = "a1") -> None:
    state.record(url, fetched_at="2024-05-02T08:00:00+00:00", etag='"v1"', last_modified=None,
                 sitemap_lastmod="2024-05-01", content_hash="h1", article_id=article_id)


class Statements:
    """The SQL statements a state file's shared connection runs while this is on."""

    def __init__(self, db: sqlite3.Connection):
        self.seen: list[str] = []
        db.set_trace_callback(self.seen.append)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[FetchState]:
    state = FetchState(DataDir(tmp_path))
    yield state
    state.close()


def test_a_url_never_seen_costs_no_query_and_a_known_one_reads_its_row(state: FetchState) -> None:
    remember(state, PAGE)
    statements = Statements(state.db.db)
    for n in range(200):
        assert state.get(f"https://news.example/2024/05/01/story-{n}/") is None
        assert not state.is_archived(f"https://news.example/tag/{n}/")
    assert statements.seen == []
    known = state.get(PAGE + "?utm_source=feed")  # the key is the cleaned URL
    assert known is not None and known.etag == '"v1"' and state.is_archived(PAGE)
    assert len(statements.seen) == 2  # one row read per lookup of a known URL


def test_every_fetch_state_of_a_file_in_a_process_sees_the_others_writes(tmp_path: Path) -> None:
    spider_side, archive_side = FetchState(DataDir(tmp_path)), FetchState(DataDir(tmp_path))
    try:
        assert spider_side.get(PAGE) is None  # its filter is loaded, and knows nothing yet
        archive_side.begin()  # a batch not yet committed: this process sees it, others do not
        remember(archive_side, PAGE)
        assert spider_side.is_archived(PAGE)
        outside = sqlite3.connect(tmp_path / "state" / "fetches.sqlite")
        assert outside.execute("SELECT count(*) FROM fetches").fetchone()[0] == 0
        archive_side.commit()
        assert outside.execute("SELECT count(*) FROM fetches").fetchone()[0] == 1
        outside.close()
    finally:
        spider_side.close()
        archive_side.close()


def test_the_filter_loaded_at_open_knows_earlier_runs(tmp_path: Path) -> None:
    first = FetchState(DataDir(tmp_path))
    remember(first, PAGE)
    remember(first, PAGE.replace("council", "gone"), article_id=None)  # a 404 noted by the spider
    first.close()
    later = FetchState(DataDir(tmp_path))
    try:
        assert later.is_archived(PAGE)
        gone = later.get(PAGE.replace("council", "gone"))
        assert gone is not None and gone.article_id is None and gone.sitemap_lastmod == "2024-05-01"
        remember(later, PAGE, article_id="a2")  # an upsert keeps the sitemap lastmod it is not given
        later.record(PAGE, fetched_at="2024-06-01T00:00:00+00:00", etag=None, last_modified=None,
                     sitemap_lastmod=None, content_hash="h2", article_id="a2")
        again = later.get(PAGE)
        assert again is not None and again.sitemap_lastmod == "2024-05-01" and again.content_hash == "h2"
    finally:
        later.close()


def test_key_store_lookups_of_unknown_keys_run_no_query(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    keys = KeyStore(data_dir)
    keys.claim(KnownArticle("a1", tmp_path / "articles" / "a1.json", "h1", 3), ["news.example/a", "news.example/b"], ["h1"])
    keys.close()
    keys, reader = KeyStore(data_dir), KeyStore(data_dir)  # the archive thread's and the index pipeline's
    try:
        statements = Statements(keys.db.db)
        assert keys.find_by_urls([f"news.example/new-{n}" for n in range(100)]) is None
        assert keys.find_by_content("h-new") is None
        assert statements.seen == []
        assert keys.find_by_urls(["news.example/new", "news.example/b"]) == "a1"
        assert keys.find_by_content("h1") == "a1"
        keys.claim(KnownArticle("a2", tmp_path / "articles" / "a2.json", "h2", 3), ["news.example/c"], ["h2"])
        assert reader.find_by_urls(["news.example/c"]) == "a2" and reader.find_by_content("h2") == "a2"
    finally:
        keys.close()
        reader.close()


def test_the_key_filter_has_no_false_negatives_across_merges() -> None:
    rng = random.Random(20)
    words = ["".join(rng.choices(string.ascii_lowercase, k=24)) for _ in range(3 * MERGE_MIN)]
    loaded, added = words[:MERGE_MIN], words[MERGE_MIN:]
    keys = KeyFilter(loaded)
    for start in range(0, len(added), 500):
        keys.update(added[start:start + 500])
        assert all(word in keys for word in words[:MERGE_MIN + start + 500])
    assert len(keys) == len(words)
    strangers = ["".join(rng.choices(string.ascii_lowercase, k=25)) for _ in range(2000)]
    assert sum(word in keys for word in strangers) <= 1  # 64-bit hashes: a collision is a rare extra read


def test_the_dupefilter_keeps_a_request_in_a_few_bytes(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    dupes = SessionDupeFilter.from_crawler(crawler)
    urls = [f"https://news.example/2024/05/{n % 28 + 1:02d}/story-{n}/" for n in range(6_000)]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    assert not any(dupes.request_seen(Request(url)) for url in urls)  # each request gone once seen, as in a crawl
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert all(dupes.request_seen(Request(url)) for url in urls[::100])
    assert dupes.request_seen(Request(urls[7] + "#comments"))  # Scrapy's fingerprint: no fragment
    assert not dupes.request_seen(Request(urls[7], method="POST"))
    assert grown / len(urls) < 40, f"{grown / len(urls):.0f} bytes a request"  # Scrapy's set of fingerprints: ~160
