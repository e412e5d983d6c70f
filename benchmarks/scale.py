"""How crawl cost grows with the archive: articles/s and peak RSS at several sizes.

Runs a full ``archiver crawl`` of the demo site at each size into a fresh data dir, then
``archiver reindex`` of the result, and prints one line per size (same machine, same run).

    python benchmarks/scale.py                  # N = 500, 2,000, 10,000
    python benchmarks/scale.py --sizes 500,2000 --huge   # adds N = 100,000 (hours)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawl import run_crawl  # benchmarks/crawl.py, beside this script

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite


def reindex_rate(data_dir: Path, articles: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archiver", "reindex", "--data-dir", str(data_dir)], check=True,
                   capture_output=True)
    return articles / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,2000,10000", help="comma-separated article counts")
    parser.add_argument("--huge", action="store_true", help="also N = 100,000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")] + ([100_000] if args.huge else [])
    print(f"{'articles':>9} {'seconds':>8} {'articles/s':>10} {'pages/s':>8} {'peak RSS MB':>11} {'reindex docs/s':>14}")
    base_rss = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp, DemoServer(DemoSite(articles=n)) as server:
            data_dir = Path(tmp) / "archive"
            figures = run_crawl(server.url, data_dir, [])
            rate = reindex_rate(data_dir, figures.articles)
        base_rss = base_rss or (figures.peak_rss_mb, n)
        per_article_kb = (figures.peak_rss_mb - base_rss[0]) * 1024 / max(n - base_rss[1], 1)
        print(f"{figures.articles:>9} {figures.seconds:>8.1f} {figures.articles_per_s:>10.1f} {figures.pages_per_s:>8.1f} "
              f"{figures.peak_rss_mb:>11.0f} {rate:>14.1f}" + (f"   (+{per_article_kb:.2f} KB RSS per article)" if n != base_rss[1] else ""),
              flush=True)


if __name__ == "__main__":
    main()
