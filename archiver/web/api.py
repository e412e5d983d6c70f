"""The JSON API under ``/api/``: what the CLI's ``--json`` options print, over HTTP.

Errors are ``{"error": "<the CLI's one-line message>"}`` with status 400 (bad input) or
404 (no such article); see :mod:`archiver.web.app`.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from archiver.indexing import search_archive
from archiver.reports.archive_stats import archive_stats
from archiver.reports.diffs import article_diffs
from archiver.reports.health import archive_health
from archiver.reports.sites import sites_overview
from archiver.web.pages import data_dir, find_article, kept_index, timeline_of
from archiver.web.params import SearchParams

api = Blueprint("api", __name__)
#: Hits per page unless ``limit`` says otherwise, and the most it may say.
DEFAULT_LIMIT = 10
MAX_LIMIT = 100


@api.route("/search")
def search() -> Response:
    """``archiver search --json``: the hits, plus the total, the page and "did you mean"."""
    params = SearchParams.from_args(request.args)
    limit = min(max(request.args.get("limit", DEFAULT_LIMIT, type=int), 1), MAX_LIMIT)
    results = search_archive(data_dir(), params.q, sort=params.sort, limit=limit, page=params.page,
                             index=kept_index(), **params.filters())
    return jsonify(total=results.total, page=results.page, limit=results.limit, suggestion=results.suggestion,
                   hits=[hit.to_dict() for hit in results.hits])


@api.route("/timeline")
def timeline() -> Response:
    """``archiver timeline --json``."""
    params = SearchParams.from_args(request.args)
    return jsonify(timeline_of(params).to_dict())


@api.route("/articles/<article_id>")
def article(article_id: str) -> Response:
    """``archiver show ID --json``: the stored record."""
    return jsonify(find_article(article_id))


@api.route("/articles/<article_id>/diff")
def diff(article_id: str) -> Response:
    """``archiver diff ID --json``."""
    return jsonify([d.to_dict() for d in article_diffs(find_article(article_id))])


@api.route("/sites")
def sites() -> Response:
    """Per-site counts, latest crawls and warnings (the sites page)."""
    return jsonify(sites_overview(data_dir(), kept_index()).to_dict())


@api.route("/health")
def health() -> Response:
    """``archiver health --json`` (runs logged with per-site figures)."""
    return jsonify(archive_health(data_dir(), scan_store=False).to_dict())


@api.route("/stats")
def stats() -> Response:
    """``archiver stats --json`` (reads every record: the one API call whose cost grows with the store)."""
    return jsonify(archive_stats(data_dir()).to_dict())
