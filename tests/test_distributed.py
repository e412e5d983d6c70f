"""Distributed crawling on a real Redis server: seeding, two workers, a killed worker, one indexer.

A redis-server is started on 127.0.0.1 on a free port for the session (the tests are
skipped, with the reason shown, only when no redis-server can be started). Crawls run
the real command line in subprocesses against demo sites of their own (the request log
of the session's demo site is its crawl's), as in test_crawl_demo; the two workers'
crawl starts with the session (``EARLY``). Commands that fail before starting Scrapy,
and the indexer, run in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

redis = pytest.importorskip("redis", reason="the 'redis' extra is not installed (pip install -e '.[redis]')")

from archiver.storage.archive import Archive  # noqa: E402
from archiver.storage.keystore import KnownArticle  # noqa: E402
from archiver.distributed.frontier import QUEUE_KEY, WORKERS_KEY, Frontier, heartbeat_key, leases_key  # noqa: E402
from archiver.redisclient import connect  # noqa: E402
from archiver.storage.rediskeys import ARTICLES_KEY, RedisKeyStore  # noqa: E402
from archiver.errors import DataDirError  # noqa: E402
from archiver.items import Extraction, FetchedPage  # noqa: E402
from archiver.storage.lock import DataDirLock  # noqa: E402
from archiver.demo.server import DemoServer  # noqa: E402
from archiver.demo.site import DemoSite  # noqa: E402

from .conftest import DEMO_ARTICLES, EARLY, invoke, load_records, run_cli, serve_for_session, start_cli  # noqa: E402

#: Redis databases: one for the tests that run one after another, one for each early crawl.
SERIAL_DB, TWO_WORKERS_DB, KILLED_DB, LATE_SEED_DB = 0, 1, 2, 3


@pytest.fixture
def redis_url(redis_port: int) -> str:
    """An empty Redis database for one test."""
    url = f"redis://127.0.0.1:{redis_port}/{SERIAL_DB}"
    connect(url).flushdb()
    return url


def seed(url: str, redis_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``archiver crawl --redis``, its crawl state beside the data dir (not in the home dir)."""
    return run_cli("crawl", url, "--redis", redis_url, "--data-dir", data_dir,
                   env={"ARCHIVER_STATE_DIR": str(data_dir.parent / "state-seed")})


def worker_args(redis_url: str, data_dir: Path, name: str, *extra: str, workers: int = 0) -> list[str | Path]:
    """``archiver worker`` options; ``workers=0`` extracts in the worker process (no pool to start)."""
    return ["worker", "--redis", redis_url, "--data-dir", data_dir, "--idle-exit", "1",
            "--state-dir", data_dir.parent / f"state-{name}", "--workers", str(workers), *extra]


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def assert_complete_and_unique(records: list[dict], server: DemoServer) -> None:
    expected = {server.base_url + a.path for a in server.site.articles}
    urls = Counter(r["url"] for r in records)
    assert set(urls) == expected, {"missing": expected - set(urls), "extra": set(urls) - expected}
    assert all(n == 1 for n in urls.values()), [u for u, n in urls.items() if n > 1]
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["content_hash"] for r in records}) == len(records)


# -- seeding -------------------------------------------------------------------------


@pytest.mark.slow
def test_seeding_run_without_workers_leaves_the_queue_in_redis(redis_url: str, tmp_path: Path) -> None:
    with DemoServer(DemoSite(articles=DEMO_ARTICLES, seed=7)) as server:
        seeded = seed(server.url, redis_url, tmp_path / "archive")
    assert seeded.returncode == 0, seeded.stderr
    assert "Seeded" in seeded.stdout and "archiver worker --redis" in seeded.stdout
    frontier = Frontier(connect(redis_url))
    assert frontier.status().queued >= 5  # the home page, robots.txt, well-known sitemaps and feeds
    assert frontier.seeds() == [server.url]
    assert server.requests == []  # seeding fetches nothing: the workers will
    assert load_records(tmp_path / "archive") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("worker", "--redis", "redis://127.0.0.1:1/0"), "cannot reach Redis at redis://127.0.0.1:1/0"),
        (("index", "--redis", "redis://:secret@127.0.0.1:1/0"), "cannot reach Redis at redis://:***@127.0.0.1:1/0"),
        (("crawl", "http://127.0.0.1:9/", "--redis", "redis://127.0.0.1:1/0", "--max-articles", "5"),
         "--max-pages and --max-articles limit one process"),
    ],
)
def test_distributed_commands_fail_with_one_line(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = invoke(*args, "--data-dir", tmp_path)  # a traceback would fail the test
    assert result.exit_code == 1
    assert message in result.stderr


# -- two workers, then the indexer --------------------------------------------------


@dataclass
class DistributedRun:
    server: DemoServer
    data_dir: Path
    redis_url: str
    seeded: subprocess.CompletedProcess[str]
    workers: list[subprocess.CompletedProcess[str]]


@EARLY.register("two_workers", order=50)
def _two_workers(request: pytest.FixtureRequest) -> Callable[[], DistributedRun]:
    url = f"redis://127.0.0.1:{request.getfixturevalue('redis_port')}/{TWO_WORKERS_DB}"
    server, workdir = serve_for_session(request, DemoSite(articles=DEMO_ARTICLES, seed=7), "two-workers")
    data_dir = workdir / "archive"

    def crawl() -> DistributedRun:
        connect(url).flushdb()
        seeded = seed(server.url, url, data_dir)
        done = []
        if seeded.returncode == 0:
            processes = [start_cli(*worker_args(url, data_dir, name, workers=1)) for name in ("a", "b")]
            for process in processes:
                out, err = process.communicate(timeout=300)
                done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
        return DistributedRun(server, data_dir, url, seeded, done)

    return crawl


@pytest.fixture(scope="session")
def two_workers(request: pytest.FixtureRequest) -> DistributedRun:
    """The demo site seeded once, then crawled by two worker processes together."""
    return EARLY.result("two_workers", request)


@pytest.mark.slow
def test_two_workers_archive_every_article_exactly_once(two_workers: DistributedRun) -> None:
    assert two_workers.seeded.returncode == 0, two_workers.seeded.stderr
    assert len(two_workers.workers) == 2
    for worker in two_workers.workers:
        assert worker.returncode == 0, worker.stderr
        assert "The shared frontier is empty." in worker.stdout
    pages = [int(w.stdout.split(" crawled ", 1)[1].split()[0]) for w in two_workers.workers]
    assert all(n > 0 for n in pages), f"a worker got no work: {pages}"
    assert_complete_and_unique(load_records(two_workers.data_dir), two_workers.server)


@pytest.mark.slow
def test_workers_leave_an_empty_frontier_and_keep_sqlite_off_the_shared_dir(two_workers: DistributedRun) -> None:
    client = connect(two_workers.redis_url)
    assert client.zcard(QUEUE_KEY) == 0
    assert client.scard(WORKERS_KEY) == 0 and not client.keys(leases_key("*"))
    assert not list((two_workers.data_dir / "state").glob("*.sqlite"))
    assert list((two_workers.data_dir.parent / "state-a").glob("fetches.sqlite"))


@pytest.mark.slow
def test_one_indexer_indexes_what_the_workers_stored(two_workers: DistributedRun) -> None:
    site = two_workers.server.site
    first = invoke("index", "--redis", two_workers.redis_url, "--data-dir", two_workers.data_dir)
    assert first.exit_code == 0, first.stderr
    assert f"Indexed {len(site.articles)} articles" in first.stdout
    again = invoke("index", "--once", "--redis", two_workers.redis_url, "--data-dir", two_workers.data_dir)
    assert "Indexed 0 articles" in again.stdout
    title = site.articles[0].title
    found = invoke("search", f'title:"{title}"', "--data-dir", two_workers.data_dir, "--json")
    assert found.exit_code == 0, found.stderr
    assert title in found.stdout


# -- a worker killed mid-crawl, a worker outrun by new seeds ---------------------------


@dataclass
class Scenario:
    """A distributed crawl of a demo site of its own on a Redis database of its own, run early."""

    server: DemoServer
    redis_url: str
    data_dir: Path
    seeded: subprocess.CompletedProcess[str]
    first: subprocess.CompletedProcess[str] | None = None  #: the worker started first (its output)
    ran_until_killed: bool = False
    held: int = 0  #: requests the killed worker had leased
    later: subprocess.CompletedProcess[str] | None = None  #: a seeding run while the first worker ran
    last: subprocess.CompletedProcess[str] | None = None  #: the worker that finishes the crawl


def early_scenario(name: str, order: int, db: int, play: Callable[[Scenario], None]) -> None:
    """Registers the session fixture ``name``: ``play`` on a freshly seeded frontier, in the background."""

    @EARLY.register(name, order)
    def prepare(request: pytest.FixtureRequest) -> Callable[[], Scenario]:
        url = f"redis://127.0.0.1:{request.getfixturevalue('redis_port')}/{db}"
        server, workdir = serve_for_session(request, DemoSite(articles=DEMO_ARTICLES, seed=7), name)
        data_dir = workdir / "archive"

        def run() -> Scenario:
            connect(url).flushdb()
            scenario = Scenario(server, url, data_dir, seed(server.url, url, data_dir))
            if scenario.seeded.returncode == 0:
                play(scenario)
            return scenario

        return run


def kill_a_worker_mid_crawl(scenario: Scenario) -> None:
    """A slow worker killed (SIGKILL) holding leases; then another worker finishes the crawl."""
    client = connect(scenario.redis_url)
    slow = worker_args(scenario.redis_url, scenario.data_dir, "killed", "--concurrency", "2",
                       "-s", "DOWNLOAD_DELAY=0.05", "-s", "ARCHIVER_REDIS_WORKER_TTL=2")
    victim = start_cli(*slow)
    try:
        wait_until(lambda: client.hlen(ARTICLES_KEY) >= 10 or victim.poll() is not None)
        scenario.ran_until_killed = victim.poll() is None
        scenario.held = sum(client.hlen(k) for k in client.keys(leases_key("*")))
        victim.send_signal(signal.SIGKILL)
    finally:
        out, err = victim.communicate(timeout=30)
    scenario.first = subprocess.CompletedProcess(victim.args, victim.returncode, out, err)
    scenario.last = run_cli(*worker_args(scenario.redis_url, scenario.data_dir, "survivor"))


def seed_while_a_worker_runs(scenario: Scenario) -> None:
    """Another site seeded while a worker crawls: it stops; a worker started afterwards finishes."""
    client = connect(scenario.redis_url)
    first = start_cli(*worker_args(scenario.redis_url, scenario.data_dir, "first", "--concurrency", "2",
                                   "-s", "DOWNLOAD_DELAY=0.05"))
    try:
        wait_until(lambda: client.hlen(ARTICLES_KEY) >= 5 or first.poll() is not None)
        scenario.later = seed(scenario.server.url + "page/2/", scenario.redis_url, scenario.data_dir)
    finally:
        out, err = first.communicate(timeout=120)
    scenario.first = subprocess.CompletedProcess(first.args, first.returncode, out, err)
    scenario.last = run_cli(*worker_args(scenario.redis_url, scenario.data_dir, "again"))


early_scenario("killed_worker", 30, KILLED_DB, kill_a_worker_mid_crawl)
early_scenario("late_seed", 40, LATE_SEED_DB, seed_while_a_worker_runs)


@pytest.fixture(scope="session")
def killed_worker(request: pytest.FixtureRequest) -> Scenario:
    return EARLY.result("killed_worker", request)


@pytest.fixture(scope="session")
def late_seed(request: pytest.FixtureRequest) -> Scenario:
    return EARLY.result("late_seed", request)


@pytest.mark.slow
def test_killed_worker_loses_no_url(killed_worker: Scenario) -> None:
    assert killed_worker.seeded.returncode == 0, killed_worker.seeded.stderr
    assert killed_worker.ran_until_killed, "the worker finished before it could be killed"
    assert killed_worker.held > 0, "the killed worker held no requests"
    survivor = killed_worker.last
    assert survivor.returncode == 0, survivor.stderr
    log = Path(survivor.stdout.split("Log: ", 1)[1].split()[0]).read_text(encoding="utf-8")
    assert "requests of stopped workers back in the shared queue" in log
    assert_complete_and_unique(load_records(killed_worker.data_dir), killed_worker.server)


@pytest.mark.slow
def test_worker_stops_for_sites_seeded_after_it_started(late_seed: Scenario) -> None:
    assert late_seed.seeded.returncode == 0, late_seed.seeded.stderr
    assert late_seed.later.returncode == 0, late_seed.later.stderr
    first = late_seed.first
    assert first.returncode == 0, first.stderr
    assert "Sites were seeded after this worker started" in first.stdout
    again = late_seed.last
    assert again.returncode == 0, again.stderr
    assert "The shared frontier is empty." in again.stdout
    assert_complete_and_unique(load_records(late_seed.data_dir), late_seed.server)


# -- the shared key store, the frontier's leases, the lock ----------------------------

BASE = "https://news.example"
BODY = "The city council voted on the contract for the {n}th time.\n\nResidents protested outside the hall for hours."


def page(url: str) -> FetchedPage:
    return FetchedPage(url=url, final_url=url, status=200, body=url.encode(), fetched_at="2026-11-29T00:00:00+00:00")


def extraction(url: str, canonical: str | None, n: int) -> Extraction:
    return Extraction(url=url, canonical_url=canonical, title=f"Vote {n}", authors=["Katelyn Kivel"],
                      published="2018-07-05T09:30:00+00:00", modified=None, text=BODY.format(n=n), description=None,
                      categories=[], tags=[], language="en")


def test_racing_workers_never_both_store_one_article(redis_url: str, tmp_path: Path) -> None:
    """Each article reaches three workers at once: its own page, its AMP page, a syndicated copy."""
    articles = 25
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def work(kind: int) -> None:
        archive = Archive(tmp_path, keep_raw=False, keys=RedisKeyStore.from_url(redis_url, tmp_path))
        try:
            for n in range(articles):
                own = f"{BASE}/2018/07/05/vote-{n}/"
                url, canonical = [(own, own), (own + "amp/", own), (f"{BASE}/syndicated/vote-{n}/", None)][kind]
                barrier.wait(timeout=30)
                archive.ingest(page(url), extraction(url, canonical, n))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            barrier.abort()
        finally:
            archive.close()

    threads = [threading.Thread(target=work, args=(kind,)) for kind in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    records = load_records(tmp_path)
    assert len(records) == articles
    for record in records:
        assert record["url"].startswith(f"{BASE}/2018/07/05/vote-")
        assert any("/syndicated/" in u for u in record["urls"]), record["urls"]


def test_key_store_rekeys_and_keeps_changed_records_listed(redis_url: str, tmp_path: Path) -> None:
    keys = RedisKeyStore.from_url(redis_url, tmp_path)
    old = KnownArticle("a" * 16, tmp_path / "articles" / "x" / "old.json", "h1", 1)
    keys.claim(old, ["x/copy"], ["h1"])
    assert keys.find_by_urls(["nope", "x/copy"]) == old.id and keys.find_by_content("h1") == old.id
    assert keys.article(old.id) == old
    assert keys.client.hget(ARTICLES_KEY, old.id).startswith('{"path": "articles/x/old.json"')  # relative
    new = KnownArticle("b" * 16, tmp_path / "articles" / "x" / "new.json", "h1", 2)
    keys.move(old.id, new)
    keys.claim(new, ["x/own"], ["h1"])
    assert keys.find_by_urls(["x/copy"]) == new.id and keys.article(old.id) is None
    assert keys.removed() == [old.id]
    assert [k.id for k in keys.unindexed()] == [new.id]
    keys.claim(new, ["x/own"], ["h2"])  # changed again after it was listed
    keys.mark_indexed([old.id, new.id])
    assert [k.id for k in keys.unindexed()] == [new.id] and keys.removed() == []
    keys.mark_indexed([new.id])
    assert keys.unindexed() == []
    keys.close()


def test_leases_of_a_dead_worker_go_back_to_the_queue(redis_url: str) -> None:
    frontier = Frontier(connect(redis_url))
    frontier.client.zadd(QUEUE_KEY, {b"first": -100, b"second": 0})
    frontier.register("alive", ttl=30)
    frontier.register("dead", ttl=30)
    assert frontier.pop("dead", "0") == b"first"
    assert frontier.pop("alive", "0") == b"second"
    assert frontier.reap() == 0
    frontier.client.delete(heartbeat_key("dead"))  # its heartbeat expired
    assert frontier.pop("alive", "1") is None
    assert frontier.has_work(besides="alive")  # the dead worker's lease still counts
    assert frontier.reap() == 1
    assert frontier.client.zrange(QUEUE_KEY, 0, -1, withscores=True) == [(b"first", -100.0)]
    frontier.release("alive", ["0"])
    assert frontier.pop("alive", "2") == b"first"
    assert frontier.give_back("alive", ["2"]) == 1 and frontier.status().queued == 1


def test_workers_share_the_data_dir_lock_that_a_single_crawl_takes_alone(tmp_path: Path) -> None:
    first, second = DataDirLock(tmp_path, shared=True), DataDirLock(tmp_path, shared=True)
    first.acquire()
    second.acquire()
    with pytest.raises(DataDirError, match="another crawl"):
        DataDirLock(tmp_path).acquire()
    first.release()
    second.release()
    with DataDirLock(tmp_path):
        with pytest.raises(DataDirError, match=f"pid {os.getpid()}"):
            DataDirLock(tmp_path, shared=True).acquire()
