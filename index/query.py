"""Query parsing and filters: user text -> Whoosh query, with one-line QueryErrors.

The language is Whoosh's (words, "phrases", AND/OR/NOT, field:value, wildcards,
ranges) with title+body as the default fields and AND between bare words. Field
names are checked before parsing because Whoosh quietly reads ``foo:bar`` as the
word "foo:bar". A "phrase" on title or body is an :class:`ExactPhrase`: its words,
common ones included, in order (see :mod:`index.analysis`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from whoosh import query as wq
from whoosh import qparser
from whoosh.analysis.acore import Token
from whoosh.qparser.syntax import attach

from index.analysis import AUTHOR_SEPARATOR, WORD_RE, analyse_word, phrase_chain
from index.errors import QueryError
from index.schema import COMMON_FIELDS, FIELD_ALIASES, parse_record_date
from index.textfields import ArticleText

DEFAULT_FIELDS = ("title", "body")
#: Field names users may type (schema names plus aliases); the rest are internal.
QUERY_FIELDS = ("title", "body", "author", "credit", "site", "tag", "category", "published", "language", "id",
                "changed")
SORTS = ("relevance", "newest", "oldest")

# A ``name:`` prefix outside double quotes (the lookbehind skips "a:b" inside words).
_FIELD_RE = re.compile(r'"[^"]*"?|(?<![\w.])([A-Za-z_][\w]*):(?!//)')


class ExactPhrase(wq.Query):
    """The words of ``text`` in this order in a title or body field, common words included.

    Answered through the chain of words, common words and grams that pins every word (see
    :func:`~index.analysis.phrase_chain`): the executor intersects their postings
    and checks the offsets. ``slop`` > 1 ("..."~N) loosens it to the phrase's
    uncommon words, in any order.
    """

    def __init__(self, fieldname: str, text: str, *, slop: int = 1, boost: float = 1.0, startchar: int = 0):
        self.fieldname = fieldname
        self.text = text
        self.slop = slop
        self.boost = boost
        self.startchar = startchar  #: where the phrase's text starts in the query string
        self.chain = phrase_chain(text)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ExactPhrase)
                and (self.fieldname, self.text, self.slop, self.boost) == (other.fieldname, other.text, other.slop,
                                                                           other.boost))

    def __hash__(self) -> int:
        return hash((self.fieldname, self.text, self.slop, self.boost))

    def __repr__(self) -> str:
        return f"ExactPhrase({self.fieldname!r}, {self.text!r}, slop={self.slop})"

    def __str__(self) -> str:
        return f'{self.fieldname}:"{self.text}"'

    def is_leaf(self) -> bool:
        return True

    def words(self) -> list[str]:
        """The terms of the phrase's uncommon words, in order."""
        return [term for term, common, _ in map(analyse_word, WORD_RE.findall(self.text)) if not common]

    def terms(self, phrases: bool = True):
        for common, term, _ in self.chain:
            yield (COMMON_FIELDS[self.fieldname] if common else self.fieldname), term

    def tokens(self, boost: float = 1.0, exreader=None):
        """The phrase's uncommon words with their place in the query string (for "did you mean")."""
        for match in WORD_RE.finditer(self.text):
            term, common, _ = analyse_word(match.group())
            if not common:
                yield Token(fieldname=self.fieldname, text=term, boost=boost * self.boost,
                            startchar=self.startchar + match.start(), endchar=self.startchar + match.end(),
                            chars=True)

    def normalize(self) -> wq.Query:
        if not WORD_RE.search(self.text):
            return wq.NullQuery
        if len(self.chain) == 1:  # one word (or a common word and the next): a term
            common, term, _ = self.chain[0]
            return wq.Term(COMMON_FIELDS[self.fieldname] if common else self.fieldname, term, boost=self.boost)
        return self

    def estimate_size(self, ixreader) -> int:
        return min((ixreader.doc_frequency(f, t) for f, t in self.terms()), default=0)


class ExactPhrasePlugin(qparser.PhrasePlugin):
    """Whoosh's "phrase" syntax, giving :class:`ExactPhrase` on title and body (their common words kept)."""

    class PhraseNode(qparser.PhrasePlugin.PhraseNode):
        def query(self, parser):
            fieldname = self.fieldname or parser.fieldname
            if isinstance(parser.schema[fieldname] if fieldname in parser.schema else None, ArticleText):
                return attach(ExactPhrase(fieldname, self.text, slop=self.slop, boost=self.boost,
                                          startchar=self.textstartchar), self)
            return super().query(parser)

    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            slop = match.group("slop")
            return ExactPhrasePlugin.PhraseNode(match.group("text"), match.start("text"), int(slop) if slop else 1)

    def taggers(self, parser):
        return [(self.PhraseTagger(self.expr), 0)]


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
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(ExactPhrasePlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({v: [k] for k, v in FIELD_ALIASES.items()}))
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def _rewrite(q: wq.Query, schema) -> wq.Query:
    """Phrases on fields without positions (tags, categories) become one term."""
    if isinstance(q, wq.Phrase):
        field = schema[q.fieldname] if q.fieldname in schema else None
        if field is not None and not field.format.supports("positions"):
            return wq.Term(q.fieldname, " ".join(q.words), boost=q.boost)
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
    return name_query(schema, "author", name)


def name_query(schema, fieldname: str, name: str) -> wq.Query:
    """The phrase of a name in a name field (``author``, ``credit``), case and accents ignored."""
    words = [t.text for t in schema[fieldname].analyzer(name.replace(AUTHOR_SEPARATOR.strip(), " "))]
    if not words:
        raise QueryError(f"bad {fieldname} name {name!r}")
    return wq.Phrase(fieldname, words) if len(words) > 1 else wq.Term(fieldname, words[0])


def build_filter(schema, *, site: str | None = None, author: str | None = None, credit: str | None = None,
                 since: Any = None, until: Any = None, changed: bool = False) -> wq.Query | None:
    """The filter of the command-line flags (None when there is nothing to filter)."""
    parts: list[wq.Query] = []
    if site:
        parts.append(wq.Term("site", site.strip().lower().removeprefix("www.")))
    if author:
        parts.append(author_query(schema, author))
    if credit:
        parts.append(name_query(schema, "credit", credit))
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


def check_sort(sort: str) -> None:
    """QueryError for a sort name other than relevance, newest and oldest."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
