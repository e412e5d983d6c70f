"""What "already archived?" costs: the crawl state's lookups with and without its key filter.

Fills a crawl state (``state/fetches.sqlite``) with N archived URLs, reopens it, and times
``FetchState.get`` for URLs never seen (the common case: a link) and for archived ones,
against ``get`` as it was before the filter (the URL cleaned, then a SQLite query), and
the two parts a miss now and then cost on their own: the filter's test, the SQL query.
Also prints the time to load the filter at open and its memory (the sorted hash array,
and the RSS the process grew by while loading it).

    python benchmarks/seen_keys.py                       # N = 20,000 and 1,000,000
    python benchmarks/seen_keys.py --sizes 20000 --lookups 50000
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from archiver.datadir import DataDir
from archiver.storage.fetchstate import FetchState
from archiver.urls import clean_url

QUERY = ("SELECT url, fetched_at, etag, last_modified, sitemap_lastmod, content_hash, article_id"
         " FROM fetches WHERE key = ?")


def url(n: int, kind: str = "story") -> str:
    return f"https://news.example/{2000 + n % 25}/{n % 12 + 1:02d}/{n % 28 + 1:02d}/{kind}-{n}-of-the-day/"


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def per_call_us(calls: list[str], lookup: object) -> float:
    """Median over 5 rounds of microseconds per call."""
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for u in calls:
            lookup(u)  # type: ignore[operator]
        rounds.append((time.perf_counter() - started) / len(calls) * 1e6)
    return statistics.median(rounds)


def measure(n: int, lookups: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = DataDir(Path(tmp))
        state = FetchState(data_dir)
        with state.db.writing() as db:  # the rows record() writes; these URLs are already clean keys
            db.executemany("INSERT INTO fetches (key, url, fetched_at, etag, content_hash, article_id)"
                           " VALUES (?, ?, ?, ?, ?, ?)",
                           ((url(i), url(i), "2026-12-01T00:00:00+00:00", '"e"', "h", f"{i:016x}") for i in range(n)))
        state.close()

        before = rss_kb()
        started = time.perf_counter()
        state = FetchState(data_dir)
        load_s = time.perf_counter() - started
        grown_mb = (rss_kb() - before) / 1024
        misses = [url(i, "link") for i in range(lookups)]
        hits = [url(i * (n // lookups or 1) % n) for i in range(lookups)]
        miss_us = per_call_us(misses, state.get)
        hit_us = per_call_us(hits, state.get)
        before_us = per_call_us(misses, lambda u: state.db.query(QUERY, (clean_url(u),)))
        keys = [clean_url(u) for u in misses]
        filter_us = per_call_us(keys, state.keys.__contains__)
        sql_us = per_call_us(keys, lambda k: state.db.query(QUERY, (k,)))
        print(f"{n:>9} {load_s:>8.2f} {state.keys.nbytes / 2**20:>9.1f} {grown_mb:>9.1f} {miss_us:>9.1f} "
              f"{before_us:>10.1f} {hit_us:>8.1f} {filter_us:>10.2f} {sql_us:>8.1f}", flush=True)
        state.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,1000000", help="comma-separated numbers of archived URLs")
    parser.add_argument("--lookups", type=int, default=20000, help="lookups timed per kind")
    args = parser.parse_args()
    print(f"load {os.getloadavg()[0]:.1f}; µs per call, medians of 5 rounds")
    print(f"{'keys':>9} {'load s':>8} {'filter MB':>9} {'RSS +MB':>9} {'miss µs':>9} {'before µs':>10} {'hit µs':>8} "
          f"{'filter µs':>10} {'SQL µs':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        measure(n, args.lookups)


if __name__ == "__main__":
    main()
