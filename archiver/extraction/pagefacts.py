"""The structure of a page, measured in one walk over its body: what the page-kind classifier weighs.

Prose (the longest run of paragraphs in one container), words in picture captions,
teaser blocks, timestamped update blocks, link density, a video player, a "load more"
link, a form, and the same-host links it holds. Navigation, header, footer, asides and
scripts are not the page's content and are skipped; blocks classed as comments, related
stories, sidebars or "most read" count for words and links but not as the page's own
paragraphs, captions, teasers or updates. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from archiver.extraction.metadata import node_text
from archiver.urls import same_host_path

#: Elements that are not the page's content.
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "script", "style", "noscript", "template", "svg"})
#: Classes and ids of blocks beside the content: comments, related stories, sidebars, "most read".
ASIDE = re.compile(r"comment|related|sidebar|recommend|most-|trending", re.I)
#: What an element's class says it is, read in one pass: beside the content, a caption, a
#: slide of a gallery, a time stamp, a video player, a paragraph, a paywall prompt.
CLASS_MARKS = re.compile(
    r"(?P<aside>comment|related|sidebar|recommend|most-|trending)|(?P<caption>(?:^|[\s_-])caption(?:-text)?(?:\s|$))"
    r"|(?P<figure>gallery-item|(?:^|\s)slide(?:\s|$))|(?P<stamp>timestamp|time-stamp|update-time)"
    r"|(?P<player>video-player|jwplayer|vjs-tech|brightcove-player)|(?P<paragraph>(?:^|\s)paragraph(?:\s|$))"
    r"|(?P<paywall>paywall|regwall|subscribers?-only|premium-lock|locked-content|piano-offer)",
    re.I,
)
#: Elements whose classes describe the whole page's layout, not a block of it.
PAGE_TAGS = frozenset({"html", "body"})
LAYOUT_FLAG = re.compile(r"(?<=\s)(?:has|no|with|is|show|hide)-\S*", re.I)
PLAYER_SOURCE = re.compile(r"youtube|vimeo|player|dailymotion|brightcove|jwplatform", re.I)
PLAYER_TAGS = frozenset({"video", "video-js", "amp-video"})
HEADINGS = frozenset({"h2", "h3", "h4"})
LOAD_MORE = re.compile(r"^(?:load|show|see|view)\s+more(?:\s+(?:stories|articles|news))?$|^more stories$"
                       r"|^mehr (?:laden|anzeigen|artikel)$|^weitere artikel$|^(?:voir|charger) plus"
                       r"|^(?:cargar|ver) más", re.I)
TEASER_LINK = etree.XPath(".//*[self::h2 or self::h3 or self::h4]//a[@href][not(starts-with(@href, '#'))]")
#: An update block holds at least this many words that are not link text, and not many more.
UPDATE_WORDS, UPDATE_MAX_WORDS = 12, 600
#: Links looked at for the page's URL shape.
MAX_LINKS = 1000
#: A paywall prompt is short: a longer block classed after it is a container (of the whole article).
PROMPT_CHARS, PROMPTS = 1000, 5


@dataclass
class PageFacts:
    """What the page's structure shows."""

    prose: int = 0  #: words of the longest run of paragraphs in one container
    captions: int = 0  #: words in picture captions
    figures: int = 0  #: captioned pictures
    teasers: int = 0  #: teaser blocks (headline links, <article> elements)
    updates: int = 0  #: timestamped update blocks side by side
    link_density: float = 0.0
    player: bool = False
    load_more: bool = False
    form: bool = False
    links: list[str] = field(default_factory=list)  #: same-host link paths
    paywall_prompts: list[str] = field(default_factory=list)  #: texts of elements classed as a paywall


def words(text: str | None) -> int:
    return len(text.split()) if text else 0


@dataclass
class _Walk:
    """Running counts of one walk."""

    words: int = 0
    link_words: int = 0
    paragraphs: Counter[Any] = field(default_factory=Counter)  #: parent -> words of its <p> children
    captions: int = 0
    caption_words: int = 0
    figures: int = 0
    heads: int = 0
    articles: int = 0
    stamps: list[Any] = field(default_factory=list)


def page_facts(tree: Any, url: str) -> PageFacts:
    """Measure the page's structure (see :class:`PageFacts`)."""
    root = tree.find("body")
    root = tree if root is None else root
    walk, facts = _Walk(), PageFacts()
    host = urlsplit(url).netloc.lower()
    flags: list[tuple[bool, bool, bool]] = []  #: per open element: (aside, link, caption)
    aside = link = caption = figure = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "end":
            is_aside, is_link, is_caption = flags.pop()
            aside -= is_aside
            link -= is_link
            caption -= is_caption
            figure -= tag == "figure"
            count = words(node.tail)
            walk.words += count
            walk.link_words += count if link else 0
            continue
        if tag in CHROME_TAGS:
            walker.skip_subtree()
            flags.append((False, False, False))
            if tag == "aside":  # a paywall prompt may be an <aside> of its own
                _paywall_prompt(node, _marks(node.get("class"), node.get("id")), facts)
            continue
        cls, ident = node.get("class"), node.get("id")
        marks = _marks(cls, ident) if (cls or ident) and tag not in PAGE_TAGS else frozenset()
        is_aside = "aside" in marks
        is_link = tag == "a"
        is_caption = not caption and (tag == "figcaption" or "caption" in marks or node.get("itemprop") == "caption")
        flags.append((is_aside, is_link, is_caption))
        aside += is_aside
        link += is_link
        caption += is_caption
        figure += tag == "figure"
        count = words(node.text)
        walk.words += count
        walk.link_words += count if link else 0
        _element(node, tag, marks, aside > 0, figure > 0 or caption > 0, is_caption, walk, facts, url, host)
        if is_link and len(facts.links) < MAX_LINKS:
            path = same_host_path(node.get("href"), url, host)
            if path:
                facts.links.append(path)
    _conclude(walk, facts, url, host)
    return facts


@lru_cache(maxsize=4096)
def _marks(cls: str | None, ident: str | None) -> frozenset[str]:
    """What an element's class and id say it is; layout flags ("has-sidebar", "no-comments")
    say nothing. Cached: a template repeats its classes on every element of a kind and on
    every page of a site."""
    text = LAYOUT_FLAG.sub(" ", f" {cls or ''} {ident or ''} ")
    return frozenset(match.lastgroup for match in CLASS_MARKS.finditer(text))


def _element(node: Any, tag: str, marks: frozenset[str], in_aside: bool, in_figure: bool, is_caption: bool,
             walk: _Walk, facts: PageFacts, url: str, host: str) -> None:
    """What one content element adds to the counts."""
    if (tag == "p" or (tag == "div" and "paragraph" in marks)) and not in_figure:
        parent = node.getparent()
        if parent is not None:
            walk.paragraphs[parent] += words(node_text(node))
    elif tag in ("a", "button"):
        if not facts.load_more:
            label = (node.text or "").strip() or node_text(node)
            facts.load_more = len(label) < 40 and LOAD_MORE.match(label) is not None
    elif tag == "form":
        facts.form = facts.form or (not re.search(r"search", f"{node.get('role', '')} {node.get('class', '')}", re.I)
                                    and bool(node.xpath(".//input[@type='email' or @type='password'] | .//textarea")))
    if is_caption and not in_aside:
        walk.captions += 1
        walk.caption_words += words(node_text(node))
    if tag == "figure" or "figure" in marks:
        walk.figures += 1
    _paywall_prompt(node, marks, facts)
    if not in_aside:
        if tag in HEADINGS and _links_here(node, url, host):
            walk.heads += 1
        elif tag == "article":
            walk.articles += 1
        if tag == "time" or "stamp" in marks:
            walk.stamps.append(node)
    if not facts.player and (tag in PLAYER_TAGS or "player" in marks or node.get("data-video-id")
                             or node.get("data-player-id")
                             or (tag == "iframe" and PLAYER_SOURCE.search(node.get("src", "")))):
        facts.player = True


def _paywall_prompt(node: Any, marks: frozenset[str], facts: PageFacts) -> None:
    """Keep the text of an element classed as a paywall, when it is short enough to be a prompt."""
    if ("paywall" in marks or node.get("data-paywall") is not None) and len(facts.paywall_prompts) < PROMPTS:
        text = node.text_content()
        if len(text) <= PROMPT_CHARS:
            facts.paywall_prompts.append(text)


def _conclude(walk: _Walk, facts: PageFacts, url: str, host: str) -> None:
    facts.prose = _prose(walk.paragraphs, url, host)
    facts.captions = walk.caption_words
    facts.figures = max(walk.captions, walk.figures) if walk.captions else 0
    facts.teasers = max(walk.heads, walk.articles)
    facts.updates = _updates(walk.stamps)
    facts.link_density = walk.link_words / walk.words if walk.words >= 50 else 0.0


def _prose(paragraphs: Counter[Any], url: str, host: str) -> int:
    """The most paragraph words under one parent; a parent that also holds headlines linking
    to this site's other pages is a list of teasers, and one classed as an aside is not the
    page's own text."""
    best = 0
    for parent, count in paragraphs.most_common(5):
        if count <= best:
            break
        heads = sum(1 for child in parent if child.tag in HEADINGS and _links_here(child, url, host))
        if heads < 3 and not ASIDE.search(f"{parent.get('class', '')} {parent.get('id', '')}"):
            best = count
    return best


def _updates(stamps: list[Any]) -> int:
    """Blocks that each hold a time and a few sentences, side by side; a block whose
    headline links elsewhere is a teaser, not an update."""
    if len(stamps) < 2:
        return len(stamps)
    own_words: dict[Any, int] = {}
    by_parent: dict[Any, set[Any]] = {}
    for stamp in stamps[:200]:
        block = stamp.getparent()
        for _ in range(4):
            if block is None or block.tag in ("body", "html"):
                block = None
                break
            if block not in own_words:
                own_words[block] = words(node_text(block)) - sum(words(node_text(a)) for a in block.iter("a"))
            if own_words[block] >= UPDATE_WORDS:
                block = block if own_words[block] <= UPDATE_MAX_WORDS and not TEASER_LINK(block) else None
                break
            block = block.getparent()
        if block is not None and block.getparent() is not None:
            by_parent.setdefault(block.getparent(), set()).add(block)
    return max((len(blocks) for blocks in by_parent.values()), default=0)


def _links_here(heading: Any, url: str, host: str) -> bool:
    """A heading that links to another page of this site: a teaser's (a listicle's headings
    link to the places it lists, elsewhere)."""
    link = heading.find(".//a[@href]")
    return link is not None and same_host_path(link.get("href"), url, host) is not None
