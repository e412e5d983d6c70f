"""Facets of a query's matches for timelines: each matching article's date and group labels.

Counting happens on index data only — the ``published`` column, Whoosh grouping on the
``site`` and ``tag`` terms, the stored ``authors`` — so a timeline of the whole archive
never opens a JSON record.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass
from datetime import date, datetime

from whoosh import sorting

from index.errors import QueryError
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
               author: str | None = None, since: date | str | None = None,
               until: date | str | None = None) -> list[FacetRow]:
    """Every article matching the query and filters (all of them for an empty query)."""
    if split is not None and split not in SPLITS:
        raise QueryError(f"cannot split by {split!r}; use one of: {', '.join(SPLITS)}")
    q, flt = index.compile(query, site=site, author=author, since=since, until=until)

    def run(searcher: Any) -> list[FacetRow]:
        groupedby = {"split": sorting.FieldFacet(split, allow_overlap=True)} if split in ("site", "tag") else None
        results = searcher.search(q, limit=None, filter=flt, scored=False, groupedby=groupedby)
        labels: dict[int, list[str]] = {}
        if groupedby:
            for label, docnums in results.groups("split").items():
                for docnum in docnums:
                    labels.setdefault(docnum, []).append(str(label))
        reader = searcher.reader()
        ids, published, dated = (reader.column_reader(name) for name in ("id", "published", "dated"))
        rows = []
        for docnum in sorted(results.docs()):
            if split == "author":
                groups = tuple(searcher.stored_fields(docnum).get("authors") or ())
            else:
                groups = tuple(sorted(labels.get(docnum, ())))
            when = published[docnum] if dated[docnum] else None
            rows.append(FacetRow(ids[docnum], when, groups))
        return rows

    return index.read(run)
