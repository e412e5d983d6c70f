"""One crawl per data dir: an advisory file lock that dies with its process.

The lock knows which data dirs this process holds, so the Scrapy extension that takes
it for ``scrapy crawl`` stands aside when ``archiver crawl`` already took it (with a
clean error) before starting Scrapy in the same process.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from archiver.datadir import DataDir
from archiver.errors import DataDirError

#: Lock files this process holds, and how often (a shared lock may be taken twice).
_HELD: dict[Path, int] = {}


class DataDirLock:
    """``flock`` on ``state/crawl.lock``; the kernel drops it when the holder exits.

    ``shared``: the processes of one distributed crawl (workers, seeding runs) hold it
    together, and keep a single-machine crawl out while they do (and the reverse).
    """

    def __init__(self, data_dir: DataDir | Path | str, *, shared: bool = False):
        data = DataDir.of(data_dir)
        self.path = data.lock_file
        self.root = data.root
        self.shared = shared
        self.fd: int | None = None

    @staticmethod
    def held_here(data_dir: DataDir) -> bool:
        """True when this process already holds the lock of ``data_dir``."""
        return _HELD.get(data_dir.lock_file.resolve(), 0) > 0

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DataDirError(f"cannot use data dir {self.root}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise DataDirError(
                f"another crawl (pid {holder}) is running on {self.root}; wait for it to finish"
            ) from None
        if not self.shared:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode("ascii"))
        self.fd = fd
        key = self.path.resolve()
        _HELD[key] = _HELD.get(key, 0) + 1

    def release(self) -> None:
        if self.fd is not None:
            if not self.shared:
                os.ftruncate(self.fd, 0)  # a later holder of the shared lock has no pid to show
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
            key = self.path.resolve()
            _HELD[key] = _HELD.get(key, 1) - 1

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
