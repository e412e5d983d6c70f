"""Structured metadata of a page: JSON-LD (with @graph and @id references), OpenGraph,
meta tags, microdata, <time> elements, rel=author links, byline markup and the date the
page shows next to its headline.

Everything here reads an lxml tree and returns candidates with where they came from;
choosing between them is the job of :mod:`archiver.extraction.bylines`, :mod:`archiver.extraction.dates` and
:mod:`archiver.extraction.extract`. Pure functions, no I/O.
"""

from __future__ import annotations

import html
import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from archiver.extraction.bylines import (
    CJK_LEAD, URLISH, given_name_first, name_line, profile_link_name, without_profession,
)
from archiver.extraction.dates import DMY_SLASH, YEAR, country_code, find_date_span, writes_month_first
from archiver.text import text_key
from archiver.urls import same_host_path

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
    "liveblogposting", "scholarlyarticle", "techarticle", "socialmediaposting",
    "report", "posting", "review", "satiricalarticle", "medicalscholarlyarticle", "advertisercontentarticle",
})
JSON_COMMENTS = re.compile(r"^\s*(?://[^\n]*|<!--|-->|/\*.*?\*/)", re.MULTILINE | re.DOTALL)
TRAILING_COMMA = re.compile(r",\s*([}\]])")
#: schema.org types of an author that is an organisation, not a person.
ORGANIZATION_TYPES = frozenset({"organization", "newsmediaorganization"})
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SPACES = re.compile(r"\s+")
BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(by-?line|author|autor|auteur|writer|byl)(?:$|[\s_-]|name|s?\b)", re.I)
NOT_BYLINE_CLASS = re.compile(
    r"comment|avatar|bio|description|about|related|more-from|other|image|photo|img|share|social|"
    r"follow|box|card|profile|widget|footer|meta-label|label|title-author|list|email|url",
    re.I,
)
#: What is not the article: comments, footers, forms, related stories, sidebars, asides;
#: unless it holds the headline and the text under it, as layouts named the same way do
#: (a theme's "sidebar-wrapper", ASP.NET's page-wide <form>, an opinion piece's "comment"
#: classes). A sidebar that holds the site's title as its <h1> is still a sidebar.
_NOT_CONTENT = ("(contains(@id,'comment') or contains(@class,'comment') or self::footer "
                "or self::form or contains(@id,'respond') "
                "or contains(@class,'related') or contains(concat(' ', normalize-space(@class)), ' sidebar') "
                "or self::aside) and not(.//h1 and count(.//p) > 5)")
IN_COMMENTS = etree.XPath(f"ancestor::*[{_NOT_CONTENT}]")
#: An element inside a quotation: an embedded post (tweets, Instagram), a quoted text or
#: its source (<cite>), whose dates are those of what is quoted.
IN_QUOTE = etree.XPath("ancestor-or-self::*[self::blockquote or self::cite or self::q]")
#: The same test for dates, minus <body> (its classes say "no-sidebars" as often as "sidebar").
OUTSIDE_CONTENT = etree.XPath(f"ancestor-or-self::*[not(self::body)][{_NOT_CONTENT}]")

#: meta names (lower case) that name the author, with a source label
AUTHOR_META = {
    "author": "meta-author",
    "article:author": "og-author",
    "og:article:author": "og-author",
    "dc.creator": "dc-creator",
    "dcterms.creator": "dc-creator",
    "dc.creator.aut": "dc-creator",
    "sailthru.author": "sailthru",
    "parsely-author": "parsely",
    "byl": "meta-byl",
    "article.author": "meta-author",
    "cxenseparse:author": "meta-author",
    "twitter:creator": "twitter",
    "citation_author": "meta-author",
    "book:author": "meta-author",
}
#: meta names that library catalogues and scholarly indexes define, whose names are written
#: surname first ("Doe, Jane")
SURNAME_FIRST_META = frozenset({"dc.creator", "dcterms.creator", "dc.creator.aut", "citation_author"})
#: meta names whose standards give each author a tag of their own (Open Graph's article:author,
#: Dublin Core, Highwire's citation_author)
TAG_PER_AUTHOR_META = frozenset({"article:author", "og:article:author", "citation_author"}) | SURNAME_FIRST_META
#: meta names that give the publication date, best first
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "published_time", "publishdate", "publish-date",
    "publish_date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date.created", "dc.date", "dcterms.date",
    "citation_publication_date", "citation_date", "date", "article_date_original",
    "originalpublicationdate", "release_date", "created", "displaydate", "article.created",
)
#: meta names that CMSs also fill with the last change: trusted less
GENERIC_DATE_META = frozenset({"date", "dc.date", "dcterms.date", "created", "dcterms.created",
                               "dc.date.created"})
#: Words that mark a shown date as a change, not the publication.
UPDATED_LABEL = re.compile(
    r"aktualisiert|updated|geändert|modified|editiert|bearbeitet|letzte änderung|last change|"
    r"mis à jour|actualizado|aggiornato",
    re.I,
)
#: Words that mark a shown date as the day of the paper's print edition, often a day after the
#: article went online ("Опубликован в газете ... от 24 сентября", "appears in print on").
PRINT_LABEL = re.compile(
    r"\bin print\b|print edition|printausgabe|print-ausgabe|in der (?:gedruckten )?(?:zeitung|ausgabe)|в газете"
    r"|в номере|édition papier|dans le journal|edición impresa|edizione cartacea|w gazecie|wydaniu papierowym"
    r"|in de krant|edição impressa",
    re.I,
)
#: Words that mark a shown date as a person's, not the article's: when a member joined a
#: forum or a site, when someone was born ("Joined May 11, 2017", "Mitglied seit").
PERSON_DATE_LABEL = re.compile(
    r"\bjoined\b|member since|registered|mitglied seit|dabei seit|registriert|membre depuis|inscrit|"
    r"miembro desde|registrado|iscritto|lid sinds|last (?:seen|active|online)|zuletzt (?:online|aktiv)"
    r"|\bborn\b|geboren|\bné\b|\bnée\b|nacid[oa]|(?-i:\bnat[oa]\b)",  # "nato", not "NATO"
    re.I,
)
#: Words that mark a shown date as the publication.
PUBLISHED_LABEL = re.compile(
    r"veröffentlicht|erstellt|erschienen|publiziert|gepostet|published|posted|publié|publicado|"
    r"pubblicato",
    re.I,
)
#: A label that says no more than "Date:", which labels the article's date where a page
#: prints it among the article's details ("Datum: 03.02.2022").
DATE_LABEL = re.compile(r"(?:datum|date|fecha|data|дата|tarih|dato|päiväys)\s*:", re.I)
#: How a byline shown as plain text begins ("Von", "By", "Ein Artikel von", "Opinion by", "Autor:").
BYLINE_LEAD = re.compile(
    r"^(?:(?:ein(?:e)?\s+)?(?:artikel|beitrag|text|reportage|kommentar)\s+von|von|by|par|por|door|av|af|oleh"
    r"|(?-i:di(?=\s+[^\W\d_a-z]\S*\s+[^\W\d_a-z]))"  # Italian "di Mario Rossi", not Indonesian "di Jakarta"
    r"|(?:an?\s+)?(?:opinion|analysis|commentary|perspective|column|guest\s+column|review|essay|story|words"
    r"|reporting|written)\s+by"
    r"|(?:geschrieben|verfasst)\s+von|escrito\s+por|scritt[oa]\s+da|testo\s+di|a\s+cura\s+di"
    r"|autor(?:in)?|author|auteur|autore|redaktion|text"
    # the word for "author" or "text" in a label: "Автор:", "Yazar:", "Penulis:", "Teksti:"
    r"|(?:автор|текст|yazar|penulis|szerző|teksti?|texto|kirjoittaja|napisal[a]?|redactie|forfatter|författare"
    r"|συντάκτης|autorka|reporter|reportagem)(?=\s*:)|기자)\b\s*:?\s*"
    rf"|{CJK_LEAD.pattern}",  # Chinese and Japanese: "记者 张三", "文／記者 王小明", "作者：王小明"
    re.I,
)
#: A Korean byline: the name, then the word for reporter or correspondent ("홍길동 기자",
#: "홍길동 특파원 hong@example.com").
REPORTER_AFTER_NAME = re.compile(r"^([가-힣]{2,4})\s*(?:기자|특파원)(?:\s|$)")
#: Classes of date elements that mark the publication (hAtom themes say "entry-date
#: updated" of the published date) or a change.
PUBLISHED_CLASS = re.compile(r"publish|entry-date|post-date|date-pub", re.I)
UPDATED_CLASS = re.compile(r"updated|modified", re.I)
#: Classes and ids of elements that hold a shown date.
DATE_CLASS = re.compile(r"date|datum|time|zeit|fecha|publish|posted|meta|byline", re.I)
#: What follows the date of a date line: an optional time, then a dash or bar.
DATELINE_END = re.compile(r"^,?\s*(?:\d{1,2}[:.]\d{2}(?:\s*uhr)?)?\s*[–—|-]\s", re.I)
#: Text nodes after and before the headline searched for the date the page shows.
SHOWN_AFTER, SHOWN_BEFORE = 60, 12
#: A text node longer than this is running text: the article body has begun.
RUNNING_TEXT = 200
#: A date in a text node longer than this counts only as a dateline at its start.
SHORT_TEXT = 80
#: Headings looked at for the one that carries the page's title.
HEADINGS = 12
#: Elements that hold the whole page rather than one block of it.
PAGE_TAGS = frozenset({"html", "body"})
#: Elements that run inside a line of text.
INLINE_TAGS = frozenset({"a", "span", "strong", "b", "em", "i", "small", "time", "abbr", "address", "br",
                         "font", "u", "cite"})
#: Longer byline markup holds more than the names (a bio, the article itself).
BYLINE_MAX = 120
#: Elements whose text readers do not see as page text.
NOT_SHOWN_TAGS = frozenset({"script", "style", "noscript", "option", "button", "textarea", "template"})
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "datemodified", "og:updated_time",
    "last-modified", "dcterms.modified", "dc.date.modified", "article.updated", "lastmod",
)


@dataclass
class Candidate:
    """One value the page gives for a field, and where it says so."""

    value: str
    source: str
    kind: str = ""  #: for authors: "person", "organization" or "" when unknown


@dataclass
class PageMetadata:
    url: str
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    article_ld: dict[str, Any] | None = None
    meta: dict[str, list[str]] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)  #: JSON-LD @types, lower case
    og_type: str | None = None
    body_classes: set[str] = field(default_factory=set)
    titles: list[Candidate] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    authors: list[Candidate] = field(default_factory=list)
    published: list[Candidate] = field(default_factory=list)
    modified: list[Candidate] = field(default_factory=list)
    canonical_url: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    #: The page writes numeric days month first ("11/19/2019"): :func:`archiver.extraction.dates.writes_month_first`.
    month_first: bool = False
    article_body: str | None = None

    def first_meta(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return None


#: Characters that only hint where a word may break (soft hyphen, zero-width space, BOM).
INVISIBLE = str.maketrans("", "", "\u00ad\u200b\ufeff")


def clean_text(value: Any) -> str:
    """One line of text: spaces collapsed, invisible break hints dropped."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return SPACES.sub(" ", value.translate(INVISIBLE)).strip()


def node_text(node: Any) -> str:
    try:
        return clean_text(" ".join(node.itertext()))
    except (AttributeError, ValueError):
        return ""


# -- JSON-LD -----------------------------------------------------------------------------


JSON_DECODER = json.JSONDecoder(strict=False)


def _loads(raw: str) -> Any:
    """A script's JSON, repaired as browsers' readers would: comments, trailing commas and
    control characters dropped; a stray brace or a second value after the first kept apart
    (a list of every complete value)."""
    raw = raw.strip().removeprefix("<![CDATA[").removesuffix("]]>")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    fixed = TRAILING_COMMA.sub(r"\1", JSON_COMMENTS.sub("", CONTROL_CHARS.sub(" ", raw))).strip()
    values, end = [], 0
    while end < len(fixed):
        try:
            value, end = JSON_DECODER.raw_decode(fixed, end)
        except ValueError:
            break
        values.append(value)
        end = len(fixed) - len(fixed[end:].lstrip())
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _flatten(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in ("@graph", "mainEntity"):  # a WebPage's mainEntity is the article it shows
            if isinstance(data.get(key), (dict, list)):
                _flatten(data[key], out, depth + 1)


def type_names(obj: Any) -> list[str]:
    if not isinstance(obj, dict):
        return []
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return [str(v).rsplit("/", 1)[-1].lower() for v in values if v]


def read_jsonld(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members and main entities included, in page order."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        data = _loads(script.text or "")
        if data is not None:
            _flatten(data, objects)
    return objects


def _resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and "@id" in value and len(value) <= 2 and str(value["@id"]) in index:
        return index[str(value["@id"])]
    return value


def main_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The JSON-LD object that describes the page's article, if any."""
    best, best_score = None, 0
    for obj in objects:
        types = set(type_names(obj))
        score = 0
        if types & ARTICLE_TYPES or any(t.endswith("article") for t in types):
            score = 3
        elif "headline" in obj or "articlebody" in {k.lower() for k in obj}:
            score = 2
        elif types & {"webpage", "itempage"} and ("author" in obj or "datePublished" in obj):
            score = 1
        if score > best_score:
            best, best_score = obj, score
    return best


def _ld_people(value: Any, index: dict[str, dict[str, Any]], source: str) -> list[Candidate]:
    """One candidate naming every author of the list (joined by "; ")."""
    people = _ld_people_each(value, index, source)
    if len(people) <= 1:
        return people
    kinds = {p.kind for p in people}
    kind = kinds.pop() if len(kinds) == 1 else ""
    return [Candidate("; ".join(p.value for p in people), source, kind)]


def _ld_people_each(value: Any, index: dict[str, dict[str, Any]], source: str) -> list[Candidate]:
    out: list[Candidate] = []
    values = value if isinstance(value, list) else [value]
    for item in values[:20]:
        item = _resolve(item, index)
        if isinstance(item, str):
            out.append(Candidate(clean_text(item), source))
        elif isinstance(item, dict):
            types = type_names(item)
            kind = "organization" if ORGANIZATION_TYPES & set(types) else (
                "person" if "person" in types else "")
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(map(str, name))
            if not name and (item.get("givenName") or item.get("familyName")):
                name = f"{item.get('givenName', '')} {item.get('familyName', '')}"
            if isinstance(name, str) and name.strip():
                out.append(Candidate(clean_text(name), source, kind))
    return out


def _ld_strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [clean_text(v) for v in value.split(",") if clean_text(v)]
    if isinstance(value, list):
        return [s for v in value for s in _ld_strings(v)]
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return [clean_text(value["name"])]
    return []


def _read_ld_fields(md: PageMetadata) -> None:
    index = {str(o["@id"]): o for o in md.jsonld if isinstance(o.get("@id"), (str, int))}
    for obj in md.jsonld:
        md.types.extend(type_names(obj))
        if {"website", "organization", "newsmediaorganization"} & set(type_names(obj)):
            if isinstance(obj.get("name"), str):
                md.site_names.append(clean_text(obj["name"]))
    art = md.article_ld = main_article(md.jsonld)
    if art is None:
        return
    for key in ("headline", "name", "alternativeHeadline"):
        if isinstance(art.get(key), str) and art[key].strip():
            md.titles.append(Candidate(clean_text(art[key]), f"ld-{key.lower()}"))
            break
    md.authors.extend(_ld_people(art.get("author"), index, "ld-author"))
    if not art.get("author"):
        md.authors.extend(_ld_people(art.get("creator"), index, "ld-creator"))
    publisher = _resolve(art.get("publisher"), index)
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        md.site_names.append(clean_text(publisher["name"]))
    for key, target in (("datePublished", md.published), ("dateCreated", md.published),
                        ("uploadDate", md.published), ("dateModified", md.modified)):
        if isinstance(art.get(key), str):
            target.append(Candidate(art[key].strip(), f"ld-{key.lower()}"))
    md.categories.extend(_ld_strings(art.get("articleSection")))
    md.tags.extend(_ld_strings(art.get("keywords")))
    body = art.get("articleBody")
    if isinstance(body, str) and body.strip():
        md.article_body = body.strip()
    if not md.description and isinstance(art.get("description"), str):
        md.description = clean_text(art["description"]) or None
    lang = art.get("inLanguage")
    if isinstance(lang, str) and not md.language:
        md.language = lang


# -- meta tags, links and markup ---------------------------------------------------------


def read_meta(tree: Any) -> dict[str, list[str]]:
    """meta name/property/itemprop/http-equiv (lower case) -> contents, in page order."""
    meta: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        content = node.get("content")
        if content is None:
            continue
        content = clean_text(html.unescape(content))
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = node.get(attr)
            if key:
                for part in key.lower().split():
                    meta.setdefault(part, []).append(content)
    return meta


#: Elements whose attributes say "author" or "byline" ("uthor" and "yline" match either
#: case of the first letter); compiled once, and attribute-less elements skipped first.
BYLINE_XPATH = etree.XPath(
    '//*[@class or @id or @rel or @itemprop][contains(concat(" ",@itemprop," ")," author ") or contains(@rel,"author") '
    'or contains(@class,"uthor") or contains(@class,"yline") or contains(@class,"vcard") '
    'or contains(@class,"autor") or contains(@id,"author") or contains(@id,"byline")]'
)


#: An element in an item of a list whose other items have bylines too: teasers of other
#: articles (a list of the latest stories beside the article), not the article's byline.
IN_TEASER_LIST = etree.XPath(
    'ancestor::li[1]/parent::*[count(li[.//*[contains(@class,"uthor") or contains(@class,"yline")]]) > 1]'
)


def _names_author(node: Any) -> bool:
    """The element is the page's author in microdata (``itemprop="author"``, or "author creator")."""
    return "author" in (node.get("itemprop") or "").split()


def _byline_nodes(tree: Any) -> list[Any]:
    """Byline-like elements outside comments, asides and footers."""
    nodes = []
    for node in BYLINE_XPATH(tree):
        if node.tag in ("meta", "link", "script", "style", "img", "body", "html", "article"):
            continue
        cls = f"{node.get('class', '')} {node.get('id', '')}"
        if not _names_author(node) and node.get("rel") != "author" and "vcard" not in cls:
            if not BYLINE_CLASS.search(cls) or NOT_BYLINE_CLASS.search(cls):
                continue
        if IN_COMMENTS(node) or IN_TEASER_LIST(node):
            continue
        nodes.append(node)
    return nodes


def _own_line(node: Any) -> str:
    """The line an element opens with, up to its first block: the byline of an author box
    that goes on with a bio, a rating or the article ("<a>Georg Quaas</a>, 21. Jan. 2015
    <div>...")."""
    parts = [node.text or ""]
    for child in node:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag not in INLINE_TAGS:
            break
        parts.extend(("".join(child.itertext()), child.tail or ""))
    return clean_text("".join(parts))


#: An author box: the card that presents the post's author (after the post, as a rule), headed by the name.
AUTHOR_BOX = etree.XPath(
    '//*[contains(@class,"uthor") or contains(@class,"autor") or contains(@id,"uthor")]'
    '[contains(@class,"bio") or contains(@class,"box") or contains(@class,"about") or contains(@class,"info")'
    ' or contains(@class,"card") or contains(@id,"bio") or contains(@id,"box")]'
)
#: Where a name heads an author box.
BOX_NAME = etree.XPath("(.//h2|.//h3|.//h4|.//h5|.//h6|.//strong|.//b|.//*[@class='name' or @class='fn'])[1]")
#: What heads an author box before the name ("About Ed de Leon", "Über Kathrin", "Von Frank Hahn").
ABOUT_LEAD = re.compile(r"^(?:about|über|sobre|à propos de|more (?:on|from|by)|mehr von|von|by)(?:\s+|$)", re.I)
#: A heading or term that labels the author on its own ("<h4>Autor</h4><p>Nikolai Huke</p>",
#: "<dt>Author</dt><dd>...</dd>"), the name in the element after it.
AUTHOR_LABEL = re.compile(r"^(?:autor(?:in|en|innen)?|authors?|auteur(?:e|s)?|autore|autora|written by"
                          r"|verfasst von|geschrieben von|text und fotos?)\s*:?$", re.I)
AUTHOR_LABEL_PLACES = etree.XPath("//h2|//h3|//h4|//h5|//h6|//dt|//th")


def _read_author_box(tree: Any, md: PageMetadata) -> None:
    """The name heading an author box, outside byline markup and comments."""
    for box in AUTHOR_BOX(tree)[:3]:
        if box.tag in ("body", "html", "article", "img", "script") or IN_COMMENTS(box):
            continue
        heading = BOX_NAME(box)
        name = name_line(ABOUT_LEAD.sub("", clean_text(node_text(heading[0])))) if heading else None
        if name:
            md.authors.append(Candidate(name, "author-box"))
            return


def _read_author_label(tree: Any, md: PageMetadata) -> None:
    """The element after a heading or term that says "Author", outside comments."""
    for label in AUTHOR_LABEL_PLACES(tree):
        if not AUTHOR_LABEL.match(clean_text(node_text(label))) or IN_COMMENTS(label):
            continue
        after = label.getnext()
        text = clean_text(node_text(after)) if after is not None else ""
        if 0 < len(text) <= SHORT_TEXT:
            md.authors.append(Candidate(text, "labelled-byline"))
            return


def _own_names(node: Any) -> list[str]:
    """The ``itemprop="name"`` values of an author element, each of its names: of the element's
    own item, or of the author items in an element that is none ("Posted by <span itemprop=author
    itemscope>..."); not those of another item nested in it (the author's employer, say)."""
    names = []
    for name_node in node.iterdescendants():
        if name_node.get("itemprop") != "name":
            continue
        item = name_node.getparent()
        while item is not node and item.get("itemscope") is None:
            item = item.getparent()
        own = item is node or (node.get("itemscope") is None and _names_author(item))
        if own and (text := clean_text(name_node.get("content") or node_text(name_node))):
            names.append(text)
    return names


def _item_kind(node: Any) -> str:
    """"organization" for a microdata item typed as schema.org's Organization (the newspaper
    named as its articles' author), as JSON-LD authors are typed; else ""."""
    kind = (node.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    return "organization" if node.get("itemscope") is not None and kind in ORGANIZATION_TYPES else ""


def _read_markup(tree: Any, md: PageMetadata) -> None:
    seen: set[str] = set()
    for node in _byline_nodes(tree)[:12]:
        names = _own_names(node)
        if names:
            text = "; ".join(dict.fromkeys(names))  # "By <span itemprop=name>A</span> and <span itemprop=name>B</span>"
        else:
            text = clean_text(node.get("content") or node_text(node))
            if len(text) > BYLINE_MAX:
                text = _own_line(node)
        if not text or len(text) > BYLINE_MAX or text in seen:
            continue
        seen.add(text)
        is_link = node.get("rel") and "author" in node.get("rel", "")
        source = "rel-author" if is_link else ("itemprop-author" if _names_author(node) else "byline")
        md.authors.append(Candidate(text, source, _item_kind(node)))
    for node in tree.xpath('//*[@itemprop="datePublished" or @itemprop="dateCreated" or @itemprop="dateModified"]'):
        value = node.get("content") or node.get("datetime") or node_text(node)
        target = md.modified if node.get("itemprop") == "dateModified" else md.published
        if value:
            target.append(Candidate(value, "itemprop"))
    for node in tree.xpath("//time[@datetime and not(@itemprop)]")[:10]:
        if IN_COMMENTS(node) or IN_QUOTE(node):
            continue
        cls = f"{node.get('class', '')} {node.getparent().get('class', '') if node.getparent() is not None else ''}"
        if PUBLISHED_CLASS.search(cls) or node.get("pubdate") is not None:
            md.published.append(Candidate(node.get("datetime"), "time-published"))
        elif UPDATED_CLASS.search(cls):
            md.modified.append(Candidate(node.get("datetime"), "time-updated"))
        else:
            md.published.append(Candidate(node.get("datetime"), "time"))


def _headline(tree: Any, md: PageMetadata) -> Any:
    """The heading that carries the page's title (pages also use <h1> for logos and hidden
    navigation, and <h2> for the headline), else the first <h1>; None without either."""
    heads = [(node, text_key(node_text(node))) for node in tree.xpath("//h1 | //h2")[:HEADINGS]]
    heads = [(node, key) for node, key in heads if key]
    titles = {key for key in (text_key(c.value) for c in md.titles) if key}
    exact = [node for node, key in heads if key in titles]
    partial = [node for node, key in heads if any(key in title or title in key for title in titles)]
    first = [node for node, _ in heads if node.tag == "h1"]
    return next((node for node in (*exact, *partial, *first) if not OUTSIDE_CONTENT(node)), None)


def _texts(root: Any, *, stop: Any = None, with_tail: bool = False) -> Iterator[tuple[str, Any]]:
    """The visible text pieces of a subtree in document order, each with the element whose
    text or tail it is; up to ``stop`` when given."""
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if node is stop:
            return
        if event == "start":
            text = node.text if isinstance(node.tag, str) and node.tag not in NOT_SHOWN_TAGS else None
        else:
            text = node.tail if with_tail or node is not root else None
        if text and not text.isspace():
            yield text, node


def _texts_after(node: Any) -> Iterator[tuple[str, Any]]:
    """The visible text pieces after an element, in document order."""
    while node is not None:
        tail = node.tail
        if tail and not tail.isspace():
            yield tail, node
        for sibling in node.itersiblings():
            yield from _texts(sibling, with_tail=True)
        node = node.getparent()


def _date_text(text: str, node: Any, previous: str, *, in_body: bool) -> str | None:
    """A piece of text that shows the publication date, not a date mentioned in passing: a
    short one near the headline, a labelled one ("Erstellt am: ...", "Datum:") or a date
    line; outside comments, quotations and links to other pages (a link that is only the
    date leads to the day's archive); not labelled or classed as a change, the print
    edition's day or a person's ("Joined ...")."""
    holder = node if text == node.text else node.getparent()  # the element the text stands in
    if holder is not None and _classed_as_change(holder):
        return None
    value = clean_text(text)
    found = find_date_span(value)
    if not found:
        return None
    if holder is not None and (_link_words(holder) and not _only_a_date(value, found) or IN_QUOTE(holder)):
        return None
    own_label = re.search(r"\w{2}", value[:found[1]]) is not None
    label = value[:found[1]] if own_label else previous[-40:]
    if PRINT_LABEL.search(label):
        return None  # the print edition's day
    if PERSON_DATE_LABEL.search(label) and (own_label or not YEAR.search(label)):
        return None  # a member's or a person's day; a piece that shows one labels no other
    if UPDATED_LABEL.search(label) or UPDATED_LABEL.search(value):
        value = _published_part(value)  # "Updated June 2, 2023 · Originally published May 10, 2023"
        if value is None:
            return None
        found = find_date_span(value)
        label = value[:found[1]]
    dateline = found[1] <= 30 and DATELINE_END.match(value[found[2]:]) is not None
    labelled = (PUBLISHED_LABEL.search(label) is not None or DATE_LABEL.fullmatch(label.strip()) is not None
                or _date_classed(node))
    short = len(value) <= SHORT_TEXT and (not in_body or labelled)
    if not (short or dateline) or OUTSIDE_CONTENT(node):
        return None
    return value


def _only_a_date(value: str, found: tuple) -> bool:
    """The text is a date (and its time) and nothing else: a link of such words leads to
    the day's archive or the article itself, and shows the day it was published."""
    rest = value[found[2]:]
    return not value[:found[1]].strip(" ,|·-") and not rest[DATE_TAIL.match(rest).end():]


def _published_part(value: str) -> str | None:
    """Of a line that shows a change and the publication, the part from the label of the
    publication on, when a date follows that label; else None."""
    for label in PUBLISHED_LABEL.finditer(value):
        rest = value[label.start():]
        if not UPDATED_LABEL.search(rest) and find_date_span(rest[len(label.group(0)):]):
            return rest
    return None


def _classed_as_change(node: Any) -> bool:
    """The element's class says it holds the date of a change (WordPress themes print
    <time class="updated"> beside the published one, hidden or not)."""
    cls = node.get("class", "")
    return bool(UPDATED_CLASS.search(cls)) and not PUBLISHED_CLASS.search(cls)


def _link_words(holder: Any) -> bool:
    """The element is a link (or right inside one) whose words name another page (a menu
    item, a teaser, an archive), not a date link of the article's own (themes wrap its date
    in a permalink). A block inside a bigger link, such as an author box linking to a
    profile, still shows dates."""
    link = holder if holder.tag == "a" else holder.getparent()
    return link is not None and link.tag == "a" and not _date_classed(holder) and not _date_classed(link)


def _date_classed(node: Any) -> bool:
    """The element or its parent is marked as holding a date (class or id)."""
    return _date_marked(node) or _date_marked(node.getparent())


def _date_marked(element: Any) -> bool:
    return element is not None and DATE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}") is not None


def _read_shown(tree: Any, md: PageMetadata) -> None:
    """The date and the byline the page shows readers next to its headline: in the
    headline's block just before it, or after it until the article's running text begins."""
    head = _headline(tree, md)
    if head is None:
        return
    block = _headline_block(head)
    before = list(deque(_texts(block, stop=head), maxlen=SHOWN_BEFORE)) if block is not None else []
    rest = list(islice(_texts_after(head), END_SCAN))  # read once for the checks below
    after = rest[:SHOWN_AFTER]
    found = _first_date_text(before, watch_body=False) or _first_date_text(after, watch_body=True)
    if found:
        texts, index, shown = found
        md.published.append(Candidate(shown, "visible"))
        beside = _name_beside_date(texts, index)
        if beside:
            md.authors.append(Candidate(beside, "dated-byline"))
    else:
        end_date = _published_sentence_after_text(rest)
        if end_date:
            md.published.append(Candidate(end_date, "visible-end"))
    byline = _first_byline_text(before) or _first_byline_text(after)
    if byline:
        md.authors.append(Candidate(byline, "shown-byline"))
    linked = _profile_link_names([*before, *after], md.url)
    if linked:
        md.authors.append(Candidate("; ".join(linked), "profile-link"))
    labelled = _labelled_byline_after_text(rest)
    if labelled:
        md.authors.append(Candidate(labelled, "end-byline"))
    reporting = _reporting_credit_after_text(rest)
    if reporting:
        md.authors.append(Candidate(reporting, "reporting-credit"))


#: What may follow a shown date before a name: a time, "Uhr", separators.
DATE_TAIL = re.compile(r"^[\s,]*(?:(?:à|a|at|um|alle|às|om|kl\.?)\s+)?(?:\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:uhr|h|am|pm)?\b)?"
                       r"[\s,|·•–—-]*", re.I)
#: Words that join a name to the date after it ("am", "on", "le", "den").
JOINING_WORDS = r"am|on|le|el|il|um|at|den|der|vom|du|del"
#: What stands between a name and the date after it in one piece: separators, joining words.
BEFORE_DATE = re.compile(rf"(?:[\s,|·•/–—-]+|\s(?:{JOINING_WORDS})\b)+$", re.I)
#: A word that joins a name to the date after it in one piece ("Anna Muster am 26.01.2022"):
#: those of JOINING_WORDS without "at" and "der", as the rule was measured.
CONNECTOR_WORD = re.compile(r"\s(?:am|on|le|el|il|um|den|vom|du|del)[\s,]*$", re.I)
#: Pieces that join a name to the date after it ("Kathrin Führes" "am" "26.01.2022").
CONNECTOR = re.compile(rf"^(?:{JOINING_WORDS}|[|·•/–—-])?$", re.I)


def _name_beside_date(texts: list[tuple[str, Any]], index: int) -> str | None:
    """A name printed beside the shown date without markup or a byline label: after the
    date (and its time) in the same piece ("11.12.2019 - Amelie Loevenich", "06.11.2023
    13:30 von Olga"), before it in the same piece when a byline word leads it or a word
    joins it ("Von Christian am 03.05.2013", "Anna Muster am 26.01.2022"; a bare name
    before a date is as often the publisher's own), or as the piece just before it
    ("HansEhrlich" "17.10.2019, 13:56 Uhr"; "Kathrin Führes" "am" "Mittwoch, 26.01.2022").
    Strict about what a name is (:func:`archiver.extraction.bylines.name_line`): no place,
    no weekday, no role."""
    value = clean_text(texts[index][0])
    found = find_date_span(value)
    if found:
        ahead = value[:found[1]]
        name_ahead = BEFORE_DATE.sub("", ahead)
        lead = BYLINE_LEAD.match(name_ahead)
        if name_ahead and (lead or CONNECTOR_WORD.search(ahead)):
            name = name_line(name_ahead[lead.end():] if lead else name_ahead, led=lead is not None)
            if name:
                return name
        rest = value[found[2]:]
        rest = rest[DATE_TAIL.match(rest).end():]
        lead = BYLINE_LEAD.match(rest)
        name = name_line(rest[lead.end():] if lead else rest, led=lead is not None)
        if name:
            return name
    for text, node in reversed(texts[max(0, index - 3):index]):
        piece = clean_text(text)
        if CONNECTOR.match(piece):
            continue
        return None if IN_COMMENTS(node) else name_line(piece)
    return None


#: Pieces looked at after the headline for a labelled byline after the article's text.
END_SCAN = 1500
#: Pieces after a lone byline label that may still hold the name ("Autor:" "Rechtsanwalt" "Sebastian Einbock").
LABEL_FOLLOWERS = 2


def _labelled_byline_after_text(texts: list[tuple[str, Any]]) -> str | None:
    """Of the text pieces after the headline, a byline after the article's running text,
    labelled as one with a colon ("Von: Götz Warnke", "Autor: Tim Loppe"; or the label alone
    and the name in the next piece); outside comments, footers, asides and related links.
    Without the colon a "Von" there is as often the next teaser's byline, and a name alone
    a quote's speaker or a credit."""
    in_body = False
    for index, (text, node) in enumerate(texts):
        if in_body and ":" not in text:
            continue  # no label: most of the text after the headline, skipped uncleaned
        value = clean_text(text)
        if len(value) > RUNNING_TEXT:
            in_body = True
            continue
        lead = BYLINE_LEAD.match(value) if in_body and len(value) <= SHORT_TEXT else None
        if lead is None or ":" not in lead.group() or OUTSIDE_CONTENT(node):
            continue
        rest = value[lead.end():].strip()
        following = (clean_text(piece) for piece, _ in texts[index + 1:index + 1 + LABEL_FOLLOWERS])
        while not without_profession(rest) and (piece := next(following, None)) is not None:
            rest = f"{rest} {piece}"  # the label alone, or with a title linked on its own
        name = name_line(without_profession(rest), led=True)
        if name:
            return name
    return None


#: The wire's credits after a story's text: who reported it and who wrote it, not who
#: edited it or added to it ("(Reporting by Jane Doe in London; Additional reporting by John
#: Roe; Editing by Jim Poe)", "(Reporte de Ana Pérez; editado por ...)").
REPORTING_CREDIT = re.compile(
    r"(?:^|[(;]\s*)(?<!additional )(?:reporting|writing|reported|written|reporte|reportaje|reportage)"
    r"(?:\s+(?:by|de|par|por))?\s*:?\s+(?P<names>[^;()]+)",
    re.I,
)
#: A word of such credits, looked for before a piece is cleaned: most pieces have none.
REPORTING_WORD = re.compile(r"report|writing|written", re.I)


def _reporting_credit_after_text(texts: list[tuple[str, Any]]) -> str | None:
    """Of the text pieces after the headline, the people a wire story's closing credits
    name as its reporters and writers, when they are not in a byline (its syndicated copies
    print "By Reuters" or nothing)."""
    for text, node in texts:
        if not REPORTING_WORD.search(text) or len(value := clean_text(text)) > RUNNING_TEXT:
            continue
        names = [found["names"].strip() for found in REPORTING_CREDIT.finditer(value)]
        if names and not OUTSIDE_CONTENT(node):
            return "; ".join(names)
    return None


#: How near a "published" label stands to the date it labels, in characters.
LABEL_REACH = 40


def _published_sentence_after_text(texts: list[tuple[str, Any]]) -> str | None:
    """Of the text pieces after the headline, the date of a sentence after the article's
    running text that says when it was published ("Dieser Beitrag wurde am Samstag, 3.
    Dezember 2011 veröffentlicht", "This entry was posted on June 5, 2012"; blog themes print
    it below the post, not under the headline): the label within a few words of the date,
    outside comments and links."""
    in_body = False
    for text, node in texts:
        value = clean_text(text)
        if len(value) > RUNNING_TEXT:
            in_body = True
            continue
        found = find_date_span(value) if in_body and YEAR.search(value) and PUBLISHED_LABEL.search(value) else None
        if found is None or OUTSIDE_CONTENT(node) or _link_words(node if text == node.text else node.getparent()):
            continue
        near = value[max(0, found[1] - LABEL_REACH):found[2] + LABEL_REACH]
        if PUBLISHED_LABEL.search(near) and not UPDATED_LABEL.search(near):
            return value[found[1]:found[2]]
    return None


def _first_byline_text(texts: list[tuple[str, Any]]) -> str | None:
    """The names of the first byline shown as text ("Von Anna Muster", "Autor: ..."; or a
    lone "Ein Artikel von" followed by the name in an element of its own; a Korean name
    before its "기자"), before the article's running text begins; outside comments."""
    for index, (text, node) in enumerate(texts):
        value = clean_text(text).lstrip(" -–—|·•")
        if len(value) > RUNNING_TEXT:
            return None
        reporter = REPORTER_AFTER_NAME.match(value)
        if reporter and not IN_COMMENTS(node):
            return reporter.group(1)
        lead = BYLINE_LEAD.match(value)
        if not lead or len(value) > SHORT_TEXT or IN_COMMENTS(node):
            continue
        rest = value[lead.end():].strip()
        if re.search(r"\w", rest):
            return rest
        following = clean_text(texts[index + 1][0]) if index + 1 < len(texts) else ""
        if 0 < len(following) <= SHORT_TEXT / 2:
            return following
    return None


def _profile_link_names(texts: list[tuple[str, Any]], url: str) -> list[str]:
    """The names of links by the headline, before the running text, to the site's profiles
    of the people they name ("<a href="/author/jane-doe/">Jane Doe</a>"), in a byline that
    no class marks ("Posted on March 1, 2023 by ...")."""
    host = urlsplit(url).netloc.lower()
    names: list[str] = []
    for text, node in texts:
        if len(text) > RUNNING_TEXT and len(clean_text(text)) > RUNNING_TEXT:
            break
        link = next((n for n in (node, node.getparent()) if n is not None and n.tag == "a"), None)
        if link is None or text != node.text:
            continue
        path = same_host_path(link.get("href"), url, host)
        name = profile_link_name(node_text(link), path) if path else None
        if name and name not in names and not IN_COMMENTS(link):
            names.append(name)
    return names


def _headline_block(head: Any) -> Any:
    """The headline's block (its grandparent, else its parent), never the whole page: above
    the block stand the site's header and its date of today."""
    parent = head.getparent()
    grandparent = parent.getparent() if parent is not None else None
    return next((block for block in (grandparent, parent) if block is not None and block.tag not in PAGE_TAGS),
                None)


def _first_date_text(texts: list[tuple[str, Any]], *,
                     watch_body: bool) -> tuple[list[tuple[str, Any]], int, str] | None:
    """The first piece that shows a date (the pieces, its index and the part that shows the
    date); with ``watch_body``, a long piece means the article body has begun, where only
    labelled dates and date lines count."""
    previous, in_body = "", False
    for index, (text, node) in enumerate(texts):
        shown = _date_text(text, node, previous, in_body=in_body)
        if shown:
            return texts, index, shown
        previous = clean_text(text)
        in_body = in_body or (watch_body and len(previous) > RUNNING_TEXT)
    return None


def _read_links(tree: Any, md: PageMetadata) -> None:
    base = md.url
    for node in tree.xpath('//link[@rel and @href]'):
        rel = node.get("rel", "").lower().split()
        if "canonical" in rel and not md.canonical_url:
            href = node.get("href", "").strip()
            if href:
                md.canonical_url = urljoin(base, href)
    if not md.canonical_url:
        og_url = md.first_meta("og:url")
        if og_url and re.match(r"^(https?:)?//|^/", og_url):
            md.canonical_url = urljoin(base, og_url)
    for node in tree.xpath('//a[@rel and contains(@rel,"tag")]')[:40]:
        text = node_text(node)
        if not text or len(text) > 80 or IN_COMMENTS(node):
            continue
        rels = node.get("rel", "").lower().split()
        (md.categories if "category" in rels else md.tags).append(text)


def _read_meta_fields(md: PageMetadata) -> None:
    meta = md.meta
    for key in ("og:title", "twitter:title", "dc.title", "parsely-title", "sailthru.title"):
        value = md.first_meta(key)
        if value:
            md.titles.append(Candidate(value, key))
    for key in ("og:site_name", "application-name", "publisher", "twitter:site", "dc.publisher"):
        for value in meta.get(key, ()):
            md.site_names.append(value.lstrip("@"))
    for key, source in AUTHOR_META.items():
        values = [v for v in dict.fromkeys(meta.get(key, ())) if v]
        if key in TAG_PER_AUTHOR_META:  # several authors, a tag for each: one byline
            values = ["; ".join(given_name_first(v) if key in SURNAME_FIRST_META else v
                                for v in values if not URLISH.match(v))] if values else []
        md.authors.extend(Candidate(value, source) for value in values if value)
    parsely = md.first_meta("parsely-page")
    if parsely:
        data = _loads(parsely)
        if isinstance(data, dict):
            for name in _ld_strings(data.get("author") or data.get("authors")):
                md.authors.append(Candidate(name, "parsely"))
            if isinstance(data.get("pub_date"), str):
                md.published.append(Candidate(data["pub_date"], "parsely"))
    for key in PUBLISHED_META:
        kind = "meta-generic" if key in GENERIC_DATE_META else "meta"
        for value in meta.get(key, ()):
            md.published.append(Candidate(value, f"{kind}:{key}"))
    for key in MODIFIED_META:
        for value in meta.get(key, ()):
            md.modified.append(Candidate(value, f"meta:{key}"))
    md.og_type = (md.first_meta("og:type") or "").lower() or None
    description = md.first_meta("og:description", "description", "twitter:description", "dc.description")
    if description:
        md.description = description
    md.categories[:0] = [v for v in meta.get("article:section", ()) if v]
    md.tags[:0] = [v for v in meta.get("article:tag", ()) if v]
    if not md.tags:
        for value in [*meta.get("news_keywords", ()), *meta.get("keywords", ())[:1]]:
            md.tags.extend(clean_text(v) for v in re.split(r"[,;]", value) if clean_text(v))


def _language_tags(tree: Any, md: PageMetadata) -> list[str | None]:
    """The page's language tags, best first ("en-US", "de_DE", "fr")."""
    html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    return [html_lang, md.first_meta("og:locale"), md.first_meta("content-language"),
            md.first_meta("language", "dc.language"), md.language]


def _read_language(tree: Any, md: PageMetadata) -> None:
    md.language = next((code for code in map(language_code, _language_tags(tree, md)) if code), None)


def _read_date_order(tree: Any, md: PageMetadata) -> None:
    """How the page writes numeric days: as its own unambiguous ones say, else as the
    site's country does (its domain's, else its language tag's region: "en-US"). Only asked
    when a date candidate is a numeric day with slashes: most pages write none."""
    if not any(DMY_SLASH.search(c.value) for c in (*md.published, *md.modified)):
        return
    region = country_code(urlsplit(md.url).hostname) or next(
        (region for region in map(language_region, _language_tags(tree, md)) if region), None)
    body = tree.find("body")
    md.month_first = writes_month_first((text for text, _ in _texts(body)) if body is not None else (), region)


def language_code(value: str | None) -> str | None:
    """ISO 639-1 from "en-US", "de_DE", "fr", or None."""
    if not value:
        return None
    match = re.match(r"^\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*\s*(?:,|$)", value)
    return match[1].lower() if match else None


def language_region(value: str | None) -> str | None:
    """The region of a language tag in lower case ("en-US" -> "us"), or None."""
    match = re.match(r"^\s*[a-zA-Z]{2,3}[-_]([a-zA-Z]{2})\s*(?:[-_,]|$)", value or "")
    return match[1].lower() if match else None


def read_metadata(tree: Any, url: str) -> PageMetadata:
    """All structured metadata of a parsed page."""
    md = PageMetadata(url=url)
    md.meta = read_meta(tree)
    body = tree.find("body")
    if body is not None:
        md.body_classes = set(body.get("class", "").lower().split())
    md.jsonld = read_jsonld(tree)
    _read_ld_fields(md)
    _read_meta_fields(md)
    _read_links(tree, md)
    _read_markup(tree, md)
    _read_author_box(tree, md)
    _read_author_label(tree, md)
    _read_shown(tree, md)
    _read_language(tree, md)
    _read_date_order(tree, md)
    for node in tree.xpath("//h1")[:3]:
        text = node_text(node)
        if text and len(text) < 300:
            md.titles.append(Candidate(text, "h1"))
    title = tree.find(".//title")
    if title is not None and node_text(title):
        md.titles.append(Candidate(node_text(title), "title"))
    md.categories = _unique(md.categories)
    md.tags = _unique(md.tags)
    return md


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out
