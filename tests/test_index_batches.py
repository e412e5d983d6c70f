"""Incremental indexing: whatever the order of events in and across batches, the last version wins.

Whoosh's ``update_document`` and ``delete_by_term`` only reach committed segments, so a
change to a document added earlier in the same uncommitted batch used to do nothing:
a partner copy re-keyed to the article's own page, or a revision stored in the same
batch as the first version, left a second document behind. Each case runs through the
crawl's writers (BatchWriter and the BackgroundWriter process) with batches of one
change (every event in its own commit), two, and a whole batch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import ArticleIndex, BackgroundWriter
from tests.test_index import record

#: The partner copy (id from its own URL) and the article's own page (id from its canonical URL).
COPY = record("partnercopy", url="https://partner.example/story/", title="Harbour bridge reopens",
              text="The harbour bridge reopened on Monday.", published=None)
ORIGINAL = record("ownpage", url="https://news.example.com/2018/07/05/bridge/", title="Harbour bridge reopens",
                  text="The harbour bridge reopened on Monday.", authors=["Ann Lee"])
REVISED = record("ownpage", url="https://news.example.com/2018/07/05/bridge/", title="Harbour bridge reopens",
                 text="The harbour bridge reopened on Monday after a correction: Tuesday.", authors=["Ann Lee"],
                 revisions=[{"text": "The harbour bridge reopened on Monday."}])
MERGED = dict(ORIGINAL, urls=["https://news.example.com/2018/07/05/bridge/", "https://partner.example/story/"])

#: (name, events, the ids the index must end with, the text of the version that must win)
SEQUENCES = [
    ("copy first, then the article's own page", [("upsert", COPY), ("delete", "partnercopy"), ("upsert", ORIGINAL)],
     ["ownpage"], ORIGINAL["text"]),
    ("own page first, then the copy merged into it", [("upsert", ORIGINAL), ("upsert", MERGED)],
     ["ownpage"], ORIGINAL["text"]),
    ("a revision after the first version", [("upsert", ORIGINAL), ("upsert", REVISED)], ["ownpage"], REVISED["text"]),
    ("copy, own page, then a revision", [("upsert", COPY), ("delete", "partnercopy"), ("upsert", ORIGINAL),
                                         ("upsert", REVISED)], ["ownpage"], REVISED["text"]),
    ("deleted after being added", [("upsert", COPY), ("delete", "partnercopy")], [], None),
    ("deleted, then stored again", [("upsert", ORIGINAL), ("delete", "ownpage"), ("upsert", REVISED)],
     ["ownpage"], REVISED["text"]),
]
BATCH_SIZES = [1, 2, 500]  # every event its own commit; pairs; one batch for everything


def apply(writer, events) -> None:
    for kind, value in events:
        if kind == "upsert":
            writer.upsert(value)
        else:
            writer.delete(value)


def check(index_dir: Path, expected_ids: list[str], text: str | None) -> None:
    ix = ArticleIndex.open(index_dir)
    try:
        assert sorted(ix.ids()) == expected_ids
        assert ix.doc_count() == len(expected_ids)
        found = ix.search("harbour bridge", limit=10)
        assert found.total == len(expected_ids) and [h.id for h in found.hits] == expected_ids
        if text is not None:  # the winning version is the one indexed (its words match, the others' don't)
            assert ix.search(f'"{text.rstrip(".")}"').total == 1
            assert ix.search("tuesday").total == (1 if "Tuesday" in text else 0)
    finally:
        ix.close()


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("name, events, expected_ids, text", SEQUENCES, ids=[s[0] for s in SEQUENCES])
def test_batch_writer_last_version_wins(tmp_path: Path, name, events, expected_ids, text, batch_size) -> None:
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    with ix.writer(batch_size=batch_size) as writer:
        apply(writer, events)
    ix.close()
    check(tmp_path / "index", expected_ids, text)


@pytest.mark.parametrize("batch_size", [1, 500])
@pytest.mark.parametrize("name, events, expected_ids, text", SEQUENCES, ids=[s[0] for s in SEQUENCES])
def test_background_writer_last_version_wins(tmp_path: Path, name, events, expected_ids, text, batch_size) -> None:
    writer = BackgroundWriter(tmp_path / "index", batch_size=batch_size)
    apply(writer, events)
    writer.close()
    check(tmp_path / "index", expected_ids, text)


def test_events_split_across_writers_and_commits(tmp_path: Path) -> None:
    """The copy committed by one crawl, its re-key and a revision in one batch of the next."""
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    with ix.writer() as writer:
        writer.upsert(COPY)
    with ix.writer() as writer:
        apply(writer, [("delete", "partnercopy"), ("upsert", ORIGINAL), ("upsert", REVISED), ("upsert", REVISED)])
    ix.close()
    check(tmp_path / "index", ["ownpage"], REVISED["text"])


def test_an_explicit_commit_in_the_middle_of_a_batch(tmp_path: Path) -> None:
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    with ix.writer() as writer:
        writer.upsert(COPY)
        writer.upsert(ORIGINAL)
        writer.commit()
        writer.delete("partnercopy")
        writer.upsert(REVISED)
    ix.close()
    check(tmp_path / "index", ["ownpage"], REVISED["text"])


def test_small_segments_are_merged_and_large_ones_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each crawl commit adds a small segment; once enough pile up they are merged into one,
    but a segment past the small size (a rebuild's) is never rewritten."""
    from index import bulk, rebuild

    monkeypatch.setattr(bulk, "SMALL_SEGMENT", 5)
    monkeypatch.setattr(bulk, "SMALL_SEGMENTS_KEPT", 3)
    rebuild(tmp_path / "index", [record(f"big{i}", text=f"harbour bridge report {i}") for i in range(8)], procs=1)
    ix = ArticleIndex.open(tmp_path / "index")
    sizes = []
    for n in range(4):
        with ix.writer() as writer:
            writer.upsert(record(f"small{n}", text=f"the war on terror, part {n}"))
            writer.upsert(dict(COPY, id=f"copy{n}"))
        sizes.append(sorted(s.doc_count_all() for s in ix._ix._segments()))
    assert sizes[:3] == [[2, 8], [2, 2, 8], [2, 2, 2, 8]]
    assert sizes[3] == [8, 8]  # three small ones were there: merged into the new one; the large one untouched
    assert ix.doc_count() == 16 and ix.search('"the war on terror"').total == 4
    assert ix.search('"harbour bridge reopens"').total == 4 and ix.search("report").total == 8
    ix.close()
