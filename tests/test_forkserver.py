"""Extraction workers and the index writer are forked from a forkserver that already holds
what they need (archiver.shutdown.CHILD_MODULES), so a crawl does not pay for importing the
extractor and building trafilatura's stop-word lists once per worker."""

from __future__ import annotations

import subprocess
import sys

#: What a child sees as it starts, asked before it imports anything itself.
CHILD_SEES = """
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from archiver.shutdown import init_child, start_forkserver

SEEN = ('[name in __import__("sys").modules for name in ("archiver.extraction.extract", "index.writer")]'
        ' + [getattr(__import__("sys").modules.get("trafilatura.external"), "JT_STOPLIST", None) is not None]')
start_forkserver()
with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"), initializer=init_child) as pool:
    print(pool.submit(eval, SEEN).result())
"""


def test_children_start_with_the_extractor_loaded_and_stop_words_built() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD_SEES], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[True, True, True]"
