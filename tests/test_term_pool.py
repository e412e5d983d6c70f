"""The bulk writer's term pool numbers each (field, term) once, whichever way its postings arrive.

A commit that merges small segments gets the new documents' terms from the analyser
(text) and the merged segments' terms from their postings (bytes). If the two paths
numbered the same term apart, the merged segment would hold the term twice and a search
would find only one half of its documents. Terms here are non-ASCII too (folded accents,
other scripts, numbers), where text and bytes differ most.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from index import ArticleIndex
from index.analysis import WORD_RE, analyse_word
from tests.test_index import record

TEXTS = [
    "Łukasz Müller-Brandt spoke in Zürich about the 2018 budget",
    "東京 reporters met Ayşe Öztürk; the budget of 2018 was cut",
    "Zürich and 東京: the budget talks of Müller-Brandt went on",
]


def test_merged_segment_holds_each_term_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from index import bulk

    monkeypatch.setattr(bulk, "SMALL_SEGMENTS_KEPT", 3)
    records = [record(f"a{n}", title=TEXTS[(n + 1) % 3], text=TEXTS[n % 3], authors=["José Núñez"])
               for n in range(4)]
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    for item in records:  # one commit each: the fourth merges the three before it
        with ix.writer() as writer:
            writer.upsert(item)
    segments = ix._ix._segments()
    assert len(segments) == 1 and segments[0].doc_count_all() == 4
    with ix._ix.reader() as reader:
        terms = Counter(reader.all_terms())
        assert [term for term, seen in terms.items() if seen > 1] == []
        expected = Counter(term for item in records for term in
                           {term for term, common, _ in map(analyse_word, WORD_RE.findall(item["text"])) if not common})
        found = {term.decode(): reader.doc_frequency("body", term) for field, term in terms if field == "body"}
        assert found == dict(expected)
    assert ix.search("zürich").total == 4 and ix.search("東京").total == 4 and ix.search('author:"José Núñez"').total == 4
    ix.close()
