"""A crawl that cannot work says why in one line and exits non-zero; bad start URLs and
settings are refused before any work (issue 18, items 5 and 6): those run in this process
(:func:`invoke`), which fails the test if the command starts Scrapy."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import invoke, load_records, run_cli


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def summary_errors(stdout: str) -> int:
    return int(re.search(r" (\d+) errors\.", stdout).group(1))


def test_a_refused_connection_is_a_one_line_error_and_exit_1(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    result = run_cli("crawl", url, "--data-dir", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == f"Error: nothing could be fetched ({url}: connection refused)\n"
    failed = re.search(r"^Failed: (\d+) connection refused$", result.stdout, re.MULTILINE)
    assert failed, result.stdout
    assert summary_errors(result.stdout) == int(failed.group(1)), "the summary's counts disagree"
    assert f"Start page {url} failed: connection refused" in result.stdout


def test_host_and_port_means_http_and_https_to_an_http_server_names_the_cause(tmp_path: Path) -> None:
    with DemoServer(DemoSite(articles=5, seed=9)) as server:
        address = f"127.0.0.1:{server.port}"
        plain = run_cli("crawl", address, "--data-dir", tmp_path / "plain")
        secure = run_cli("crawl", f"https://{address}/", "--data-dir", tmp_path / "secure")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert {r["url"].split("/")[2] for r in load_records(tmp_path / "plain")} == {address}
    assert len(load_records(tmp_path / "plain")) == 5
    assert secure.returncode == 1
    assert "TLS handshake failed: wrong version number" in secure.stdout
    assert secure.stderr.startswith("Error: nothing could be fetched (https://") and secure.stderr.count("\n") == 1
    assert "wrong version number" in secure.stderr


@pytest.mark.parametrize(("url", "message"), [
    ("not a url", "Error: not a web address: 'not a url'"),
    ("http://exa mple.com/", "Error: not a web address"),
    ("ftp://x/", "Error: not an http(s) URL: 'ftp://x/'"),
    ("http://127.0.0.1:99999/", "Error: not an http(s) URL"),
])
def test_bad_start_urls_are_refused_before_any_work(tmp_path: Path, url: str, message: str) -> None:
    result = invoke("crawl", url, "--data-dir", tmp_path / "archive")
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "archive").exists(), "a refused crawl created its data dir"


@pytest.mark.parametrize(("setting", "message"), [
    ("DOWNLOAD_DELAY=abc", "Error: --set DOWNLOAD_DELAY=abc: DOWNLOAD_DELAY must be a number\n"),
    ("ROBOTSTXT_OBEY=maybe", "Error: --set ROBOTSTXT_OBEY=maybe: ROBOTSTXT_OBEY must be true or false\n"),
    ("ARCHIVER_MIN_FREE_MB=lots", "Error: --set ARCHIVER_MIN_FREE_MB=lots: ARCHIVER_MIN_FREE_MB must be a number\n"),
    ("ITEM_PIPELINES=none", "Error: --set ITEM_PIPELINES=none: ITEM_PIPELINES must be a JSON object\n"),
])
def test_invalid_settings_are_one_line_errors_before_the_crawl(tmp_path: Path, setting: str, message: str) -> None:
    result = invoke("crawl", f"http://127.0.0.1:{closed_port()}/", "--data-dir", tmp_path / "archive", "-s", setting)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""
    assert not (tmp_path / "archive").exists()
