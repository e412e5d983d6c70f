"""One crawl per data dir: an advisory file lock that dies with its process."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from archiver.errors import DataDirError


class DataDirLock:
    """``flock`` on ``state/crawl.lock``; the kernel drops it when the holder exits.

    ``shared``: the processes of one distributed crawl (workers, seeding runs) hold it
    together, and keep a single-machine crawl out while they do (and the reverse).
    """

    def __init__(self, data_dir: Path | str, *, shared: bool = False):
        self.path = Path(data_dir) / "state" / "crawl.lock"
        self.shared = shared
        self.fd: int | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DataDirError(f"cannot use data dir {self.path.parent.parent}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise DataDirError(
                f"another crawl (pid {holder}) is running on {self.path.parent.parent}; wait for it to finish"
            ) from None
        if not self.shared:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode("ascii"))
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            if not self.shared:
                os.ftruncate(self.fd, 0)  # a later holder of the shared lock has no pid to show
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
