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

from archiver.textout import clean_for_terminal

#: A word (letters and digits, with inner apostrophes, hyphens, dots or commas) or one
#: punctuation mark, with the whitespace in front of it: "dollars." differs from
#: "dollars for parks." by two inserted words, not by a replaced one.
TOKEN = re.compile(r"\s*(?:\w+(?:['’.,-]\w+)*|[^\w\s])")
#: Words of unchanged text shown around each change.
CONTEXT_WORDS = 8
GREEN, RED, BOLD, RESET = "\033[32m", "\033[31m", "\033[1m", "\033[0m"


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


def _marked(tokens: list[str], colour: str, before: str, after: str, use_colour: bool) -> str:
    """Changed words, coloured or wrapped in markers; the whitespace in front stays outside."""
    text = clean_for_terminal("".join(tokens))
    words = text.lstrip()
    return text[: len(text) - len(words)] + (f"{colour}{words}{RESET}" if use_colour else f"{before}{words}{after}")


def _render(opcodes: list[tuple[str, int, int, int, int]], old_tokens: list[str], new_tokens: list[str],
            colour: bool) -> str:
    parts = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            parts.append(clean_for_terminal("".join(old_tokens[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(_marked(old_tokens[i1:i2], RED, "[-", "-]", colour))
        if op in ("insert", "replace"):
            parts.append(_marked(new_tokens[j1:j2], GREEN, "{+", "+}", colour))
    return "".join(parts)


def render_inline(old: str, new: str, *, colour: bool) -> str:
    """The whole of ``new`` with the changes from ``old`` marked (for short fields like titles)."""
    old_tokens, a = _words(old)
    new_tokens, b = _words(new)
    return _render(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), old_tokens, new_tokens, colour)


def render_hunks(old: str, new: str, *, colour: bool, context: int = CONTEXT_WORDS) -> list[str]:
    """Hunks of changed words with some context: coloured, or ``[-old-]{+new+}`` as in ``git diff --word-diff``."""
    old_tokens, a = _words(old)
    new_tokens, b = _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        head = f"@@ words {first[1] + 1}-{last[2]} -> {first[3] + 1}-{last[4]} @@"
        body = _render(group, old_tokens, new_tokens, colour).strip().replace("\n\n", "\n")
        body = ("… " if first[1] > 0 else "") + body + (" …" if last[2] < len(a) else "")
        hunks.append((f"{BOLD}{head}{RESET}" if colour else head) + "\n" + body)
    return hunks


def format_diffs(record: dict[str, Any], diffs: list[VersionDiff], *, colour: bool) -> str:
    """Every diff of an article, oldest first, with a header naming the two captures."""
    title = clean_for_terminal(record.get("title"))
    if not diffs:
        return (f"{title}\nNo earlier revisions: the text has not changed since it was archived "
                f"(fetched {record.get('fetched_at')}).")
    total = len(diffs)
    lines = [f"{title}\n{total} revision{'s' if total > 1 else ''} ({record.get('url')})"]
    for number, diff in enumerate(diffs, start=1):
        current = " (current)" if number == total else ""
        header = [f"--- version {number}: fetched {diff.old.fetched_at}",
                  f"+++ version {number + 1}: fetched {diff.new.fetched_at}{current}"]
        lines.append("")
        lines += [f"{BOLD}{h}{RESET}" for h in header] if colour else header
        if not diff.changes:
            lines.append("(only whitespace or punctuation spacing changed)")
        if diff.old.title != diff.new.title:
            lines.append("Title: " + render_inline(diff.old.title, diff.new.title, colour=colour))
        lines += render_hunks(diff.old.text, diff.new.text, colour=colour)
    return "\n".join(lines)
