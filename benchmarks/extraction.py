"""Extraction quality and speed: our extractor against plain trafilatura, same pages, one run.

    python benchmarks/extraction.py [--demo] [--limit N] [--show-misses FIELD]

Every data set is split in two halves, A and B, by a stable hash of the page id
(:func:`half_of`): the same split on every machine and in every run. Rules are chosen and
tuned on half A only (``--show-misses`` lists half A's misses); half B is held back, and
a rule that helps A but hurts B fits the pages it was written for. Both halves are
printed side by side, for ours and for plain trafilatura, with ours' lift over it.

Figures printed (not a test; ``tests/test_extraction_quality.py`` is the gate):

- body token F1 on ``realworld/`` (bag of lower-case words, as in the Scrapinghub
  article-extraction-benchmark: precision/recall/F1 per page, averaged);
- author exact-match accuracy, published-date accuracy (same day) and title accuracy on
  ``metadata/``, and published-date accuracy on ``dates/`` (htmldate's evaluation pages),
  counting only pages whose truth has the field; "byline" compares who the byline credits:
  the authors, or the credit when no person is named (the truth annotates agencies and
  desks as authors, where the record has them as ``credit``);
- pages per second for each extractor over all pages, timed page by page in turn after
  an untimed warm-up (:data:`WARM_UP_PAGES`), and the ratio of their times;
- the pages our page-kind classifier would not archive in a crawl, by kind (extraction
  figures leave that judgement out: plain trafilatura has none);
- with ``--kind-cost``, what the page-kind classifier costs: our extraction with it and with
  a stand-in that calls every page an article, page by page in turn;
- with ``--demo``, exact fields on the pages of both demo sites (WordPress and custom CMS),
  and how many of their other pages get their true kind; "published moment" counts a
  datetime that is the same instant as the truth (a plain day is no moment).

``--show-misses date`` also lists every date candidate of a missed page, "*" marking the
sources that name the day chosen. ``--date-misses`` sorts our published-day misses on both
halves by kind (``benchmarks/date_misses.py``) and prints the ceiling of any ranking of the
pages' own candidates, with its lift over trafilatura.

The shared data is found through ``ARCHIVER_SHARED_DATA``, else ``<repo>/../shared/data``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
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
    authors_source: str | None = None  #: ours only: where the byline came from
    date_source: str | None = None  #: ours only: where the date came from
    credit: str | None = None  #: ours only: the organisation the byline credits

    @property
    def byline(self) -> list[str]:
        """Who the byline credits: the people, else the organisation."""
        return self.authors or ([self.credit] if self.credit else [])


def shared_data_dir() -> Path:
    env = os.environ.get("ARCHIVER_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


#: The data sets under the shared data dir: bodies, metadata, publication days.
DATA_SETS = ("realworld", "metadata", "dates")


def load_cases(name: str, limit: int | None = None) -> list[Case]:
    """The pages of one data set (one of :data:`DATA_SETS`) with their truth."""
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
    return Outcome(result.text, result.title, list(result.authors), result.published, result.authors_source,
                   result.published_source, result.credit)


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

#: The half rules are chosen on; the other is held back to check that they generalise.
TUNING_HALF = "A"
HALVES = ("A", "B")


def half_of(page_id: str) -> str:
    """"A" or "B" by a stable hash of the page id (not Python's salted ``hash``)."""
    return HALVES[hashlib.sha256(page_id.encode("utf-8")).digest()[0] & 1]


@dataclass(frozen=True)
class Measure:
    """One figure of the table: a field scored on one data set."""

    label: str
    data_set: str
    field: str  #: "body" (F1), "author", "date" or "title" (accuracy)


MEASURES = (
    Measure("body F1, realworld", "realworld", "body"),
    Measure("authors, metadata", "metadata", "author"),
    Measure("byline, metadata", "metadata", "byline"),
    Measure("published day, metadata", "metadata", "date"),
    Measure("title, metadata", "metadata", "title"),
    Measure("published day, dates", "dates", "date"),
)


def score_bodies(cases: list[Case], outcomes: list[Outcome]) -> tuple[float, float, float]:
    triples = [body_prf(o.text, c.truth["body"]) for c, o in zip(cases, outcomes)]
    n = len(triples) or 1
    return tuple(sum(t[i] for t in triples) / n for i in range(3))  # type: ignore[return-value]


def page_scores(case: Case, out: Outcome) -> dict[str, float]:
    """Per field the truth has, this page's score: body F1, or 1.0/0.0 for a hit/miss."""
    truth = case.truth
    scores = {}
    if truth.get("body") is not None:
        scores["body"] = body_prf(out.text, truth["body"])[2]
    if truth.get("author"):
        scores["author"] = float(author_set(out.authors) == author_set(truth["author"]))
        scores["byline"] = float(author_set(out.byline) == author_set(truth["author"]))
    if truth.get("date"):
        scores["date"] = float(same_day(out.date, truth["date"]))
    if truth.get("title"):
        scores["title"] = float(norm_title(out.title) == norm_title(truth["title"]))
    return scores


def metadata_hits(cases: list[Case], outcomes: list[Outcome]) -> dict[str, list[bool]]:
    """Per field, one hit/miss per page whose truth has that field."""
    hits: dict[str, list[bool]] = {"author": [], "byline": [], "date": [], "title": []}
    for case, out in zip(cases, outcomes):
        for name, score in page_scores(case, out).items():
            if name in hits:
                hits[name].append(score == 1.0)
    return hits


def accuracy(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass
class Run:
    """Every extractor's outcome for every page of every data set, and its total time."""

    cases: dict[str, list[Case]]
    outcomes: dict[str, dict[str, list[Outcome]]]  #: extractor -> data set -> per page
    seconds: dict[str, float]

    def figure(self, name: str, measure: Measure, half: str | None) -> tuple[float | None, int]:
        """The mean score of ``measure`` over one half (None: all pages), and its page count."""
        values = [score for case, out in zip(self.cases[measure.data_set], self.outcomes[name][measure.data_set])
                  if half is None or half_of(case.id) == half
                  if (score := page_scores(case, out).get(measure.field)) is not None]
        return (sum(values) / len(values) if values else None), len(values)

    def pages_per_s(self, name: str) -> float:
        pages = sum(len(cases) for cases in self.cases.values())
        return pages / self.seconds[name] if self.seconds[name] else 0.0


#: Pages of each data set every extractor reads untimed before the timed run: a process's
#: one-off costs (imports, the language identifier's model) are no per-page cost, and
#: would land on whichever extractor meets them first.
WARM_UP_PAGES = 5


def evaluate(names: list[str], cases: dict[str, list[Case]]) -> Run:
    """Each extractor over every data set, measured in one interleaved run."""
    for pages in cases.values():
        for case in pages[:WARM_UP_PAGES]:
            for name in names:
                EXTRACTORS[name](case)
    outcomes: dict[str, dict[str, list[Outcome]]] = {name: {} for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for data_set, pages in cases.items():
        for name, (outs, spent) in timed_interleaved(names, pages).items():
            outcomes[name][data_set] = outs
            seconds[name] += spent
    return Run(cases, outcomes, seconds)


def print_table(run: Run) -> None:
    """Half A, half B and all pages side by side: ours, trafilatura, and ours' lift."""
    names = list(run.outcomes)
    both = names == list(EXTRACTORS)
    groups = [*HALVES, None]
    width = 9 * len(names) + (8 if both else 0)
    print(" " * 36 + "".join(f"   {(f' half {g} ' if g else ' all pages '):-^{width}}" for g in groups))
    columns = "".join(f"{n[:8]:>9}" for n in names) + (f"{'lift':>8}" if both else "")
    print(f"{'measure':<26}{'pages A/B':>10}" + f"   {columns}" * len(groups))
    for measure in MEASURES:
        counts = [run.figure(names[0], measure, half)[1] for half in HALVES]
        if not any(counts):
            continue
        line = f"{measure.label:<26}{'/'.join(map(str, counts)):>10}"
        for half in groups:
            values = [run.figure(name, measure, half)[0] for name in names]
            line += "   " + "".join(f"{_fmt(measure, v):>9}" for v in values)
            if both:
                line += f"{_lift(measure, values[0], values[1]):>8}"
        print(line)
    speeds = "".join(f"{f'{n}: {run.pages_per_s(n):.1f}':>20}" for n in names)
    print(f"{'pages/s (all pages)':<36}{speeds}")
    if both and run.seconds["trafilatura"]:
        print(f"{'time ratio ours/trafilatura':<36}{run.seconds['ours'] / run.seconds['trafilatura']:>20.2f}")


def print_sources(run: Run) -> None:
    """How our dates and bylines were found, and how often each kind of evidence is right:
    what a researcher filtering on ``published_source`` / ``authors_source`` can expect."""
    for label, field_name, attr in (("published_source", "date", "date_source"),
                                    ("authors_source", "author", "authors_source")):
        hits: dict[str, dict[str, list[float]]] = {}
        for data_set, cases in run.cases.items():
            for case, out in zip(cases, run.outcomes["ours"][data_set]):
                score = page_scores(case, out).get(field_name)
                if score is not None:
                    source = getattr(out, attr) or "(none)"
                    hits.setdefault(source, {h: [] for h in HALVES}).setdefault(half_of(case.id), []).append(score)
        print(f"\n{label + ' (ours)':<26}" + "".join(f"{f'half {h}: pages':>16}{'right':>8}" for h in HALVES))
        for source, by_half in sorted(hits.items(), key=lambda item: -sum(map(len, item[1].values()))):
            print(f"{source:<26}" + "".join(f"{len(v):>16}" + (f"{sum(v) / len(v):>8.0%}" if v else f"{'-':>8}")
                                            for v in (by_half[h] for h in HALVES)))


def _fmt(measure: Measure, value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if measure.field == "body" else f"{value:.1%}"


def _lift(measure: Measure, ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None:
        return "-"
    return f"{ours - theirs:+.3f}" if measure.field == "body" else f"{100 * (ours - theirs):+.1f}"


def show_misses(field_name: str, run: Run) -> None:
    """Our misses of one field on the tuning half of every data set (half B stays unseen)."""
    for data_set, cases in run.cases.items():
        for case, out in zip(cases, run.outcomes["ours"][data_set]):
            truth = case.truth
            if half_of(case.id) != TUNING_HALF or page_scores(case, out).get(field_name, 1.0) == 1.0:
                continue
            if field_name == "author":
                print(f"{case.url}\n   truth={truth['author']!r}\n   got  ={out.authors!r} credit={out.credit!r}")
            elif field_name == "date":
                print(f"{case.url}\n   truth={truth['date']!r} got={out.date!r}")
                print_date_sources(case, out.date)
            elif field_name == "title":
                print(f"{case.url}\n   truth={truth['title']!r}\n   got  ={out.title!r}")


def date_candidates(case: Case) -> tuple[list, list]:
    """A page's published-date candidates (its own, its URL's, htmldate's) and its
    modified-date candidates, as our extractor gathers them."""
    from archiver.extraction.extract import _run_trafilatura, decode_html, parse_html, published_candidates
    from archiver.extraction.metadata import read_metadata

    tree = parse_html(decode_html(case.html))
    if tree is None:
        return [], []
    md = read_metadata(tree, case.url)
    doc = _run_trafilatura(tree, case.url)
    return published_candidates(md, case.url, doc.date if doc is not None else None), md.modified


def print_date_sources(case: Case, chosen: str | None) -> None:
    """Every published-date candidate of a page, parsed; "*" marks those that name the day
    chosen (the winner, or the sources that agree with it)."""
    from archiver.extraction import dates

    published, modified = date_candidates(case)
    for cand in published:
        value = dates.parse_date(cand.value)
        mark = "*" if value and chosen and value[:10] == chosen[:10] else " "
        print(f"   {mark} {cand.source:<34} {cand.value[:60]!r} -> {value}")
    for cand in modified:
        print(f"     (modified) {cand.source:<23} {cand.value[:60]!r}")


def print_date_misses(run: Run) -> None:
    """Our published-day misses on each half by kind (:func:`date_misses.miss_kind`), and
    the ceiling: ours with every miss that a ranking of the page's candidates could get
    right counted as a hit, and its lift over trafilatura."""
    from archiver.extraction import dates
    from benchmarks.date_misses import MISS_KINDS, REACHABLE_KINDS, miss_kind

    measures = [m for m in MEASURES if m.field == "date"]
    print(f"\n{'published-day misses (ours)':<26}{'half':>5}" + "".join(f"{k:>20}" for k in MISS_KINDS)
          + f"{'ceiling':>9}{'lift':>7}{'ceiling lift':>13}")
    for measure in measures:
        kinds: dict[str, Counter] = {half: Counter() for half in HALVES}
        for case, out in zip(run.cases[measure.data_set], run.outcomes["ours"][measure.data_set]):
            if page_scores(case, out).get("date", 1.0) == 1.0:
                continue
            values = [v for cand in date_candidates(case)[0] if (v := dates.parse_date(cand.value))]
            kind = miss_kind(truth_day(case.truth["date"]), values, has_text=bool(out.text))
            kinds[half_of(case.id)][kind] += 1
        for half in HALVES:
            ours, pages = run.figure("ours", measure, half)
            theirs = run.figure("trafilatura", measure, half)[0] if "trafilatura" in run.outcomes else None
            ceiling = (ours or 0.0) + sum(kinds[half][k] for k in REACHABLE_KINDS) / (pages or 1)
            print(f"{measure.label:<26}{half:>5}" + "".join(f"{kinds[half][k]:>20}" for k in MISS_KINDS)
                  + f"{ceiling:>9.1%}{_lift(measure, ours, theirs):>7}{_lift(measure, ceiling, theirs):>13}")


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
    parser.add_argument("--show-misses", choices=["author", "date", "title"], default=None,
                        help=f"list our misses on half {TUNING_HALF}, the half rules are tuned on")
    parser.add_argument("--only", choices=list(EXTRACTORS), default=None)
    parser.add_argument("--demo", action="store_true", help="also measure on the pages of both demo sites")
    parser.add_argument("--kind-cost", action="store_true", help="also time the page-kind classifier")
    parser.add_argument("--date-misses", action="store_true",
                        help="also sort our published-day misses by kind, with the ceiling of any ranking")
    parser.add_argument("--demo-articles", type=int, default=200)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page

    cases = {name: load_cases(name, args.limit) for name in DATA_SETS}
    run = evaluate([args.only] if args.only else list(EXTRACTORS), cases)
    if args.show_misses and "ours" in run.outcomes:
        show_misses(args.show_misses, run)
    print_table(run)
    if "ours" in run.outcomes:
        print_sources(run)
        refused = judged_not_articles(cases["realworld"] + cases["metadata"])
        kinds = Counter(kind for kind, _, _ in refused)
        print(f"{'judged not articles by a crawl':<36}{len(refused):>20}"
              + (f"   ({', '.join(f'{n} {kind}' for kind, n in kinds.most_common())})" if kinds else ""))
        for kind, url, detail in refused:
            print(f"   {kind:<8} {url}\n            {detail}")
    if args.date_misses and "ours" in run.outcomes:
        print_date_misses(run)
    if args.kind_cost:
        with_kinds, without = kind_cost(cases["realworld"] + cases["metadata"])
        print(f"\n{'extraction CPU ms/page, with kinds':<36}{1000 * with_kinds:>14.1f}")
        print(f"{'extraction CPU ms/page, without':<36}{1000 * without:>14.1f}")
        print(f"{'page-kind classifier share':<36}{(with_kinds - without) / with_kinds:>14.1%}")
    if args.demo:
        for flavour in ("wordpress", "custom"):
            run_demo(flavour, args.demo_articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
