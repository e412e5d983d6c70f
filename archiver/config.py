"""Where the data dir is: the one setting every command shares."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_DIR = "archive"
ENV_DATA_DIR = "ARCHIVER_DATA_DIR"


def resolve_data_dir(value: str | Path | None = None) -> Path:
    """``value`` if given, else ``$ARCHIVER_DATA_DIR``, else ``./archive``."""
    return Path(value or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR)
