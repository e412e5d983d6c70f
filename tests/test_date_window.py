"""Date-window crawls: only articles published in the window are stored, and pages that
are clearly outside it (by URL, feed or sitemap dates) are not fetched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.discovery.window import SLACK, DateWindow, newest_first_priority

from .conftest import load_records, run_cli

SINCE, UNTIL = date(2018, 1, 1), date(2018, 12, 31)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(DemoSite(articles=60, seed=7)) as running:
        yield running


def article_days(server: DemoServer) -> list[tuple[str, date]]:
    """(path, published day) of each article page the server sent, in the order asked."""
    days = {a.path: date.fromisoformat(a.published[:10]) for a in server.site.articles}
    return [(r.path, days[r.path]) for r in server.requests if r.path in days]


def test_window_crawl_stores_exactly_the_window_and_fetches_little_outside(server: DemoServer, tmp_path: Path) -> None:
    server.requests.clear()
    done = run_cli("crawl", server.url, "--data-dir", tmp_path, "--since", SINCE.isoformat(), "--until", UNTIL.isoformat())
    assert done.returncode == 0, done.stderr
    window = DateWindow(SINCE, UNTIL)
    inside = {server.base_url + a.path for a in server.site.articles
              if window.contains(date.fromisoformat(a.published[:10]))}
    assert 5 <= len(inside) < len(server.site.articles) / 2  # the window is a real cut of the site
    assert {r["url"] for r in load_records(tmp_path)} == inside
    near = DateWindow(SINCE - SLACK, UNTIL + SLACK)
    fetched_outside = [path for path, day in article_days(server) if not near.contains(day)]
    assert fetched_outside == []
    everything = sum(1 for _ in server.site.articles)
    assert len(article_days(server)) <= len(inside) + 2 < everything


def test_newest_first_fetches_articles_in_date_order(server: DemoServer, tmp_path: Path) -> None:
    server.requests.clear()
    done = run_cli("crawl", server.url, "--data-dir", tmp_path, "--newest-first", "--concurrency", "1")
    assert done.returncode == 0, done.stderr
    days = [day for _, day in article_days(server)]
    assert len(days) >= len(server.site.articles)
    pairs = [(a, b) for i, a in enumerate(days) for b in days[i + 1:] if a != b]
    in_order = sum(1 for a, b in pairs if a > b)
    assert in_order / len(pairs) > 0.9, f"{in_order}/{len(pairs)} pairs newest first"


def test_until_before_since_is_a_one_line_error(server: DemoServer, tmp_path: Path) -> None:
    done = run_cli("crawl", server.url, "--data-dir", tmp_path, "--since", "2019-01-01", "--until", "2018-01-01")
    assert done.returncode == 1 and done.stderr.strip() == "Error: --since 2019-01-01 is after --until 2018-01-01"


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
