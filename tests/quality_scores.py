"""Scores of our extraction on the shared benchmark pages, printed as one JSON object.

``python -m tests.quality_scores`` extracts every page of ``realworld/``, ``metadata/`` and ``dates/``
with ``benchmarks/extraction.py``'s ``run_ours``, in a pool of worker processes (one per
core), and prints ``{"body_f1": ..., "metadata": {"author": ..., "date": ..., "title": ...}, "dates": ...}``
(``dates``: published-date accuracy on ``dates/``).
The quality gate (``test_extraction_quality.py``) runs it in a process of its own, so the
pool never forks from the test process and its threads.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from concurrent.futures import ProcessPoolExecutor

from benchmarks.extraction import Case, Outcome, load_cases, metadata_hits, run_ours, score_bodies


def quiet() -> None:
    """trafilatura logs every discarded page, htmldate warns: neither is a result."""
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def extract_all(cases: list[Case]) -> list[Outcome]:
    """``run_ours`` over every case, in order, one worker process per core, forked after this
    process has loaded what a crawl's extraction worker loads (so no worker loads it again)."""
    import archiver.extraction.preload  # noqa: F401

    workers = max(1, min(2, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers, initializer=quiet) as pool:
        return list(pool.map(run_ours, cases, chunksize=8))


def scores() -> dict:
    realworld, metadata, dates = load_cases("realworld"), load_cases("metadata"), load_cases("dates")
    outcomes = extract_all(realworld + metadata + dates)
    _, _, f1 = score_bodies(realworld, outcomes[: len(realworld)])
    hits = metadata_hits(metadata, outcomes[len(realworld): len(realworld) + len(metadata)])
    day_hits = metadata_hits(dates, outcomes[len(realworld) + len(metadata):])["date"]
    return {"body_f1": f1, "metadata": {field: sum(values) / len(values) for field, values in hits.items()},
            "dates": sum(day_hits) / len(day_hits)}


if __name__ == "__main__":
    quiet()
    print(json.dumps(scores()))
