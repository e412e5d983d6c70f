"""Search tells the truth: a crawl of a syndicating site indexes each article once, and
``archiver check`` finds (and ``--repair`` fixes) every way the index and key store can
drift from the store.

The site (tests/syndication_site.py) serves each story on its own page and as a
partner's copy without a canonical link; half the stories are found through the copy
first, so the crawl re-keys those copies to the article's own page within one index
batch — the case that used to leave the copy's document behind.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.consistency import check_archive, check_touched
from archiver.datadir import DataDir
from archiver.storage.keystore import KeyStore
from index import ArticleIndex, record_version
from index.schema import to_document
from tests.conftest import EARLY, load_records, run_cli
from tests.hostile_site import HostileServer
from tests.syndication_site import Story, build_site


@dataclass
class SyndicatedCrawl:
    data_dir: Path
    stories: list[Story]
    base_url: str
    stdout: str


@EARLY.register("syndicated", order=80)
def _syndicated(request: pytest.FixtureRequest) -> Callable[[], SyndicatedCrawl]:
    data_dir = request.getfixturevalue("tmp_path_factory").mktemp("syndicated")

    def play() -> SyndicatedCrawl:
        site, stories = build_site(12)
        with HostileServer(site) as server:
            process = run_cli("crawl", server.base_url, "--data-dir", data_dir)
            assert process.returncode == 0, process.stderr
            paths = server.paths()
        for story in stories:  # the orders the fixture promises: copy first for half, own page first for the rest
            first, second = (story.copy_path, story.path) if story.copy_first else (story.path, story.copy_path)
            assert paths.index(first) < paths.index(second), (first, paths)
        return SyndicatedCrawl(data_dir, stories, server.base_url, process.stdout)

    return play


@pytest.fixture(scope="session")
def syndicated(request: pytest.FixtureRequest) -> SyndicatedCrawl:
    """One crawl of the syndicating site (one index batch for the whole run), in the background
    as the session starts: read it, don't write it."""
    return EARLY.result("syndicated", request)


@pytest.fixture
def archive(syndicated: SyndicatedCrawl, tmp_path: Path) -> Path:
    """A copy of the crawled archive a test may damage."""
    target = tmp_path / "archive"
    shutil.copytree(syndicated.data_dir, target)
    return target


def cli_json(*args: str | Path) -> tuple[int, Any]:
    """Exit code and the JSON a command printed (a list for JSON Lines)."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if args[0] == "search":
        return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, json.loads(result.stdout)


def test_search_finds_each_syndicated_article_once(syndicated: SyndicatedCrawl) -> None:
    records = load_records(syndicated.data_dir)
    assert len(records) == len(syndicated.stories)
    code, hits = cli_json("search", "gazette", "--json", "--limit", "100", "--data-dir", syndicated.data_dir)
    assert code == 0
    assert sorted(h["id"] for h in hits) == sorted(r["id"] for r in records)
    assert sorted(h["url"] for h in hits) == sorted(syndicated.base_url + s.path for s in syndicated.stories)
    for story in syndicated.stories:  # the partner copy's URL is an address of the article, not a hit of its own
        phrase = " ".join(story.paragraphs[1].split()[:8])
        code, found = cli_json("search", f'"{phrase}"', "--json", "--data-dir", syndicated.data_dir)
        assert [h["url"] for h in found] == [syndicated.base_url + story.path]


def test_timeline_totals_equal_stats_totals(syndicated: SyndicatedCrawl) -> None:
    _, timeline = cli_json("timeline", "--json", "--data-dir", syndicated.data_dir)
    _, stats = cli_json("stats", "--json", "--data-dir", syndicated.data_dir)
    assert timeline["total"] + timeline["undated"] == stats["articles"] == len(syndicated.stories)
    _, by_site = cli_json("timeline", "--json", "--split", "site", "--data-dir", syndicated.data_dir)
    assert sum(n for bucket in by_site["buckets"] for n in bucket["groups"].values()) == stats["articles"]


def test_check_finds_no_drift_after_the_crawl(syndicated: SyndicatedCrawl) -> None:
    assert "out of step" not in syndicated.stdout
    code, report = cli_json("check", "--json", "--data-dir", syndicated.data_dir)
    assert code == 0, report
    assert report["drift"] == 0 and report["records"] == report["documents"] == len(syndicated.stories)
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(syndicated.data_dir)])
    assert result.exit_code == 0 and "agree" in result.output


def _damage(archive: Path) -> dict[str, str]:
    """One drift of every kind; returns the id each kind should name."""
    data = DataDir(archive)
    records = sorted(load_records(archive), key=lambda r: r["id"])
    keys = KeyStore(data)
    paths = {r["id"]: keys.article(r["id"]).path for r in records}
    keys.close()
    missing, stale, duplicated, moved = (r["id"] for r in records[:4])
    index = ArticleIndex.open(data.index)
    with index.writer() as writer:
        writer.delete(missing)
        writer.upsert(dict(records[5], id="0000deadbeef0000", url="https://partner.example/old-copy/"))
    whoosh_writer = index._ix.writer()  # the duplicate only an old writer could make: Whoosh directly
    whoosh_writer.add_document(**to_document(records[2]))
    whoosh_writer.commit()
    index.close()
    record = json.loads(paths[stale].read_text(encoding="utf-8"))
    record["title"] += " (corrected)"
    paths[stale].write_text(json.dumps(record), encoding="utf-8")
    month = "01" if paths[moved].parent.name != "01" else "02"
    target = paths[moved].parent.parent / month / paths[moved].name  # a record moved by hand
    target.parent.mkdir(parents=True, exist_ok=True)
    paths[moved].rename(target)
    return {"missing": missing, "orphaned": "0000deadbeef0000", "stale": stale, "duplicated": duplicated,
            "dangling": moved}


def test_check_reports_every_kind_of_drift_and_repair_fixes_it(archive: Path) -> None:
    expected = _damage(archive)
    code, report = cli_json("check", "--json", "--data-dir", archive)
    assert code == 1
    assert {kind: report[kind] for kind in expected} == {kind: [i] for kind, i in expected.items()}
    text = CliRunner().invoke(cli, ["check", "--data-dir", str(archive)])
    assert text.exit_code == 1 and "5 out of step" in text.output and "1 records missing from the index" in text.output
    code, repaired = cli_json("check", "--repair", "--json", "--data-dir", archive)
    assert code == 0 and repaired["drift"] == 0 and repaired["repaired"] == 5
    assert check_archive(archive).drift == 0
    index = ArticleIndex.open(DataDir(archive).index)
    assert index.search("corrected").total == 1 and index.doc_count() == len(load_records(archive))
    index.close()
    keys = KeyStore(DataDir(archive))
    assert keys.article(expected["dangling"]).path.is_file()
    keys.close()


def test_a_record_deleted_from_the_store_leaves_the_index_and_key_store_on_repair(archive: Path) -> None:
    gone = load_records(archive)[0]["id"]
    next(DataDir(archive).articles.rglob(f"{gone}.json")).unlink()
    report = check_archive(archive)
    assert report.orphaned == [gone] and report.dangling == [gone] and report.missing == []
    assert check_archive(archive, repair=True).drift == 0
    keys = KeyStore(DataDir(archive))
    assert keys.article(gone) is None and keys.find_by_content(load_records(archive)[0]["content_hash"]) is not None
    keys.close()


def test_the_crawls_check_covers_only_what_it_touched(archive: Path) -> None:
    data = DataDir(archive)
    records = sorted(load_records(archive), key=lambda r: r["id"])
    keys = KeyStore(data)
    with ArticleIndex.open(data.index) as index:
        touched = {r["id"]: record_version(r) for r in records[:3]} | {"0000deadbeef0000": None}
        assert check_touched(index, keys, touched).drift == 0
        with index.writer() as writer:
            writer.delete(records[0]["id"])
            writer.upsert(dict(records[6], id="0000deadbeef0000"))
            writer.upsert(dict(records[1], title="Another version"))
            writer.delete(records[9]["id"])  # drift outside what the crawl touched: not its business
        report = check_touched(index, keys, touched)
    keys.close()
    assert (report.missing, report.orphaned, report.stale, report.records) == (
        [records[0]["id"]], ["0000deadbeef0000"], [records[1]["id"]], 4)


def test_check_of_an_archive_without_an_index_says_every_record_is_missing(archive: Path) -> None:
    shutil.rmtree(DataDir(archive).index)
    report = check_archive(archive)
    assert len(report.missing) == len(load_records(archive)) and report.documents == 0
    assert check_archive(archive, repair=True).drift == 0


def test_check_repair_waits_for_no_crawl(archive: Path) -> None:
    from archiver.storage.lock import DataDirLock

    with DataDirLock(DataDir(archive)):
        result = CliRunner().invoke(cli, ["check", "--repair", "--data-dir", str(archive)])
    assert result.exit_code == 1 and "another crawl" in result.output and "Traceback" not in result.output
