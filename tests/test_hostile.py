"""Hostile and broken sites: traps, faults and bad input never hurt the archive.

One real ``archiver crawl`` (a subprocess) of :mod:`tests.hostile_site`, a site that mixes
every case of the issue around a few good articles; the tests check the records, the
server's request log and the crawl log. Timeouts and backoff are kept small with ``--set``.
Commands that only read its archive, and crawls refused before Scrapy starts, run in this
process (``invoke``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import invoke, load_records, run_cli
from .hostile_site import (ACCENTS_CP1252, ACCENTS_LATIN1, TRAPS, Article, Hit, HostileServer, HostileSite, Reply,
                           article_html, big_sitemap_site, build_site)

#: The mixed site's crawls (download timeouts of 2 s, retries timed against its slow and
#: rate-limited pages) run last, with the machine to themselves: the ``mixed`` fixture asks for it.
pytestmark = pytest.mark.slow

#: Requests one trap may cost: the guard's family budget (30) plus its entry page and one fan-out.
TRAP_BOUND = 36
#: Requests the whole mixed crawl may cost: 6 traps, ~25 articles with retries, discovery, faults.
TOTAL_BOUND = 300
FAST = ("--workers", "0", "--set", "DOWNLOAD_TIMEOUT=2", "--set", "ARCHIVER_RETRY_BACKOFF_BASE=0.1",
        "--set", "DOWNLOAD_MAXSIZE=1000000")
#: Articles whose stored text is not the served text word for word (cut, rewritten, cleaned).
APPROXIMATE = ("/2024/05/27/truncated/", "/2024/05/28/malformed/", "/2024/06/10/escape-codes/")


@dataclass
class MixedRun:
    server: HostileServer
    site: HostileSite
    data_dir: Path
    process: subprocess.CompletedProcess[str]
    hits: list[Hit]
    log: str
    records: list[dict]

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)

    def record(self, path: str) -> dict:
        return next(r for r in self.records if r["url"].endswith(path))

    def record_of(self, article: Article) -> dict | None:
        """The record of a site article, by URL (or by title when it was reached by another URL)."""
        return next((r for r in self.records if r["url"].endswith(article.path) or r["title"] == article.title), None)


def crawl(server: HostileServer, data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", server.base_url + "/", "--data-dir", data_dir, *FAST, *extra, timeout=120)


@pytest.fixture(scope="module")
def mixed(quiet_machine: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MixedRun]:
    """The mixed site crawled once (a later test crawls it again into the same data dir)."""
    site = build_site()
    data_dir = tmp_path_factory.mktemp("hostile")
    with HostileServer(site) as server:
        process = crawl(server, data_dir, "--set", "LOG_LEVEL=DEBUG")
        log = "\n".join(p.read_text(encoding="utf-8") for p in sorted((data_dir / "logs").glob("*.log")))
        yield MixedRun(server, site, data_dir, process, list(server.hits), log, load_records(data_dir))


def test_mixed_crawl_ends_cleanly_within_bounds(mixed: MixedRun) -> None:
    assert mixed.process.returncode == 0, mixed.process.stderr
    assert "Traceback" not in mixed.process.stderr + mixed.process.stdout
    assert "23 new articles" in mixed.process.stdout, mixed.process.stdout
    assert len(mixed.hits) <= TOTAL_BOUND


def test_every_good_article_archived_with_its_text(mixed: MixedRun) -> None:
    assert len(mixed.records) == len(mixed.site.articles)
    for article in mixed.site.articles:
        record = mixed.record_of(article)
        assert record is not None, article.path
        text = record["text"]
        if article.path in APPROXIMATE:
            first = re.sub(r"[\x00-\x1f\x7f-\x9f]", "", article.text.split("\n\n")[0])
            assert first in text, (article.path, text[:200])
        else:
            assert text == article.text, (article.path, text[:300])


@pytest.mark.parametrize("path", ["/2024/06/03/cp1252-meta/", "/2024/06/04/latin1-header/",
                                  "/2024/06/05/undeclared-utf8/", "/2024/06/06/undeclared-cp1252/",
                                  "/2024/06/12/utf8-latin1-header/"])  # a server's default charset, UTF-8 bytes
def test_charsets_decoded_to_the_right_accents(mixed: MixedRun, path: str) -> None:
    accents = ACCENTS_LATIN1 if "latin1" in path else ACCENTS_CP1252
    assert accents.strip() in mixed.record(path)["text"]


@pytest.mark.parametrize("prefix", TRAPS)
def test_each_trap_costs_a_bounded_number_of_requests(mixed: MixedRun, prefix: str) -> None:
    requests = [h.path for h in mixed.hits if h.path.startswith(prefix)]
    urls = set(requests)  # a page retried after a timeout on a busy machine is one trap step, not three
    assert 1 <= len(urls) <= TRAP_BOUND, (prefix, len(urls), requests[-5:])
    assert len(requests) <= 3 * len(urls)  # at most two retries each
    assert "archiver/traps/" in mixed.log


def test_redirects_followed_on_the_host_and_nowhere_else(mixed: MixedRun) -> None:
    assert re.search(r"Redirecting \(307\) to <GET \S+/2024/05/10/redirect-target/> from <GET \S+/r/chain/3>", mixed.log)
    assert mixed.record("/2024/05/12/relative-target/")
    assert {h.host for h in mixed.hits} == {mixed.server.base_url.split("//")[1]}, "another host was asked"
    assert mixed.count("/r/loop/a") + mixed.count("/r/loop/b") <= 3
    assert re.search(r"Failed https://127\.0\.0\.1:\d+/2024/05/13/https-target/: \w+", mixed.log)
    for scheme in ("file:", "ftp:", "mailto:", "javascript:", "data:"):
        assert f"<GET {scheme}" not in mixed.log
    assert not [h for h in mixed.hits if h.path.startswith("/private/")]


def test_server_faults_retried_with_backoff_then_recorded(mixed: MixedRun) -> None:
    assert mixed.count("/2024/05/20/always-503/") == 3
    assert "always-503/: http_503 (after 2 retries)" in mixed.log
    assert mixed.count("/2024/05/21/flaky-500/") == 3
    assert mixed.count("/2024/05/22/bad-gateway/") == 2
    assert mixed.count("/2024/05/24/slow/") == 3 and "slow/: download_timeout_error" in mixed.log
    assert mixed.count("/2024/05/26/reset/") == 3 and "reset/: response_data_loss_error" in mixed.log
    limited = [h.at for h in mixed.hits if h.path == "/2024/05/23/rate-limited/"]
    assert len(limited) == 2 and limited[1] - limited[0] >= 0.95, limited


def test_bad_content_rejected_without_harm(mixed: MixedRun) -> None:
    assert "larger than download max size (1000000)" in mixed.log  # /bad/huge/ by Content-Length
    assert "Received 1" in mixed.log and "huge-stream/: download_cancelled_error" in mixed.log
    assert "bomb/> because its body" in mixed.log  # a gzip bomb stops at DOWNLOAD_MAXSIZE
    assert re.search(r"Not archived: not-html: \S+/bad/binary/", mixed.log)
    assert re.search(r"Not archived: empty: \S+/bad/empty/", mixed.log)
    assert "Ignoring invalid sitemap" in mixed.log and "Ignoring invalid feed" in mixed.log
    assert "gone-410/: http_410" in mixed.log


def test_store_names_are_safe_and_output_is_escaped(mixed: MixedRun) -> None:
    for path in (mixed.data_dir / "articles").rglob("*"):
        if path.is_file():
            assert re.fullmatch(r"[0-9a-f]{16}\.json", path.name), path
            assert path.resolve().is_relative_to(mixed.data_dir.resolve())
    assert any("%2e%2e%2f" in u.lower() for r in mixed.records for u in r["urls"])
    record = mixed.record("/2024/06/10/escape-codes/")
    shown = invoke("show", record["id"], "--data-dir", mixed.data_dir)
    found = invoke("search", "rings", "--data-dir", mixed.data_dir)
    as_json = invoke("show", record["id"], "--json", "--data-dir", mixed.data_dir)
    for out in (shown.stdout, found.stdout, as_json.stdout):
        assert out and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), out[:300]
    assert json.loads(as_json.stdout)["text"] == record["text"]  # escaped, not lost


def test_next_run_retries_failures_and_skips_gone_pages(mixed: MixedRun) -> None:
    healed = mixed.site.add_article("/2024/05/20/always-503/", "Back after the outage", 40)
    mixed.site.routes[healed.path] = lambda s, t, q: Reply(body=article_html(healed).encode())
    mixed.server.hits.clear()
    again = crawl(mixed.server, mixed.data_dir)
    assert again.returncode == 0, again.stderr
    assert "1 new articles" in again.stdout, again.stdout
    paths = [h.path for h in mixed.server.hits]
    assert "/2024/05/20/always-503/" in paths
    assert "/gone-404/" not in paths and "/gone-410/" not in paths


# -- big sitemaps ------------------------------------------------------------------------


def test_20000_url_sitemap_bounded_by_max_pages(tmp_path: Path) -> None:
    site = big_sitemap_site(20_000)
    with HostileServer(site) as server:
        # no quiet machine needed: no page here is slow on purpose, and 2 s is no bound for a loaded one
        process = crawl(server, tmp_path, "--max-pages", "60", "--set", "DOWNLOAD_TIMEOUT=30")
        hits = list(server.hits)
    assert process.returncode == 0, process.stderr
    assert len(hits) <= 80
    assert not [h for h in hits if h.path.startswith("/private/")]
    assert len(load_records(tmp_path)) == 5  # the sitemap's articles come first


# -- local faults ------------------------------------------------------------------------


@pytest.fixture
def tiny_mount(tmp_path: Path) -> Iterator[Path]:
    """A directory where tests can mount a small tmpfs (root only), unmounted afterwards."""
    target = tmp_path / "mnt"
    target.mkdir()
    yield target
    subprocess.run(["umount", str(target)], capture_output=True)


def mount(target: Path, options: str) -> None:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode})")


def test_read_only_data_dir_is_a_one_line_error(mixed: MixedRun, tiny_mount: Path) -> None:
    mount(tiny_mount, "ro,size=64k")
    # refused before Scrapy starts, so in this process: a traceback would fail the test
    process = invoke("crawl", mixed.server.base_url + "/", "--data-dir", tiny_mount / "archive")
    assert process.exit_code == 1
    assert process.stderr.startswith("Error: ") and len(process.stderr.strip().splitlines()) == 1, process.stderr
    assert list(tiny_mount.iterdir()) == []


def test_too_little_free_space_refused_before_starting(mixed: MixedRun, tiny_mount: Path) -> None:
    mount(tiny_mount, "size=200k")
    before = len(mixed.server.hits)
    process = invoke("crawl", mixed.server.base_url + "/", "--data-dir", tiny_mount / "archive", *FAST)
    assert process.exit_code == 1, process.stderr[-2000:]
    assert process.stderr.startswith("Error: only") and "ARCHIVER_MIN_FREE_MB" in process.stderr
    assert len(process.stderr.strip().splitlines()) == 1 and list(tiny_mount.iterdir()) == []
    assert len(mixed.server.hits) == before  # refused before asking the site for anything


def test_disk_full_mid_crawl_stops_cleanly_and_a_rerun_completes(tiny_mount: Path) -> None:
    """On a plain site (no page slow on purpose), so no quiet machine is needed."""
    mount(tiny_mount, "size=200k")
    data_dir = tiny_mount / "archive"
    site = DemoSite(articles=12, seed=5)
    crawl_into_tmpfs = ("crawl", "--data-dir", data_dir, "--workers", "0", "--set", "ARCHIVER_MIN_FREE_MB=0")
    with DemoServer(site) as server:
        full = run_cli(*crawl_into_tmpfs, server.url)
        assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr[-2000:]
        assert full.stderr.startswith("Error: crawl stopped: cannot write") and "full" in full.stderr, full.stderr
        assert len(full.stderr.strip().splitlines()) == 1
        assert not list((data_dir / "articles").rglob("*.tmp"))
        partial = load_records(data_dir)  # every record that was written parses
        assert len(partial) < len(site.articles)
        subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_mount)], check=True)
        rerun = run_cli(*crawl_into_tmpfs, server.url)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    stored = sorted(r["url"] for r in load_records(data_dir))
    assert stored == sorted(server.base_url + a.path for a in site.articles)  # every article, once


def test_corrupt_records_skipped_and_reported(mixed: MixedRun, tmp_path: Path) -> None:
    data_dir = tmp_path / "copy"
    shutil.copytree(mixed.data_dir, data_dir)
    files = sorted((data_dir / "articles").rglob("*.json"))
    broken = files[0]
    broken.write_text('{"id": "trunc', encoding="utf-8")
    stats = invoke("stats", "--data-dir", data_dir)
    assert stats.exit_code == 1 and "Unreadable record" in stats.stdout and broken.name in stats.stdout
    exported = invoke("export", "--format", "jsonl", "--data-dir", data_dir)
    assert exported.exit_code == 1 and len(exported.stdout.splitlines()) == len(files) - 1  # complete but one
    assert "1 unreadable record skipped" in exported.stderr
    reindexed = invoke("reindex", "--data-dir", data_dir)
    assert reindexed.exit_code == 0 and f"Indexed {len(files) - 1} articles" in reindexed.stdout
    assert broken.name in reindexed.stderr  # a traceback would fail the test


def test_corrupt_index_says_to_reindex(mixed: MixedRun, tmp_path: Path) -> None:
    data_dir = tmp_path / "copy"
    shutil.copytree(mixed.data_dir, data_dir)
    for path in (data_dir / "index").iterdir():
        if path.is_file():
            path.write_bytes(b"\0garbage")
    found = invoke("search", "story", "--data-dir", data_dir)
    assert found.exit_code == 1 and "archiver reindex" in found.stderr, found.stderr
    assert len(found.stderr.strip().splitlines()) == 1 and "Traceback" not in found.stderr
    assert invoke("reindex", "--data-dir", data_dir).exit_code == 0
    assert invoke("search", "story", "--data-dir", data_dir).exit_code == 0
