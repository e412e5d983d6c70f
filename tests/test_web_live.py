"""The web view searches an archive while a crawl writes to it: every page answers, the totals only grow."""

from __future__ import annotations

import re

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.web import create_app

from .conftest import load_records, run_cli, start_cli


@pytest.mark.slow
def test_search_pages_answer_while_a_crawl_writes(tmp_path) -> None:
    site = DemoSite(articles=80, seed=23)
    data_dir = tmp_path / "archive"
    with DemoServer(site) as server:
        first = run_cli("crawl", server.url, "--data-dir", data_dir, "--max-articles", "10", "--workers", "0")
        assert first.returncode == 0, first.stderr
        client = create_app(data_dir).test_client()
        crawl = start_cli("crawl", server.url, "--data-dir", data_dir, "--workers", "0")
        totals, pages = [], 0
        while crawl.poll() is None or pages < 3:
            for url in ("/?q=said+OR+the+OR+a&sort=newest", "/timeline?by=year", "/sites"):
                response = client.get(url)
                assert response.status_code == 200, (url, response.data[-500:])
            found = re.search(r"of ([\d,]+) article", client.get("/?q=said+OR+the+OR+a").data.decode())
            totals.append(int(found.group(1).replace(",", "")) if found else 0)
            pages += 1
        crawl.communicate(timeout=60)
        assert crawl.returncode == 0
    assert totals == sorted(totals) and totals[0] >= 1
    assert totals[-1] == len(load_records(data_dir)) and totals[-1] > totals[0]
