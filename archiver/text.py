"""Text as the archive compares and counts it: one normalisation, one word count.

Pure functions shared by extraction (titles, bylines, site names), dedup (the content
hash) and the record's ``word_count``.
"""

from __future__ import annotations

import re
import unicodedata

NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
#: Scripts written without spaces between words (Chinese, Japanese kana, Thai).
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]")


def normalise_text(text: str) -> str:
    """Text reduced to its words: case, compatibility forms, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(NON_WORD.sub(" ", text).split())


def text_key(text: str) -> str:
    """Letters and digits only, case-folded: how titles, names and site names are compared."""
    return NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def count_words(text: str) -> int:
    """Words in ``text``: what spaces separate, and in scripts written without spaces
    (Chinese, Japanese, Thai) two characters to a word."""
    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return len(UNSPACED.sub(" ", text).split()) + unspaced // 2
