"""Shared fixtures: the demo site on 127.0.0.1:0 and one real crawl of it through the CLI.

Twisted's reactor cannot restart inside one process, so crawls run the real command
line in a subprocess; the demo server, in this process, logs every request it gets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer, LoggedRequest
from archiver.demo.site import DemoSite

DEMO_ARTICLES = 60


def run_cli(*args: str | os.PathLike, timeout: float = 300, env: dict[str, str] | None = None,
            input: str | None = None, umask: int = -1, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``archiver ARGS`` as a user would, in a fresh process (with ``umask`` and in ``cwd``, if given)."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("ARCHIVER_DATA_DIR", "ARCHIVER_REDIS_URL", "ARCHIVER_STATE_DIR")}
    full_env.update({"PYTHONWARNINGS": "ignore", **(env or {})})
    return subprocess.run([sys.executable, "-m", "archiver", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=full_env, input=input, umask=umask, cwd=cwd)


def load_records(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((data_dir / "articles").rglob("*.json"))]


@dataclass
class CrawlRun:
    data_dir: Path
    process: subprocess.CompletedProcess[str]
    requests: list[LoggedRequest]
    records: list[dict]


@pytest.fixture(scope="session")
def demo_site() -> DemoSite:
    return DemoSite(articles=DEMO_ARTICLES, seed=7)


@pytest.fixture(scope="session")
def demo_server(demo_site: DemoSite) -> Iterator[DemoServer]:
    with DemoServer(demo_site) as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    """The demo site crawled once into a fresh data dir by ``archiver crawl``."""
    data_dir = tmp_path_factory.mktemp("demo-archive")
    demo_server.clear_log()
    process = run_cli("crawl", demo_server.url, "--data-dir", data_dir)
    requests = list(demo_server.requests)
    return CrawlRun(data_dir, process, requests, load_records(data_dir))
