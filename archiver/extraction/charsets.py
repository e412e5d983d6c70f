"""The code page of a page that declares none: one rule for the crawl and for offline extraction."""

from __future__ import annotations

import codecs

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
