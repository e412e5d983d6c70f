"""Storage cost of raw captures: WARC (as the crawl writes it) against the gzipped HTML files
the archive kept before (``raw/<site>/<id>/<stamp>-<hash>.html.gz``, gzip level 6).

Serves the demo site on 127.0.0.1, crawls it with ``archiver crawl`` into a temp dir, then
reads every record's capture back and prints, per article: the bytes of its WARC capture
(gzipped response record + request record), of the response record alone, and of the
same body gzipped as before; the ratio of medians; and the whole ``warc/`` folder divided
by the articles (warcinfo and every other record included). A re-crawl then shows what an
unchanged article costs (revisit records), and ``--all-responses`` repeats the first crawl
with ``ARCHIVER_WARC_ALL_RESPONSES`` (robots.txt, sitemaps, feeds and listings kept too).
``--speed-runs N`` times N full crawls with captures and N without (``ARCHIVER_STORE_RAW=0``),
alternating, and prints the medians and their ratio (what writing and fsyncing captures costs).

    python benchmarks/warc_storage.py                    # 120 articles
    python benchmarks/warc_storage.py --articles 500 --all-responses --speed-runs 3
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archiver.datadir import DataDir
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.storage.captures import Capture, read_capture
from archiver.storage.records import ArticleStore


def crawl(url: str, data_dir: Path, *extra: str) -> None:
    done = subprocess.run([sys.executable, "-m", "archiver", "crawl", url, "--data-dir", str(data_dir), *extra],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"crawl failed: {done.stderr[-2000:]}")


def crawl_seconds(url: str, root: Path, keep: bool) -> float:
    started = time.perf_counter()
    crawl(url, root, "-s", f"ARCHIVER_STORE_RAW={int(keep)}")
    return time.perf_counter() - started


def record_sizes(paths: list[Path]) -> dict[str, list[int]]:
    """Compressed bytes of each record in these WARC files, by record type."""
    sizes: dict[str, list[int]] = {}
    for path in paths:
        with path.open("rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                kind = record.rec_type
                records.read_to_end()
                sizes.setdefault(kind, []).append(records.get_record_length())
    return sizes


def warc_bytes(data_dir: DataDir) -> int:
    return sum(path.stat().st_size for path in data_dir.warc_files())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--all-responses", action="store_true", help="Also crawl once with ARCHIVER_WARC_ALL_RESPONSES.")
    parser.add_argument("--speed-runs", type=int, default=0, help="Time this many crawls with and without captures.")
    args = parser.parse_args()
    site = DemoSite(articles=args.articles, seed=7)
    with DemoServer(site) as server, tempfile.TemporaryDirectory() as tmp:
        data_dir = DataDir(Path(tmp) / "archive")
        crawl(server.url, data_dir.root)
        records = list(ArticleStore(data_dir).iter_records())
        captures = [Capture.from_dict(r["capture"]) for r in records]
        bodies = [read_capture(data_dir, c).body for c in captures]
        legacy = [len(gzip.compress(body, compresslevel=6)) for body in bodies]
        sizes = record_sizes(data_dir.warc_files())
        pair = [c.length for c in captures]
        n = len(records)
        total = warc_bytes(data_dir)
        print(f"demo site, {n} articles; median raw HTML body {statistics.median(len(b) for b in bodies):.0f} bytes")
        print("per article            median   mean")
        print(f"  before: .html.gz     {statistics.median(legacy):7.0f} {statistics.mean(legacy):7.0f}")
        print(f"  WARC response record {statistics.median(sizes['response']):7.0f} {statistics.mean(sizes['response']):7.0f}")
        print(f"  WARC resp.+request   {statistics.median(pair):7.0f} {statistics.mean(pair):7.0f}")
        print(f"  ratio WARC capture / .html.gz (medians): {statistics.median(pair) / statistics.median(legacy):.2f}")
        print(f"  whole warc/ folder / articles: {total / n:.0f} bytes ({total} bytes in {len(data_dir.warc_files())} "
              f"file(s); .html.gz total {sum(legacy)}, ratio {total / sum(legacy):.2f})")

        crawl(server.url, data_dir.root)
        again = record_sizes(data_dir.warc_files())
        revisits = again.get("revisit", [])
        added = warc_bytes(data_dir) - total
        print(f"re-crawl, nothing changed: {len(revisits)} revisit records, median {statistics.median(revisits or [0]):.0f} "
              f"bytes; the WARC grew {added} bytes ({added / n:.0f} per article)")

        if args.all_responses:
            full = DataDir(Path(tmp) / "all")
            crawl(server.url, full.root, "-s", "ARCHIVER_WARC_ALL_RESPONSES=1")
            kept = record_sizes(full.warc_files())
            print(f"with ARCHIVER_WARC_ALL_RESPONSES: {len(kept['response'])} responses, whole warc/ folder / articles: "
                  f"{warc_bytes(full) / n:.0f} bytes")

        if args.speed_runs:
            times: dict[bool, list[float]] = {True: [], False: []}
            for run in range(args.speed_runs):
                for keep in (True, False) if run % 2 == 0 else (False, True):
                    times[keep].append(crawl_seconds(server.url, Path(tmp) / f"speed-{run}-{keep}", keep))
            on, off = statistics.median(times[True]), statistics.median(times[False])
            print(f"full crawl, median of {args.speed_runs}: {on:.1f} s with WARC captures, {off:.1f} s without "
                  f"(ratio {on / off:.2f})")


if __name__ == "__main__":
    main()
