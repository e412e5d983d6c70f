"""Human-readable output for the terminal, safe against control characters in page text."""

from __future__ import annotations

import json
import re
from typing import Any

#: C0/C1 control characters except tab and newline: a page must not drive the terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


#: DEL and the C1 controls, which JSON may carry raw but a terminal would obey (CSI is \x9b).
RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


def clean_for_terminal(text: str | None) -> str:
    """Text with terminal control sequences (ESC, BEL, ...) removed."""
    return CONTROL.sub("", text or "")


def to_json(value: Any, indent: int | None = None) -> str:
    """JSON for stdout: UTF-8 text kept readable, every control character escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_record(record: dict[str, Any]) -> str:
    """A stored record as a readable page: headline, byline, dates, URLs, body."""
    c = clean_for_terminal
    lines = [
        c(record.get("title")),
        "By " + ", ".join(c(a) for a in record.get("authors") or []) if record.get("authors") else "(no byline)",
        f"Published: {c(record.get('published')) or 'unknown'}" + (f"   Modified: {c(record['modified'])}" if record.get("modified") else ""),
        f"Site: {c(record.get('site'))}   Id: {c(str(record.get('id')))}   Words: {c(str(record.get('word_count')))}",
        f"URL: {c(record.get('url'))}",
    ]
    others = [u for u in record.get("urls") or [] if u != record.get("url")]
    if others:
        lines.append("Also at: " + ", ".join(c(u) for u in others))
    if record.get("categories") or record.get("tags"):
        lines.append(f"Categories: {c(', '.join(record.get('categories') or []))}   Tags: {c(', '.join(record.get('tags') or []))}")
    for revision in record.get("revisions") or []:
        lines.append(f"Revision: fetched {c(str(revision.get('fetched_at')))} (content {c(str(revision.get('content_hash')))[:12]})")
    lines += ["", c(record.get("text"))]
    return "\n".join(lines)


def highlight(text: str, marks: list[tuple[int, int]], colour: bool) -> str:
    """The snippet with its matched terms in bold yellow (terminal) or left plain (pipe)."""
    if not colour or not marks:
        return clean_for_terminal(text)
    out, last = [], 0
    for start, end in sorted(marks):
        out.append(clean_for_terminal(text[last:start]))
        out.append("\033[1;33m" + clean_for_terminal(text[start:end]) + "\033[0m")
        last = end
    out.append(clean_for_terminal(text[last:]))
    return "".join(out)


def format_hit(hit: Any, *, colour: bool) -> str:
    """One search hit: rank, date, site, title, authors, URL, snippet."""
    c = clean_for_terminal
    title = f"\033[1m{c(hit.title)}\033[0m" if colour else c(hit.title)
    byline = ", ".join(c(a) for a in hit.authors) or "no byline"
    return "\n".join([
        f"{hit.rank:>3}. {c(hit.published or 'undated')[:10]}  {c(hit.site)}  {title}",
        f"     {byline}  {c(hit.url)}",
        f"     {highlight(hit.snippet, hit.snippet_marks, colour)}",
    ])


def format_stats(stats: Any) -> str:
    """Archive counts as a short report."""
    c = clean_for_terminal
    lines = [f"{stats.articles} articles ({stats.revised} with revisions)"]
    lines.append("Sites:   " + ", ".join(f"{c(s)} {n}" for s, n in stats.sites.items()) if stats.sites else "Sites:   none")
    lines.append("Years:   " + ", ".join(f"{c(y)} {n}" for y, n in stats.years.items()))
    lines.append("Authors: " + ", ".join(f"{c(a)} {n}" for a, n in stats.authors.items()))
    for problem in stats.corrupt:
        lines.append(f"Unreadable record: {c(problem)}")
    if stats.runs:
        lines.append("Last runs:")
        for run in stats.runs:
            lines.append(
                f"  {run.get('start')}  {run.get('finish_reason')}: {run.get('pages', 0)} pages, "
                f"{run.get('articles', 0)} new, {run.get('updated', 0)} updated, {run.get('not_modified', 0)} not modified, "
                f"{run.get('errors', 0)} errors"
            )
    return "\n".join(lines)

