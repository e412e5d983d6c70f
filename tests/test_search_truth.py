"""Search tells the truth: phrases mean their words in order (common words included), every
total counts exactly the hits its filters allow, and an empty index answers 0.

Phrase totals are checked against a brute-force reading of the texts (the words as the
index normalises them, searched as a plain sequence), which shares nothing with the
index's grams, buckets or executor.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.datadir import DataDir
from index import ArticleIndex, rebuild
from index import analysis
from index.analysis import WORD_RE, analyse_word
from index.facets import facet_rows
from index.storage import INDEX_NAME
from tests.conftest import CrawlRun, run_cli
from tests.hostile_site import HostileServer, HostileSite, page
from tests.test_index import record

COMMON = "the of and to a in is that for it as was on with by at".split()
UNCOMMON = ("war terror council budget winter river bridge mayor harbour vote school court report market museum "
            "ferry tunnel festival library police farmers election housing transit").split()


def random_corpus(count: int, seed: int) -> list[dict]:
    """Texts where common words are half the words (as in news), over 8 sites, 5 authors, 3 years."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        words = [rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(UNCOMMON) for _ in range(rng.randint(20, 120))]
        records.append(record(f"r{n:04d}", title=" ".join(rng.choice(UNCOMMON) for _ in range(4)).capitalize(),
                              text=" ".join(words).capitalize() + ".", site=f"site{n % 8}.example",
                              authors=[f"Author {'ABCDE'[n % 5]}"], published=f"{2016 + n % 3}-{1 + n % 12:02d}-15",
                              tags=[f"tag{n % 4}"], revisions=[{"text": "old"}] if n % 7 == 0 else []))
    return records


def terms_of(text: str) -> list[str]:
    return [analyse_word(token)[0] for token in WORD_RE.findall(text)]


def brute_force(records: list[dict], phrase: str) -> set[str]:
    """Ids whose title or body holds the phrase's words in order, found by scanning every text."""
    wanted = terms_of(phrase)
    found = set()
    for rec in records:
        for text in (rec["title"], rec["text"]):
            seq = terms_of(text)
            if any(seq[i:i + len(wanted)] == wanted for i in range(len(seq) - len(wanted) + 1)):
                found.add(rec["id"])
    return found


def phrases(records: list[dict], seed: int) -> list[str]:
    """Runs of 2-5 words taken from the texts (so most match), and random runs (most don't)."""
    rng = random.Random(seed)
    out = []
    for _ in range(60):
        words = WORD_RE.findall(rng.choice(records)["text"])
        start = rng.randrange(len(words) - 5)
        out.append(" ".join(words[start:start + rng.randint(2, 5)]))
    out += [" ".join(rng.choice(COMMON + UNCOMMON) for _ in range(rng.randint(2, 4))) for _ in range(40)]
    return out


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return random_corpus(300, seed=5)


@pytest.fixture(scope="module")
def corpus_index(corpus: list[dict], tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("truth") / "index"
    rebuild(path, corpus, procs=2, segment_docs=70)  # several segments in two builders
    index = ArticleIndex.open(path)
    yield index
    index.close()


def test_phrases_match_exactly_the_texts_that_hold_them(corpus: list[dict], corpus_index: ArticleIndex) -> None:
    for phrase in phrases(corpus, seed=9):
        expected = brute_force(corpus, phrase)
        found = corpus_index.ids(f'"{phrase}"')
        assert sorted(found) == sorted(expected), phrase


@pytest.mark.parametrize("buckets", [3, 1])
def test_phrases_stay_exact_when_every_gram_bucket_collides(corpus: list[dict], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, buckets: int) -> None:
    """With a few buckets, "the #b" grams stand for many words: the word's own position must decide."""
    monkeypatch.setattr(analysis, "GRAM_BUCKETS", buckets)
    analysis.analyse_word.cache_clear()
    try:
        rebuild(tmp_path / "index", corpus[:120], procs=1)
        with ArticleIndex.open(tmp_path / "index") as index:
            for phrase in phrases(corpus[:120], seed=11):
                assert sorted(index.ids(f'"{phrase}"')) == sorted(brute_force(corpus[:120], phrase)), phrase
    finally:
        analysis.analyse_word.cache_clear()


def test_common_words_in_a_phrase_count(tmp_path: Path) -> None:
    texts = {
        "most": "It was one of the most pleasant winters in memory.",
        "apart": "One council meeting was the most crowded of the year.",
        "circus": "Bread and the circus came to town.",
        "reversed": "The circus and bread came later.",
        "war": "The war on terror began. A war in the north ended.",
        "the": "The end.",
    }
    path = tmp_path / "index"
    rebuild(path, [record(k, text=v) for k, v in texts.items()], procs=1)
    with ArticleIndex.open(path) as index:
        assert index.ids('"one of the most"') == ["most"]
        assert sorted(index.ids("one most")) == ["apart", "most"]  # bare words: the common ones are not required
        assert sorted(index.ids('"and the"')) == ["circus"]
        assert sorted(index.ids('"the circus"')) == ["circus", "reversed"]
        assert index.ids('"war on"') == ["war"] and index.ids('"war in the"') == ["war"]
        assert index.ids('"on war"') == []
        assert len(index.ids('"the"')) == 6
        result = index.search('"and the"')
        assert result.total == 1 and result.hits[0].snippet_marks  # the words are marked in the snippet


def test_positions_past_65535_are_kept(tmp_path: Path) -> None:
    long_text = " ".join(["council"] * 70_000) + " the war on terror"
    rebuild(tmp_path / "index", [record("long", text=long_text), record("short", text="the war on terror")], procs=1)
    with ArticleIndex.open(tmp_path / "index") as index:
        assert sorted(index.ids('"the war on terror"')) == ["long", "short"]
        assert index.ids('"council the war"') == ["long"]


# -- totals ------------------------------------------------------------------------------------------

FILTERS = [
    {},
    {"site": "site3.example"},
    {"site": "nosuch.example"},
    {"author": "Author B"},
    {"since": "2017-01-01", "until": "2017-12-31"},
    {"site": "site2.example", "since": "2018-03-01"},
    {"changed": True},
]


def expected_ids(corpus: list[dict], query_ids: set[str], filters: dict) -> set[str]:
    keep = set()
    for rec in corpus:
        if rec["id"] not in query_ids:
            continue
        if "site" in filters and rec["site"] != filters["site"]:
            continue
        if "author" in filters and filters["author"] not in rec["authors"]:
            continue
        if "since" in filters and rec["published"] < filters["since"]:
            continue
        if "until" in filters and rec["published"] > filters["until"]:
            continue
        if filters.get("changed") and not rec["revisions"]:
            continue
        keep.add(rec["id"])
    return keep


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("query", ["council", '"war on"', "tag:tag1 winter", "", "NOT bridge"])
def test_totals_hits_timelines_and_exports_agree_under_every_filter(corpus: list[dict], corpus_index: ArticleIndex,
                                                                   query: str, filters: dict) -> None:
    expected = expected_ids(corpus, set(corpus_index.ids(query or None)), filters)
    if query:  # a search needs a query; its total counts the hits the filters let through, on every page
        result = corpus_index.search(query, limit=1000, **filters)
        assert result.total == len(result.hits) == len(expected) and {h.id for h in result.hits} == expected
        paged = corpus_index.search(query, limit=7, page=2, **filters)
        assert paged.total == len(expected) and len(paged.hits) == min(7, max(0, len(expected) - 7))
    if "changed" not in filters:  # exports (ids) and timelines (facet rows) have no --changed
        assert sorted(corpus_index.ids(query or None, **filters)) == sorted(expected)
        assert {row.id for row in facet_rows(corpus_index, query or None, **filters)} == expected


def test_the_search_cli_total_counts_only_what_the_filter_lets_through(demo_crawl: CrawlRun) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(demo_crawl.data_dir)]
    unfiltered = runner.invoke(cli, ["search", "city", *args])
    assert unfiltered.exit_code == 0 and " 0 hits" not in unfiltered.stderr  # the count line, piped: on stderr
    result = runner.invoke(cli, ["search", "city", "--site", "nosuch.example", *args])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == "0 hits for 'city'"
    timeline = runner.invoke(cli, ["timeline", "city", "--site", "nosuch.example", *args])
    assert timeline.exit_code == 0 and timeline.stdout.startswith("0 articles matching 'city'")


def test_an_archive_whose_crawls_stored_nothing_answers_zero(tmp_path: Path) -> None:
    site = HostileSite()
    site.routes["/"] = lambda s, t, q: page('<p>Nothing here yet.</p><a href="/about/">About</a>')
    site.routes["/about/"] = lambda s, t, q: page("<p>We are a new site.</p>")
    with HostileServer(site) as server:
        crawl = run_cli("crawl", server.base_url, "--data-dir", tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    assert DataDir(tmp_path).index.is_dir()
    runner = CliRunner()
    args = ["--data-dir", str(tmp_path)]
    checks = {
        ("search", "council"): "0 hits for 'council'",
        ("timeline",): "0 articles in the archive",
        ("timeline", "council", "--split", "site"): "0 articles matching 'council'",
        ("timeline", "--by-fetched"): "0 articles in the archive",
    }
    for command, expected in checks.items():
        result = runner.invoke(cli, [*command, *args])
        said = result.stderr if command[0] == "search" else result.stdout  # search's count line goes to stderr when piped
        assert result.exit_code == 0 and said.startswith(expected), (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
    export = runner.invoke(cli, ["export", "council", "--format", "jsonl", *args])
    assert export.exit_code == 0 and export.stdout == "" and "No articles matched" in export.stderr
    check = runner.invoke(cli, ["check", *args])
    assert check.exit_code == 0 and "0 records against 0 index documents" in check.stdout


def test_an_index_of_the_old_layout_says_to_reindex(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    from index.schema import build_schema

    data_dir = tmp_path / "archive"
    shutil.copytree(demo_crawl.data_dir, data_dir)
    shutil.rmtree(data_dir / "index")
    (data_dir / "index").mkdir()
    old = build_schema()
    del old.article_format  # what every index written before the layout was marked looks like
    FileStorage(str(data_dir / "index")).create_index(old, indexname=INDEX_NAME)
    result = run_cli("search", "city", "--data-dir", data_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "older version" in result.stderr and "archiver reindex" in result.stderr
    assert run_cli("reindex", "--data-dir", data_dir).returncode == 0
    assert run_cli("search", "city", "--data-dir", data_dir).returncode == 0
