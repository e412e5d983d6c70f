"""Commands that fetch: crawl, schedule, the distributed worker and indexer, and the demo."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from archiver.cli.base import (
    cli,
    data_dir_option,
    friendly_errors,
    parse_date,
    parse_settings,
    redis_option,
    state_dir_option,
)
from archiver.cli.output import (
    format_crawl,
    format_demo,
    format_demo_serving,
    format_scheduled_run,
    format_seeding,
    format_worker,
    to_json,
)
from archiver.datadir import DataDir
from archiver.errors import ArchiverError
from archiver.shutdown import exit_status
from archiver.demo import FLAVOURS


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@data_dir_option
@click.option("--max-pages", type=click.IntRange(min=0), default=0, help="Stop after this many responses (0: no limit).")
@click.option("--max-articles", type=click.IntRange(min=0), default=0, help="Stop after storing this many articles.")
@click.option("--since", "since", metavar="DATE", help="Only archive articles published on or after DATE (YYYY-MM-DD).")
@click.option("--until", "until", metavar="DATE", help="Only archive articles published on or before DATE (YYYY-MM-DD).")
@click.option("--newest-first", is_flag=True, help="Fetch articles in order of date, newest first.")
@click.option("--profile", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Site profile (TOML).")
@click.option("--concurrency", type=click.IntRange(min=1), help="Parallel requests per site (default 4).")
@click.option("--workers", type=click.IntRange(min=0), help="Extraction processes (default: CPU cores; 0: inline).")
@click.option("--full", is_flag=True, help="Revisit every page, not only what is new or changed since the last run.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy setting.")
@click.option("--json", "as_json", is_flag=True, help="Print the final summary as one JSON object.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing but warnings and errors (for cron, which mails any output).")
@redis_option(required=False)
@state_dir_option
@friendly_errors
def crawl(urls: tuple[str, ...], data_dir: Path | None, max_pages: int, max_articles: int, since: str | None,
          until: str | None, newest_first: bool, profile: Path | None, concurrency: int | None,
          workers: int | None, full: bool, overrides: tuple[str, ...], as_json: bool, quiet: bool,
          redis_url: str | None, state_dir: Path | None) -> None:
    """Crawl news sites and archive every article once.

    Finds articles through robots.txt sitemaps, feeds, archive pages and links; obeys
    robots.txt, throttles itself, and stays on the start hosts. Run it again later
    and it archives only what is new or changed (conditional requests, sitemap
    lastmod); Ctrl-C (or SIGTERM, SIGHUP) stops cleanly with exit status 130 (143, 129)
    and the next run continues. With --since/--until only articles published in that
    window are archived, and pages whose URL, feed or sitemap dates put them clearly
    outside it are not even fetched. Exits 1 when nothing could be fetched.

    \b
    Example:
      archiver crawl https://news.example/ --data-dir ./archive --max-articles 500
      archiver crawl https://news.example/ --since 2018-07-01 --until 2018-08-31 --newest-first
      archiver crawl https://news.example/ --redis redis://queue:6379/0   # seed a distributed crawl
    """
    from archiver.crawl import CrawlOptions, run_crawl

    extra = parse_settings(overrides)
    options = CrawlOptions(
        urls=list(urls),
        data_dir=DataDir.resolve(data_dir),
        max_pages=max_pages,
        max_articles=max_articles,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        newest_first=newest_first,
        profile=profile,
        concurrency=concurrency,
        workers=workers,
        full=full,
        progress=not quiet,
        settings=extra,
    )
    if redis_url:
        from archiver.distributed.worker import seed_crawl

        click.echo(format_seeding(seed_crawl(options, redis_url, state_dir=state_dir), options.data_dir))
        return
    summary = run_crawl(options)
    if as_json:
        click.echo(to_json(summary.to_dict()))
    elif quiet:
        for warning in summary.warnings:
            click.echo(f"Warning: {warning}", err=True)
    else:
        click.echo(format_crawl(summary, options.data_dir))
    if summary.stopped_by is not None:
        sys.exit(exit_status(summary.stopped_by))
    if summary.failure:
        raise ArchiverError(summary.failure)


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-archive"),
              show_default=True, help="Archive directory for the demo ($ARCHIVER_DATA_DIR is not used: the demo "
              "never writes into your archive).")
@click.option("--articles", type=click.IntRange(min=5), default=120, show_default=True, help="Size of the demo site.")
@click.option("--serve", is_flag=True, help="Only serve the demo site until Ctrl-C (to crawl it yourself).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, help="Port for --serve (default: any free).")
@click.option("--flavour", type=click.Choice(list(FLAVOURS)), default="wordpress", show_default=True,
              help="wordpress: a WordPress news site; custom: a custom-CMS publisher (undated URLs, galleries, "
                   "live blogs, videos, wire copy, paywalled stories).")
@friendly_errors
def demo(data_dir: Path, articles: int, serve: bool, port: int, flavour: str) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl it, and search it.

    Nothing leaves this machine. With --serve the site runs until Ctrl-C, and its
    newsroom takes POST requests to publish and correct articles, so you can watch a
    crawl archive only what changed, and `archiver diff` show the corrections.
    --flavour custom serves a custom-CMS publisher instead of a WordPress one.

    \b
    Example:
      archiver demo --serve --port 8000 &
      archiver crawl 127.0.0.1:8000 --data-dir demo-archive
      curl -X POST 'http://127.0.0.1:8000/wp-admin/demo/update?count=2'     # correct the 2 newest
      curl -X POST 'http://127.0.0.1:8000/wp-admin/demo/publish?count=3'    # publish 3 more
      archiver crawl 127.0.0.1:8000 --data-dir demo-archive                 # 3 new, 2 updated
      archiver demo --flavour custom --data-dir custom-archive
    """
    from archiver.demo.run import run_demo, serve_forever

    if serve:
        serve_forever(articles=articles, port=port, flavour=flavour,
                      ready=lambda url: click.echo(format_demo_serving(url, articles)))
        click.echo("Stopped.")
        return
    target = DataDir(data_dir)
    run = run_demo(target, articles=articles, flavour=flavour,
                   serving=lambda url: click.echo(f"Serving the demo site ({flavour}, {articles} articles) at {url}"))
    click.echo(format_demo(run, target))


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@data_dir_option
@click.option("--every", "every", default="1h", show_default=True, help="Interval: 30m, 1h, 1d ...")
@click.option("--print-cron", is_flag=True, help="Print a crontab line instead of running (exact intervals only).")
@click.option("--print-systemd", is_flag=True, help="Print systemd service + timer units instead of running.")
@click.option("--runs", type=click.IntRange(min=1), help="Stop after this many runs (default: until Ctrl-C).")
@friendly_errors
def schedule(urls: tuple[str, ...], data_dir: Path | None, every: str, print_cron: bool, print_systemd: bool,
             runs: int | None) -> None:
    """Keep an archive current: crawl every interval (each run fetches only what changed).

    --print-cron refuses intervals cron cannot keep exactly (90m, 25h, 3d...): a systemd
    timer (--print-systemd) runs any interval. The cron line runs the crawl --quiet, so
    cron mails only what a run that failed or warned printed.

    \b
    Examples:
      archiver schedule --every 1h https://news.example/ --data-dir ./archive
      archiver schedule --every 1h https://news.example/ --data-dir /srv/archive --print-cron >> mycron
    """
    from archiver.crawl import start_urls
    from archiver.cron import crawl_argv, cron_entry, parse_interval, run_every, systemd_units

    seconds = parse_interval(every)
    argv = crawl_argv(start_urls(list(urls)), str(DataDir.resolve(data_dir).root.resolve()), [])
    if print_cron or print_systemd:
        entries = [cron_entry(seconds, argv)] if print_cron else []
        entries += [systemd_units(seconds, argv)] if print_systemd else []
        click.echo("\n".join(entries))
    else:
        click.echo(f"Crawling every {every}; Ctrl-C to stop.", err=True)
        run_every(seconds, argv, lambda run: click.echo(format_scheduled_run(run)), runs=runs)


@cli.command()
@redis_option(required=True)
@data_dir_option
@click.option("--idle-exit", type=click.FloatRange(min=0), default=30, show_default=True, metavar="SECONDS",
              help="Stop once the shared frontier has been empty this long (0: run until stopped).")
@state_dir_option
@click.option("--concurrency", type=click.IntRange(min=1), help="Parallel requests per site (default 4).")
@click.option("--workers", type=click.IntRange(min=0), help="Extraction processes (default: CPU cores; 0: inline).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy setting.")
@friendly_errors
def worker(redis_url: str, data_dir: Path | None, idle_exit: float, state_dir: Path | None,
           concurrency: int | None, workers: int | None, overrides: tuple[str, ...]) -> None:
    """Crawl from a shared Redis frontier, beside any number of workers on other machines.

    Takes the requests that `archiver crawl --redis URL SITE` seeded (waiting for a
    seeding run if there is none yet), pushes what it discovers back, and writes
    records to the data dir every worker shares (a network file system or a mounted
    bucket). Workers do not index: run one `archiver index --follow` for that. Ctrl-C
    stops cleanly; a worker killed outright loses no URL (the others requeue its
    requests once its heartbeat expires).

    \b
    Example:
      archiver crawl https://news.example/ --redis redis://queue:6379/0 --data-dir /mnt/archive
      archiver worker --redis redis://queue:6379/0 --data-dir /mnt/archive      # on every machine
      archiver index --follow --redis redis://queue:6379/0 --data-dir /mnt/archive
    """
    from archiver.distributed.worker import WorkerOptions, run_worker

    options = WorkerOptions(redis_url=redis_url, data_dir=DataDir.resolve(data_dir), idle_exit=idle_exit,
                            state_dir=state_dir, concurrency=concurrency, workers=workers,
                            settings=parse_settings(overrides))
    click.echo(format_worker(run_worker(options)))


@cli.command("index")
@redis_option(required=True)
@data_dir_option
@click.option("--follow/--once", default=False,
              help="Keep indexing records as workers store them, until Ctrl-C (default: --once, then exit).")
@click.option("--poll", type=click.FloatRange(min=0.1), default=2.0, show_default=True, metavar="SECONDS",
              help="With --follow: how often to look for new records.")
@friendly_errors
def index_command(redis_url: str, data_dir: Path | None, follow: bool, poll: float) -> None:
    """Index the records of a distributed crawl: the search index's single writer.

    Workers list every record they store or change in Redis; this indexes the listed
    records, drops documents of re-keyed articles, and clears the list. Run one per
    archive (`archiver reindex` rebuilds the whole index from the store instead).

    \b
    Example:
      archiver index --follow --redis redis://queue:6379/0 --data-dir /mnt/archive
    """
    from archiver.indexing import IndexResult, follow_index

    data = DataDir.resolve(data_dir)

    def passed(done: IndexResult) -> None:
        click.echo(f"{time.strftime('%H:%M:%S')} indexed {done.indexed} articles, removed {done.removed}")

    result = follow_index(data, redis_url, follow=follow, poll=poll, progress=passed)
    for problem in result.unreadable:
        click.echo(f"Skipped unreadable record {problem.path}: {problem.error}", err=True)
    click.echo(f"Indexed {result.indexed} articles ({result.removed} re-keyed removed) into {data.index}")
