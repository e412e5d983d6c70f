"""Word-level diffs between an article's stored versions: each revision against the next, then the current text.

Words are compared (``difflib.SequenceMatcher`` without its junk heuristic, which on
long texts would ignore common words and misplace changes); each word keeps the
whitespace before it, so the output keeps the article's paragraphs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: A word (letters and digits, with inner apostrophes, hyphens, dots or commas) or one
#: punctuation mark, with the whitespace in front of it: "dollars." differs from
#: "dollars for parks." by two inserted words, not by a replaced one.
TOKEN = re.compile(r"\s*(?:\w+(?:['’.,-]\w+)*|[^\w\s])")
#: Words of unchanged text shown around each change.
CONTEXT_WORDS = 8


@dataclass
class Change:
    op: str  #: "insert" | "delete" | "replace"
    old: str  #: the removed words as the text has them, whitespace as one space ("" for an insert)
    new: str  #: the added words ("" for a delete)
    field: str = "text"  #: "text" or "title"


@dataclass
class Version:
    fetched_at: str
    title: str
    text: str


@dataclass
class VersionDiff:
    """What changed from one stored version to the next."""

    old: Version
    new: Version
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.old.fetched_at, "to": self.new.fetched_at, "changes": [asdict(c) for c in self.changes]}


def versions(record: dict[str, Any]) -> list[Version]:
    """The record's versions, oldest first: every revision, then the current one."""
    found = [Version(r.get("fetched_at") or "?", r.get("title") or "", r.get("text") or "")
             for r in record.get("revisions") or []]
    return found + [Version(record.get("fetched_at") or "?", record.get("title") or "", record.get("text") or "")]


def _words(text: str) -> tuple[list[str], list[str]]:
    """The text's tokens (word with leading whitespace) and the bare words compared."""
    tokens = TOKEN.findall(text)
    return tokens, [t.strip() for t in tokens]


def word_changes(old: str, new: str, fieldname: str = "text") -> list[Change]:
    """The insertions, deletions and replacements that turn ``old`` into ``new``, word by word."""
    old_tokens, a = _words(old)
    new_tokens, b = _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [Change(op, _plain(old_tokens[i1:i2]), _plain(new_tokens[j1:j2]), fieldname)
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _plain(tokens: list[str]) -> str:
    """The words as the text has them, whitespace runs (paragraph breaks too) as one space."""
    return " ".join("".join(tokens).split())


def article_diffs(record: dict[str, Any]) -> list[VersionDiff]:
    """One diff per pair of consecutive versions (empty when the article never changed)."""
    stored = versions(record)
    diffs = []
    for old, new in zip(stored, stored[1:]):
        changes = word_changes(old.title, new.title, "title") + word_changes(old.text, new.text)
        diffs.append(VersionDiff(old, new, changes))
    return diffs


@dataclass
class Segment:
    """A run of the text: kept (``equal``), removed (``delete``) or added (``insert``).

    ``text`` keeps the whitespace in front of its words, so segments joined in order give
    the old text (equal + delete) or the new one (equal + insert).
    """

    op: str
    text: str


@dataclass
class Hunk:
    """Changed words with some context, and where they are (1-based word numbers)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    segments: list[Segment]
    cut_before: bool  #: text before the hunk is left out
    cut_after: bool  #: text after the hunk is left out


def _segments(opcodes: list[tuple[str, int, int, int, int]], old_tokens: list[str],
              new_tokens: list[str]) -> list[Segment]:
    segments = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            segments.append(Segment("equal", "".join(old_tokens[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(old_tokens[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(new_tokens[j1:j2])))
    return segments


def inline_diff(old: str, new: str) -> list[Segment]:
    """The whole of ``new`` with the changes from ``old`` (for short fields like titles)."""
    old_tokens, a = _words(old)
    new_tokens, b = _words(new)
    return _segments(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), old_tokens, new_tokens)


def hunks(old: str, new: str, *, context: int = CONTEXT_WORDS) -> list[Hunk]:
    """The changes from ``old`` to ``new`` with ``context`` words around each, as in ``git diff --word-diff``."""
    old_tokens, a = _words(old)
    new_tokens, b = _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    found = []
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        found.append(Hunk(first[1] + 1, last[2], first[3] + 1, last[4], _segments(group, old_tokens, new_tokens),
                          cut_before=first[1] > 0, cut_after=last[2] < len(a)))
    return found
