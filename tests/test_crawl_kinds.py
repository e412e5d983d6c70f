"""End to end, both demo publishers: only articles stored, pages not archived counted by kind,
people-only authors and credits exact, and a re-crawl where only the chrome changed revises nothing."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from archiver.demo.custom import CustomSite
from archiver.demo.server import DemoServer, LoggedRequest

from .conftest import EARLY, CrawlRun, crawl_once, invoke, load_records, run_cli, serve_for_session

NOT_ARCHIVED = re.compile(r"^Not archived: (.*)$", re.M)


@EARLY.register("custom_crawl", order=30)
def _custom_crawl(request: pytest.FixtureRequest) -> Callable[[], CrawlRun]:
    server, data_dir = serve_for_session(request, CustomSite(articles=60, seed=11), "custom-archive")
    return lambda: crawl_once(server, data_dir)


@pytest.fixture(scope="session")
def custom_crawl(request: pytest.FixtureRequest) -> CrawlRun:
    """The custom-CMS demo site crawled once, in the background as the session starts."""
    return EARLY.result("custom_crawl", request)


@pytest.fixture
def custom_server(custom_crawl: CrawlRun) -> DemoServer:
    return custom_crawl.server


@pytest.fixture
def custom_site(custom_server: DemoServer) -> CustomSite:
    return custom_server.site


def not_archived(stdout: str) -> dict[str, int]:
    match = NOT_ARCHIVED.search(stdout)
    assert match, stdout
    return {reason: int(n) for n, reason in (item.split(" ", 1) for item in match.group(1).split(", "))}


def kinds_fetched(requests: list[LoggedRequest], truth: dict[str, str]) -> Counter[str]:
    """The true kind of every page the crawl fetched in full that is not an article."""
    return Counter(truth[r.path] for r in requests if r.status == 200 and r.path in truth)


@pytest.fixture(params=["wordpress", "custom"])
def crawled(request) -> tuple[CrawlRun, DemoServer, object]:
    if request.param == "wordpress":
        return request.getfixturevalue("demo_crawl"), request.getfixturevalue("demo_server"), \
            request.getfixturevalue("demo_site")
    return request.getfixturevalue("custom_crawl"), request.getfixturevalue("custom_server"), \
        request.getfixturevalue("custom_site")


def test_pages_not_archived_are_counted_by_their_true_kind(crawled) -> None:
    run, server, site = crawled
    assert run.process.returncode == 0, run.process.stderr
    expected = kinds_fetched(run.requests, site.page_kinds())
    assert expected["listing"] and expected["static"]
    assert not_archived(run.process.stdout) == dict(expected)
    last_run = json.loads((run.data_dir / "state" / "runs.jsonl").read_text().splitlines()[-1])
    assert last_run["not_archived"] == dict(expected)


def test_every_article_stored_once_and_nothing_else(crawled) -> None:
    run, server, site = crawled
    expected = {server.base_url + a.path for a in site.articles}
    urls = Counter(r["url"] for r in run.records)
    assert set(urls) == expected, {"missing": expected - set(urls), "extra": set(urls) - expected}
    assert max(urls.values()) == 1
    non_articles = {server.base_url + path for path in site.page_kinds()}
    assert [u for r in run.records for u in r["urls"] if u in non_articles] == []


def test_authors_credits_and_paywalls_exact(crawled) -> None:
    run, server, site = crawled
    by_url = {r["url"]: r for r in run.records}
    wrong = []
    for article in site.articles:
        record = by_url[server.base_url + article.path]
        for field in ("title", "authors", "credit", "paywalled", "text"):
            if record[field] != getattr(article, field):
                wrong.append((article.path, field, record[field], getattr(article, field)))
        if record["published"][:10] != article.published[:10]:
            wrong.append((article.path, "published", record["published"], article.published))
    assert wrong == []


def test_custom_site_has_what_the_issue_names(custom_site: CustomSite) -> None:
    """The ground truth holds each case: wire copy with and without people, opinion, desks, paywalls."""
    articles = custom_site.articles
    assert {"Reuters", "The Associated Press", "AFP", "The Editorial Board"} <= {a.credit for a in articles}
    assert any(a.credit and a.authors for a in articles) and any(a.credit and not a.authors for a in articles)
    assert any(a.byline.startswith("Opinion by") for a in articles)
    assert any(a.paywalled for a in articles)
    assert any("/article_" in a.path for a in articles) and any(a.path[-1].isdigit() for a in articles)


def test_custom_site_discovered_as_a_new_user_would(custom_crawl: CrawlRun, custom_server: DemoServer,
                                                    custom_site: CustomSite) -> None:
    paths = [r.path for r in custom_crawl.requests]
    host = custom_server.base_url.split("//", 1)[1]
    assert all(r.host == host for r in custom_crawl.requests), "the mobile host was requested"
    assert not [p for p in paths if any(p.startswith(d) for d in custom_site.disallowed_prefixes)]
    assert "/sitemaps/index.xml" in paths and "/sitemaps/news.xml" in paths  # named only in robots.txt
    assert any(p.startswith("/sitemaps/content-") for p in paths)
    assert any(p.startswith("/feeds/") for p in paths)  # linked only from section fronts
    assert any("?page=2" in p for p in paths)  # "load more"


def test_credit_is_searchable(custom_crawl: CrawlRun) -> None:
    found = invoke("search", "credit:Reuters", "--json", "--limit", "100", "--data-dir", custom_crawl.data_dir)
    assert found.exit_code == 0, found.stderr
    hits = {json.loads(line)["url"] for line in found.stdout.splitlines()}
    assert hits == {r["url"] for r in custom_crawl.records if r["credit"] == "Reuters"} != set()


def test_a_recrawl_where_only_the_chrome_changed_revises_nothing(tmp_path: Path) -> None:
    site = CustomSite(articles=8, seed=3)
    with DemoServer(site) as server:
        first = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert first.returncode == 0, first.stderr
        before = {r["url"]: r for r in load_records(tmp_path)}
        site.refresh_chrome()  # a day later: masthead date, counters, rotating links
        server.clear_log()
        second = run_cli("crawl", server.url, "--data-dir", tmp_path, "--full")
        fetched = {r.path for r in server.requests if r.status == 200}
    assert second.returncode == 0, second.stderr
    assert {a.path for a in site.articles} <= fetched  # every story was fetched again, in full
    assert "0 new articles, 0 updated" in second.stdout, second.stdout
    after = {r["url"]: r for r in load_records(tmp_path)}
    assert after == before


def test_archiver_demo_custom_checks_itself_against_the_truth(tmp_path: Path) -> None:
    result = run_cli("demo", "--flavour", "custom", "--articles", "20", "--data-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("Checked: 20/20 articles archived, 0 duplicate records, 0 records of pages that are not articles, "
            "authors exact 20/20, credit exact 20/20") in result.stdout, result.stdout
    counted = not_archived(result.stdout)
    true_kinds = re.search(r"^True kinds of the pages not archived: (.*)$", result.stdout, re.M).group(1)
    assert counted == {reason: int(n) for n, reason in (item.split(" ", 1) for item in true_kinds.split(", "))}
