"""Full-text search of the article archive (Whoosh, kept behind this package).

Nothing outside ``index/`` imports Whoosh, so the distribution (whoosh-reloaded
today) can be replaced. Indexes are derived data: ``archiver reindex`` rebuilds
one from the JSON store (switching Whoosh distribution means rebuilding).
"""

from index.errors import IndexUnavailable, QueryError, SearchError
from index.search import ArticleIndex, Hit, SearchResults, make_snippet
from index.schema import record_version
from index.writer import BackgroundWriter, BatchWriter, IndexWriterFailed, rebuild

__all__ = ["ArticleIndex", "BackgroundWriter", "BatchWriter", "Hit", "IndexUnavailable", "IndexWriterFailed",
           "QueryError", "SearchError", "SearchResults", "make_snippet", "rebuild",
           "record_version"]
