"""Atomic file writes: readers see the old file or the new one, never half of either.

Files are created the way ``open()`` creates them (mode 0666 less the process umask), so
records, exports and manifests in a shared archive are as readable as the user's
umask makes any other file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

#: Temp files of unfinished writes end with this (a killed writer leaves them behind).
TEMP_SUFFIX = ".tmp"


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file whose contents replace ``path`` only if the block ends without error.

    A temp file in the same folder (which must exist) is written, fsynced and renamed
    over the target; the folder is fsynced so the rename survives a power cut.
    """
    fd, tmp = _new_temp_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _new_temp_file(path: Path) -> tuple[int, Path]:
    """A new, empty temp file beside ``path`` (never an existing one), with the umask's mode.

    ``tempfile.mkstemp`` would make it 0600 whatever the umask, and the rename keeps that.
    """
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path) as handle:
        handle.write(data)


def atomic_write_many(files: dict[Path, bytes]) -> None:
    """Write several files atomically (see :func:`atomic_file`) at the cost of one fsync per
    file and one per folder: every temp file is written and fsynced before any is renamed,
    so after a crash each file holds its old contents or its new ones, never a torn mix."""
    temps: list[Path] = []
    try:
        with contextlib.ExitStack() as handles:
            written = []
            for path, data in files.items():
                fd, tmp = _new_temp_file(path)
                temps.append(tmp)
                handle = handles.enter_context(os.fdopen(fd, "wb"))
                handle.write(data)
                written.append(handle)
            for handle in written:  # all written first: the kernel writes them back together
                handle.flush()
                os.fsync(handle.fileno())
        for path, tmp in zip(files, temps):
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for folder in dict.fromkeys(path.parent for path in files):
        fsync_dir(folder)


def fsync_dir(path: Path) -> None:
    """Make the renames in ``path`` durable."""
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
