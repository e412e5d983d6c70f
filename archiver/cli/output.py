"""Output for people and pipes: every command's text, formatted from what the library returns.

Terminal text is safe against control characters in page text (a page must not drive
the terminal), and ``--json`` output escapes them too.
"""

from __future__ import annotations

import json
import re
import signal
from typing import TYPE_CHECKING, Any

from archiver.datadir import DataDir
from archiver.distributed import NEW_SEEDS
from archiver.redisclient import redact
from archiver.runs import GONE_REASONS
from archiver.reports.diffs import Hunk, Segment, VersionDiff, hunks, inline_diff

if TYPE_CHECKING:  # the types only: formatting must not import Scrapy
    from archiver.consistency import ConsistencyReport
    from archiver.crawl import CrawlSummary
    from archiver.cron import ScheduledRun
    from archiver.demo.run import DemoRun
    from archiver.distributed.worker import SeedSummary, WorkerSummary
    from archiver.reextract import ReextractResult
    from archiver.reports.health import Health
    from archiver.reports.timeline import Timeline

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

    def source(field: str) -> str:
        return f" (from {c(record[field])})" if record.get(field) else ""

    lines = [
        c(record.get("title")),
        format_byline(record.get("authors") or [], record.get("credit")) + source("authors_source"),
        f"Published: {c(record.get('published')) or 'unknown'}" + (source("published_source") if record.get("published") else "")
        + (f"   Modified: {c(record['modified'])}" if record.get("modified") else ""),
        f"Site: {c(record.get('site'))}   Id: {c(str(record.get('id')))}   Words: {c(str(record.get('word_count')))}",
        f"URL: {c(record.get('url'))}",
    ]
    others = [u for u in record.get("urls") or [] if u != record.get("url")]
    if others:
        lines.append("Also at: " + ", ".join(c(u) for u in others))
    if record.get("categories") or record.get("tags"):
        lines.append(f"Categories: {c(', '.join(record.get('categories') or []))}   Tags: {c(', '.join(record.get('tags') or []))}")
    if record.get("paywalled"):
        lines.append("Paywalled: subscriber-only; the text is the teaser the page shows.")
    for revision in record.get("revisions") or []:
        lines.append(f"Revision: fetched {c(str(revision.get('fetched_at')))} (content {c(str(revision.get('content_hash')))[:12]})")
    lines += ["", c(record.get("text"))]
    return "\n".join(lines)


def format_byline(authors: list[str], credit: str | None) -> str:
    """"By Jane Doe, John Roe (Reuters)", "By Reuters", or "(no byline)"."""
    c = clean_for_terminal
    if not authors and not credit:
        return "(no byline)"
    people = ", ".join(c(a) for a in authors)
    if people and credit:
        return f"By {people} ({c(credit)})"
    return f"By {people or c(credit)}"


def highlight(hit: Any, colour: bool) -> str:
    """The snippet with its matched terms in bold yellow (terminal) or left plain (pipe)."""
    if not colour:
        return clean_for_terminal(hit.snippet)
    return "".join("\033[1;33m" + clean_for_terminal(text) + "\033[0m" if marked else clean_for_terminal(text)
                   for text, marked in hit.snippet_parts())


def format_hit(hit: Any, *, colour: bool) -> str:
    """One search hit: rank, date, site, title, authors, URL, snippet."""
    c = clean_for_terminal
    title = f"\033[1m{c(hit.title)}\033[0m" if colour else c(hit.title)
    byline = ", ".join(c(a) for a in hit.authors) or "no byline"
    return "\n".join([
        f"{hit.rank:>3}. {c(hit.published or 'undated')[:10]}  {c(hit.site)}  {title}",
        f"     {byline}  {c(hit.url)}",
        f"     {highlight(hit, colour)}",
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



def format_skipped(skipped: list[Any], manifest: Any) -> str:
    """The one-line error of an export that had to leave unreadable records out."""
    where = f"listed in {manifest}" if manifest else clean_for_terminal(f"first: {skipped[0].path}: {skipped[0].error}")
    return f"the export is incomplete: {len(skipped)} unreadable record{'s' * (len(skipped) > 1)} skipped ({where})"


# -- crawls ------------------------------------------------------------------------------


def format_crawl(summary: CrawlSummary, data_dir: DataDir) -> str:
    """The end-of-crawl summary a user reads."""
    lines = [
        f"Crawled {summary.pages} pages in {summary.seconds:.1f} s: {summary.articles} new articles, "
        f"{summary.updated} updated, {summary.merged} duplicate addresses merged, "
        f"{summary.counts['not_modified']} not modified, {sum(summary.not_archived.values())} pages not archived, "
        f"{summary.errors} errors.",
        f"Archive: {data_dir.root}   Log: {summary.log_file}",
    ]
    if summary.not_archived:
        lines.append(format_not_archived(summary.not_archived))
    failed = {reason: n for reason, n in sorted(summary.failures.items()) if reason not in GONE_REASONS}
    if failed:
        lines.append("Failed: " + ", ".join(f"{n} {failure_label(reason)}" for reason, n in failed.items()))
    if summary.counts.get("gone"):
        lines.append(f"Not found (HTTP 404 or 410): {summary.counts['gone']} links")
    lines += [f"Start page {url} failed: {clean_for_terminal(cause)}" for url, cause in summary.start_failures.items()]
    lines += [f"Warning: {warning}" for warning in summary.warnings]
    if summary.index_drift:
        lines.append(f"Index: {summary.index_drift} of the {summary.index_checked} articles this crawl stored or re-keyed are out "
                     "of step with the search index; run `archiver check --repair`.")
    if summary.stopped_by is not None:
        lines.append(f"Stopped by {signal.Signals(summary.stopped_by).name}: the pending queue is kept; "
                     "run the same command again to continue.")
    elif not summary.complete:
        lines.append(f"The crawl stopped early ({summary.finish_reason}); run it again to continue.")
    return "\n".join(lines)


#: How the failure reasons of a crawl (``archiver/failed/<reason>``) read in its summary.
FAILURE_LABELS = {
    "download_connection_refused_error": "connection refused",
    "cannot_resolve_host_error": "host not found",
    "download_timeout_error": "timed out",
    "response_data_loss_error": "cut off mid-response",
    "download_failed_error": "download failed",
    "redirect_not_followed": "redirected elsewhere",
}


def failure_label(reason: str) -> str:
    """``http_503`` -> ``HTTP 503``, ``download_timeout_error`` -> ``timed out``."""
    if reason.startswith("http_"):
        return reason.replace("http_", "HTTP ")
    return FAILURE_LABELS.get(reason, reason.replace("_", " "))


def format_not_archived(counts: dict[str, int]) -> str:
    """"Not archived: 14 listing, 5 gallery, 2 liveblog, 1 too short"."""
    return "Not archived: " + ", ".join(f"{n} {reason.replace('-', ' ')}" for reason, n in counts.items())


#: How each kind of drift reads, and what an id of that kind means.
DRIFT_LABELS = {
    "missing": "records missing from the index",
    "orphaned": "index documents with no record",
    "stale": "records indexed at another version",
    "duplicated": "records indexed more than once",
    "dangling": "key-store entries whose record file is gone",
}
#: Ids listed per kind before "... and N more".
DRIFT_IDS_SHOWN = 10


def format_check(report: ConsistencyReport, data_dir: DataDir) -> str:
    """``archiver check``: the counts compared, each kind of drift with some of its ids, what to do."""
    lines = [f"Checked {report.records} records against {report.documents} index documents in {data_dir.root}."]
    if report.repaired:
        lines.append(f"Repaired {report.repaired} problems.")
    for kind, label in DRIFT_LABELS.items():
        ids = getattr(report, kind)
        if ids:
            more = f" ... and {len(ids) - DRIFT_IDS_SHOWN} more" if len(ids) > DRIFT_IDS_SHOWN else ""
            lines.append(f"  {len(ids)} {label}: {', '.join(ids[:DRIFT_IDS_SHOWN])}{more}")
    for problem in report.unreadable:
        lines.append(f"  unreadable record (not compared): {problem.path}: {problem.error}")
    if report.drift:
        lines.append(f"{report.drift} out of step; `archiver check --repair` fixes the index and key store.")
    else:
        lines.append("The store, the key store and the index agree.")
    return "\n".join(lines)


def format_reextract(result: ReextractResult, data_dir: DataDir) -> str:
    """What ``archiver reindex --reextract`` did, record by record where one was kept as it was."""
    lines = [f"Kept as they were: {clean_for_terminal(kept.id)} ({clean_for_terminal(kept.reason)})" for kept in result.kept]
    lines.append(f"Re-extracted from raw captures: {result.rebuilt} records changed, {result.unchanged} unchanged, "
                 f"{len(result.kept)} kept as they were; indexed {result.indexed} articles into {data_dir.index}")
    return "\n".join(lines)


def format_demo(run: DemoRun, data_dir: DataDir) -> str:
    """The demo's crawl summary, its check against the ground truth, and a search of the archive."""
    check = run.check
    lines = [format_crawl(run.summary, data_dir),
             f"Ground truth ({run.flavour} demo site): {run.articles} unique articles; requests to other hosts: "
             f"{run.offsite_requests}",
             f"Checked: {check.found}/{check.articles} articles archived, {check.duplicates} duplicate records, "
             f"{check.not_articles} records of pages that are not articles, authors exact {check.authors_exact}/"
             f"{check.found}, credit exact {check.credit_exact}/{check.found}",
             "True kinds of the pages not archived: " + ", ".join(f"{n} {kind}" for kind, n in check.kinds.items()),
             "", f"archiver search '{run.query}' --data-dir {data_dir.root}"]
    lines += [f"  {hit.rank}. {hit.title}  ({hit.published or 'undated'})  {hit.url}" for hit in run.results.hits]
    return "\n".join(lines)


def format_demo_serving(url: str, articles: int) -> str:
    """What ``archiver demo --serve`` tells a user: where the site is and how to change it."""
    return "\n".join([
        f"Demo site with {articles} articles at {url} (Ctrl-C to stop)",
        f"  archiver crawl {url} --data-dir demo-archive",
        f"  curl -X POST '{url}wp-admin/demo/update?count=2'    # correct the 2 newest articles",
        f"  curl -X POST '{url}wp-admin/demo/publish?count=3'   # publish 3 new ones",
    ])


def format_seeding(summary: SeedSummary, data_dir: DataDir) -> str:
    """What a user reads after seeding a distributed crawl."""
    url = redact(summary.redis_url)
    lines = [f"Seeded {summary.queued} start requests for {', '.join(summary.sites)} into {url}."]
    if summary.requeued:
        lines.append(f"Put {summary.requeued} requests of stopped workers back in the queue.")
    lines.append(f"Shared queue: {summary.status.queued} requests waiting, {summary.status.in_flight} in flight, "
                 f"{summary.status.workers} workers running.   Log: {summary.log_file}")
    if not summary.status.workers:
        lines.append(f"Start workers with: archiver worker --redis {url} --data-dir {data_dir.root}")
    return "\n".join(lines)


def format_worker(summary: WorkerSummary) -> str:
    """The end-of-run summary of a distributed worker."""
    c = summary.counts
    lines = [
        f"Worker {summary.worker} crawled {c['pages']} pages in {summary.seconds:.1f} s: {c['articles']} new "
        f"articles, {c['updated']} updated, {c['merged']} duplicate addresses merged, {c['rejected']} pages not "
        f"archived, {c['errors']} errors.   Log: {summary.log_file}",
    ]
    if summary.finish_reason == "finished":
        lines.append("The shared frontier is empty.")
    elif summary.finish_reason == NEW_SEEDS:
        lines.append("Sites were seeded after this worker started: start it again to crawl them too.")
    else:
        lines.append(f"The worker stopped early ({summary.finish_reason}); what it did not finish stays in the queue.")
    return "\n".join(lines)


def format_scheduled_run(run: ScheduledRun) -> str:
    """One line per scheduled crawl."""
    status = "ok" if run.returncode == 0 else f"exit {run.returncode}: {run.error}"
    return f"{run.started} crawl {status} ({run.seconds:.0f} s) {run.summary}"


# -- serve -------------------------------------------------------------------------------


def format_serving(serving: Any) -> str:
    """Where the web view listens, and who can reach it."""
    reach = ("only this machine can connect (--host 0.0.0.0 to share it)" if serving.local_only
             else f"listening on {serving.host}: anyone who can reach this machine can read the archive")
    return f"Serving {serving.data_dir} read-only at {serving.url} — {reach}. Ctrl-C stops."


# -- search ------------------------------------------------------------------------------


def format_search_total(results: Any, query: str) -> str:
    """``1-10 of 42 hits for 'query'``."""
    shown = f"{results.first}-{results.last} of " if results.hits else ""
    return f"{shown}{results.total} hits for {query!r}"



# -- reports -----------------------------------------------------------------------------

BAR = "█"


def format_timeline(timeline: Timeline, *, width: int = 40) -> str:
    """A terminal table: one row per period; a bar, or one column per group when split."""
    if not timeline.starts:  # nothing dated matches (or the index is empty): just the count
        return timeline_summary(timeline)
    labels = timeline.labels()
    label_width = max(len("period"), *(len(x) for x in labels))
    lines = []
    if timeline.split:
        groups = timeline.shown_groups()
        names = [clean_for_terminal(n)[:18] for n in groups]
        widths = [max(len(n), 5) for n in names]
        lines.append("  ".join(["period".ljust(label_width), "total".rjust(5)]
                               + [n.rjust(w) for n, w in zip(names, widths)]))
        for i, label in enumerate(labels):
            cells = [str(counts[i]).rjust(w) for counts, w in zip(groups.values(), widths)]
            lines.append("  ".join([label.ljust(label_width), str(timeline.totals[i]).rjust(5)] + cells))
    else:
        peak = max(timeline.totals) or 1
        for label, count in zip(labels, timeline.totals):
            bar = BAR * round(count / peak * width)
            lines.append(f"{label.ljust(label_width)}  {count:>5}  {bar}")
    lines.append(timeline_summary(timeline))
    return "\n".join(lines)


def timeline_summary(timeline: Timeline) -> str:
    what = f"matching {timeline.query!r}" if timeline.query else "in the archive"
    date_name = "fetch" if timeline.date_field == "fetched_at" else "publication"
    text = f"{timeline.total} articles {what}, per {timeline.period} of {date_name}"
    if timeline.split in ("author", "tag"):
        text += f"; an article with several {timeline.split}s counts once for each"
    return text + (f"; {timeline.undated} without a {date_name} date not shown" if timeline.undated else "")


def format_health(health: Health, *, runs_shown: int = 6) -> str:
    """A table per site of its latest runs, then the active warnings."""
    if not health.sites:
        return "No crawl runs logged yet (state/runs.jsonl)."

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}%"

    lines = []
    for site, history in health.sites.items():
        lines.append(f"{site}")
        lines.append(f"  {'run started (UTC)':<19} {'stored':>6} {'short':>6} {'no author':>9} {'no date':>7} "
                     f"{'rejected':>8}")
        for run in history[-runs_shown:]:
            flag = "  <- warning" if run.warnings else ""
            lines.append(f"  {run.start.replace('T', ' ')[:19]:<19} {run.stored:>6} {pct(run.short_share):>6} "
                         f"{pct(run.author_share):>9} {pct(run.date_share):>7} {pct(run.rejected_share):>8}{flag}")
        latest = history[-1]
        for label, sources in (("dates", latest.date_sources), ("bylines", latest.author_sources)):
            if sources:
                found = ", ".join(f"{clean_for_terminal(name)} {count}"
                                  for name, count in sorted(sources.items(), key=lambda item: -item[1]))
                lines.append(f"  {label} of the latest run found in: {found}")
    warnings = health.warnings
    lines.append("")
    if warnings:
        lines.append("Warnings:")
        lines += [f"  {w}" for w in warnings]
    else:
        compared = len(health.sites) - len(health.without_history)
        lines.append("No warnings" + (": every site's latest run looks like its previous ones." if compared else "."))
    if health.without_history:
        lines.append(f"Crawled once so far, no history to compare with yet: {', '.join(health.without_history)}.")
    return "\n".join(lines)


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
            lines.append("Title: " + render_segments(inline_diff(diff.old.title, diff.new.title), colour=colour))
        lines += [render_hunk(hunk, colour=colour) for hunk in hunks(diff.old.text, diff.new.text)]
    return "\n".join(lines)


GREEN, RED, BOLD, RESET = "\033[32m", "\033[31m", "\033[1m", "\033[0m"
#: How removed and added words show: a colour on a terminal, markers in a pipe (as ``git diff --word-diff``).
MARKS = {"delete": (RED, "[-", "-]"), "insert": (GREEN, "{+", "+}")}


def render_segments(segments: list[Segment], *, colour: bool) -> str:
    """The segments as text, changed words coloured or wrapped in markers (whitespace in front stays outside)."""
    parts = []
    for segment in segments:
        text = clean_for_terminal(segment.text)
        if segment.op == "equal":
            parts.append(text)
            continue
        words = text.lstrip()
        paint, before, after = MARKS[segment.op]
        parts.append(text[: len(text) - len(words)] + (f"{paint}{words}{RESET}" if colour else f"{before}{words}{after}"))
    return "".join(parts)


def render_hunk(hunk: Hunk, *, colour: bool) -> str:
    """One hunk: its ``@@ words a-b -> c-d @@`` header, then the changed words in context."""
    head = f"@@ words {hunk.old_start}-{hunk.old_end} -> {hunk.new_start}-{hunk.new_end} @@"
    body = render_segments(hunk.segments, colour=colour).strip().replace("\n\n", "\n")
    body = ("… " if hunk.cut_before else "") + body + (" …" if hunk.cut_after else "")
    return (f"{BOLD}{head}{RESET}" if colour else head) + "\n" + body
