"""Whoosh field types for title and body: words, and common words with their grams; positions packed.

The writers hand these fields an :class:`~index.analysis.Analysis` (or the text, which
they analyse): ``index()`` turns it into postings directly, without Whoosh's token
pipeline, which took most of the indexing time. Positions are stored by
:func:`~index.analysis.encode_positions`; :class:`ArrayPositions` reads them back for
Whoosh's own matchers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import fields, formats

from index.analysis import ArticleAnalyzer, analyse, decode_positions, encode_positions, position_count


class ArrayPositions(formats.Positions):
    """Whoosh's Positions format, each posting's positions packed by :func:`encode_positions`."""

    def word_values(self, value, analyzer, **kwargs):
        places: dict[str, list[int]] = {}
        for token in analyzer(value, positions=True, mode=kwargs.get("mode", "")):
            places.setdefault(token.text, []).append(token.pos)
        for word, positions in places.items():
            yield word, len(positions), len(positions) * self.field_boost, encode_positions(positions)

    def encode(self, poslist):
        return encode_positions(list(poslist))

    def decode_positions(self, valuestring):
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring):
        return position_count(valuestring)

    def decode_weight(self, valuestring):
        return position_count(valuestring) * self.field_boost


def _postings(places: dict[str, list[int]], boost: float) -> Iterable[tuple[bytes, int, float, bytes]]:
    return [(term.encode("utf-8"), len(p), len(p) * boost, encode_positions(p)) for term, p in places.items()]


class ArticleText(fields.TEXT):
    """Title or body words (common words left out), with positions; scored by BM25F."""

    def __init__(self, *, stored: bool = False, field_boost: float = 1.0, spelling: bool = False):
        super().__init__(analyzer=ArticleAnalyzer(), phrase=True, stored=stored, field_boost=field_boost,
                         spelling=spelling)
        self.format = ArrayPositions(field_boost=field_boost)

    def places(self, value: Any) -> dict[str, list[int]]:
        """Each term's positions in ``value`` (an Analysis or the text)."""
        return analyse(value).words

    def index(self, value: Any, **kwargs: Any):
        return _postings(self.places(value), self.format.field_boost)

    def subfields(self):
        yield "", self
        if self.separate_spelling():
            yield self.spelling_prefix, SpellingWords(self.analyzer)


class SpellingWords(fields.SpellField):
    """The unstemmed title words "did you mean" picks from.

    Whoosh's writer gives each spelling posting the value of the field's last word (a
    bug), and its Frequency format would cut that to four bytes and fail the next
    merge; this format keeps any value whole.
    """

    def __init__(self, analyzer: Any):
        super().__init__(analyzer)
        self.format = ArrayPositions()


class CommonWords(fields.FieldType):
    """A title's or body's common words, alone and as grams with the next word (for exact phrases)."""

    def __init__(self) -> None:
        self.format = ArrayPositions()
        self.analyzer = ArticleAnalyzer()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.column_type = None

    def places(self, value: Any) -> dict[str, list[int]]:
        """Each common word's and gram's positions in ``value`` (an Analysis or the text)."""
        return analyse(value).common

    def index(self, value: Any, **kwargs: Any):
        return _postings(self.places(value), 1.0)
