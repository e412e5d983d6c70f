"""`archiver health`: a template change that empties article bodies is a warning naming the site."""

from __future__ import annotations

import json
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.reports.health import SiteRun, health_warnings, judge

from .conftest import run_cli


class RedesignedSite(DemoSite):
    """The demo site after a botched redesign: article pages keep their title and lose the body."""

    redesigned = False

    def _article(self, match, raw_query, query, base):  # type: ignore[no-untyped-def]
        page = super()._article(match, raw_query, query, base)
        article = self.article_by_path(f"/{'/'.join(match.groups()[:4])}/")
        if self.redesigned and page.status == 200 and article is not None:
            page.body = (f"<!DOCTYPE html><html><head><title>{article.title}</title></head><body>"
                         f"<h1>{article.title}</h1><p>Story loading.</p></body></html>")
        return page


def test_bodies_vanishing_after_a_redesign_make_health_fail(tmp_path: Path) -> None:
    site = RedesignedSite(articles=12, seed=41)
    with DemoServer(site) as server:
        assert run_cli("crawl", server.url, "--data-dir", tmp_path).returncode == 0
        assert run_cli("crawl", server.url, "--data-dir", tmp_path).returncode == 0  # nothing new: still healthy
        healthy = run_cli("health", "--data-dir", tmp_path)
        assert healthy.returncode == 0, healthy.stdout + healthy.stderr
        assert "No warnings" in healthy.stdout and health_warnings(tmp_path) == []
        site.redesigned = True
        broken = run_cli("crawl", server.url, "--data-dir", tmp_path, "--full")
        assert broken.returncode == 0, broken.stderr

    result = run_cli("health", "--data-dir", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: extraction health warning for 127.0.0.1"
    assert "127.0.0.1" in result.stdout and "<- warning" in result.stdout
    report = json.loads(run_cli("health", "--json", "--data-dir", tmp_path).stdout)
    first, second, third = report["sites"]["127.0.0.1"]
    assert first["stored"] == 12 and first["short_share"] == 0 and not first["warnings"]
    assert second["stored"] == 0 and not second["warnings"]
    assert third["warnings"] == report["warnings"]
    warnings = health_warnings(tmp_path)
    assert warnings and all(w.startswith("127.0.0.1: ") for w in warnings)


def run(stored: int, **counts: int) -> SiteRun:
    return SiteRun(site="news.example", start="2026-01-01T00:00:00+00:00", end="", finish_reason="finished",
                   stored=stored, current=stored, extracted=stored + 5, rejected=5, **counts)


def test_judge_compares_with_the_sites_own_median() -> None:
    usual = [run(40, short=1, no_author=2), run(38, no_author=1), run(45, short=2, no_author=40)]
    assert judge(run(42, short=1, no_author=3), usual) == []
    [author] = judge(run(42, no_author=30), usual)
    assert author.startswith("news.example: no author in 71% of 42 articles") and "usually 5%" in author
    [short] = judge(run(20, short=16), usual)
    assert "short or empty bodies in 80%" in short
    assert judge(run(0, unchanged=30), usual) == []  # a quiet day: everything unchanged
    [nothing] = judge(run(0), usual)
    assert "stored no articles (previous runs: median 40)" in nothing
    assert judge(run(2, no_author=2), usual) == []  # too few articles to judge shares by
    assert judge(run(42, no_author=42), []) == []  # no history yet
