"""The pending frontier across runs: Scrapy's ``JOBDIR`` queue in ``state/frontier/``.

A crawl stopped by Ctrl-C leaves its queue there and the next run continues it; a run
that finishes clears it. A crawl that did not stop cleanly (``kill -9``, a power cut, a
full disk) can leave queue files that Scrapy cannot read: an empty file, a cut-off
request, a header that does not match what follows. Scrapy would fail on them as the
crawl opens, so the frontier is checked first; a damaged one is set aside and the crawl
rediscovers its pages from sitemaps, feeds and listings (pages already archived cost a
conditional request).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

#: queuelib's LIFO disk queue (Scrapy's default ``SCHEDULER_DISK_QUEUE``): a 4-byte request
#: count, then each request followed by its 4-byte length.
LIFO_SIZE = struct.Struct(">L")
#: Where Scrapy keeps the frontier inside a ``JOBDIR``.
QUEUE_DIR = "requests.queue"
ACTIVE_QUEUES = "active.json"
SPIDER_STATE = "spider.state"
DAMAGED_STAT = "archiver/frontier/damaged"


def lifo_queue_problem(path: Path) -> str | None:
    """Why a LIFO disk-queue file cannot be read back request by request, or None."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        header = handle.read(LIFO_SIZE.size)
        if len(header) < LIFO_SIZE.size:
            return "empty or cut-off queue file"
        (count,) = LIFO_SIZE.unpack(header)
        end = size
        for _ in range(count):
            if end - LIFO_SIZE.size < LIFO_SIZE.size:
                return f"its header counts {count} requests but the file holds fewer"
            handle.seek(end - LIFO_SIZE.size)
            (length,) = LIFO_SIZE.unpack(handle.read(LIFO_SIZE.size))
            end -= LIFO_SIZE.size + length
            if end < LIFO_SIZE.size:
                return "a request is cut off"
    if end != LIFO_SIZE.size:
        return f"it holds requests its header does not count ({count} counted)"
    return None


def fifo_queue_problem(path: Path) -> str | None:
    """Why a FIFO disk-queue directory (``info.json`` plus chunks) cannot be read, or None."""
    try:
        info = json.loads((path / "info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"unreadable queue info: {exc}"
    if not isinstance(info, dict) or not {"size", "head", "tail", "chunksize"} <= info.keys():
        return "incomplete queue info"
    return None


def active_queues_problem(path: Path) -> str | None:
    """Why the list of active queues (``active.json``) cannot be read, or None."""
    return None if isinstance(json.loads(path.read_text(encoding="utf-8")), dict) else "not a list of queues"


def spider_state_problem(path: Path) -> str | None:
    """Why the spider's saved state cannot be loaded as Scrapy's SpiderState loads it, or None."""
    with open(path, "rb") as handle:
        pickle.load(handle)  # noqa: S301 - the crawl's own file, read as Scrapy reads it
    return None


def frontier_files(jobdir: Path) -> list[tuple[Path, Callable[[Path], str | None]]]:
    """Every file Scrapy reads back from a ``JOBDIR``, with the check that it can."""
    queues = jobdir / QUEUE_DIR
    found: list[tuple[Path, Callable[[Path], str | None]]] = []
    if (queues / ACTIVE_QUEUES).exists():
        found.append((queues / ACTIVE_QUEUES, active_queues_problem))
    for slot in sorted(p for p in queues.iterdir() if p.is_dir()) if queues.is_dir() else ():
        found += [(q, fifo_queue_problem if q.is_dir() else lifo_queue_problem) for q in sorted(slot.iterdir())]
    if (jobdir / SPIDER_STATE).exists():
        found.append((jobdir / SPIDER_STATE, spider_state_problem))
    return found


def frontier_problem(jobdir: Path) -> str | None:
    """What makes a saved frontier unreadable for Scrapy (``file: reason``), or None when it is sound."""
    for path, check in frontier_files(jobdir):
        try:
            problem = check(path)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
            problem = f"{exc.__class__.__name__}: {exc}"
        if problem:
            return f"{path.relative_to(jobdir)}: {problem}"
    return None


def frontier_warnings(stats: dict[str, Any]) -> list[str]:
    """The crawl summary's warning about a frontier that was set aside, if one was."""
    problem = stats.get(DAMAGED_STAT)
    if not problem:
        return []
    return [f"the saved frontier could not be read ({problem}); it was set aside and the crawl "
            "rediscovered its pages from sitemaps, feeds and listings"]


class SavedFrontier:
    """Checks the saved frontier as a crawl opens (a damaged one is set aside beside it,
    as ``<JOBDIR>.damaged``) and deletes it once a crawl has finished normally."""

    def __init__(self, crawler: Crawler, jobdir: Path):
        self.crawler = crawler
        self.jobdir = jobdir
        self.problem = frontier_problem(jobdir) if jobdir.is_dir() else None
        if self.problem:
            self.set_aside()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SavedFrontier:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        extension = cls(crawler, Path(jobdir))
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def set_aside(self) -> None:
        damaged = self.jobdir.with_name(f"{self.jobdir.name}.damaged")
        shutil.rmtree(damaged, ignore_errors=True)
        os.replace(self.jobdir, damaged)
        logger.warning("The saved frontier could not be read (%s); set aside as %s, rediscovering its pages "
                       "from sitemaps, feeds and listings", self.problem, damaged)

    def opened(self) -> None:
        if self.problem:
            self.crawler.stats.set_value(DAMAGED_STAT, self.problem)

    def closed(self, spider: Any, reason: str) -> None:
        if reason == "finished":
            shutil.rmtree(self.jobdir, ignore_errors=True)
        else:
            logger.info("Crawl stopped (%s); its pending requests are kept in %s for the next run", reason, self.jobdir)
