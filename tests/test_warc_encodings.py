"""WARC captures of pages as real servers send them: compressed bodies (gzip, deflate, br) and
every way of declaring a charset, or none. The stored headers describe the stored body, and
re-extraction from the capture decodes each page exactly as the crawl did."""

from __future__ import annotations

from pathlib import Path

from archiver.datadir import DataDir
from archiver.storage.captures import Capture, read_capture
from archiver.storage.warc import payload_digest

from .conftest import load_records, run_cli
from .hostile_site import HostileServer, HostileSite, _good_articles, page
from .test_reextract import STALE, by_id, tamper
from .test_warc import assert_valid


def site_of_encodings() -> HostileSite:
    site = HostileSite()
    _good_articles(site)
    site.routes["/"] = lambda s, t, q: page("".join(f'<a href="{a.path}">{a.title}</a> ' for a in s.articles))
    return site


def test_compressed_and_oddly_encoded_pages_are_captured_and_reextracted_alike(tmp_path: Path) -> None:
    site = site_of_encodings()
    with HostileServer(site) as server:
        crawl = run_cli("crawl", server.base_url + "/", "--data-dir", tmp_path, "--workers", "0")
        assert crawl.returncode == 0, crawl.stderr
    assert_valid(tmp_path)
    records = load_records(tmp_path)
    assert len(records) >= len(site.articles) - 2
    data_dir = DataDir(tmp_path)
    for coding in ("gzip", "deflate", "br"):
        record = next(r for r in records if r["url"].endswith(f"/{coding}-body/"))
        captured = read_capture(data_dir, Capture.from_dict(record["capture"]))
        headers = {name.lower(): value for name, value in captured.headers}
        assert headers["x-archive-orig-content-encoding"] == coding and "content-encoding" not in headers
        assert headers["content-length"] == str(len(captured.body)) != headers["x-archive-orig-content-length"]
        assert captured.payload_digest == payload_digest(captured.body) and captured.body.startswith(b"<!DOCTYPE html>")
        assert record["title"] == f"Compressed with {coding}"
    crawled = by_id(load_records(tmp_path))
    tamper(tmp_path, STALE)
    rebuilt = run_cli("reindex", "--reextract", "--data-dir", tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert by_id(load_records(tmp_path)) == crawled
    charsets = ("/cp1252-meta/", "/latin1-header/", "/undeclared-utf8/", "/undeclared-cp1252/")
    assert all(any(r["url"].endswith(path) for r in crawled.values()) for path in charsets)
