"""The crawl's index writers: the background writer process, and memory the batch writer must not keep."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from index.errors import IndexUnavailable
from index import ArticleIndex
from index.writer import BackgroundWriter, IndexWriterFailed
from tests.test_index import record


def test_background_writer_reports_each_commit_and_keeps_order(tmp_path: Path) -> None:
    writer = BackgroundWriter(tmp_path / "index", batch_size=2)
    for i in range(5):
        writer.upsert(record(f"a{i}", text=f"contract number {i}"))
    writer.delete("a0")
    writer.upsert(record("a1", text="replaced text about weather"))
    reported = writer.committed() + writer.close()
    assert sorted(reported) == ["a0", "a1", "a1", "a2", "a3", "a4"]
    assert writer.committed() == [] and writer.close() == []  # closed: nothing more, and no error
    ix = ArticleIndex.open(tmp_path / "index")
    assert sorted(h.id for h in ix.search("contract", limit=10).hits) == ["a2", "a3", "a4"]
    assert [h.id for h in ix.search("weather").hits] == ["a1"]
    ix.close()


def test_background_writer_waits_for_the_lock_then_fails(tmp_path: Path) -> None:
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    holder = ix.writer()
    with pytest.raises(IndexUnavailable, match="locked by another writer"):
        BackgroundWriter(tmp_path / "index", lock_timeout=0.5)
    holder.close()
    BackgroundWriter(tmp_path / "index", lock_timeout=0.5).close()
    ix.close()


def test_a_dead_background_writer_is_reported_not_hung(tmp_path: Path) -> None:
    writer = BackgroundWriter(tmp_path / "index", batch_size=100)
    writer.upsert(record("lost"))
    writer._process.kill()
    with pytest.raises(IndexWriterFailed, match="died"):
        writer.close()
    with pytest.raises(IndexWriterFailed):
        writer.upsert(record("later"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_batch_writer_keeps_no_segment_mapped(tmp_path: Path) -> None:
    """Mapped segments counted in the crawl's RSS, old and deleted ones included, until a GC ran."""
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    with ix.writer(batch_size=3) as writer:
        for i in range(20):
            writer.upsert(record(f"m{i}", text=f"contract number {i}"))
    mapped = [line for line in Path("/proc/self/maps").read_text().splitlines() if str(tmp_path) in line]
    assert mapped == []
    ix.close()


def test_a_batch_deletes_and_replaces_its_own_pending_documents(tmp_path: Path) -> None:
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    with ix.writer(batch_size=100) as writer:
        writer.upsert(record("copy", text="contract signed"))
        writer.delete("copy")  # its original was found later in the same crawl
        writer.upsert(record("story", text="contract first draft"))
        writer.upsert(record("story", text="contract final text"))
    assert sorted(h.id for h in ix.search("contract", limit=10).hits) == ["story"]
    ix.close()
