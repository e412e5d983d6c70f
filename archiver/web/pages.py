"""The HTML pages: search, timeline, article, revisions, raw capture, sites, and the export downloads.

Each view reads its parameters, calls one library function and hands the result to a
template (autoescaped: every archived string shows as text). Errors are the library's
one-line messages, shown by :mod:`archiver.web.app`'s handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from index import ArticleIndex
from index.facets import SPLITS
from index.query import SORTS

from archiver.datadir import DataDir
from archiver.errors import ArchiverError
from archiver.indexing import open_index, search_archive
from archiver.reports.diffs import Hunk, Segment, Version, article_diffs, hunks, inline_diff, versions
from archiver.reports.export import FORMATS, FILE_ONLY
from archiver.reports.sites import sites_overview
from archiver.reports.timeline import PERIODS, Timeline, build_timeline
from archiver.storage.records import RECORD_ID, ArticleStore
from archiver.web.chart import bar_chart
from archiver.web.downloads import MEDIA_TYPES, export_file_name, export_manifest, stream_export
from archiver.web.params import PAGE_SIZE, SearchParams

pages = Blueprint("pages", __name__)
#: Export formats a browser can download (a WARC export writes an index beside it: CLI only).
DOWNLOADS = tuple(f for f in FORMATS if f in MEDIA_TYPES)


def data_dir() -> DataDir:
    return current_app.config["ARCHIVER_DATA_DIR"]


def kept_index() -> ArticleIndex:
    """This thread's open index of the archive, opened on first use and kept: it follows new
    commits by itself, and reading a large index's arrays anew would cost more than the search."""
    held = current_app.extensions["archiver_indexes"]  # a threading.local: Whoosh searchers are not shared
    if getattr(held, "index", None) is None:
        held.index = open_index(data_dir())
    return held.index


def timeline_of(params: SearchParams) -> Timeline:
    """The timeline of the search in ``params`` (the page, its CSV and the API draw the same one)."""
    return build_timeline(data_dir(), params.q, period=params.by, split=params.split or None, index=kept_index(),
                          **params.filters())


def downloadable(fmt: str) -> None:
    """404 unless a browser can download the export format ``fmt``."""
    if fmt not in DOWNLOADS:
        abort(404, description=f"no export format {fmt!r}; use one of: {', '.join(DOWNLOADS)}")


def find_article(article_id: str) -> dict[str, Any]:
    """The record with this id; 404 for anything else (URLs and paths never reach the store)."""
    record = ArticleStore(data_dir()).find(article_id) if RECORD_ID.match(article_id) else None
    if record is None:
        abort(404, description=f"no archived article with id {article_id!r}")
    return record


@pages.app_context_processor
def choices() -> dict[str, Any]:
    return {"SORTS": SORTS, "PERIODS": PERIODS, "SPLITS": tuple(SPLITS), "DOWNLOADS": DOWNLOADS}


@pages.route("/")
def search() -> str:
    params = SearchParams.from_args(request.args)
    results = None
    if not params.is_empty:
        results = search_archive(data_dir(), params.q, sort=params.sort, limit=PAGE_SIZE, page=params.page,
                                 index=kept_index(), **params.filters())
    return render_template("search.html", params=params, results=results)


@pages.route("/timeline")
def timeline() -> str:
    params = SearchParams.from_args(request.args)
    result = timeline_of(params)
    return render_template("timeline.html", params=params, timeline=result, chart=bar_chart(result))


@pages.route("/timeline.csv")
def timeline_csv() -> Response:
    params = SearchParams.from_args(request.args)
    result = timeline_of(params)
    return Response(result.to_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="timeline-{params.by}.csv"'})


@pages.route("/export.<fmt>")
def export(fmt: str) -> Response:
    downloadable(fmt)
    params = SearchParams.from_args(request.args)
    body = stream_export(data_dir(), params.selection(), fmt)
    return Response(body, mimetype=MEDIA_TYPES[fmt], direct_passthrough=fmt in FILE_ONLY,
                    headers={"Content-Disposition": f'attachment; filename="{export_file_name(fmt)}"'})


@pages.route("/export.<fmt>.manifest.json")
def manifest(fmt: str) -> Response:
    """The provenance manifest of that export (selection, count, time, tool version, SHA-256)."""
    downloadable(fmt)
    params = SearchParams.from_args(request.args)
    return Response(export_manifest(data_dir(), params.selection(), fmt), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{export_file_name(fmt)}.manifest.json"'})


@pages.route("/articles/<article_id>")
def article(article_id: str) -> str:
    record = find_article(article_id)
    return render_template("article.html", record=record, versions=versions(record))


@dataclass
class ShownDiff:
    """One revision as the page shows it: the two versions, the title's changes, the text's hunks."""

    number: int  #: the older version's number (1-based)
    old: Version
    new: Version
    title: list[Segment] | None  #: None when the title did not change
    hunks: list[Hunk]
    changed: bool  #: False when only spacing or punctuation spacing changed


@pages.route("/articles/<article_id>/changes")
def changes(article_id: str) -> str:
    record = find_article(article_id)
    shown = [ShownDiff(n, d.old, d.new, inline_diff(d.old.title, d.new.title) if d.old.title != d.new.title else None,
                       hunks(d.old.text, d.new.text), bool(d.changes))
             for n, d in enumerate(article_diffs(record), start=1)]
    return render_template("changes.html", record=record, diffs=shown)


@pages.route("/articles/<article_id>/capture/<int:version>")
def capture(article_id: str, version: int) -> Response:
    """The HTML a version was read from, as plain text: archived pages never run in this origin."""
    from archiver.reextract import captured_page

    record = find_article(article_id)
    revisions = record.get("revisions") or []
    if not 1 <= version <= len(revisions) + 1:
        abort(404, description=f"article {article_id} has no version {version}")
    source = record if version == len(revisions) + 1 else {**revisions[version - 1], "url": record["url"],
                                                           "id": record["id"]}
    try:
        page = captured_page(data_dir(), source, str(source.get("fetched_at") or ""))
    except ArchiverError as exc:
        abort(404, description=f"no raw capture of version {version}: {exc}")
    return Response(page.body, mimetype="text/plain", headers={
        "Content-Type": f"text/plain; charset={page.encoding or 'utf-8'}",
        "Content-Security-Policy": "sandbox; default-src 'none'",
    })


@pages.route("/sites")
def sites() -> str:
    return render_template("sites.html", overview=sites_overview(data_dir(), kept_index()))


@pages.app_template_global()
def query_url(endpoint: str, params: SearchParams, **changes: Any) -> str:
    """The URL of ``endpoint`` for ``params`` with ``changes``: how pages link to each other."""
    return url_for(endpoint, **params.args(**changes))


@pages.app_template_global()
def export_url(params: SearchParams, fmt: str, endpoint: str = "pages.export") -> str:
    """The download of every match of ``params`` in ``fmt`` (or its manifest)."""
    return url_for(endpoint, fmt=fmt, **params.args(page=1, by="month", split=""))
