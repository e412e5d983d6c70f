"""Writing segments in bulk: postings gathered in flat arrays, written term by term in whole blocks.

Whoosh's writer puts every posting in a sorting pool as a tuple (spilling sorted runs to
disk past ``limitmb``) and at the commit writes them one call at a time, looking up the
document's field length for each: tens of microseconds a posting, and an article has
about 600 postings. :class:`BulkSegmentWriter` keeps everything else of Whoosh's
segment writer (stored fields, columns, field lengths, deletions, merges, the table of
contents) but collects postings in a :class:`TermPool` (five flat arrays, one entry a
posting) and writes each term's postings as whole blocks of Whoosh's own W3 format, so
every reader sees ordinary segments.

Segments are written with postings of fewer than :data:`INLINE_LIMIT` documents kept in
the term table (most common-word grams occur in one or two articles), and merged by
:func:`merge_small_segments`, which never rewrites a large segment.
"""

from __future__ import annotations

import pickle
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain, repeat
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter, W3TermInfo,
                                  _lenfield)
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from index.analysis import encode_positions
from index.textfields import ArticleText, CommonWords

#: Postings of fewer documents than this live in the term table, not in a block of their own.
INLINE_LIMIT = 4
#: Blocks of at least this many postings pickle their ids, weights and values packed (below it,
#: the packed objects' own pickling overhead outweighs what they save).
PACKED_BLOCK = 16
#: Segments with fewer documents are "small": merged together once there are enough of them.
SMALL_SEGMENT = 2_000
#: How many small segments may pile up before a commit merges them.
SMALL_SEGMENTS_KEPT = 10

_LITTLE_ENDIAN = sys.byteorder == "little"
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


class PackedValues(Sequence):
    """A block's posting values (positions) as one buffer and where each ends.

    W3 stores a tuple of bytes, one object per posting to pickle and unpickle; this
    pickles as two objects, Whoosh's reader indexes it like the tuple, and the executor
    reads the buffer with one ``numpy.frombuffer`` (:meth:`~index.arrays.SearchArrays.positions`).
    """

    __slots__ = ("blob", "ends")

    def __init__(self, blob: bytes, ends: array):
        self.blob = blob
        self.ends = ends  #: array("I") of end offsets in ``blob``

    @classmethod
    def of(cls, values: Sequence[bytes]) -> PackedValues:
        return values if isinstance(values, PackedValues) else cls(b"".join(values), array("I", accumulate(map(len, values))))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i):
        if isinstance(i, slice):
            first, last, _ = i.indices(len(self.ends))
            base = self.ends[first - 1] if first else 0
            top = self.ends[last - 1] if last > first else base
            return PackedValues(self.blob[base:top], array("I", (e - base for e in self.ends[first:last])))
        i = i + len(self.ends) if i < 0 else i
        return self.blob[self.ends[i - 1] if i else 0:self.ends[i]]

    def __reduce__(self):
        return PackedValues, (self.blob, self.ends)


class ArticleTermInfo(W3TermInfo):
    """W3's term info, its inlined postings pickled with the current protocol (see below)."""

    def to_bytes(self):
        if not self.is_inlined():
            return super().to_bytes()
        fixed = self._struct.pack(True, self._weight, self._df,
                                  0 if self._minlength is None else length_to_byte(self._minlength),
                                  length_to_byte(self._maxlength), self._maxweight,
                                  0xFFFFFFFF if self._minid is None else self._minid,
                                  0xFFFFFFFF if self._maxid is None else self._maxid)
        return fixed + pickle.dumps(self._inlined, pickle.HIGHEST_PROTOCOL)


class ArticlePostingsWriter(W3PostingsWriter):
    """W3's postings writer with these repairs, its blocks still read by W3's reader.

    - W3 pickles blocks with protocol 2, which stores each posting's value (its
      positions) as a latin-1 string rebuilt through ``codecs.encode``: about 20 bytes
      of overhead a posting, three quarters of the postings' size. Blocks here use the
      current protocol, and a block's ids, weights and values are each one packed
      object (an array of id gaps, an array of 16-bit weights, :class:`PackedValues`)
      instead of 128 small ones: smaller, and quick to unpickle.
    - Small postings can be inlined: whoosh-reloaded 2.7.5 calls ``set_inline`` on a
      term info that only has ``set_inlined``, so any ``inlinelimit`` above 1 fails.
    """

    def start_postings(self, format_, terminfo):
        super().start_postings(format_, ArticleTermInfo())

    def _mini_ids(self):
        if len(self._ids) < PACKED_BLOCK:
            return super()._mini_ids()
        ids = np.frombuffer(self._ids, dtype=np.uint32)
        return array("I", np.diff(ids, prepend=np.uint32(0)).astype(np.uint32).tobytes())

    def _mini_values(self):
        if len(self._values) >= PACKED_BLOCK and self._format.fixed_value_size() is None:
            return PackedValues.of(self._values)
        return super()._mini_values()

    def _mini_weights(self):
        weights = self._weights
        if len(weights) < PACKED_BLOCK or all(w == weights[0] for w in weights):
            return super()._mini_weights()
        if all(w.is_integer() and 0 <= w <= 0xFFFF for w in weights):
            return array("H", map(int, weights))
        return array("f", weights)

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), pickle.HIGHEST_PROTOCOL)
        compression = self._compression if len(data) >= 20 else 0  # what W3 meant (it overwrites its check)
        if compression:
            data = zlib.compress(data, compression)
        info = pickle.dumps((len(self._ids), self._ids[-1], self._maxweight, compression,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)),
                            pickle.HIGHEST_PROTOCOL)
        self._postfile.write_int(-(len(info) + len(data)) if last else len(info) + len(data))
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def finish_postings(self):
        if not self.written() and len(self) < self._inlinelimit:
            terminfo, self._terminfo = self._terminfo, None
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            return terminfo
        return super().finish_postings()


class ArticleCodec(W3Codec):
    """Whoosh's W3 codec with postings of fewer than :data:`INLINE_LIMIT` documents inlined
    (pickled with each segment into the table of contents, so readers use it too)."""

    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile, byteids=False):
        return ArticlePostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                      compression=self._compression, inlinelimit=self._inlinelimit)


class TermPool:
    """Postings in arrival order, in flat arrays (Whoosh's PostingPool interface: ``add``, ``cleanup``)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, bytes], int] = {}  #: (field, term) -> term number
        self._keys: list[tuple[str, bytes]] = []
        self._term = array("I")
        self._doc = array("I")
        self._weight = array("f")
        self._end = array("Q")  #: where each posting's value ends in ``_values``
        self._values = bytearray()

    def _number(self, key: tuple[str, bytes]) -> int:
        number = self._ids.get(key)
        if number is None:
            number = self._ids[key] = len(self._keys)
            self._keys.append(key)
        return number

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (Whoosh's writer and merges call this)."""
        fieldname, btext, docnum, weight, value = item
        self._term.append(self._number((fieldname, btext)))
        self._doc.append(docnum)
        self._weight.append(weight)
        if value:
            self._values += value
        self._end.append(len(self._values))

    def add_places(self, fieldname: str, docnum: int, places: dict[str, list[int]], boost: float) -> int:
        """Every term of one document's field, with its positions; returns the field's length."""
        if not places:
            return 0
        number = self._number
        self._term.extend([number((fieldname, term.encode("utf-8"))) for term in places])
        self._doc.extend(repeat(docnum, len(places)))
        counts = [len(p) for p in places.values()]
        self._weight.extend([n * boost for n in counts])
        start = len(self._values)
        if max(p[-1] for p in places.values()) <= 0xFFFF:
            packed = array("H", chain.from_iterable(places.values()))
            if not _LITTLE_ENDIAN:
                packed.byteswap()
            self._values += packed.tobytes()
            self._end.extend(accumulate([start + 2 * counts[0]] + [2 * n for n in counts[1:]]))
        else:
            for p in places.values():
                self._values += encode_positions(p)
                self._end.append(len(self._values))
        return sum(counts)

    def cleanup(self) -> None:
        self.__init__()

    def terms(self) -> Iterator[tuple[str, bytes, Any, Any, Any]]:
        """(field, term, docnums, weights, values) for every term, sorted by field and term: lists for
        terms of fewer than :data:`INLINE_LIMIT` postings (kept in the term table), arrays and
        :class:`PackedValues` for the others."""
        if not self._keys:
            return
        sorted_terms = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        by_rank = [self._keys[i] for i in sorted_terms]
        rank = np.empty(len(self._keys), dtype=np.int64)
        rank[sorted_terms] = np.arange(len(self._keys))
        ranks = rank[np.frombuffer(self._term, dtype=np.uint32)]
        order = np.argsort(ranks, kind="stable")  # a term's postings stay in document order
        bounds = np.flatnonzero(np.diff(ranks[order])) + 1
        docs = np.frombuffer(self._doc, dtype=np.uint32)[order]
        weights = np.frombuffer(self._weight, dtype=np.float32)[order]
        ends = np.frombuffer(self._end, dtype=np.uint64).astype(np.int64)
        starts = np.concatenate(([0], ends[:-1]))[order].tolist()
        ends = ends[order].tolist()
        values = memoryview(bytes(self._values))
        firsts = np.concatenate(([0], bounds)).tolist()
        lasts = np.concatenate((bounds, [len(order)])).tolist()
        for rank_, (first, last) in enumerate(zip(firsts, lasts)):
            fieldname, btext = by_rank[rank_]
            found = [bytes(values[s:e]) for s, e in zip(starts[first:last], ends[first:last])]
            if last - first < INLINE_LIMIT:
                yield fieldname, btext, docs[first:last].tolist(), weights[first:last].tolist(), found
            else:
                yield fieldname, btext, docs[first:last], weights[first:last], PackedValues.of(found)


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a :class:`TermPool` and block-at-a-time posting writes."""

    def __init__(self, ix: Any, **kwargs: Any):
        super().__init__(ix, codec=ArticleCodec(), **kwargs)
        self.pool = TermPool()

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document`` for this schema: title and body terms go to the pool a field
        at a time (:meth:`TermPool.add_places`), other fields a posting at a time."""
        self._check_state()
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(self.schema, names)
        perdoc, pool, docnum = self.perdocwriter, self.pool, self.docnum
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = self.schema[name]
                length = 0
                if isinstance(field, (ArticleText, CommonWords)):
                    length = pool.add_places(name, docnum, field.places(value), field.format.field_boost)
                    length = length if field.scorable else 0
                elif field.indexed:
                    for btext, frequency, weight, vbytes in field.index(value):
                        length += frequency if field.scorable else 0
                        pool.add((name, btext, docnum, weight, vbytes))
                if field.separate_spelling():
                    spelling = field.spelling_fieldname(name)
                    for word in field.spellable_words(value):
                        pool.add((spelling, word.encode("utf-8"), 0, 1.0, b""))
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        fields = self.fieldwriter
        current = None
        field_lengths: np.ndarray | None = None
        for fieldname, btext, docs, weights, values in self.pool.terms():
            if fieldname != current:
                if current is not None:
                    fields.finish_field()
                current = fieldname
                fields.start_field(fieldname, self.schema[fieldname])
                field_lengths = _field_lengths(lengths, fieldname) if self.schema[fieldname].scorable else None
            if isinstance(docs, list):  # a few postings: straight into the term table
                fields._tindex.add(pack_ushort(fields._fieldid) + btext,
                                   _inlined(docs, weights, values, field_lengths).to_bytes())
                continue
            fields.start_term(btext)
            _write_postings(fields._postwriter, docs, weights, values, field_lengths)
            fields.finish_term()
        if current is not None:
            fields.finish_field()
        fields.close()
        lengths.close()


def _inlined(docs: list[int], weights: list[float], values: list[bytes], lengths: np.ndarray | None
             ) -> ArticleTermInfo:
    """The term info of postings kept in the term table, with the statistics W3 keeps for them."""
    held = [n for n in (lengths[docs].tolist() if lengths is not None else ()) if n]
    info = ArticleTermInfo(sum(weights), len(docs), min(held) if held else None, max(held) if held else 0,
                           max(weights), docs[0], docs[-1])
    info._inlined = (tuple(docs), tuple(weights), tuple(values))
    return info


def _field_lengths(perdoc: Any, fieldname: str) -> np.ndarray | None:
    """Each document's length in the field, as Whoosh decodes it (block statistics use them)."""
    name = _lenfield(fieldname)
    if not perdoc.has_column(name):
        return None
    column = perdoc.column_reader(name, LENGTHS_COLUMN)
    raw = np.zeros(perdoc.doc_count_all(), dtype=np.uint8)
    count = min(column._count, len(raw))
    raw[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
    return _LENGTHS[raw]


def _write_postings(writer: Any, docs: np.ndarray, weights: np.ndarray, values: PackedValues,
                    lengths: np.ndarray | None) -> None:
    """One term's postings into a W3 postings writer, a block at a time; the last block (or the
    inlined postings) is left for ``finish_term``."""
    size = writer._blocklimit
    for start in range(0, len(docs), size):
        end = min(len(docs), start + size)
        ids = array("I")
        ids.frombytes(docs[start:end].astype(np.uint32).tobytes())
        block_weights = array("f")
        block_weights.frombytes(weights[start:end].astype(np.float32).tobytes())
        writer._ids, writer._weights, writer._values = ids, block_weights, values[start:end]
        writer._maxweight = float(weights[start:end].max())
        if lengths is not None:
            held = lengths[docs[start:end]]
            held = held[held > 0]
            writer._minlength = int(held.min()) if len(held) else None
            writer._maxlength = int(held.max()) if len(held) else 0
        if end < len(docs):
            writer._write_block()


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy: once :data:`SMALL_SEGMENTS_KEPT` small segments pile up, merge them into the
    new one; larger segments are never rewritten (a merge reads every posting in Python)."""
    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS_KEPT:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]
