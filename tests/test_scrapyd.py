"""Deployment: `scrapyd-deploy` from a clean checkout to a real scrapyd on 127.0.0.1, a job
that archives and indexes the demo site like `archiver crawl` does, and `scrapy crawl news`
making articles searchable while it runs (issue 18, item 14)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import free_port, load_records, run_cli
from .hostile_site import HostileServer, HostileSite, page, sleep_then

pytest.importorskip("scrapyd", reason="scrapyd comes with the test extra: pip install -e '.[test]'")
pytest.importorskip("scrapyd_client", reason="scrapyd-client comes with the test extra")

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WAIT = 300  #: generous: the machine is shared


def clean_copy(target: Path) -> Path:
    """The checkout's files (tracked, and new ones not ignored) in a fresh git repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"]):
        subprocess.run(["git", *command], cwd=target, check=True, capture_output=True)
    return target


def api(port: int, endpoint: str, data: dict[str, str] | list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{endpoint}", data=body, timeout=30) as response:
        return json.loads(response.read())


def enabled_extensions(log: str) -> set[str]:
    """The Scrapy extensions a crawl's log says were enabled."""
    listed = re.search(r"Enabled extensions:\n(\[.*?\])", log, re.DOTALL)
    assert listed, log[:2000]
    return set(re.findall(r"'([\w.]+)'", listed.group(1)))


def test_scrapyd_deploy_and_a_job_archive_and_index_like_archiver_crawl(tmp_path: Path) -> None:
    repo = clean_copy(tmp_path / "repo")
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\n"
                                       "poll_interval = 0.5\nitems_dir =\n")
    server = subprocess.Popen([BIN / "scrapyd"], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                assert api(port, "daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)
        config = tmp_path / "config"  # a user's own deploy target, as in ~/.config/scrapy.cfg
        config.mkdir()
        (config / "scrapy.cfg").write_text(f"[deploy:here]\nurl = http://127.0.0.1:{port}/\n")
        deploy = subprocess.run([BIN / "scrapyd-deploy", "here"], cwd=repo, capture_output=True, text=True,
                                timeout=WAIT, env={**os.environ, "XDG_CONFIG_HOME": str(config)})
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        assert json.loads(deploy.stdout)["status"] == "ok" and json.loads(deploy.stdout)["spiders"] == 1
        left = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
        assert left == "", f"scrapyd-deploy left files behind:\n{left}"

        site = DemoSite(articles=20, seed=17)
        archive = tmp_path / "archive"
        with DemoServer(site) as demo:
            job = api(port, "schedule.json", [("project", "archiver"), ("spider", "news"), ("url", demo.url),
                                              ("setting", f"ARCHIVER_DATA_DIR={archive}")])
            assert job["status"] == "ok", job
            while not any(j["id"] == job["jobid"] for j in api(port, "listjobs.json?project=archiver")["finished"]):
                assert time.monotonic() < deadline + WAIT, "the scrapyd job did not finish"
                time.sleep(0.5)
            local = run_cli("crawl", demo.url, "--data-dir", tmp_path / "local")
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)
    assert local.returncode == 0, local.stderr
    assert {r["url"] for r in load_records(archive)} == {demo.base_url + a.path for a in site.articles}
    found = run_cli("search", "site:127.0.0.1", "--json", "--limit", "100", "--data-dir", archive)
    assert found.returncode == 0 and len(found.stdout.splitlines()) == len(site.articles), found.stderr
    [job_log] = (home / "logs" / "archiver" / "news").glob(f"{job['jobid']}.log")
    [local_log] = (tmp_path / "local" / "logs").glob("crawl-*.log")
    scrapyd_extensions = enabled_extensions(job_log.read_text())
    assert "scrapy.extensions.throttle.AutoThrottle" not in scrapyd_extensions  # a site on this machine
    # the same frontier, run log, disk guard...; the job holds the crawl lock itself (`archiver crawl` takes it first)
    assert scrapyd_extensions - {"archiver.extensions.lock.CrawlLock"} == enabled_extensions(local_log.read_text())
    assert "archiver.extensions.lock.CrawlLock" in scrapyd_extensions
    assert json.loads((archive / "state" / "runs.jsonl").read_text())["articles"] == len(site.articles)


def test_scrapy_crawl_makes_articles_searchable_while_it_runs(tmp_path: Path) -> None:
    """A job that goes on (a slow page here; a big site, a long schedule) indexes what it
    stored within ARCHIVER_INDEX_COMMIT_INTERVAL, not only at its end or every 200 records."""
    site = HostileSite()
    stories = [site.add_article(f"/2024/06/0{n}/story-{n}/", f"Harbour story {n}", 40 + n) for n in range(1, 4)]
    site.routes["/2024/06/09/stuck/"] = lambda s, t, q: sleep_then(300, page("<p>late</p>"))
    links = "".join(f'<a href="{path}">story</a>' for path in [a.path for a in stories] + ["/2024/06/09/stuck/"])
    site.routes["/"] = lambda s, t, q: page(links)
    with HostileServer(site) as server:
        crawl = subprocess.Popen([BIN / "scrapy", "crawl", "news", "-a", f"url={server.base_url}/",
                                  "-s", f"ARCHIVER_DATA_DIR={tmp_path}", "-s", "ARCHIVER_INDEX_COMMIT_INTERVAL=1",
                                  "-s", "DOWNLOAD_TIMEOUT=600"], cwd=REPO, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline, hits = time.monotonic() + WAIT, []
            while len(hits) < len(stories) and crawl.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
                found = run_cli("search", "harbour", "--json", "--data-dir", tmp_path)
                hits = found.stdout.splitlines() if found.returncode == 0 else []
            assert crawl.poll() is None, "the crawl ended: the test needs it still running"
            assert len(hits) == len(stories), "stored articles were not searchable while the crawl ran"
        finally:
            os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()
