"""Extraction workers and the index writer are forked from a forkserver that already holds
what they need (archiver.shutdown.start_forkserver), so a crawl does not pay for importing the
extractor and building trafilatura's stop-word lists once per worker, and a crawl that
extracts in its own process does not pay for them in the forkserver as well."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: What a child sees as it starts, asked before it imports anything itself.
CHILD_SEES = """
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from archiver.shutdown import init_child, start_forkserver

SEEN = ('[name in __import__("sys").modules for name in ("archiver.extraction.extract", "index.writer")]'
        ' + [getattr(__import__("sys").modules.get("trafilatura.external"), "JT_STOPLIST", None) is not None]')
start_forkserver(extraction_workers={workers})
with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"), initializer=init_child) as pool:
    print(pool.submit(eval, SEEN).result())
"""


@pytest.mark.parametrize(("workers", "seen"), [(True, "[True, True, True]"), (False, "[False, True, False]")])
def test_children_start_with_what_they_need_loaded(workers: bool, seen: str) -> None:
    """With extraction workers: the extractor, the index writer and the stop words; without: the writer only."""
    done = subprocess.run([sys.executable, "-c", CHILD_SEES.format(workers=workers)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == seen
