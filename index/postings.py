"""A segment's postings before they are written: gathered as arrays, sorted by term with one sort.

Title and body fields (their words, and their common words and grams) are nearly all of
an article's postings. :class:`TermPool` takes each of those fields' text as the word
numbers of a :class:`~index.analysis.TokenTable` and groups them into the document's
postings with array operations (no Python work per word or per posting). At the commit
each field's postings are sorted by term with one stable sort of integer keys that sort
as the terms' texts do (:meth:`~index.analysis.TokenTable.sort_keys`), so a term's
postings stay in document order; only the distinct terms are turned into text. Other
fields, and the postings of the segments a commit merges, arrive a posting at a time
(Whoosh's ``add``) and are sorted by their texts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from index.analysis import Analysis, TokenTable, encode_positions


class TermPool:
    """A segment's postings before they are written (Whoosh's PostingPool interface: ``add``, ``cleanup``).

    Title and body words arrive a field of a document at a time (:meth:`add_words`,
    :meth:`add_common`): numbered by one :class:`~index.analysis.TokenTable` and grouped
    into the document's postings with array operations, no Python work per word. Other
    fields, and the postings of segments being merged, arrive a posting at a time
    (:meth:`add`). :meth:`fields` sorts each field's postings, whichever way they came.
    """

    def __init__(self) -> None:
        self.tokens = TokenTable()
        self._columns: dict[str, _FieldColumns] = {}
        self._posted: dict[str, _PostedField] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (Whoosh's writer and merges call this)."""
        fieldname, btext, docnum, weight, value = item
        posted = self._posted.get(fieldname)
        if posted is None:
            posted = self._posted[fieldname] = _PostedField()
        posted.add(btext, docnum, weight, value)

    def _field(self, fieldname: str, boost: float) -> _FieldColumns:
        columns = self._columns.get(fieldname)
        if columns is None:
            columns = self._columns[fieldname] = _FieldColumns(boost)
        return columns

    def add_words(self, fieldname: str, docnum: int, text: str | Analysis, boost: float) -> int:
        """A document's words in a title or body field; returns the field's length."""
        terms, positions = self.tokens.words(self.tokens.number(text))
        if len(terms):
            self._field(fieldname, boost).add(docnum, terms, positions)
        return len(terms)

    def add_common(self, fieldname: str, docnum: int, text: str | Analysis) -> None:
        """A document's common words and grams in a title's or body's companion field."""
        terms, positions = self.tokens.common(self.tokens.number(text))
        if len(terms):
            self._field(fieldname, 1.0).add(docnum, terms, positions)

    def cleanup(self) -> None:
        self.__init__()

    def fields(self) -> Iterator[tuple[str, SortedPostings]]:
        """Each field's postings sorted by term, then document, fields in name order. A field whose
        postings came both ways (new documents and merged segments) has them sorted together."""
        for fieldname in sorted(self._columns.keys() | self._posted.keys()):
            columns, posted = self._columns.get(fieldname), self._posted.get(fieldname)
            if posted is None:
                yield fieldname, columns.sorted(self.tokens)
            elif columns is None:
                yield fieldname, SortedPostings.of([posted.postings()])
            else:
                yield fieldname, SortedPostings.of([columns.sorted(self.tokens).unsorted(), posted.postings()])


class _PostedField:
    """One field's postings as they come, one at a time, with its terms numbered as they come."""

    def __init__(self) -> None:
        self._numbers: dict[bytes, int] = {}
        self._terms = array("I")
        self._docs = array("I")
        self._weights = array("f")
        self._sizes = array("I")
        self._values = bytearray()

    def add(self, btext: bytes, docnum: int, weight: float, value: bytes | None) -> None:
        number = self._numbers.get(btext)
        if number is None:
            number = self._numbers[btext] = len(self._numbers)
        self._terms.append(number)
        self._docs.append(docnum)
        self._weights.append(weight)
        self._sizes.append(len(value) if value else 0)
        if value:
            self._values += value

    def postings(self) -> _Postings:
        return _Postings(list(self._numbers), np.frombuffer(self._terms, dtype=np.uint32).astype(np.int64),
                         np.frombuffer(self._docs, dtype=np.uint32), np.frombuffer(self._weights, dtype=np.float32),
                         np.frombuffer(self._sizes, dtype=np.uint32), bytes(self._values))


class _FieldColumns:
    """One title or body field's postings in a segment, a document at a time, as arrays."""

    def __init__(self, boost: float):
        self.boost = boost
        self._terms: list[np.ndarray] = []  #: each document's terms, as TokenTable numbers
        self._counts: list[np.ndarray] = []  #: how often each occurs in the document
        self._sizes: list[np.ndarray] = []  #: the bytes of its packed positions
        self._blob = bytearray()
        self._docs = array("I")
        self._postings = array("I")  #: postings per document

    def add(self, docnum: int, terms: np.ndarray, positions: np.ndarray) -> None:
        """One document's words (term numbers and positions, in position order; at least one)."""
        narrow = positions[-1] <= 0xFFFF
        order = np.argsort(terms, kind="stable")  # each term's positions stay in order
        terms, positions = terms[order], positions[order]
        starts = np.flatnonzero(np.concatenate(([True], terms[1:] != terms[:-1])))
        counts = np.diff(np.append(starts, len(terms)))
        if narrow:
            self._blob += positions.astype("<u2").tobytes()
            sizes = 2 * counts
        else:  # a text past 65,535 words: its postings packed one at a time
            packed = [encode_positions(positions[a:a + n].tolist()) for a, n in zip(starts.tolist(), counts.tolist())]
            self._blob += b"".join(packed)
            sizes = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed))
        self._terms.append(terms[starts])
        self._counts.append(counts)
        self._sizes.append(sizes)
        self._docs.append(docnum)
        self._postings.append(len(starts))

    def sorted(self, tokens: TokenTable) -> SortedPostings:
        """The field's postings sorted by term text, with one sort of numbers (:meth:`TokenTable.sort_keys`)."""
        numbers = np.concatenate(self._terms)
        keys = tokens.sort_keys(numbers)
        order = np.argsort(keys, kind="stable")  # arrival order is document order
        keys = keys[order]
        new_term = np.concatenate(([True], keys[1:] != keys[:-1]))
        firsts = np.flatnonzero(new_term)
        texts = [tokens.term(n).encode("utf-8") for n in numbers[order[firsts]].tolist()]
        docs = np.repeat(np.frombuffer(self._docs, dtype=np.uint32), np.frombuffer(self._postings, dtype=np.uint32))
        weights = (np.concatenate(self._counts) * self.boost).astype(np.float32)
        sizes = np.concatenate(self._sizes)
        if any(a >= b for a, b in zip(texts, texts[1:])):  # a term the keys do not order (see sort_keys)
            terms = np.empty(len(numbers), dtype=np.int64)
            terms[order] = np.cumsum(new_term) - 1
            return SortedPostings.of([_Postings(texts, terms, docs, weights, sizes, bytes(self._blob))])
        return SortedPostings.arranged(texts, firsts, order, docs, weights, sizes, bytes(self._blob))


@dataclass
class _Postings:
    """One field's postings in arrival order: term (an index into ``texts``), document, weight,
    and the size of its value (packed positions), the values one after another in ``blob``."""

    texts: list[bytes]
    terms: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    sizes: np.ndarray
    blob: bytes


@dataclass
class SortedPostings:
    """One field's postings sorted by term, then document: term ``i`` is ``texts[i]``, its postings
    ``firsts[i]:firsts[i + 1]``; each posting's value ends at ``ends`` in ``blob``."""

    texts: list[bytes]
    firsts: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    ends: np.ndarray
    blob: bytes

    @classmethod
    def of(cls, parts: list[_Postings]) -> SortedPostings:
        """``parts`` (their terms numbered apart) sorted together by term text, then document;
        postings of one term in one document keep the order they came in."""
        texts = sorted(set().union(*(part.texts for part in parts)))
        rank = {text: i for i, text in enumerate(texts)}
        terms = np.concatenate([np.array([rank[t] for t in part.texts], dtype=np.int64)[part.terms] for part in parts])
        docs = np.concatenate([part.docs for part in parts])
        order = np.argsort((terms << 32) | docs, kind="stable")
        firsts = np.flatnonzero(np.concatenate(([True], np.diff(terms[order]) != 0)))
        return cls.arranged(texts, firsts, order, docs, np.concatenate([part.weights for part in parts]),
                            np.concatenate([part.sizes for part in parts]), b"".join(part.blob for part in parts))

    @classmethod
    def arranged(cls, texts: list[bytes], firsts: np.ndarray, order: np.ndarray, docs: np.ndarray,
                 weights: np.ndarray, sizes: np.ndarray, blob: bytes) -> SortedPostings:
        """Postings put in ``order`` (their terms' postings starting at ``firsts``), values moved with them."""
        sizes = sizes.astype(np.int64)
        starts = np.cumsum(sizes) - sizes
        sizes = sizes[order]
        return cls(texts, np.append(firsts, len(order)), docs[order].astype(np.uint32), weights[order],
                   np.cumsum(sizes), _gather(np.frombuffer(blob, dtype=np.uint8), starts[order], sizes))

    def unsorted(self) -> _Postings:
        """These postings as a part to sort with others."""
        df = np.diff(self.firsts)
        return _Postings(self.texts, np.repeat(np.arange(len(self.texts)), df), self.docs, self.weights,
                         np.diff(self.ends, prepend=0), self.blob)


def _gather(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> bytes:
    """The byte runs ``values[start:start + size]``, one after another."""
    total = int(sizes.sum())
    if not total:
        return b""
    index = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(total)
    return values[index].tobytes()
