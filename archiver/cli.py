"""The ``archiver`` command line: parse arguments, call one library function, format.

Every expected failure is an :class:`~archiver.errors.ArchiverError`, printed as one
line (``Error: ...``) with exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from archiver import __version__
from archiver.config import ENV_DATA_DIR, resolve_data_dir
from archiver.errors import ArchiverError
from archiver.textout import to_json

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(func: F) -> F:
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=ENV_DATA_DIR,
        default=None,
        show_envvar=True,
        help="Archive directory (default: ./archive).",
    )(func)


def redis_option(required: bool) -> Callable[[F], F]:
    """``--redis URL``: the Redis server of a distributed crawl (see ``archiver worker``)."""
    return click.option(
        "--redis", "redis_url", metavar="URL", envvar="ARCHIVER_REDIS_URL", show_envvar=True, required=required,
        help="Redis of a distributed crawl, e.g. redis://host:6379/0"
        + (" (the crawl only seeds the shared queue; workers crawl)." if not required else "."),
    )


def parse_settings(pairs: tuple[str, ...]) -> dict[str, object]:
    """``-s NAME=VALUE`` options as a settings dict."""
    settings: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ArchiverError(f"--set expects NAME=VALUE, got {pair!r}")
        settings[name.strip()] = value
    return settings


def friendly_errors(func: F) -> F:
    """Turn library errors into one-line messages and Ctrl-C into a quiet exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArchiverError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def existing_data_dir(value: Path | None) -> Path:
    """The data dir of a read command, which must already hold an archive."""
    data_dir = resolve_data_dir(value)
    if not (data_dir / "articles").is_dir() and not (data_dir / "state").is_dir():
        raise ArchiverError(f"no archive at {data_dir} (run `archiver crawl URL --data-dir {data_dir}` first)")
    return data_dir


def parse_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArchiverError(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="archiver")
def cli() -> None:
    """Keep a faithful, searchable archive of news sites.

    \b
    Typical use:
      archiver crawl https://news.example/ --data-dir ./archive
      archiver search '"city council" AND budget' --since 2018-01-01
      archiver export 'ICE' --format csv --out ice.csv
    Try it offline with the bundled demo site:  archiver demo
    """


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
@redis_option(required=False)
@friendly_errors
def crawl(urls: tuple[str, ...], data_dir: Path | None, max_pages: int, max_articles: int, since: str | None,
          until: str | None, newest_first: bool, profile: Path | None, concurrency: int | None,
          workers: int | None, full: bool, overrides: tuple[str, ...], redis_url: str | None) -> None:
    """Crawl news sites and archive every article once.

    Finds articles through robots.txt sitemaps, feeds, archive pages and links; obeys
    robots.txt, throttles itself, and stays on the start hosts. Run it again later
    and it archives only what is new or changed (conditional requests, sitemap
    lastmod); Ctrl-C stops cleanly and the next run continues. With --since/--until
    only articles published in that window are archived, and pages whose URL, feed
    or sitemap dates put them clearly outside it are not even fetched.

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
        data_dir=resolve_data_dir(data_dir),
        max_pages=max_pages,
        max_articles=max_articles,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        newest_first=newest_first,
        profile=profile,
        concurrency=concurrency,
        workers=workers,
        full=full,
        settings=extra,
    )
    if redis_url:
        from archiver.workers import seed_crawl

        click.echo(seed_crawl(options, redis_url).describe(options.data_dir))
        return
    summary = run_crawl(options)
    click.echo(summary.describe(options.data_dir))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", help="The URL the page was saved from (helps dates, canonical links, site names).")
@click.option("--any-page", is_flag=True,
              help="Extract even pages that do not look like articles (home pages, listings, short notes).")
@friendly_errors
def extract(files: tuple[Path, ...], url: str | None, any_page: bool) -> None:
    """Extract articles from saved HTML files, one JSON line per file.

    Reads .html or .html.gz files; each line carries a ``source`` field with the file
    path, and ``rejected`` with the reason when the page is not an article.

    \b
    Example:
      archiver extract page.html --url https://news.example/2018/07/05/story/ | jq .authors
    """
    from archiver.extract_files import extract_file

    for path in files:
        click.echo(to_json(extract_file(path, url, any_page=any_page)))


@cli.command()
@click.argument("id_or_url")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the stored JSON record.")
@friendly_errors
def show(id_or_url: str, data_dir: Path | None, as_json: bool) -> None:
    """Print one archived article, by id or by any of its URLs."""
    from archiver.store import ArticleStore
    from archiver.textout import format_record

    record = ArticleStore(existing_data_dir(data_dir)).find(id_or_url)
    if record is None:
        raise ArchiverError(f"no archived article with id or URL {id_or_url!r}")
    click.echo(to_json(record, indent=1) if as_json else format_record(record))


@cli.command()
@data_dir_option
@click.option("--articles", type=click.IntRange(min=5), default=120, show_default=True, help="Size of the demo site.")
@click.option("--serve", is_flag=True, help="Only serve the demo site until Ctrl-C (to crawl it yourself).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, help="Port for --serve (default: any free).")
@friendly_errors
def demo(data_dir: Path | None, articles: int, serve: bool, port: int) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl it, and search it.

    Nothing leaves this machine. The archive goes to --data-dir (default ./demo-archive).
    """
    from archiver.demo.run import run_demo, serve_forever

    if serve:
        serve_forever(articles=articles, port=port, echo=click.echo)
        return
    run_demo(resolve_data_dir(data_dir or Path("demo-archive")), articles=articles, echo=click.echo)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@data_dir_option
@click.option("--every", "every", default="1h", show_default=True, help="Interval: 30m, 1h, 1d ...")
@click.option("--print-cron", is_flag=True, help="Print a crontab line instead of running.")
@click.option("--print-systemd", is_flag=True, help="Print systemd service + timer units instead of running.")
@click.option("--runs", type=click.IntRange(min=1), help="Stop after this many runs (default: until Ctrl-C).")
@friendly_errors
def schedule(urls: tuple[str, ...], data_dir: Path | None, every: str, print_cron: bool, print_systemd: bool,
             runs: int | None) -> None:
    """Keep an archive current: crawl every interval (each run fetches only what changed).

    \b
    Examples:
      archiver schedule --every 1h https://news.example/ --data-dir ./archive
      archiver schedule --every 1h https://news.example/ --data-dir /srv/archive --print-cron >> mycron
    """
    from archiver.schedule import crawl_argv, cron_entry, parse_interval, run_every, systemd_units

    seconds = parse_interval(every)
    argv = crawl_argv(list(urls), str(resolve_data_dir(data_dir).resolve()), [])
    if print_cron:
        click.echo(cron_entry(seconds, argv))
    elif print_systemd:
        click.echo(systemd_units(seconds, argv))
    else:
        click.echo(f"Crawling every {every}; Ctrl-C to stop.", err=True)
        run_every(seconds, argv, click.echo, runs=runs)


SORTS = click.Choice(["relevance", "newest", "oldest"])


@cli.command()
@click.argument("query")
@data_dir_option
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of hits.")
@click.option("--site", help="Only this site (host without www.).")
@click.option("--author", help="Only this author (full name; case and accents ignored).")
@click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (YYYY-MM-DD).")
@click.option("--sort", type=SORTS, default="relevance", show_default=True)
@click.option("--changed", is_flag=True, help="Only articles edited after publication.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one hit per line.")
@friendly_errors
def search(query: str, data_dir: Path | None, limit: int, page: int, site: str | None, author: str | None,
           since: str | None, until: str | None, sort: str, changed: bool, as_json: bool) -> None:
    """Search the archive (Whoosh query language).

    \b
    Words (all must match), "exact phrases", AND / OR / NOT, wildcards (immigr*),
    fields: title: author: site: tag: category: published:[2018-01-01 TO 2018-06-30]
    \b
    Examples:
      archiver search 'ICE contract'
      archiver search '"real-time arrest database"' --json
      archiver search 'author:"Katelyn Kivel" AND title:ICE' --since 2018-06-01 --sort newest
    """
    from archiver.searching import search_archive
    from archiver.textout import format_hit

    results = search_archive(
        existing_data_dir(data_dir), query, site=site, author=author, since=parse_date(since, "--since"),
        until=parse_date(until, "--until"), sort=sort, limit=limit, page=page, changed=changed,
    )
    if as_json:
        for hit in results.hits:
            click.echo(to_json(hit_json(hit)))
    else:
        colour = sys.stdout.isatty()
        for hit in results.hits:
            click.echo(format_hit(hit, colour=colour) + "\n")
        first = (results.page - 1) * results.limit + 1
        shown = f"{first}-{first + len(results.hits) - 1} of " if results.hits else ""
        click.echo(f"{shown}{results.total} hits for {query!r}")
    if results.total == 0 and results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}", err=True)


def hit_json(hit: Any) -> dict[str, Any]:
    return {"id": hit.id, "url": hit.url, "title": hit.title, "authors": hit.authors, "published": hit.published,
            "site": hit.site, "score": round(hit.score, 4), "snippet": hit.snippet, "rank": hit.rank}


@cli.command()
@data_dir_option
@friendly_errors
def reindex(data_dir: Path | None) -> None:
    """Rebuild the search index from the JSON store (the store is the source of truth)."""
    from archiver.searching import reindex_archive
    from archiver.store import ArticleStore

    data_dir = existing_data_dir(data_dir)
    if sys.stderr.isatty():
        total = sum(1 for _ in ArticleStore(data_dir).paths())
        with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
            done = [0]

            def advance(count: int) -> None:
                bar.update(count - done[0])
                done[0] = count

            result = reindex_archive(data_dir, progress=advance)
    else:
        result = reindex_archive(data_dir)
    for problem in result.corrupt:
        click.echo(f"Skipped unreadable record {problem.path}: {problem.error}", err=True)
    click.echo(f"Indexed {result.indexed} articles into {data_dir / 'index'}")


@cli.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@friendly_errors
def stats(data_dir: Path | None, as_json: bool) -> None:
    """Article counts per site, year and author, unreadable records, and the last runs."""
    from archiver.stats import archive_stats
    from archiver.textout import format_stats

    result = archive_stats(existing_data_dir(data_dir))
    click.echo(to_json(result.to_dict()) if as_json else format_stats(result))
    if result.corrupt and not as_json:
        sys.exit(1)


@cli.command()
@click.argument("query", required=False)
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), required=True, help="Output format.")
@click.option("--out", default="-", show_default=True, help="Output file, or - for standard output.")
@click.option("--site", help="Only this site.")
@click.option("--author", help="Only this author.")
@click.option("--since", metavar="DATE", help="Published on or after DATE.")
@click.option("--until", metavar="DATE", help="Published on or before DATE.")
@click.option("--sort", type=SORTS, default="oldest", show_default=True)
@click.option("--fields", metavar="a,b,c", help="Columns to write (default: every field but revisions).")
@friendly_errors
def export(query: str | None, data_dir: Path | None, fmt: str, out: str, site: str | None, author: str | None,
           since: str | None, until: str | None, sort: str, fields: str | None) -> None:
    """Export a set of articles for analysis (pandas, R, DuckDB, spreadsheets).

    Without QUERY or filters, exports the whole archive. A file export gets a
    provenance manifest beside it (<out>.manifest.json: selection, count, time,
    tool version, SHA-256); CSV cells that a spreadsheet would run are neutralised.

    \b
    Examples:
      archiver export 'immigration AND "city council"' --since 2018-01-01 --format csv --out ice.csv
      archiver export --site gritpost.com --author "Katelyn Kivel" --format parquet --out kivel.parquet
      archiver export --format jsonl --out - | jq .title
    """
    from archiver.export import Selection, export_articles, parse_fields

    selection = Selection(query=query, site=site, author=author, since=parse_date(since, "--since"),
                          until=parse_date(until, "--until"), sort=sort)
    columns = parse_fields(fields)
    data = existing_data_dir(data_dir)
    target = None if out == "-" else Path(out)
    if target is not None and sys.stderr.isatty():
        with click.progressbar(length=0, label="Exporting", file=sys.stderr, show_pos=True) as bar:
            result = export_articles(data, selection, fmt=fmt, out=target, fields=columns,
                                     progress=lambda n: bar.update(n - bar.pos))
    else:
        result = export_articles(data, selection, fmt=fmt, out=target, fields=columns)
    if result.count == 0:
        click.echo("No articles matched; the export is empty.", err=True)
    if target is not None:
        click.echo(f"Exported {result.count} articles to {target} (manifest: {result.manifest})", err=True)


@cli.command()
@click.argument("query", required=False, default="")
@data_dir_option
@click.option("--by", "period", type=click.Choice(["day", "week", "month", "year"]), default="month",
              show_default=True, help="Length of each period.")
@click.option("--by-fetched", is_flag=True, help="Count by when articles were archived, not published.")
@click.option("--split", type=click.Choice(["site", "author", "tag"]), help="One count per site, author or tag.")
@click.option("--site", help="Only this site.")
@click.option("--author", help="Only this author.")
@click.option("--since", metavar="DATE", help="Published on or after DATE (also the first period shown).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (also the last period shown).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: period,start,count[,one column per group].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with every period.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also draw a chart into FILE (.png or .svg; needs the 'plot' extra).")
@friendly_errors
def timeline(query: str, data_dir: Path | None, period: str, by_fetched: bool, split: str | None, site: str | None,
             author: str | None, since: str | None, until: str | None, as_csv: bool, as_json: bool,
             plot: Path | None) -> None:
    """Count matching articles per day, week, month or year (empty QUERY: all articles).

    Periods without articles show as 0. QUERY and filters work as in `archiver search`.

    \b
    Examples:
      archiver timeline 'ICE AND deportation' --by week --since 2018-01-01 --until 2018-12-31
      archiver timeline --split site --csv > per-site.csv
      archiver timeline 'sanctuary city' --plot sanctuary.png
    """
    from archiver.timeline import build_timeline, format_csv, format_json, format_table, plot_timeline

    if as_csv and as_json:
        raise ArchiverError("choose one of --csv and --json")
    result = build_timeline(existing_data_dir(data_dir), query, period=period, by_fetched=by_fetched, split=split,
                            site=site, author=author, since=parse_date(since, "--since"),
                            until=parse_date(until, "--until"))
    if plot is not None:
        plot_timeline(result, plot)
    if as_csv:
        click.echo(format_csv(result), nl=False)
    elif as_json:
        click.echo(format_json(result))
    else:
        click.echo(format_table(result))
    if plot is not None:
        click.echo(f"Chart written to {plot}", err=True)


@cli.command()
@click.argument("id_or_url")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help='JSON: [{"from", "to", "changes": [{"op", "old", "new", "field"}]}].')
@friendly_errors
def diff(id_or_url: str, data_dir: Path | None, as_json: bool) -> None:
    """Show what changed, word by word, between the stored versions of an article.

    Each earlier version is compared with the next, ending with the current text:
    coloured on a terminal (green added, red removed), [-removed-] {+added+} when piped.

    \b
    Examples:
      archiver diff https://news.example/2018/07/05/story/
      archiver diff 3f2a9c0d1e4b5a67 --json | jq '.[].changes'
    """
    from archiver.diffing import article_diffs, format_diffs
    from archiver.store import ArticleStore

    record = ArticleStore(existing_data_dir(data_dir)).find(id_or_url)
    if record is None:
        raise ArchiverError(f"no archived article with id or URL {id_or_url!r}")
    diffs = article_diffs(record)
    if as_json:
        click.echo(to_json([d.to_dict() for d in diffs]))
    else:
        click.echo(format_diffs(record, diffs, colour=sys.stdout.isatty()))


@cli.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object: every site's runs and the warnings.")
@friendly_errors
def health(data_dir: Path | None, as_json: bool) -> None:
    """Check extraction health per site: is the latest crawl run as complete as the earlier ones?

    For each run: articles stored, and the shares with short or empty bodies, without
    author, without date, and of pages rejected. A sharp change from the site's
    previous runs is a warning, and the command exits 1 (for cron alerts).

    \b
    Example (cron):
      archiver health --data-dir /srv/archive > /dev/null || mail -s 'archive health' me@example.org
    """
    from archiver.health import archive_health, format_health

    result = archive_health(existing_data_dir(data_dir))
    click.echo(to_json(result.to_dict()) if as_json else format_health(result))
    if result.warnings:
        raise ArchiverError(f"extraction health warning for {', '.join(result.warning_sites)}")


@cli.command()
@redis_option(required=True)
@data_dir_option
@click.option("--idle-exit", type=click.FloatRange(min=0), default=30, show_default=True, metavar="SECONDS",
              help="Stop once the shared frontier has been empty this long (0: run until stopped).")
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVER_STATE_DIR",
              show_envvar=True, help="Local dir for this machine's crawl state (default: under ~/.local/state).")
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
    from archiver.workers import WorkerOptions, run_worker

    options = WorkerOptions(redis_url=redis_url, data_dir=resolve_data_dir(data_dir), idle_exit=idle_exit,
                            state_dir=state_dir, concurrency=concurrency, workers=workers,
                            settings=parse_settings(overrides))
    click.echo(run_worker(options).describe())


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
    from archiver.indexer import follow_index

    data = resolve_data_dir(data_dir)
    result = follow_index(data, redis_url, follow=follow, poll=poll, echo=click.echo)
    for problem in result.unreadable:
        click.echo(f"Skipped unreadable record {problem.path}: {problem.error}", err=True)
    click.echo(f"Indexed {result.indexed} articles ({result.removed} re-keyed removed) into {data / 'index'}")


def main() -> None:
    logging.raiseExceptions = False  # a log file on a full disk must not spill tracebacks on the terminal
    cli(prog_name="archiver")
