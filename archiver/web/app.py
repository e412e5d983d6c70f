"""The Flask application of the web view: blueprints, one-line errors, and headers that keep pages inert.

Flask renders pages on the server with Jinja2, whose autoescaping turns every archived
string (titles and bodies come from the open web) into text; the Content-Security-Policy
below allows no script at all, a second wall should a string ever slip through.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, Response, jsonify, render_template, request
from index import IndexUnavailable, SearchError
from werkzeug.exceptions import HTTPException

from archiver.datadir import DataDir
from archiver.errors import ArchiverError

logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(data_dir: DataDir | Path) -> Flask:
    """The web view of the archive in ``data_dir``, which it only ever reads."""
    from archiver.web.api import api
    from archiver.web.pages import pages

    app = Flask(__name__)
    app.config["ARCHIVER_DATA_DIR"] = DataDir.of(data_dir)
    app.extensions["archiver_indexes"] = threading.local()  # each serving thread's open index (pages.kept_index)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # fields in the record's order, as the CLI prints
    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api")

    @app.errorhandler(ArchiverError)
    @app.errorhandler(SearchError)
    def bad_input(exc: Exception) -> tuple[str | Response, int]:
        status = 503 if isinstance(exc, IndexUnavailable) else 400
        return _error(str(exc), status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str | Response, int]:
        return _error(exc.description or exc.name, exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str | Response, int]:
        logger.exception("Error on %s", request.path)
        return _error(f"internal error ({type(exc).__name__}); the server log has the details", 500)

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def _error(message: str, status: int) -> tuple[str | Response, int]:
    """The one-line message: as JSON under /api/, else on the page."""
    if request.path.startswith("/api/"):
        return jsonify(error=message), status
    return render_template("error.html", message=message, status=status), status
