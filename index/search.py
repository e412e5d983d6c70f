"""Searching the index: ArticleIndex, plain hit objects, snippets and "did you mean".

Snippets are made here rather than by ``whoosh.highlight``: the stored (compressed)
body is scanned once with the analyzer's word pattern, each word normalised as the
index normalises it (cached), and the window of text holding the most distinct query
terms is cut out with the character spans of the matches. It gives the same marks as
Whoosh's highlighter at a fraction of the cost of re-running the analyzer chain.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as wq
from whoosh.support.charset import accent_map

from index.analysis import GRAM_JOINER, WORD_RE, analyse_word, fold, normalise_word
from index.arrays import SearchArrays
from index.errors import QueryError
from index.execute import match, sort_order, top
from index.query import ExactPhrase, build_filter, check_sort, make_parser, parse_user_query
from index.schema import COMMON_FIELDS, snippet_source
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

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet cut at its marks: (text, is a matched word), for a front end to highlight."""
        parts, last = [], 0
        for start, end in sorted(self.snippet_marks):
            if start > last:
                parts.append((self.snippet[last:start], False))
            parts.append((self.snippet[start:end], True))
            last = end
        if last < len(self.snippet) or not parts:
            parts.append((self.snippet[last:], False))
        return parts

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
        self._arrays: SearchArrays | None = None  #: the latest commit's searcher, as arrays

    @classmethod
    def open(cls, index_dir: Path | str, *, create: bool = False) -> ArticleIndex:
        return cls(open_whoosh_index(index_dir, create=create), Path(index_dir))

    @staticmethod
    def exists(index_dir: Path | str) -> bool:
        """True when ``index_dir`` holds an index (readable or not)."""
        return whoosh_index_exists(index_dir)

    def read(self, work: Callable[[SearchArrays], T]) -> T:
        """``work(arrays)`` on the latest commit: the one place that handles races and damage.

        A writer's commit may delete the segment files of the generation being opened or
        read; then the newest generation is tried, a few times. Damaged files become a
        one-line IndexUnavailable that says to rebuild.
        """
        for attempt in range(RACE_RETRIES):
            try:
                return work(self._current())
            except FileNotFoundError:
                self._drop_searcher()
                if attempt + 1 >= RACE_RETRIES:
                    raise unavailable(self.index_dir, FileNotFoundError()) from None
                time.sleep(0.05 * (attempt + 1))
            except CORRUPTION as exc:
                raise unavailable(self.index_dir, exc) from None
        raise unavailable(self.index_dir)

    def _current(self) -> SearchArrays:
        """The latest commit's searcher (and the arrays read from it), reopened only when the index
        changed: pages of one search, and searches in one process, reuse what was read."""
        # Not Searcher.refresh(): whoosh-reloaded 2.7.5 re-adds the old reader's segments
        # to the new generation's, so documents merged or rebuilt away would count twice.
        if self._arrays is not None and self._ix.latest_generation() != self._arrays.searcher.reader().generation():
            self._drop_searcher()
        if self._arrays is None:
            self._arrays = SearchArrays(self._ix.searcher())
        return self._arrays

    def _drop_searcher(self) -> None:
        if self._arrays is not None:
            self._arrays.searcher.close()
            self._arrays = None

    def compile(self, query: str | None, **filters: Any) -> tuple[wq.Query, wq.Query | None]:
        """The Whoosh query and filter for a user query and ``build_filter`` filters."""
        return parse_user_query(self._parser, query), build_filter(self._schema, **filters)

    def writer(self, *, batch_size: int = 500, lock_timeout: float = 30.0,
               on_commit: Callable[[], None] | None = None) -> BatchWriter:
        return BatchWriter(self._ix, batch_size=batch_size, lock_timeout=lock_timeout, on_commit=on_commit)

    def doc_count(self) -> int:
        return self.read(lambda arrays: arrays.searcher.doc_count())

    def search(self, query: str, *, site: str | None = None, author: str | None = None, credit: str | None = None,
               since: date | str | None = None, until: date | str | None = None, sort: str = "relevance",
               limit: int = 10, page: int = 1, changed: bool = False) -> SearchResults:
        """One page of hits with snippets, and the exact number of matches (filters included)."""
        if limit < 1 or page < 1:
            raise QueryError(f"limit and page must be at least 1 (got limit={limit}, page={page})")
        check_sort(sort)
        q, flt = self.compile(query, site=site, author=author, credit=credit, since=since, until=until,
                              changed=changed)

        def run(arrays: SearchArrays) -> SearchResults:
            found = match(arrays, q, flt, scored=sort == "relevance")
            start = (page - 1) * limit
            ranked = top(found, page * limit, sort_order(arrays, found.docs, sort))[start:]
            terms = _highlight_terms(q, arrays.searcher.reader())
            hits = [_make_hit(arrays.searcher, int(found.docs[i]), float(found.scores[i]) if found.scores is not None
                              else 0.0, terms, start + n + 1) for n, i in enumerate(ranked)]
            suggestion = self._suggest(arrays, q, query, flt) if not len(found) and query else None
            return SearchResults(total=len(found), hits=hits, suggestion=suggestion, page=page, limit=limit)

        return self.read(run)

    def ids(self, query: str | None = None, *, site=None, author=None, credit=None, since=None, until=None,
            sort: str = "relevance") -> list[str]:
        """Every matching id (no limit), in the asked order; all documents for an empty query."""
        check_sort(sort)
        q, flt = self.compile(query, site=site, author=author, credit=credit, since=since, until=until)

        def run(arrays: SearchArrays) -> list[str]:
            found = match(arrays, q, flt, scored=sort == "relevance")
            if not len(found):
                return []
            ids = arrays.searcher.reader().column_reader("id")
            return [ids[int(found.docs[i])] for i in top(found, len(found), sort_order(arrays, found.docs, sort))]

        return self.read(run)

    def versions(self, ids: Iterable[str] | None = None) -> dict[str, list[bytes]]:
        """The record version of each live document by id (of every document, or of these ids).

        An id with two versions is indexed twice; an id left out has no document.
        """

        def run(arrays: SearchArrays) -> dict[str, list[bytes]]:
            searcher = arrays.searcher
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

    def _suggest(self, arrays: SearchArrays, q: wq.Query, text: str, flt) -> str | None:
        """A corrected query string (words near a word the index knows) that finds something."""
        reader = arrays.searcher.reader()
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
            found = match(arrays, parse_user_query(self._parser, corrected), flt, scored=False)
        except QueryError:
            return None
        return corrected if len(found) else None

    def close(self) -> None:
        self._drop_searcher()
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
            options = [w for w in _terms_within(reader, fieldname, candidate, maxdist) if w != candidate]
            if options:
                spell = reader.schema[fieldname].spelling_fieldname(fieldname)
                return max(options, key=lambda w: (reader.doc_frequency(spell, w), w))
    return None


def _terms_within(reader, fieldname: str, word: str, maxdist: int) -> set[str]:
    """Words within ``maxdist`` edits of ``word``, asked of each segment: a segment looks in
    the whole words it keeps for spelling, but Whoosh's reader over several segments looks
    in the indexed (stemmed) terms, so "resdents" found nothing once the index had two."""
    return {w for leaf, _ in reader.leaf_readers() for w in leaf.terms_within(fieldname, word, maxdist, prefix=1)}


def _highlight_terms(q: wq.Query, reader) -> set[str]:
    """Normalised title/body words to mark in snippets (never those under NOT)."""
    found: set[str] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not) or len(found) > _MAX_HIGHLIGHT_TERMS:
            return
        if isinstance(node, ExactPhrase):  # its uncommon words; a phrase of common words marks them all
            found.update(node.words() or [analyse_word(w)[0] for w in WORD_RE.findall(node.text)])
            return
        if node.is_leaf():
            for fieldname, text in node.existing_terms(reader, phrases=True, expand=True):
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                if fieldname in ("title", "body"):
                    found.add(word)
                elif fieldname in COMMON_FIELDS.values():  # a common word, or one and the next
                    found.update(word.split(GRAM_JOINER))
            return
        for child in node.children():
            walk(child)

    walk(q)
    return found


def make_snippet(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` with the most distinct ``terms``, and their spans in it.

    Only words that start like a term (its first letters, any case or accent) are
    normalised: a term is a stem or a folded word, so every word that can match starts
    that way, and the scan for them is one regex.
    """
    matches = []
    if terms:
        plain = text if text.isascii() else text.translate(_UNACCENT)
        for m in candidate_words(frozenset(terms)).finditer(plain):
            norm = normalise_word(text[m.start():m.end()])
            if norm in terms:
                matches.append((m.start(), m.end(), norm))
    if not matches:
        cut = _cut(text, 0, width)
        return cut[0], []
    best = _best_window(matches, width)
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


def _best_window(matches: list[tuple[int, int, str]], width: int) -> int:
    """The match that starts the window of ``width`` characters with the most distinct terms (then
    the most matches; the first such window), sliding over the matches once: a common word can
    match a hundred times in a text, and counting each window's terms anew was quadratic."""
    held: dict[str, int] = {}  #: terms in the window -> their matches in it
    best, best_score, j = 0, (-1, -1), 0
    for i, (start, _, term) in enumerate(matches):  # windows starting at each match
        j = max(j, i)
        while j < len(matches) and matches[j][1] <= start + width:
            held[matches[j][2]] = held.get(matches[j][2], 0) + 1
            j += 1
        score = (len(held), j - i)
        if score > best_score:
            best, best_score = i, score
        if j > i:  # match i leaves the window
            held[term] -= 1
            if not held[term]:
                del held[term]
    return best


#: Letters of a term a word must start with to be worth normalising.
_PREFIX = 3
#: Accented letters -> the letter (one character for one, so offsets stay put).
_UNACCENT = {code: folded for code, folded in accent_map.items() if isinstance(folded, str) and len(folded) == 1}


@lru_cache(maxsize=256)
def candidate_words(terms: frozenset[str]) -> re.Pattern[str]:
    """Whole words (as WORD_RE reads them) starting with a term's first letters, in any case,
    in a text without accents (see :func:`make_snippet`)."""
    starts = sorted({re.escape(term[:_PREFIX]) for term in terms if term}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?<!\w\.)(?:" + "|".join(starts) + r")\w*(?:\.\w+)*", re.IGNORECASE)


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


def _make_hit(searcher, docnum: int, score: float, terms: set[str], rank: int) -> Hit:
    stored = searcher.stored_fields(docnum)
    snippet, marks = make_snippet(snippet_source(stored), terms)
    return Hit(
        id=stored["id"],
        url=stored.get("url", ""),
        title=stored.get("title", ""),
        authors=list(stored.get("authors") or []),
        published=stored.get("published_raw"),
        site=stored.get("site", ""),
        score=score,
        snippet=snippet,
        snippet_marks=marks,
        rank=rank,
    )
