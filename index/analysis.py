"""Text analysis for the index: analyzers, and the same normalisation for highlighting.

Body and title share one analyzer: words, lower case, accents folded, stop words
dropped (positions renumbered, so ``"war on terror"`` is the phrase ``war terror``),
Porter stemming. Dropping the most common function words keeps their huge posting
lists out of the index, which is what makes phrase queries such as
``"one of the most"`` cheap instead of a scan of every document's positions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    CommaSeparatedTokenizer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

#: The commonest English function words (each in most news articles). "us" is kept
#: (US), as are negations and numbers.
STOP_WORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i if in into is it its
    of on or our she so than that the their them then there these they this those to was we were
    what when which who whom will with would you your""".split()
)

#: One token, as the analyzer sees words (letters and digits, dotted abbreviations).
WORD_PATTERN = r"\w+(\.?\w+)*"
WORD_RE = re.compile(WORD_PATTERN, re.UNICODE)

#: Joins a record's authors: dropped by the analyzer, leaving a position gap so a
#: phrase cannot run from one author's name into the next one's.
AUTHOR_SEPARATOR = " zzauthorbreakzz "


class GapFilter(Filter):
    """Drops marker tokens and adds a position gap where each one was."""

    def __init__(self, marker: str, gap: int = 10):
        self.marker = marker
        self.gap = gap

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GapFilter) and (self.marker, self.gap) == (other.marker, other.gap)

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            if t.text == self.marker:
                shift += self.gap
                continue
            if shift and t.positions:
                t.pos += shift
            yield t


def text_analyzer():
    """Title and body: folded, stop words removed, stemmed."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=2, renumber=True)
        | StemFilter(stem, cachesize=200_000)
    )


def name_analyzer():
    """Author names: folded and lower-cased words, never stemmed, nothing dropped."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | GapFilter(AUTHOR_SEPARATOR.strip())
    )


def label_analyzer():
    """Categories and tags: whole comma-separated labels, folded and lower-cased."""
    return CommaSeparatedTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def fold(text: str) -> str:
    """Lower case without accents ("José Müller" -> "jose muller"), as the index sees it."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def normalise_word(word: str) -> str:
    """One surface word as the body field indexes it ("" for a stop word)."""
    folded = fold(word)
    if folded in STOP_WORDS or len(folded) < 2:
        return ""
    return stem(folded)
