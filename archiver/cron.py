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


def describe_interval(seconds: int) -> str:
    """``5400`` -> ``90 minutes``: an interval in the largest unit that divides it."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def cron_times(seconds: int) -> str:
    """cron's five time fields for a job run exactly every ``seconds``; ArchiverError when
    cron cannot: its steps restart each hour, day and month, so ``*/90`` minutes is not
    every 90 minutes, and nothing but a weekday expresses a period of several days."""
    minutes, odd = divmod(seconds, 60)
    if not odd and minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *"
    if not odd and minutes % 60 == 0 and minutes < 1440 and 1440 % minutes == 0:
        return f"0 */{minutes // 60} * * *"
    if seconds == 86400:
        return "0 3 * * *"
    if seconds == 7 * 86400:
        return "0 3 * * 0"
    raise ArchiverError(f"--every: cron cannot run a job exactly every {describe_interval(seconds)}; use "
                        "--print-systemd (a timer runs any interval) or an interval that divides an hour or a "
                        "day (1m to 30m, 1h to 12h), 1d or 7d")


def cron_entry(seconds: int, argv: list[str]) -> str:
    """A crontab line for the interval. The crawl runs ``--quiet``: a run that went well
    prints nothing, and cron mails whatever a failing one prints (its error, its warnings);
    every run also leaves its log in ``logs/`` and a line in ``state/runs.jsonl``."""
    command = " ".join(shlex.quote(a) for a in [*argv, "--quiet"])
    return f"{cron_times(seconds)} {command.replace('%', chr(92) + '%')}"  # a bare % ends a cron command


def systemd_units(seconds: int, argv: list[str]) -> str:
    """A service and a timer unit (save as archiver-crawl.service / .timer). A failed run
    marks the service failed (``systemctl --failed``); its output is in the journal."""
    command = " ".join(shlex.quote(a) for a in argv).replace("%", "%%")  # % starts a systemd specifier
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
