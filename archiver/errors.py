"""Errors the library raises for the CLI to turn into one-line messages.

The index has its own (:mod:`index.errors`); the CLI treats both alike.
"""


class ArchiverError(Exception):
    """Base for every expected failure: bad input, missing data, a busy data dir."""


class DataDirError(ArchiverError):
    """The data directory is missing, unreadable, unwritable or locked by another run."""


class ExportError(ArchiverError):
    """An export that cannot be written as asked (unknown field or format, bad path)."""
