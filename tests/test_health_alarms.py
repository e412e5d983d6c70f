"""`archiver health` alarms on what is wrong and only on that: nothing new is normal, runs
that fetched or stored nothing are not, and one run has no history yet (issue 18, item 12)."""

from __future__ import annotations

import socket
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import invoke, run_cli
from .hostile_site import HostileServer, HostileSite, page


def test_quiet_runs_after_a_limited_first_crawl_are_healthy(tmp_path: Path) -> None:
    """A first crawl cut short saw few non-article pages; later runs that find nothing new
    re-read all of them (and little else): that is not a rise in rejected pages."""
    site = DemoSite(articles=40, seed=12)
    with DemoServer(site) as server:
        assert run_cli("crawl", server.url, "--data-dir", tmp_path, "--max-articles", "8").returncode == 0
        assert run_cli("crawl", server.url, "--data-dir", tmp_path).returncode == 0
        quiet = run_cli("crawl", server.url, "--data-dir", tmp_path)
    assert quiet.returncode == 0 and "0 new articles, 0 updated" in quiet.stdout, quiet.stdout
    assert "Warning" not in quiet.stdout, quiet.stdout
    health = invoke("health", "--data-dir", tmp_path)
    assert health.exit_code == 0, health.stdout + health.stderr
    assert "No warnings: every site's latest run looks like its previous ones." in health.stdout


def test_a_site_that_never_yields_an_article_is_a_warning(tmp_path: Path) -> None:
    """Every page is too short to be an article (a parked domain, a login wall): each run
    stores nothing, and that must not pass as 'no warnings'."""
    site = HostileSite()
    notes = [f"/notes/{n}/" for n in range(6)]
    site.routes["/"] = lambda s, t, q: page("".join(f'<p><a href="{path}">note</a></p>' for path in notes))
    for path in notes:
        site.routes[path] = lambda s, t, q: page("<p>Members only. Please log in.</p>")
    with HostileServer(site) as server:
        for _ in range(2):
            assert run_cli("crawl", server.base_url + "/", "--data-dir", tmp_path).returncode == 0
    health = invoke("health", "--data-dir", tmp_path)
    assert health.exit_code == 1, health.stdout
    assert "127.0.0.1: no article stored yet" in health.stdout
    assert health.stderr == "Error: extraction health warning for 127.0.0.1\n"


def test_a_run_that_fetched_nothing_is_a_warning(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert run_cli("crawl", f"http://127.0.0.1:{port}/", "--data-dir", tmp_path).returncode == 1
    health = invoke("health", "--data-dir", tmp_path)
    assert health.exit_code == 1, health.stdout
    assert "127.0.0.1: the run of" in health.stdout and "fetched nothing" in health.stdout


def test_one_run_has_no_history_to_compare_with(tmp_path: Path) -> None:
    with DemoServer(DemoSite(articles=8, seed=13)) as server:
        assert run_cli("crawl", server.url, "--data-dir", tmp_path).returncode == 0
    health = invoke("health", "--data-dir", tmp_path)
    assert health.exit_code == 0, health.stdout + health.stderr
    assert "looks like its previous ones" not in health.stdout
    assert "Crawled once so far, no history to compare with yet: 127.0.0.1." in health.stdout
