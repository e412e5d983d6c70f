"""Scheduled crawls (``archiver schedule``): cron and systemd entries, or a foreground loop.

Not to be confused with Scrapy's request schedulers (:mod:`archiver.distributed.scheduler`).

Each run is a fresh ``archiver crawl`` process (Twisted's reactor cannot restart in one
process), and the crawl itself archives only what is new or changed.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from archiver.errors import ArchiverError

INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """``90s``, ``15m``, ``1h``, ``1d`` → seconds (at least one minute)."""
    match = INTERVAL.match(text)
    if not match:
        raise ArchiverError(f"--every: {text!r} is not an interval (use e.g. 30m, 1h, 1d)")
    seconds = int(match.group(1)) * UNIT_SECONDS[match.group(2).lower()]
    if seconds < 60:
        raise ArchiverError("--every: the interval must be at least one minute")
    return seconds


def crawl_argv(urls: list[str], data_dir: str, extra: list[str]) -> list[str]:
    """The command a scheduled run executes."""
    return [sys.executable, "-m", "archiver", "crawl", *urls, "--data-dir", data_dir, *extra]


def cron_entry(seconds: int, argv: list[str]) -> str:
    """A crontab line for the interval (rounded to what cron can express)."""
    command = " ".join(shlex.quote(a) for a in argv)
    minutes = max(1, seconds // 60)
    if minutes < 60:
        spec = f"*/{minutes} * * * *"
    elif minutes < 1440:
        spec = f"0 */{minutes // 60} * * *"
    else:
        spec = "0 3 * * *"
    return f"{spec} {command} >/dev/null 2>&1"


def systemd_units(seconds: int, argv: list[str]) -> str:
    """A service and a timer unit (save as archiver-crawl.service / .timer)."""
    command = " ".join(shlex.quote(a) for a in argv)
    return (
        "# archiver-crawl.service\n[Unit]\nDescription=news-archiver scheduled crawl\n\n"
        f"[Service]\nType=oneshot\nExecStart={command}\n\n"
        "# archiver-crawl.timer\n[Unit]\nDescription=Run the news-archiver crawl regularly\n\n"
        f"[Timer]\nOnBootSec=5min\nOnUnitActiveSec={seconds}s\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n"
    )


@dataclass
class ScheduledRun:
    """How one scheduled crawl went."""

    started: str  #: ISO 8601 UTC
    seconds: float
    returncode: int
    summary: str  #: the first line the crawl printed
    error: str  #: the end of what it printed on stderr


def run_every(seconds: int, argv: list[str], done: Callable[[ScheduledRun], None], *, runs: int | None = None) -> None:
    """Run the crawl now and then every ``seconds``, telling ``done`` after each run, until Ctrl-C."""
    count = 0
    while runs is None or count < runs:
        started = time.monotonic()
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        result = subprocess.run(argv, capture_output=True, text=True)
        done(ScheduledRun(stamp, time.monotonic() - started, result.returncode,
                          (result.stdout.strip().splitlines() or [""])[0], result.stderr.strip()[-200:]))
        count += 1
        if runs is not None and count >= runs:
            break
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
