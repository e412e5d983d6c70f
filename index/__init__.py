"""Full-text search of the article archive (Whoosh, kept behind this package).

Nothing outside ``index/`` imports Whoosh, so the distribution (whoosh-reloaded
today) can be replaced. Indexes are derived data: ``archiver reindex`` rebuilds
one from the JSON store (switching Whoosh distribution means rebuilding).
"""

from index.search import ArticleIndex, Hit, SearchResults, make_snippet
from index.writer import BatchWriter, rebuild

__all__ = ["ArticleIndex", "BatchWriter", "Hit", "SearchResults", "make_snippet", "rebuild"]
