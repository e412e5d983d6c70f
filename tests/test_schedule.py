"""`archiver schedule` prints exact schedules or refuses, validates URLs, prints both kinds
of entry when asked, and its cron line keeps failures visible (issue 18, item 11)."""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import Result

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import invoke


def cron_line(every: str, url: str, data_dir: Path) -> Result:
    return invoke("schedule", "--every", every, url, "--data-dir", data_dir, "--print-cron")


@pytest.mark.parametrize(("every", "times"), [
    ("1m", "*/1 * * * *"), ("15m", "*/15 * * * *"), ("30m", "*/30 * * * *"), ("1h", "0 */1 * * *"),
    ("6h", "0 */6 * * *"), ("1d", "0 3 * * *"), ("24h", "0 3 * * *"), ("7d", "0 3 * * 0"),
])
def test_cron_gets_exact_schedules(tmp_path: Path, every: str, times: str) -> None:
    result = cron_line(every, "https://news.example/", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(times + " ")


@pytest.mark.parametrize("every", ["90m", "45m", "25h", "5h", "2d", "7m", "90s"])
def test_intervals_cron_cannot_keep_are_refused(tmp_path: Path, every: str) -> None:
    result = cron_line(every, "https://news.example/", tmp_path)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: --every: cron cannot run a job exactly every ")
    assert "--print-systemd" in result.stderr
    systemd = invoke("schedule", "--every", every, "https://news.example/", "--data-dir", tmp_path,
                      "--print-systemd")
    assert systemd.exit_code == 0 and "OnUnitActiveSec=" in systemd.stdout


def test_bad_urls_are_refused_and_both_entries_printed(tmp_path: Path) -> None:
    refused = cron_line("1h", "ftp://x/", tmp_path)
    assert refused.exit_code == 1 and refused.stderr == "Error: not an http(s) URL: 'ftp://x/'\n"
    both = invoke("schedule", "--every", "1h", "127.0.0.1:8000", "--data-dir", tmp_path, "--print-cron",
                   "--print-systemd")
    assert both.exit_code == 0
    assert both.stdout.startswith("0 */1 * * * ") and "http://127.0.0.1:8000/" in both.stdout
    assert "[Timer]" in both.stdout and "OnUnitActiveSec=3600s" in both.stdout


def test_the_cron_command_is_silent_when_fine_and_fails_visibly(tmp_path: Path) -> None:
    """Run the crontab line's command the way cron does (``/bin/sh -c``): cron mails any output."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    with DemoServer(DemoSite(articles=5, seed=16)) as server:
        fine = cron_line("1h", server.url, tmp_path / "fine").stdout
        failing = cron_line("1h", f"http://127.0.0.1:{closed}/", tmp_path / "failing").stdout
        for line in (fine, failing):
            assert "/dev/null" not in line and shlex.split(line)[-1] == "--quiet"
        ok = subprocess.run(["/bin/sh", "-c", fine.split(" ", 5)[5]], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and ok.stdout == "" and ok.stderr == "", ok.stdout + ok.stderr
    assert len(list((tmp_path / "fine" / "articles").rglob("*.json"))) == 5
    bad = subprocess.run(["/bin/sh", "-c", failing.split(" ", 5)[5]], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: nothing could be fetched") and bad.stdout == ""
    [run] = [json.loads(x) for x in (tmp_path / "failing" / "state" / "runs.jsonl").read_text().splitlines()]
    assert run["pages"] == 0 and run["errors"] > 0
    assert list((tmp_path / "failing" / "logs").glob("crawl-*.log"))
