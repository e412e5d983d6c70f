"""Re-crawls in the WARC: 304s and unchanged pages become revisit records of the capture they
repeat, a changed article gets a new capture and its revision keeps the old one, and with
ARCHIVER_WARC_ALL_RESPONSES the sitemaps, feeds and listings are captured too."""

from __future__ import annotations

import json
from pathlib import Path

from archiver.datadir import DataDir
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.storage.captures import Capture, read_capture

from .conftest import load_records, run_cli
from .test_warc import assert_valid, records_of

PROFILE = "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"


def all_records(data_dir: Path) -> list[dict]:
    return [r for path in sorted((data_dir / "warc").glob("*.warc.gz")) for r in records_of(path)]


def test_recrawls_write_revisits_of_the_captures_they_repeat(tmp_path: Path) -> None:
    site = DemoSite(articles=30, seed=31)
    with DemoServer(site) as server:
        first = run_cli("crawl", server.url, "--data-dir", tmp_path, "-s", "ARCHIVER_WARC_ALL_RESPONSES=1")
        assert first.returncode == 0, first.stderr
        captured = {r["headers"]["WARC-Record-ID"]: r for r in all_records(tmp_path) if r["type"] == "response"}
        kinds = {r["uri"].removeprefix(server.base_url) for r in captured.values()}
        assert {"/robots.txt", "/feed/", "/sitemap_index.xml", "/"} <= kinds
        changed = site.articles[3]
        site.update(changed.number)
        second = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert second.returncode == 0, second.stderr
        not_modified = sum(1 for r in server.requests if r.status == 304)
        assert not_modified > 0
        revisits = [r for r in all_records(tmp_path) if r["type"] == "revisit"]
        assert len([r for r in revisits if r["status"] == "304"]) == not_modified
        full = run_cli("crawl", server.url, "--data-dir", tmp_path, "--full")
        assert full.returncode == 0, full.stderr
    assert_valid(tmp_path)
    records = {r["url"]: r for r in load_records(tmp_path)}
    pointers = {r["capture"]["record_id"] for r in records.values()}
    revisits = [r for r in all_records(tmp_path) if r["type"] == "revisit"]
    assert {r["status"] for r in revisits} == {"304", "200"}
    for revisit in revisits:
        headers = revisit["headers"]
        assert headers["WARC-Profile"] == PROFILE
        assert headers["WARC-Refers-To"] in pointers
        earlier = captured.get(headers["WARC-Refers-To"]) or next(
            r for r in all_records(tmp_path) if r["headers"]["WARC-Record-ID"] == headers["WARC-Refers-To"])
        assert headers["WARC-Payload-Digest"] == earlier["headers"]["WARC-Payload-Digest"]
        assert headers["WARC-Refers-To-Target-URI"] == earlier["uri"]
    full_revisits = [r for r in revisits if r["status"] == "200"]
    assert len({r["uri"] for r in full_revisits}) >= len(site.articles) - 1  # every unchanged article page
    updated = records[server.base_url + changed.path]
    old, new = updated["revisions"][0]["capture"], updated["capture"]
    assert old["record_id"] in captured and new["record_id"] not in captured
    data_dir = DataDir(tmp_path)
    assert read_capture(data_dir, Capture.from_dict(old)).body != read_capture(data_dir, Capture.from_dict(new)).body

    # `archiver extract` reads such a WARC whole: one line per HTML response, none for the rest
    extracted = run_cli("extract", *sorted((tmp_path / "warc").glob("*.warc.gz")))
    assert extracted.returncode == 0, extracted.stderr
    lines = [json.loads(line) for line in extracted.stdout.splitlines()]
    urls = {line["url"] for line in lines}
    assert set(records) <= urls and server.base_url + "/" in urls  # articles, and listings (rejected)
    assert not urls & {server.base_url + path for path in ("/robots.txt", "/feed/", "/sitemap_index.xml")}

    # an extractor upgrade re-reads the revision from its own capture too
    path = next(p for p in (tmp_path / "articles").rglob(f"{updated['id']}.json"))
    stale = {**updated, "revisions": [{**updated["revisions"][0], "title": "Stale", "text": "Stale."}], "text": "Stale."}
    path.write_text(json.dumps(stale), encoding="utf-8")
    rebuilt = run_cli("reindex", "--reextract", "--data-dir", tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "1 records changed" in rebuilt.stdout
    assert {r["url"]: r for r in load_records(tmp_path)}[updated["url"]] == updated
