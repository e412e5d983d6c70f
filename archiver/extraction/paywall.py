"""Does the page mark its article as subscriber-only? Then the record holds what it shows.

Publishers tell search engines with JSON-LD (``"isAccessibleForFree": false`` on the
article or on a ``hasPart`` of it: Google's paywalled-content markup), some with
``<meta property="article:content_tier" content="locked">``; pages without either show a
paywall box: an element classed like a paywall that asks the reader to subscribe or sign
in. A metered page ("3 free articles left") is not subscriber-only. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from archiver.extraction.metadata import PageMetadata
from archiver.extraction.pagefacts import PageFacts

LOCKED_TIERS = frozenset({"locked", "premium", "subscriber", "subscribers", "paid"})
#: What a paywall box asks of the reader, in the languages the extractor reads.
CALL_TO_SUBSCRIBE = re.compile(
    r"subscrib|subscription|sign in|log in|already a (?:subscriber|member)|abonn|anmelden|einloggen|registrieren"
    r"|jetzt lesen|weiterlesen mit|s'abonner|se connecter|réservé aux abonnés|suscr[ií]b|inicia sesi[oó]n"
    r"|exclusivo para suscriptores",
    re.I,
)


def _is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def marked_in_structured_data(md: PageMetadata) -> bool:
    """JSON-LD says the article (or a part of it) is not free, or a meta tag says the tier is locked."""
    article = md.article_ld
    if article is not None:
        if _is_false(article.get("isAccessibleForFree")):
            return True
        parts = article.get("hasPart")
        for part in parts if isinstance(parts, list) else [parts]:
            if isinstance(part, dict) and _is_false(part.get("isAccessibleForFree")):
                return True
    tier = (md.first_meta("article:content_tier") or "").strip().lower()
    return tier in LOCKED_TIERS


def shows_paywall(facts: PageFacts) -> bool:
    """A paywall box (an element classed as one, :mod:`archiver.extraction.pagefacts` finds
    them) that asks the reader to subscribe or sign in."""
    return any(CALL_TO_SUBSCRIBE.search(prompt) for prompt in facts.paywall_prompts)


def is_paywalled(md: PageMetadata, facts: PageFacts) -> bool:
    """The page marks its article as subscriber-only."""
    return marked_in_structured_data(md) or shows_paywall(facts)
