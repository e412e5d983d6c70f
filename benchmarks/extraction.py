"""Extraction quality and speed: our extractor against plain trafilatura, same pages, one run.

    python benchmarks/extraction.py [--demo] [--limit N] [--show-misses FIELD]

Figures printed (not a test; ``tests/test_extraction_quality.py`` is the gate):

- body token F1 on ``realworld/`` (bag of lower-case words, as in the Scrapinghub
  article-extraction-benchmark: precision/recall/F1 per page, averaged);
- author exact-match accuracy, published-date accuracy (same day) and title accuracy on
  ``metadata/``, counting only pages whose truth has the field; "byline accuracy" compares
  who the byline credits: the authors, or the credit when no person is named (the truth
  annotates agencies and desks as authors, where the record has them as ``credit``);
- pages per second for each extractor, timed page by page in turn;
- the pages our page-kind classifier would not archive in a crawl, by kind (extraction
  figures leave that judgement out: plain trafilatura has none);
- with ``--kind-cost``, what the page-kind classifier costs: our extraction with it and with
  a stand-in that calls every page an article, page by page in turn;
- with ``--demo``, exact fields on the pages of both demo sites (WordPress and custom CMS),
  and how many of their other pages get their true kind; "published moment" counts a
  datetime that is the same instant as the truth (a plain day is no moment).

``--show-misses date`` also lists every date candidate of a missed page, "*" marking the
sources that name the day chosen.

The shared data is found through ``ARCHIVER_SHARED_DATA``, else ``<repo>/../shared/data``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

TOKEN = re.compile(r"\w+", re.UNICODE)
AUTHOR_JOINS = re.compile(r"\s*(?:;|,|&|\bund\b|\band\b|\bet\b|\by\b)\s*", re.IGNORECASE)
SPACES = re.compile(r"\s+")


@dataclass
class Case:
    id: str
    url: str
    html: bytes
    truth: dict


@dataclass
class Outcome:
    """What one extractor gave for one page, reduced to the compared fields."""

    text: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    credit: str | None = None

    @property
    def byline(self) -> list[str]:
        """Who the byline credits: the people, else the organisation."""
        return self.authors or ([self.credit] if self.credit else [])


def shared_data_dir() -> Path:
    env = os.environ.get("ARCHIVER_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def load_cases(name: str, limit: int | None = None) -> list[Case]:
    """The pages of one data set (``realworld`` or ``metadata``) with their truth."""
    base = shared_data_dir() / name
    cases = []
    with open(base / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            truth = json.loads(line)
            html = gzip.decompress((base / "pages" / f"{truth['id']}.html.gz").read_bytes())
            cases.append(Case(truth["id"], truth["url"], html, truth))
            if limit and len(cases) >= limit:
                break
    return cases


# -- scoring -----------------------------------------------------------------------------


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall((text or "").lower()))


def body_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of one page's body."""
    pred, true = tokens(predicted), tokens(truth)
    if not pred and not true:
        return 1.0, 1.0, 1.0
    common = sum((pred & true).values())
    precision = common / sum(pred.values()) if pred else 0.0
    recall = common / sum(true.values()) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def norm_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name).casefold()
    return SPACES.sub(" ", name).strip(" .,")


def author_set(value: str | Iterable[str] | None) -> frozenset[str]:
    """A set of normalised names from a joined string or a list of names."""
    if not value:
        return frozenset()
    items = [value] if isinstance(value, str) else list(value)
    names = set()
    for item in items:
        for part in AUTHOR_JOINS.split(item):
            if norm_name(part):
                names.add(norm_name(part))
    return frozenset(names)


def norm_title(title: str | None) -> str:
    """A title as shown: case, quotes, spaces and invisible break hints (soft hyphens) aside."""
    from archiver.extraction.metadata import INVISIBLE

    title = unicodedata.normalize("NFKC", title or "").casefold().translate(INVISIBLE)
    title = title.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return SPACES.sub(" ", title).strip()


TRUTH_DAY = re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})")


def truth_day(truth: str) -> str:
    """An annotated day as YYYY-MM-DD. A few annotations are typed loosely ("2022-01.26",
    "2022-11-1") or day-first ("2022-29-11", which has a single reading); anything else
    is kept as written, and so can only miss."""
    match = TRUTH_DAY.match(truth)
    if not match:
        return truth[:10]
    year, month, day = (int(part) for part in match.groups())
    if month > 12 >= day:
        month, day = day, month
    return f"{year:04d}-{month:02d}-{day:02d}"


def same_day(predicted: str | None, truth: str) -> bool:
    return bool(predicted) and predicted[:10] == truth_day(truth)


def same_moment(predicted: str | None, truth: str) -> bool:
    """The same instant: both datetimes with an offset (a plain day is not a moment)."""
    if not predicted or "T" not in predicted or "T" not in truth:
        return False
    return datetime.fromisoformat(predicted) == datetime.fromisoformat(truth)


# -- extractors --------------------------------------------------------------------------


def run_ours(case: Case) -> Outcome:
    from archiver.extraction.extract import extract_html
    from archiver.items import Extraction

    result = extract_html(case.html, case.url, any_page=True)
    if not isinstance(result, Extraction):
        return Outcome()
    return Outcome(result.text, result.title, list(result.authors), result.published, result.credit)


def judged_not_articles(cases: list[Case]) -> list[tuple[str, str, str]]:
    """(kind, URL, signals) of the pages a crawl would not archive: the page-kind classifier
    gives them a kind other than ``article``.

    The extraction figures leave this judgement out (``any_page``), as plain trafilatura
    has none; it is reported on its own lines."""
    from archiver.extraction.classify import KINDS
    from archiver.extraction.extract import extract_html
    from archiver.items import Rejected

    return [(result.reason, case.url, result.detail) for case in cases
            if isinstance(result := extract_html(case.html, case.url, min_words=0), Rejected)
            and result.reason in KINDS]


def run_trafilatura(case: Case) -> Outcome:
    import trafilatura

    doc = trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)
    if doc is None:
        return Outcome()
    return Outcome(doc.text or "", doc.title or "", list(author_set(doc.author)), doc.date)


EXTRACTORS: dict[str, Callable[[Case], Outcome]] = {"ours": run_ours, "trafilatura": run_trafilatura}


def timed_interleaved(names: list[str], cases: list[Case]) -> dict[str, tuple[list[Outcome], float]]:
    """Each extractor's outcomes and total seconds, page by page in turn (the first to run
    alternates), so that a change of machine load weighs on both alike."""
    outcomes: dict[str, list[Outcome]] = {name: [] for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for index, case in enumerate(cases):
        for name in names if index % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            outcomes[name].append(EXTRACTORS[name](case))
            seconds[name] += time.perf_counter() - start
    return {name: (outcomes[name], seconds[name]) for name in names}


# -- aggregate scores --------------------------------------------------------------------


@dataclass
class Scores:
    body_p: float = 0.0
    body_r: float = 0.0
    body_f1: float = 0.0
    author_acc: float = 0.0
    author_n: int = 0
    byline_acc: float = 0.0
    byline_n: int = 0
    date_acc: float = 0.0
    date_n: int = 0
    title_acc: float = 0.0
    title_n: int = 0
    pages_per_s: float = 0.0


def score_bodies(cases: list[Case], outcomes: list[Outcome]) -> tuple[float, float, float]:
    triples = [body_prf(o.text, c.truth["body"]) for c, o in zip(cases, outcomes)]
    n = len(triples) or 1
    return tuple(sum(t[i] for t in triples) / n for i in range(3))  # type: ignore[return-value]


def metadata_hits(cases: list[Case], outcomes: list[Outcome]) -> dict[str, list[bool]]:
    """Per field, one hit/miss per page whose truth has that field."""
    hits: dict[str, list[bool]] = {"author": [], "byline": [], "date": [], "title": []}
    for case, out in zip(cases, outcomes):
        truth = case.truth
        if truth.get("author"):
            hits["author"].append(author_set(out.authors) == author_set(truth["author"]))
            hits["byline"].append(author_set(out.byline) == author_set(truth["author"]))
        if truth.get("date"):
            hits["date"].append(same_day(out.date, truth["date"]))
        if truth.get("title"):
            hits["title"].append(norm_title(out.title) == norm_title(truth["title"]))
    return hits


def accuracy(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def evaluate(names: list[str], realworld: list[Case], metadata: list[Case]
             ) -> dict[str, tuple[Scores, list[Outcome]]]:
    """Scores and metadata outcomes of each extractor, measured in one interleaved run."""
    bodies = timed_interleaved(names, realworld)
    metas = timed_interleaved(names, metadata)
    results = {}
    for name in names:
        (body_out, t1), (meta_out, t2) = bodies[name], metas[name]
        scores = Scores()
        if realworld:
            scores.body_p, scores.body_r, scores.body_f1 = score_bodies(realworld, body_out)
        hits = metadata_hits(metadata, meta_out)
        scores.author_acc, scores.author_n = accuracy(hits["author"]), len(hits["author"])
        scores.byline_acc, scores.byline_n = accuracy(hits["byline"]), len(hits["byline"])
        scores.date_acc, scores.date_n = accuracy(hits["date"]), len(hits["date"])
        scores.title_acc, scores.title_n = accuracy(hits["title"]), len(hits["title"])
        total = len(realworld) + len(metadata)
        scores.pages_per_s = total / (t1 + t2) if t1 + t2 else 0.0
        results[name] = (scores, meta_out)
    return results


def print_table(results: dict[str, Scores], n_real: int, n_meta: int) -> None:
    rows = [
        (f"body precision ({n_real} pages)", "body_p", "{:.3f}"),
        (f"body recall ({n_real} pages)", "body_r", "{:.3f}"),
        (f"body F1 ({n_real} pages)", "body_f1", "{:.3f}"),
        ("author accuracy", "author_acc", "{:.1%}"),
        ("byline accuracy", "byline_acc", "{:.1%}"),
        ("published-date accuracy", "date_acc", "{:.1%}"),
        ("title accuracy", "title_acc", "{:.1%}"),
        (f"pages/s ({n_real + n_meta} pages)", "pages_per_s", "{:.1f}"),
    ]
    names = list(results)
    print(f"{'measure':<34}" + "".join(f"{n:>14}" for n in names))
    for label, attr, fmt in rows:
        if attr in ("author_acc", "byline_acc", "date_acc", "title_acc"):
            n = getattr(results[names[0]], attr.replace("_acc", "_n"))
            label = f"{label} (n={n})"
        print(f"{label:<34}" + "".join(f"{fmt.format(getattr(results[n], attr)):>14}" for n in names))
    if "ours" in results and "trafilatura" in results and results["ours"].pages_per_s:
        ratio = results["trafilatura"].pages_per_s / results["ours"].pages_per_s
        print(f"{'time ratio ours/trafilatura':<34}{ratio:>14.2f}")


def show_misses(field_name: str, cases: list[Case], outcomes: list[Outcome]) -> None:
    for case, out in zip(cases, outcomes):
        truth = case.truth
        if field_name == "author" and truth.get("author"):
            if author_set(out.authors) != author_set(truth["author"]):
                print(f"{case.url}\n   truth={truth['author']!r}\n   got  ={out.authors!r} credit={out.credit!r}")
        elif field_name == "date" and truth.get("date"):
            if not same_day(out.date, truth["date"]):
                print(f"{case.url}\n   truth={truth['date']!r} got={out.date!r}")
                print_date_sources(case, out.date)
        elif field_name == "title" and truth.get("title"):
            if norm_title(out.title) != norm_title(truth["title"]):
                print(f"{case.url}\n   truth={truth['title']!r}\n   got  ={out.title!r}")


def print_date_sources(case: Case, chosen: str | None) -> None:
    """Every published-date candidate of a page, parsed; "*" marks those that name the day
    chosen (the winner, or the sources that agree with it)."""
    from archiver.extraction import dates
    from archiver.extraction.extract import _run_trafilatura, decode_html, parse_html, published_candidates
    from archiver.extraction.metadata import read_metadata

    tree = parse_html(decode_html(case.html))
    if tree is None:
        return
    md = read_metadata(tree, case.url)
    doc = _run_trafilatura(tree, case.url)
    for cand in published_candidates(md, case.url, doc.date if doc is not None else None):
        value = dates.parse_date(cand.value)
        mark = "*" if value and chosen and value[:10] == chosen[:10] else " "
        print(f"   {mark} {cand.source:<34} {cand.value[:60]!r} -> {value}")
    for cand in md.modified:
        print(f"     (modified) {cand.source:<23} {cand.value[:60]!r}")


def kind_cost(cases: list[Case], rounds: int = 3) -> tuple[float, float]:
    """CPU seconds per page of our extraction with the page-kind classifier (and the page
    structure it measures) and without it (stand-ins), alternating page by page over
    ``rounds`` passes."""
    import importlib

    from archiver.extraction.classify import Verdict
    from archiver.extraction.pagefacts import PageFacts

    extract = importlib.import_module("archiver.extraction.extract")
    real = extract.classify, extract.page_facts
    stand_in = (lambda *a, **k: Verdict("article", {}, {}, [])), (lambda *a, **k: PageFacts())
    totals = {"with": 0.0, "without": 0.0}
    try:
        for turn in range(rounds):
            for index, case in enumerate(cases):
                for name in ("with", "without") if (index + turn) % 2 == 0 else ("without", "with"):
                    extract.classify, extract.page_facts = real if name == "with" else stand_in
                    start = time.process_time()  # this process's CPU: the machine's other load aside
                    extract.extract_html(case.html, case.url)
                    totals[name] += time.process_time() - start
    finally:
        extract.classify, extract.page_facts = real
    pages = len(cases) * rounds
    return totals["with"] / pages, totals["without"] / pages


# -- demo site ---------------------------------------------------------------------------


DEMO_BASE = "http://127.0.0.1:8000"


def demo_pages(flavour: str, n: int) -> tuple[list[tuple[str, bytes, object]], list[tuple[str, bytes, str]]]:
    """Article pages (url, html, truth) and every other page (url, html, true kind) of a demo site."""
    from archiver.demo import FLAVOURS

    site = FLAVOURS[flavour](articles=n)
    host = {"Host": DEMO_BASE.split("//", 1)[1]}
    articles = [(DEMO_BASE + a.path, site.render("GET", a.path, host, DEMO_BASE).body, a) for a in site.articles]
    others = [(DEMO_BASE + path, site.render("GET", path, host, DEMO_BASE).body, kind)
              for path, kind in site.page_kinds().items()]
    return articles, others


def run_demo(flavour: str, n: int) -> None:
    from archiver.extraction.extract import extract_html
    from archiver.items import Extraction

    articles, others = demo_pages(flavour, n)
    hits: dict[str, list[bool]] = {"authors": [], "credit": [], "published": [], "published moment": [],
                                   "title": [], "text": []}
    for url, html, article in articles:
        result = extract_html(html, url)
        ok = isinstance(result, Extraction)
        hits["authors"].append(ok and result.authors == article.authors)
        hits["credit"].append(ok and result.credit == article.credit)
        hits["published"].append(ok and same_day(result.published, str(article.published)))
        hits["published moment"].append(ok and same_moment(result.published, str(article.published)))
        hits["title"].append(ok and norm_title(result.title) == norm_title(article.title))
        hits["text"].append(ok and body_prf(result.text, article.text)[2] >= 0.95)
    judged = [(kind, getattr(extract_html(html, url), "reason", "article")) for url, html, kind in others]
    print(f"\n{flavour} demo site ({len(articles)} articles, {len(others)} other pages)")
    for key, values in hits.items():
        label = "text F1 >= 0.95" if key == "text" else f"{key} exact"
        print(f"{label:<34}{accuracy(values):>14.1%}")
    print(f"{'other pages given their true kind':<34}{accuracy([k == got for k, got in judged]):>14.1%}   ("
          + ", ".join(f"{n} {kind}" for kind, n in Counter(kind for kind, _ in judged).most_common()) + ")")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per data set")
    parser.add_argument("--show-misses", choices=["author", "date", "title"], default=None)
    parser.add_argument("--only", choices=list(EXTRACTORS), default=None)
    parser.add_argument("--demo", action="store_true", help="also measure on the pages of both demo sites")
    parser.add_argument("--kind-cost", action="store_true", help="also time the page-kind classifier")
    parser.add_argument("--demo-articles", type=int, default=200)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page

    realworld = load_cases("realworld", args.limit)
    metadata = load_cases("metadata", args.limit)
    evaluated = evaluate([args.only] if args.only else list(EXTRACTORS), realworld, metadata)
    results = {name: scores for name, (scores, _) in evaluated.items()}
    if args.show_misses and "ours" in evaluated:
        show_misses(args.show_misses, metadata, evaluated["ours"][1])
    print_table(results, len(realworld), len(metadata))
    if "ours" in results:
        refused = judged_not_articles(realworld + metadata)
        kinds = Counter(kind for kind, _, _ in refused)
        print(f"{'judged not articles by a crawl':<34}{len(refused):>14}"
              + (f"   ({', '.join(f'{n} {kind}' for kind, n in kinds.most_common())})" if kinds else ""))
        for kind, url, detail in refused:
            print(f"   {kind:<8} {url}\n            {detail}")
    if args.kind_cost:
        with_kinds, without = kind_cost(realworld + metadata)
        print(f"\n{'extraction CPU ms/page, with kinds':<34}{1000 * with_kinds:>14.1f}")
        print(f"{'extraction CPU ms/page, without':<34}{1000 * without:>14.1f}")
        print(f"{'page-kind classifier share':<34}{(with_kinds - without) / with_kinds:>14.1%}")
    if args.demo:
        for flavour in ("wordpress", "custom"):
            run_demo(flavour, args.demo_articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
