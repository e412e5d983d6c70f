"""The ``archiver`` command line: each command parses its arguments, calls one library
function and formats what it returns (:mod:`.output`).

Commands live by what they do: :mod:`.crawling` (crawl, worker, index, schedule, demo),
:mod:`.reading` (search, show, stats, export, timeline, diff, health, reindex, extract).
"""

import logging

from archiver.cli import crawling, reading  # noqa: F401 - registers the commands
from archiver.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    logging.raiseExceptions = False  # a log file on a full disk must not spill tracebacks on the terminal
    cli(prog_name="archiver")
