"""Commands that read the archive: search, show, stats, export, timeline, diff, health, reindex, extract."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from archiver.cli.base import (
    SORTS,
    cli,
    colour_option,
    data_dir_option,
    existing_data_dir,
    friendly_errors,
    parse_date,
    redis_option,
    use_colour,
)
from archiver.cli.output import (
    format_check,
    format_diffs,
    format_health,
    format_hit,
    format_record,
    format_reextract,
    format_search_total,
    format_serving,
    format_skipped,
    format_stats,
    format_timeline,
    to_json,
)
from archiver.errors import ArchiverError


@cli.command()
@click.argument("query")
@data_dir_option
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of hits.")
@click.option("--site", help="Only this site (host without www.).")
@click.option("--author", help="Only this author (full name; case and accents ignored).")
@click.option("--credit", help="Only articles credited to this organisation (Reuters, AP...; case ignored).")
@click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (YYYY-MM-DD).")
@click.option("--sort", type=SORTS, default="relevance", show_default=True)
@click.option("--changed", is_flag=True, help="Only articles edited after publication.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one hit per line.")
@colour_option
@friendly_errors
def search(query: str, data_dir: Path | None, limit: int, page: int, site: str | None, author: str | None,
           credit: str | None, since: str | None, until: str | None, sort: str, changed: bool, as_json: bool,
           colour: bool | None) -> None:
    """Search the archive (Whoosh query language).

    \b
    Words (all must match), "exact phrases", AND / OR / NOT, wildcards (immigr*),
    fields: title: author: site: tag: category: published:[2018-01-01 TO 2018-06-30]
    The "N hits" line goes to standard error when standard output is not a terminal,
    so a pipe gets the hits alone.
    \b
    Examples:
      archiver search 'ICE contract'
      archiver search '"real-time arrest database"' --json
      archiver search 'author:"Katelyn Kivel" AND title:ICE' --since 2018-06-01 --sort newest
    """
    from archiver.indexing import search_archive

    results = search_archive(
        existing_data_dir(data_dir), query, site=site, author=author, credit=credit, since=parse_date(since, "--since"),
        until=parse_date(until, "--until"), sort=sort, limit=limit, page=page, changed=changed,
    )
    if as_json:
        for hit in results.hits:
            click.echo(to_json(hit.to_dict()))
    else:
        painted = use_colour(colour)
        for hit in results.hits:
            click.echo(format_hit(hit, colour=painted) + "\n", color=painted)
        click.echo(format_search_total(results, query), err=not sys.stdout.isatty())
    if results.total == 0 and results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}", err=True)


@cli.command()
@data_dir_option
@click.option("--reextract", is_flag=True,
              help="First rebuild every record from its raw capture (WARC) with the current extractor; no network.")
@friendly_errors
def reindex(data_dir: Path | None, reextract: bool) -> None:
    """Rebuild the search index from the JSON store (the store is the source of truth).

    With --reextract, every record is first re-extracted from the page it was read from
    (its WARC capture, or the raw/*.html.gz of an older archive): after an extractor
    upgrade. Addresses, capture pointers and revisions are kept.

    \b
    Examples:
      archiver reindex --data-dir /srv/archive
      archiver reindex --reextract --data-dir /srv/archive
    """
    from archiver.indexing import reindex_archive

    data_dir = existing_data_dir(data_dir)
    if reextract:
        from archiver.reextract import reextract_archive

        click.echo(format_reextract(reextract_archive(data_dir), data_dir))
        return
    if sys.stderr.isatty():
        total = len(data_dir.record_paths())
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
    click.echo(f"Indexed {result.indexed} articles into {data_dir.index}")


@cli.command()
@data_dir_option
@click.option("--repair", is_flag=True, help="Fix the index and key store where they differ from the store.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: counts and the ids of each kind of drift.")
@redis_option(required=False)
@friendly_errors
def check(data_dir: Path | None, repair: bool, as_json: bool, redis_url: str | None) -> None:
    """Check that the search index and the key store match the JSON store.

    Lists records missing from the index, index documents with no record, records
    indexed at another version, ids indexed twice and key-store entries whose file
    is gone; exits 1 when anything differs. --repair re-indexes just those ids (no
    full rebuild) and fixes the key store, then checks again.

    \b
    Examples:
      archiver check --data-dir /srv/archive
      archiver check --repair
      archiver check --json | jq .missing
    """
    from archiver.consistency import check_archive

    data = existing_data_dir(data_dir)
    report = check_archive(data, repair=repair, redis_url=redis_url)
    click.echo(to_json(report.to_dict()) if as_json else format_check(report, data))
    if report.drift:
        sys.exit(1)


@cli.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@friendly_errors
def stats(data_dir: Path | None, as_json: bool) -> None:
    """Article counts per site, year and author, unreadable records, and the last runs."""
    from archiver.reports.archive_stats import archive_stats

    result = archive_stats(existing_data_dir(data_dir))
    click.echo(to_json(result.to_dict()) if as_json else format_stats(result))
    if result.corrupt and not as_json:
        sys.exit(1)


@cli.command()
@click.argument("query", required=False)
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "warc"]), required=True,
              help="Output format (warc: the articles' raw captures, with a CDXJ index beside).")
@click.option("--out", default="-", show_default=True, help="Output file, or - for standard output.")
@click.option("--site", help="Only this site.")
@click.option("--author", help="Only this author.")
@click.option("--credit", help="Only articles credited to this organisation.")
@click.option("--since", metavar="DATE", help="Published on or after DATE.")
@click.option("--until", metavar="DATE", help="Published on or before DATE.")
@click.option("--sort", type=SORTS, default="oldest", show_default=True)
@click.option("--fields", metavar="a,b,c", help="Columns to write (default: every field but revisions).")
@friendly_errors
def export(query: str | None, data_dir: Path | None, fmt: str, out: str, site: str | None, author: str | None,
           credit: str | None, since: str | None, until: str | None, sort: str, fields: str | None) -> None:
    """Export a set of articles for analysis (pandas, R, DuckDB, spreadsheets).

    Without QUERY or filters, exports the whole archive. A file export gets a
    provenance manifest beside it (<out>.manifest.json: selection, count, time,
    tool version, SHA-256); CSV cells that a spreadsheet would run are neutralised.
    --format warc writes the selected articles' raw captures (every version) as one
    WARC file, with a CDXJ index beside it (<out>.cdxj) for replay tools such as pywb.

    \b
    Examples:
      archiver export 'immigration AND "city council"' --since 2018-01-01 --format csv --out ice.csv
      archiver export --site gritpost.com --author "Katelyn Kivel" --format parquet --out kivel.parquet
      archiver export --format jsonl --out - | jq .title
      archiver export --site gritpost.com --since 2018-01-01 --format warc --out gritpost-2018.warc.gz
    """
    from archiver.reports.export import Selection, export_articles, parse_fields

    selection = Selection(query=query, site=site, author=author, credit=credit, since=parse_date(since, "--since"),
                          until=parse_date(until, "--until"), sort=sort)
    columns = parse_fields(fields)
    data = existing_data_dir(data_dir)
    target = None if out == "-" else Path(out)
    if target is not None and sys.stderr.isatty():
        with contextlib.ExitStack() as stack:
            bar = None

            def advance(done: int, total: int) -> None:
                nonlocal bar
                if bar is None:
                    bar = stack.enter_context(click.progressbar(length=total, label="Exporting", file=sys.stderr,
                                                                show_pos=True))
                bar.update(done - bar.pos)

            result = export_articles(data, selection, fmt=fmt, out=target, fields=columns, progress=advance)
    else:
        result = export_articles(data, selection, fmt=fmt, out=target or sys.stdout.buffer,
                                 fields=columns)
    if result.count == 0 and not result.skipped:
        click.echo("No articles matched; the export is empty.", err=True)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    if target is not None:
        index = f", index: {result.index}" if result.index else ""
        click.echo(f"Exported {result.count} articles to {target} (manifest: {result.manifest}{index})", err=True)
    if result.skipped:
        raise ArchiverError(format_skipped(result.skipped, result.manifest))


@cli.command()
@click.argument("query", required=False, default="")
@data_dir_option
@click.option("--by", "period", type=click.Choice(["day", "week", "month", "year"]), default="month",
              show_default=True, help="Length of each period.")
@click.option("--by-fetched", is_flag=True, help="Count by when articles were archived, not published.")
@click.option("--split", type=click.Choice(["site", "author", "tag"]), help="One count per site, author or tag.")
@click.option("--site", help="Only this site.")
@click.option("--author", help="Only this author.")
@click.option("--credit", help="Only articles credited to this organisation.")
@click.option("--since", metavar="DATE", help="Published on or after DATE (also the first period shown).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (also the last period shown).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: period,start,count[,one column per group].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with every period.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also draw a chart into FILE (.png or .svg; needs the 'plot' extra).")
@friendly_errors
def timeline(query: str, data_dir: Path | None, period: str, by_fetched: bool, split: str | None, site: str | None,
             author: str | None, credit: str | None, since: str | None, until: str | None, as_csv: bool, as_json: bool,
             plot: Path | None) -> None:
    """Count matching articles per day, week, month or year (empty QUERY: all articles).

    Periods without articles show as 0. QUERY and filters work as in `archiver search`.

    \b
    Examples:
      archiver timeline 'ICE AND deportation' --by week --since 2018-01-01 --until 2018-12-31
      archiver timeline --split site --csv > per-site.csv
      archiver timeline 'sanctuary city' --plot sanctuary.png
    """
    from archiver.reports.timeline import build_timeline

    if as_csv and as_json:
        raise ArchiverError("choose one of --csv and --json")
    result = build_timeline(existing_data_dir(data_dir), query, period=period, by_fetched=by_fetched, split=split,
                            site=site, author=author, credit=credit, since=parse_date(since, "--since"),
                            until=parse_date(until, "--until"))
    if plot is not None:
        from archiver.cli.plot import plot_timeline

        plot_timeline(result, plot)
    if as_csv:
        click.echo(result.to_csv(), nl=False)
    elif as_json:
        click.echo(to_json(result.to_dict()))
    else:
        click.echo(format_timeline(result))
    if plot is not None:
        click.echo(f"Chart written to {plot}", err=True)


@cli.command()
@click.argument("id_or_url")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help='JSON: [{"from", "to", "changes": [{"op", "old", "new", "field"}]}].')
@colour_option
@friendly_errors
def diff(id_or_url: str, data_dir: Path | None, as_json: bool, colour: bool | None) -> None:
    """Show what changed, word by word, between the stored versions of an article.

    Each earlier version is compared with the next, ending with the current text:
    coloured on a terminal (green added, red removed), [-removed-] {+added+} when piped.

    \b
    Examples:
      archiver diff https://news.example/2018/07/05/story/
      archiver diff 3f2a9c0d1e4b5a67 --json | jq '.[].changes'
    """
    from archiver.reports.diffs import article_diffs
    from archiver.storage.records import ArticleStore

    record = ArticleStore(existing_data_dir(data_dir)).get(id_or_url)
    diffs = article_diffs(record)
    if as_json:
        click.echo(to_json([d.to_dict() for d in diffs]))
    else:
        painted = use_colour(colour)
        click.echo(format_diffs(record, diffs, colour=painted), color=painted)


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
    from archiver.reports.health import archive_health

    result = archive_health(existing_data_dir(data_dir))
    click.echo(to_json(result.to_dict()) if as_json else format_health(result))
    if result.warnings:
        raise ArchiverError(f"extraction health warning for {', '.join(result.warning_sites)}")


@cli.command()
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets every machine that reaches this one read the archive.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port (0: any free one).")
@friendly_errors
def serve(data_dir: Path | None, host: str, port: int) -> None:
    """Browse the archive in a web browser: search, timelines, articles, revisions, exports, sites.

    Read-only: it never writes to the archive, and searches work while a crawl writes.
    Listens on this machine only unless --host says otherwise. The same data as JSON
    is under /api/ (see the README).

    \b
    Examples:
      archiver serve --data-dir ./archive            # then open http://127.0.0.1:8080/
      archiver serve --host 0.0.0.0 --port 8000      # for the team, on an internal server
    """
    from archiver.web import serve as serve_web

    serve_web(existing_data_dir(data_dir), host=host, port=port,
              started=lambda serving: click.echo(format_serving(serving), err=True))


@cli.command()
@click.argument("id_or_url")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the stored JSON record.")
@friendly_errors
def show(id_or_url: str, data_dir: Path | None, as_json: bool) -> None:
    """Print one archived article, by id or by any of its URLs."""
    from archiver.storage.records import ArticleStore

    record = ArticleStore(existing_data_dir(data_dir)).get(id_or_url)
    click.echo(to_json(record, indent=1) if as_json else format_record(record))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--url", help="The URL the page was saved from (default: the page's own canonical link).")
@click.option("--any-page", is_flag=True,
              help="Extract even pages that do not look like articles (home pages, listings, short notes).")
@friendly_errors
def extract(files: tuple[str, ...], url: str | None, any_page: bool) -> None:
    """Extract articles from saved HTML files and WARC files, one JSON line per page (- reads standard input).

    Reads .html or .html.gz files (one line each) and .warc or .warc.gz files (one line
    per HTML response, its URL from the WARC); each line carries a ``source`` field (the
    file path, or ``<file>#<offset>`` of the WARC record), and ``rejected`` with the
    reason when the page is not an article. A file that cannot be read is reported on
    standard error and the others are still extracted (exit status 1). Without --url,
    an HTML file's canonical link gives its address.

    \b
    Examples:
      archiver extract page.html --url https://news.example/2018/07/05/story/ | jq .authors
      curl -s https://news.example/2018/07/05/story/ | archiver extract - | jq .title
      archiver extract archive/warc/*.warc.gz | jq -r .title
    """
    from archiver.reextract import extract_files

    unreadable = 0
    for page in extract_files(files, url, any_page=any_page, stdin=sys.stdin.buffer):
        if page.result is not None:
            click.echo(to_json(page.result))
        else:
            unreadable += 1
            click.echo(f"Error: {page.error}", err=True)
    if unreadable:
        sys.exit(1)
