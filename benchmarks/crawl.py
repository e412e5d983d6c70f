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

The *floor*: in the same run, bare Scrapy crawls (benchmarks/bare_scrapy.py) fetch exactly
the URLs our full crawl requested (the demo server's request log) with the crawl's own
settings for a local site and do nothing with the pages, then also keep a JOBDIR frontier,
then also read every page's links with Scrapy's LinkExtractor. Their CPU per request and per
article beside our crawl process's (both counted from the first request on) says how much
of our cost outside extraction is Scrapy's own and how much is ours. ``--floor`` picks the
event loops to measure them with (Scrapy's asyncio reactor, Twisted's epoll reactor, or no
reactor: asyncio with Scrapy's aiohttp download handler).

The machine may be shared, so ``--runs`` repeats everything (crawl and extraction
interleaved) and prints medians; each run's ratios come from that run's own figures.

    python benchmarks/crawl.py                      # N = 2,000, one run
    python benchmarks/crawl.py --articles 1000 --runs 3
    python benchmarks/crawl.py --articles 500 --workers 2 -s ARCHIVER_INDEX_BATCH_SIZE=1000
    python benchmarks/crawl.py --articles 1000 --floor asyncio,epoll,reactorless
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
from collections.abc import Callable
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
    rss_kb: int = 0  #: the crawl process's RSS at the last sample
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
        self.rss_kb = anon + file
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

    @property
    def process_cpu(self) -> float:
        """CPU seconds of the sampled process itself, every thread (not its child processes)."""
        return sum(self.threads.values())

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
    startup_cpu: float  #: of the crawl process, before its first request (imports, opening the archive)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def pages_per_s(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_seconds(self) -> float:
        """Crawl process, its extraction workers and the demo server together."""
        return self.sampler.process_cpu + self.sampler.children_cpu + self.server_cpu

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


@dataclass
class SampledRun:
    """A child process run to its end while its CPU and memory were sampled."""

    sampler: TreeSampler
    seconds: float
    server_cpu: float  #: CPU of this benchmark process meanwhile (the demo server), sampling excluded
    startup_cpu: float  #: CPU of the process itself (every thread) before the server saw its first request


def run_sampled(command: list[str], server: DemoServer, interval: float = 0.2,
                on_sample: Callable[[TreeSampler], None] | None = None) -> SampledRun:
    """Run ``command`` against ``server``, sampled every ``interval`` seconds (``on_sample``
    sees the sampler after each sample); SystemExit with its stderr if it fails."""
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    sampling = 0.0
    startup = None
    served = len(server.requests)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = TreeSampler(child.pid)
        while child.poll() is None:
            tick = time.thread_time()
            sampler.sample()
            if startup is None and len(server.requests) > served:
                startup = sampler.process_cpu
            if on_sample is not None:
                on_sample(sampler)
            sampling += time.thread_time() - tick
            time.sleep(interval)
        seconds = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:3])} failed: {stderr[-2000:]}")
    server = (self_after.ru_utime - self_before.ru_utime) + (self_after.ru_stime - self_before.ru_stime) - sampling
    return SampledRun(sampler, seconds, server, startup or 0.0)


def run_crawl(server: DemoServer, data_dir: Path, extra: list[str], interval: float = 0.2,
              on_sample: Callable[[TreeSampler], None] | None = None) -> CrawlFigures:
    """One ``archiver crawl`` of ``server`` in a child process, sampled (see :func:`run_sampled`)."""
    run = run_sampled([sys.executable, "-m", "archiver", "crawl", server.url, "--data-dir", str(data_dir), *extra],
                      server, interval, on_sample)
    log = json.loads((data_dir / "state" / "runs.jsonl").read_text().splitlines()[-1])
    return CrawlFigures(log["articles"], log["requests"], run.seconds, log["peak_rss_mb"], run.sampler,
                        run.server_cpu, run.startup_cpu)


#: The bare Scrapy crawls measured beside ours: name -> (read links, keep the frontier in a JOBDIR).
#: Ours reads links in its extraction workers and keeps its frontier in a JOBDIR: "fetch + JOBDIR"
#: is the floor under it; "+ links" is what a Scrapy crawler reading links in its own process pays.
FLOOR_VARIANTS = {"fetch only": (False, False), "fetch + JOBDIR": (False, True), "fetch + JOBDIR + links": (True, True)}


@dataclass
class FloorFigures:
    """A bare Scrapy crawl of the URLs our crawl requested: what Scrapy alone costs."""

    engine: str
    variant: str
    requests: int  #: as the demo server counted them
    run: SampledRun

    @property
    def cpu(self) -> float:
        """CPU seconds of the whole crawl process (every thread) once it started fetching, as ours is counted."""
        return self.run.sampler.process_cpu - self.run.startup_cpu


def run_floor(server: DemoServer, requested: list[str], engine: str, tmp: Path,
              settings: list[str]) -> list[FloorFigures]:
    """Each bare Scrapy variant with ``engine`` and the crawl's ``-s`` settings, fetching the
    ``requested`` URLs from ``server``."""
    urls = tmp / "requested.txt"
    urls.write_text("\n".join(requested))
    script = str(Path(__file__).with_name("bare_scrapy.py"))
    figures = []
    for number, (variant, (links, jobdir)) in enumerate(FLOOR_VARIANTS.items()):
        options = ["--engine", engine] + (["--links"] if links else []) + [f"--set={s}" for s in settings]
        # a fresh JOBDIR each time: Scrapy keeps the seen requests there
        options += ["--jobdir", str(tmp / f"jobdir-{engine}-{number}")] if jobdir else []
        server.clear_log()
        run = run_sampled([sys.executable, script, str(urls), *options], server)
        figures.append(FloorFigures(engine, variant, len(server.requests), run))
    return figures


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
    served: tuple[int, int]  #: requests the demo server answered in the full crawl and in the re-crawl
    floors: list[FloorFigures]
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


def one_run(articles: int, extra: list[str], workers: int, engines: list[str], settings: list[str]) -> RunFigures:
    with tempfile.TemporaryDirectory() as tmp, DemoServer(DemoSite(articles=articles)) as server:
        data_dir = Path(tmp) / "archive"
        crawl = run_crawl(server, data_dir, extra)
        requested = [server.base_url + r.path for r in server.requests]
        server.clear_log()
        again = run_crawl(server, data_dir, extra)
        served = (len(requested), len(server.requests))
        floors = [f for engine in engines for f in run_floor(server, requested, engine, Path(tmp), settings)]
        pages = saved_pages(data_dir)
    return RunFigures(crawl, again, served, floors, bare_extraction_rate(pages), extraction_rate(pages, 0),
                      extraction_rate(pages, workers), len(pages))


def crawl_process_cpu(crawl: CrawlFigures) -> float:
    """CPU seconds of the crawl process itself (every thread; not its child processes) once it
    started fetching: start-up (imports, opening the archive) is paid once a run, not per page."""
    return crawl.sampler.process_cpu - crawl.startup_cpu


def floor_lines(run: RunFigures) -> list[str]:
    """Our crawl process's CPU per request and per article beside each bare Scrapy crawl's."""
    crawl, requests = run.crawl, run.served[0]
    ours = crawl_process_cpu(crawl)
    lines = [f"  crawl process (ours): {1000 * ours / requests:.2f} ms/request, {crawl.ms_per_article(ours):.1f} "
             f"ms/article (start-up before its first request {crawl.startup_cpu:.1f} s, not counted)"]
    for floor in run.floors:
        lines.append(f"  bare Scrapy, {floor.engine}, {floor.variant}: {floor.requests} requests, "
                     f"{1000 * floor.cpu / max(floor.requests, 1):.2f} ms/request, "
                     f"{crawl.ms_per_article(floor.cpu):.1f} "
                     f"ms/article; ours above it {crawl.ms_per_article(ours - floor.cpu):.1f} ms/article")
    return lines


def report(run: RunFigures, workers: int) -> None:
    crawl, again = run.crawl, run.again
    print(f"full crawl:        {crawl.articles} articles, {crawl.requests} requests in {crawl.seconds:.1f} s "
          f"= {crawl.articles_per_s:.1f} articles/s, {crawl.pages_per_s:.1f} pages/s")
    print(f"  CPU {crawl.cpu_seconds:.1f} s ({1000 * crawl.cpu_seconds / max(crawl.articles, 1):.1f} ms/article): "
          f"{crawl.cpu_line()}")
    print(f"  {crawl.rss_line()}")
    print(f"incremental crawl: {again.articles} new, {again.requests} requests in {again.seconds:.1f} s "
          f"({crawl.seconds / again.seconds:.1f}x faster than the full crawl)")
    print(f"demo server answered {run.served[0]} requests in the full crawl, {run.served[1]} in the re-crawl")
    print("floor (CPU of the crawl process, every thread, from its first request to its end; "
          "per article = per article our crawl archived):")
    print("\n".join(floor_lines(run)))
    print(f"extraction limit:  trafilatura.bare_extraction {run.bare:.1f} articles/s in one process; our extract() "
          f"{run.single:.1f} articles/s in one process, {run.pooled:.1f} with {workers} workers ({run.saved} saved pages)")
    print(f"ratio crawl / bare_extraction: {run.ratio:.2f}; crawl / single-process extract(): {run.ratio_extract:.2f}; "
          f"crawl / pooled extract(): {crawl.articles_per_s / run.pooled:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--floor", default="asyncio", metavar="ENGINES",
                        help="bare Scrapy crawls of the same URLs with these event loops (comma-separated: "
                             "asyncio, epoll, reactorless; empty: none), beside ours")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; medians are printed at the end")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting passed to every crawl (archiver crawl -s)")
    args = parser.parse_args()
    engines = [e for e in args.floor.split(",") if e]
    extra = ["--workers", str(args.workers)] + [f"--set={s}" for s in args.settings]
    print(f"demo site: {args.articles} articles, {os.cpu_count()} cores, {args.workers} extraction workers"
          + (f", settings {' '.join(args.settings)}" if args.settings else ""))
    runs = []
    for number in range(1, args.runs + 1):
        if args.runs > 1:
            print(f"-- run {number} of {args.runs}")
        runs.append(one_run(args.articles, extra, args.workers, engines, args.settings))
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
              f"file {med(r.crawl.sampler.peak_file_kb for r in runs) / 1024:.0f}); demo server answered "
              f"{med(r.served[0] for r in runs):.0f} / {med(r.served[1] for r in runs):.0f} requests")
        print(f"   crawl process (ours) {ms(crawl_process_cpu):.1f} ms/article"
              + "".join(f"; bare Scrapy {f.engine}, {f.variant} "
                        f"{med(r.crawl.ms_per_article(r.floors[i].cpu) for r in runs):.1f}"
                        for i, f in enumerate(runs[0].floors)))


if __name__ == "__main__":
    main()
