"""What a date-window crawl fetches, and how well ``--newest-first`` orders the frontier.

On the demo site (60 articles, seed 7): a crawl with ``--since/--until`` (one year) counts
the article pages fetched inside and outside the window; two crawls with one request at a
time measure the share of article pairs fetched newest first, with and without the flag.

    python benchmarks/date_window.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.discovery.window import DateWindow

SINCE, UNTIL = date(2018, 1, 1), date(2018, 12, 31)


def crawl(server: DemoServer, *extra: str) -> list[date]:
    """Publication days of the article pages the crawl fetched, in the order asked."""
    days = {a.path: date.fromisoformat(a.published[:10]) for a in server.site.articles}
    server.requests.clear()
    with tempfile.TemporaryDirectory() as data_dir:
        subprocess.run([sys.executable, "-m", "archiver", "crawl", server.url, "--data-dir", data_dir, *extra],
                       capture_output=True, check=True)
    return [days[r.path] for r in server.requests if r.path in days]


def newest_first_share(days: list[date]) -> float:
    pairs = [(a, b) for i, a in enumerate(days) for b in days[i + 1:] if a != b]
    return sum(a > b for a, b in pairs) / len(pairs)


def main() -> None:
    with DemoServer(DemoSite(articles=60, seed=7)) as server:
        window = DateWindow(SINCE, UNTIL)
        inside = sum(window.contains(date.fromisoformat(a.published[:10])) for a in server.site.articles)
        full = crawl(server)
        full_requests = len(server.requests)
        fetched = crawl(server, "--since", SINCE.isoformat(), "--until", UNTIL.isoformat())
        print(f"window {SINCE}..{UNTIL}: {inside} articles inside; fetched {sum(map(window.contains, fetched))} "
              f"inside and {sum(not window.contains(d) for d in fetched)} outside, "
              f"{len(server.requests)} requests (full crawl: {full_requests}, {len(full)} article pages)")
        for extra in ((), ("--newest-first",)):
            share = newest_first_share(crawl(server, "--concurrency", "1", *extra))
            print(f"{' '.join(extra) or 'default order':15} {share:.0%} of article pairs fetched newest first")


if __name__ == "__main__":
    main()
