"""Errors the library raises for the CLI to turn into one-line messages."""


class ArchiverError(Exception):
    """Base for every expected failure: bad input, missing data, a busy data dir."""


class DataDirError(ArchiverError):
    """The data directory is missing, unreadable, unwritable or locked by another run."""


class QueryError(ArchiverError):
    """A search query, filter or date that cannot be understood."""


class IndexUnavailable(ArchiverError):
    """The search index is missing, empty or corrupt; `archiver reindex` rebuilds it."""


class ExportError(ArchiverError):
    """An export that cannot be written as asked (unknown field or format, bad path)."""
