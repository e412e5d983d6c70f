"""Searching the index: ArticleIndex, plain hit objects, snippets and "did you mean".

Snippets are made here rather than by ``whoosh.highlight``: the stored (compressed)
body is scanned once with the analyzer's word pattern, each word normalised as the
index normalises it (cached), and the window of text holding the most distinct query
terms is cut out with the character spans of the matches. It gives the same marks as
Whoosh's highlighter at a fraction of the cost of re-running the analyzer chain.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as wq

from index.analysis import WORD_RE, fold, normalise_word
from index.errors import QueryError
from index.query import build_filter, make_parser, parse_user_query, sort_args
from index.schema import snippet_source
from index.storage import CORRUPTION, open_whoosh_index, unavailable, whoosh_index_exists
from index.writer import BatchWriter

logger = logging.getLogger(__name__)

SNIPPET_CHARS = 220
#: Attempts when a concurrent commit deletes the files of the generation being opened.
RACE_RETRIES = 4
_MAX_HIGHLIGHT_TERMS = 200
T = TypeVar("T")


@dataclass
class Hit:
    id: str
    url: str
    title: str
    authors: list[str]
    published: str | None
    site: str
    score: float
    snippet: str  #: plain text
    snippet_marks: list[tuple[int, int]] = field(default_factory=list)  #: spans of matched words in snippet
    rank: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The hit as ``search --json`` prints it."""
        data = asdict(self)
        data.pop("snippet_marks")
        data["score"] = round(self.score, 4)
        return data


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    suggestion: str | None  #: a corrected query that finds something, when this one found nothing
    page: int
    limit: int

    @property
    def first(self) -> int:
        """The rank of the first hit on this page (1-based)."""
        return (self.page - 1) * self.limit + 1

    @property
    def last(self) -> int:
        """The rank of the last hit on this page (``first - 1`` when the page is empty)."""
        return self.first + len(self.hits) - 1


class ArticleIndex:
    """One Whoosh index directory; searches share a searcher refreshed on each call."""

    def __init__(self, ix, index_dir: Path):
        self._ix = ix
        self.index_dir = index_dir
        self._schema = ix.schema  # read once: each ix.schema access re-reads the TOC file, racing commits
        self._parser = make_parser(self._schema)
        self._searcher = None

    @classmethod
    def open(cls, index_dir: Path | str, *, create: bool = False) -> ArticleIndex:
        return cls(open_whoosh_index(index_dir, create=create), Path(index_dir))

    @staticmethod
    def exists(index_dir: Path | str) -> bool:
        """True when ``index_dir`` holds an index (readable or not)."""
        return whoosh_index_exists(index_dir)

    def read(self, work: Callable[[Any], T]) -> T:
        """``work(searcher)`` on the latest commit: the one place that handles races and damage.

        A writer's commit may delete the segment files of the generation being opened or
        read; then the newest generation is tried, a few times. Damaged files become a
        one-line IndexUnavailable that says to rebuild.
        """
        for attempt in range(RACE_RETRIES):
            try:
                return work(self._current_searcher())
            except FileNotFoundError:
                self._drop_searcher()
                if attempt + 1 >= RACE_RETRIES:
                    raise unavailable(self.index_dir, FileNotFoundError()) from None
                time.sleep(0.05 * (attempt + 1))
            except CORRUPTION as exc:
                raise unavailable(self.index_dir, exc) from None
        raise unavailable(self.index_dir)

    def _current_searcher(self) -> Any:
        """A searcher on the latest commit, reopened only when the index changed (shared: don't close it)."""
        # Not Searcher.refresh(): whoosh-reloaded 2.7.5 re-adds the old reader's segments
        # to the new generation's, so documents merged or rebuilt away would count twice.
        if self._searcher is not None and self._ix.latest_generation() != self._searcher.reader().generation():
            self._drop_searcher()
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def compile(self, query: str | None, **filters: Any) -> tuple[wq.Query, wq.Query | None]:
        """The Whoosh query and filter for a user query and ``build_filter`` filters."""
        return parse_user_query(self._parser, query), build_filter(self._schema, **filters)

    def writer(self, *, batch_size: int = 500, lock_timeout: float = 30.0,
               on_commit: Callable[[], None] | None = None) -> BatchWriter:
        return BatchWriter(self._ix, batch_size=batch_size, lock_timeout=lock_timeout, on_commit=on_commit)

    def doc_count(self) -> int:
        return self.read(lambda searcher: searcher.doc_count())

    def search(self, query: str, *, site: str | None = None, author: str | None = None,
               since: date | str | None = None, until: date | str | None = None, sort: str = "relevance",
               limit: int = 10, page: int = 1, changed: bool = False) -> SearchResults:
        if limit < 1 or page < 1:
            raise QueryError(f"limit and page must be at least 1 (got limit={limit}, page={page})")
        sorting = sort_args(sort)
        q, flt = self.compile(query, site=site, author=author, since=since, until=until, changed=changed)

        def run(searcher: Any) -> SearchResults:
            results = searcher.search(q, limit=page * limit, filter=flt, **sorting)
            total = len(results)
            terms = _highlight_terms(q, searcher.reader())
            start = (page - 1) * limit
            hits = [_make_hit(hit, terms, start + i + 1) for i, hit in enumerate(results[start:start + limit])]
            suggestion = self._suggest(searcher, q, query, flt) if total == 0 and query else None
            return SearchResults(total=total, hits=hits, suggestion=suggestion, page=page, limit=limit)

        return self.read(run)

    def ids(self, query: str | None = None, *, site=None, author=None, since=None, until=None,
            sort: str = "relevance") -> list[str]:
        """Every matching id (no limit), in the asked order; all documents for an empty query."""
        sorting = sort_args(sort)
        q, flt = self.compile(query, site=site, author=author, since=since, until=until)

        def run(searcher: Any) -> list[str]:
            if searcher.reader().doc_count() == 0:  # no segment has a column to read
                return []
            ids = searcher.reader().column_reader("id")
            if isinstance(q, wq.Every) and flt is None and not sorting:
                docnums = searcher.reader().all_doc_ids()
            else:
                docnums = (docnum for _, docnum in searcher.search(q, limit=None, filter=flt, **sorting).top_n)
            return [ids[docnum] for docnum in docnums]

        return self.read(run)

    def versions(self, ids: Iterable[str] | None = None) -> dict[str, list[bytes]]:
        """The record version of each live document by id (of every document, or of these ids).

        An id with two versions is indexed twice; an id left out has no document.
        """

        def run(searcher: Any) -> dict[str, list[bytes]]:
            reader = searcher.reader()
            found: dict[str, list[bytes]] = {}
            if reader.doc_count() == 0:
                return found
            id_column, versions = reader.column_reader("id"), reader.column_reader("version")
            if ids is None:
                docnums: Iterable[int] = reader.all_doc_ids()
            else:
                docnums = (n for article_id in dict.fromkeys(ids) for n in searcher.document_numbers(id=article_id))
            for docnum in docnums:
                found.setdefault(id_column[docnum], []).append(versions[docnum])
            return found

        return self.read(run)

    def _suggest(self, searcher, q: wq.Query, text: str, flt) -> str | None:
        """A corrected query string (words near a word the index knows) that finds something."""
        reader = searcher.reader()
        replacements: dict[tuple[int, int], str] = {}
        for token in q.all_tokens():
            if token.fieldname not in ("title", "body") or token.startchar is None:
                continue
            span = (token.startchar, token.endchar)
            if span in replacements or any((f, token.text) in reader for f in ("title", "body")):
                continue
            better = _closest_word(reader, text[span[0]:span[1]])
            if better:
                replacements[span] = better
        if not replacements:
            return None
        corrected = text
        for (start, end), word in sorted(replacements.items(), reverse=True):
            corrected = corrected[:start] + word + corrected[end:]
        try:
            found = searcher.search(parse_user_query(self._parser, corrected), limit=1, filter=flt)
        except QueryError:
            return None
        return corrected if found.scored_length() else None

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> ArticleIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _closest_word(reader, surface: str) -> str | None:
    """The most frequent title word (unstemmed) or body stem within 1-2 edits."""
    word = fold(surface)
    for maxdist in (1, 2):
        for fieldname, candidate in (("title", word), ("body", normalise_word(word) or word)):
            options = [w for w in reader.terms_within(fieldname, candidate, maxdist, prefix=1) if w != candidate]
            if options:
                spell = reader.schema[fieldname].spelling_fieldname(fieldname)
                return max(options, key=lambda w: (reader.doc_frequency(spell, w), w))
    return None


def _highlight_terms(q: wq.Query, reader) -> set[str]:
    """Normalised title/body words to mark in snippets (never those under NOT)."""
    found: set[str] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not) or len(found) > _MAX_HIGHLIGHT_TERMS:
            return
        if node.is_leaf() or isinstance(node, wq.Phrase):
            for fieldname, text in node.existing_terms(reader, phrases=True, expand=True):
                if fieldname in ("title", "body"):
                    found.add(text.decode("utf-8") if isinstance(text, bytes) else text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return found


def make_snippet(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` with the most distinct ``terms``, and their spans in it."""
    matches = []
    if terms:
        for m in WORD_RE.finditer(text):
            norm = normalise_word(m.group())
            if norm in terms:
                matches.append((m.start(), m.end(), norm))
    if not matches:
        cut = _cut(text, 0, width)
        return cut[0], []
    best, best_score, j = 0, (-1, -1), 0
    for i, (start, _, _) in enumerate(matches):  # windows starting at each match
        while j < len(matches) and matches[j][1] <= start + width:
            j += 1
        score = (len({t for _, _, t in matches[i:j]}), j - i)
        if score > best_score:
            best, best_score = i, score
    lead = min(60, width // 4)
    first = matches[best][0]
    begin = max(0, first - lead)
    if begin > 0:
        space = text.find(" ", begin, first)
        begin = space + 1 if space >= 0 else first
    snippet, offset = _cut(text, begin, width)
    end = begin + len(snippet) - (1 if snippet.endswith("…") else 0)
    marks = [(s - begin + offset, e - begin + offset) for s, e, _ in matches if s >= begin and e <= end]
    return snippet, marks


def _cut(text: str, begin: int, width: int) -> tuple[str, int]:
    """text[begin:begin+width] on word boundaries, whitespace flattened, with "…" marks.

    Returns the snippet and how far its characters are shifted (1 after a leading "…").
    """
    end = begin + width
    if end < len(text):
        space = text.rfind(" ", begin + width // 2, end)
        end = space if space > 0 else end
    piece = text[begin:end].translate(_FLAT)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + piece + suffix, len(prefix)


_FLAT = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def _make_hit(hit, terms: set[str], rank: int) -> Hit:
    stored = hit.fields()
    snippet, marks = make_snippet(snippet_source(stored), terms)
    return Hit(
        id=stored["id"],
        url=stored.get("url", ""),
        title=stored.get("title", ""),
        authors=list(stored.get("authors") or []),
        published=stored.get("published_raw"),
        site=stored.get("site", ""),
        score=float(hit.score) if isinstance(hit.score, (int, float)) else 0.0,
        snippet=snippet,
        snippet_marks=marks,
        rank=rank,
    )
