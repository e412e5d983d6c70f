"""The Whoosh schema of the article index, and article record -> index document.

What is stored is what a hit prints (id, url, title, authors, published, site) plus
the start of the body for snippets (Whoosh compresses each document's stored fields,
and only the ten hits shown are read). Categories and tags are searchable but not stored (the JSON
store has them). Title and body are indexed twice over: their words, and their common
words with the grams that make phrases exact (:mod:`index.analysis`); the body is
analysed once for both.

Each document carries the ``version`` of the record it was made from (a digest of
the fields it indexes), so a check can tell an index that is behind its store from
one that is current without re-reading the index's text. ``INDEX_FORMAT`` marks the
layout: an index written by an older layout is refused with "run archiver reindex"
rather than searched with wrong results.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from typing import Any

from whoosh import columns, fields

from index.errors import QueryError
from index.analysis import AUTHOR_SEPARATOR, analyse, label_analyzer, name_analyzer
from index.textfields import ArticleText, CommonWords

#: Field names the query language accepts, with the aliases of plural record names.
FIELD_ALIASES = {"tags": "tag", "categories": "category", "authors": "author", "date": "published"}

#: The layout of the index; bump when documents or analysis change incompatibly.
INDEX_FORMAT = 3  # 3: posting blocks hold 16-bit id gaps and value ends where they fit
#: The record fields a document is made from: a change to any of them changes its version.
INDEXED_RECORD_FIELDS = ("id", "url", "site", "title", "text", "description", "authors", "published", "modified",
                         "categories", "tags", "language")
VERSION_BYTES = 8

#: How much of a body is kept for snippets (characters, before compression).
SNIPPET_SOURCE_CHARS = 20_000

_ISO_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)


class ArticleDate(fields.DATETIME):
    """DATETIME with strict ISO parsing in queries (``2018``, ``2018-07``, ``2018-07-05``).

    Whoosh's own parser silently reads ``2018-13-01`` as 2018 and its date plugin turns
    ``[2018-01-01 TO 2018-06-30]`` into the whole of 2018, so ranges are parsed here.
    """

    def _parse_datestring(self, qstring: str):
        from whoosh.util.times import adatetime

        text = qstring.strip()
        match = _ISO_RE.match(text)
        if not match:
            raise QueryError(f"bad date {text!r} in query (use YYYY, YYYY-MM or YYYY-MM-DD)")
        parts = [int(v) if v is not None else None for v in match.group("y", "m", "d", "H", "M", "S")]
        try:
            datetime(parts[0], parts[1] or 1, parts[2] or 1, parts[3] or 0, parts[4] or 0, parts[5] or 0)
        except ValueError as exc:
            raise QueryError(f"bad date {text!r} in query: {exc}") from None
        return adatetime(*parts)

    def parse_query(self, fieldname, qstring, boost=1.0):
        from whoosh import query

        at = self._parse_datestring(qstring)
        return query.DateRange(fieldname, at.floor(), at.ceil(), boost=boost)


#: Each text field's companion field of common words and their grams (see index.analysis).
COMMON_FIELDS = {"title": "title_common", "body": "body_common"}


def build_schema() -> fields.Schema:
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        url=fields.STORED(),
        site=fields.KEYWORD(stored=True, lowercase=True, analyzer=label_analyzer()),
        title=ArticleText(stored=True, field_boost=2.0, spelling=True),
        title_common=CommonWords(),
        body=ArticleText(),
        body_common=CommonWords(),
        snippet_text=fields.STORED(),
        author=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        authors=fields.STORED(),
        credit=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        published=ArticleDate(sortable=True),
        dated=fields.NUMERIC(sortable=True, bits=8, stored=False),  # sort key: undated articles last
        published_raw=fields.STORED(),
        category=fields.KEYWORD(analyzer=label_analyzer(), commas=True, scorable=True),
        tag=fields.KEYWORD(analyzer=label_analyzer(), commas=True, scorable=True),
        language=fields.ID(stored=True),
        changed=fields.BOOLEAN(),
        version=fields.COLUMN(columns.FixedBytesColumn(VERSION_BYTES)),
    )
    schema.article_format = INDEX_FORMAT  # pickled with the schema into every table of contents
    return schema


def index_format(schema: fields.Schema) -> int:
    """The layout an index was written with (1 before the layout was marked)."""
    return getattr(schema, "article_format", 1)


def record_version(record: dict[str, Any]) -> bytes:
    """A digest of what the index takes from a record: equal versions index the same."""
    fields_ = [record.get(name) for name in INDEXED_RECORD_FIELDS] + [bool(record.get("revisions"))]
    encoded = json.dumps(fields_, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.blake2b(encoded, digest_size=VERSION_BYTES).digest()


def parse_record_date(value: Any) -> datetime | None:
    """A record's date as the naive wall-clock time it was published (None if absent/bad).

    The time zone is dropped on purpose: ``--since 2018-07-05`` means the date printed
    on the article, not that instant in UTC.
    """
    if not value:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def is_changed(record: dict[str, Any]) -> bool:
    """Edited after publication: a later ``modified`` date, or earlier revisions kept."""
    if record.get("revisions"):
        return True
    published, modified = parse_record_date(record.get("published")), parse_record_date(record.get("modified"))
    return bool(published and modified and modified > published)


def _labels(values: Any) -> str:
    return ",".join(str(v).replace(",", " ").strip() for v in values or () if str(v).strip())


def to_document(record: dict[str, Any]) -> dict[str, Any]:
    """The index document of one article record (keyword arguments for add_document)."""
    text = record.get("text") or ""
    description = record.get("description") or ""
    authors = [str(a) for a in record.get("authors") or () if a]
    title = record.get("title") or ""
    body = analyse(f"{description}\n\n{text}" if description else text)  # read once for both fields
    doc: dict[str, Any] = {
        "id": str(record["id"]),
        "url": record.get("url") or "",
        "site": (record.get("site") or "").lower().removeprefix("www."),
        "title": title,
        "title_common": title,
        "body": body,
        "body_common": body,
        "snippet_text": (text or description)[:SNIPPET_SOURCE_CHARS],
        "author": AUTHOR_SEPARATOR.join(authors),
        "authors": authors,
        "credit": record.get("credit") or "",
        "published_raw": record.get("published"),
        "category": _labels(record.get("categories")),
        "tag": _labels(record.get("tags")),
        "changed": is_changed(record),
        "dated": 0,
        "version": record_version(record),
    }
    published = parse_record_date(record.get("published"))
    if published is not None:
        doc["published"] = published
        doc["dated"] = 1
    if record.get("language"):
        doc["language"] = str(record["language"]).lower()
    return {k: v for k, v in doc.items() if v not in ("", None) or k in ("id", "url")}


def snippet_source(stored: dict[str, Any]) -> str:
    """The (prefix of the) body kept for snippets, from a hit's stored fields."""
    return stored.get("snippet_text") or ""
