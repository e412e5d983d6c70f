"""`archiver health`: a template change that empties article bodies is a warning naming the site."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.demo.site import DemoSite
from archiver.reports.health import SiteRun, health_warnings, judge

from .conftest import EARLY, invoke, run_cli, serve_for_session, snapshot

#: Pages are extracted in the crawl process: a pool of workers would only cost start-up time here.
INLINE = ("--workers", "0")


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


@dataclass
class Redesign:
    data_dir: Path
    crawls: list[subprocess.CompletedProcess[str]]  #: first, nothing new, after the redesign (--full)
    before: Path  #: the archive before the redesign


@EARLY.register("redesign", order=55)
def _redesign(request: pytest.FixtureRequest) -> Callable[[], Redesign]:
    """Two healthy crawls, then a --full crawl after the redesign; in the background."""
    site = RedesignedSite(articles=12, seed=41)
    server, data_dir = serve_for_session(request, site, "redesign")

    def play() -> Redesign:
        crawl = ("crawl", server.url, "--data-dir", data_dir, *INLINE)
        crawls = [run_cli(*crawl), run_cli(*crawl)]  # the second finds nothing new: still healthy
        before = snapshot(data_dir, "before")
        site.redesigned = True
        crawls.append(run_cli(*crawl, "--full"))
        return Redesign(data_dir, crawls, before)

    return play


@pytest.fixture(scope="session")
def redesign(request: pytest.FixtureRequest) -> Redesign:
    return EARLY.result("redesign", request)


@pytest.mark.slow
def test_bodies_vanishing_after_a_redesign_make_health_fail(redesign: Redesign) -> None:
    first, again, broken = redesign.crawls
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    healthy = invoke("health", "--data-dir", redesign.before)
    assert healthy.exit_code == 0, healthy.stdout + healthy.stderr
    assert "No warnings" in healthy.stdout and health_warnings(redesign.before) == []
    assert broken.returncode == 0, broken.stderr

    data_dir = redesign.data_dir
    result = invoke("health", "--data-dir", data_dir)
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: extraction health warning for 127.0.0.1"
    assert "127.0.0.1" in result.stdout and "<- warning" in result.stdout
    report = json.loads(invoke("health", "--json", "--data-dir", data_dir).stdout)
    first_run, second_run, third_run = report["sites"]["127.0.0.1"]
    assert first_run["stored"] == 12 and first_run["short_share"] == 0 and not first_run["warnings"]
    assert second_run["stored"] == 0 and not second_run["warnings"]
    assert third_run["warnings"] == report["warnings"]
    warnings = health_warnings(data_dir)
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


def test_a_run_stopped_by_hand_is_no_baseline() -> None:
    """A crawl stopped early saw the home page's articles and none of the "about" pages:
    the next full run rejects those as non-articles, which is no change of the site."""
    def pages(extracted: int, rejected: int, finish_reason: str) -> SiteRun:
        return SiteRun(site="news.example", start="2026-01-01T00:00:00+00:00", end="", finish_reason=finish_reason,
                       stored=extracted - rejected, current=extracted - rejected, extracted=extracted,
                       rejected=rejected)

    assert judge(pages(30, 10, "finished"), [pages(25, 0, "shutdown")]) == []
    [rejected] = judge(pages(30, 10, "finished"), [pages(25, 0, "finished")])
    assert "33% of 30 pages rejected as non-articles" in rejected

