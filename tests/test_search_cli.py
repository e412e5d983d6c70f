"""`archiver search / show / stats / reindex` against a real index built by crawling the demo site.

The commands run in this process (``invoke``); only the crawl that writes while searches
read runs in a process of its own.
"""

from __future__ import annotations

import json
import shutil
import time
import unicodedata
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import CrawlRun, invoke, start_cli


def hits(data_dir: Path, *args: str) -> list[dict]:
    result = invoke("search", *args, "--json", "--limit", "500", "--data-dir", data_dir)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def test_phrase_query_finds_its_article_first(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    for article in demo_site.articles[::7]:
        found = hits(demo_crawl.data_dir, f'"{article.phrase}"')
        assert found, article.phrase
        assert found[0]["url"] == demo_server.base_url + article.path
        assert set(found[0]) >= {"id", "url", "title", "authors", "published", "site", "score", "snippet"}


def test_author_query_without_accents_or_capitals(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    name = next(a for article in demo_site.articles for a in article.authors if fold(a) != a.lower())
    expected = {demo_server.base_url + a.path for a in demo_site.articles if name in a.authors}
    assert {h["url"] for h in hits(demo_crawl.data_dir, f'author:"{fold(name)}"')} == expected
    assert {h["url"] for h in hits(demo_crawl.data_dir, f'author:"{name}"')} == expected
    assert {h["url"] for h in hits(demo_crawl.data_dir, "site:127.0.0.1", "--author", fold(name))} == expected


def test_tag_and_category_fields(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    category = demo_site.articles[0].categories[0]
    expected = {demo_server.base_url + a.path for a in demo_site.articles if category in a.categories}
    assert {h["url"] for h in hits(demo_crawl.data_dir, f'category:"{category}"')} == expected
    tag = demo_site.articles[1].tags[0]
    expected = {demo_server.base_url + a.path for a in demo_site.articles if tag in a.tags}
    assert {h["url"] for h in hits(demo_crawl.data_dir, f'tag:"{tag}"')} == expected


def test_date_filters_and_sorting(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    since, until = "2018-01-01", "2018-12-31"
    expected = {demo_server.base_url + a.path for a in demo_site.articles if since <= a.published[:10] <= until}
    newest = hits(demo_crawl.data_dir, "site:127.0.0.1", "--since", since, "--until", until, "--sort", "newest")
    assert {h["url"] for h in newest} == expected
    dates = [h["published"][:10] for h in newest]
    assert dates == sorted(dates, reverse=True)
    oldest = hits(demo_crawl.data_dir, "site:127.0.0.1", "--sort", "oldest")
    assert [h["published"][:10] for h in oldest] == sorted(h["published"][:10] for h in oldest)
    ranged = hits(demo_crawl.data_dir, f"published:[{since} TO {until}]")
    assert {h["url"] for h in ranged} == expected


def test_paging_and_human_output(demo_crawl: CrawlRun) -> None:
    first = hits(demo_crawl.data_dir, "site:127.0.0.1", "--sort", "oldest")[:5]
    page2 = invoke("search", "site:127.0.0.1", "--sort", "oldest", "--limit", "5", "--page", "2", "--json",
                   "--data-dir", demo_crawl.data_dir)
    second = [json.loads(line) for line in page2.stdout.splitlines()]
    assert len(second) == 5 and not {h["id"] for h in first} & {h["id"] for h in second}
    human = invoke("search", "site:127.0.0.1", "--limit", "3", "--data-dir", demo_crawl.data_dir)
    assert human.exit_code == 0 and "\x1b[" not in human.stdout  # no colour when piped
    assert f"1-3 of {len(demo_crawl.records)} hits" in human.stderr  # stdout stays the hits alone when piped


def test_did_you_mean(demo_crawl: CrawlRun, demo_site) -> None:
    word = next(w for w in demo_site.articles[0].title.split() if len(w) > 6 and w.isalpha())
    typo = word[:3] + word[4:]
    result = invoke("search", typo.lower(), "--data-dir", demo_crawl.data_dir)
    assert result.exit_code == 0
    assert "0 hits" in result.stderr
    assert "Did you mean:" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nosuchfield:x",), "unknown field 'nosuchfield'"),
        (("ice", "--since", "2018-02-30"), "--since: '2018-02-30' is not a date"),
        (("published:[2018-13-01 TO 2019-01-01]",), "Error:"),
    ],
)
def test_bad_queries_are_one_line_errors(demo_crawl: CrawlRun, args: tuple[str, ...], message: str) -> None:
    result = invoke("search", *args, "--data-dir", demo_crawl.data_dir)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_and_stats(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    article = demo_site.articles[2]
    shown = invoke("show", demo_server.base_url + article.path + "?utm_source=x", "--json", "--data-dir", demo_crawl.data_dir)
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["title"] == article.title
    record_id = json.loads(shown.stdout)["id"]
    assert article.title in invoke("show", record_id, "--data-dir", demo_crawl.data_dir).stdout
    stats = json.loads(invoke("stats", "--json", "--data-dir", demo_crawl.data_dir).stdout)
    assert stats["articles"] == len(demo_site.articles)
    years = {}
    for a in demo_site.articles:
        years[a.published[:4]] = years.get(a.published[:4], 0) + 1
    assert stats["years"] == years
    assert stats["runs"] and stats["runs"][-1]["articles"] == len(demo_site.articles)


def test_reindex_from_store_gives_the_same_results(demo_crawl: CrawlRun, tmp_path: Path, demo_site) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(demo_crawl.data_dir, copy)
    queries = [f'"{demo_site.articles[5].phrase}"', "site:127.0.0.1", 'author:"katelyn kivel"']
    before = [[h["id"] for h in hits(copy, q, "--sort", "oldest")] for q in queries]
    shutil.rmtree(copy / "index")
    missing = invoke("search", "ice", "--data-dir", copy)
    assert missing.exit_code == 1 and "archiver reindex" in missing.stderr
    result = invoke("reindex", "--data-dir", copy)
    assert result.exit_code == 0, result.stderr
    assert f"Indexed {len(demo_site.articles)} articles" in result.stdout
    assert [[h["id"] for h in hits(copy, q, "--sort", "oldest")] for q in queries] == before


@pytest.mark.slow
def test_search_while_a_crawl_is_writing(tmp_path: Path) -> None:
    site = DemoSite(articles=50, seed=11)
    with DemoServer(site) as server:  # a commit every second: many for the searches to meet
        crawl = start_cli("crawl", server.url, "--data-dir", tmp_path, "--set", "ARCHIVER_INDEX_COMMIT_INTERVAL=1")
        answered = 0
        while crawl.poll() is None:
            if (tmp_path / "index").exists():
                result = invoke("search", "site:127.0.0.1", "--json", "--limit", "1", "--data-dir", tmp_path)
                assert result.exit_code == 0 or "reindex" in result.stderr, result.stderr
                answered += result.exit_code == 0
            time.sleep(0.5)
        assert crawl.returncode == 0, crawl.stderr.read()
    assert answered >= 1
    assert len(hits(tmp_path, "site:127.0.0.1")) == len(site.articles)
