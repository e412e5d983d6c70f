"""news-please vs. ``archiver crawl`` on the same demo site, same run.

Serves the demo site with N articles on 127.0.0.1 (in this process), writes a news-please
config dir from ``config.cfg`` / ``sitelist.hjson`` beside this script (placeholders filled in),
runs ``/tmp/npvenv/bin/news-please -c <dir>`` as a child process (stdin closed, time limit),
then ``archiver crawl`` on the same server, and prints for each: records stored, distinct
ground-truth articles found (recall), duplicate and non-article records, wall seconds and
articles/s (distinct ground-truth articles per wall second), plus the ratio ours / news-please.

Run with the project's venv (news-please stays in its own venv):

    /work/venv/bin/python benchmarks/peers/run_newsplease.py                # N = 2,000
    /work/venv/bin/python benchmarks/peers/run_newsplease.py --articles 500 --crawler LocalRecursiveCrawler
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoArticle, DemoSite

HERE = Path(__file__).resolve().parent
NEWS_PLEASE = "/tmp/npvenv/bin/news-please"
ARCHIVER = str(Path(sys.executable).with_name("archiver"))


@dataclass
class Figures:
    name: str
    seconds: float  #: wall clock of the whole command, start to exit
    records: list[tuple[str, dict]]  #: (url, record) per stored record
    written: int | None = None  #: records the tool wrote, counting ones later overwritten
    inner_seconds: float | None = None  #: the tool's own crawl time (Scrapy elapsed / run log)
    requests: int | None = None
    exit: str = ""
    notes: list[str] = field(default_factory=list)
    written_urls: list[str] | None = None  #: news-please: URL of every item written, in order


def run_child(cmd: list[str], env: dict[str, str], log: Path, timeout: float, cwd: Path) -> tuple[float, str]:
    """Run cmd with stdin closed; on timeout SIGTERM (then SIGKILL) its whole process group."""
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=env, cwd=cwd, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
            status = f"exit {code}"
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            status = f"killed after {timeout:.0f} s time limit"
    return time.perf_counter() - started, status


def scrapy_stats(log_text: str) -> dict[str, float]:
    """Numeric entries of the last 'Dumping Scrapy stats' block of a Scrapy log."""
    block = log_text.rsplit("Dumping Scrapy stats:", 1)[-1]
    return {k: float(v) for k, v in re.findall(r"'([\w/]+)': ([\d.]+)[,}]", block)}


def run_newsplease(url: str, work: Path, crawler: str, timeout: float) -> Figures:
    cfg_dir = work / "config"
    cfg_dir.mkdir(parents=True)
    working_path = str(work) + "/"
    (cfg_dir / "config.cfg").write_text((HERE / "config.cfg").read_text().replace("{{WORKING_PATH}}", working_path))
    (cfg_dir / "sitelist.hjson").write_text(
        (HERE / "sitelist.hjson").read_text().replace("{{BASE_URL}}", url).replace("{{CRAWLER}}", crawler))
    item_log = work / "items.txt"
    env = dict(os.environ, PYTHONPATH=str(HERE), NP_ITEM_LOG=str(item_log))
    env.pop("VIRTUAL_ENV", None)
    seconds, status = run_child([NEWS_PLEASE, "-c", str(cfg_dir)], env, work / "stdout.txt", timeout, work)
    records = []
    for path in sorted((work / "data").rglob("*.json")) if (work / "data").exists() else []:
        record = json.loads(path.read_text())
        records.append((record.get("url") or "", record))
    log_path = work / "newsplease.log"
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    stats = scrapy_stats(log_text)
    written = len(item_log.read_text().splitlines()) if item_log.exists() else 0
    figures = Figures("news-please", seconds, records, written, stats.get("elapsed_time_seconds"),
                      int(stats.get("downloader/request_count", 0)), status)
    figures.notes.append(f"crawler {crawler}; Scrapy stats: {int(stats.get('response_received_count', 0))} responses, "
                         f"{int(stats.get('item_scraped_count', 0))} items, "
                         f"{int(stats.get('offsite/filtered', 0))} offsite-filtered")
    if item_log.exists():
        urls = item_log.read_text().splitlines()
        figures.written_urls = urls
    if not records:
        figures.notes.append("no records; last output:\n" + (work / "stdout.txt").read_text(errors="replace")[-3000:]
                             + "\n" + log_text[-3000:])
    return figures


def run_ours(url: str, work: Path, timeout: float, extra: list[str]) -> Figures:
    work.mkdir(parents=True, exist_ok=True)
    data_dir = work / "archive"
    seconds, status = run_child([ARCHIVER, "crawl", url, "--data-dir", str(data_dir), *extra], dict(os.environ),
                                work / "ours-stdout.txt", timeout, work)
    records = []
    for path in sorted((data_dir / "articles").rglob("*.json")):
        record = json.loads(path.read_text())
        records.append((record.get("url") or "", record))
    figures = Figures("archiver crawl", seconds, records, exit=status)
    runs = data_dir / "state" / "runs.jsonl"
    if runs.exists():
        run = json.loads(runs.read_text().splitlines()[-1])
        figures.requests = run.get("requests")
    summary = (work / "ours-stdout.txt").read_text(errors="replace").strip().splitlines()
    crawled = re.search(r"Crawled \d+ pages in ([\d.]+) s", summary[0] if summary else "")
    if crawled:
        figures.inner_seconds = float(crawled.group(1))
    figures.notes.append(summary[0] if summary else "(no output)")
    return figures


class GroundTruth:
    def __init__(self, site: DemoSite):
        self.by_path: dict[str, DemoArticle] = {}
        self.by_title: dict[str, DemoArticle] = {}
        for a in site.articles:
            for p in [a.path, *site.variant_paths(a)]:
                self.by_path[p] = a
            self.by_title[norm(a.title)] = a
        self.total = len(site.articles)

    def match(self, url: str, title: str | None) -> DemoArticle | None:
        parts = urlsplit(url)
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.by_path.get(key) or self.by_path.get(parts.path) or self.by_title.get(norm(title or ""))


def norm(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).casefold()


def authors_of(record: dict) -> list[str]:
    return list(record.get("authors") or [])


def published_of(record: dict) -> str:
    value = record.get("published") or record.get("date_publish") or ""
    return value.replace(" ", "T")[:16]


def score(f: Figures, truth: GroundTruth) -> dict[str, float]:
    found: dict[int, list[dict]] = {}
    not_articles = 0
    for url, record in f.records:
        article = truth.match(url, record.get("title"))
        if article is None:
            not_articles += 1
        else:
            found.setdefault(article.number, []).append(record)
    extra = sum(len(v) - 1 for v in found.values())
    by_number = {a.number: a for a in truth.by_path.values()}
    firsts = [(by_number[n], recs[0]) for n, recs in found.items()]
    ok = lambda pred: 100.0 * sum(pred(a, r) for a, r in firsts) / max(len(firsts), 1)  # noqa: E731
    return {
        "stored": len(f.records), "found": len(found), "recall": 100.0 * len(found) / truth.total,
        "dup": extra, "non": not_articles, "seconds": f.seconds, "rate": len(found) / f.seconds,
        "title_ok": ok(lambda a, r: norm(r.get("title") or "") == norm(a.title)),
        "authors_ok": ok(lambda a, r: authors_of(r) == list(a.authors)),
        "date_ok": ok(lambda a, r: published_of(r) == a.published[:16]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--crawler", default="LocalSitemapCrawler",
                        help="news-please crawler: LocalSitemapCrawler (default) or LocalRecursiveCrawler "
                             "(np_local_spiders.py; news-please's own classes with the port fix)")
    parser.add_argument("--timeout", type=float, default=900, help="time limit per tool, seconds")
    parser.add_argument("--keep", type=Path, help="keep the work dirs here instead of a temp dir")
    parser.add_argument("--skip-ours", action="store_true")
    parser.add_argument("--ours-args", default="", help="extra args for archiver crawl, e.g. '--workers 2'")
    args = parser.parse_args()

    site = DemoSite(articles=args.articles)
    truth = GroundTruth(site)
    with tempfile.TemporaryDirectory() as tmp, DemoServer(site) as server:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        print(f"demo site {server.url}: {args.articles} articles; {os.cpu_count()} cores; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
        results = [run_newsplease(server.url, root / "newsplease", args.crawler, args.timeout)]
        print(f"news-please done in {results[0].seconds:.1f} s ({results[0].exit})", flush=True)
        if not args.skip_ours:
            results.append(run_ours(server.url, root / "ours", args.timeout, args.ours_args.split()))
            print(f"archiver crawl done in {results[1].seconds:.1f} s ({results[1].exit})", flush=True)
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    print()
    head = (f"{'tool':<15} {'stored':>7} {'written':>7} {'found':>6} {'recall':>7} {'dup':>4} {'non-art':>7} "
            f"{'wall s':>7} {'crawl s':>7} {'requests':>8} {'art/s':>6} {'title':>6} {'authors':>7} {'date':>6}")
    print(head)
    scores = []
    for f in results:
        s = score(f, truth)
        scores.append(s)
        inner = f"{f.inner_seconds:.1f}" if f.inner_seconds else "-"
        written = str(f.written) if f.written is not None else "-"
        print(f"{f.name:<15} {s['stored']:>7} {written:>7} {s['found']:>6} {s['recall']:>6.1f}% {s['dup']:>4} "
              f"{s['non']:>7} {s['seconds']:>7.1f} {inner:>7} {f.requests or 0:>8} {s['rate']:>6.1f} "
              f"{s['title_ok']:>5.1f}% {s['authors_ok']:>6.1f}% {s['date_ok']:>5.1f}%")
    for f in results:
        if f.written_urls is not None:
            matched = [truth.match(u, None) for u in f.written_urls]
            distinct = {a.number for a in matched if a is not None}
            f.notes.append(f"items written: {len(f.written_urls)} ({len(set(f.written_urls))} distinct URLs, "
                           f"{len(distinct)} distinct ground-truth articles, {matched.count(None)} non-article "
                           f"items); {len(f.written_urls) - len(f.records)} JSON files overwritten by later items "
                           f"(default file names drop the slug of URLs ending in '/')")
    if len(scores) == 2 and scores[0]["rate"] > 0:
        print(f"\nspeed ratio ours / news-please (articles/s): {scores[1]['rate'] / scores[0]['rate']:.2f}")
        urls = results[0].written_urls or []
        written_found = len({a.number for a in (truth.match(u, None) for u in urls) if a is not None})
        if written_found:
            rate = written_found / results[0].seconds
            print(f"counting news-please's items written instead of files left: {written_found} articles, "
                  f"{rate:.1f} articles/s; ratio ours / news-please {scores[1]['rate'] / rate:.2f}")
    for f in results:
        for note in f.notes:
            print(f"[{f.name}] {note}")
    print("\nstored: records left on disk; written: records the tool wrote (news-please: items through its "
          "pipelines, incl. JSON files later overwritten); found: distinct ground-truth articles among stored "
          "records; dup: stored records beyond one per article; non-art: stored records matching no article; "
          "art/s: found / wall s; title/authors/date: share of found articles whose (first) record has the "
          "exact title, exact author list, publish time to the minute.")


if __name__ == "__main__":
    main()
