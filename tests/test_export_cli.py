"""`archiver export` on an archive of the demo site: formats, filters, manifest, safety."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from archiver.reports.export import DEFAULT_FIELDS, csv_cell

from .conftest import CrawlRun, invoke


def export(data_dir: Path, *args: str) -> str:
    result = invoke("export", *args, "--data-dir", data_dir)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_same_selection_in_all_three_formats(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "parquet"):
        export(demo_crawl.data_dir, "--site", "127.0.0.1", "--format", fmt, "--out", str(tmp_path / f"all.{fmt}"))
    records = read_jsonl(tmp_path / "all.jsonl")
    assert len(records) == len(demo_crawl.records)
    assert list(records[0]) == list(DEFAULT_FIELDS) and "revisions" not in records[0]
    with open(tmp_path / "all.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = pq.read_table(tmp_path / "all.parquet").to_pylist()
    assert [r["id"] for r in records] == [r["id"] for r in rows] == [r["id"] for r in table]
    for record, row, cell in zip(records, rows, table):
        assert row["title"] == csv_cell(record["title"])
        assert row["authors"] == "; ".join(record["authors"])
        assert cell["authors"] == record["authors"] and cell["text"] == record["text"]
        assert cell["published"].date().isoformat() == record["published"][:10]
        assert cell["word_count"] == record["word_count"]
    schema = pq.read_schema(tmp_path / "all.parquet")
    assert str(schema.field("published").type).startswith("timestamp")
    assert str(schema.field("tags").type).startswith("list")


def test_filters_select_exactly_the_ground_truth(demo_crawl: CrawlRun, demo_server, demo_site, tmp_path: Path) -> None:
    author = demo_site.articles[0].authors[0]
    out = tmp_path / "author.jsonl"
    export(demo_crawl.data_dir, "--author", author, "--since", "2018-01-01", "--until", "2019-12-31",
           "--format", "jsonl", "--out", str(out))
    expected = {demo_server.base_url + a.path for a in demo_site.articles
                if author in a.authors and "2018-01-01" <= a.published[:10] <= "2019-12-31"}
    assert {r["url"] for r in read_jsonl(out)} == expected
    phrase = demo_site.articles[4].phrase
    only = export(demo_crawl.data_dir, f'"{phrase}"', "--format", "jsonl", "--fields", "url,title,published,authors")
    lines = [json.loads(line) for line in only.splitlines()]
    assert lines[0]["url"] == demo_server.base_url + demo_site.articles[4].path
    assert all(list(line) == ["url", "title", "published", "authors"] for line in lines)


def test_stdout_is_valid_jsonl_sorted(demo_crawl: CrawlRun) -> None:
    lines = [json.loads(line) for line in export(demo_crawl.data_dir, "--format", "jsonl", "--sort", "newest").splitlines()]
    assert len(lines) == len(demo_crawl.records)
    dates = [line["published"][:10] for line in lines]
    assert dates == sorted(dates, reverse=True)


def test_manifest_records_provenance_and_hash(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    out = tmp_path / "set.csv"
    export(demo_crawl.data_dir, "site:127.0.0.1", "--format", "csv", "--out", str(out))
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["records"] == len(demo_crawl.records)
    assert manifest["selection"]["query"] == "site:127.0.0.1"
    assert manifest["crawled_from"] <= manifest["crawled_to"]
    assert manifest["tool"].startswith("news-archiver ") and manifest["exported_at"]
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value
    assert csv_cell([value, "b"]).startswith("'")
    assert csv_cell("Plain headline") == "Plain headline"


def test_formula_in_a_stored_title_is_neutralised_in_csv(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(demo_crawl.data_dir, copy)
    path = next((copy / "articles").rglob("*.json"))
    record = json.loads(path.read_text())
    record["title"] = '=HYPERLINK("http://evil.example","click")'
    path.write_text(json.dumps(record))
    out = tmp_path / "x.csv"
    export(copy, "--format", "csv", "--out", str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert "'" + record["title"] in titles and record["title"] not in titles


def test_export_errors(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    unknown = invoke("export", "--format", "csv", "--fields", "url,nope", "--data-dir", demo_crawl.data_dir)
    assert unknown.exit_code == 1 and "unknown field(s) nope" in unknown.stderr
    unwritable = invoke("export", "--format", "csv", "--out", "/nonexistent/dir/x.csv", "--data-dir", demo_crawl.data_dir)
    assert unwritable.exit_code == 1 and "cannot write" in unwritable.stderr  # a traceback would fail the test
    parquet_stdout = invoke("export", "--format", "parquet", "--data-dir", demo_crawl.data_dir)
    assert parquet_stdout.exit_code == 1 and "--out FILE" in parquet_stdout.stderr
    empty = tmp_path / "none.csv"
    nothing = invoke("export", "zzzqqqxxx", "--format", "csv", "--out", str(empty), "--data-dir", demo_crawl.data_dir)
    assert nothing.exit_code == 0 and "No articles matched" in nothing.stderr
    assert empty.read_text(encoding="utf-8").strip() == ",".join(DEFAULT_FIELDS)
