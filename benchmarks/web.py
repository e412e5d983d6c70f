"""Web view speed: time to render a search page of ``archiver serve`` on an archive of N articles.

    python benchmarks/web.py [--n 10000] [--queries 210] [--seed 7] [--keep DIR]

Builds an archive of N synthetic articles (the corpus of ``benchmarks/search.py``: ~600
words each from a Zipf-like vocabulary, 20 sites, 120 authors; records written to the
store, then ``archiver reindex``), starts ``archiver serve`` on it in a process of its
own, and times GET requests of the search page (the full HTML read by the client: query,
total, 20 highlighted hits, "did you mean" when nothing matched) for the query mix of
``benchmarks/search.py`` (common and rare words, AND, phrases, common-word phrases, date
ranges, fields), half of them with a filter or another sort as the form offers.

Prints the number of requests, p50/p95/max overall and p50 per query kind, and one
timing each of the timeline and sites pages. Not a test; the machine may be shared,
so check ``uptime`` first; ``--keep DIR`` builds the archive in DIR once and times it
again on later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from search import make_corpus, make_queries, percentile  # benchmarks/search.py, beside this script

from archiver.datadir import DataDir
from archiver.indexing import reindex_archive
from archiver.storage.atomic import atomic_write
from archiver.urls import article_id
from archiver.web.server import THREADS


def write_archive(data_dir: DataDir, records: list[dict]) -> None:
    """The records as a crawl would have stored them, ids derived from their URLs."""
    for record in records:
        record["id"] = article_id(record["url"])
        path = data_dir.record_path(record["site"], record["published"], record["id"])
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed_get(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:  # a query the index refuses: its one-line error page
        exc.read()
        status = exc.code
    return time.perf_counter() - start, status


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=210)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="Build the archive here (reused when it exists).")
    args = parser.parse_args(argv)

    corpus = make_corpus(args.n, args.seed)
    queries = make_queries(corpus, args.queries, args.seed)
    with tempfile.TemporaryDirectory(prefix="web-bench-") as tmp:
        data_dir = DataDir.of(args.keep or Path(tmp) / "archive")
        if data_dir.exists():
            print(f"archive: {len(data_dir.record_paths()):,} articles already in {data_dir.root}")
        else:
            start = time.perf_counter()
            write_archive(data_dir, corpus.records)
            indexed = reindex_archive(data_dir).indexed
            print(f"archive: {indexed:,} articles written and indexed in {time.perf_counter() - start:.0f} s")

        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVER_")}
        server = subprocess.Popen([sys.executable, "-m", "archiver", "serve", "--data-dir", str(data_dir.root),
                                   "--port", str(port)], stderr=subprocess.PIPE, text=True, env=env)
        try:
            assert server.stderr is not None and "Serving" in server.stderr.readline()
            base = f"http://127.0.0.1:{port}"
            for _ in range(THREADS * 3):  # each serving thread reads the index's arrays on its first search
                timed_get(f"{base}/?q=government")
            variants = [{}, {"sort": "newest"}, {"site": corpus.records[0]["site"]}, {"since": "2018-01-01"}]
            timings: dict[str, list[float]] = defaultdict(list)
            statuses: dict[int, int] = defaultdict(int)
            for number, (kind, query, _) in enumerate(queries):
                params = {"q": query, **(variants[number % len(variants)] if number % 2 else {})}
                seconds, status = timed_get(f"{base}/?{urllib.parse.urlencode(params)}")
                timings[kind].append(seconds)
                statuses[status] += 1
            every = [t for values in timings.values() for t in values]
            print(f"search page, {len(every)} requests (HTTP status counts {dict(statuses)}): "
                  f"p50 {percentile(every, 50) * 1000:.1f} ms, p95 {percentile(every, 95) * 1000:.1f} ms, "
                  f"max {max(every) * 1000:.1f} ms, mean {statistics.mean(every) * 1000:.1f} ms")
            for kind, values in timings.items():
                print(f"  {kind:14} n={len(values):3}  p50 {percentile(values, 50) * 1000:7.1f} ms  "
                      f"p95 {percentile(values, 95) * 1000:7.1f} ms")
            for page in ("/timeline?by=month&split=site", "/sites"):
                print(f"{page}: {timed_get(base + page)[0] * 1000:.0f} ms")
        finally:
            server.terminate()
            server.communicate(timeout=30)


if __name__ == "__main__":
    main()
