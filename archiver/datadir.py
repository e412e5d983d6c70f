"""The data directory: where it is, and every path inside it.

This module is the one owner of the archive's layout; nothing else joins path
segments under a data dir. The layout (DESIGN.md)::

    articles/<site>/<YYYY>/<MM>/<id>.json     one record per article (``undated/00`` without a date)
    warc/archiver-<time>-<serial>-<pid>-<host>.warc.gz   raw captures (WARC, gzip per record, rotated)
    raw/<site>/<id>/<stamp>-<hash>.html.gz     archives before WARC: the HTML each version was read from
    index/                                     the Whoosh index (derived; ``archiver reindex``)
    logs/<command>-<time>.log                  one log file per crawl, seeding run or worker
    state/keys.sqlite                          dedup keys: URL keys and content hashes -> article
    state/fetches.sqlite                       per-URL crawl state (ETag, lastmod) of this machine
    state/runs.jsonl                           one line per crawl run
    state/crawl.lock                           the crawl lock
    state/frontier/                            Scrapy's JOBDIR: the pending requests of a stopped crawl
    state/warc-sealed.json                     WARC files checked whole, with their size then
    state/frontier.damaged/                    a frontier that could not be read, set aside (the latest one)

Paths kept in the archive's own state (the key store) are relative to the data dir
(:meth:`DataDir.relative`, :meth:`DataDir.absolute`), so an archive keeps working after
``cp -a``, ``mv``, ``rsync`` to another machine or a restore from backup.

Where the data dir is: ``--data-dir``, else ``$ARCHIVER_DATA_DIR``, else ``./archive``
(:func:`resolve_data_dir`). Scrapy components get it from the ``ARCHIVER_DATA_DIR``
setting (:meth:`DataDir.from_settings`); the machine-local state dir of a distributed
worker comes from ``ARCHIVER_STATE_DIR`` the same way.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = "archive"
ENV_DATA_DIR = "ARCHIVER_DATA_DIR"
ENV_STATE_DIR = "ARCHIVER_STATE_DIR"

#: What may appear in a path segment built from a host name or id.
UNSAFE_SEGMENT = re.compile(r"[^a-z0-9._-]+")
MAX_SEGMENT = 100
#: Record files relative to ``articles/``.
RECORD_GLOB = "*/*/*/*.json"
PUBLISHED_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def resolve_data_dir(value: str | Path | None = None) -> Path:
    """``value`` if given, else ``$ARCHIVER_DATA_DIR``, else ``./archive``."""
    return Path(value or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR)


def safe_segment(text: str) -> str:
    """A file-name-safe, bounded form of a host or id: never a path traversal."""
    segment = UNSAFE_SEGMENT.sub("_", text.lower()).strip("._") or "_"
    return segment[:MAX_SEGMENT]


@dataclass(frozen=True)
class DataDir:
    """One archive on disk; ``local_state`` is this machine's crawl-state dir when it is
    not the archive's own ``state/`` (distributed workers keep SQLite on local disk)."""

    root: Path
    local_state: Path | None = None

    @classmethod
    def resolve(cls, value: str | Path | None = None) -> DataDir:
        return cls(resolve_data_dir(value))

    @classmethod
    def of(cls, value: DataDir | str | Path) -> DataDir:
        """``value`` as a DataDir (library functions take either)."""
        return value if isinstance(value, DataDir) else cls(Path(value))

    def on_this_machine(self, state_dir: Path | None = None) -> DataDir:
        """This data dir with its crawl state on local disk: ``state_dir``, else a folder
        under ``$XDG_STATE_HOME`` (``~/.local/state``) named after the archive. Distributed
        workers share the data dir over a network; SQLite must not be."""
        if state_dir is None:
            base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
            state_dir = base / "news-archiver" / hashlib.sha1(str(self.root.resolve()).encode("utf-8")).hexdigest()[:12]
        return replace(self, local_state=state_dir)

    @classmethod
    def from_settings(cls, settings: Any) -> DataDir:
        """The data dir a Scrapy component works on (``ARCHIVER_DATA_DIR``, ``ARCHIVER_STATE_DIR``)."""
        state = settings.get("ARCHIVER_STATE_DIR")
        return cls(resolve_data_dir(settings.get("ARCHIVER_DATA_DIR")), Path(state) if state else None)

    # -- the parts ------------------------------------------------------------------------

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def warc(self) -> Path:
        return self.root / "warc"

    @property
    def warc_sealed(self) -> Path:
        return self.state / "warc-sealed.json"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def keys_db(self) -> Path:
        return self.state / "keys.sqlite"

    @property
    def fetches_db(self) -> Path:
        return (self.local_state or self.state) / "fetches.sqlite"

    @property
    def seeded_profile(self) -> Path:
        """A worker's local copy of the seeding run's site profile."""
        return (self.local_state or self.state) / "seeded-profile.toml"

    @property
    def known_listings(self) -> Path:
        """Listing pages the extractor recognised, so later runs follow them without extracting them."""
        return (self.local_state or self.state) / "listings.txt"

    @property
    def run_log(self) -> Path:
        return self.state / "runs.jsonl"

    @property
    def lock_file(self) -> Path:
        return self.state / "crawl.lock"

    @property
    def frontier(self) -> Path:
        return self.state / "frontier"

    def exists(self) -> bool:
        """True when the directory holds an archive (records or crawl state)."""
        return self.articles.is_dir() or self.state.is_dir()

    # -- paths kept in the archive's state --------------------------------------------------

    def relative(self, path: Path) -> Path:
        """``path`` (inside this data dir) as the archive stores it: relative to the root."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            raise ValueError(f"{path} is not inside the data dir {self.root}") from None

    def absolute(self, stored: str | Path) -> Path:
        """A path the archive stored (:meth:`relative`) under this data dir, wherever it is now.

        A stored path that would lead outside the data dir (absolute, or with ``..``) is a
        ValueError: nothing the state says may make a crawl touch files elsewhere.
        """
        stored = Path(stored)
        if stored.is_absolute() or ".." in stored.parts:
            raise ValueError(f"stored path {str(stored)!r} leads outside the data dir {self.root}")
        return self.root / stored

    @staticmethod
    def relocated_record(stored: str | Path) -> Path:
        """A record path as older versions stored it (absolute, or relative to the working
        dir of that crawl) made relative to the data dir: records always sit four levels
        under ``articles/`` (site, year, month, file), wherever the archive lived then."""
        parts = Path(stored).parts
        if len(parts) < 4:
            raise ValueError(f"{str(stored)!r} is not a record path")
        return Path("articles", *parts[-4:])

    # -- files named by what they hold -------------------------------------------------------

    def record_path(self, site: str, published: str | None, article_id: str) -> Path:
        """Where a record lives: by site and publication month, named by id."""
        month = PUBLISHED_MONTH.match(published or "")
        year, number = month.groups() if month else ("undated", "00")
        return self.articles / safe_segment(site) / year / number / f"{safe_segment(article_id)}.json"

    def record_paths(self, article_id: str = "*") -> list[Path]:
        """Record files (of one id, or all of them), in a stable order."""
        if not self.articles.is_dir():
            return []
        pattern = RECORD_GLOB if article_id == "*" else f"*/*/*/{safe_segment(article_id)}.json"
        return sorted(self.articles.glob(pattern))

    def raw_captures(self, site: str, article_id: str, stamp: str) -> list[Path]:
        """The gzipped HTML an archive from before WARC kept of the version fetched at ``stamp``."""
        folder = self.raw / safe_segment(site) / safe_segment(article_id)
        return sorted(folder.glob(f"{re.sub(r'[^0-9TZ]', '', stamp)}-*.html.gz")) if folder.is_dir() else []

    def new_warc_file(self, started: datetime, serial: int, writer: str) -> Path:
        """A WARC file of one writer (``<pid>-<host>``), Heritrix-style: prefix, time, serial, writer."""
        return self.warc / f"archiver-{started:%Y%m%d%H%M%S%f}-{serial:05d}-{safe_segment(writer)[:40]}.warc.gz"

    def warc_files(self) -> list[Path]:
        """Every WARC file, oldest first."""
        return sorted(self.warc.glob("*.warc.gz")) if self.warc.is_dir() else []

    def warc_name(self, path: Path) -> str:
        """How a record names its WARC file: relative to the data dir, so the archive can move."""
        return f"{self.warc.name}/{path.name}"

    def warc_path(self, name: str) -> Path:
        """The WARC file a record names (only its last segment counts: never outside ``warc/``)."""
        return self.warc / safe_segment(Path(name).name)

    def new_log_file(self, name: str) -> Path:
        """A fresh, time-stamped log file path for one run (its folder made)."""
        self.logs.mkdir(parents=True, exist_ok=True)
        return self.logs / f"{name}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.log"
