"""Date-window crawls: only articles published in the window are stored, and pages that
are clearly outside it (by URL, feed or sitemap dates) are not fetched.

Each crawl has a demo site of its own and starts with the session (``EARLY``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archiver.discovery.window import SLACK, DateWindow, newest_first_priority

from .conftest import EARLY, CrawlRun, early_demo_crawl, invoke

SINCE, UNTIL = date(2018, 1, 1), date(2018, 12, 31)
#: Pages are extracted in the crawl process: a pool of workers would only cost start-up time here.
INLINE = ("--workers", "0")

early_demo_crawl("window_crawl", 70, "--since", SINCE.isoformat(), "--until", UNTIL.isoformat(), *INLINE)
early_demo_crawl("newest_first_crawl", 60, "--newest-first", "--concurrency", "1", *INLINE)


@pytest.fixture(scope="session")
def window_crawl(request: pytest.FixtureRequest) -> CrawlRun:
    return EARLY.result("window_crawl", request)


@pytest.fixture(scope="session")
def newest_first_crawl(request: pytest.FixtureRequest) -> CrawlRun:
    return EARLY.result("newest_first_crawl", request)


def article_days(run: CrawlRun) -> list[tuple[str, date]]:
    """(path, published day) of each article page the server sent, in the order asked."""
    days = {a.path: date.fromisoformat(a.published[:10]) for a in run.server.site.articles}
    return [(r.path, days[r.path]) for r in run.requests if r.path in days]


@pytest.mark.slow
def test_window_crawl_stores_exactly_the_window_and_fetches_little_outside(window_crawl: CrawlRun) -> None:
    done, server = window_crawl.process, window_crawl.server
    assert done.returncode == 0, done.stderr
    window = DateWindow(SINCE, UNTIL)
    inside = {server.base_url + a.path for a in server.site.articles
              if window.contains(date.fromisoformat(a.published[:10]))}
    assert 5 <= len(inside) < len(server.site.articles) / 2  # the window is a real cut of the site
    assert {r["url"] for r in window_crawl.records} == inside
    near = DateWindow(SINCE - SLACK, UNTIL + SLACK)
    fetched_outside = [path for path, day in article_days(window_crawl) if not near.contains(day)]
    assert fetched_outside == []
    everything = sum(1 for _ in server.site.articles)
    assert len(article_days(window_crawl)) <= len(inside) + 2 < everything


@pytest.mark.slow
def test_newest_first_fetches_articles_in_date_order(newest_first_crawl: CrawlRun) -> None:
    done = newest_first_crawl.process
    assert done.returncode == 0, done.stderr
    days = [day for _, day in article_days(newest_first_crawl)]
    assert len(days) >= len(newest_first_crawl.server.site.articles)
    pairs = [(a, b) for i, a in enumerate(days) for b in days[i + 1:] if a != b]
    in_order = sum(1 for a, b in pairs if a > b)
    assert in_order / len(pairs) > 0.9, f"{in_order}/{len(pairs)} pairs newest first"


def test_until_before_since_is_a_one_line_error(tmp_path: Path) -> None:
    # refused before Scrapy starts, so in this process (a crawl here would fail the test)
    done = invoke("crawl", "http://127.0.0.1:9/", "--data-dir", tmp_path, "--since", "2019-01-01", "--until", "2018-01-01")
    assert done.exit_code == 1 and done.stderr.strip() == "Error: --since 2019-01-01 is after --until 2018-01-01"


def test_window_hints() -> None:
    window = DateWindow(SINCE, UNTIL)
    assert window.rules_out("https://n.example/2017/12/30/x/")
    assert not window.rules_out("https://n.example/2017/12/31/x/")  # a day of slack for time zones
    assert window.rules_out("https://n.example/2019/01/02/x/") and not window.rules_out("https://n.example/2019/01/01/x/")
    assert window.rules_out("https://n.example/story/", published="Fri, 29 Dec 2017 10:00:00 +0000")
    assert window.rules_out("https://n.example/story/", lastmod="2017-06-01T00:00:00Z")
    assert not window.rules_out("https://n.example/story/", lastmod="2019-06-01")  # edited later: may be inside
    assert not window.rules_out("https://n.example/story/") and not DateWindow().rules_out("https://n.example/1999/01/01/x")
    today = date(2026, 11, 29)
    assert newest_first_priority(20, today, today) > newest_first_priority(20, date(2026, 10, 1), today)
    assert newest_first_priority(20, date(1990, 1, 1), today) > newest_first_priority(20, None, today)
