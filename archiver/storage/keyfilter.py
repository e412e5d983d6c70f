"""A compact in-memory filter of string keys: "surely absent" or "maybe present".

The crawl asks "is this URL archived / already claimed?" for almost every link and page,
and the answer is almost always no. Holding a 64-bit hash of every key lets a miss be
answered without touching SQLite; a hit (or a rare hash collision) reads the row.
Hashes live in a sorted numpy array (8 bytes a key) plus a small set of recent
additions, merged into the array once it grows past an eighth of it.

Python's string hash is salted per process, which suits a filter built anew by each
process from its database (it is never saved).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np

#: Recent additions are merged into the sorted array past this many (or an eighth of it).
MERGE_MIN = 4096


class KeyFilter:
    """Membership of string keys by their 64-bit hash; no false negatives.

    One thread may add while others test: the merged array is published before the
    set of recent additions is emptied, so a reader always finds a key in one of them.
    """

    def __init__(self, keys: Iterable[str] = ()):
        self._sorted = np.unique(np.fromiter((hash(k) for k in keys), dtype=np.int64))
        self._recent: set[int] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def __contains__(self, key: str) -> bool:
        digest = hash(key)
        if digest in self._recent:
            return True
        hashes = self._sorted
        at = int(hashes.searchsorted(digest))
        return at < len(hashes) and int(hashes[at]) == digest

    def add(self, keys: Iterable[str]) -> None:
        with self._lock:
            self._recent.update(hash(k) for k in keys)
            if len(self._recent) > max(MERGE_MIN, len(self._sorted) >> 3):
                recent = np.fromiter(self._recent, dtype=np.int64, count=len(self._recent))
                self._sorted = np.union1d(self._sorted, recent)
                self._recent = set()

    @property
    def nbytes(self) -> int:
        """Approximate memory held (the array, and the set of recent hashes at ~64 bytes each)."""
        return int(self._sorted.nbytes) + 64 * len(self._recent)
