"""Snippets show the window with the most distinct query words, found in one pass over the matches."""

from __future__ import annotations

import random

from index.search import _best_window


def windows_counted_anew(matches: list[tuple[int, int, str]], width: int) -> int:
    """The best window's first match, each window's terms counted from scratch."""
    best, best_score = 0, (-1, -1)
    for i, (start, _, _) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + width]
        score = (len({t for _, _, t in inside}), len(inside))
        if score > best_score:
            best, best_score = i, score
    return best


def test_the_sliding_window_picks_the_window_a_full_count_picks() -> None:
    rng = random.Random(3)
    for _ in range(400):
        at, matches = 0, []
        for _ in range(rng.randint(1, 60)):
            at += rng.randint(1, 40)
            length = rng.randint(1, 12)
            matches.append((at, at + length, rng.choice("abcde")))
            at += length
        width = rng.choice([5, 30, 100, 220])
        assert _best_window(matches, width) == windows_counted_anew(matches, width), (matches, width)

