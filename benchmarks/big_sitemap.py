"""What one big sitemap costs a crawl: CPU of the crawl's process tree to queue its URLs.

Serves a site whose sitemap lists ``--urls`` addresses (a few articles, the rest pages
robots.txt forbids or that answer 404), crawls it with ``archiver crawl --max-pages 60`` as
tests/test_hostile.py does, and prints the CPU seconds of the whole crawl (a cgroup v1
``cpuacct`` group, as benchmarks/crawl_overhead.py counts it) and per queued URL, with
medians over ``--runs``. Every URL goes through the spider middlewares, the dupefilter and
the frontier on disk (``JOBDIR``) before the page limit stops the crawl.

    python benchmarks/big_sitemap.py                 # 20,000 URLs, 3 runs
    python benchmarks/big_sitemap.py --urls 50000 --runs 1

Needs root (or a writable cpuacct hierarchy) to create the cgroup.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from crawl_overhead import crawl_in_cgroup  # noqa: E402
from hostile_site import HostileServer, big_sitemap_site  # noqa: E402

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cpu: list[float] = []
    with HostileServer(big_sitemap_site(args.urls)) as server, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            used, wall = crawl_in_cgroup(server.base_url + "/", Path(tmp) / f"run{run}",
                                         ["--workers", "0", "--max-pages", "60"])
            cpu.append(used)
            print(f"run {run + 1}: {used:.2f} CPU-s, {wall:.2f} s wall", flush=True)
    median = statistics.median(cpu)
    print(f"median of {args.runs} crawls of a {args.urls:,}-URL sitemap: {median:.2f} CPU-s, "
          f"{1000 * median / args.urls:.3f} ms per URL (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
