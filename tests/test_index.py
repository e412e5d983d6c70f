"""The Whoosh index: schema, query language, filters, writers, rebuild and failure modes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from index.errors import IndexUnavailable, QueryError
from index import ArticleIndex, make_snippet, rebuild


def record(article_id: str, **fields) -> dict:
    base = {
        "id": article_id, "url": f"https://news.example.com/{article_id}/", "urls": [], "site": "news.example.com",
        "title": "Untitled", "authors": [], "published": "2018-07-05", "modified": None,
        "text": "Nothing much happened.", "description": None, "categories": [], "tags": [], "language": "en",
        "word_count": 3, "content_hash": "", "fetched_at": "2025-01-01T00:00:00Z", "revisions": [],
        "schema_version": 1,
    }
    base.update(fields)
    return base


RECORDS = [
    record("ice", title="ICE signs contract for arrest database", authors=["José Müller-Brandt", "Katelyn Kivel"],
           published="2018-07-05T09:30:00-04:00", modified="2018-07-06T10:00:00-04:00",
           text="Immigration and Customs Enforcement signed a contract for a real-time arrest database.\n\n"
                "Critics said the contract expands surveillance.",
           categories=["Politics"], tags=["ICE", "Donald Trump"]),
    record("database", title="Database vendors compete", authors=["Ann Lee"], published="2018-03-01",
           site="www.Other.org", text="The arrest of an administrator made database news. Time will tell.",
           tags=["tech"]),
    record("weather", title="Sunny weather all week", authors=["Katelyn Kivel"], published="2019-01-02",
           text="Sunny weather is expected; no contract disputes this week. One of the most pleasant winters.",
           categories=["Weather"]),
    record("undated", title="An undated contract note", published=None, text="A contract without a date."),
]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    path = tmp_path / "index"
    ix = ArticleIndex.open(path, create=True)
    with ix.writer() as writer:
        for rec in RECORDS:
            writer.upsert(rec)
    ix.close()
    return path


@pytest.fixture
def ix(index_dir: Path):
    index = ArticleIndex.open(index_dir)
    yield index
    index.close()


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_phrase_finds_the_right_article_first(ix):
    results = ix.search('"real-time arrest database"')
    assert ids(results) == ["ice"]
    hit = results.hits[0]
    marked = [hit.snippet[a:b].lower() for a, b in hit.snippet_marks]
    assert marked == ["real", "time", "arrest", "database"]
    assert hit.title.startswith("ICE") and hit.authors == ["José Müller-Brandt", "Katelyn Kivel"]
    assert hit.published == "2018-07-05T09:30:00-04:00" and hit.site == "news.example.com" and hit.rank == 1


def test_bare_words_are_anded_and_stemmed(ix):
    assert ids(ix.search("ICE contract")) == ["ice"]
    assert set(ids(ix.search("contracts"))) == {"ice", "weather", "undated"}
    assert ids(ix.search("contract NOT sunny")) != [] and "weather" not in ids(ix.search("contract NOT sunny"))
    assert set(ids(ix.search("immigr*"))) == {"ice"}


@pytest.mark.parametrize("query, expected", [
    ("title:database", {"ice", "database"}),
    ('author:"jose muller-brandt"', {"ice"}),
    ('author:"José Müller-Brandt"', {"ice"}),
    ('author:"KATELYN KIVEL"', {"ice", "weather"}),
    ("site:other.org", {"database"}),
    ("site:NEWS.example.com weather", {"weather"}),
    ("tag:ice", {"ice"}),
    ('tag:"donald trump"', {"ice"}),
    ("category:politics", {"ice"}),
    ("category:Weather", {"weather"}),
    ("published:[2018-01-01 TO 2018-06-30]", {"database"}),
    ("published:2018-07", {"ice"}),
    ("contract published:[2019-01-01 TO 2019-12-31]", {"weather"}),
])
def test_field_queries(ix, query, expected):
    assert set(ids(ix.search(query))) == expected


def test_author_phrase_does_not_run_across_two_authors(ix):
    assert ix.search('author:"muller-brandt katelyn"').total == 0


def test_flags_filter(ix):
    assert set(ids(ix.search("contract", since="2018-07-05"))) == {"ice", "weather"}
    assert set(ids(ix.search("contract", until="2018-07-05"))) == {"ice"}
    assert ids(ix.search("contract", since="2019-01-02", until="2019-01-02")) == ["weather"]
    assert ids(ix.search("database", site="www.other.org")) == ["database"]
    assert ids(ix.search("contract", author="katelyn kivel", since="2019-01-01")) == ["weather"]
    assert ids(ix.search("contract", changed=True)) == ["ice"]


def test_sort_and_paging(ix):
    newest = ids(ix.search("contract", sort="newest"))
    assert newest[:2] == ["weather", "ice"]
    assert ids(ix.search("contract", sort="oldest"))[:2] == ["ice", "weather"]
    first, second = ix.search("contract", sort="newest", limit=1), ix.search("contract", sort="newest", limit=1, page=2)
    assert (first.total, ids(first), ids(second)) == (3, ["weather"], ["ice"])
    assert second.hits[0].rank == 2 and second.page == 2 and second.limit == 1
    assert ix.search("contract", limit=2, page=5).hits == []


def test_upsert_replaces_and_delete_removes(index_dir):
    ix = ArticleIndex.open(index_dir)
    with ix.writer() as writer:
        writer.upsert(record("weather", title="Stormy weather", text="A storm."))
        writer.delete("database")
    assert ix.doc_count() == 3
    assert ids(ix.search("stormy")) == ["weather"] and ix.search("sunny").total == 0
    assert ix.search("administrator").total == 0
    assert sorted(ix.ids()) == ["ice", "undated", "weather"]
    ix.close()


def test_writer_commits_every_batch(index_dir):
    ix = ArticleIndex.open(index_dir)
    writer = ix.writer(batch_size=2)
    writer.upsert(record("b1", text="zebra one"))
    assert ix.search("zebra").total == 0
    writer.upsert(record("b2", text="zebra two"))
    assert ix.search("zebra").total == 2  # committed by the batch
    writer.upsert(record("b3", text="zebra three"))
    writer.close()
    assert ix.search("zebra").total == 3
    ix.close()


def test_ids_lists_every_match(ix):
    assert sorted(ix.ids()) == sorted(r["id"] for r in RECORDS)
    assert list(ix.ids("contract", sort="oldest"))[:2] == ["ice", "weather"]
    assert list(ix.ids("", site="other.org")) == ["database"]
    assert set(ix.ids("contract", since="2018-01-01")) == {"ice", "weather"}


def test_did_you_mean(ix):
    results = ix.search("contrcat")
    assert results.total == 0 and results.suggestion == "contract"
    assert ix.search("sunny wether").suggestion == "sunny weather"
    assert ix.search("contract").suggestion is None
    assert ix.search("qqqqzzzz").suggestion is None


@pytest.mark.parametrize("query", [
    "published:[2018-13-01 TO 2019-01-01]", "published:[garbage TO 2018]", "published:yesterday",
    "foo:bar", "title:x nosuchfield:y", "the of",
])
def test_bad_queries_raise_query_error(ix, query):
    with pytest.raises(QueryError) as info:
        ix.search(query)
    assert "\n" not in str(info.value)


def test_unknown_field_names_the_known_ones(ix):
    with pytest.raises(QueryError, match="known fields: title:, author:"):
        ix.search("colour:red")


def test_unbalanced_syntax_is_tolerated(ix):
    """An unclosed quote or bracket is read as the plain words it holds."""
    assert sorted(ids(ix.search('"arrest database'))) == ["database", "ice"]
    assert ids(ix.search('"arrest database')) == ids(ix.search("arrest database"))
    assert ids(ix.search("(contract weather")) == ids(ix.search("contract weather")) == ["weather"]


@pytest.mark.parametrize("kwargs", [{"since": "2018-02-30"}, {"until": "July"}, {"sort": "random"}, {"limit": 0}])
def test_bad_flags_raise_query_error(ix, kwargs):
    with pytest.raises(QueryError):
        ix.search("contract", **kwargs)


def test_missing_or_empty_directory(tmp_path):
    with pytest.raises(IndexUnavailable, match="archiver reindex"):
        ArticleIndex.open(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexUnavailable, match="archiver reindex"):
        ArticleIndex.open(tmp_path / "empty")


@pytest.mark.parametrize("victim", ["toc", "segment"])
def test_corrupt_index(index_dir, victim):
    files = [p for p in index_dir.iterdir() if p.suffix == ".toc"] if victim == "toc" else \
        [p for p in index_dir.iterdir() if p.suffix not in (".toc",) and "LOCK" not in p.name]
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    with pytest.raises(IndexUnavailable, match="archiver reindex"):
        ix = ArticleIndex.open(index_dir)
        ix.search("contract")


def test_rebuild_gives_the_same_results_and_swaps_atomically(tmp_path, index_dir):
    before = ArticleIndex.open(index_dir)
    expected = {q: ids(before.search(q)) for q in ("contract", '"arrest database"', "author:kivel", "tag:ice")}
    count = rebuild(index_dir, iter(RECORDS + [record("extra", text="an extra contract")]), procs=2)
    assert count == 5
    assert before.doc_count() == 5  # an open index sees the new generation on its next search
    before.close()
    after = ArticleIndex.open(index_dir)
    assert after.doc_count() == 5
    for q, hits in expected.items():
        assert [h for h in ids(after.search(q)) if h != "extra"] == hits
    after.close()
    assert not [p for p in tmp_path.iterdir() if ".rebuild-" in p.name]  # temp dir cleaned up


def test_rebuild_failure_leaves_the_old_index(index_dir):
    def broken():
        yield RECORDS[0]
        raise RuntimeError("store unreadable")

    with pytest.raises(RuntimeError):
        rebuild(index_dir, broken(), procs=1)
    ix = ArticleIndex.open(index_dir)
    assert ix.doc_count() == len(RECORDS)
    ix.close()


def test_rebuild_into_a_new_directory(tmp_path):
    assert rebuild(tmp_path / "fresh", iter(RECORDS), procs=1) == len(RECORDS)
    ix = ArticleIndex.open(tmp_path / "fresh")
    assert ids(ix.search('"arrest database"')) == ["ice"]
    ix.close()


def test_reader_searches_while_writer_commits(index_dir):
    ix = ArticleIndex.open(index_dir)
    errors: list[BaseException] = []
    done = threading.Event()

    def keep_searching():
        reader = ArticleIndex.open(index_dir)
        try:
            while not done.is_set():
                assert reader.search("contract").total >= 3
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            reader.close()

    thread = threading.Thread(target=keep_searching)
    thread.start()
    with ix.writer(batch_size=5) as writer:
        for i in range(30):
            writer.upsert(record(f"new{i}", text=f"another contract number {i}"))
    done.set()
    thread.join()
    assert not errors
    assert ix.search("contract").total == 33
    ix.close()


def test_second_writer_waits_then_fails(index_dir):
    ix = ArticleIndex.open(index_dir)
    first = ix.writer()
    started = time.monotonic()
    with pytest.raises(IndexUnavailable, match="locked by another writer"):
        ix.writer(lock_timeout=0.5)
    assert time.monotonic() - started >= 0.4
    first.close()
    second = ix.writer(lock_timeout=0.5)  # free again
    second.close()
    ix.close()


def test_snippet_marks_and_window():
    text = "Intro words. " * 30 + "The contract was signed for the database." + " Filler." * 30
    snippet, marks = make_snippet(text, {"contract", "databas"})
    assert [snippet[a:b] for a, b in marks] == ["contract", "database"]
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) <= 230
    assert make_snippet("Short text.", {"missing"}) == ("Short text.", [])
