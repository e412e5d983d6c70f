"""`archiver demo` writes to its own directory whatever ARCHIVER_DATA_DIR says, and
`archiver demo --serve` lets a user publish and correct articles to see revisions and
diffs without writing code (issue 18, item 13)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from .conftest import load_records, run_cli


def test_demo_never_writes_into_the_archive_of_archiver_data_dir(tmp_path: Path) -> None:
    real = tmp_path / "real-archive"
    result = run_cli("demo", "--articles", "5", env={"ARCHIVER_DATA_DIR": str(real)}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not real.exists()
    assert len(load_records(tmp_path / "demo-archive")) == 5
    usage = " ".join(run_cli("demo", "--help").stdout.split())  # as read, whatever the help's line breaks
    assert "[default: demo-archive]" in usage and "./archive" not in usage


def test_demo_newsroom_makes_revisions_a_crawl_archives_and_diff_shows(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARCHIVER_DATA_DIR"}
    serving = subprocess.Popen([sys.executable, "-m", "archiver", "demo", "--serve", "--articles", "12"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = serving.stdout.readline()
        url = first.split(" at ")[1].split()[0]
        assert first.startswith("Demo site with 12 articles at http://127.0.0.1:"), first
        assert run_cli("crawl", url, "--data-dir", tmp_path).returncode == 0

        def post(action: str, count: int) -> list[str]:
            request = urllib.request.Request(f"{url}wp-admin/demo/{action}?count={count}", method="POST")
            with urllib.request.urlopen(request) as response:
                return next(iter(json.loads(response.read()).values()))

        corrected = post("update", 2)
        published = post("publish", 1)
        again = run_cli("crawl", url, "--data-dir", tmp_path)
    finally:
        serving.send_signal(signal.SIGINT)
        out, _ = serving.communicate(timeout=60)
    assert serving.returncode == 0 and out.rstrip().endswith("Stopped.")
    assert again.returncode == 0, again.stderr
    assert "1 new articles, 2 updated" in again.stdout, again.stdout
    records = {r["url"]: r for r in load_records(tmp_path)}
    assert set(published) <= set(records) and all(len(records[u]["revisions"]) == 1 for u in corrected)
    diff = run_cli("diff", corrected[0], "--data-dir", tmp_path)
    assert diff.returncode == 0 and "1 revision" in diff.stdout and "{+" in diff.stdout, diff.stdout
    painted = run_cli("diff", corrected[0], "--color", "--data-dir", tmp_path).stdout
    assert "\x1b[32m" in painted and "{+" not in painted


def test_the_readme_demo_works_without_the_redis_extra(tmp_path: Path) -> None:
    """The README's first command installs the package without extras: nothing on the way to
    a plain crawl, search or demo may import the optional redis packages."""
    without_redis = ("import sys; sys.modules['redis'] = sys.modules['scrapy_redis'] = None; "
                     "from archiver.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", without_redis, "demo", "--articles", "5", "--data-dir", tmp_path],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Checked: 5/5 articles archived" in result.stdout, result.stdout
