"""Writing segments in bulk: each field's postings written at once, in Whoosh's own W3 layout.

Whoosh's writer puts every posting in a sorting pool as a tuple (spilling sorted runs to
disk past ``limitmb``) and at the commit writes them one call at a time, looking up the
document's field length for each: tens of microseconds a posting, and an article has
about 600 postings. :class:`BulkSegmentWriter` keeps everything else of Whoosh's
segment writer (stored fields, columns, field lengths, deletions, merges, the table of
contents) but collects postings as arrays in a :class:`~index.postings.TermPool` and
writes each field with :func:`write_field`: block and term statistics from array
reductions, one pickle a block, so every reader sees ordinary W3 segments. Blocks hold
16-bit id gaps and value ends where they fit (the index layout 3 of ``INDEX_FORMAT``).

Segments are written with postings of fewer than :data:`INLINE_LIMIT` documents kept in
the term table (most common-word grams occur in one or two articles), and merged by
:func:`merge_small_segments`, which never rewrites a large segment.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo, _lenfield
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from index.postings import SortedPostings, TermPool
from index.textfields import ArticleText, CommonWords

#: Postings of fewer documents than this live in the term table, not in a block of their own.
INLINE_LIMIT = 4
#: Postings in a block (W3's).
BLOCK_LIMIT = 128
#: Blocks of at least this many postings pickle their ids, weights and values packed (below it,
#: the packed objects' own pickling overhead outweighs what they save).
PACKED_BLOCK = 16
#: Segments with fewer documents are "small": merged together once there are enough of them.
SMALL_SEGMENT = 2_000
#: How many small segments may pile up before a commit merges them.
SMALL_SEGMENTS_KEPT = 10


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


#: A term info (W3's layout): inlined?, total weight, documents, min and max length bytes, max weight,
#: first and last document; then its inlined postings, pickled, or where its blocks are.
_TERM_INFO = W3TermInfo._struct
_EXTENT = struct.Struct("!qi")  #: offset and length of a term's blocks in the postings file
_BLOCK_SIZE = struct.Struct("!i")  #: a block's size (negative for a term's last block)
_KEY_LENGTHS = struct.Struct("!ii")
#: zlib level of posting blocks (W3's): the index a sixth smaller, for about a tenth of the build's CPU.
COMPRESSION = 3
#: Block bytes held before they are written to the postings file.
WRITE_BUFFER = 8 * 2**20


@dataclass
class _Blocks:
    """One field's postings cut into blocks (each term's every :data:`BLOCK_LIMIT`; an inlined term
    is one block), with every statistic W3 keeps for a block and a term, from array reductions.

    Lists, not arrays: the writer reads them an item at a time."""

    starts: list[int]  #: each block's first posting
    stops: list[int]
    min_length: list[int]  #: the smallest length byte of a block's documents (0: none)
    max_length: list[int]
    min_weight: list[float]
    max_weight: list[float]
    integral: list[bool]  #: all its weights fit a 16-bit integer
    term_blocks: list[int]  #: how many blocks each term has
    term_first_block: list[int]
    term_weight: list[float]
    term_max_weight: list[float]
    term_min_length: list[int]
    term_max_length: list[int]

    @classmethod
    def of(cls, postings: SortedPostings, lengths: np.ndarray | None) -> _Blocks:
        firsts, docs, weights = postings.firsts, postings.docs, postings.weights
        counts = np.diff(firsts)
        blocks = (counts + BLOCK_LIMIT - 1) // BLOCK_LIMIT
        first_block = np.cumsum(blocks) - blocks
        starts = np.repeat(firsts[:-1], blocks) + BLOCK_LIMIT * (np.arange(blocks.sum()) - np.repeat(first_block, blocks))
        held = lengths[docs] if lengths is not None else np.zeros(len(docs), dtype=np.uint8)
        min_length = np.minimum.reduceat(np.where(held > 0, held.astype(np.int64), 256), starts)  # 256: none
        max_length = np.maximum.reduceat(held, starts)
        max_weight = np.maximum.reduceat(weights, starts)
        integral = (weights == np.rint(weights)) & (weights >= 0) & (weights <= 0xFFFF)
        term_min_length = np.minimum.reduceat(min_length, first_block)
        return cls(
            starts.tolist(), np.append(starts[1:], len(docs)).tolist(), np.where(min_length == 256, 0, min_length).tolist(),
            max_length.tolist(), np.minimum.reduceat(weights, starts).tolist(), max_weight.tolist(),
            np.minimum.reduceat(integral, starts).tolist(),
            blocks.tolist(), first_block.tolist(),
            np.add.reduceat(np.add.reduceat(weights.astype(np.float64), starts), first_block).tolist(),
            np.maximum.reduceat(max_weight, first_block).tolist(),
            np.where(term_min_length == 256, 0, term_min_length).tolist(),
            np.maximum.reduceat(max_length, first_block).tolist())


def write_field(fields: Any, fieldname: str, field: Any, postings: SortedPostings, lengths: np.ndarray | None) -> None:
    """One field's postings into a W3 field writer, in W3's layout, the whole field at once.

    Per-posting work is array operations over the field; what is left in Python is a
    pickle a term (inlined postings, fewer than :data:`INLINE_LIMIT`) or a block (up to
    :data:`BLOCK_LIMIT`). W3's own writer pickled blocks with protocol 2, which stores
    each posting's positions as a latin-1 string rebuilt through ``codecs.encode``
    (about 20 bytes a posting); blocks here use the current protocol, and a block of
    :data:`PACKED_BLOCK` postings or more holds its ids, weights and values as one packed
    object each (arrays of id gaps and of weights, 16-bit where they fit, and
    :class:`PackedValues`), which W3's reader reads too. ``lengths`` are the documents'
    field length bytes (None for a field without them).
    """
    fields.start_field(fieldname, field)
    prefix = pack_ushort(fields._fieldid)
    blocks = _Blocks.of(postings, lengths)
    writer = _BlockWriter(postings, blocks, field.format.fixed_value_size())
    postfile = fields._postfile
    at = written = postfile.tell()
    out: list[bytes] = []
    keys: list[bytes] = []
    infos: list[bytes] = []
    docs, weights, ends, blob = writer.docs, writer.weights, writer.ends, postings.blob
    for t, (text, first, last) in enumerate(zip(postings.texts, postings.firsts[:-1].tolist(),
                                                postings.firsts[1:].tolist())):
        head = (blocks.term_weight[t], last - first, blocks.term_min_length[t], blocks.term_max_length[t],
                blocks.term_max_weight[t], docs[first], docs[last - 1])
        keys.append(prefix + text)
        if last - first < INLINE_LIMIT:
            bounds = [ends[first - 1] if first else 0] + ends[first:last]
            inlined = (tuple(docs[first:last]), tuple(weights[first:last]),
                       tuple(blob[a:z] for a, z in zip(bounds, bounds[1:])))
            infos.append(_TERM_INFO.pack(True, *head) + pickle.dumps(inlined, pickle.HIGHEST_PROTOCOL))
            continue
        start = at
        out.append(WHOOSH3_HEADER_MAGIC)
        at += len(WHOOSH3_HEADER_MAGIC)
        first_block = blocks.term_first_block[t]
        last_block = first_block + blocks.term_blocks[t] - 1
        for b in range(first_block, last_block + 1):
            size, info, data = writer.block(b, last=b == last_block)
            out += (size, info, data)
            at += len(size) + len(info) + len(data)
        infos.append(_TERM_INFO.pack(False, *head) + _EXTENT.pack(start, at - start))
        if at - written >= WRITE_BUFFER:
            postfile.write(b"".join(out))
            out, written = [], at
    postfile.write(b"".join(out))
    _add_terms(fields._tindex, keys, infos)
    fields.finish_field()


class _BlockWriter:
    """The bytes of one field's posting blocks, as W3 lays a block out: its size, a pickled header
    (postings, last document, max weight, compression, min and max length bytes), and its
    pickled ids, weights and values, compressed."""

    def __init__(self, postings: SortedPostings, blocks: _Blocks, fixed_size: int | None):
        self.blocks = blocks
        self.fixed_size = fixed_size
        self.blob = postings.blob
        self.docs = postings.docs.tolist()
        self.weights = postings.weights.tolist()
        self.ends = postings.ends.tolist()
        starts = np.asarray(blocks.starts, dtype=np.int64)
        gaps = postings.docs.astype(np.int64) - np.concatenate(([0], postings.docs[:-1]))  # W3's id gaps:
        gaps[starts] = postings.docs[starts]  # each block's first is its document
        self.gaps = gaps.tolist()
        self._max_gap = np.maximum.reduceat(gaps, starts).tolist()
        self._gaps16, self._gaps32 = gaps.astype(np.uint16).tobytes(), gaps.astype(np.uint32).tobytes()
        integral = np.rint(postings.weights)
        self._weights16 = np.where(integral == postings.weights, integral, 0).astype(np.uint16).tobytes()
        self._weights32 = postings.weights.astype(np.float32).tobytes()
        value_starts = np.concatenate(([0], postings.ends[:-1]))
        sizes = np.diff(np.append(blocks.starts, len(self.docs)))
        relative = postings.ends - np.repeat(value_starts[starts], sizes)
        self._ends16, self._ends32 = relative.astype(np.uint16).tobytes(), relative.astype(np.uint32).tobytes()

    def block(self, b: int, *, last: bool) -> tuple[bytes, bytes, bytes]:
        blocks = self.blocks
        a, z = blocks.starts[b], blocks.stops[b]
        packed = z - a >= PACKED_BLOCK
        if not packed:
            ids = tuple(self.gaps[a:z])
        elif self._max_gap[b] <= 0xFFFF:
            ids = array("H", self._gaps16[2 * a:2 * z])
        else:
            ids = array("I", self._gaps32[4 * a:4 * z])
        low, high = blocks.min_weight[b], blocks.max_weight[b]
        if low == high:
            weights = None if low == 1.0 else self.weights[a]
        elif not packed:
            weights = tuple(self.weights[a:z])
        elif blocks.integral[b]:
            weights = array("H", self._weights16[2 * a:2 * z])
        else:
            weights = array("f", self._weights32[4 * a:4 * z])
        base, top = self.ends[a - 1] if a else 0, self.ends[z - 1]
        if self.fixed_size == 0:
            values = None
        elif self.fixed_size is not None:
            values = self.blob[base:top]
        elif not packed:
            bounds = [base] + self.ends[a:z]
            values = tuple(self.blob[p:q] for p, q in zip(bounds, bounds[1:]))
        elif top - base <= 0xFFFF:
            values = PackedValues(self.blob[base:top], array("H", self._ends16[2 * a:2 * z]))
        else:
            values = PackedValues(self.blob[base:top], array("I", self._ends32[4 * a:4 * z]))
        data = pickle.dumps((ids, weights, values), pickle.HIGHEST_PROTOCOL)
        compression = COMPRESSION if len(data) >= 20 else 0  # what W3 meant (it overwrites its check)
        if compression:
            data = zlib.compress(data, compression)
        info = pickle.dumps((z - a, self.docs[z - 1], high, compression, blocks.min_length[b], blocks.max_length[b]),
                            pickle.HIGHEST_PROTOCOL)
        size = len(info) + len(data)
        return _BLOCK_SIZE.pack(-size if last else size), info, data


def _add_terms(table: Any, keys: list[bytes], values: list[bytes]) -> None:
    """Whoosh's ``OrderedHashWriter.add`` for many (key, value) pairs in order, written at once."""
    if not keys:
        return
    if keys[0] <= table.lastkey:
        raise ValueError(f"Keys must increase: {table.lastkey!r}..{keys[0]!r}")
    at = table.dbfile.tell()
    hashed, buckets, index = table.hashfn, table.buckets, table.index
    out: list[bytes] = []
    for key, value in zip(keys, values):
        index.append(at)
        h = hashed(key)
        buckets[h & 255].append((h, at))
        out += (_KEY_LENGTHS.pack(len(key), len(value)), key, value)
        at += _KEY_LENGTHS.size + len(key) + len(value)
    table.dbfile.write(b"".join(out))
    table.lastkey = keys[-1]


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a :class:`TermPool`, writing each field's postings at once."""

    def __init__(self, ix: Any, **kwargs: Any):
        super().__init__(ix, codec=W3Codec(), **kwargs)
        self.pool = TermPool()

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document`` for this schema: title and body terms go to the pool a field
        at a time (:meth:`TermPool.add_words`, :meth:`TermPool.add_common`), other fields a posting at a time."""
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
                if isinstance(field, ArticleText):
                    length = pool.add_words(name, docnum, value, field.format.field_boost)
                elif isinstance(field, CommonWords):
                    pool.add_common(name, docnum, value)
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
        for fieldname, postings in self.pool.fields():
            field = self.schema[fieldname]
            write_field(self.fieldwriter, fieldname, field, postings,
                        _length_bytes(lengths, fieldname) if field.scorable else None)
        self.fieldwriter.close()
        lengths.close()


def _length_bytes(perdoc: Any, fieldname: str) -> np.ndarray | None:
    """Each document's length in the field as Whoosh stores it (a byte: its logarithmic approximation)."""
    name = _lenfield(fieldname)
    if not perdoc.has_column(name):
        return None
    column = perdoc.column_reader(name, LENGTHS_COLUMN)
    raw = np.zeros(perdoc.doc_count_all(), dtype=np.uint8)
    count = min(column._count, len(raw))
    raw[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
    return raw


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
