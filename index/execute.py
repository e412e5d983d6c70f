"""Running a query: every match found, counted and scored in one pass over whole posting lists.

One code path gives a search its hits, its exact total and its filters, and gives
timelines and exports their documents: :func:`match` evaluates the query tree on
:class:`~index.arrays.SearchArrays` (terms are arrays of documents and weights; AND
is an intersection, OR a union whose scores add, NOT a difference), then the
filter's documents are intersected with it. Scores are Whoosh's BM25F (B 0.75, K1
1.2, the same idf and field lengths), so rankings match Whoosh's own.

Exact phrases (:class:`~index.query.ExactPhrase`) intersect the documents of their
chain of words, common words and grams, rarest first, then check their offsets in
just those documents, all as arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import fields
from whoosh import query as wq
from whoosh.reading import TermNotFound

from index.arrays import SearchArrays, members
from index.query import ExactPhrase
from index.schema import COMMON_FIELDS

B, K1 = 0.75, 1.2
#: Common-word fields are scored with their text field's lengths.
TEXT_OF_COMMON = {common: text for text, common in COMMON_FIELDS.items()}
#: Room for a phrase's start position in a combined (document, start) key.
_POSITION_BITS = 32
_NONE = np.zeros(0, dtype=np.int64)


@dataclass
class Matches:
    """Matching documents (sorted global docnums) and their scores (None when not scored)."""

    docs: np.ndarray
    scores: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.docs)


def match(arrays: SearchArrays, q: wq.Query, flt: wq.Query | None = None, *, scored: bool = True) -> Matches:
    """Every live document matching ``q`` and the filter ``flt``, with scores when ``scored``.

    The smaller side (by Whoosh's size estimate) is found first and bounds the other,
    whose posting blocks without any of its documents are then skipped.
    """
    if flt is None:
        found = _evaluate(arrays, q, scored)
    else:
        reader = arrays.searcher.reader()
        if _estimate(flt, reader) < _estimate(q, reader):
            allowed = _evaluate(arrays, flt, False)
            found = _evaluate(arrays, q, scored, allowed.docs)
        else:
            found = _evaluate(arrays, q, scored)
            allowed = _evaluate(arrays, flt, False, found.docs)
        found = _intersect([found, allowed], scored)
    if scored and found.scores is None:
        found.scores = np.ones(len(found.docs))
    return found


def top(matches: Matches, count: int, order: list[np.ndarray] | None = None) -> np.ndarray:
    """Indexes of the best ``count`` matches: by score (ties by docnum), or by ``order`` keys
    (numpy lexsort keys, most significant last; ties by docnum)."""
    if order is None:
        scores = matches.scores
        assert scores is not None
        if len(scores) > count:  # keep every document tied with the count-th best, then sort those
            threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
            best = np.flatnonzero(scores >= threshold)
        else:
            best = np.arange(len(scores))
        ranked = best[np.lexsort((matches.docs[best], -scores[best]))]
        return ranked[:count]
    return np.lexsort((matches.docs, *order))[:count]


def sort_order(arrays: SearchArrays, docs: np.ndarray, sort: str) -> list[np.ndarray] | None:
    """:func:`top`'s keys for ``newest``/``oldest`` (dated articles first, then by date); None for relevance."""
    if sort == "relevance":
        return None
    dated = arrays.column("dated")[docs].astype(np.int64)
    published = arrays.column("published")[docs]
    return [np.iinfo(np.uint64).max - published if sort == "newest" else published, -dated]


# -- the query tree --------------------------------------------------------------------------------


def _evaluate(arrays: SearchArrays, q: wq.Query, scored: bool, within: np.ndarray | None = None) -> Matches:
    """The documents matching ``q``: all of them, or (when given) those of ``within`` at least.

    ``within`` is a bound, not a filter: nodes use it to skip postings, callers
    intersect with it.
    """
    if isinstance(q, wq.Term):
        found = _term(arrays, q.fieldname, q.text, scored, within)
    elif isinstance(q, ExactPhrase):
        found = _exact_phrase(arrays, q, scored, within)
    elif isinstance(q, wq.Phrase):
        found = _chain(arrays, [(q.fieldname, w, i) for i, w in enumerate(q.words)], scored, within) \
            if q.slop == 1 else _and(arrays, [wq.Term(q.fieldname, w) for w in q.words], scored, within)
    elif isinstance(q, wq.And):
        found = _and(arrays, q.subqueries, scored, within)
    elif isinstance(q, wq.Or):
        found = _union([_evaluate(arrays, sub, scored, within) for sub in q.subqueries], scored)
    elif isinstance(q, wq.Not):
        found = _difference(Matches(arrays.all_docs() if within is None else within),
                            _evaluate(arrays, q.query, False, within))
    elif isinstance(q, wq.AndNot):
        positive = _evaluate(arrays, q.a, scored, within)
        found = _difference(positive, _evaluate(arrays, q.b, False, positive.docs))
    elif isinstance(q, wq.AndMaybe):
        required = _evaluate(arrays, q.a, scored, within)
        found = _maybe(required, _evaluate(arrays, q.b, scored, required.docs), scored)
    elif isinstance(q, wq.Require):
        found = _and(arrays, [q.a, wq.ConstantScoreQuery(q.b, 0.0)], scored, within)
    elif isinstance(q, wq.Every):
        found = Matches(arrays.all_docs() if within is None else within)
    elif q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        found = Matches(_NONE)
    elif isinstance(q, wq.NumericRange) and _dated_column(arrays, q.fieldname):
        return _date_range(arrays, q, within)
    elif isinstance(q, wq.NumericRange):  # other numbers: Whoosh's own tiered terms, unscored
        return _evaluate(arrays, q._compile_query(arrays.searcher.reader()), False, within)
    elif isinstance(q, wq.ConstantScoreQuery):
        found = _evaluate(arrays, q.child, False, within)
        if scored:
            found.scores = np.full(len(found.docs), float(q.score))
    elif isinstance(q, wq.WrappingQuery):
        found = _evaluate(arrays, q.child, scored, within)
    elif isinstance(q, wq.MultiTerm):  # prefixes, wildcards, fuzzy terms, term ranges: their terms
        return _multiterm(arrays, q, scored, within)
    else:  # anything else Whoosh can answer, unscored
        found = Matches(np.unique(np.fromiter(arrays.searcher.docs_for_query(q), dtype=np.int64)))
    if scored and found.scores is not None and getattr(q, "boost", 1.0) != 1.0:
        found.scores = found.scores * q.boost
    return found


def _estimate(q: wq.Query, reader: Any) -> int:
    """Whoosh's estimate of how many documents ``q`` matches (a bound for phrases and ranges)."""
    try:
        return q.estimate_size(reader)
    except (NotImplementedError, TermNotFound, AttributeError):
        return reader.doc_count_all()


def _term(arrays: SearchArrays, fieldname: str, text: Any, scored: bool, within: np.ndarray | None = None
          ) -> Matches:
    schema = arrays.searcher.schema
    if fieldname not in schema:
        return Matches(_NONE)
    field = schema[fieldname]
    try:
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
    except (ValueError, TypeError):
        return Matches(_NONE)
    docs, weights = arrays.postings(fieldname, btext, within)
    if not scored:
        return Matches(docs)
    return Matches(docs, _score(arrays, fieldname, btext, docs, weights))


def _score(arrays: SearchArrays, fieldname: str, btext: bytes, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
    """BM25F of a term (or a phrase occurring ``tf`` times) in each of ``docs``."""
    text_field = TEXT_OF_COMMON.get(fieldname, fieldname)
    if not arrays.searcher.schema[text_field].scorable or not len(docs):
        return tf
    idf = arrays.idf(fieldname, btext)
    lengths = arrays.lengths(text_field)[docs]
    average = arrays.avg_length(text_field)
    return idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / average))


def _dated_column(arrays: SearchArrays, fieldname: str) -> bool:
    """True for a date field with a column (its values are the numbers its ranges compare)."""
    field = arrays.searcher.schema[fieldname] if fieldname in arrays.searcher.schema else None
    return isinstance(field, fields.DATETIME) and field.column_type is not None


def _date_range(arrays: SearchArrays, q: wq.NumericRange, within: np.ndarray | None) -> Matches:
    """A date range read from the field's column, one comparison a document (unscored).

    Whoosh answers it with the union of the tiered terms covering the range, up to a
    few hundred posting lists for half a year; the column holds the same numbers
    (``datetime_to_long``), and the column's default marks documents without a date.
    """
    default = arrays.searcher.schema[q.fieldname].column_type._default
    docs = arrays.all_docs() if within is None else within
    values = arrays.column(q.fieldname)[docs]
    keep = values != default
    if q.start is not None:
        keep &= (values > q.start) if q.startexcl else (values >= q.start)
    if q.end is not None:
        keep &= (values < q.end) if q.endexcl else (values <= q.end)
    return Matches(docs[keep])


def _multiterm(arrays: SearchArrays, q: wq.MultiTerm, scored: bool, within: np.ndarray | None) -> Matches:
    reader = arrays.searcher.reader()
    each_scored = scored and not q.constantscore
    try:
        parts = [_term(arrays, q.fieldname, btext, each_scored, within) for btext in q._btexts(reader)]
    except TermNotFound:
        parts = []
    found = _union(parts, each_scored)
    if scored and q.constantscore:
        found.scores = np.full(len(found.docs), q.boost)
    return found


def _and(arrays: SearchArrays, subqueries: list[wq.Query], scored: bool, within: np.ndarray | None) -> Matches:
    """The positive parts, smallest first, each bounded by the matches so far; then the NOTs.

    Phrases come after the other parts whatever their size: reading their positions is
    the costly part, so it is done only in the documents the rest of the query allows.
    """
    positive = [s for s in subqueries if not isinstance(s, wq.Not)]
    negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
    if not positive:
        return _evaluate(arrays, wq.Not(wq.Or(negative)), scored, within)
    reader = arrays.searcher.reader()
    found: Matches | None = None
    for part in sorted(positive, key=lambda s: (_reads_positions(s), _estimate(s, reader))):
        matched = _evaluate(arrays, part, scored, within if found is None else found.docs)
        found = matched if found is None else _intersect([found, matched], scored)
        if not len(found.docs):
            return found
    for part in negative:
        found = _difference(found, _evaluate(arrays, part, False, found.docs))
    return found


def _reads_positions(q: wq.Query) -> bool:
    return isinstance(q, ExactPhrase) or (isinstance(q, wq.Phrase) and q.slop == 1)


def _intersect(parts: list[Matches], scored: bool) -> Matches:
    parts = sorted(parts, key=len)  # smallest first: every step shrinks
    found = parts[0]
    docs, scores = found.docs, found.scores if scored else None
    for part in parts[1:]:
        if not len(docs):
            break
        docs, mine, theirs = np.intersect1d(docs, part.docs, assume_unique=True, return_indices=True)
        if scored:
            scores = _or_zero(scores, mine) + _or_zero(part.scores, theirs)
    return Matches(docs, scores if scored else None)


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both of two sorted arrays of unique values (the larger one is binary-searched)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small[members(small, large)]


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and how many times each occurs."""
    firsts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[firsts], np.diff(np.append(firsts, len(values)))


def _or_zero(scores: np.ndarray | None, picked: np.ndarray) -> np.ndarray:
    return np.zeros(len(picked)) if scores is None else scores[picked]


def _union(parts: list[Matches], scored: bool) -> Matches:
    parts = [p for p in parts if len(p.docs)]
    if not parts:
        return Matches(_NONE, np.zeros(0) if scored else None)
    if len(parts) == 1:
        return Matches(parts[0].docs, parts[0].scores if scored else None)
    every = np.concatenate([p.docs for p in parts])
    docs, where = np.unique(every, return_inverse=True)
    if not scored:
        return Matches(docs)
    weights = np.concatenate([p.scores if p.scores is not None else np.zeros(len(p.docs)) for p in parts])
    return Matches(docs, np.bincount(where, weights=weights, minlength=len(docs)))


def _difference(found: Matches, removed: Matches) -> Matches:
    keep = ~np.isin(found.docs, removed.docs, assume_unique=True)
    return Matches(found.docs[keep], None if found.scores is None else found.scores[keep])


def _maybe(required: Matches, optional: Matches, scored: bool) -> Matches:
    if not scored or not len(optional.docs):
        return required
    _, mine, theirs = np.intersect1d(required.docs, optional.docs, assume_unique=True, return_indices=True)
    scores = required.scores.copy()
    scores[mine] += optional.scores[theirs]
    return Matches(required.docs, scores)


# -- phrases ------------------------------------------------------------------------------------------


def _exact_phrase(arrays: SearchArrays, q: ExactPhrase, scored: bool, within: np.ndarray | None) -> Matches:
    if q.slop != 1:  # "..."~N: its uncommon words, anywhere
        words = [wq.Term(q.fieldname, w) for w in q.words()]
        return _and(arrays, words, scored, within) if words else Matches(_NONE)
    links = [(COMMON_FIELDS[q.fieldname] if common else q.fieldname, term, offset) for common, term, offset in q.chain]
    return _chain(arrays, links, scored, within)


def _chain(arrays: SearchArrays, links: list[tuple[str, str, int]], scored: bool,
           within: np.ndarray | None) -> Matches:
    """Documents where every (field, term) occurs at its offset from one start position.

    Terms are joined rarest first, each on (document, start) pairs (64-bit keys) and read
    only in the documents where the terms before it line up: a common word's positions
    are read in the few documents that hold the rest of the phrase, not in all those that
    hold its other words somewhere (reading a block's documents costs as much as reading
    its positions: they are compressed together).
    """
    schema = arrays.searcher.schema
    terms = []
    for fieldname, term, offset in links:
        if fieldname not in schema:
            return Matches(_NONE)
        terms.append((fieldname, schema[fieldname].to_bytes(term), offset))
    if not terms:
        return Matches(_NONE)
    terms.sort(key=lambda t: arrays.doc_frequency(t[0], t[1]))
    candidates, starts = within, None
    for fieldname, btext, offset in terms:
        docs, places = arrays.positions(fieldname, btext, candidates)
        begin = places - offset
        keys = (docs[begin >= 0] << _POSITION_BITS) | begin[begin >= 0]  # sorted: documents, then positions
        starts = keys if starts is None else _common(starts, keys)
        if not len(starts):
            return Matches(_NONE)
        candidates, counts = _runs(starts >> _POSITION_BITS)
    docs = candidates
    if not scored:
        return Matches(docs)
    scores = sum(_score(arrays, fieldname, btext, docs, counts.astype(np.float64)) for fieldname, btext, _ in terms)
    return Matches(docs, scores)
