"""End-to-end crawl throughput against the extraction limit of this machine.

Serves the demo site with N articles on 127.0.0.1, runs a full ``archiver crawl`` into a
temp dir (a separate process, as a user would), then, in the same run, measures the
*extraction limit*: ``extract()`` over the same pages' saved HTML in one process and
with a worker pool of the crawl's size. Prints articles/s, pages/s, CPU seconds, peak RSS
and the ratio crawl ÷ single-process extraction.

    python benchmarks/crawl.py                 # N = 2,000
    python benchmarks/crawl.py --articles 500 --workers 2
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.extract import extract
from archiver.items import Extraction, FetchedPage


@dataclass
class CrawlFigures:
    articles: int
    requests: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float  #: of the crawl process (extraction workers not included)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def pages_per_s(self) -> float:
        return self.requests / self.seconds


def run_crawl(url: str, data_dir: Path, extra: list[str]) -> CrawlFigures:
    """One ``archiver crawl`` in a child process; CPU from rusage, peak RSS from its run log."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "archiver", "crawl", url, "--data-dir", str(data_dir), *extra],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    run = json.loads((data_dir / "state" / "runs.jsonl").read_text().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return CrawlFigures(run["articles"], run["requests"], seconds, cpu, run["peak_rss_mb"])


def saved_pages(data_dir: Path) -> list[FetchedPage]:
    """The archived pages' raw HTML, as the extractor saw them."""
    pages = []
    for path in sorted((data_dir / "raw").rglob("*.html.gz")):
        body = gzip.decompress(path.read_bytes())
        pages.append(FetchedPage(url="http://127.0.0.1/", final_url="http://127.0.0.1/", status=200, body=body,
                                 encoding="utf-8"))
    return pages


def extraction_rate(pages: list[FetchedPage], workers: int) -> float:
    """Articles/s of extract() alone: inline (workers=0) or in a process pool."""
    started = time.perf_counter()
    if workers == 0:
        results = [extract(page) for page in pages]
    else:
        with ProcessPoolExecutor(workers) as pool:
            pool.submit(int).result()  # start-up is not extraction
            started = time.perf_counter()
            results = list(pool.map(extract, pages, chunksize=8))
    seconds = time.perf_counter() - started
    assert sum(isinstance(r, Extraction) for r in results) >= len(pages) * 0.95
    return len(pages) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    site = DemoSite(articles=args.articles)
    with tempfile.TemporaryDirectory() as tmp, DemoServer(site) as server:
        data_dir = Path(tmp) / "archive"
        crawl = run_crawl(server.url, data_dir, ["--workers", str(args.workers)])
        again = run_crawl(server.url, data_dir, ["--workers", str(args.workers)])
        pages = saved_pages(data_dir)
    single = extraction_rate(pages, 0)
    pooled = extraction_rate(pages, args.workers)
    print(f"demo site: {args.articles} articles, {os.cpu_count()} cores, {args.workers} extraction workers")
    print(f"full crawl:        {crawl.articles} articles, {crawl.requests} requests in {crawl.seconds:.1f} s "
          f"= {crawl.articles_per_s:.1f} articles/s, {crawl.pages_per_s:.1f} pages/s; "
          f"CPU {crawl.cpu_seconds:.1f} s; peak RSS {crawl.peak_rss_mb:.0f} MB")
    print(f"incremental crawl: {again.articles} new, {again.requests} requests in {again.seconds:.1f} s "
          f"({crawl.seconds / again.seconds:.1f}x faster than the full crawl)")
    print(f"extraction limit:  {single:.1f} articles/s in one process, {pooled:.1f} articles/s with {args.workers} workers "
          f"({len(pages)} saved pages)")
    print(f"ratio crawl / single-process extraction: {crawl.articles_per_s / single:.2f}")
    print(f"ratio crawl / pooled extraction:         {crawl.articles_per_s / pooled:.2f}")


if __name__ == "__main__":
    main()
