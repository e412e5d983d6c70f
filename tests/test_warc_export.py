"""`archiver export --format warc`: the captures of exactly the selected articles, as one valid
WARC with a CDXJ index whose every line finds its capture."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archiver.cli import cli
from archiver.datadir import DataDir
from archiver.storage.captures import Capture, read_capture

from .conftest import CrawlRun
from .test_warc import records_of, warcio


def export(demo_crawl: CrawlRun, out: Path, *args: str):
    result = CliRunner().invoke(cli, ["export", *args, "--format", "warc", "--out", str(out),
                                      "--data-dir", str(demo_crawl.data_dir)])
    assert result.exit_code == 0, result.output
    return result


def test_exported_warc_holds_exactly_the_selected_articles(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    author, _ = Counter(a for r in demo_crawl.records for a in r["authors"]).most_common(1)[0]
    selected = [r for r in demo_crawl.records if author in r["authors"]]
    assert 1 < len(selected) < len(demo_crawl.records)
    out = tmp_path / "corpus.warc.gz"
    result = export(demo_crawl, out, "--author", author)
    assert f"Exported {len(selected)} articles to {out}" in result.output
    assert warcio("check", out).returncode == 0
    records = records_of(out)
    assert records[0]["type"] == "warcinfo"
    responses = [r for r in records if r["type"] == "response"]
    assert sorted(r["headers"]["WARC-Record-ID"] for r in responses) == sorted(r["capture"]["record_id"] for r in selected)
    assert len([r for r in records if r["type"] == "request"]) == len(selected)
    data_dir = DataDir(demo_crawl.data_dir)
    for response in responses:  # copied byte for byte: the crawl's digests
        original = next(r for r in selected if r["capture"]["record_id"] == response["headers"]["WARC-Record-ID"])
        assert response["headers"]["WARC-Payload-Digest"] == read_capture(
            data_dir, Capture.from_dict(original["capture"])).payload_digest

    cdxj = Path(f"{out}.cdxj").read_text().splitlines()
    assert len(cdxj) == len(selected)
    with out.open("rb") as handle:
        for line in cdxj:
            surt, stamp, fields = line.split(" ", 2)
            entry = json.loads(fields)
            assert entry["filename"] == out.name and entry["status"] == "200" and len(stamp) == 14
            handle.seek(int(entry["offset"]))
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["format"] == "warc" and manifest["records"] == len(selected) and manifest["cdxj"] == f"{out.name}.cdxj"
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["selection"]["author"] == author


def test_whole_archive_export_and_standard_output_refused(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    out = tmp_path / "all.warc.gz"
    export(demo_crawl, out)
    ids = {r["headers"]["WARC-Record-ID"] for r in records_of(out) if r["type"] == "response"}
    assert ids == {r["capture"]["record_id"] for r in demo_crawl.records}
    refused = CliRunner().invoke(cli, ["export", "--format", "warc", "--data-dir", str(demo_crawl.data_dir)])
    assert refused.exit_code == 1
    assert refused.output.strip() == "Error: warc cannot stream to standard output; give --out FILE"


def test_tabular_exports_carry_the_capture_pointer_as_json(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    import csv

    import pyarrow.parquet as pq

    wanted = {r["id"]: r["capture"] for r in demo_crawl.records}
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"all.{fmt}"
        result = CliRunner().invoke(cli, ["export", "--format", fmt, "--fields", "id,capture", "--out", str(out),
                                          "--data-dir", str(demo_crawl.data_dir)])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(out.open(newline=""))) if fmt == "csv" else pq.read_table(out).to_pylist()
        assert {row["id"]: json.loads(row["capture"]) for row in rows} == wanted
