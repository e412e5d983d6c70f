"""The archive thread's cost per article: each page durable at once, or a batch at a time.

Fetches N pages of the demo site (served on 127.0.0.1) and extracts them once, then, for
each batch size, archives them into a fresh data dir the way ``ArchivePipeline`` does
(``Archive.ingest``, the crawl-state rows, ``Archive.flush`` every B pages and at the
end) and prints wall and CPU ms per article and fsyncs per article. Batch size 1 is the
archive before grouped fsyncs (each record, folder, capture fsynced on its own). Runs
are interleaved and repeated (``--runs``); figures are medians.

    python benchmarks/archive_batches.py
    python benchmarks/archive_batches.py --articles 500 --batches 1,8,32,128 --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from archiver.datadir import DataDir
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.extraction.extract import extract
from archiver.items import Extraction, FetchedPage
from archiver.storage.archive import Archive
from archiver.storage.fetchstate import FetchState


def fetch_pages(n: int) -> list[tuple[FetchedPage, Extraction]]:
    """The demo site's N articles as fetched and extracted pages."""
    pages = []
    with DemoServer(DemoSite(articles=n)) as server:
        for article in server.site.articles:
            url = server.base_url + article.path
            with urllib.request.urlopen(url) as response:
                body = response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
            page = FetchedPage(url=url, final_url=url, status=200, body=body, headers=headers, encoding="utf-8",
                               found_via="sitemap", fetched_at="2026-12-01T00:00:00+00:00")
            extraction = extract(page)
            if isinstance(extraction, Extraction):
                pages.append((page, extraction))
    return pages


class FsyncCounter:
    """Counts os.fsync calls while installed."""

    def __init__(self) -> None:
        self.calls = 0
        self._fsync = os.fsync

    def __enter__(self) -> FsyncCounter:
        def counted(fd: int) -> None:
            self.calls += 1
            self._fsync(fd)

        os.fsync = counted
        return self

    def __exit__(self, *exc: object) -> None:
        os.fsync = self._fsync


def archive_all(pages: list[tuple[FetchedPage, Extraction]], batch: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and fsyncs to archive ``pages`` in batches of ``batch``."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = DataDir(Path(tmp))
        archive, state = Archive(data_dir), FetchState(data_dir)
        if batch > 1 and archive.begin():
            state.begin()
        with FsyncCounter() as fsyncs:
            wall, cpu = time.perf_counter(), time.thread_time()
            for n, (page, extraction) in enumerate(pages, 1):
                result = archive.ingest(page, extraction)
                state.record(page.url, fetched_at=page.fetched_at, etag=page.headers.get("etag"),
                             last_modified=page.headers.get("last-modified"), sitemap_lastmod=None,
                             content_hash=result.record.content_hash, article_id=result.record.id)
                if n % batch == 0:
                    archive.flush(state)
            archive.flush(state)
            archive.close()
            state.close()
            return time.perf_counter() - wall, time.thread_time() - cpu, fsyncs.calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batches", default="1,32", help="comma-separated batch sizes (1: each page at once)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(b) for b in args.batches.split(",")]
    pages = fetch_pages(args.articles)
    figures: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for _ in range(args.runs):
        for size in sizes:
            figures[size].append(archive_all(pages, size))
    n = len(pages)
    print(f"{n} articles, {args.runs} interleaved runs, medians; load {os.getloadavg()[0]:.1f}")
    print(f"{'batch':>6} {'wall ms/article':>16} {'CPU ms/article':>15} {'fsyncs/article':>15}")
    for size in sizes:
        wall = statistics.median(f[0] for f in figures[size]) * 1000 / n
        cpu = statistics.median(f[1] for f in figures[size]) * 1000 / n
        syncs = statistics.median(f[2] for f in figures[size]) / n
        print(f"{size:>6} {wall:>16.2f} {cpu:>15.2f} {syncs:>15.2f}")


if __name__ == "__main__":
    main()
