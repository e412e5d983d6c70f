"""Human-readable output for the terminal, safe against control characters in page text."""

from __future__ import annotations

import re
from typing import Any

#: C0/C1 control characters except tab and newline: a page must not drive the terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_for_terminal(text: str | None) -> str:
    """Text with terminal control sequences (ESC, BEL, ...) removed."""
    return CONTROL.sub("", text or "")


def format_record(record: dict[str, Any]) -> str:
    """A stored record as a readable page: headline, byline, dates, URLs, body."""
    c = clean_for_terminal
    lines = [
        c(record.get("title")),
        "By " + ", ".join(c(a) for a in record.get("authors") or []) if record.get("authors") else "(no byline)",
        f"Published: {record.get('published') or 'unknown'}" + (f"   Modified: {record['modified']}" if record.get("modified") else ""),
        f"Site: {c(record.get('site'))}   Id: {record.get('id')}   Words: {record.get('word_count')}",
        f"URL: {c(record.get('url'))}",
    ]
    others = [u for u in record.get("urls") or [] if u != record.get("url")]
    if others:
        lines.append("Also at: " + ", ".join(c(u) for u in others))
    if record.get("categories") or record.get("tags"):
        lines.append(f"Categories: {', '.join(record.get('categories') or [])}   Tags: {', '.join(record.get('tags') or [])}")
    for revision in record.get("revisions") or []:
        lines.append(f"Revision: fetched {revision.get('fetched_at')} (content {str(revision.get('content_hash'))[:12]})")
    lines += ["", c(record.get("text"))]
    return "\n".join(lines)
