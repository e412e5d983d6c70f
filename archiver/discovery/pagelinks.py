"""What an HTML page points to: its links, its feeds, its canonical and AMP addresses.

One walk over the page's lxml tree for the four kinds of element that matter to discovery
(``<a>``, ``<area>``, ``<link>``, ``<base>``), instead of an XPath query per kind over a
parsel tree: on a news page with a hundred links this is the spider's main cost per page.
Addresses are made absolute against the page's ``<base href>`` (else its URL) and kept in
page order, each once; cleaning and scoping them is the spider's business. Pure (no
Scrapy): the extraction workers run it on the tree they parse (``extraction.read_page``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

LINK_TAGS = ("a", "area", "link", "base")
ABSOLUTE = ("http://", "https://")
#: ``<link rel=alternate type=...>`` types that announce a feed.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


@dataclass
class PageLinks:
    """The addresses a page names, absolute."""

    links: list[str] = field(default_factory=list)  #: ``<a href>`` and ``<area href>``, each once
    feeds: list[str] = field(default_factory=list)  #: ``<link rel=alternate>`` of an RSS/Atom/JSON feed type
    canonical: str | None = None  #: the first ``<link rel=canonical>``
    amp: str | None = None  #: the first ``<link rel=amphtml>``


def page_links(tree, url: str) -> PageLinks:
    """The links, feeds, canonical and AMP addresses of a parsed page (``tree`` None: none)."""
    found = PageLinks()
    if tree is None:
        return found
    base: str | None = None
    hrefs: list[str] = []
    heads: list[tuple[set[str], str, str]] = []  #: (rel tokens, type, href) of each <link>
    for element in tree.iter(*LINK_TAGS):
        href = element.get("href")
        if not href:
            continue
        if element.tag == "base":
            base = base or urljoin(url, href.strip())  # the first <base> counts, as in browsers
        elif element.tag == "link":
            heads.append((set((element.get("rel") or "").lower().split()), (element.get("type") or "").lower(), href))
        else:
            hrefs.append(href)
    base = base or url
    found.links = list(dict.fromkeys(h if h.startswith(ABSOLUTE) else urljoin(base, h.strip()) for h in hrefs))
    for rel, kind, href in heads:
        absolute = urljoin(base, href.strip())
        if "alternate" in rel and kind in FEED_TYPES:
            found.feeds.append(absolute)
        if "canonical" in rel and found.canonical is None:
            found.canonical = absolute
        if "amphtml" in rel and found.amp is None:
            found.amp = absolute
    return found
