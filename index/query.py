"""Query parsing and filters: user text -> Whoosh query, with one-line QueryErrors.

The language is Whoosh's (words, "phrases", AND/OR/NOT, field:value, wildcards,
ranges) with title+body as the default fields and AND between bare words. Field
names are checked before parsing because Whoosh quietly reads ``foo:bar`` as the
word "foo:bar". Exact phrases use :class:`FastPhrase`, which checks positions with
set arithmetic instead of Whoosh's per-position span objects.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from whoosh import query as wq
from whoosh import qparser, sorting
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanWrappingMatcher
from whoosh.util import make_binary_tree

from index.errors import QueryError
from index.analysis import AUTHOR_SEPARATOR
from index.schema import FIELD_ALIASES, parse_record_date

DEFAULT_FIELDS = ("title", "body")
#: Field names users may type (schema names plus aliases); the rest are internal.
QUERY_FIELDS = ("title", "body", "author", "credit", "site", "tag", "category", "published", "language", "id",
                "changed")
SORTS = ("relevance", "newest", "oldest")

# A ``name:`` prefix outside double quotes (the lookbehind skips "a:b" inside words).
_FIELD_RE = re.compile(r'"[^"]*"?|(?<![\w.])([A-Za-z_][\w]*):(?!//)')


class FastPhraseMatcher(SpanWrappingMatcher):
    """Documents where the words occur at consecutive positions (slop 1).

    Whoosh's SpanNear2 builds a Span object per position and compares them in
    Python loops; here each word's positions become a shifted set and the phrase
    starts are one C-level intersection per word.
    """

    def __init__(self, matchers):
        self.ms = matchers
        super().__init__(make_binary_tree(IntersectionMatcher, matchers))

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])

    def _replacement(self, newchild):
        return self

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def _get_spans(self):
        ms = self.ms
        starts = set(ms[0].value_as("positions"))
        for offset in range(1, len(ms)):
            if not starts:
                return []
            starts.intersection_update([p - offset for p in ms[offset].value_as("positions")])
        width = len(ms) - 1
        return [Span(s, s + width) for s in sorted(starts)]


class FastPhrase(wq.Phrase):
    """Phrase query using :class:`FastPhraseMatcher` when slop is 1."""

    def matcher(self, searcher, context=None):
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (fieldname, btext) not in reader:
                return NullMatcher()
            terms.append(wq.Term(fieldname, btext))
        matchers = [t.matcher(searcher, context) for t in terms]
        if any(not m.is_active() for m in matchers):
            return NullMatcher()
        m = FastPhraseMatcher(matchers)
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


def check_fields(text: str) -> None:
    """QueryError naming the known fields when the query uses an unknown ``field:``."""
    for match in _FIELD_RE.finditer(text):
        name = match.group(1)
        if name and name.lower() not in QUERY_FIELDS and name.lower() not in FIELD_ALIASES:
            known = ", ".join(f"{f}:" for f in ("title", "author", "credit", "site", "tag", "category", "published",
                                                "language"))
            raise QueryError(f"unknown field {name!r} in query; known fields: {known}")


def make_parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FieldAliasPlugin({v: [k] for k, v in FIELD_ALIASES.items()}))
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def _rewrite(q: wq.Query, schema) -> wq.Query:
    """Phrases on fields without positions become one term; phrases become FastPhrase."""
    if isinstance(q, wq.Phrase):
        field = schema[q.fieldname] if q.fieldname in schema else None
        if field is not None and not field.format.supports("positions"):
            return wq.Term(q.fieldname, " ".join(q.words), boost=q.boost)
        return FastPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
    return q.apply(lambda sub: _rewrite(sub, schema))


def parse_user_query(parser: qparser.QueryParser, text: str | None) -> wq.Query:
    """The Whoosh query for the user's text (Every() when empty); QueryError when bad."""
    if text is None or not text.strip():
        return wq.Every()
    check_fields(text)
    try:
        q = parser.parse(text)
    except QueryError:
        raise
    except Exception as exc:  # Whoosh raises bare ValueError/Exception for bad ranges, etc.
        raise QueryError(f"cannot parse query {text!r}: {exc}") from None
    for sub in q.all_parts() if hasattr(q, "all_parts") else [q]:
        if getattr(sub, "error", None):
            raise QueryError(f"cannot parse query {text!r}: {sub.error}")
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise QueryError(f"nothing to search for in {text!r}: very common words (the, of, ...) are not indexed")
    return _rewrite(q, parser.schema)


def to_date(value: date | str | None, flag: str) -> date | None:
    """An ISO date from a --since/--until value; QueryError when it is not one."""
    if value is None or value == "":
        return None
    moment = parse_record_date(value)
    if moment is None:
        raise QueryError(f"bad date for {flag}: {value!r} (use YYYY-MM-DD)")
    return moment.date()


def author_query(schema, name: str) -> wq.Query:
    """The phrase of an author's full name (case and accents ignored)."""
    words = [t.text for t in schema["author"].analyzer(name.replace(AUTHOR_SEPARATOR.strip(), " "))]
    if not words:
        raise QueryError(f"bad author name {name!r}")
    return FastPhrase("author", words) if len(words) > 1 else wq.Term("author", words[0])


def build_filter(schema, *, site: str | None = None, author: str | None = None, since: Any = None,
                 until: Any = None, changed: bool = False) -> wq.Query | None:
    """The filter of the command-line flags (None when there is nothing to filter)."""
    parts: list[wq.Query] = []
    if site:
        parts.append(wq.Term("site", site.strip().lower().removeprefix("www.")))
    if author:
        parts.append(author_query(schema, author))
    start, end = to_date(since, "--since"), to_date(until, "--until")
    if start and end and start > end:
        raise QueryError(f"--since {start} is after --until {end}")
    if start or end:
        parts.append(wq.DateRange(
            "published",
            datetime.combine(start, time.min) if start else None,
            datetime.combine(end, time.max) if end else None,
        ))
    if changed:
        parts.append(wq.Term("changed", True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def sort_args(sort: str) -> dict[str, Any]:
    """search() keyword arguments for a sort name; QueryError for an unknown one."""
    if sort == "relevance":
        return {}
    if sort in ("newest", "oldest"):  # dated before undated, then by date
        newest = sort == "newest"
        return {"sortedby": sorting.MultiFacet([sorting.FieldFacet("dated", reverse=True),
                                                 sorting.FieldFacet("published", reverse=newest)])}
    raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
