"""A record cut short (a full disk, a copy interrupted) is a one-line error naming the file
for `show` and `diff`, reported once by `stats`, and an export that skips it says so in
its manifest, on stderr and by its exit status (issue 18, items 7 and 9)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import CrawlRun, invoke


@pytest.fixture
def damaged(demo_crawl: CrawlRun, tmp_path: Path) -> tuple[Path, Path, dict]:
    """A copy of the demo archive with one record truncated halfway."""
    copy = tmp_path / "archive"
    shutil.copytree(demo_crawl.data_dir, copy)
    path = sorted((copy / "articles").rglob("*.json"))[7]
    record = json.loads(path.read_text(encoding="utf-8"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return copy, path, record


@pytest.mark.parametrize("command", ["show", "diff"])
def test_show_and_diff_name_the_unreadable_file(damaged: tuple[Path, Path, dict], command: str) -> None:
    data_dir, path, record = damaged
    for ref in (record["id"], record["url"]):
        result = invoke(command, ref, "--data-dir", data_dir)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: unreadable record {path}: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr and "JSONDecodeError" not in result.stderr


def test_stats_reports_each_unreadable_record_once(damaged: tuple[Path, Path, dict]) -> None:
    data_dir, path, _ = damaged
    result = invoke("stats", "--data-dir", data_dir)
    assert result.exit_code == 1
    assert (result.stdout + result.stderr).count(str(path)) == 1, result.stdout + result.stderr


def test_an_export_that_skips_records_says_so(damaged: tuple[Path, Path, dict], tmp_path: Path) -> None:
    data_dir, path, record = damaged
    out = tmp_path / "all.csv"
    result = invoke("export", "--format", "csv", "--out", out, "--data-dir", data_dir)
    assert result.exit_code == 1
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["skipped_unreadable"] == 1
    assert manifest["unreadable_records"][0]["path"] == str(path.relative_to(data_dir))
    assert manifest["records"] == len(list((data_dir / "articles").rglob("*.json"))) - 1
    assert result.stderr.splitlines()[-1] == (f"Error: the export is incomplete: 1 unreadable record skipped "
                                              f"(listed in {out}.manifest.json)")
    by_query = invoke("export", "site:127.0.0.1", "--format", "jsonl", "--data-dir", data_dir)
    assert by_query.exit_code == 1 and "1 unreadable record skipped" in by_query.stderr
    assert record["id"] not in by_query.stdout and len(by_query.stdout.splitlines()) == manifest["records"]
