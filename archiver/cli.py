"""The ``archiver`` command line: parse arguments, call one library function, format.

Every expected failure is an :class:`~archiver.errors.ArchiverError`, printed as one
line (``Error: ...``) with exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from archiver import __version__
from archiver.config import ENV_DATA_DIR, resolve_data_dir
from archiver.errors import ArchiverError

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
@click.option("--profile", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Site profile (TOML).")
@click.option("--concurrency", type=click.IntRange(min=1), help="Parallel requests per site (default 4).")
@click.option("--workers", type=click.IntRange(min=0), help="Extraction processes (default: CPU cores; 0: inline).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy setting.")
@friendly_errors
def crawl(urls: tuple[str, ...], data_dir: Path | None, max_pages: int, max_articles: int, since: str | None,
          profile: Path | None, concurrency: int | None, workers: int | None, overrides: tuple[str, ...]) -> None:
    """Crawl news sites and archive every article once.

    Finds articles through robots.txt sitemaps, feeds, archive pages and links; obeys
    robots.txt, throttles itself, and stays on the start hosts.

    \b
    Example:
      archiver crawl https://news.example/ --data-dir ./archive --max-articles 500
    """
    from archiver.crawl import CrawlOptions, run_crawl

    extra: dict[str, object] = {}
    for pair in overrides:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ArchiverError(f"--set expects NAME=VALUE, got {pair!r}")
        extra[name.strip()] = value
    options = CrawlOptions(
        urls=list(urls),
        data_dir=resolve_data_dir(data_dir),
        max_pages=max_pages,
        max_articles=max_articles,
        since=parse_date(since, "--since"),
        profile=profile,
        concurrency=concurrency,
        workers=workers,
        settings=extra,
    )
    summary = run_crawl(options)
    click.echo(format_summary(summary, options.data_dir))


def format_summary(summary: Any, data_dir: Path) -> str:
    lines = [
        f"Crawled {summary.pages} pages in {summary.seconds:.1f} s: {summary.articles} new articles, "
        f"{summary.updated} updated, {summary.merged} duplicate addresses merged, "
        f"{summary.rejected} pages not archived, {summary.errors} errors.",
        f"Archive: {data_dir}   Log: {summary.log_file}",
    ]
    if summary.finish_reason not in ("finished", "closespider_itemcount", "closespider_pagecount"):
        lines.append(f"The crawl ended early: {summary.finish_reason}.")
    return "\n".join(lines)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", help="The URL the page was saved from (helps dates, canonical links, site names).")
@friendly_errors
def extract(files: tuple[Path, ...], url: str | None) -> None:
    """Extract articles from saved HTML files, one JSON line per file.

    Reads .html or .html.gz files; each line carries a ``source`` field with the file
    path, and ``rejected`` with the reason when the page is not an article.

    \b
    Example:
      archiver extract page.html --url https://news.example/2018/07/05/story/ | jq .authors
    """
    from archiver.extract_files import extract_file

    for path in files:
        click.echo(json.dumps(extract_file(path, url), ensure_ascii=False))


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
    click.echo(json.dumps(record, ensure_ascii=False, indent=1) if as_json else format_record(record))


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


def main() -> None:
    cli(prog_name="archiver")
