"""Errors the index raises; the CLI prints them as one-line messages."""


class SearchError(Exception):
    """Base for every expected failure of the index: a bad query, an unreadable index."""


class QueryError(SearchError):
    """A search query, filter or date that cannot be understood."""


class IndexUnavailable(SearchError):
    """The search index is missing, empty, locked or corrupt; `archiver reindex` rebuilds it."""
