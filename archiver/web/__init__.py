"""The archive in a browser: a read-only web view beside the command line (``archiver serve``).

Pages and the JSON API call the same library functions as the CLI (search, timelines,
exports, diffs, health) and format what they return as HTML or JSON.
"""

from archiver.web.app import create_app
from archiver.web.server import serve

__all__ = ["create_app", "serve"]
