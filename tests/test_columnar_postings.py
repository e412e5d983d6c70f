"""The columnar segment writer indexes exactly what the analyser reads, however a segment is built.

Every posting of the title and body fields (their words, and their common words and
grams) is read back from a real index and compared with a plain reading of each text
(:class:`~index.analysis.Analysis`'s per-word dicts, which share nothing with the token
table, the sorting or the block layout): the same terms, the same documents, the same
positions in order, the same weights. The texts are shaped like what publishers put out
and what the layout has to survive: accents and other scripts, dotted abbreviations,
numbers, a common word ending a text, an empty body, a word on every line of a long
liveblog (a posting list whose block of positions passes 64 KB), and a transcript past
65,535 words (positions stored wide).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import ArticleIndex, rebuild
from index.analysis import analyse
from index.arrays import SearchArrays
from index.schema import build_schema
from index.storage import INDEX_NAME
from tests.test_index import record

TEXTS = [
    "Łukasz Müller-Brandt spoke in Zürich about the 2018 budget; the U.S. and the E.U. said no.",
    "東京 reporters met Ayşe Öztürk. The budget of 2018 was cut by 4.5 per cent, and the",
    "Breaking: one of the most important votes of the year. Update 12:45 — the mayor resigned",
    "Sunny weather is expected; no contract disputes this week. One of the most pleasant winters.",
]


def liveblog(n: int) -> str:
    """A long live page: the same words in every update ("council" twice: 4 bytes of positions an update)."""
    return " ".join(f"Update {i}: the council vote on the harbour bridge, the council said." for i in range(n))


def corpus() -> list[dict]:
    records = [record(f"t{n:03d}", title=TEXTS[(n + 1) % len(TEXTS)], text=TEXTS[n % len(TEXTS)],
                      description="Live: the latest" if n % 5 == 0 else None) for n in range(12)]
    records += [record(f"live{n:03d}", title=f"Live: council vote, day {n}", text=liveblog(130)) for n in range(130)]
    records.append(record("empty", title="Of the", text=""))
    records.append(record("transcript", title="Full transcript",
                          text=" ".join(["the hearing resumed", *("and the witness said nothing" for _ in range(14_000)),
                                         "zebra of the end"])))
    return records


def expected_postings(records: list[dict]) -> dict[tuple[str, str, str], list[int]]:
    """(field, term, id) -> positions, from reading each text word by word."""
    expected = {}
    for item in records:
        body = analyse(f"{item['description']}\n\n{item['text']}" if item["description"] else item["text"])
        for field, analysis in (("title", analyse(item["title"])), ("body", body)):
            for suffix, places in (("", analysis.words), ("_common", analysis.common)):
                for term, positions in places.items():
                    expected[(field + suffix, term, item["id"])] = positions
    return expected


def indexed_postings(ix: ArticleIndex) -> tuple[dict[tuple[str, str, str], list[int]], dict[tuple[str, str, str], float]]:
    """(field, term, id) -> positions and -> weight, read back through the executor's arrays."""
    positions, weights = {}, {}

    def read(arrays: SearchArrays) -> None:
        searcher = arrays.searcher
        ids = [searcher.stored_fields(n)["id"] for n in range(arrays.size)]
        for field, btext in searcher.reader().all_terms():
            if field not in ("title", "body", "title_common", "body_common"):
                continue
            docs, places = arrays.positions(field, btext)
            term = btext.decode("utf-8")
            for doc in np.unique(docs).tolist():
                positions[(field, term, ids[doc])] = places[docs == doc].tolist()
            held, weight = arrays.postings(field, btext)
            for doc, value in zip(held.tolist(), weight.tolist()):
                weights[(field, term, ids[doc])] = value

    ix.read(read)
    return positions, weights


def boost(field: str) -> float:
    return build_schema()[field].format.field_boost


@pytest.mark.parametrize("procs, segment_docs", [(1, 10_000), (2, 40)])
def test_rebuild_indexes_every_word_where_the_analyser_reads_it(tmp_path: Path, procs: int, segment_docs: int) -> None:
    records = corpus()
    rebuild(tmp_path / "index", iter(records), procs=procs, segment_docs=segment_docs)
    with ArticleIndex.open(tmp_path / "index") as ix:
        positions, weights = indexed_postings(ix)
    expected = expected_postings(records)
    assert positions == expected
    assert weights == {key: len(places) * boost(key[0]) for key, places in expected.items()}
    assert max(max(places) for key, places in expected.items() if key[2] == "transcript") > 0xFFFF  # wide positions


def test_batches_and_merges_index_every_word_where_the_analyser_reads_it(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawl's path: small commits, then a merge that joins new documents' words with the
    postings of the segments it merges (one term from both sides)."""
    from index import bulk

    monkeypatch.setattr(bulk, "SMALL_SEGMENTS_KEPT", 3)
    monkeypatch.setattr(bulk, "WRITE_BUFFER", 1)  # each term's blocks written as they are made
    records = corpus()[:16]
    with ArticleIndex.open(tmp_path / "index", create=True) as ix:
        for start in range(0, len(records), 4):
            with ix.writer() as writer:
                for item in records[start:start + 4]:
                    writer.upsert(item)
        assert len(ix._ix._segments()) < 4  # a merge happened
        positions, weights = indexed_postings(ix)
    expected = expected_postings(records)
    assert positions == expected
    assert weights == {key: len(places) * boost(key[0]) for key, places in expected.items()}


def test_a_block_of_positions_past_64_kb_keeps_its_ends(tmp_path: Path) -> None:
    """128 live pages of one council vote: one block of "council" postings holds more than 64 KB of
    positions, so its value ends cannot be 16-bit; phrases across it still match every page."""
    records = corpus()
    rebuild(tmp_path / "index", iter(records), procs=1)
    with ArticleIndex.open(tmp_path / "index") as ix:
        def first_block_size(arrays: SearchArrays) -> int:
            (_, _, _, values), *_ = arrays._blocks("body", b"council")
            return len(values.blob)

        assert ix.read(first_block_size) > 0xFFFF
        assert ix.search('"the council vote on the harbour bridge"').total == 130
        assert ix.search('"the council said"', limit=200).total == 130


def test_an_index_of_the_previous_block_layout_says_to_reindex(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    from index.errors import IndexUnavailable

    (tmp_path / "index").mkdir()
    old = build_schema()
    old.article_format = 2  # 32-bit id gaps and value ends in every block
    FileStorage(str(tmp_path / "index")).create_index(old, indexname=INDEX_NAME)
    with pytest.raises(IndexUnavailable, match="older version.*archiver reindex"):
        ArticleIndex.open(tmp_path / "index")
