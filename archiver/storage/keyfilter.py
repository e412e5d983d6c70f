"""A compact in-memory filter of keys (strings or bytes): "surely absent" or "maybe present".

The crawl asks "is this URL archived / already claimed?" for almost every link and page,
and the answer is almost always no. Holding a 64-bit hash of every key lets a miss be
answered without touching SQLite; a hit (or a rare hash collision) reads the row.
Hashes live in a sorted array of 64-bit integers (8 bytes a key, searched by bisection)
plus a small set of recent additions, merged into the array (by numpy) once it grows
past an eighth of it.

Python's hash of strings and bytes is salted per process, which suits a filter built anew by each
process from its database (it is never saved).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable

import numpy as np

Key = str | bytes

#: Recent additions are merged into the sorted array past this many (or an eighth of it).
MERGE_MIN = 1024


class KeyFilter:
    """Membership of keys by their 64-bit hash; no false negatives.

    Used like a set of keys (``in``, ``add``, ``update``). One thread may add while others
    test: the merged array is published before the set of recent additions is emptied, so
    a reader always finds a key in one of them.
    """

    def __init__(self, keys: Iterable[Key] = ()):
        self._sorted = _packed(np.fromiter((hash(k) for k in keys), dtype=np.int64))
        self._recent: set[int] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def __contains__(self, key: Key) -> bool:
        digest = hash(key)
        if digest in self._recent:
            return True
        hashes = self._sorted
        at = bisect_left(hashes, digest)
        return at < len(hashes) and hashes[at] == digest

    def add(self, key: Key) -> None:
        self.update((key,))

    def update(self, keys: Iterable[Key]) -> None:
        with self._lock:
            self._recent.update(hash(k) for k in keys if k not in self)
            if len(self._recent) > max(MERGE_MIN, len(self._sorted) >> 3):
                recent = np.fromiter(self._recent, dtype=np.int64, count=len(self._recent))
                self._sorted = _packed(np.concatenate((np.frombuffer(self._sorted, dtype=np.int64), recent)))
                self._recent = set()

    @property
    def nbytes(self) -> int:
        """Approximate memory held (the array, and the set of recent hashes at ~64 bytes each)."""
        return self._sorted.itemsize * len(self._sorted) + 64 * len(self._recent)


def _packed(hashes: np.ndarray) -> array[int]:
    """The distinct hashes, sorted, as an array bisect searches without numpy's per-call cost."""
    ordered = np.sort(hashes, kind="stable")  # a radix or merge sort: np.unique is far slower here
    distinct = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered
    packed = array("q")
    packed.frombytes(distinct.tobytes())
    return packed
