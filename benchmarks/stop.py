"""How long a crawl takes to stop after Ctrl-C, and what it leaves.

Serves the demo site on 127.0.0.1, starts ``archiver crawl`` in its own process group (as
a shell starts a job), waits until it has stored ``--after`` articles, sends SIGINT to the
whole group (what Ctrl-C does on a terminal), and times the exit. Prints, per run and as
medians: seconds from the signal to the exit, the exit status, whether stderr held a
traceback, and how many articles were stored after the signal.

``--compare DIR`` runs another copy of the code (e.g. ``git archive <commit> | tar -x -C
DIR``) in turn with this one, so both are measured on the same machine at the same time.

    python benchmarks/stop.py --runs 5
    python benchmarks/stop.py --runs 5 --compare /tmp/base
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

#: A crawl still running this long after the signal is counted as hung and killed.
HUNG = 120.0


@dataclass
class Stop:
    seconds: float  #: from the signal to the crawl process's exit (HUNG if it did not)
    status: int | None  #: its exit status; None: hung, killed
    traceback: bool
    stored_after: int
    leftovers: bool  #: processes it started still held its output open after it exited


def records(data_dir: Path) -> int:
    return sum(1 for _ in (data_dir / "articles").rglob("*.json")) if (data_dir / "articles").is_dir() else 0


def stop_once(url: str, data_dir: Path, after: int, code: str | None) -> Stop:
    env = {k: v for k, v in os.environ.items() if k != "ARCHIVER_DATA_DIR"}
    if code:
        env["PYTHONPATH"] = code
    crawl = subprocess.Popen([sys.executable, "-m", "archiver", "crawl", url, "--data-dir", str(data_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=data_dir.parent, start_new_session=True)  # not here: `-m` would import ./archiver
    while crawl.poll() is None and records(data_dir) < after:
        time.sleep(0.05)
    stored = records(data_dir)
    started = time.monotonic()
    os.killpg(crawl.pid, signal.SIGINT)
    try:
        status: int | None = crawl.wait(timeout=HUNG)
    except subprocess.TimeoutExpired:
        status = None
    seconds = time.monotonic() - started
    try:
        _, err = crawl.communicate(timeout=10)
        leftovers = False
    except subprocess.TimeoutExpired:
        leftovers = True
        os.killpg(crawl.pid, signal.SIGKILL)
        _, err = crawl.communicate()
    return Stop(seconds, status, "Traceback" in err, records(data_dir) - stored, leftovers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--after", type=int, default=30, help="stored articles before the signal")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", metavar="DIR", help="another copy of the code to measure in turn")
    args = parser.parse_args()
    versions = {"this code": None} | ({f"code in {args.compare}": args.compare} if args.compare else {})
    results: dict[str, list[Stop]] = {name: [] for name in versions}
    with DemoServer(DemoSite(articles=args.articles)) as server:
        for run in range(args.runs):
            for name, code in versions.items():
                with tempfile.TemporaryDirectory(prefix="stop-bench-") as tmp:
                    stop = stop_once(server.url, Path(tmp) / "archive", args.after, code)
                results[name].append(stop)
                print(f"run {run + 1} {name}: {stop.seconds:.1f} s to exit, status {stop.status}, "
                      f"traceback {'yes' if stop.traceback else 'no'}, {stop.stored_after} articles stored after "
                      f"the signal, output held open by leftover processes: {'yes' if stop.leftovers else 'no'}",
                      flush=True)
    for name, stops in results.items():
        hung = sum(s.status is None for s in stops)
        print(f"{name}: median {statistics.median(s.seconds for s in stops):.1f} s, "
              f"max {max(s.seconds for s in stops):.1f} s from SIGINT to exit; statuses "
              f"{sorted({s.status for s in stops}, key=str)}; tracebacks in {sum(s.traceback for s in stops)} of "
              f"{len(stops)} runs; hung (killed after {HUNG:.0f} s) {hung}; leftover processes holding the output in "
              f"{sum(s.leftovers for s in stops)}")


if __name__ == "__main__":
    main()
