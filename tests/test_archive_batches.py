"""Grouped fsyncs: the archive makes a batch of records durable together, and a crash
never leaves a torn record or a key pointing at a missing file.

The library test holds a batch open and looks at the data dir from outside (another
SQLite connection, the file system) before and after the flush. The crawl test kills
``archiver crawl`` (kill -9) while a batch's captures are written but its records are not,
then checks the store, the key store (``archiver check``) and the crawl state, and that a
rerun archives everything once.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from archiver.datadir import DataDir
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.extraction import extract
from archiver.items import Extraction, FetchedPage
from archiver.storage.archive import Archive, Outcome
from archiver.storage.fetchstate import FetchState

from .conftest import invoke, load_records, run_cli, start_cli, wait_for_records
from .hostile_site import Article, article_html, paragraphs

SITE = "https://news.example"


def page_of(article: Article, url: str | None = None) -> tuple[FetchedPage, Extraction]:
    url = url or SITE + article.path
    page = FetchedPage(url=url, final_url=url, status=200, body=article_html(article).encode(),
                       headers={"content-type": "text/html; charset=utf-8"}, encoding="utf-8", found_via="sitemap",
                       fetched_at="2024-05-02T08:00:00+00:00")
    extraction = extract(page)
    assert isinstance(extraction, Extraction)
    return page, extraction


def committed(db: Path, sql: str) -> int:
    outside = sqlite3.connect(db)
    try:
        return outside.execute(sql).fetchone()[0]
    finally:
        outside.close()


def test_a_batch_is_durable_only_at_its_flush_files_first(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    archive, state = Archive(data_dir), FetchState(data_dir)
    try:
        assert archive.begin()
        state.begin()
        stories = [Article(f"/2024/05/0{n}/story-{n}/", f"Story number {n} of the council", paragraphs(n))
                   for n in range(1, 4)]
        results = [archive.ingest(*page_of(story)) for story in stories]
        for result in results:
            state.record(result.record.url, fetched_at="2024-05-02T08:00:00+00:00", etag=None, last_modified=None,
                         sitemap_lastmod=None, content_hash=result.record.content_hash, article_id=result.record.id)
        # the same story again, at another address: merged into the pending record, read back from memory
        merged = archive.ingest(*page_of(stories[0], url=SITE + stories[0].path + "?amp=1"))
        assert merged.outcome is Outcome.MERGED and len(merged.record.urls) == 2
        assert [r.outcome for r in results] == [Outcome.NEW] * 3
        assert load_records(tmp_path) == []  # nothing on disk yet...
        assert committed(data_dir.keys_db, "SELECT count(*) FROM articles") == 0  # ...and no key names it
        assert committed(data_dir.fetches_db, "SELECT count(*) FROM fetches") == 0
        warc = sum(p.stat().st_size for p in data_dir.warc_files())
        assert warc > 0  # captures are written (readable) before the flush, fsynced by it
        archive.flush(state)
        records = load_records(tmp_path)
        assert sorted(r["id"] for r in records) == sorted(r.record.id for r in results)
        assert next(r for r in records if r["id"] == merged.record.id)["urls"] == merged.record.urls
        assert committed(data_dir.keys_db, "SELECT count(*) FROM articles") == 3
        assert committed(data_dir.fetches_db, "SELECT count(*) FROM fetches") == 3
        assert not [p for p in (tmp_path / "articles").rglob("*") if p.is_file() and p.suffix != ".json"]
    finally:
        archive.close()
        state.close()


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_batch_leaves_no_torn_record_nor_dangling_key(tmp_path: Path) -> None:
    site = DemoSite(articles=120, seed=21)
    data_dir = tmp_path / "archive"
    with DemoServer(site) as server:
        # batches flushed by count only, so the kill lands inside one
        crawl = start_cli("crawl", server.url, "--data-dir", data_dir, "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=20",
                          "-s", "ARCHIVER_ARCHIVE_BATCH_SECONDS=600", start_new_session=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_records(data_dir, 20, crawl)
            warc = warc_bytes(data_dir)
            deadline = time.monotonic() + 60
            while warc_bytes(data_dir) < warc + 30_000 and time.monotonic() < deadline and crawl.poll() is None:
                time.sleep(0.02)  # the next batch's captures are being written, its records are not
        finally:
            crawl.send_signal(signal.SIGKILL)
            crawl.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(crawl.pid, signal.SIGKILL)  # its extraction workers
        records = load_records(data_dir)  # every record file parses
        assert 20 <= len(records) < len(site.articles)
        check = invoke("check", "--json", "--data-dir", data_dir)
        report = json.loads(check.stdout)
        assert report["dangling"] == [] and report["orphaned"] == [], report
        ids = {r["id"] for r in records}
        fetches = sqlite3.connect(data_dir / "state" / "fetches.sqlite")
        noted = {row[0] for row in fetches.execute("SELECT article_id FROM fetches WHERE article_id IS NOT NULL")}
        fetches.close()
        assert noted <= ids  # the crawl state never says archived for an article the store lacks

        rerun = run_cli("crawl", server.url, "--data-dir", data_dir)
        assert rerun.returncode == 0, rerun.stderr
        urls = Counter(r["url"] for r in load_records(data_dir))
        assert set(urls) == {server.base_url + a.path for a in site.articles} and max(urls.values()) == 1
        after = json.loads(invoke("check", "--json", "--data-dir", data_dir).stdout)
        assert after["drift"] == 0, after
        assert not list((data_dir / "articles").rglob(".*.tmp"))


def warc_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in DataDir(data_dir).warc_files()) if (data_dir / "warc").is_dir() else 0

