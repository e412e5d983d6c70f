"""Shared fixtures: the demo site on 127.0.0.1:0, one real crawl of it, and two ways to run the CLI.

Twisted's reactor cannot restart inside one process, so crawls, and whatever needs a
process of its own (signals, locks between processes, distributed workers), run the real
command line in a subprocess (:func:`run_cli`). Commands that only read an archive run in
this process through click's ``CliRunner`` (:func:`invoke`). The servers (demo site,
hostile site) run in this process and log every request they get.

Slow session fixtures (a crawl, a pass over the benchmark pages) register with
:data:`EARLY`: when a selected test needs one, its work starts in a background thread as
the session starts, and the tests that need it run after the others, so the work overlaps
with the rest of the suite. Tests that want the machine to themselves (a time bound, tight
download timeouts) ask for ``quiet_machine`` and run last.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from archiver.cli import cli
from archiver.demo.server import DemoServer, LoggedRequest
from archiver.demo.site import DemoSite

DEMO_ARTICLES = 60
#: Environment variables that would point a command at another archive or Redis.
ARCHIVER_ENV = ("ARCHIVER_DATA_DIR", "ARCHIVER_REDIS_URL", "ARCHIVER_STATE_DIR")


# -- running the command line --------------------------------------------------------------


def run_cli(*args: str | os.PathLike, timeout: float = 300, env: dict[str, str] | None = None,
            input: str | None = None, umask: int = -1, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``archiver ARGS`` as a user would, in a fresh process (crawls, workers, signals, locks),
    with ``umask`` and in ``cwd`` if given."""
    full_env = {k: v for k, v in os.environ.items() if k not in ARCHIVER_ENV}
    full_env.update({"PYTHONWARNINGS": "ignore", **(env or {})})
    return subprocess.run([sys.executable, "-m", "archiver", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=full_env, input=input, umask=umask, cwd=cwd)


def start_cli(*args: str | os.PathLike, **popen: Any) -> subprocess.Popen[str]:
    """``archiver ARGS`` in the background, in a fresh process (``popen``: other Popen arguments)."""
    env = {k: v for k, v in os.environ.items() if k not in ARCHIVER_ENV}
    env["PYTHONWARNINGS"] = "ignore"
    options: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen([sys.executable, "-m", "archiver", *map(str, args)], text=True, env=env, **options)


def wait_for_records(data_dir: Path, count: int, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until a running crawl has stored ``count`` records; fails if it ends or stalls first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if len(list((data_dir / "articles").rglob("*.json"))) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"crawl ended or stalled before {count} records")


def _no_crawl_here(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("this command started Scrapy inside the test process; run it with run_cli")


class _LastResort(logging.Handler):
    """Log records of WARNING and above on the command's stderr, message and traceback, as
    Python prints them when nothing configured logging (the case of the reading commands)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")  # the runner's stderr while a command runs


def invoke(*args: str | os.PathLike, input: str | None = None, env: dict[str, str | None] | None = None) -> Result:
    """Run ``archiver ARGS`` in this process with click's CliRunner (commands that do not crawl).

    ``result.exit_code``, ``result.stdout`` and ``result.stderr`` are what a user would see,
    warnings logged by the command included. An exception the command does not turn into a
    one-line error propagates: the test fails with its traceback, as a user would see one.
    A command that would start Scrapy fails the test instead (the reactor cannot run twice
    in one process).
    """
    from archiver import crawl

    runner = CliRunner(env={**dict.fromkeys(ARCHIVER_ENV), **(env or {})})
    handler = _LastResort()
    logging.getLogger().addHandler(handler)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(crawl, "CrawlerProcess", _no_crawl_here)  # crawls, seeding runs and workers start here
            return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False,
                                 prog_name="archiver")
    finally:
        logging.getLogger().removeHandler(handler)


@contextlib.contextmanager
def locked_by_another_process(data_dir: Path) -> Iterator[int]:
    """The data dir's crawl lock held by another process (as a running crawl holds it); yields its pid."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom archiver.storage.lock import DataDirLock\n"
         "DataDirLock(sys.argv[1]).acquire()\nprint('locked', flush=True)\nsys.stdin.read()\n", str(data_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder.pid
    finally:
        holder.communicate("", timeout=30)


def load_records(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((data_dir / "articles").rglob("*.json"))]


# -- slow fixtures, started early -----------------------------------------------------------

#: ``prepare(request)`` runs in the main thread (it may ask for other session fixtures) and
#: returns the slow work, which runs in a background thread.
Prepare = Callable[[pytest.FixtureRequest], Callable[[], Any]]


class EarlyStart:
    """Slow session fixtures whose work starts in background threads when the session starts.

    The work must not use :func:`invoke` (click's runner swaps ``sys.stdout`` for the whole
    process): it runs the command line in subprocesses and returns what the tests check.
    """

    def __init__(self, threads: int = 3):
        self.prepares: dict[str, Prepare] = {}
        self.order: dict[str, int] = {}
        self.futures: dict[str, Future[Any]] = {}
        self.threads = threads
        self.pool: ThreadPoolExecutor | None = None

    def register(self, name: str, order: int) -> Callable[[Prepare], Prepare]:
        """Decorator: ``prepare`` makes the value of the session fixture called ``name``;
        work of a lower ``order`` starts first (the longest first, and what many tests need)."""

        def decorator(prepare: Prepare) -> Prepare:
            self.prepares[name] = prepare
            self.order[name] = order
            return prepare

        return decorator

    def first_needed(self, item: pytest.Item) -> int | None:
        """The order of the earliest-started fixture ``item`` needs, None when it needs none."""
        orders = [self.order[name] for name in getattr(item, "fixturenames", ()) if name in self.order]
        return min(orders) if orders else None

    def start(self, request: pytest.FixtureRequest, names: set[str]) -> None:
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="early")
        for name in sorted(names & set(self.prepares), key=self.order.__getitem__):
            self.futures[name] = self._submit(name, request)

    def result(self, name: str, request: pytest.FixtureRequest) -> Any:
        """The fixture's value: waits for the early start, or does the work now."""
        if name not in self.futures:
            work = self.prepares[name](request)
            return work()
        return self.futures[name].result()

    def _submit(self, name: str, request: pytest.FixtureRequest) -> Future[Any]:
        try:
            work = self.prepares[name](request)
        except BaseException as exc:  # e.g. pytest.skip: raised again in the tests that need it
            failed: Future[Any] = Future()
            failed.set_exception(exc)
            return failed
        assert self.pool is not None
        return self.pool.submit(work)

    def wait(self) -> None:
        """Until every early-started piece of work has ended (however it ended)."""
        for future in list(self.futures.values()):
            future.exception()

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.futures.clear()


EARLY = EarlyStart()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need an early-started fixture run after the others, in the order their work
    started, so that work overlaps the other tests; tests that need a quiet machine run last.
    File order is kept within each group."""
    def group(item: pytest.Item) -> tuple[int, int]:
        if "quiet_machine" in getattr(item, "fixturenames", ()):
            return (2, 0)
        order = EARLY.first_needed(item)
        return (0, 0) if order is None else (1, order)

    items.sort(key=group)


@pytest.fixture(scope="session", autouse=True)
def _early_start(request: pytest.FixtureRequest) -> Iterator[None]:
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    EARLY.start(request, needed)
    yield
    EARLY.stop()


@pytest.fixture(scope="session")
def quiet_machine() -> None:
    """For tests with a time bound or tight download timeouts against a server in this process:
    they run last, once the early-started work has ended, so that it does not slow them down."""
    EARLY.wait()


# -- the demo site and its crawl ------------------------------------------------------------


@dataclass
class CrawlRun:
    server: DemoServer
    data_dir: Path
    process: subprocess.CompletedProcess[str]
    requests: list[LoggedRequest]  #: what the server was asked during the crawl
    records: list[dict]


def crawl_once(server: DemoServer, data_dir: Path, *options: str) -> CrawlRun:
    """``archiver crawl`` of a demo server into ``data_dir``; nothing else may ask that server meanwhile."""
    server.clear_log()
    process = run_cli("crawl", server.url, "--data-dir", data_dir, *options)
    return CrawlRun(server, data_dir, process, list(server.requests), load_records(data_dir))


def serve_for_session(request: pytest.FixtureRequest, site: DemoSite, name: str) -> tuple[DemoServer, Path]:
    """For an early fixture: ``site`` served until the session ends, and a fresh data dir."""
    server = DemoServer(site).start()
    request.addfinalizer(server.stop)
    return server, request.getfixturevalue("tmp_path_factory").mktemp(name)


def snapshot(data_dir: Path, name: str) -> Path:
    """A copy of the archive as it is now, for commands a test runs on it later."""
    return Path(shutil.copytree(data_dir, data_dir.with_name(f"{data_dir.name}-{name}")))


def early_demo_crawl(name: str, order: int, *options: str) -> None:
    """Registers the session fixture ``name``: a demo site of its own crawled once with ``options``."""

    @EARLY.register(name, order)
    def prepare(request: pytest.FixtureRequest) -> Callable[[], CrawlRun]:
        server, data_dir = serve_for_session(request, DemoSite(articles=DEMO_ARTICLES, seed=7), name)
        return lambda: crawl_once(server, data_dir, *options)


@pytest.fixture(scope="session")
def demo_site() -> DemoSite:
    return DemoSite(articles=DEMO_ARTICLES, seed=7)


@pytest.fixture(scope="session")
def demo_server(demo_site: DemoSite) -> Iterator[DemoServer]:
    """The demo site, crawled by :func:`demo_crawl`; nothing else may request it (its log is the crawl's)."""
    with DemoServer(demo_site) as server:
        yield server


@EARLY.register("demo_crawl", order=0)
def _demo_crawl(request: pytest.FixtureRequest) -> Callable[[], CrawlRun]:
    server: DemoServer = request.getfixturevalue("demo_server")
    data_dir = request.getfixturevalue("tmp_path_factory").mktemp("demo-archive")
    return lambda: crawl_once(server, data_dir)


@pytest.fixture(scope="session")
def demo_crawl(request: pytest.FixtureRequest) -> CrawlRun:
    """The demo site crawled once into a fresh data dir by ``archiver crawl``: read it, don't write it."""
    return EARLY.result("demo_crawl", request)


@EARLY.register("web_archive", order=75)
def _web_archive(request: pytest.FixtureRequest) -> Callable[[], Any]:
    from .web_archive import build_web_archive

    data_dir = request.getfixturevalue("tmp_path_factory").mktemp("web-archive")
    return lambda: build_web_archive(data_dir)


@pytest.fixture(scope="session")
def web_archive(request: pytest.FixtureRequest) -> Any:
    """The web view's archive (tests/web_archive.py), for its tests and its browser tests: read it, don't write it."""
    return EARLY.result("web_archive", request)


# -- Redis ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_port() -> Iterator[int]:
    """A throwaway redis-server on 127.0.0.1 (no persistence); each user takes its own database."""
    pytest.importorskip("redis", reason="the 'redis' extra is not installed (pip install -e '.[redis]')")
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary (CI installs the Debian package redis-server); distributed tests skipped")
    workdir = tempfile.mkdtemp(prefix="redis-")
    output = ""
    for _ in range(3):  # a free port can be taken between the check and the bind
        port = free_port()
        server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                   "no", "--dir", workdir], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if _answers(redis.Redis(port=port, socket_connect_timeout=0.5), server):
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


def _answers(client: Any, server: subprocess.Popen) -> bool:
    import redis

    for _ in range(50):
        if server.poll() is not None:
            return False
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            time.sleep(0.1)
    return False
