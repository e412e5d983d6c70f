"""Raw captures as WARC: a real crawl's files pass warcio's checks, every record points at its
capture, and torn files left by a kill are cut back to their last complete record."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archiver.datadir import DataDir
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.items import HttpExchange
from archiver.storage.captures import Capture, read_capture
from archiver.storage.warc import WarcWriter, payload_digest, repair_warcs

from .conftest import CrawlRun, load_records, run_cli, wait_for_records
from .test_signals import start_crawl

WARCIO = [sys.executable, "-m", "warcio.cli"]
PAGE = b"<html><body><p>" + b"A sentence about the council vote. " * 40 + b"</p></body></html>"


def warcio(*args: str | os.PathLike) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*WARCIO, *map(str, args)], capture_output=True, text=True, timeout=120)


def records_of(path: Path) -> list[dict]:
    """Every record of a WARC file: type, target, id, and the headers tests look at."""
    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            headers = dict(record.rec_headers.headers)
            found.append({"type": record.rec_type, "uri": headers.get("WARC-Target-URI"), "headers": headers,
                          "status": record.http_headers.get_statuscode() if record.http_headers else None})
    return found


def assert_valid(data_dir: Path) -> list[Path]:
    files = sorted((data_dir / "warc").glob("*.warc.gz"))
    assert files, "no WARC file written"
    checked = warcio("check", *files)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return files


def test_demo_crawl_writes_warcs_that_warcio_checks_and_indexes(demo_crawl: CrawlRun) -> None:
    assert demo_crawl.process.returncode == 0, demo_crawl.process.stderr
    files = assert_valid(demo_crawl.data_dir)
    index = warcio("index", "-f", "warc-type,warc-target-uri,offset,length", *files)
    assert index.returncode == 0, index.stderr
    entries = [json.loads(line) for line in index.stdout.splitlines()]
    responses = {e["warc-target-uri"] for e in entries if e["warc-type"] == "response"}
    assert {r["url"] for r in demo_crawl.records} <= responses
    for path in files:
        records = records_of(path)
        assert records[0]["type"] == "warcinfo"
        info = gzip.open(path).read(4000).decode("utf-8", "replace")
        assert "software: news-archiver/" in info and '"ROBOTSTXT_OBEY": true' in info
        ids = {r["headers"]["WARC-Record-ID"] for r in records if r["type"] == "response"}
        requests = [r for r in records if r["type"] == "request"]
        assert requests and all(r["headers"]["WARC-Concurrent-To"] in ids for r in requests)


def test_every_record_points_at_its_capture(demo_crawl: CrawlRun) -> None:
    data_dir = DataDir(demo_crawl.data_dir)
    for record in demo_crawl.records:
        capture = Capture.from_dict(record["capture"])
        assert capture.warc.startswith("warc/") and not Path(capture.warc).is_absolute()
        response = read_capture(data_dir, capture)
        assert response.url in record["urls"] and response.status == 200
        assert response.payload_digest == payload_digest(response.body)
        assert record["title"].encode() in response.body or record["title"][:20] in response.body.decode("utf-8", "replace")
        assert response.date[:19] == record["fetched_at"][:19]


def write_captures(data_dir: Path, count: int) -> list[Capture]:
    writer = WarcWriter(data_dir)
    http = HttpExchange(reason="OK", response_headers=[("Content-Type", "text/html; charset=utf-8")],
                        request_headers=[("User-Agent", "test")])
    captures = [writer.write_response(f"https://news.example/2024/05/{n:02d}/story/", 200, PAGE + str(n).encode(), http,
                                      "2024-05-01T10:00:00+00:00") for n in range(count)]
    writer.close()
    return captures


def test_files_rotate_at_the_size_limit_each_with_its_warcinfo(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, max_size=1000, info={"software": "news-archiver/test", "settings": '{"A": 1}'})
    http = HttpExchange(reason="OK", response_headers=[("Content-Type", "text/html")])
    captures = [writer.write_response(f"https://news.example/{n}/", 200, PAGE + str(n).encode(), http,
                                      "2024-05-01T10:00:00+00:00") for n in range(6)]
    writer.close()
    files = assert_valid(tmp_path)
    assert 2 < len(files) <= len(captures)
    assert sorted({c.warc for c in captures}) == [f"warc/{path.name}" for path in files]
    for path in files:
        records = records_of(path)
        assert records[0]["type"] == "warcinfo" and records[0]["headers"]["WARC-Filename"] == path.name
        assert [r["type"] for r in records[1:]] == ["response", "request"] * ((len(records) - 1) // 2)
    assert [read_capture(DataDir(tmp_path), c).body for c in captures] == [PAGE + str(n).encode() for n in range(6)]


def test_torn_last_record_is_cut_back_on_the_next_open(tmp_path: Path) -> None:
    captures = write_captures(tmp_path / "written", 3)
    [original] = sorted((tmp_path / "written" / "warc").glob("*.warc.gz"))
    whole = original.read_bytes()
    last = captures[-1]
    assert last.offset + last.length == len(whole)
    with original.open("rb") as handle:
        records = ArchiveIterator(handle)
        starts = [records.get_record_offset() for _ in records]
    request_start = starts[-1]  # the last capture: its response, then its request
    assert starts[-2] == last.offset < request_start
    for cut in (last.offset + 1, last.offset + 40, request_start - 1, request_start + 5, len(whole) - 1):
        data_dir = tmp_path / f"cut-{cut}"
        (data_dir / "warc").mkdir(parents=True)
        torn = data_dir / "warc" / original.name
        torn.write_bytes(whole[:cut])
        assert repair_warcs(DataDir(data_dir)) == [torn]
        assert torn.stat().st_size == (last.offset if cut < request_start else request_start)
        assert warcio("check", torn).returncode == 0
        assert read_capture(DataDir(data_dir), captures[1]).body == PAGE + b"1"
        write_captures(data_dir, 1)  # a new writer opens fine beside the repaired file
        assert_valid(data_dir)


def test_a_file_being_written_is_never_repaired(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    writer.write_response("https://news.example/a/", 200, PAGE, None, "2024-05-01T10:00:00+00:00")
    assert writer.path is not None and writer.handle is not None
    writer.handle.write(b"\x1f\x8b\x08\x00 half a record")  # as if a write were under way
    writer.handle.flush()
    size = writer.path.stat().st_size
    assert repair_warcs(DataDir(tmp_path)) == []
    assert writer.path.stat().st_size == size
    writer.handle.close()
    writer.handle = None
    assert repair_warcs(DataDir(tmp_path)) == [writer.path]


def torn_record() -> bytes:
    """The first half of a real gzipped WARC record: what a kill in the middle of a write leaves."""
    member = gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\n" + PAGE * 3)
    return member[: len(member) // 2]


def test_kill_9_mid_crawl_leaves_warcs_valid_after_the_next_open(tmp_path: Path) -> None:
    site = DemoSite(articles=120, seed=12)
    with DemoServer(site) as server:
        crawl = start_crawl(server.url, tmp_path)
        wait_for_records(tmp_path, 15, crawl)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        [killed] = sorted((tmp_path / "warc").glob("*.warc.gz"))
        with killed.open("ab") as handle:
            handle.write(torn_record())
        assert warcio("check", killed).returncode != 0
        rerun = run_cli("crawl", server.url, "--data-dir", tmp_path, "-s", "ARCHIVER_WARC_MAX_SIZE=200000")
        assert rerun.returncode == 0, rerun.stderr
    files = assert_valid(tmp_path)
    assert killed in files and len(files) > 2  # the rerun's files rotated at 200 kB
    assert all(records_of(path)[0]["type"] == "warcinfo" for path in files)
    records = load_records(tmp_path)
    assert len(records) == len(site.articles)
    for record in records:
        assert read_capture(DataDir(tmp_path), Capture.from_dict(record["capture"])).url in record["urls"]


def test_ctrl_c_leaves_valid_warcs_at_once(tmp_path: Path) -> None:
    site = DemoSite(articles=120, seed=13)
    with DemoServer(site) as server:
        crawl = start_crawl(server.url, tmp_path)
        wait_for_records(tmp_path, 15, crawl)
        crawl.send_signal(signal.SIGINT)
        out, err = crawl.communicate(timeout=120)
        assert crawl.returncode == 130, err  # stopped by SIGINT, resumable
    assert_valid(tmp_path)
    sealed = json.loads((tmp_path / "state" / "warc-sealed.json").read_text())
    [path] = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert sealed == {path.name: path.stat().st_size}
    for record in load_records(tmp_path):
        assert read_capture(DataDir(tmp_path), Capture.from_dict(record["capture"])).status == 200


def test_a_copied_archive_still_finds_its_captures(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(demo_crawl.data_dir, moved)
    record = load_records(moved)[0]
    assert read_capture(DataDir(moved), Capture.from_dict(record["capture"])).url in record["urls"]
