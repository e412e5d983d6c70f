"""Search tells the truth when one part of a query bounds another.

The executor reads a term's postings only in the documents still in the running (the
smaller side of a filter first, AND parts rarest first), decoding the positions of whole
blocks at once. These tests compare such bounded answers with a brute-force reading of
the records: author names in articles with several authors (Whoosh's own position format
sits next to ours), phrases under a filter, and positions past 65,535 among short texts.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index import ArticleIndex, rebuild
from index.analysis import WORD_RE, fold
from tests.test_index import record
from tests.test_search_truth import brute_force

NAMES = ["Nina Rao", "Ingrid Rao", "Nina Smith", "Zoë Kivel", "Omar Haddad", "José Müller"]
WORDS = ("war terror council budget winter river bridge mayor harbour vote school court report market museum "
         "ferry tunnel festival library police the of and to in on").split()
RARE = "zephyr quasar nimbus".split()


def bylined_corpus(count: int, seed: int) -> list[dict]:
    """Articles with one to three authors (a name may come twice), common and rare words, 4 sites."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(15, 60))]
        if rng.random() < 0.1:
            words.insert(rng.randrange(len(words)), rng.choice(RARE))
        authors = [rng.choice(NAMES) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        records.append(record(f"b{n:04d}", title=rng.choice(WORDS).capitalize(), text=" ".join(words) + ".",
                              authors=authors, site=f"site{n % 4}.example"))
    return records


def by_author(records: list[dict], name: str) -> set[str]:
    """Ids with an author whose name holds ``name``'s words in order (case and accents ignored)."""
    wanted = WORD_RE.findall(fold(name))
    found = set()
    for rec in records:
        for author in rec["authors"]:
            words = WORD_RE.findall(fold(author))
            if any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)):
                found.add(rec["id"])
    return found


def with_word(records: list[dict], word: str) -> set[str]:
    return {rec["id"] for rec in records if word in WORD_RE.findall(f"{rec['title']} {rec['text']}".lower())}


@pytest.fixture(scope="module")
def bylined(tmp_path_factory: pytest.TempPathFactory):
    records = bylined_corpus(600, seed=3)
    path = tmp_path_factory.mktemp("bounds") / "index"
    rebuild(path, records, procs=2, segment_docs=250)
    with ArticleIndex.open(path) as index:
        yield records, index


@pytest.mark.parametrize("word", RARE + ["council"])
@pytest.mark.parametrize("name", NAMES + ["Rao", "nina rao"])
def test_author_names_bounded_by_a_word_match_the_bylines(bylined, name: str, word: str) -> None:
    records, index = bylined
    expected = by_author(records, name) & with_word(records, word)
    assert sorted(index.ids(f'author:"{name}" {word}')) == sorted(expected)
    assert sorted(index.ids(word, author=name)) == sorted(expected)
    assert index.search(word, author=name, limit=5).total == len(expected)


@pytest.mark.parametrize("site", ["site1.example", "site3.example"])
def test_phrases_under_a_filter_match_the_texts(bylined, site: str) -> None:
    records, index = bylined
    rng = random.Random(5)
    in_site = [rec for rec in records if rec["site"] == site]
    for _ in range(25):
        words = WORD_RE.findall(rng.choice(records)["text"])
        start = rng.randrange(len(words) - 4)
        phrase = " ".join(words[start:start + rng.randint(2, 4)])
        expected = brute_force(in_site, phrase)
        assert sorted(index.ids(f'"{phrase}"', site=site)) == sorted(expected), phrase
        assert index.search(f'"{phrase}" {words[start + 1]}', site=site).total == len(expected), phrase


def test_positions_past_65535_among_short_texts_under_a_filter(tmp_path: Path) -> None:
    """A long text's positions are stored wider; the short texts after it in its block must still read right."""
    long_text = " ".join(["council"] * 70_000) + " the war on terror"
    records = [record(f"s{n:03d}", text=f"{'harbour ' * (n % 3)}the war on terror ended.", site=f"site{n % 2}.example")
               for n in range(60)]
    records.insert(10, record("long", text=long_text, site="site0.example"))
    rebuild(tmp_path / "index", records, procs=1)
    with ArticleIndex.open(tmp_path / "index") as index:
        for site in ("site0.example", "site1.example"):  # with the long text, and only texts stored after it
            in_site = [rec for rec in records if rec["site"] == site]
            assert sorted(index.ids('"the war on terror"', site=site)) == sorted(rec["id"] for rec in in_site)
            assert sorted(index.ids('"war on terror" harbour', site=site)) == sorted(
                rec["id"] for rec in in_site if "harbour" in rec["text"])
        assert sorted(index.ids('"war on terror"')) == sorted(rec["id"] for rec in records)


def test_date_ranges_match_the_records(tmp_path: Path) -> None:
    """Ranges are read from the date column: undated, deleted and boundary articles must come out right."""
    rng = random.Random(8)
    records = []
    for n in range(300):
        published = None if n % 9 == 0 else (f"2017-06-30T23:59:{n % 60:02d}" if n % 13 == 0 else
                                             f"{2016 + n % 3}-{1 + n % 12:02d}-{1 + n % 28:02d}")
        records.append(record(f"d{n:03d}", text=" ".join(rng.choice(WORDS) for _ in range(12)), published=published))
    for n, edge in enumerate(["2017-01-01", "2017-01-01T00:00:00", "2016-12-31T23:59:59", "2017-07-01T00:00:00",
                              "2016-03-05", "2016-03-05T23:59:59"]):  # on either side of the ranges' ends
        records.append(record(f"edge{n}", text="council vote", published=edge))
    rebuild(tmp_path / "index", records, procs=2, segment_docs=80)
    with ArticleIndex.open(tmp_path / "index") as index:
        with index.writer() as writer:
            for rec in records[::25]:
                writer.delete(rec["id"])
        live = [rec for rec in records if rec["id"] not in {r["id"] for r in records[::25]}]

        def dated(low: str, high: str) -> set[str]:
            return {rec["id"] for rec in live if rec["published"] and low <= rec["published"][:10] <= high}

        for low, high in [("2017-01-01", "2017-06-30"), ("2016-03-05", "2016-03-05"), ("2018-12-01", "2030-01-01")]:
            assert set(index.ids(f"published:[{low} TO {high}]")) == dated(low, high)
            assert set(index.ids("council", since=low, until=high)) == dated(low, high) & with_word(live, "council")
        assert set(index.ids(None, since="2017-06-30")) == dated("2017-06-30", "9999")
        assert set(index.ids(None, until="2016-12-31")) == dated("0000", "2016-12-31")
        assert index.search("council", since="2017-01-01").total == len(dated("2017-01-01", "9999")
                                                                          & with_word(live, "council"))
