"""Which code page a page is written in when it declares none, or declares the wrong one:
one rule for the crawl and for offline extraction."""

from __future__ import annotations

import codecs
from functools import lru_cache

#: Latin-script single-byte code pages (Windows, ISO, Mac, DOS) a detector confuses on
#: mostly-ASCII text (é, ï, ñ in English); Cyrillic, Greek, Arabic ones are trusted.
LATIN_GUESSES = frozenset({"cp1250", "cp1252", "cp1254", "cp1257", "latin-1", "mac-roman", "mac-latin2",
                           "mac-iceland", "mac-turkish", "cp437", "cp775", "cp850", "cp852", "cp857", "cp858",
                           "cp860", "cp861", "cp863", "cp865",
                           *(f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16))})


def undeclared_codec(guessed: str) -> str:
    """A detector's guess for undeclared, non-UTF-8 bytes, with any Latin guess read as
    windows-1252 (the WHATWG fallback): on short, mostly-English text detectors pick
    cp1250 for ``naïve`` as often as not."""
    try:
        name = codecs.lookup(guessed).name
    except LookupError:
        return guessed
    return "cp1252" if name in LATIN_GUESSES else guessed


@lru_cache(maxsize=64)
def single_byte(codec: str) -> bool:
    """A code page with one character per byte (latin-1, windows-1250, koi8-r, ...)."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return False
    return not name.startswith("utf") and len(bytes(range(0x80, 0x100)).decode(name, errors="replace")) == 0x80


def utf8_text(body: bytes) -> str | None:
    """The text of bytes with non-ASCII characters that are all valid UTF-8, else None: text
    in a one-byte code page almost never forms UTF-8's multi-byte sequences, so such a page
    is UTF-8 whatever it declares (a CMS that moved to UTF-8 and kept its
    ``<meta charset="ISO-8859-2">``)."""
    if body.isascii():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None
