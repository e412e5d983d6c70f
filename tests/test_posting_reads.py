"""How the executor reads posting lists does not change what a search finds.

A term's list is read whole (and kept for the searcher's next questions) or, when few
documents are asked about, only in the blocks that hold them; phrases join their terms
rarest first, each read only in the documents where the others line up. Every way gives
the brute-force answer of tests/test_search_truth.py, with filters and deletions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import ArticleIndex, arrays, rebuild
from tests.test_search_truth import brute_force, phrases, random_corpus

#: SPARSE_WITHIN values: every list read whole, and every list read block by block when asked about some documents.
READS = {"whole": 10**9, "blocks": 0}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return random_corpus(600, seed=21)


@pytest.fixture(scope="module")
def index_path(corpus: list[dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reads") / "index"
    rebuild(path, corpus, procs=1, segment_docs=400)  # lists of several blocks, in two segments
    return path


@pytest.mark.parametrize("read", READS)
def test_phrases_find_the_brute_force_answer_however_lists_are_read(corpus: list[dict], index_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      read: str) -> None:
    monkeypatch.setattr(arrays, "SPARSE_WITHIN", READS[read])
    with ArticleIndex.open(index_path) as index:
        for phrase in phrases(corpus, seed=23):
            assert sorted(index.ids(f'"{phrase}"')) == sorted(brute_force(corpus, phrase)), phrase


@pytest.mark.parametrize("read", READS)
def test_lists_kept_from_one_query_answer_the_next_with_other_filters(corpus: list[dict], index_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        read: str) -> None:
    """One searcher: a filtered search, then the same words unfiltered, then filtered again."""
    monkeypatch.setattr(arrays, "SPARSE_WITHIN", READS[read])
    site_of = {rec["id"]: rec["site"] for rec in corpus}
    with ArticleIndex.open(index_path) as index:
        for phrase in phrases(corpus, seed=29)[:40]:
            expected = brute_force(corpus, phrase)
            on_site = {i for i in expected if site_of[i] == "site3.example"}
            assert set(index.ids(f'"{phrase}"', site="site3.example")) == on_site, phrase
            assert set(index.ids(f'"{phrase}"')) == expected, phrase
            assert index.search(f'"{phrase}"', site="site3.example").total == len(on_site), phrase


@pytest.mark.parametrize("read", READS)
def test_deleted_articles_are_not_found_by_any_read(corpus: list[dict], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, read: str) -> None:
    monkeypatch.setattr(arrays, "SPARSE_WITHIN", READS[read])
    rebuild(tmp_path / "index", corpus, procs=1, segment_docs=400)
    deleted = {rec["id"] for rec in corpus[::3]}
    with ArticleIndex.open(tmp_path / "index") as index:
        for phrase in phrases(corpus, seed=31)[:30]:  # lists of the first searcher kept, then the index changes
            index.ids(f'"{phrase}"')
        with index.writer() as writer:
            for article_id in sorted(deleted):
                writer.delete(article_id)
        for phrase in phrases(corpus, seed=31):
            assert set(index.ids(f'"{phrase}"')) == brute_force(corpus, phrase) - deleted, phrase
