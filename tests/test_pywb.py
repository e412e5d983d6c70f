"""Replay with pywb: its wb-manager adds the crawl's WARC files to a collection, its CDX server
finds every archived article, and it replays a capture byte for byte.

pywb cannot share the project's environment (it pins brotlipy, which installs over the
``brotli`` module Scrapy decodes with), so it lives in a virtualenv of its own: .ci/run
makes one and names its bin folder in ``ARCHIVER_TEST_PYWB``; without it this test is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archiver.datadir import DataDir
from archiver.storage.captures import Capture, read_capture

from .conftest import CrawlRun, free_port


def pywb_bin() -> Path:
    folder = os.environ.get("ARCHIVER_TEST_PYWB") or (Path(shutil.which("wb-manager") or "").parent if shutil.which("wb-manager") else "")
    if not folder or not (Path(folder) / "wb-manager").exists():
        pytest.skip("pywb not installed: set ARCHIVER_TEST_PYWB to the bin folder of a venv with pywb (.ci/run does)")
    return Path(folder)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def test_pywb_indexes_and_replays_the_crawls_warcs(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    bin_dir = pywb_bin()
    warcs = sorted((demo_crawl.data_dir / "warc").glob("*.warc.gz"))
    for args in (["init", "news"], ["add", "news", *map(str, warcs)]):
        done = subprocess.run([str(bin_dir / "wb-manager"), *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    port = free_port()
    server = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/news"
    try:
        for _ in range(300):
            try:
                get(f"{base}/cdx?url=none")
                break
            except OSError:
                time.sleep(0.1)
        data_dir = DataDir(demo_crawl.data_dir)
        for record in demo_crawl.records:
            captured = read_capture(data_dir, Capture.from_dict(record["capture"]))
            query = urllib.parse.urlencode({"url": captured.url, "output": "json"})
            found = [json.loads(line) for line in get(f"{base}/cdx?{query}").decode().splitlines()]
            assert [(f["status"], f["digest"]) for f in found] == [("200", captured.payload_digest.removeprefix("sha1:"))]
        first = demo_crawl.records[0]
        captured = read_capture(data_dir, Capture.from_dict(first["capture"]))
        stamp = "".join(ch for ch in captured.date if ch.isdigit())
        assert get(f"{base}/{stamp}id_/{captured.url}") == captured.body
    finally:
        server.terminate()
        server.wait(timeout=30)
