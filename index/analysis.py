"""Text analysis for the index: one word reader for indexing, queries and snippets.

Title and body: words (letters and digits, dotted abbreviations), lower case, accents
folded, Porter stemming. *Common words* — the commonest function words and tokens of
one character — are not indexed with the other words: each would match nearly every
article, and phrases made of them would have to compare position lists that cover the
whole archive. They go to a companion field instead, each alone and joined to the word
that follows it (a *gram*: ``"of the"``, or ``"the #2c1"`` where the next word is an
uncommon one, by its bucket), at its place in the text, much as Lucene's common-grams
filter does. Every word keeps its place, so a phrase is a chain of words and grams at
fixed offsets that pins every word, common ones included: ``"one of the most"``
matches those four words in that order and nothing else, ``"and the"`` is one gram's
postings, and ``"the people"`` reads the postings of ``the #..`` and ``peopl``, not
the position list of "the", which covers the whole archive.

:func:`analyse` is the fast path the writers use (a regex, a cached per-word
normaliser and dicts, no token objects); :class:`ArticleAnalyzer` gives Whoosh's query
parser and spelling code the same words as tokens.
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh.analysis import Analyzer, CharsetFilter, CommaSeparatedTokenizer, Filter, LowercaseFilter, RegexTokenizer
from whoosh.analysis.acore import Token
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
WORD_PATTERN = r"\w+(?:\.\w+)*"
WORD_RE = re.compile(WORD_PATTERN, re.UNICODE)
#: Joins the two words of a gram (never inside a word).
GRAM_JOINER = " "
#: Buckets of uncommon words after a common one (see :func:`analyse_word`).
GRAM_BUCKETS = 1024

#: Joins a record's authors: dropped by the analyzer, leaving a position gap so a
#: phrase cannot run from one author's name into the next one's.
AUTHOR_SEPARATOR = " zzauthorbreakzz "

_LITTLE_ENDIAN = sys.byteorder == "little"


@lru_cache(maxsize=300_000)
def analyse_word(token: str) -> tuple[str, bool, str]:
    """One surface word as indexed: (term, is it common, what it is after a common word in a gram).

    Common words are folded, not stemmed, and follow a common word as themselves ("of
    the"); other words follow it as one of :data:`GRAM_BUCKETS` buckets ("the #1f3"),
    which keeps the grams to a few thousand terms; their own position pins the word.
    """
    folded = token.lower().translate(accent_map)
    if folded in STOP_WORDS or len(folded) < 2:
        return folded, True, folded
    term = stem(folded)
    return term, False, f"#{zlib.crc32(term.encode('utf-8')) % GRAM_BUCKETS:x}"


def normalise_word(token: str) -> str:
    """The term a word is indexed under (its gram member when it is a common word)."""
    return analyse_word(token)[0]


def fold(text: str) -> str:
    """Lower case without accents ("José Müller" -> "jose muller"), as the index sees names."""
    return text.lower().translate(accent_map)


@dataclass
class Analysis:
    """A text as the index takes it: where each word is, where each common word and gram is, and its length."""

    words: dict[str, list[int]] = field(default_factory=dict)
    common: dict[str, list[int]] = field(default_factory=dict)  #: common words alone, and their grams
    length: int = 0  #: how many words are indexed with the words (the field length BM25 uses)


def _place(places: dict[str, list[int]], term: str, position: int) -> None:
    found = places.get(term)
    if found is None:
        places[term] = [position]
    else:
        found.append(position)


def analyse(text: str) -> Analysis:
    """Words, common words and grams of ``text`` with their positions (the writers' fast path)."""
    words: dict[str, list[int]] = {}
    common: dict[str, list[int]] = {}
    previous, previous_common = "", False
    length = 0
    for position, token in enumerate(WORD_RE.findall(text)):
        term, is_common, follower = analyse_word(token)
        if is_common:
            _place(common, term, position)
        else:
            length += 1
            _place(words, term, position)
        if previous_common:
            _place(common, previous + GRAM_JOINER + follower, position - 1)
        previous, previous_common = term, is_common
    return Analysis(words, common, length)


def phrase_chain(text: str) -> list[tuple[bool, str, int]]:
    """The terms that pin every word of a phrase: (in the common field, term, offset from its first word).

    An uncommon word is pinned by itself; a common word by its gram with the next word
    (exact when that word is common too, the next word's bucket otherwise, that word
    being pinned by itself); a last common word after an uncommon one by itself.
    """
    words = [analyse_word(token) for token in WORD_RE.findall(text)]
    chain: list[tuple[bool, str, int]] = []
    for i, (term, common, _) in enumerate(words):
        if not common:
            chain.append((False, term, i))
        elif i + 1 < len(words):
            chain.append((True, term + GRAM_JOINER + words[i + 1][2], i))
        elif i == 0 or not words[i - 1][1]:
            chain.append((True, term, i))
    return chain


def encode_positions(positions: list[int]) -> bytes:
    """Positions as the index stores them: little-endian uint16, or a 0 byte and uint32 past 65,535.

    Two bytes a position (Whoosh's pickled lists took about 13 for one), and whole blocks
    of them decode with one ``numpy.frombuffer``.
    """
    wide = positions[-1] > 0xFFFF
    packed = array("I" if wide else "H", positions)
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return (b"\0" + packed.tobytes()) if wide else packed.tobytes()


def decode_positions(value: bytes) -> list[int]:
    """The positions :func:`encode_positions` stored."""
    packed = array("H", value) if len(value) % 2 == 0 else array("I", value[1:])
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return packed.tolist()


def position_count(value: bytes) -> int:
    return len(value) // 2 if len(value) % 2 == 0 else (len(value) - 1) // 4


class ArticleAnalyzer(Analyzer):
    """Title and body words as Whoosh tokens (query parsing, spelling): what :func:`analyse` indexes.

    Common words are left out, as they are not indexed on their own; ``no_morph``
    (spelling) gives the folded word unstemmed.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, mode="", no_morph=False, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, match in enumerate(WORD_RE.finditer(value)):
            term, common, _ = analyse_word(match.group())
            if common and removestops:
                continue
            token.text = fold(match.group()) if no_morph else term
            token.stopped = common
            token.boost = 1.0
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def has_morph(self) -> bool:
        return True


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
