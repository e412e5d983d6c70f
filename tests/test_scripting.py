"""The CLI in scripts and pipes: closed pipes are a quiet success, stdout stays data,
colour follows NO_COLOR and --color/--no-color, crawls speak JSON or keep quiet, and the
export progress bar knows its total (issue 18, items 7 and 15)."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import CrawlRun, run_cli

ARCHIVER = f"{sys.executable} -m archiver"


def test_export_into_head_exits_0_under_pipefail(demo_crawl: CrawlRun) -> None:
    script = f"set -o pipefail; {ARCHIVER} export --format jsonl --data-dir '{demo_crawl.data_dir}' | head -1"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["id"]


def test_search_into_a_closed_pipe_exits_0_quietly(demo_crawl: CrawlRun) -> None:
    """The reader is gone before the first hit is written (``| head -c0``, a pager quit early)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "archiver", "search", "site:127.0.0.1", "--data-dir",
                                 str(demo_crawl.data_dir)], stdout=write_end, stderr=subprocess.PIPE, text=True,
                                timeout=300)
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr and "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_search_hit_count_goes_to_stderr_when_piped(demo_crawl: CrawlRun) -> None:
    result = run_cli("search", "site:127.0.0.1", "--limit", "2", "--data-dir", demo_crawl.data_dir)
    assert result.returncode == 0
    assert result.stderr == f"1-2 of {len(demo_crawl.records)} hits for 'site:127.0.0.1'\n"
    assert "hits for" not in result.stdout and result.stdout.count("\n\n") == 2


def test_colour_follows_no_color_and_the_flags(demo_crawl: CrawlRun) -> None:
    query = ("search", "site:127.0.0.1", "--limit", "1", "--data-dir", demo_crawl.data_dir)
    assert "\x1b[" not in run_cli(*query).stdout
    assert "\x1b[1m" in run_cli(*query, "--color").stdout  # asked for, even into a pipe
    assert "\x1b[1m" in run_cli(*query, "--color", env={"NO_COLOR": "1"}).stdout  # the flag beats the variable
    assert "\x1b[1m" in run_on_terminal(*query)  # a terminal gets colour...
    assert "\x1b[1m" not in run_on_terminal(*query, env={"NO_COLOR": "1"})  # ...unless NO_COLOR says no
    assert "\x1b[1m" not in run_on_terminal(*query, "--no-color")


def run_on_terminal(*args: str | os.PathLike, env: dict[str, str] | None = None) -> str:
    """``archiver ARGS`` with its standard output on a pseudo-terminal; what it printed there."""
    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | (env or {})
    process = subprocess.Popen([sys.executable, "-m", "archiver", *map(str, args)], stdout=follower,
                               stderr=subprocess.DEVNULL, env=full_env)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=300)
    os.close(leader)
    return output.decode("utf-8", "replace")


def test_export_progress_bar_counts_up_to_the_selection(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "archiver", "export", "--format", "jsonl", "--out",
                                str(tmp_path / "all.jsonl"), "--data-dir", str(demo_crawl.data_dir)],
                               stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=300) == 0
    total = len(demo_crawl.records)
    bar = shown.decode("utf-8", "replace")
    assert f"{total}/{total}" in bar, bar
    assert not re.search(r"\d+/0\b", bar), bar


def test_crawl_json_and_quiet(tmp_path: Path) -> None:
    site = DemoSite(articles=6, seed=15)
    with DemoServer(site) as server:
        as_json = run_cli("crawl", server.url, "--data-dir", tmp_path, "--json")
        site.update(site.articles[0].number)
        quiet = run_cli("crawl", server.url, "--data-dir", tmp_path, "--quiet")
    assert as_json.returncode == 0, as_json.stderr
    [line] = as_json.stdout.splitlines()
    summary = json.loads(line)
    assert summary["articles"] == 6 and summary["complete"] is True and summary["failure"] is None
    assert summary["stopped_by"] is None and Path(summary["log_file"]).is_file()
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""
    runs = (tmp_path / "state" / "runs.jsonl").read_text().splitlines()
    assert json.loads(runs[-1])["updated"] == 1  # quiet, not idle
