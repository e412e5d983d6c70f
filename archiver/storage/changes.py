"""Did a re-fetched article really change? Its own text, title or byline; not the page around it.

Pages change between visits for reasons that are not the article's: the masthead's date,
a view or comment counter, "Updated 5 minutes ago", a rotating related-links box. The
extractor leaves most of that out; what slips into the edges of a body (a short line of
dates, times and counts before or after the article) is set aside here, so only an edited
text, headline or byline makes a revision. A line in the middle of the body is compared
as written: a corrected figure in a sentence is a change.
"""

from __future__ import annotations

import re

from archiver.items import SCHEMA_VERSION, Article, ArticleContent
from archiver.text import normalise_text, text_key

#: An edge line this short may be page furniture.
EDGE_WORDS = 12
#: Words of dates, times, counters and their labels (English, German, French, Spanish).
VOLATILE_WORD = re.compile(
    r"^(?:\d[\d.,:]*(?:h\d*|st|nd|rd|th|m|s|k)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?"
    r"|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|januar|februar|märz|mai|juni|juli"
    r"|oktober|dezember|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|janvier|février|mars|avril"
    r"|juin|juillet|août|septembre|octobre|novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|dimanche|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    r"|lunes|martes|miércoles|jueves|viernes|sábado|domingo|today|yesterday|now|just|ago|updated|update"
    r"|published|posted|last|at|on|am|pm|a|p|m|et|est|edt|ct|pt|utc|gmt|cet|cest|bst|min|mins|minutes?"
    r"|hours?|hrs?|days?|read|reads|views?|comments?|shares?|likes?|heute|gestern|vor|stunden?|minuten?|tagen?"
    r"|aktualisiert|um|uhr|gelesen|aufrufe|kommentare|il|y|à|jour|mis|heures?|hier|aujourd'hui|vues|lectures"
    r"|hace|horas?|ayer|hoy|actualizado|visitas|lecturas|zuletzt|dernière|última|modifié|le|la|les|el|las|los"
    r"|du|del|im|an|in|de|des|der|the|of|by)$",
    re.I,
)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|\d[\d.,:]*", re.UNICODE)


def is_volatile(line: str) -> bool:
    """A short line made only of dates, times, counts and their labels ("1,234 views",
    "Tuesday, July 9, 2019", "Updated 3 hours ago")."""
    words = WORD.findall(line)
    return 0 < len(words) <= EDGE_WORDS and all(VOLATILE_WORD.match(word) for word in words)


def article_text(text: str) -> str:
    """The body without volatile lines at its edges, normalised as the content hash reads it."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    while paragraphs and is_volatile(paragraphs[0]):
        paragraphs.pop(0)
    while paragraphs and is_volatile(paragraphs[-1]):
        paragraphs.pop()
    return normalise_text("\n\n".join(paragraphs))


def _byline(content: ArticleContent) -> set[str]:
    return {text_key(name) for name in [*content.authors, content.credit or ""] if text_key(name)}


def is_real_change(old: Article, new: ArticleContent) -> bool:
    """The article's own text, title or byline changed. A record from an older schema is
    compared on text and title only: its byline was read by older rules."""
    if text_key(old.title) != text_key(new.title):
        return True
    if old.schema_version >= SCHEMA_VERSION and _byline(old) != _byline(new):
        return True
    return article_text(old.text) != article_text(new.text)
