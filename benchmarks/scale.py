"""How crawl cost grows with the archive: articles/s, CPU and peak RSS at several sizes.

Runs a full ``archiver crawl`` of the demo site at each size into a fresh data dir, then
``archiver reindex`` of the result, and prints one line per size (same machine, same run).
Peak RSS is the crawl process's (``ru_maxrss`` from its run log) and, sampled from
/proc, its split into anonymous memory and file-backed pages (mmapped files count in
RSS although the kernel can drop them); "children" is the peak of the child processes
together (extraction workers and the index writer), "writer" the index writer's alone.
Growth is per archived article beyond the smallest size, for the crawl process's
sampled peak RSS and for its anonymous memory alone.

    python benchmarks/scale.py                  # N = 500, 2,000, 10,000
    python benchmarks/scale.py --sizes 500,2000 -s ARCHIVER_INDEX_BATCH_SIZE=1000
    python benchmarks/scale.py --sizes 500,2000 --huge   # adds N = 100,000 (hours)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawl import CrawlFigures, run_crawl  # benchmarks/crawl.py, beside this script

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite


def reindex_rate(data_dir: Path, articles: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archiver", "reindex", "--data-dir", str(data_dir)], check=True,
                   capture_output=True)
    return articles / (time.perf_counter() - started)


def growth_kb(base: CrawlFigures, figures: CrawlFigures) -> tuple[float, float]:
    """KB of peak RSS (total, anonymous) per article archived beyond ``base``."""
    extra = max(figures.articles - base.articles, 1)
    total = (figures.sampler.peak_rss_kb - base.sampler.peak_rss_kb) / extra
    anon = (figures.sampler.peak_anon_kb - base.sampler.peak_anon_kb) / extra
    return total, anon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,2000,10000", help="comma-separated article counts")
    parser.add_argument("--huge", action="store_true", help="also N = 100,000")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting passed to every crawl (archiver crawl -s)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")] + ([100_000] if args.huge else [])
    extra = [f"--set={s}" for s in args.settings]
    if args.settings:
        print(f"settings: {' '.join(args.settings)}")
    print(f"{'articles':>9} {'seconds':>8} {'articles/s':>10} {'pages/s':>8} {'CPU ms/art':>10} "
          f"{'peak RSS MB':>11} {'anon MB':>8} {'file MB':>8} {'children MB':>11} {'writer MB':>9} {'reindex docs/s':>14}  growth")
    base: CrawlFigures | None = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp, DemoServer(DemoSite(articles=n)) as server:
            data_dir = Path(tmp) / "archive"
            figures = run_crawl(server.url, data_dir, extra)
            rate = reindex_rate(data_dir, figures.articles)
        s = figures.sampler
        growth = ""
        if base is None:
            base = figures
        else:
            total, anon = growth_kb(base, figures)
            growth = f"+{total:.1f} KB/article RSS (anon +{anon:.1f}) beyond N = {base.articles}"
        print(f"{figures.articles:>9} {figures.seconds:>8.1f} {figures.articles_per_s:>10.1f} {figures.pages_per_s:>8.1f} "
              f"{1000 * figures.cpu_seconds / max(figures.articles, 1):>10.1f} {figures.peak_rss_mb:>11.0f} "
              f"{s.peak_anon_kb / 1024:>8.0f} {s.peak_file_kb / 1024:>8.0f} {s.peak_workers_kb / 1024:>11.0f} "
              f"{s.peak_writer_kb / 1024:>9.0f} "
              f"{rate:>14.1f}  {growth}", flush=True)


if __name__ == "__main__":
    main()
