"""Search speed: our Whoosh index against SQLite FTS5 on the same synthetic corpus.

    python benchmarks/search.py [--n 100000] [--queries 200] [--seed 7] [--writer-sample 5000]
                                [--keep DIR | --reuse DIR]

Figures printed (not a test):

- build rate of the crawl path (``BatchWriter.upsert``, batches of 500) on a sample,
  and of ``rebuild`` (multiprocess writer) on the whole corpus, with its CPU a document
  (all its processes) and the rate that gives on idle cores; index size on disk;
- query latency p50/p95/max per query kind and overall, each query rendering the
  top 10 hits with highlighted snippets and computing the total;
- the same for SQLite FTS5 (porter + unicode61 without diacritics, ``snippet()``,
  bm25 with title weighted 2) and the ratios ours / FTS5.

The corpus is deterministic: ~600 words per article drawn from a Zipf-like
vocabulary (real English function words at the top, then generated words), so the
query set has common terms, rare terms and phrases made only of common words.
Both engines answer phrases exactly, common words included (ours indexes the
commonest words in a companion field, alone and as grams with the next word), so
the hit counts of the two must be equal: the "totals differ in" line checks it. Bare
words and phrases search title and body in both (FTS5 through a column filter). One
difference is FTS5's: its Porter stemmer turns "one" into "on", so FTS5 counts every
article with "on" for the word "one"; ours indexes "on" as a common word, apart.
A query our index refuses is counted and skipped, not fatal.

``--reuse DIR`` keeps the indexes in DIR and, when DIR already holds both built from
the same corpus (``--n`` and ``--seed``), skips the builds and only times the queries
(for iterating on query speed; build rates are then not printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from index import ArticleIndex, QueryError, rebuild  # noqa: E402
from index.analysis import STOP_WORDS  # noqa: E402

HEAD_WORDS = (
    "the of and to a in is that for it as was with be by on not he this are or his from at which but have "
    "an had they you were their one all we can her has there been if more when will would who so no said "
    "people year government new time president state police court city official report week public "
    "country percent most also after first two last over could told other some into about than only"
).split()
SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu " \
            "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu tra pre sto gan mer".split()
FIRST = "Ann José Katelyn Mark Zoë Łukasz Maria Omar Priya Chen Sam Ingrid Rafael Ayşe Tom Nina".split()
LAST = "Kivel Müller-Brandt Smith García Nowak O'Neil Haddad Rao Li Jensen Dubois Öztürk Brown Silva".split()
SITES = [f"news{i}.example.com" for i in range(20)]


@dataclass
class Corpus:
    records: list[dict]
    vocab: list[str]
    authors: list[str]
    tags: list[str]


def make_vocab(rng: np.random.Generator, size: int) -> list[str]:
    words, seen = list(HEAD_WORDS), set(HEAD_WORDS)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES, size=int(rng.integers(2, 5))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def make_corpus(n: int, seed: int, words_per_doc: int = 600, vocab_size: int = 60_000) -> Corpus:
    rng = np.random.default_rng(seed)
    vocab = make_vocab(rng, vocab_size)
    weights = 1.0 / np.arange(1, vocab_size + 1) ** 1.05
    probs = weights / weights.sum()
    authors = [f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}" for i in range(120)]
    tags = [f"topic {vocab[200 + i]}" for i in range(200)]
    varr = np.array(vocab, dtype=object)
    records = []
    all_tokens = rng.choice(vocab_size, size=(n, words_per_doc), p=probs)
    title_tokens = rng.choice(np.arange(80, 8000), size=(n, 8))
    days = rng.integers(0, 3650, size=n)
    for i in range(n):
        toks = varr[all_tokens[i]]
        paras = [" ".join(toks[j:j + 100]) + "." for j in range(0, words_per_doc, 100)]
        day = np.datetime64("2015-01-01") + int(days[i])
        published = str(day) if i % 3 else f"{day}T{i % 24:02d}:15:00+02:00"
        records.append({
            "id": f"a{i:07d}", "url": f"https://{SITES[i % 20]}/{day}/a{i}/", "urls": [],
            "site": SITES[i % 20], "title": " ".join(varr[title_tokens[i]]).capitalize(),
            "authors": [authors[i % len(authors)]] + ([authors[(i * 13) % len(authors)]] if i % 5 == 0 else []),
            "published": published, "modified": None, "text": "\n\n".join(paras), "description": None,
            "categories": [f"section {i % 12}"], "tags": [tags[i % 200], tags[(i * 31) % 200]], "language": "en",
            "word_count": words_per_doc, "content_hash": "", "fetched_at": "2025-01-01T00:00:00Z",
            "revisions": [], "schema_version": 1,
        })
    return Corpus(records, vocab, authors, tags)


#: Bare words and phrases search title and body in ours: the same columns in FTS5 (not tags or authors).
TEXT_COLUMNS = "{title body} : "


def make_queries(corpus: Corpus, count: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, whoosh query, fts5 match expression + optional SQL date filter marker)."""
    rng = np.random.default_rng(seed + 1)
    vocab, records = corpus.vocab, corpus.records
    content = [w for w in vocab[:120] if w not in STOP_WORDS]
    kinds = ["common", "rare", "and", "phrase", "common-phrase", "date", "field"]
    queries = []
    for k in range(count):
        kind = kinds[k % len(kinds)]
        doc = records[int(rng.integers(len(records)))]
        words = doc["text"].replace(".", "").split()
        if kind == "common":
            w = content[int(rng.integers(len(content)))]
            queries.append((kind, w, TEXT_COLUMNS + w))
        elif kind == "rare":
            w = vocab[int(rng.integers(5000, 30000))]
            queries.append((kind, w, TEXT_COLUMNS + w))
        elif kind == "and":
            ws = [vocab[int(rng.integers(100, 3000))] for _ in range(int(rng.integers(2, 4)))]
            queries.append((kind, " ".join(ws), f"{TEXT_COLUMNS}({' AND '.join(ws)})"))
        elif kind == "phrase":
            start = int(rng.integers(len(words) - 3))
            ws = words[start:start + int(rng.integers(2, 4))]
            queries.append((kind, f'"{" ".join(ws)}"', f'{TEXT_COLUMNS}"{" ".join(ws)}"'))
        elif kind == "common-phrase":  # consecutive words that are all among the 120 commonest
            top = set(vocab[:120])
            starts = [i for i in range(len(words) - 3) if all(w in top for w in words[i:i + 3])
                      and sum(w not in STOP_WORDS for w in words[i:i + 3]) >= 1]
            start = starts[int(rng.integers(len(starts)))] if starts else 0
            ws = words[start:start + 3]
            queries.append((kind, f'"{" ".join(ws)}"', f'{TEXT_COLUMNS}"{" ".join(ws)}"'))
        elif kind == "date":
            w = vocab[int(rng.integers(100, 2000))]
            year = int(rng.integers(2015, 2025))
            queries.append((kind, f"{w} published:[{year}-01-01 TO {year}-06-30]", f"{w}|{year}"))
        else:
            choice = k % 3
            if choice == 0:
                w = vocab[int(rng.integers(80, 3000))]
                queries.append((kind, f"title:{w}", f"title:{w}"))
            elif choice == 1:
                a = corpus.authors[int(rng.integers(len(corpus.authors)))]
                w = vocab[int(rng.integers(100, 1000))]
                queries.append((kind, f'author:"{a}" {w}', f'authors:"{a}" AND {TEXT_COLUMNS}{w}'))
            else:
                t = corpus.tags[int(rng.integers(len(corpus.tags)))]
                w = vocab[int(rng.integers(100, 1000))]
                queries.append((kind, f'tag:"{t}" {w}', f'tags:"{t}" AND {TEXT_COLUMNS}{w}'))
    return queries


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the rebuild's writer processes).

    The machine may be shared: wall-clock rates then measure the other loads as much as
    ours, while CPU a document does not."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def build_fts(path: Path, records: list[dict]) -> float:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, authors, tags, "
                "published UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", (
        (r["id"], r["title"], r["text"], "; ".join(r["authors"]), ", ".join(r["tags"]), r["published"][:10])
        for r in records))
    con.commit()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def fts_query(con: sqlite3.Connection, kind: str, expr: str) -> tuple[int, list]:
    where, args = "docs MATCH ?", [expr]
    if kind == "date":
        word, year = expr.split("|")
        where, args = "docs MATCH ? AND published BETWEEN ? AND ?", [TEXT_COLUMNS + word, f"{year}-01-01",
                                                                     f"{year}-06-30"]
    total = con.execute(f"SELECT count(*) FROM docs WHERE {where}", args).fetchone()[0]
    rows = con.execute(f"SELECT id, title, snippet(docs, 2, '[', ']', '…', 30) FROM docs WHERE {where} "
                       f"ORDER BY bm25(docs, 0, 2.0, 1.0, 1.0, 1.0, 0) LIMIT 10", args).fetchall()
    return total, rows


def report(name: str, timings: dict[str, list[float]]) -> dict[str, float]:
    every = [t for ts in timings.values() for t in ts]
    print(f"  {name}: overall p50 {percentile(every, 50):.1f} ms, p95 {percentile(every, 95):.1f} ms, "
          f"max {max(every):.1f} ms, mean {statistics.mean(every):.1f} ms ({len(every)} queries)")
    for kind, ts in timings.items():
        print(f"    {kind:14} p50 {percentile(ts, 50):7.1f}  p95 {percentile(ts, 95):7.1f}  max {max(ts):7.1f} ms")
    return {"p50": percentile(every, 50), "p95": percentile(every, 95)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the corpus")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--writer-sample", type=int, default=5_000, help="articles for the BatchWriter rate")
    parser.add_argument("--procs", type=int, default=2, help="writer processes for rebuild")
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temp dir)")
    kept.add_argument("--reuse", metavar="DIR", help="like --keep, but skip the builds when DIR holds them")
    args = parser.parse_args(argv)

    work = Path(args.keep or args.reuse or tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    built = work / "corpus.json"
    corpus_key = {"n": args.n, "seed": args.seed}
    try:
        started = time.perf_counter()
        corpus = make_corpus(args.n, args.seed)
        queries = make_queries(corpus, args.queries, args.seed)
        print(f"corpus: {args.n} articles x ~600 words, generated in {time.perf_counter() - started:.1f}s; "
              f"{len(queries)} queries")
        index_dir, fts_path = work / "index", work / "fts.sqlite"
        if args.reuse and built.exists() and json.loads(built.read_text()) == corpus_key:
            print(f"reusing the indexes in {work} (no build figures)")
        else:
            built.unlink(missing_ok=True)
            build_both(corpus, work, args)
            built.write_text(json.dumps(corpus_key))
        time_queries(index_dir, fts_path, queries)
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(work, ignore_errors=True)


def build_both(corpus: Corpus, work: Path, args: argparse.Namespace) -> None:
    """Time the crawl-path writer on a sample, then build our index and FTS5's of the whole corpus."""
    sample = corpus.records[: min(args.writer_sample, args.n)]
    sample_dir = work / "writer-sample"
    shutil.rmtree(sample_dir, ignore_errors=True)
    ix = ArticleIndex.open(sample_dir, create=True)
    started = time.perf_counter()
    with ix.writer(batch_size=500) as writer:
        for record in sample:
            writer.upsert(record)
    elapsed = time.perf_counter() - started
    ix.close()
    print(f"build (BatchWriter.upsert, batches of 500, {len(sample)} docs): {len(sample) / elapsed:.0f} docs/s")
    shutil.rmtree(sample_dir, ignore_errors=True)

    index_dir = work / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), cpu_seconds()
    count = rebuild(index_dir, iter(corpus.records), procs=args.procs)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    print(f"rebuild (procs={args.procs}, {count} docs): {count / elapsed:.0f} docs/s ({elapsed:.0f}s); "
          f"CPU {cpu / count * 1000:.2f} ms a document, all {args.procs} processes "
          f"({args.procs * count / cpu:.0f} docs/s on {args.procs} idle cores; load {load:.1f} at the start); "
          f"index size {dir_size(index_dir) / 2**20:.0f} MB")

    fts_path = work / "fts.sqlite"
    if fts_path.exists():
        fts_path.unlink()
    elapsed = build_fts(fts_path, corpus.records)
    print(f"FTS5 build: {args.n / elapsed:.0f} docs/s; size {fts_path.stat().st_size / 2**20:.0f} MB")


def time_queries(index_dir: Path, fts_path: Path, queries: list[tuple[str, str, str]]) -> None:
    """Run every query on both engines, interleaved (one query on ours, then on FTS5), and print
    latencies, ratios, hit counts and the queries whose totals differ."""
    started = time.perf_counter()
    ix = ArticleIndex.open(index_dir)
    ix.search("warmup")
    print(f"open + first search (what each `archiver search` pays): {(time.perf_counter() - started) * 1000:.0f} ms")
    con = sqlite3.connect(fts_path)
    ours: dict[str, list[float]] = defaultdict(list)
    theirs: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[int]] = defaultdict(list)
    fts_totals: dict[str, list[int]] = defaultdict(list)
    refused: dict[str, int] = defaultdict(int)
    differing: list[tuple[str, str, int, int]] = []
    for kind, text, expr in queries:
        started = time.perf_counter()
        try:
            results = ix.search(text, limit=10)
        except QueryError as exc:
            refused[kind] += 1
            print(f"  refused {kind} {text!r}: {exc}")
            continue
        ours[kind].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        total, _rows = fts_query(con, kind, expr)
        theirs[kind].append((time.perf_counter() - started) * 1000)
        totals[kind].append(results.total)
        fts_totals[kind].append(total)
        if results.total != total:
            differing.append((kind, text, results.total, total))
    ix.close()
    con.close()

    print("query latency, top 10 with highlighted snippets + total count:")
    a = report("whoosh (ours)", ours)
    b = report("sqlite fts5  ", theirs)
    print(f"  ratio ours/fts5: p50 {a['p50'] / b['p50']:.1f}x, p95 {a['p95'] / b['p95']:.1f}x")
    for kind in ours:
        differ = sum(a != b for a, b in zip(totals[kind], fts_totals[kind]))
        print(f"    {kind:14} median hits: ours {statistics.median(totals[kind]):.0f}, "
              f"fts5 {statistics.median(fts_totals[kind]):.0f}; totals differ in {differ} of "
              f"{len(totals[kind])}; refused {refused[kind]}")
    for kind, text, mine, fts in differing:
        print(f"  totals differ: {kind} {text!r}: ours {mine}, fts5 {fts}")

if __name__ == "__main__":
    main()
