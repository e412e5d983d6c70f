"""Records say where their date and byline came from (``published_source``,
``authors_source``), and ``archiver health`` counts that per site from the run log."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from archiver.datadir import DataDir
from archiver.items import Article, Extraction, FetchedPage
from archiver.reports.health import archive_health
from archiver.runs import append_run
from archiver.storage.archive import Archive, Outcome

from .conftest import CrawlRun, invoke

#: The demo site writes its metadata three ways; where each page's date and byline come from.
EXPECTED = {"jsonld": ("jsonld", "jsonld"), "meta": ("meta", "meta"), "visible": ("time", "link")}  # the byline links to the author page (rel=author), the most trusted source naming them


def test_records_say_where_their_date_and_byline_came_from(demo_crawl: CrawlRun, demo_site) -> None:
    by_path = {article.path: article for article in demo_site.articles}
    markups = Counter()
    for record in demo_crawl.records:
        article = by_path[urlsplit(record["url"]).path]
        assert (record["published_source"], record["authors_source"]) == EXPECTED[article.markup], record["url"]
        markups[article.markup] += 1
    assert set(markups) == set(EXPECTED)


def test_health_counts_per_site_how_dates_and_bylines_were_found(demo_crawl: CrawlRun) -> None:
    result = invoke("health", "--json", "--data-dir", demo_crawl.data_dir)
    latest = json.loads(result.stdout)["sites"]["127.0.0.1"][-1]
    assert latest["date_sources"] == Counter(r["published_source"] for r in demo_crawl.records)
    assert latest["author_sources"] == Counter(r["authors_source"] for r in demo_crawl.records)
    shown = invoke("health", "--data-dir", demo_crawl.data_dir).stdout
    dates = Counter(r["published_source"] for r in demo_crawl.records)
    line = next(line for line in shown.splitlines() if "dates of the latest run found in:" in line)
    assert line.endswith(", ".join(f"{name} {count}" for name, count in dates.most_common()))


def test_show_names_the_evidence(demo_crawl: CrawlRun) -> None:
    record = demo_crawl.records[0]
    shown = invoke("show", record["id"], "--data-dir", demo_crawl.data_dir).stdout
    assert f"(from {record['published_source']})" in shown and f"(from {record['authors_source']})" in shown


def test_records_and_run_logs_from_before_the_sources_still_read(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    old = {"id": "a" * 16, "url": "https://news.example/a", "urls": ["https://news.example/a"], "site": "news.example",
           "title": "A", "authors": ["Jane Doe"], "published": "2024-05-01", "modified": None, "text": "words",
           "description": None, "categories": [], "tags": [], "language": "en", "word_count": 1,
           "content_hash": "h", "fetched_at": "2024-05-02T00:00:00+00:00", "revisions": [], "schema_version": 1}
    record = Article.from_dict(old)
    assert record.published_source is None and record.authors_source is None
    figures = {"stored": 6, "short": 0, "current": 6, "no_author": 0, "no_date": 0}
    for start, sources in (("2024-05-01T00:00:00+00:00", {}), ("2024-05-02T00:00:00+00:00", {"jsonld": 6})):
        append_run(data_dir, {"start": start, "end": start, "urls": ["https://news.example/"], "articles": 6,
                              "sites": {"news.example": {**figures, **({"date_sources": sources} if sources else {})}}})
    first, second = archive_health(data_dir).sites["news.example"]
    assert first.date_sources == {} and second.date_sources == {"jsonld": 6} and not second.warnings


def test_a_revision_that_shows_no_date_keeps_the_date_and_its_source(tmp_path: Path) -> None:
    url = "https://news.example/2018/07/05/ice-contract/"

    def version(text: str, published: str | None, source: str | None) -> Extraction:
        return Extraction(url=url, canonical_url=url, title="ICE contract", authors=["Katelyn Kivel"],
                          authors_source="jsonld", published=published, published_source=source, modified=None,
                          text=text, description=None, categories=[], tags=[], language="en")

    def page(when: str) -> FetchedPage:
        return FetchedPage(url=url, final_url=url, status=200, body=b"<html></html>", fetched_at=when)

    archive = Archive(tmp_path)
    archive.ingest(page("2026-11-29T00:00:00+00:00"), version("The council voted.", "2018-07-05", "jsonld"))
    result = archive.ingest(page("2026-11-30T00:00:00+00:00"), version("The council voted again.", None, None))
    assert result.outcome is Outcome.REVISED
    assert (result.record.published, result.record.published_source) == ("2018-07-05", "jsonld")
