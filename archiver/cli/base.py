"""The ``archiver`` click group and what every command shares: options, errors, argument parsing.

Every expected failure is an :class:`~archiver.errors.ArchiverError` (or an
:class:`~index.errors.SearchError` from the index), printed as one line (``Error:
...``) with exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from index import SearchError

from archiver import __version__
from archiver.datadir import ENV_DATA_DIR, DataDir
from archiver.errors import ArchiverError
from archiver.shutdown import StopSignal, exit_status
from archiver.timestamps import parse_date  # noqa: F401  (the commands' date options)

F = TypeVar("F", bound=Callable[..., Any])
SORTS = click.Choice(["relevance", "newest", "oldest"])


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


def state_dir_option(func: F) -> F:
    return click.option(
        "--state-dir", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVER_STATE_DIR",
        show_envvar=True, help="With --redis: local dir for this machine's crawl state (default: under ~/.local/state).",
    )(func)


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
    """Turn library errors into one-line messages, Ctrl-C into a quiet exit, and a closed
    output pipe (``archiver export ... | head -1``) into a quiet success, as Unix tools do."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # a reader that went away shows here, not at exit
            return result
        except (ArchiverError, SearchError) as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt as exc:
            click.echo("Interrupted.", err=True)
            sys.exit(exit_status(exc.signum if isinstance(exc, StopSignal) else signal.SIGINT))
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def colour_option(func: F) -> F:
    """``--color/--no-color``; without either, colour only on a terminal and never under ``NO_COLOR``."""
    return click.option("--color/--no-color", "colour", default=None,
                        help="Colour the output (default: on a terminal, unless NO_COLOR is set).")(func)


def use_colour(colour: bool | None) -> bool:
    """Whether to colour standard output: as asked, else https://no-color.org and the terminal decide."""
    if colour is not None:
        return colour
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def existing_data_dir(value: Path | None) -> DataDir:
    """The data dir of a read command, which must already hold an archive."""
    data_dir = DataDir.resolve(value)
    if not data_dir.exists():
        raise ArchiverError(f"no archive at {data_dir.root} (run `archiver crawl URL --data-dir {data_dir.root}` first)")
    return data_dir

