"""How crawl cost grows with the archive: articles/s, CPU and peak RSS at several sizes.

Runs a full ``archiver crawl`` of the demo site at each size into a fresh data dir, then
``archiver reindex`` of the result, and prints one line per size (same machine, same run).
Peak RSS is the crawl process's (``ru_maxrss`` from its run log) and, sampled from
/proc, its split into anonymous memory and file-backed pages (mmapped files count in
RSS although the kernel can drop them); "children" is the peak of the child processes
together (extraction workers and the index writer), "writer" the index writer's alone.
Growth is per archived article beyond the smallest size, for the crawl process's
sampled peak RSS and for its anonymous memory alone.

``--marks`` also follows RSS inside one crawl: the crawl process's RSS when the demo
server has served that many article pages (each size's own marks up to its N), the
growth per article between consecutive marks, and how far the peak went above the RSS
at the last article page (the crawl's end: last batches, index commit and checks).

    python benchmarks/scale.py                  # N = 500, 2,000, 10,000
    python benchmarks/scale.py --sizes 500,2000 -s ARCHIVER_INDEX_BATCH_SIZE=1000
    python benchmarks/scale.py --sizes 500,2000 --huge   # adds N = 100,000 (hours)
    python benchmarks/scale.py --sizes 20000 --marks 5000,10000,20000   # the issue's 10k -> 20k growth
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawl import CrawlFigures, TreeSampler, run_crawl  # benchmarks/crawl.py, beside this script

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite


def reindex_rate(data_dir: Path, articles: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archiver", "reindex", "--data-dir", str(data_dir)], check=True,
                   capture_output=True)
    return articles / (time.perf_counter() - started)


class RssMarks:
    """RSS of the crawl process when the demo server has served each mark's number of article pages."""

    def __init__(self, server: DemoServer, marks: list[int]):
        self.server = server
        self.marks = marks
        self.seen: dict[int, int] = {}  #: mark -> RSS kB at the first sample that reached it
        self.served = 0
        self._read = 0  #: requests of the server's log already counted
        self.peak_after_last_kb = 0  #: highest RSS once the last mark was reached

    def __call__(self, sampler: TreeSampler) -> None:
        log = self.server.requests
        for request in log[self._read:len(log)]:
            if request.method == "GET" and request.status == 200 and self.server.site.article_by_path(request.path):
                self.served += 1
        self._read = len(log)
        for mark in self.marks:
            if mark not in self.seen and self.served >= mark:
                self.seen[mark] = sampler.rss_kb
        if self.marks and self.marks[-1] in self.seen:
            self.peak_after_last_kb = max(self.peak_after_last_kb, sampler.rss_kb)

    def line(self) -> str:
        parts, before = [], None
        for mark in self.marks:
            if mark not in self.seen:
                continue
            rss = self.seen[mark]
            part = f"{rss / 1024:.0f} MB at {mark:,}"
            if before is not None:
                part += f" (+{(rss - self.seen[before]) / (mark - before):.2f} KB/article since {before:,})"
            parts.append(part)
            before = mark
        if before is not None:
            parts.append(f"end of crawl: peak {self.peak_after_last_kb / 1024:.0f} MB after the last mark "
                         f"(+{(self.peak_after_last_kb - self.seen[before]) / 1024:.0f} MB)")
        return "  RSS by article pages served: " + "; ".join(parts)


def growth_kb(base: CrawlFigures, figures: CrawlFigures) -> tuple[float, float]:
    """KB of peak RSS (total, anonymous) per article archived beyond ``base``."""
    extra = max(figures.articles - base.articles, 1)
    total = (figures.sampler.peak_rss_kb - base.sampler.peak_rss_kb) / extra
    anon = (figures.sampler.peak_anon_kb - base.sampler.peak_anon_kb) / extra
    return total, anon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,2000,10000", help="comma-separated article counts")
    parser.add_argument("--marks", default="",
                        help="comma-separated article counts at which to read RSS within each crawl")
    parser.add_argument("--huge", action="store_true", help="also N = 100,000")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting passed to every crawl (archiver crawl -s)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")] + ([100_000] if args.huge else [])
    marks = [int(n) for n in args.marks.split(",") if n]
    extra = [f"--set={s}" for s in args.settings]
    if args.settings:
        print(f"settings: {' '.join(args.settings)}")
    print(f"{'articles':>9} {'seconds':>8} {'articles/s':>10} {'pages/s':>8} {'CPU ms/art':>10} "
          f"{'peak RSS MB':>11} {'anon MB':>8} {'file MB':>8} {'children MB':>11} {'writer MB':>9} {'reindex docs/s':>14}  growth")
    base: CrawlFigures | None = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp, DemoServer(DemoSite(articles=n)) as server:
            data_dir = Path(tmp) / "archive"
            within = RssMarks(server, [m for m in marks if m <= n])
            figures = run_crawl(server, data_dir, extra, on_sample=within)
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
        if within.seen:
            print(within.line(), flush=True)


if __name__ == "__main__":
    main()
