"""The ``credit`` filter (search, ids, timelines, exports, the CLI's --credit): agency copy by its credit."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import ArticleIndex
from index.errors import QueryError
from index.facets import facet_rows

from .test_index import record

RECORDS = [
    record("wire1", title="Tariffs rise again", credit="Reuters", authors=[], text="Tariffs rose on steel."),
    record("wire2", title="Tariffs hit farmers", credit="The Associated Press", text="Farmers said tariffs hurt."),
    record("staff", title="Tariffs and the city", authors=["Ann Lee"], text="The city budget and tariffs."),
    record("mixed", title="Tariffs talks", authors=["Jane Doe"], credit="Reuters", text="Talks on tariffs resumed."),
]


@pytest.fixture
def ix(tmp_path: Path):
    index = ArticleIndex.open(tmp_path / "index", create=True)
    with index.writer() as writer:
        for rec in RECORDS:
            writer.upsert(rec)
    yield index
    index.close()


def test_search_keeps_the_articles_credited_to_an_organisation(ix: ArticleIndex) -> None:
    assert ix.search("tariffs").total == 4
    found = ix.search("tariffs", credit="reuters")
    assert sorted(h.id for h in found.hits) == ["mixed", "wire1"] and found.total == 2
    assert [h.id for h in ix.search("tariffs", credit="associated press").hits] == ["wire2"]
    assert ix.search("tariffs", credit="dpa").total == 0


def test_the_credit_filter_is_the_same_for_ids_and_timelines(ix: ArticleIndex) -> None:
    assert sorted(ix.ids(None, credit="Reuters")) == ["mixed", "wire1"]
    assert sorted(row.id for row in facet_rows(ix, None, credit="Reuters")) == ["mixed", "wire1"]


def test_a_credit_with_no_words_is_a_one_line_error(ix: ArticleIndex) -> None:
    with pytest.raises(QueryError, match="bad credit name"):
        ix.search("tariffs", credit="--")
