"""End to end: `archiver crawl` on the demo site, checked against its ground truth."""

from __future__ import annotations

from collections import Counter

import pytest

from archiver.items import RECORD_FIELDS, SCHEMA_VERSION

from .conftest import CrawlRun

pytestmark = pytest.mark.slow

FIELD_TYPES = {
    "id": str, "url": str, "urls": list, "site": str, "title": str, "authors": list, "text": str,
    "categories": list, "tags": list, "word_count": int, "content_hash": str, "fetched_at": str,
    "revisions": list, "schema_version": int,
}
OPTIONAL_STR = ("published", "modified", "description", "language")


def test_crawl_exits_cleanly(demo_crawl: CrawlRun) -> None:
    assert demo_crawl.process.returncode == 0, demo_crawl.process.stderr
    assert "Traceback" not in demo_crawl.process.stderr
    assert "new articles" in demo_crawl.process.stdout


def test_every_article_archived_exactly_once(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    expected = {demo_server.base_url + a.path for a in demo_site.articles}
    urls = Counter(r["url"] for r in demo_crawl.records)
    assert set(urls) == expected, {"missing": expected - set(urls), "extra": set(urls) - expected}
    assert all(n == 1 for n in urls.values())
    assert len({r["id"] for r in demo_crawl.records}) == len(demo_crawl.records)
    assert len({r["content_hash"] for r in demo_crawl.records}) == len(demo_crawl.records)


def test_no_non_article_pages_archived(demo_crawl: CrawlRun, demo_site) -> None:
    paths = {r["url"].split("/", 3)[3] for r in demo_crawl.records}
    for path in demo_site.non_article_paths:
        assert path.lstrip("/") not in paths


def test_polite_no_disallowed_or_offsite_requests(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    host = demo_server.base_url.split("//", 1)[1]
    assert demo_crawl.requests, "the server saw no requests"
    offsite = [r for r in demo_crawl.requests if r.host != host]
    assert offsite == []
    disallowed = [r.path for r in demo_crawl.requests if any(r.path.startswith(p) for p in demo_site.disallowed_prefixes)]
    assert disallowed == []
    agents = {r.headers.get("User-Agent", r.headers.get("user-agent", "")) for r in demo_crawl.requests}
    assert all(a.startswith("news-archiver/") for a in agents), agents
    assert any(r.path == "/robots.txt" for r in demo_crawl.requests)


def test_discovery_used_sitemaps_feed_and_listings(demo_crawl: CrawlRun) -> None:
    paths = [r.path for r in demo_crawl.requests]
    assert "/sitemap_index.xml" in paths
    assert any(p.endswith(".xml.gz") for p in paths), "gzipped sitemap not read"
    assert "/feed/" in paths
    assert any("/page/2/" in p for p in paths)


def test_records_match_ground_truth(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    by_url = {r["url"]: r for r in demo_crawl.records}
    wrong = []
    for article in demo_site.articles:
        record = by_url.get(demo_server.base_url + article.path)
        if record is None:
            continue
        if record["title"] != article.title:
            wrong.append(("title", article.path, record["title"], article.title))
        if record["authors"] != article.authors:
            wrong.append(("authors", article.path, record["authors"], article.authors))
        if (record["published"] or "")[:10] != article.published[:10]:
            wrong.append(("published", article.path, record["published"], article.published))
        if record["text"] != article.text:
            wrong.append(("text", article.path, record["text"][:80], article.text[:80]))
    assert wrong == []


def test_variants_listed_on_their_article(demo_crawl: CrawlRun, demo_server, demo_site) -> None:
    by_url = {r["url"]: r for r in demo_crawl.records}
    syndicated = [a for a in demo_site.articles if demo_site.has_syndicated_copy(a)]
    assert syndicated
    for article in syndicated:
        record = by_url[demo_server.base_url + article.path]
        assert any("/syndicated/" in u for u in record["urls"]), record["urls"]


def test_records_validate_against_documented_fields(demo_crawl: CrawlRun) -> None:
    for record in demo_crawl.records:
        assert list(record) == list(RECORD_FIELDS)
        for name, kind in FIELD_TYPES.items():
            assert isinstance(record[name], kind), (name, record[name])
        for name in OPTIONAL_STR:
            assert record[name] is None or isinstance(record[name], str)
        assert record["schema_version"] == SCHEMA_VERSION
        assert record["word_count"] == len(record["text"].split())
        assert record["url"] in record["urls"]
        assert all(isinstance(a, str) and a and not a.lower().startswith("by ") for a in record["authors"])
        assert record["language"] == "en"


def test_raw_captures_and_log_kept(demo_crawl: CrawlRun) -> None:
    assert list((demo_crawl.data_dir / "warc").glob("*.warc.gz"))
    assert all(record["capture"] for record in demo_crawl.records)
    logs = list((demo_crawl.data_dir / "logs").glob("crawl-*.log"))
    assert logs and logs[0].stat().st_size > 0
