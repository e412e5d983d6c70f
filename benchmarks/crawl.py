"""End-to-end crawl throughput against the extraction limit of this machine.

Serves the demo site with N articles on 127.0.0.1, runs a full ``archiver crawl`` into a
temp dir (a separate process, as a user would), then an incremental re-crawl, then, in
the same run, measures the *extraction limit* over the same pages' saved HTML: plain
``trafilatura.bare_extraction`` in one process (the issue's yardstick: what a bare
extraction script does), and our own ``extract()`` in one process and with a worker pool
of the crawl's size. Prints articles/s, pages/s, the ratio crawl ÷ bare_extraction (and
crawl ÷ single-process ``extract()``), where the CPU went per article (crawl main thread,
each of its other threads, the extraction workers, the index writer, the demo server in
this process; "outside extraction" is everything but the workers) and the crawl
process's peak RSS split into anonymous memory and file-backed pages (mmapped index
segments count in RSS but are page cache the kernel can drop).

The machine may be shared, so ``--runs`` repeats everything (crawl and extraction
interleaved) and prints medians; each run's ratios come from that run's own figures.

    python benchmarks/crawl.py                      # N = 2,000, one run
    python benchmarks/crawl.py --articles 1000 --runs 3
    python benchmarks/crawl.py --articles 500 --workers 2 -s ARCHIVER_INDEX_BATCH_SIZE=1000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.extraction.extract import extract
from archiver.datadir import DataDir
from archiver.items import Extraction, FetchedPage
from archiver.reextract import page_of
from archiver.storage.captures import Capture, read_capture
from archiver.storage.records import ArticleStore
from index.writer import WRITER_PROCESS_NAME

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(stat_path: str) -> float:
    """utime + stime of a process or thread, from its ``stat`` file."""
    with open(stat_path) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _rss_kb(pid: int) -> tuple[int, int]:
    """(RssAnon, RssFile + RssShmem) of a process in kB."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, rest = line.partition(":")
            if name in ("RssAnon", "RssFile", "RssShmem"):
                values[name] = int(rest.split()[0])
    return values.get("RssAnon", 0), values.get("RssFile", 0) + values.get("RssShmem", 0)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in os.listdir(f"/proc/{parent}/task"):
            with open(f"/proc/{parent}/task/{task}/children") as handle:
                children = [int(c) for c in handle.read().split()]
            found += children
            todo += children
    return found


@dataclass
class TreeSampler:
    """Polls /proc for the crawl process, its threads and its child processes.

    ``ru_maxrss`` cannot tell anonymous memory from mmapped files, and rusage cannot
    say which thread or child used the CPU, so both are sampled here (the last sample
    of a thread or child is at most one interval old when it ends).
    """

    pid: int
    peak_anon_kb: int = 0
    peak_file_kb: int = 0
    peak_rss_kb: int = 0
    peak_workers_kb: int = 0  #: RSS of the child processes together (extraction workers, index writer)
    peak_writer_kb: int = 0  #: RSS of the index writer process
    threads: dict[int, float] = field(default_factory=dict)
    children: dict[int, float] = field(default_factory=dict)
    writers: set[int] = field(default_factory=set)  #: child pids that are the index writer

    def sample(self) -> None:
        try:
            anon, file = _rss_kb(self.pid)
            for task in os.listdir(f"/proc/{self.pid}/task"):
                self.threads[int(task)] = _cpu_seconds(f"/proc/{self.pid}/task/{task}/stat")
            workers = 0
            for child in _descendants(self.pid):
                self.children[child] = _cpu_seconds(f"/proc/{child}/stat")
                rss = sum(_rss_kb(child))
                workers += rss
                with open(f"/proc/{child}/comm") as handle:
                    if handle.read().strip() == WRITER_PROCESS_NAME:
                        self.writers.add(child)
                        self.peak_writer_kb = max(self.peak_writer_kb, rss)
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            return  # a thread or child ended between listing and reading: the next sample sees it
        self.peak_anon_kb = max(self.peak_anon_kb, anon)
        self.peak_file_kb = max(self.peak_file_kb, file)
        self.peak_rss_kb = max(self.peak_rss_kb, anon + file)
        self.peak_workers_kb = max(self.peak_workers_kb, workers)

    @property
    def main_cpu(self) -> float:
        return self.threads.get(self.pid, 0.0)

    @property
    def threads_cpu(self) -> float:
        return sum(v for k, v in self.threads.items() if k != self.pid)

    def busiest_threads(self, count: int = 3) -> list[float]:
        """CPU seconds of the crawl's other threads (archive, DNS, pool manager...), busiest first."""
        return sorted((v for k, v in self.threads.items() if k != self.pid), reverse=True)[:count]

    @property
    def children_cpu(self) -> float:
        return sum(self.children.values())

    @property
    def writer_cpu(self) -> float:
        return sum(v for k, v in self.children.items() if k in self.writers)


@dataclass
class CrawlFigures:
    articles: int
    requests: int
    seconds: float
    peak_rss_mb: float  #: of the crawl process, from its run log (ru_maxrss; workers not included)
    sampler: TreeSampler
    server_cpu: float  #: the demo server, which runs in this benchmark process

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def pages_per_s(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_seconds(self) -> float:
        """Crawl process, its extraction workers and the demo server together."""
        return self.sampler.main_cpu + self.sampler.threads_cpu + self.sampler.children_cpu + self.server_cpu

    @property
    def extraction_cpu(self) -> float:
        return self.sampler.children_cpu - self.sampler.writer_cpu

    def ms_per_article(self, seconds: float) -> float:
        return 1000 * seconds / max(self.articles, 1)

    @property
    def outside_ms(self) -> float:
        """CPU per article outside the extraction workers (the crawl's overhead; demo server excluded)."""
        return self.ms_per_article(self.cpu_seconds - self.extraction_cpu - self.server_cpu)

    def cpu_line(self) -> str:
        s = self.sampler
        parts = [("crawl main thread", s.main_cpu), ("crawl other threads", s.threads_cpu),
                 ("extraction workers", self.extraction_cpu), ("index writer", s.writer_cpu),
                 ("demo server", self.server_cpu)]
        threads = ", ".join(f"{self.ms_per_article(cpu):.1f}" for cpu in s.busiest_threads())
        return ("; ".join(f"{label} {cpu:.1f} s ({self.ms_per_article(cpu):.1f} ms/article)" for label, cpu in parts)
                + f"; busiest other threads {threads} ms/article; outside extraction (demo server excluded) "
                f"{self.outside_ms:.1f} ms/article")

    def rss_line(self) -> str:
        s = self.sampler
        return (f"peak RSS {self.peak_rss_mb:.0f} MB (sampled: anon {s.peak_anon_kb / 1024:.0f} MB + "
                f"file {s.peak_file_kb / 1024:.0f} MB); child processes together {s.peak_workers_kb / 1024:.0f} MB "
                f"(index writer {s.peak_writer_kb / 1024:.0f} MB)")


def run_crawl(url: str, data_dir: Path, extra: list[str], interval: float = 0.2) -> CrawlFigures:
    """One ``archiver crawl`` in a child process, sampled every ``interval`` seconds."""
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    sampling = 0.0
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-m", "archiver", "crawl", url, "--data-dir", str(data_dir), *extra],
                                 stdout=subprocess.DEVNULL, stderr=errors)
        sampler = TreeSampler(child.pid)
        while child.poll() is None:
            tick = time.thread_time()
            sampler.sample()
            sampling += time.thread_time() - tick
            time.sleep(interval)
        seconds = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    if child.returncode != 0:
        raise SystemExit(f"crawl failed: {stderr[-2000:]}")
    run = json.loads((data_dir / "state" / "runs.jsonl").read_text().splitlines()[-1])
    server = (self_after.ru_utime - self_before.ru_utime) + (self_after.ru_stime - self_before.ru_stime) - sampling
    return CrawlFigures(run["articles"], run["requests"], seconds, run["peak_rss_mb"], sampler, server)


def saved_pages(data_dir: Path) -> list[FetchedPage]:
    """The archived pages as the extractor saw them, read back from their WARC captures."""
    archive = DataDir(data_dir)
    return [page_of(read_capture(archive, Capture.from_dict(record["capture"])))
            for record in ArticleStore(archive).iter_records()]


def bare_extraction_rate(pages: list[FetchedPage]) -> float:
    """Articles/s of plain ``trafilatura.bare_extraction`` (with metadata) in this process:
    what a script that only extracts would do with the same pages."""
    started = time.perf_counter()
    for page in pages:
        trafilatura.bare_extraction(page.body, url=page.final_url, with_metadata=True)
    return len(pages) / (time.perf_counter() - started)


def extraction_rate(pages: list[FetchedPage], workers: int) -> float:
    """Articles/s of extract() alone: inline (workers=0) or in a process pool."""
    started = time.perf_counter()
    if workers == 0:
        results = [extract(page) for page in pages]
    else:
        with ProcessPoolExecutor(workers) as pool:
            pool.submit(int).result()  # start-up is not extraction
            started = time.perf_counter()
            results = list(pool.map(extract, pages, chunksize=8))
    seconds = time.perf_counter() - started
    assert sum(isinstance(r, Extraction) for r in results) >= len(pages) * 0.95
    return len(pages) / seconds


@dataclass
class RunFigures:
    crawl: CrawlFigures
    again: CrawlFigures
    bare: float  #: trafilatura.bare_extraction, one process
    single: float  #: our extract(), one process
    pooled: float  #: our extract(), the crawl's worker count
    saved: int

    @property
    def ratio(self) -> float:
        """The issue's measure: crawl ÷ plain single-process bare_extraction."""
        return self.crawl.articles_per_s / self.bare

    @property
    def ratio_extract(self) -> float:
        return self.crawl.articles_per_s / self.single


def one_run(articles: int, extra: list[str], workers: int) -> RunFigures:
    with tempfile.TemporaryDirectory() as tmp, DemoServer(DemoSite(articles=articles)) as server:
        data_dir = Path(tmp) / "archive"
        crawl = run_crawl(server.url, data_dir, extra)
        again = run_crawl(server.url, data_dir, extra)
        pages = saved_pages(data_dir)
    return RunFigures(crawl, again, bare_extraction_rate(pages), extraction_rate(pages, 0),
                      extraction_rate(pages, workers), len(pages))


def report(run: RunFigures, workers: int) -> None:
    crawl, again = run.crawl, run.again
    print(f"full crawl:        {crawl.articles} articles, {crawl.requests} requests in {crawl.seconds:.1f} s "
          f"= {crawl.articles_per_s:.1f} articles/s, {crawl.pages_per_s:.1f} pages/s")
    print(f"  CPU {crawl.cpu_seconds:.1f} s ({1000 * crawl.cpu_seconds / max(crawl.articles, 1):.1f} ms/article): "
          f"{crawl.cpu_line()}")
    print(f"  {crawl.rss_line()}")
    print(f"incremental crawl: {again.articles} new, {again.requests} requests in {again.seconds:.1f} s "
          f"({crawl.seconds / again.seconds:.1f}x faster than the full crawl)")
    print(f"extraction limit:  trafilatura.bare_extraction {run.bare:.1f} articles/s in one process; our extract() "
          f"{run.single:.1f} articles/s in one process, {run.pooled:.1f} with {workers} workers ({run.saved} saved pages)")
    print(f"ratio crawl / bare_extraction: {run.ratio:.2f}; crawl / single-process extract(): {run.ratio_extract:.2f}; "
          f"crawl / pooled extract(): {crawl.articles_per_s / run.pooled:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; medians are printed at the end")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting passed to every crawl (archiver crawl -s)")
    args = parser.parse_args()
    extra = ["--workers", str(args.workers)] + [f"--set={s}" for s in args.settings]
    print(f"demo site: {args.articles} articles, {os.cpu_count()} cores, {args.workers} extraction workers"
          + (f", settings {' '.join(args.settings)}" if args.settings else ""))
    runs = []
    for number in range(1, args.runs + 1):
        if args.runs > 1:
            print(f"-- run {number} of {args.runs}")
        runs.append(one_run(args.articles, extra, args.workers))
        report(runs[-1], args.workers)
    if args.runs > 1:
        med = statistics.median

        def ms(cpu) -> float:
            return med(r.crawl.ms_per_article(cpu(r.crawl)) for r in runs)

        print(f"== median of {args.runs} runs: crawl {med(r.crawl.articles_per_s for r in runs):.1f} articles/s, "
              f"{med(r.crawl.pages_per_s for r in runs):.1f} pages/s; bare_extraction {med(r.bare for r in runs):.1f} "
              f"articles/s; extract() {med(r.single for r in runs):.1f} single, {med(r.pooled for r in runs):.1f} pooled; "
              f"ratio crawl / bare_extraction {med(r.ratio for r in runs):.2f}, crawl / extract() "
              f"{med(r.ratio_extract for r in runs):.2f}; incremental {med(r.crawl.seconds / r.again.seconds for r in runs):.1f}x")
        print(f"   CPU ms/article: main thread {ms(lambda c: c.sampler.main_cpu):.1f}, other threads "
              f"{ms(lambda c: c.sampler.threads_cpu):.1f}, extraction workers {ms(lambda c: c.extraction_cpu):.1f}, "
              f"index writer {ms(lambda c: c.sampler.writer_cpu):.1f}, demo server {ms(lambda c: c.server_cpu):.1f}; "
              f"outside extraction {med(r.crawl.outside_ms for r in runs):.1f}; "
              f"peak RSS {med(r.crawl.peak_rss_mb for r in runs):.0f} MB "
              f"(anon {med(r.crawl.sampler.peak_anon_kb for r in runs) / 1024:.0f} + "
              f"file {med(r.crawl.sampler.peak_file_kb for r in runs) / 1024:.0f})")


if __name__ == "__main__":
    main()
