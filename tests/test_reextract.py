"""Re-extraction from raw captures: records rebuilt from the WARC are the crawl's records,
archives from before WARC (raw/*.html.gz) still re-extract, and `archiver extract` reads WARC."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

from archiver.datadir import DataDir
from archiver.storage.captures import Capture, read_capture

from .conftest import CrawlRun, invoke, load_records, run_cli

STALE = {"title": "Stale title", "authors": ["By Someone"], "text": "Old extractor output.", "word_count": 3,
         "content_hash": "0" * 64, "tags": [], "published": None}


def tamper(data_dir: Path, change: dict, *, drop_capture: bool = False) -> list[Path]:
    """Overwrite every record as an older extractor might have written it."""
    paths = sorted((data_dir / "articles").rglob("*.json"))
    for path in paths:
        record = json.loads(path.read_text(encoding="utf-8"))
        record.update(change)
        if drop_capture:
            record["capture"] = None
        path.write_text(json.dumps(record), encoding="utf-8")
    return paths


def by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def test_reextract_rebuilds_records_identical_to_the_crawls(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    shutil.copytree(demo_crawl.data_dir, data_dir)
    tamper(data_dir, STALE)
    result = run_cli("reindex", "--reextract", "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    count = len(demo_crawl.records)
    assert f"Re-extracted from raw captures: {count} records changed, 0 unchanged, 0 kept as they were" in result.stdout
    assert by_id(load_records(data_dir)) == by_id(demo_crawl.records)
    first = demo_crawl.records[0]
    phrase = " ".join(first["text"].split()[:6])
    found = invoke("search", f'"{phrase}"', "--json", "--data-dir", data_dir)
    assert json.loads(found.stdout.splitlines()[0])["id"] == first["id"]
    again = run_cli("reindex", "--reextract", "--data-dir", data_dir)
    assert f"0 records changed, {count} unchanged" in again.stdout


def test_archives_from_before_warc_reextract_from_their_gzipped_html(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    shutil.copytree(demo_crawl.data_dir, data_dir)
    shutil.rmtree(data_dir / "warc")
    for record in demo_crawl.records:  # what ArticleStore.save_raw wrote before WARC
        body = read_capture(DataDir(demo_crawl.data_dir), Capture.from_dict(record["capture"])).body
        name = f"{re.sub(r'[^0-9TZ]', '', record['fetched_at'])}-{hashlib.sha256(body).hexdigest()[:12]}.html.gz"
        folder = data_dir / "raw" / record["site"] / record["id"]
        folder.mkdir(parents=True)
        (folder / name).write_bytes(gzip.compress(body))
    orphan = demo_crawl.records[0]
    shutil.rmtree(data_dir / "raw" / orphan["site"] / orphan["id"])
    tamper(data_dir, STALE, drop_capture=True)
    result = run_cli("reindex", "--reextract", "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    assert f"Kept as they were: {orphan['id']} (no raw capture)" in result.stdout
    rebuilt = by_id(load_records(data_dir))
    assert rebuilt.pop(orphan["id"])["title"] == STALE["title"]
    for article_id, record in rebuilt.items():
        assert record == {**by_id(demo_crawl.records)[article_id], "capture": None}


def test_extract_reads_warc_files(demo_crawl: CrawlRun) -> None:
    files = sorted((demo_crawl.data_dir / "warc").glob("*.warc.gz"))
    result = run_cli("extract", *files)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    articles = {line["url"]: line for line in lines if "rejected" not in line}
    for record in demo_crawl.records:
        extracted = articles[record["capture"] and read_capture(DataDir(demo_crawl.data_dir),
                                                                Capture.from_dict(record["capture"])).url]
        assert (extracted["title"], extracted["text"], extracted["authors"]) == (record["title"], record["text"], record["authors"])
        assert extracted["source"].endswith(f".warc.gz#{record['capture']['offset']}")


def test_extract_names_a_file_that_is_not_warc(tmp_path: Path) -> None:
    fake = tmp_path / "broken.warc.gz"
    fake.write_bytes(b"not a warc at all")
    result = run_cli("extract", fake)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"Error: cannot read {fake} as WARC")
    assert "Traceback" not in result.stderr
