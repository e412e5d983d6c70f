"""An archive keeps working after `cp -a`, `mv` or a restore, and a crawl never touches
files outside its own data dir, the user's home included (issue 18, item 1)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import invoke, load_records, run_cli


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the hash of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def home_env(home: Path) -> dict[str, str]:
    """An environment whose home and XDG directories are all ``home``."""
    return {"HOME": str(home), **{name: str(home) for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                                                               "XDG_DATA_HOME", "XDG_STATE_HOME")}}


def revised_urls(data_dir: Path) -> set[str]:
    return {r["url"] for r in load_records(data_dir) if r["revisions"]}


def test_a_copied_then_a_moved_archive_updates_only_itself(tmp_path: Path) -> None:
    site = DemoSite(articles=24, seed=18)
    original, copy, moved = tmp_path / "d3", tmp_path / "d4", tmp_path / "d3moved"
    home = tmp_path / "home"
    home.mkdir()
    with DemoServer(site) as server:
        first = run_cli("crawl", server.url, "--data-dir", original, env=home_env(home))
        assert first.returncode == 0, first.stderr
        subprocess.run(["cp", "-a", str(original), str(copy)], check=True)
        before = snapshot(original)
        changed = site.articles[2:5]
        for article in changed:
            site.update(article.number)
        into_copy = run_cli("crawl", server.url, "--data-dir", copy)
        assert into_copy.returncode == 0, into_copy.stderr
        assert "3 updated" in into_copy.stdout and " 0 errors" in into_copy.stdout, into_copy.stdout
        assert snapshot(original) == before, "a crawl of the copy changed the original"
        assert revised_urls(copy) == {server.base_url + a.path for a in changed}
        for article in changed:  # the original still shows and finds every article
            shown = invoke("show", server.base_url + article.path, "--data-dir", original)
            assert shown.exit_code == 0, shown.stderr

        shutil.move(original, moved)
        later = site.articles[6:9]
        for article in later:
            site.update(article.number)
        rerun = run_cli("crawl", server.url, "--data-dir", moved)
    assert rerun.returncode == 0, rerun.stderr
    # the moved original catches up with both rounds of corrections
    assert "6 updated" in rerun.stdout and " 0 errors" in rerun.stdout, rerun.stdout
    log = next((moved / "logs").glob("crawl-*.log"), None)
    assert log is not None
    assert "FileNotFoundError" not in "".join(p.read_text() for p in (moved / "logs").glob("*.log"))
    assert revised_urls(moved) == {server.base_url + a.path for a in [*changed, *later]}
    assert {p.name for p in tmp_path.iterdir()} == {"d3moved", "d4", "home"}, "files written beside the data dirs"
    assert not list(home.rglob("*")), "the crawl wrote into the user's home directory"
    article = later[0]
    diff = invoke("diff", server.base_url + article.path, "--data-dir", moved)
    assert diff.exit_code == 0 and "1 revision" in diff.stdout, diff.stdout + diff.stderr
    found = invoke("search", f'"{article.phrase}"', "--json", "--data-dir", moved)
    assert server.base_url + article.path in found.stdout


def test_an_archive_in_the_old_format_is_migrated_on_open(tmp_path: Path) -> None:
    """Key stores written before paths were relative held absolute paths (here, of a place
    the archive no longer is): the next crawl migrates them and updates the right files."""
    site = DemoSite(articles=12, seed=19)
    data_dir = tmp_path / "archive"
    with DemoServer(site) as server:
        assert run_cli("crawl", server.url, "--data-dir", data_dir).returncode == 0
        keys = data_dir / "state" / "keys.sqlite"
        with sqlite3.connect(keys) as db:
            db.execute("UPDATE articles SET path = '/srv/old-place/archive/' || path")
            db.execute("PRAGMA user_version = 0")
        changed = site.articles[1]
        site.update(changed.number)
        rerun = run_cli("crawl", server.url, "--data-dir", data_dir)
    assert rerun.returncode == 0, rerun.stderr
    assert "1 updated" in rerun.stdout and " 0 errors" in rerun.stdout, rerun.stdout
    assert revised_urls(data_dir) == {server.base_url + changed.path}
    with sqlite3.connect(keys) as db:
        paths = [row[0] for row in db.execute("SELECT path FROM articles")]
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert len(paths) == len(site.articles)
    assert all(p.startswith("articles/") and (data_dir / p).is_file() for p in paths), paths
