"""Stopping a crawl: Ctrl-C, SIGTERM and SIGHUP stop it cleanly and resumably, a second
signal stops it at once, nothing waits for ever, and a damaged frontier is set aside
(issue 18, items 2-4).

Signals go to the crawl's whole process group, as a terminal sends Ctrl-C or a hang-up:
the extraction workers and the index writer get them too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.extensions.frontier import frontier_problem

from .conftest import invoke, load_records, run_cli, start_cli, wait_for_records
from .hostile_site import HostileServer, HostileSite, page, sleep_then

#: Generous: the machine is shared. A crawl that needs longer to stop is hung.
STOP_WAIT = 120


def start_crawl(url: str, data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    """``archiver crawl`` in its own process group, like a job started from a shell."""
    return start_cli("crawl", url, "--data-dir", data_dir, *extra, start_new_session=True)


def signal_group(crawl: subprocess.Popen[str], signum: int) -> tuple[str, str]:
    """Send ``signum`` to the crawl's process group; its output once it has exited (a hang fails)."""
    os.killpg(crawl.pid, signum)
    try:
        return crawl.communicate(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(crawl.pid, signal.SIGKILL)
        crawl.communicate()
        raise AssertionError(f"the crawl did not stop within {STOP_WAIT} s of {signal.Signals(signum).name}") from None


def assert_complete(data_dir: Path, server: DemoServer, site: DemoSite) -> None:
    urls = Counter(r["url"] for r in load_records(data_dir))
    assert set(urls) == {server.base_url + a.path for a in site.articles}
    assert max(urls.values()) == 1


def last_run(data_dir: Path) -> dict:
    return json.loads((data_dir / "state" / "runs.jsonl").read_text().splitlines()[-1])


def test_ctrl_c_prints_a_summary_exits_130_and_a_damaged_frontier_is_rebuilt(tmp_path: Path) -> None:
    site = DemoSite(articles=150, seed=31)
    with DemoServer(site) as server:
        crawl = start_crawl(server.url, tmp_path)
        wait_for_records(tmp_path, 20, crawl)
        out, err = signal_group(crawl, signal.SIGINT)
        assert crawl.returncode == 130, out + err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert out.startswith("Crawled ") and "Stopped by SIGINT" in out, out
        assert last_run(tmp_path)["finish_reason"] == "shutdown"
        frontier = tmp_path / "state" / "frontier"
        assert frontier_problem(frontier) is None, "a clean stop left an unreadable frontier"

        # what an unclean stop leaves: an empty queue file (the struct.error)
        queue = max((frontier / "requests.queue").glob("*/*"), key=lambda p: p.stat().st_size)
        queue.write_bytes(b"")
        rerun = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert "Traceback" not in rerun.stderr
        [warning] = [line for line in rerun.stdout.splitlines() if line.startswith("Warning:")]
        assert "the saved frontier could not be read" in warning and "set aside" in warning
        log = Path(rerun.stdout.split("Log: ")[1].split()[0]).read_text()
        assert "Traceback" not in log and "struct.error" not in log
        assert (tmp_path / "state" / "frontier.damaged").is_dir()
        assert_complete(tmp_path, server, site)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_sighup_and_sigterm_stop_cleanly_and_resumably(tmp_path: Path, signum: int) -> None:
    site = DemoSite(articles=150, seed=32)
    with DemoServer(site) as server:
        crawl = start_crawl(server.url, tmp_path)
        wait_for_records(tmp_path, 20, crawl)
        out, err = signal_group(crawl, signum)
        assert crawl.returncode == 128 + signum, out + err
        assert "Traceback" not in err, err
        assert f"Stopped by {signal.Signals(signum).name}" in out, out
        assert last_run(tmp_path)["finish_reason"] == "shutdown"
        assert frontier_problem(tmp_path / "state" / "frontier") is None
        rerun = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert rerun.returncode == 0, rerun.stderr
        assert "Warning" not in rerun.stdout, rerun.stdout
        assert_complete(tmp_path, server, site)


def test_a_second_ctrl_c_stops_at_once_and_the_next_run_recovers(tmp_path: Path) -> None:
    site = DemoSite(articles=150, seed=33)
    with DemoServer(site) as server:
        crawl = start_crawl(server.url, tmp_path)
        wait_for_records(tmp_path, 20, crawl)
        os.killpg(crawl.pid, signal.SIGINT)
        [log] = (tmp_path / "logs").glob("crawl-*.log")
        deadline = time.monotonic() + STOP_WAIT
        while "Received SIGINT" not in log.read_text() and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # two signals at once are one to Python: the second comes after the first is handled
        out, err = signal_group(crawl, signal.SIGINT)
        assert crawl.returncode == 130, out + err
        assert "Stopped at once (SIGINT received twice)" in err, err
        assert "Traceback" not in err, err
        rerun = run_cli("crawl", server.url, "--data-dir", tmp_path)
        assert rerun.returncode == 0, rerun.stderr
        assert_complete(tmp_path, server, site)
        found = invoke("search", "site:127.0.0.1", "--json", "--limit", "1000", "--data-dir", tmp_path)
        assert len(found.stdout.splitlines()) == len(site.articles)


def test_a_graceful_stop_that_cannot_finish_ends_after_the_stop_timeout(tmp_path: Path) -> None:
    """Pages that never answer would hold a graceful stop for the whole download timeout."""
    site = HostileSite()
    for n in range(4):
        site.routes[f"/2024/05/0{n + 1}/stuck/"] = lambda s, t, q: sleep_then(300, page("<p>late</p>"))
    site.routes["/"] = lambda s, t, q: page("".join(f'<a href="/2024/05/0{n + 1}/stuck/">story</a>' for n in range(4)))
    with HostileServer(site) as server:
        crawl = start_crawl(server.base_url + "/", tmp_path, "-s", "DOWNLOAD_TIMEOUT=600", "-s", "ARCHIVER_STOP_TIMEOUT=3")
        deadline = time.monotonic() + STOP_WAIT
        while not server.paths("/2024/05/") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.paths("/2024/05/"), "the crawl never asked for the stuck pages"
        out, err = signal_group(crawl, signal.SIGINT)
    assert crawl.returncode == 130, out + err
    assert "Stopped at once (SIGINT not stopped after 3 s)" in err, err
    assert "Traceback" not in err


def descendants(pid: int) -> set[int]:
    """Every process started, directly or not, by ``pid`` (Linux /proc)."""
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_kill_9_leaves_no_worker_processes_behind(tmp_path: Path) -> None:
    """Extraction workers, the index writer, the forkserver and its resource tracker end with a
    crawl killed outright: nothing idles on for ever, holding memory, after each ``kill -9``."""
    with DemoServer(DemoSite(articles=60, seed=34)) as server:
        crawl = start_crawl(server.url, tmp_path)
        wait_for_records(tmp_path, 5, crawl)
        helpers = descendants(crawl.pid)
        assert len(helpers) >= 3, helpers  # forkserver, resource tracker, workers
        crawl.kill()  # the crawl process only, as the kernel's OOM killer would
        crawl.wait()  # not its output: helpers left behind would hold its pipes open for ever
        deadline = time.monotonic() + STOP_WAIT
        while any(map(alive, helpers)) and time.monotonic() < deadline:
            time.sleep(0.1)
    left = {pid: Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:120] for pid in helpers if alive(pid)}
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    crawl.communicate(timeout=STOP_WAIT)
    assert not left, left
