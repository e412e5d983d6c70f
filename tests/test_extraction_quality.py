"""Quality gate over the shared benchmark pages: fails when extraction gets worse.

Floors were measured with ``python benchmarks/extraction.py`` on 2026-11-29 (trafilatura
2.3.1, htmldate 1.11.0): body F1 0.965 on realworld/ (91 pages), author accuracy 72.4%
(254 pages with an author), published-date accuracy 95.1% (349 pages with a date), title
accuracy 85.5% (373 pages), on metadata/. Plain trafilatura on the same pages: 0.951, 53.9%,
87.1%, 63.3%. Each floor is the measured figure minus a small margin.

Since records keep people only in ``authors`` and an agency or desk in ``credit`` (issue
16), the truth's authors (which include "Redaktion", "Agencia EFE", "PETA-Team"...) are
compared with who the byline credits, the authors or else the credit: 72.8% on 2026-12-01,
against 72.4% for the authors before the split. The people-only figure is 68.5%.
"""

from __future__ import annotations

import logging
import warnings

import pytest

from benchmarks.extraction import (
    load_cases,
    metadata_hits,
    run_ours,
    score_bodies,
    shared_data_dir,
    truth_day,
)

BODY_F1_FLOOR = 0.955
BYLINE_ACCURACY_FLOOR = 0.70
PEOPLE_ONLY_ACCURACY_FLOOR = 0.66
DATE_ACCURACY_FLOOR = 0.94
TITLE_ACCURACY_FLOOR = 0.84

pytestmark = pytest.mark.skipif(
    not (shared_data_dir() / "metadata" / "truth.jsonl").exists(),
    reason="shared benchmark data not found (set ARCHIVER_SHARED_DATA)",
)


@pytest.fixture(scope="module", autouse=True)
def _quiet():
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
    logging.disable(logging.NOTSET)


@pytest.fixture(scope="module")
def metadata_scores() -> dict[str, float]:
    cases = load_cases("metadata")
    hits = metadata_hits(cases, [run_ours(case) for case in cases])
    return {field: sum(values) / len(values) for field, values in hits.items()}


def test_body_f1():
    cases = load_cases("realworld")
    _, _, f1 = score_bodies(cases, [run_ours(case) for case in cases])
    assert f1 >= BODY_F1_FLOOR, f"body F1 {f1:.3f} < floor {BODY_F1_FLOOR}"


def test_author_accuracy(metadata_scores):
    assert metadata_scores["byline"] >= BYLINE_ACCURACY_FLOOR, metadata_scores
    assert metadata_scores["author"] >= PEOPLE_ONLY_ACCURACY_FLOOR, metadata_scores


def test_date_accuracy(metadata_scores):
    assert metadata_scores["date"] >= DATE_ACCURACY_FLOOR, metadata_scores


def test_title_accuracy(metadata_scores):
    assert metadata_scores["title"] >= TITLE_ACCURACY_FLOOR, metadata_scores


@pytest.mark.parametrize(
    ("annotated", "day"),
    [("2019-10-16", "2019-10-16"), ("2022-01.26", "2022-01-26"), ("2022-11-1", "2022-11-01"),
     ("2022-29-11", "2022-11-29"), ("2022-05-06", "2022-05-06"), ("unknown", "unknown")],
)
def test_truth_days_typed_loosely_have_their_one_reading(annotated, day):
    """Only a month field over 12 is read day-first: "2022-05-06" stays the 6th of May."""
    assert truth_day(annotated) == day
