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

The writers read a text once (:func:`analyse`: one regex) and number its words with a
:class:`TokenTable`, which analyses each distinct word once (:func:`analyse_word`) and
turns a text's words into terms, common words and grams with array operations;
:class:`ArticleAnalyzer` gives Whoosh's query parser and spelling code the same words
as tokens.
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from collections.abc import Callable
from functools import lru_cache

import numpy as np

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


class Analysis:
    """A text as the index takes it: its words in order (read once, however many fields index it).

    The writers number the words with a :class:`TokenTable` and never build the dicts below;
    ``words`` and ``common`` are for Whoosh's own field interface.
    """

    __slots__ = ("tokens", "numbered", "_places")

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.numbered: tuple[TokenTable, np.ndarray] | None = None  #: (table, token numbers), see TokenTable.number
        self._places: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None

    @property
    def words(self) -> dict[str, list[int]]:
        """Each word's positions (common words left out)."""
        return self._dicts()[0]

    @property
    def common(self) -> dict[str, list[int]]:
        """Each common word's and gram's positions."""
        return self._dicts()[1]

    def _dicts(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        if self._places is None:
            self._places = _places_of(self.tokens)
        return self._places


def _place(places: dict[str, list[int]], term: str, position: int) -> None:
    found = places.get(term)
    if found is None:
        places[term] = [position]
    else:
        found.append(position)


def _places_of(tokens: list[str]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Each word's positions, and each common word's and gram's, read a word at a time."""
    words: dict[str, list[int]] = {}
    common: dict[str, list[int]] = {}
    previous, previous_common = "", False
    for position, token in enumerate(tokens):
        term, is_common, follower = analyse_word(token)
        if is_common:
            _place(common, term, position)
        else:
            _place(words, term, position)
        if previous_common:
            _place(common, previous + GRAM_JOINER + follower, position - 1)
        previous, previous_common = term, is_common
    return words, common


def analyse(text: str | Analysis) -> Analysis:
    """``text`` read into words (an Analysis is returned as it is)."""
    return text if isinstance(text, Analysis) else Analysis(WORD_RE.findall(text))


#: Grams are numbered past every term number (see :meth:`TokenTable.common`).
_GRAM_BASE = 2**31


class _Numbering(dict):
    """Surface word -> its number, numbering (and analysing) a word the first time it is seen."""

    def __init__(self, new: Callable[[str], int]) -> None:
        super().__init__()
        self._new = new

    def __missing__(self, token: str) -> int:
        number = self[token] = self._new(token)
        return number


class TokenTable:
    """Words numbered as they come, each analysed once: the columnar form of :func:`analyse`.

    A writer keeps one table for a segment. Each distinct surface word is analysed the
    first time it is seen (:func:`analyse_word`); from then on a text is a numpy array of
    word numbers, and its terms, common words and grams are array operations on it, with
    no Python work per word. Terms come out as numbers; :meth:`term` gives a number's text.
    """

    def __init__(self) -> None:
        self._numbers = _Numbering(self._add_token)
        self._strings: list[str] = []  #: term number -> its text
        self._string_numbers: dict[str, int] = {}
        self._word = np.empty(1024, dtype=np.int64)  #: token -> its term number, -1 for a common word
        self._common = np.empty(1024, dtype=np.int64)  #: token -> its common-word term number, or -1
        self._follower = np.empty(1024, dtype=np.int64)  #: token -> what it is in a gram after a common word
        self._ranked: tuple[int, np.ndarray] = (0, np.zeros(0, dtype=np.int64))  #: (strings ranked, their ranks)

    def _string(self, text: str) -> int:
        number = self._string_numbers.get(text)
        if number is None:
            number = self._string_numbers[text] = len(self._strings)
            self._strings.append(text)
        return number

    def _add_token(self, token: str) -> int:
        number = len(self._numbers)
        if number == len(self._word):
            self._word, self._common, self._follower = (np.concatenate((a, np.empty_like(a)))
                                                        for a in (self._word, self._common, self._follower))
        term, is_common, follower = analyse_word(token)
        self._word[number] = -1 if is_common else self._string(term)
        self._common[number] = self._string(term) if is_common else -1
        self._follower[number] = self._string(follower)
        return number

    def number(self, text: str | Analysis) -> np.ndarray:
        """The word numbers of a text, in order (kept on an Analysis for its other fields)."""
        analysis = analyse(text)
        if analysis.numbered is None or analysis.numbered[0] is not self:
            numbers = np.fromiter(map(self._numbers.__getitem__, analysis.tokens), dtype=np.int64,
                                  count=len(analysis.tokens))
            analysis.numbered = (self, numbers)
        return analysis.numbered[1]

    def words(self, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(term number, position) of each word indexed with the words, in order."""
        terms = self._word[numbers]
        positions = np.flatnonzero(terms >= 0)
        return terms[positions], positions

    def common(self, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(term number, position) of each common word and each gram, in position order.

        A gram is numbered ``(its common word's number + 1) * 2**31 + its follower's number``.
        """
        terms = self._common[numbers]
        alone = np.flatnonzero(terms >= 0)
        starts = alone[alone < len(numbers) - 1]
        grams = (terms[starts] + 1) * _GRAM_BASE + self._follower[numbers[starts + 1]]
        keys = np.concatenate((terms[alone], grams))
        positions = np.concatenate((alone, starts))
        order = np.argsort(positions, kind="stable")
        return keys[order], positions[order]

    def sort_keys(self, numbers: np.ndarray) -> np.ndarray:
        """Keys that sort term numbers (from :meth:`words` or :meth:`common`) as their texts sort.

        A gram sorts as the pair (its common word, its follower), after its common word
        alone: that is the order of their texts as long as no term holds a character that
        sorts before :data:`GRAM_JOINER`, which words (``\\w``) do not. Callers check.
        """
        if self._ranked[0] != len(self._strings):
            by_text = sorted(range(len(self._strings)), key=self._strings.__getitem__)
            rank = np.empty(len(self._strings), dtype=np.int64)
            rank[by_text] = np.arange(len(self._strings))
            self._ranked = (len(self._strings), rank)
        rank = self._ranked[1]
        alone = numbers < _GRAM_BASE
        first = np.where(alone, numbers, numbers // _GRAM_BASE - 1)
        follower = np.where(alone, 0, numbers % _GRAM_BASE)
        return rank[first] * (len(rank) + 1) + np.where(alone, 0, rank[follower] + 1)

    def term(self, number: int) -> str:
        """The text of a term number from :meth:`words` or :meth:`common`."""
        if number < _GRAM_BASE:
            return self._strings[number]
        first, follower = divmod(number, _GRAM_BASE)
        return self._strings[first - 1] + GRAM_JOINER + self._strings[follower]


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
