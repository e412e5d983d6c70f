"""Scheduled re-crawls: only new or changed articles cost a download; kills and Ctrl-C lose nothing.

Each scenario has a demo site of its own and runs in the background from the start of the
session (``EARLY``), keeping what the tests check: the command lines' output, the server's
request log, and copies of the archive taken between runs (read later with ``invoke``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.demo.model import DemoArticle
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import EARLY, invoke, load_records, run_cli, serve_for_session, snapshot, start_cli, wait_for_records

pytestmark = pytest.mark.slow

HANDFUL = 5
#: Pages are extracted in the crawl process: a pool of workers would only cost start-up time here.
INLINE = ("--workers", "0")


def article_downloads(server: DemoServer, site: DemoSite) -> list[str]:
    """Article pages the server answered with a full body (200) since the log was cleared."""
    paths = {a.path for a in site.articles}
    return [r.path for r in server.requests if r.status == 200 and r.path in paths]


def assert_complete(data_dir: Path, server: DemoServer, site: DemoSite) -> None:
    for path in (data_dir / "articles").rglob("*"):
        if path.is_file():
            assert path.suffix == ".json", f"stray file {path}"
            json.loads(path.read_text(encoding="utf-8"))
    urls = Counter(r["url"] for r in load_records(data_dir))
    assert set(urls) == {server.base_url + a.path for a in site.articles}
    assert max(urls.values()) == 1


# -- four runs: first, new and changed, nothing changed, --full ---------------------------------


@dataclass
class Recrawls:
    server: DemoServer
    data_dir: Path
    changed: DemoArticle
    old_text: str
    new: list[DemoArticle]
    runs: list[subprocess.CompletedProcess[str]]  #: first, second, third, --full
    second_downloads: list[str]
    second_statuses: list[int]  #: of every request of the second run
    after_second: Path  #: the archive as the second run left it
    third_downloads: list[str]


@EARLY.register("recrawls", order=45)
def _recrawls(request: pytest.FixtureRequest) -> Callable[[], Recrawls]:
    site = DemoSite(articles=40, seed=21)
    server, data_dir = serve_for_session(request, site, "recrawls")

    def play() -> Recrawls:
        crawl = ("crawl", server.url, "--data-dir", data_dir, *INLINE)
        first = run_cli(*crawl)
        changed = site.articles[5]
        old_text = changed.text
        new = site.publish(3)
        site.update(changed.number)
        server.clear_log()
        second = run_cli(*crawl)
        second_downloads = article_downloads(server, site)
        statuses = [r.status for r in server.requests]
        after_second = snapshot(data_dir, "after-second")
        server.clear_log()
        third = run_cli(*crawl)
        third_downloads = article_downloads(server, site)
        full = run_cli(*crawl, "--full")
        return Recrawls(server, data_dir, changed, old_text, new, [first, second, third, full], second_downloads,
                        statuses, after_second, third_downloads)

    return play


@pytest.fixture(scope="session")
def recrawls(request: pytest.FixtureRequest) -> Recrawls:
    return EARLY.result("recrawls", request)


def test_second_crawl_fetches_only_new_and_changed(recrawls: Recrawls) -> None:
    server, site, changed, new = recrawls.server, recrawls.server.site, recrawls.changed, recrawls.new
    first, second, third, full = recrawls.runs
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "3 new articles, 1 updated" in second.stdout, second.stdout
    assert len(recrawls.second_downloads) <= len(new) + 1 + HANDFUL, recrawls.second_downloads
    assert 304 in recrawls.second_statuses, "no conditional request was answered 304"
    records = {r["url"]: r for r in load_records(recrawls.after_second)}
    assert_complete(recrawls.after_second, server, site)
    updated = records[server.base_url + changed.path]
    assert updated["text"] == changed.text != recrawls.old_text
    assert [r["text"] for r in updated["revisions"]] == [recrawls.old_text]
    assert updated["modified"]
    assert all(not records[server.base_url + a.path]["revisions"] for a in new)
    found = invoke("search", f'"{changed.phrase}"', "--json", "--data-dir", recrawls.after_second)
    assert json.loads(found.stdout.splitlines()[0])["url"] == server.base_url + changed.path

    assert "0 new articles, 0 updated" in third.stdout, third.stdout
    assert len(recrawls.third_downloads) <= HANDFUL
    assert "0 new articles, 0 updated" in full.stdout
    runs = [json.loads(line) for line in (recrawls.data_dir / "state" / "runs.jsonl").read_text().splitlines()]
    assert [r["articles"] for r in runs] == [40, 3, 0, 0]
    # 70 to 86 of 164 over 12 runs: how many links are in flight when the listing crawl
    # stops depends on the machine's load; a crawl that re-checked everything would make 164+
    assert runs[2]["requests"] < runs[0]["requests"] * 0.6
    stats = invoke("stats", "--data-dir", recrawls.data_dir)
    assert "Last runs:" in stats.stdout and "1 with revisions" in stats.stdout


# -- kill -9 mid-crawl, then run again ---------------------------------------------------------------


@dataclass
class KilledCrawl:
    server: DemoServer
    data_dir: Path
    records_after_kill: int
    rerun: subprocess.CompletedProcess[str]


@EARLY.register("killed_crawl", order=20)
def _killed_crawl(request: pytest.FixtureRequest) -> Callable[[], KilledCrawl]:
    server, data_dir = serve_for_session(request, DemoSite(articles=200, seed=5), "killed")

    def play() -> KilledCrawl:
        # its own process group, to clean up after it; no pipes: its orphaned children would hold them open
        crawl = start_cli("crawl", server.url, "--data-dir", data_dir, start_new_session=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_records(data_dir, 30, crawl)
        finally:
            crawl.send_signal(signal.SIGKILL)  # the crawl process only, as `kill -9 PID` does
            crawl.wait()
        after_kill = len(load_records(data_dir))
        rerun = run_cli("crawl", server.url, "--data-dir", data_dir)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(crawl.pid, signal.SIGKILL)  # what the killed crawl left running (its extraction workers)
        return KilledCrawl(server, data_dir, after_kill, rerun)

    return play


@pytest.fixture(scope="session")
def killed_crawl(request: pytest.FixtureRequest) -> KilledCrawl:
    return EARLY.result("killed_crawl", request)


def test_sigkill_mid_crawl_then_rerun_is_complete(killed_crawl: KilledCrawl) -> None:
    site = killed_crawl.server.site
    assert killed_crawl.records_after_kill < len(site.articles)
    assert killed_crawl.rerun.returncode == 0, killed_crawl.rerun.stderr
    assert_complete(killed_crawl.data_dir, killed_crawl.server, site)
    search = invoke("search", "site:127.0.0.1", "--json", "--limit", "1000", "--data-dir", killed_crawl.data_dir)
    assert len(search.stdout.splitlines()) == len(site.articles)


# -- Ctrl-C mid-crawl, a second crawl meanwhile, then run again -----------------------------------


@dataclass
class InterruptedCrawl:
    server: DemoServer
    data_dir: Path
    second: subprocess.CompletedProcess[str]  #: started while the first ran
    interrupted: subprocess.CompletedProcess[str]
    frontier_kept: bool
    rerun: subprocess.CompletedProcess[str]


@EARLY.register("interrupted_crawl", order=25)
def _interrupted_crawl(request: pytest.FixtureRequest) -> Callable[[], InterruptedCrawl]:
    server, data_dir = serve_for_session(request, DemoSite(articles=200, seed=6), "interrupted")

    def play() -> InterruptedCrawl:
        # the graceful stop is checked here, its time bound in test_signals.py: this crawl runs
        # beside the rest of the suite, where a stop can take longer than the default 10 s
        crawl = start_cli("crawl", server.url, "--data-dir", data_dir, "-s", "ARCHIVER_STOP_TIMEOUT=60")
        try:
            wait_for_records(data_dir, 20, crawl)
            second = run_cli("crawl", server.url, "--data-dir", data_dir)
            crawl.send_signal(signal.SIGINT)
            out, err = crawl.communicate(timeout=120)
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.communicate()
        interrupted = subprocess.CompletedProcess(crawl.args, crawl.returncode, out, err)
        frontier_kept = (data_dir / "state" / "frontier").is_dir()
        rerun = run_cli("crawl", server.url, "--data-dir", data_dir)
        return InterruptedCrawl(server, data_dir, second, interrupted, frontier_kept, rerun)

    return play


@pytest.fixture(scope="session")
def interrupted_crawl(request: pytest.FixtureRequest) -> InterruptedCrawl:
    return EARLY.result("interrupted_crawl", request)


def test_ctrl_c_stops_cleanly_and_refuses_a_second_crawl(interrupted_crawl: InterruptedCrawl) -> None:
    second, crawl = interrupted_crawl.second, interrupted_crawl.interrupted
    assert second.returncode == 1 and "another crawl" in second.stderr
    assert crawl.returncode == 130, crawl.stderr
    assert "Traceback" not in crawl.stderr
    assert "Stopped by SIGINT" in crawl.stdout
    assert interrupted_crawl.frontier_kept
    rerun = interrupted_crawl.rerun
    assert rerun.returncode == 0, rerun.stderr
    assert_complete(interrupted_crawl.data_dir, interrupted_crawl.server, interrupted_crawl.server.site)
    assert not (interrupted_crawl.data_dir / "state" / "frontier").exists()
