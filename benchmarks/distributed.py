"""Distributed crawl throughput: articles/s with 1 and 2 workers on one shared Redis frontier.

Starts a throwaway redis-server on 127.0.0.1, serves the demo site with N articles, and
for each worker count: seeds the crawl (``archiver crawl --redis``), starts the workers
(``archiver worker``, separate processes, as on separate machines), and times from their
start until the shared key store holds every article. For reference it also times a
single-machine ``archiver crawl`` of the same site without indexing (start to exit).
Each configuration also reports the CPU its processes used (workers, their extraction
pools), in cores: workers on one machine share its cores, so once they use them all a
further worker adds nothing. Runs are interleaved and medians printed, because a shared
machine drifts.

    python benchmarks/distributed.py                       # N = 1,000, one run
    python benchmarks/distributed.py --articles 2000 --runs 3 --workers 1 2 4
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.storage.rediskeys import ARTICLES_KEY


def start_redis(workdir: Path) -> tuple[subprocess.Popen, int]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return server, port
        except redis.ConnectionError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


TICK = os.sysconf("SC_CLK_TCK")


def cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "archiver", *map(str, args)]


@dataclass
class CpuSampler:
    """CPU seconds used by some processes and their descendants, sampled from /proc."""

    roots: list[int]
    seen: dict[int, float] = field(default_factory=dict)  #: pid → utime + stime at its last sample

    def sample(self) -> None:
        todo = list(self.roots)
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                self.seen[pid] = (int(fields[11]) + int(fields[12])) / TICK
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        todo += [int(c) for c in handle.read().split()]
            except (OSError, IndexError, ValueError):
                continue  # it just exited: its last sample stands

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


@dataclass
class Result:
    seconds: float  #: until every article was stored (distributed) or the crawl exited (single)
    cores: float  #: CPU seconds of the crawl processes per second of it


def distributed_run(site_url: str, articles: int, workers: int, redis_url: str, workdir: Path,
                    extra: list[str]) -> Result:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    data_dir = workdir / f"archive-{workers}"
    subprocess.run(cli("crawl", site_url, "--redis", redis_url, "--data-dir", data_dir), check=True,
                   capture_output=True, env={**os.environ, "ARCHIVER_STATE_DIR": str(workdir / "state-seed")})
    started = time.monotonic()
    processes = [subprocess.Popen(cli("worker", "--redis", redis_url, "--data-dir", data_dir, "--idle-exit", "1",
                                      "--state-dir", workdir / f"state-{workers}-{i}", *extra),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(workers)]
    cpu = CpuSampler([p.pid for p in processes])
    while client.hlen(ARTICLES_KEY) < articles:
        if all(p.poll() is not None for p in processes):
            raise SystemExit(f"workers exited with {client.hlen(ARTICLES_KEY)} of {articles} articles stored")
        cpu.sample()
        time.sleep(0.1)
    stored = time.monotonic() - started
    for process in processes:
        process.wait()
    return Result(stored, cpu.seconds / stored)


def single_run(site_url: str, workdir: Path, extra: list[str]) -> Result:
    started = time.monotonic()
    process = subprocess.Popen(cli("crawl", site_url, "--data-dir", workdir / "archive-single", "-s",
                                   "ARCHIVER_INDEX_ENABLED=False", *extra),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu = CpuSampler([process.pid])
    while process.poll() is None:
        cpu.sample()
        time.sleep(0.1)
    if process.returncode:
        raise SystemExit(f"archiver crawl failed ({process.returncode})")
    seconds = time.monotonic() - started
    return Result(seconds, cpu.seconds / seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="Scrapy setting for every crawl process")
    args = parser.parse_args()
    extra = [arg for pair in args.settings for arg in ("-s", pair)]
    os.environ["PYTHONWARNINGS"] = "ignore"
    site = DemoSite(articles=args.articles, seed=7)
    with tempfile.TemporaryDirectory(prefix="bench-distributed-") as tmp, DemoServer(site) as server:
        workdir = Path(tmp)
        redis_server, port = start_redis(workdir)
        try:
            total = len(site.articles)
            url = f"redis://127.0.0.1:{port}/0"
            results: dict[str, list[Result]] = {}
            for run in range(args.runs):  # interleaved: drift on a shared machine hits every configuration
                results.setdefault("single-machine crawl, no index", []).append(
                    single_run(server.url, workdir / f"s{run}", extra))
                for workers in args.workers:
                    results.setdefault(f"{workers} worker{'s' if workers > 1 else ''} on Redis", []).append(
                        distributed_run(server.url, total, workers, url, workdir / f"d{workers}-{run}", extra))
            print(f"demo site: {total} articles; {os.cpu_count()} CPU cores; medians of {args.runs} run(s)")
            for name, runs in results.items():
                seconds = statistics.median(r.seconds for r in runs)
                cores = statistics.median(r.cores for r in runs)
                print(f"{name:32} {total / seconds:6.1f} articles/s  ({seconds:5.1f} s, {cores:.2f} cores busy)")
        finally:
            redis_server.terminate()
            redis_server.wait()


if __name__ == "__main__":
    main()
