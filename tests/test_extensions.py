"""The crawl's extensions in this process, driven by the signals the engine would send.

The data-dir lock (``archiver/extensions/lock.py``), the disk guard (``diskguard.py``), the
run log (``runlog.py``), the progress line (``progress.py``) and the saved frontier
(``frontier.py``).
"""

from __future__ import annotations

import errno
import io
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from archiver.errors import DataDirError
from archiver.extensions.diskguard import DataDirGuard
from archiver.extensions.frontier import SavedFrontier
from archiver.extensions.lock import CrawlLock
from archiver.extensions.progress import ProgressLine
from archiver.extensions.runlog import RunLog
from archiver.items import Article, StoredArticle
from archiver.storage.lock import DataDirLock

from .conftest import locked_by_another_process
from .scrapy_helpers import close_spider, crawler_for, open_spider

# -- the data-dir lock -------------------------------------------------------------------------


def test_crawl_lock_is_held_until_the_engine_stops(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    extension = CrawlLock.from_crawler(crawler)  # kept, as the extension manager keeps it (signals hold weak refs)
    with pytest.raises(DataDirError, match=f"another crawl \\(pid {os.getpid()}\\) is running on {tmp_path}"):
        DataDirLock(tmp_path).acquire()
    crawler.signals.send_catch_log(signals.engine_stopped)
    with DataDirLock(tmp_path):  # released
        assert extension.lock.fd is None


def test_crawl_lock_stands_aside_when_archiver_crawl_took_it(tmp_path: Path) -> None:
    with DataDirLock(tmp_path):
        with pytest.raises(NotConfigured):
            CrawlLock.from_crawler(crawler_for(tmp_path))


def test_crawl_lock_refuses_a_data_dir_another_process_crawls(tmp_path: Path) -> None:
    with locked_by_another_process(tmp_path) as crawling:
        with pytest.raises(DataDirError, match=f"another crawl \\(pid {crawling}\\)"):
            CrawlLock.from_crawler(crawler_for(tmp_path))


# -- the disk guard ----------------------------------------------------------------------------


class Engine:
    """Stands in for the engine: records how the guard asked it to stop."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def close_spider_async(self, *, reason: str) -> None:
        self.reasons.append(reason)


def guarded(tmp_path: Path, free_mb_needed: float) -> tuple[DataDirGuard, Engine]:
    crawler = crawler_for(tmp_path, ARCHIVER_MIN_FREE_MB=free_mb_needed, ARCHIVER_DISK_CHECK_INTERVAL=3600)
    engine = Engine()
    crawler.engine = engine
    return DataDirGuard.from_crawler(crawler), engine


def test_disk_guard_stops_the_crawl_when_free_space_is_short(tmp_path: Path) -> None:
    guard, engine = guarded(tmp_path, free_mb_needed=10**12)
    spider = Spider("news")
    open_spider(guard.crawler, spider)  # checks at once, then every ARCHIVER_DISK_CHECK_INTERVAL
    assert engine.reasons == ["data_dir_error"]
    message = guard.crawler.stats.get_value("archiver/data_dir_error")
    assert message.startswith("only ") and "ARCHIVER_MIN_FREE_MB=1e+12" in message and str(tmp_path) in message
    guard.check()
    assert engine.reasons == ["data_dir_error"]  # asked once
    close_spider(guard.crawler, spider)
    assert not guard.loop.running


def test_disk_guard_leaves_a_crawl_with_room_alone(tmp_path: Path) -> None:
    guard, engine = guarded(tmp_path, free_mb_needed=0)
    spider = Spider("news")
    open_spider(guard.crawler, spider)
    assert guard.loop.running and engine.reasons == []
    assert guard.crawler.stats.get_value("archiver/data_dir_error") is None
    close_spider(guard.crawler, spider)
    assert not guard.loop.running


@pytest.mark.parametrize(("error", "stops"), [
    (OSError(errno.ENOSPC, "No space left on device"), True),
    (OSError(errno.EROFS, "Read-only file system"), True),
    (DataDirError("cannot write the record"), True),
    (OSError(errno.ECONNRESET, "Connection reset"), False),
    (ValueError("a bug in a pipeline"), False),
])
def test_disk_guard_stops_on_items_that_failed_to_be_written(tmp_path: Path, error: Exception, stops: bool) -> None:
    guard, engine = guarded(tmp_path, free_mb_needed=0)
    guard.crawler.signals.send_catch_log(signals.item_error, item={}, response=None, spider=Spider("news"),
                                         failure=Failure(error))
    assert engine.reasons == (["data_dir_error"] if stops else [])
    if stops:
        assert guard.crawler.stats.get_value("archiver/data_dir_error") == f"cannot write to {tmp_path}: {error}"


# -- the run log -------------------------------------------------------------------------------


def stored(site: str, n: int, *, words: int = 60, authors: tuple[str, ...] = ("Ana Pérez",),
           published: str | None = "2024-05-01", outcome: str = "new") -> StoredArticle:
    record = Article(id=f"{n:016x}", url=f"https://{site}/{n}/", urls=[f"https://{site}/{n}/"], site=site,
                     title=f"Story {n}", authors=list(authors), authors_source="jsonld" if authors else None,
                     published=published, published_source="url" if published else None, modified=None,
                     text=" ".join(["word"] * words), description=None, categories=[], tags=[], language="en",
                     word_count=words, content_hash=f"h{n}", fetched_at="2024-05-02T00:00:00+00:00")
    return StoredArticle(outcome, record, f"/x/{n}.json")


def test_run_log_writes_the_runs_figures_and_what_each_site_stored(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    extension = RunLog.from_crawler(crawler)  # noqa: F841 - kept alive, as the extension manager does
    spider = Spider("news", start_urls=["https://a.example/", "https://b.example/"])
    open_spider(crawler, spider)
    for key, value in {"response_received_count": 9, "archiver/archive/new": 2, "archiver/archive/revised": 1,
                       "archiver/archive/merged": 4, "archiver/extract/rejected/not-article": 3,
                       "archiver/extract/rejected/too-short": 2, "downloader/request_count": 11}.items():
        crawler.stats.set_value(key, value)
    for item in (stored("a.example", 1), stored("a.example", 2, words=10, authors=()),
                 stored("b.example", 3, published=None, outcome="revised"), {"not": "a stored article"}):
        crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None, spider=spider)
    close_spider(crawler, spider, reason="finished")

    [entry] = [json.loads(line) for line in (tmp_path / "state" / "runs.jsonl").read_text().splitlines()]
    assert entry["urls"] == ["https://a.example/", "https://b.example/"] and entry["finish_reason"] == "finished"
    assert (entry["pages"], entry["articles"], entry["updated"], entry["merged"]) == (9, 2, 1, 4)
    assert (entry["rejected"], entry["requests"]) == (5, 11)
    assert entry["start"] <= entry["end"] and entry["peak_rss_mb"] > 0
    assert entry["sites"] == {
        "a.example": {"stored": 2, "short": 1, "current": 2, "no_author": 1, "no_date": 0,
                      "date_sources": {"url": 2}, "author_sources": {"jsonld": 1}},
        "b.example": {"stored": 1, "short": 0, "current": 1, "no_author": 0, "no_date": 1,
                      "date_sources": {}, "author_sources": {"jsonld": 1}},
    }


def test_run_log_appends_one_line_per_run(tmp_path: Path) -> None:
    for reason in ("shutdown", "finished"):
        crawler = crawler_for(tmp_path)
        extension = RunLog.from_crawler(crawler)  # noqa: F841 - kept alive, as the extension manager does
        spider = Spider("news", start_urls=["https://a.example/"])
        close_spider(crawler, spider, reason=reason)
    runs = [json.loads(line) for line in (tmp_path / "state" / "runs.jsonl").read_text().splitlines()]
    assert [r["finish_reason"] for r in runs] == ["shutdown", "finished"] and runs[0]["sites"] == {}


# -- the progress line -------------------------------------------------------------------------


def test_progress_line_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    with pytest.raises(NotConfigured):
        ProgressLine.from_crawler(crawler_for(tmp_path))
    terminal = SimpleNamespace(isatty=lambda: True, write=lambda text: None, flush=lambda: None)
    monkeypatch.setattr(sys, "stderr", terminal)
    assert ProgressLine.from_crawler(crawler_for(tmp_path)).stream is terminal
    with pytest.raises(NotConfigured):
        ProgressLine.from_crawler(crawler_for(tmp_path, ARCHIVER_PROGRESS=False))


def test_progress_line_shows_the_counts_and_clears_itself(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    stream = io.StringIO()
    progress = ProgressLine(crawler, stream)
    spider = Spider("news")
    open_spider(crawler, spider)
    assert progress.loop.running
    for key, value in {"response_received_count": 12, "archiver/archive/new": 5, "archiver/archive/revised": 1,
                       "archiver/archive/merged": 2, "archiver/failed/http_503": 2,
                       "archiver/failed/http_404": 4, "spider_exceptions/count": 1}.items():  # 404s are no errors
        crawler.stats.set_value(key, value)
    progress.show()
    line = stream.getvalue()
    assert line.startswith("\r\033[K") and "\n" not in line
    assert "pages 12 | articles 5 | updated 1 | merged 2 | errors 3 | " in line and line.endswith(" pages/s")
    close_spider(crawler, spider)
    assert stream.getvalue().endswith("\r\033[K") and not progress.loop.running


# -- the saved frontier --------------------------------------------------------------------------


def test_frontier_is_cleared_after_a_finished_crawl_and_kept_after_an_interrupted_one(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        SavedFrontier.from_crawler(crawler_for(tmp_path))  # no JOBDIR: nothing saved
    jobdir = tmp_path / "state" / "frontier"
    for reason, kept in (("shutdown", True), ("data_dir_error", True), ("finished", False)):
        jobdir.mkdir(parents=True, exist_ok=True)
        (jobdir / "requests.queue").write_text("pending")
        crawler = crawler_for(tmp_path, JOBDIR=str(jobdir))
        extension = SavedFrontier.from_crawler(crawler)  # noqa: F841 - kept alive, as the extension manager does
        close_spider(crawler, Spider("news"), reason=reason)
        assert jobdir.exists() is kept, reason
