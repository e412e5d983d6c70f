"""Facets of a query's matches for timelines: each matching article's date and group labels.

Counting happens on index data only — the ``published`` column, the postings of the
``site`` and ``tag`` terms, the stored ``authors`` — so a timeline of the whole archive
never opens a JSON record. The matches are the executor's (:func:`index.execute.match`),
the same a search counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from whoosh.util.times import long_to_datetime

from index.arrays import SearchArrays
from index.errors import QueryError
from index.execute import match
from index.search import ArticleIndex

#: What a timeline may be split by: the index field that holds it.
SPLITS = {"site": "site", "tag": "tag", "author": "authors"}


@dataclass(frozen=True)
class FacetRow:
    """One matching article: its id, publication time (None if undated) and group labels."""

    id: str
    published: datetime | None
    groups: tuple[str, ...] = ()


def facet_rows(index: ArticleIndex, query: str | None, *, split: str | None = None, site: str | None = None,
               author: str | None = None, credit: str | None = None, since: date | str | None = None,
               until: date | str | None = None) -> list[FacetRow]:
    """Every article matching the query and filters (all of them for an empty query), as search counts them."""
    if split is not None and split not in SPLITS:
        raise QueryError(f"cannot split by {split!r}; use one of: {', '.join(SPLITS)}")
    q, flt = index.compile(query, site=site, author=author, credit=credit, since=since, until=until)

    def run(arrays: SearchArrays) -> list[FacetRow]:
        docs = match(arrays, q, flt, scored=False).docs
        if not len(docs):  # an empty index has no columns to read
            return []
        labels = _labels(arrays, split, docs) if split in ("site", "tag") else {}
        searcher = arrays.searcher
        ids = searcher.reader().column_reader("id")
        dated = arrays.column("dated")[docs] == searcher.schema["dated"].to_column_value(1)
        published = arrays.column("published")[docs]
        rows = []
        for i, docnum in enumerate(docs.tolist()):
            if split == "author":
                groups = tuple(searcher.stored_fields(docnum).get("authors") or ())
            else:
                groups = tuple(sorted(labels.get(docnum, ())))
            when = long_to_datetime(int(published[i])) if dated[i] else None
            rows.append(FacetRow(ids[docnum], when, groups))
        return rows

    return index.read(run)


def _labels(arrays: SearchArrays, fieldname: str, docs: np.ndarray) -> dict[int, list[str]]:
    """The labels (sites, tags) each of ``docs`` has, from the postings of every label."""
    labels: dict[int, list[str]] = {}
    for btext in arrays.searcher.reader().lexicon(fieldname):
        held = np.intersect1d(arrays.postings(fieldname, btext)[0], docs, assume_unique=True)
        label = btext.decode("utf-8")
        for docnum in held.tolist():
            labels.setdefault(docnum, []).append(label)
    return labels
