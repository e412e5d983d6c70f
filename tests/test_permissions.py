"""Files the archiver writes honour the umask, so shared archives and exports are readable
by colleagues (issue 18, item 8)."""

from __future__ import annotations

import stat
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import run_cli


def modes(root: Path, pattern: str) -> set[int]:
    return {stat.S_IMODE(p.stat().st_mode) for p in root.rglob(pattern) if p.is_file()}


def test_records_exports_and_manifests_follow_the_umask(tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    with DemoServer(DemoSite(articles=6, seed=8)) as server:
        crawl = run_cli("crawl", server.url, "--data-dir", data_dir, umask=0o002)
    assert crawl.returncode == 0, crawl.stderr
    assert modes(data_dir / "articles", "*.json") == {0o664}  # group-writable: the umask says so
    assert modes(data_dir / "warc", "*.warc.gz") == {0o664}
    out = tmp_path / "export.csv"
    export = run_cli("export", "--format", "csv", "--out", out, "--data-dir", data_dir, umask=0o022)
    assert export.returncode == 0, export.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert stat.S_IMODE(Path(f"{out}.manifest.json").stat().st_mode) == 0o644
    private = tmp_path / "private.jsonl"
    assert run_cli("export", "--format", "jsonl", "--out", private, "--data-dir", data_dir, umask=0o077).returncode == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
