"""Where the data dir is: the one setting every command shares (and where crawl state may live)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_DIR = "archive"
ENV_DATA_DIR = "ARCHIVER_DATA_DIR"
ENV_STATE_DIR = "ARCHIVER_STATE_DIR"


def resolve_data_dir(value: str | Path | None = None) -> Path:
    """``value`` if given, else ``$ARCHIVER_DATA_DIR``, else ``./archive``."""
    return Path(value or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR)


def resolve_state_dir(data_dir: str | Path) -> Path:
    """Where this machine's crawl state (``fetches.sqlite``) lives: ``$ARCHIVER_STATE_DIR``,
    else the data dir's ``state/``. Distributed workers keep it on local disk: SQLite must
    not be shared over a network file system."""
    return Path(os.environ.get(ENV_STATE_DIR) or Path(data_dir) / "state")
