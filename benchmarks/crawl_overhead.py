"""What one small crawl costs the machine, from process start to exit.

A test suite, a cron job every few minutes or a fleet of distributed workers pays a fixed
cost per crawl process before the first article: imports, Scrapy's start, the extraction
workers and the index writer starting, the end-of-run checks. This serves the demo site
with N articles on 127.0.0.1, runs ``archiver crawl`` into a fresh temp dir ``--runs``
times, and prints the CPU seconds of the whole process tree (the crawl, its forkserver,
workers and index writer: a cgroup v1 ``cpuacct`` group, so processes that outlive their
parent are counted too) and the wall seconds of each run, with medians.

    python benchmarks/crawl_overhead.py                  # 1 article, 5 runs
    python benchmarks/crawl_overhead.py --articles 30 --runs 3 -s ARCHIVER_EXTRACT_WORKERS=0

Needs root (or a writable cpuacct hierarchy) to create the cgroup.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def crawl_in_cgroup(url: str, data_dir: Path, extra: list[str]) -> tuple[float, float]:
    """(CPU seconds of the crawl's whole process tree, wall seconds) of one ``archiver crawl``."""
    group = CPUACCT / f"archiver-bench-{os.getpid()}-{time.monotonic_ns()}"
    group.mkdir()
    try:
        command = [sys.executable, "-m", "archiver", "crawl", url, "--data-dir", str(data_dir), "-q", *extra]
        started = time.monotonic()
        # the shell joins the group, then becomes the crawl: every descendant is born inside it
        done = subprocess.run(["sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "sh", *command],
                              capture_output=True, text=True)
        wall = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"the crawl failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        while (group / "tasks").read_text().strip():  # a child still exiting
            time.sleep(0.05)
        return int((group / "cpuacct.usage").read_text()) / 1e9, wall
    finally:
        group.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the crawl (repeatable)")
    args = parser.parse_args()
    if not os.access(CPUACCT, os.W_OK):
        raise SystemExit(f"cannot create a cgroup under {CPUACCT} (run as root on a cgroup v1 machine)")
    extra = [option for setting in args.settings for option in ("-s", setting)]
    cpu, wall = [], []
    with DemoServer(DemoSite(articles=args.articles, seed=7)) as server:
        for run in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory() as tmp:
                seconds, elapsed = crawl_in_cgroup(server.url, Path(tmp) / "archive", extra)
            cpu.append(seconds)
            wall.append(elapsed)
            print(f"run {run}: {seconds:.2f} CPU-s, {elapsed:.2f} s wall", flush=True)
    print(f"median of {args.runs} crawls of {args.articles} article(s): {statistics.median(cpu):.2f} CPU-s, "
          f"{statistics.median(wall):.2f} s wall (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
