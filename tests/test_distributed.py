"""Distributed crawling on a real Redis server: seeding, two workers, a killed worker, one indexer.

A redis-server is started on 127.0.0.1 on a free port for this module (the tests are
skipped, with the reason shown, only when no redis-server can be started). Crawls run
the real command line in subprocesses against the demo site, as in test_crawl_demo.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
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

from .conftest import load_records, run_cli  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    """A throwaway redis-server on 127.0.0.1 (no persistence), for this module."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary (CI installs the Debian package redis-server); distributed tests skipped")
    workdir = tempfile.mkdtemp(prefix="redis-")
    for _ in range(3):  # a free port can be taken between the check and the bind
        port = free_port()
        server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                   "no", "--dir", workdir], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if _answers(port, server):
            break
        server.kill()
        output = server.communicate()[0].decode("utf-8", "replace")[-300:]
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.skip(f"redis-server could not be started: {output.strip()}")
    yield port
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


def _answers(port: int, server: subprocess.Popen) -> bool:
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    for _ in range(50):
        if server.poll() is not None:
            return False
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            time.sleep(0.1)
    return False


@pytest.fixture
def redis_url(redis_port: int) -> str:
    """An empty Redis database for one test."""
    url = f"redis://127.0.0.1:{redis_port}/0"
    connect(url).flushdb()
    return url


def start_cli(*args: str | os.PathLike) -> subprocess.Popen[str]:
    """``archiver ARGS`` in the background."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("ARCHIVER_DATA_DIR", "ARCHIVER_REDIS_URL", "ARCHIVER_STATE_DIR")}
    env["PYTHONWARNINGS"] = "ignore"
    return subprocess.Popen([sys.executable, "-m", "archiver", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def seed(url: str, redis_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``archiver crawl --redis``, its crawl state beside the data dir (not in the home dir)."""
    return run_cli("crawl", url, "--redis", redis_url, "--data-dir", data_dir,
                   env={"ARCHIVER_STATE_DIR": str(data_dir.parent / "state-seed")})


def worker_args(redis_url: str, data_dir: Path, name: str, *extra: str) -> list[str | Path]:
    return ["worker", "--redis", redis_url, "--data-dir", data_dir, "--idle-exit", "1",
            "--state-dir", data_dir.parent / f"state-{name}", "--workers", "1", *extra]


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def assert_complete_and_unique(records: list[dict], demo_server, demo_site) -> None:
    expected = {demo_server.base_url + a.path for a in demo_site.articles}
    urls = Counter(r["url"] for r in records)
    assert set(urls) == expected, {"missing": expected - set(urls), "extra": set(urls) - expected}
    assert all(n == 1 for n in urls.values()), [u for u, n in urls.items() if n > 1]
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["content_hash"] for r in records}) == len(records)


# -- seeding -------------------------------------------------------------------------


def test_seeding_run_without_workers_leaves_the_queue_in_redis(redis_url: str, demo_server, tmp_path: Path) -> None:
    demo_server.clear_log()
    seeded = seed(demo_server.url, redis_url, tmp_path / "archive")
    assert seeded.returncode == 0, seeded.stderr
    assert "Seeded" in seeded.stdout and "archiver worker --redis" in seeded.stdout
    frontier = Frontier(connect(redis_url))
    assert frontier.status().queued >= 5  # the home page, robots.txt, well-known sitemaps and feeds
    assert frontier.seeds() == [demo_server.url]
    assert demo_server.requests == []  # seeding fetches nothing: the workers will
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
    result = run_cli(*args, "--data-dir", tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


# -- two workers, then the indexer --------------------------------------------------


@dataclass
class DistributedRun:
    data_dir: Path
    redis_url: str
    workers: list[subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def two_workers(redis_port: int, demo_server, tmp_path_factory: pytest.TempPathFactory) -> DistributedRun:
    """The demo site seeded once, then crawled by two worker processes together."""
    url = f"redis://127.0.0.1:{redis_port}/1"
    connect(url).flushdb()
    data_dir = tmp_path_factory.mktemp("distributed") / "archive"
    seeded = seed(demo_server.url, url, data_dir)
    assert seeded.returncode == 0, seeded.stderr
    processes = [start_cli(*worker_args(url, data_dir, name)) for name in ("a", "b")]
    done = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return DistributedRun(data_dir, url, done)


def test_two_workers_archive_every_article_exactly_once(two_workers: DistributedRun, demo_server, demo_site) -> None:
    for worker in two_workers.workers:
        assert worker.returncode == 0, worker.stderr
        assert "The shared frontier is empty." in worker.stdout
    pages = [int(w.stdout.split(" crawled ", 1)[1].split()[0]) for w in two_workers.workers]
    assert all(n > 0 for n in pages), f"a worker got no work: {pages}"
    assert_complete_and_unique(load_records(two_workers.data_dir), demo_server, demo_site)


def test_workers_leave_an_empty_frontier_and_keep_sqlite_off_the_shared_dir(two_workers: DistributedRun) -> None:
    client = connect(two_workers.redis_url)
    assert client.zcard(QUEUE_KEY) == 0
    assert client.scard(WORKERS_KEY) == 0 and not client.keys(leases_key("*"))
    assert not list((two_workers.data_dir / "state").glob("*.sqlite"))
    assert list((two_workers.data_dir.parent / "state-a").glob("fetches.sqlite"))


def test_one_indexer_indexes_what_the_workers_stored(two_workers: DistributedRun, demo_site) -> None:
    first = run_cli("index", "--redis", two_workers.redis_url, "--data-dir", two_workers.data_dir)
    assert first.returncode == 0, first.stderr
    assert f"Indexed {len(demo_site.articles)} articles" in first.stdout
    again = run_cli("index", "--once", "--redis", two_workers.redis_url, "--data-dir", two_workers.data_dir)
    assert "Indexed 0 articles" in again.stdout
    title = demo_site.articles[0].title
    found = run_cli("search", f'title:"{title}"', "--data-dir", two_workers.data_dir, "--json")
    assert found.returncode == 0, found.stderr
    assert title in found.stdout


# -- a worker killed mid-crawl -------------------------------------------------------


def test_killed_worker_loses_no_url(redis_url: str, demo_server, demo_site, tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    assert seed(demo_server.url, redis_url, data_dir).returncode == 0
    client = connect(redis_url)
    slow = worker_args(redis_url, data_dir, "killed", "--workers", "0", "--concurrency", "2",
                       "-s", "DOWNLOAD_DELAY=0.05", "-s", "ARCHIVER_REDIS_WORKER_TTL=2")
    victim = start_cli(*slow)
    try:
        wait_until(lambda: client.hlen(ARTICLES_KEY) >= 10 or victim.poll() is not None)
        assert victim.poll() is None, "the worker finished before it could be killed"
        held = sum(client.hlen(k) for k in client.keys(leases_key("*")))
        victim.send_signal(signal.SIGKILL)
    finally:
        victim.communicate(timeout=30)
    assert held > 0, "the killed worker held no requests"
    survivor = run_cli(*worker_args(redis_url, data_dir, "survivor"))
    assert survivor.returncode == 0, survivor.stderr
    log = Path(survivor.stdout.split("Log: ", 1)[1].split()[0]).read_text(encoding="utf-8")
    assert "requests of stopped workers back in the shared queue" in log
    assert_complete_and_unique(load_records(data_dir), demo_server, demo_site)


def test_worker_stops_for_sites_seeded_after_it_started(redis_url: str, demo_server, demo_site, tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    assert seed(demo_server.url, redis_url, data_dir).returncode == 0
    client = connect(redis_url)
    first = start_cli(*worker_args(redis_url, data_dir, "first", "--concurrency", "2", "-s", "DOWNLOAD_DELAY=0.05"))
    wait_until(lambda: client.hlen(ARTICLES_KEY) >= 5 or first.poll() is not None)
    later = seed(demo_server.url + "page/2/", redis_url, data_dir)
    assert later.returncode == 0, later.stderr
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "Sites were seeded after this worker started" in out
    again = run_cli(*worker_args(redis_url, data_dir, "again"))
    assert again.returncode == 0, again.stderr
    assert "The shared frontier is empty." in again.stdout
    assert_complete_and_unique(load_records(data_dir), demo_server, demo_site)


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
