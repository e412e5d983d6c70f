"""One searcher's index as numpy arrays: postings, positions, field lengths, live documents.

Whoosh's matchers walk postings one document at a time in Python, and its exact
totals come from a second pass over every match. The executor (:mod:`index.execute`)
works on whole posting lists instead: each block of a W3 posting list (up to 128
documents, zlib-compressed pickles) is decoded into arrays, and documents are
combined, filtered, counted and scored with numpy. Everything here reads Whoosh's
own segment files; nothing is written.

Arrays are global document numbers (a segment's offset added), sorted, without
deleted documents. They are kept for the life of the searcher, which
:class:`~index.search.ArticleIndex` reuses until the index changes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.bulk import PackedValues
from index.textfields import ArrayPositions

#: Field length bytes (Whoosh's logarithmic approximation) -> lengths.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
#: Whoosh numeric column type codes -> numpy types (columns are big-endian).
NUMPY_TYPES = {"B": ">u1", "H": ">u2", "I": ">u4", "Q": ">u8", "b": ">i1", "h": ">i2", "i": ">i4", "q": ">i8",
               "f": ">f4", "d": ">f8"}
#: Posting lists kept per searcher (a page of results asks for the same terms again).
POSTINGS_CACHE = 64

_EMPTY_DOCS = np.zeros(0, dtype=np.int64)


class SearchArrays:
    """The postings, lengths and live documents of one searcher's generation, as arrays."""

    def __init__(self, searcher: Any):
        self.searcher = searcher
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.segments: list[tuple[Any, int]] = list(reader.leaf_readers()) if self.size else []
        self.live: np.ndarray | None = None  #: False for deleted documents; None when nothing is deleted
        for segment, offset in self.segments:
            if segment.has_deletions():
                if self.live is None:
                    self.live = np.ones(self.size, dtype=bool)
                self.live[offset + np.fromiter(segment._perdoc.deleted_docs(), dtype=np.int64)] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._postings: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def all_docs(self) -> np.ndarray:
        docs = np.arange(self.size, dtype=np.int64)
        return docs if self.live is None else docs[self.live]

    def _keep_live(self, docs: np.ndarray) -> np.ndarray:
        return np.ones(len(docs), dtype=bool) if self.live is None else self.live[docs]

    # -- field lengths (BM25) -----------------------------------------------------------------------

    def lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in ``fieldname`` (0 when it has none)."""
        if fieldname not in self._lengths:
            lengths = np.zeros(self.size, dtype=np.uint8)
            for segment, offset in self.segments:
                perdoc = segment._perdoc
                name = _lenfield(fieldname)
                if not perdoc.has_column(name):
                    continue
                column = perdoc.column_reader(name, LENGTHS_COLUMN)
                count = min(column._count, segment.doc_count_all())
                raw = column._dbfile.get(column._basepos, count)
                lengths[offset:offset + count] = np.frombuffer(raw, dtype=np.uint8)
            self._lengths[fieldname] = LENGTH_OF_BYTE[lengths]
        return self._lengths[fieldname]

    def column(self, fieldname: str) -> np.ndarray:
        """A numeric column (``published``, ``dated``) for every document, the default where none."""
        if fieldname not in self._columns:
            kind = self.searcher.schema[fieldname].column_type
            values = np.full(self.size, kind._default, dtype=NUMPY_TYPES[kind._typecode])
            for segment, offset in self.segments:
                perdoc = segment._perdoc
                if not perdoc.has_column(fieldname):
                    continue
                column = perdoc.column_reader(fieldname, kind)
                count = min(column._count, segment.doc_count_all())
                raw = column._dbfile.get(column._basepos, count * column._fixedlen)
                values[offset:offset + count] = np.frombuffer(raw, dtype=values.dtype)
            self._columns[fieldname] = values
        return self._columns[fieldname]

    def avg_length(self, fieldname: str) -> float:
        return self.searcher.avg_field_length(fieldname) or 1.0

    def idf(self, fieldname: str, btext: bytes) -> float:
        return self.searcher.idf(fieldname, btext)

    def doc_frequency(self, fieldname: str, btext: bytes) -> int:
        return self.searcher.doc_frequency(fieldname, btext)

    # -- postings -------------------------------------------------------------------------------------

    def postings(self, fieldname: str, btext: bytes, within: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        """The live documents holding a term (only those in ``within``, sorted docnums, when given),
        and the term's weight in each (frequency × field boost).

        Only blocks that may hold a document of ``within`` are read; whole lists are kept
        for the searcher's next questions.
        """
        key = (fieldname, btext)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found if within is None else _restrict(found, within)
        docs, weights = [], []
        for offset, ids, block_weights, _ in self._blocks(fieldname, btext, within):
            docs.append(ids + offset)
            weights.append(block_weights)
        if not docs:
            return _EMPTY_DOCS, np.zeros(0, dtype=np.float64)
        all_docs, all_weights = np.concatenate(docs), np.concatenate(weights)
        keep = self._keep_live(all_docs)
        found = all_docs[keep], all_weights[keep]
        if within is not None:
            return _restrict(found, within)
        self._postings[key] = found
        if len(self._postings) > POSTINGS_CACHE:
            self._postings.popitem(last=False)
        return found

    def positions(self, fieldname: str, btext: bytes, within: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of every occurrence of a term in live documents (of ``within``,
        sorted docnums, when given). Blocks holding none of ``within`` are not decompressed."""
        fmt = self.searcher.schema[fieldname].format
        docs, places = [], []
        for offset, ids, _, values in self._blocks(fieldname, btext, within):
            held = ids + offset
            keep = self._keep_live(held) if within is None else np.isin(held, within, assume_unique=True)
            wanted = np.flatnonzero(keep)
            if not len(wanted):
                continue
            counts, found = _unpack(values, wanted, fmt)
            docs.append(np.repeat(held[wanted], counts))
            places.append(found)
        if not docs:
            return _EMPTY_DOCS, _EMPTY_DOCS
        return np.concatenate(docs), np.concatenate(places)

    def _blocks(self, fieldname: str, btext: bytes, within: np.ndarray | None = None
                ) -> Iterator[tuple[int, np.ndarray, np.ndarray, Any]]:
        """(segment offset, local ids, weights, values) per posting block; only blocks that may
        hold a document of ``within`` when it is given."""
        for segment, offset in self.segments:
            terms = segment._terms
            try:
                info = terms.term_info(fieldname, btext)
            except TermNotFound:
                continue
            if info.is_inlined():
                ids, weights, values = info.inlined_postings()
                yield offset, np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64), values
                continue
            if within is not None:
                local = within[(within >= offset) & (within < offset + segment.doc_count_all())] - offset
                if not len(local):
                    continue
            matcher = terms._codec.postings_reader(terms._postfile, info, segment.schema[fieldname].format)
            low = 0
            while True:
                high = matcher._maxid
                if within is None or _any_between(local, low, high):
                    matcher._read_data()
                    deltas, weights, values = matcher._data
                    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
                    yield offset, ids, _weights(weights, len(ids)), values
                if matcher._lastblock:
                    break
                low = high + 1
                matcher._goto(matcher._nextoffset)


def _restrict(found: tuple[np.ndarray, np.ndarray], within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isin(found[0], within, assume_unique=True)
    return found[0][keep], found[1][keep]


def _unpack(values: Any, wanted: np.ndarray, fmt: Any) -> tuple[np.ndarray, np.ndarray]:
    """How many positions each wanted posting of a block has, and all of them in order."""
    if isinstance(values, PackedValues) and not len(values.blob) % 2:
        ends = np.frombuffer(values.ends, dtype=np.uint32).astype(np.int64)
        starts = np.concatenate(([0], ends[:-1]))
        sizes = (ends - starts)[wanted]
        if not (sizes & 1).any():  # every posting packed as uint16: gather them from one buffer
            counts = sizes // 2
            first = starts[wanted] // 2
            index = np.arange(counts.sum()) + np.repeat(first - (np.cumsum(counts) - counts), counts)
            return counts, np.frombuffer(values.blob, dtype="<u2")[index].astype(np.int64)
    picked = [values[i] for i in wanted.tolist()]
    if isinstance(fmt, ArrayPositions):
        unpacked = [np.frombuffer(v, dtype="<u2") if len(v) % 2 == 0 else np.frombuffer(v[1:], dtype="<u4")
                    for v in picked]
    else:  # Whoosh's own pickled positions (author names)
        unpacked = [np.asarray(fmt.decode_positions(v), dtype=np.int64) for v in picked]
    counts = np.fromiter(map(len, unpacked), dtype=np.int64, count=len(unpacked))
    return counts, np.concatenate(unpacked).astype(np.int64) if unpacked else _EMPTY_DOCS


def _weights(weights: Any, count: int) -> np.ndarray:
    """A block's weights as stored: None (all 1), one float for all, or one per posting."""
    if weights is None:
        return np.ones(count, dtype=np.float64)
    if isinstance(weights, float):
        return np.full(count, weights, dtype=np.float64)
    return np.asarray(weights, dtype=np.float64)


def _any_between(sorted_docs: np.ndarray, low: int, high: int) -> bool:
    i = np.searchsorted(sorted_docs, low)
    return bool(i < len(sorted_docs) and sorted_docs[i] <= high)
