"""One searcher's index as numpy arrays: postings, positions, field lengths, live documents.

Whoosh's matchers walk postings one document at a time in Python, and its exact
totals come from a second pass over every match. The executor (:mod:`index.execute`)
works on whole posting lists instead: each block of a W3 posting list (up to 128
documents, zlib-compressed pickles) is decoded into arrays, and documents are
combined, filtered, counted and scored with numpy. Everything here reads Whoosh's
own segment files; nothing is written.

Arrays are global document numbers (a segment's offset added), sorted, without
deleted documents. They are kept for the life of the searcher, which
:class:`~index.search.ArticleIndex` reuses until the index changes: a term's
:class:`PostingList` (documents, weights and packed positions) is decoded once and
answers every later question about it (its documents, then its positions in a few of
them; the next page; the next query with a common word), up to
:data:`POSTINGS_CACHE_BYTES`.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.analysis import decode_positions
from index.bulk import PackedValues
from index.textfields import ArrayPositions

#: Field length bytes (Whoosh's logarithmic approximation) -> lengths.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
#: Whoosh numeric column type codes -> numpy types (columns are big-endian).
NUMPY_TYPES = {"B": ">u1", "H": ">u2", "I": ">u4", "Q": ">u8", "b": ">i1", "h": ">i2", "i": ">i4", "q": ">i8",
               "f": ">f4", "d": ">f8"}
#: Bytes of decoded posting lists kept per searcher (a page of results asks for the same terms again).
POSTINGS_CACHE_BYTES = 128 * 2**20
#: A term's whole posting list is read (and kept) unless the documents asked about are fewer than
#: its documents / this: then only the blocks holding them are read (a block holds up to 128).
SPARSE_WITHIN = 128

_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
#: A W3 posting block's size (negative for a term's last block), before its pickled header and data.
_BLOCK_SIZE = struct.Struct("!i")


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
        self._lists: OrderedDict[tuple[str, bytes], PostingList] = OrderedDict()
        self._cached = 0  #: bytes in ``_lists``

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
        and the term's weight in each (frequency × field boost)."""
        found = self._list(fieldname, btext, within)
        wanted = found.wanted(within)
        return (found.docs, found.weights) if wanted is None else (found.docs[wanted], found.weights[wanted])

    def positions(self, fieldname: str, btext: bytes, within: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of every occurrence of a term in live documents (of ``within``,
        sorted docnums, when given)."""
        fmt = self.searcher.schema[fieldname].format
        if not isinstance(fmt, ArrayPositions):  # Whoosh's own pickled positions (author names)
            return self._pickled_positions(fmt, fieldname, btext, within)
        found = self._list(fieldname, btext, within)
        return found.positions(found.wanted(within))

    def _list(self, fieldname: str, btext: bytes, within: np.ndarray | None) -> PostingList:
        """A term's postings: the whole list (read once, kept for the searcher's next questions)
        unless ``within`` is so sparse that reading only its blocks is cheaper.

        A phrase asks for a term's documents, then for its positions in fewer of them, and a
        page of results asks again: the whole list is decoded once for all of these.
        """
        key = (fieldname, btext)
        found = self._lists.get(key)
        if found is not None:
            self._lists.move_to_end(key)
            return found
        whole = within is None or len(within) * SPARSE_WITHIN >= self.doc_frequency(fieldname, btext)
        found = PostingList.of(self._blocks(fieldname, btext, None if whole else within), self.live)
        if whole:
            self._lists[key] = found
            self._cached += found.nbytes
            while self._cached > POSTINGS_CACHE_BYTES and len(self._lists) > 1:
                self._cached -= self._lists.popitem(last=False)[1].nbytes
        return found

    def _pickled_positions(self, fmt: Any, fieldname: str, btext: bytes, within: np.ndarray | None
                           ) -> tuple[np.ndarray, np.ndarray]:
        docs, places = [], []
        for offset, deltas, _, values in self._blocks(fieldname, btext, within):
            held = np.cumsum(np.asarray(deltas, dtype=np.int64)) + offset
            wanted = np.flatnonzero(self._keep_live(held) if within is None else members(held, within))
            for i in wanted.tolist():
                found = fmt.decode_positions(values[i])
                docs.append(np.full(len(found), held[i], dtype=np.int64))
                places.append(np.asarray(found, dtype=np.int64))
        if not docs:
            return _EMPTY_DOCS, _EMPTY_DOCS
        return np.concatenate(docs), np.concatenate(places)

    def _blocks(self, fieldname: str, btext: bytes, within: np.ndarray | None = None
                ) -> Iterator[tuple[int, np.ndarray, np.ndarray, Any]]:
        """(segment offset, id gaps, weights, values) per posting block, as stored (each block's
        gaps start from 0); only blocks that may hold a document of ``within`` when it is given."""
        for segment, offset in self.segments:
            terms = segment._terms
            try:
                info = terms.term_info(fieldname, btext)
            except TermNotFound:
                continue
            if info.is_inlined():
                ids, weights, values = info.inlined_postings()
                yield offset, np.diff(ids, prepend=0).astype(np.uint32), weights, values
                continue
            if within is not None:
                local = within[(within >= offset) & (within < offset + segment.doc_count_all())] - offset
                if not len(local):
                    continue
            start, length = info.extent()
            length = length[0] if isinstance(length, tuple) else length  # W3 reads it back as a 1-tuple
            low = 0
            for high, compression, data in _block_data(terms._postfile.get(start, length)):
                if within is None or _any_between(local, low, high):
                    yield (offset, *pickle.loads(zlib.decompress(data) if compression else data))
                low = high + 1


def _block_data(postings: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(last document, compression level, pickled ids, weights and values) of each block of one
    term's W3 postings.

    W3's own reader seeks and reads a block's length and pickled header through a file
    object, a dozen Python calls a block; here they are read from the term's bytes.
    """
    if postings[:4] != WHOOSH3_HEADER_MAGIC:
        raise OSError(f"damaged posting list (tag {postings[:4]!r})")
    stream = io.BytesIO(postings)
    at = 4
    while True:
        (size,) = _BLOCK_SIZE.unpack_from(postings, at)
        stream.seek(at + _BLOCK_SIZE.size)
        _, high, _, compression, _, _ = pickle.load(stream)
        yield high, compression, postings[stream.tell():at + _BLOCK_SIZE.size + abs(size)]
        if size < 0:  # the last block
            return
        at += _BLOCK_SIZE.size + abs(size)


@dataclass
class PostingList:
    """A term's live postings as arrays: documents (global docnums, sorted), weights, and where
    each posting's packed positions lie in ``blob`` (empty for fields without positions)."""

    docs: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    blob: bytes

    @classmethod
    def of(cls, blocks: Iterable[tuple[int, Any, Any, Any]], live: np.ndarray | None) -> PostingList:
        """The blocks of :meth:`SearchArrays._blocks` joined, deleted documents left out.

        Ids, position ends and blobs are joined as bytes and converted once: numpy calls
        a block cost as much as decompressing it.
        """
        offsets, deltas, weights, ends, blobs = [], [], [], [], []
        for offset, block_deltas, block_weights, values in blocks:
            offsets.append(offset)
            deltas.append(_uint32(block_deltas))
            weights.append(block_weights)
            if isinstance(values, PackedValues):
                blobs.append(values.blob)
                ends.append(_uint32(values.ends))
            elif values and isinstance(values[0], bytes):
                blobs.append(b"".join(values))
                ends.append(array("I", accumulate(map(len, values))))
            else:  # no positions in this field
                blobs.append(b"")
                ends.append(array("I", bytes(4 * len(block_deltas))))
        if not deltas:
            return cls(_EMPTY_DOCS, np.zeros(0), _EMPTY_DOCS, _EMPTY_DOCS, b"")
        sizes = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
        firsts = np.cumsum(sizes) - sizes
        running = np.cumsum(np.frombuffer(b"".join(deltas), dtype=np.uint32).astype(np.int64))
        before = np.concatenate(([0], running[firsts[1:] - 1]))  # each block's ids start again from 0
        all_docs = running + np.repeat(np.asarray(offsets, dtype=np.int64) - before, sizes)
        bases = np.cumsum([0] + [len(b) for b in blobs[:-1]])
        all_ends = np.frombuffer(b"".join(ends), dtype=np.uint32).astype(np.int64) + np.repeat(bases, sizes)
        all_starts = np.concatenate(([0], all_ends[:-1]))
        all_weights = np.concatenate([_weights(w, n) for w, n in zip(weights, sizes.tolist())])
        if live is not None:
            keep = live[all_docs]
            all_docs, all_weights, all_starts, all_ends = (all_docs[keep], all_weights[keep], all_starts[keep],
                                                           all_ends[keep])
        return cls(all_docs, all_weights, all_starts, all_ends, b"".join(blobs))

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.weights.nbytes + self.starts.nbytes + self.ends.nbytes + len(self.blob)

    def wanted(self, within: np.ndarray | None) -> np.ndarray | None:
        """Indexes of the postings of ``within``'s documents (None: all of them)."""
        if within is None:
            return None
        if len(within) < len(self.docs):  # binary-search the fewer values in the longer array
            at = np.searchsorted(self.docs, within)
            inside = at < len(self.docs)
            at = at[inside]
            return at[self.docs[at] == within[inside]]
        return np.flatnonzero(members(self.docs, within))

    def positions(self, wanted: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of every occurrence in the postings ``wanted`` (all when None).

        The packed positions are read with one ``numpy.frombuffer`` over the whole blob, not
        a numpy call per posting: those cost more than the decoding at 100,000 articles.
        """
        docs, starts, ends = ((self.docs, self.starts, self.ends) if wanted is None
                              else (self.docs[wanted], self.starts[wanted], self.ends[wanted]))
        if not len(docs):
            return _EMPTY_DOCS, _EMPTY_DOCS
        blob = self.blob
        sizes = ends - starts
        if (sizes & 1).any():  # a posting past 65,535 words (uint32 after a 0 byte): one at a time
            unpacked = [np.asarray(decode_positions(blob[a:b]), dtype=np.int64)
                        for a, b in zip(starts.tolist(), ends.tolist())]
            counts = np.fromiter(map(len, unpacked), dtype=np.int64, count=len(unpacked))
            return np.repeat(docs, counts), np.concatenate(unpacked)
        counts = sizes // 2
        if (starts & 1).any():  # misaligned by a wide posting before: gather bytes, then read them as uint16
            index = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
            places = np.frombuffer(np.frombuffer(blob, dtype=np.uint8)[index].tobytes(), dtype="<u2")
        else:
            first = starts // 2
            index = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
            places = np.frombuffer(blob, dtype="<u2", count=len(blob) // 2)[index]
        return np.repeat(docs, counts), places.astype(np.int64)


def _uint32(values: Any) -> array:
    """A block's id gaps or value ends as ``array("I")`` (blocks store them as 16-bit arrays where they fit)."""
    return values if isinstance(values, array) and values.typecode == "I" else array("I", values)


def members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_set`` (sorted, unique): a binary search each, no sort."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_set, values)
    at[at == len(sorted_set)] = 0
    return sorted_set[at] == values


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
