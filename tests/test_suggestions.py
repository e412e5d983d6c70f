""""Did you mean" works however many segments the index is in: an archive grown by many
crawls (or by one crawl's many commits) has several, and a suggestion must not depend on
that. Titles are indexed stemmed ("residents" as "resid"); suggestions are whole words."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import ArticleIndex

from .test_index import record

RECORDS = [
    record("highway", title="Residents oppose the new highway", text="Residents packed the hearing on Monday."),
    record("council", title="Council delays the elections", text="The elections were delayed by a month."),
    record("flood", title="Flooding closes schools", text="Schools closed after the river flooded."),
]


@pytest.mark.parametrize("commits", ["one commit", "a commit per article"])
def test_did_you_mean_in_any_number_of_segments(tmp_path: Path, commits: str) -> None:
    ix = ArticleIndex.open(tmp_path / "index", create=True)
    for batch in [RECORDS] if commits == "one commit" else [[r] for r in RECORDS]:
        with ix.writer() as writer:
            for rec in batch:
                writer.upsert(rec)
    segments = len(list((tmp_path / "index").glob("*.seg")))
    assert segments == (1 if commits == "one commit" else len(RECORDS))
    try:
        assert ix.search("resdents").suggestion == "residents"
        assert ix.search("electons").suggestion == "elections"
        assert ix.search("floding schools").suggestion == "flooding schools"
        assert ix.search("residents").suggestion is None
    finally:
        ix.close()
