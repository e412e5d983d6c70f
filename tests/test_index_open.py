"""Opening an index for search reads its segments in place.

Whoosh opens each file inside a compound segment as ``BytesIO`` over a view of the
mmap, which copies it: a searcher held a copy of every segment's postings and stored
fields (1.5 GB at 100,000 articles) before its first hit. Segments are mapped once and
their files read in place instead; these tests check that no segment file is held as
a copy, with or without a batch writer at work.
"""

from __future__ import annotations

from pathlib import Path

from whoosh.filedb.structfile import BufferFile

from index import ArticleIndex, rebuild
from tests.test_index import record


def segment_files(index: ArticleIndex) -> list:
    """The postings and stored-field files the current searcher's segment readers hold."""
    found = []

    def collect(arrays) -> None:
        for segment, _ in arrays.segments:
            found.append(segment._terms._postfile)
            found.append(segment._perdoc._get_column_file("_stored"))

    index.read(collect)
    return found


def test_a_searcher_reads_segments_without_copying_them(tmp_path: Path) -> None:
    records = [record(f"r{n}", text=f"council vote number {n} on the harbour") for n in range(40)]
    rebuild(tmp_path / "index", records, procs=2, segment_docs=15)
    with ArticleIndex.open(tmp_path / "index") as index:
        assert index.search("harbour").total == 40
        files = segment_files(index)
        assert len(files) >= 4 and not any(type(f) is BufferFile for f in files)  # Whoosh's copying kind


def test_the_batch_writer_reads_segments_without_copying_them(tmp_path: Path) -> None:
    with ArticleIndex.open(tmp_path / "index", create=True) as index:
        with index.writer(batch_size=10) as writer:
            for n in range(25):
                writer.upsert(record(f"r{n}", text=f"council vote number {n}"))
        assert index.search("council").total == 25
        assert not any(type(f) is BufferFile for f in segment_files(index))
