"""What kind of page is this? ``article`` or a kind that is not archived, from all the evidence.

Kinds: ``article`` (news story, opinion, analysis, review, wire story, a paywalled
article's teaser), ``liveblog``, ``gallery``, ``video``, ``listing`` (home, section and
region fronts, tag/topic/author archives, search results), ``profile`` (an author's bio
page), ``static`` (about, terms, privacy, contact, newsletters, subscribe, sign-in, jobs,
corrections policy...) and ``other`` (error pages, products, events).

No one signal decides. Each signal found on the page adds points to the kinds it speaks
for (:data:`SIGNALS`; a byline and a date speak for every kind of content page), and the
page is the non-article kind with the most points when that kind has more than
``article`` and at least ``min_evidence`` points from signals of its own; otherwise it is
an article. The signals come from:

* structured data: JSON-LD ``@type`` of every object (``@graph`` and arrays included) and
  of a page's ``mainEntity`` (``NewsArticle``, ``LiveBlogPosting``, ``ImageGallery``,
  ``VideoObject``, ``CollectionPage``, ``ProfilePage``, ``AboutPage``, a bare ``WebPage``),
  ``og:type``;
* the CMS's template classes on ``<html>``, ``<body>`` and ``<main>`` (WordPress,
  Drupal, Ghost and the usual custom names: ``single-post``, ``node-type-gallery``,
  ``tag-template``, ``section-front``, ``liveblog``...);
* the URL: words in its path (``/photos/``, ``/live/``, ``/people/jane-doe``, ``/terms-of-use``),
  a dated path, the site root, pagination, and its shape next to the article links the
  page holds (a section front is the parent of the stories it links to; a story has the
  shape of the stories it links to);
* the page's structure: the longest run of paragraphs in one container (prose), the
  words in captions against those in paragraphs, link density, repeated teaser
  blocks, timestamped update blocks, a video player, a "load more" link, a form;
* the article's own marks: a byline and a publication date in the markup, a long body;
* the headline's words ("in pictures", "live updates", "privacy policy", in English,
  German, French and Spanish).

Tuning (Scrapy settings read by the extract pipeline, see ``archiver/settings.py``):
``ARCHIVER_EXTRACT_KIND_WEIGHTS`` changes the points of any signal by name (``0``
switches it off; the names are the keys of :data:`SIGNALS`, and ``archiver extract
--any-page`` prints the signals each page showed); ``ARCHIVER_EXTRACT_KIND_MIN_EVIDENCE``
is the points a non-article kind needs; ``ARCHIVER_EXTRACT_KINDS`` lists the kinds that
are archived (add ``liveblog`` to keep live blogs). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from archiver.extraction.bylines import PERSON_SLUG, PROFILE_SEGMENT
from archiver.extraction.dates import date_from_url
from archiver.extraction.metadata import ARTICLE_TYPES, PageMetadata, type_names
from archiver.extraction.pagefacts import PageFacts, page_facts

KINDS = ("article", "liveblog", "gallery", "video", "listing", "profile", "static", "other")
ARCHIVED_KINDS = frozenset({"article"})

CONTENT = ("article", "liveblog", "gallery", "video")  #: kinds with an author and a date
NOT_CONTENT = ("static", "profile")  #: kinds without either

#: Every signal: the kinds it speaks for and its default points.
SIGNALS: dict[str, tuple[tuple[str, ...], float]] = {
    "ld-article": (("article",), 3.0),  # a JSON-LD article type (not a live blog)
    "og-article": (("article", "liveblog", "gallery"), 0.5),  # CMSs set it on all of these (Yoast on plain pages too)
    "class-article": (("article",), 2.0),  # single-post, node-type-article, post-template, story-page...
    "dated-url": (CONTENT, 2.0),
    "url-like-articles": (("article",), 1.0),  # the URL has the shape of the article links it holds
    "date": (CONTENT, 1.0),  # a publication date in the markup
    "byline": (CONTENT, 0.5),
    "long-text": (("article", "liveblog"), 1.0),  # 200 words or more of body
    "prose": (("article",), 2.0),  # 150 words or more of paragraphs in one container
    "ld-liveblog": (("liveblog",), 5.0),
    "class-liveblog": (("liveblog",), 2.0),
    "url-liveblog": (("liveblog",), 1.5),
    "title-liveblog": (("liveblog",), 1.0),
    "updates": (("liveblog",), 6.0),  # 6 or more timestamped update blocks side by side
    "ld-gallery": (("gallery",), 5.0),
    "class-gallery": (("gallery",), 2.0),
    "url-gallery": (("gallery",), 1.5),
    "title-gallery": (("gallery",), 1.0),
    "captions": (("gallery",), 5.0),  # 6 or more captioned pictures, more words than the prose, and no prose
    "ld-video": (("video",), 4.0),  # VideoObject as the page's subject, not in an article or above a long text
    "og-video": (("video",), 2.5),
    "class-video": (("video",), 2.0),
    "url-video": (("video",), 1.5),
    "title-video": (("video",), 1.0),
    "player": (("video",), 2.5),  # a video player above a short text
    "ld-listing": (("listing",), 3.0),  # CollectionPage, ItemList, SearchResultsPage
    "og-website": (("listing",), 0.5),
    "class-listing": (("listing",), 3.0),
    "url-listing": (("listing",), 2.0),  # /category/, /tag/, /topic/, /section/, /search...
    "root-url": (("listing",), 4.0),
    "url-paged": (("listing",), 2.0),  # ?page=2, /page/2/, ?offset=20
    "teasers": (("listing",), 3.0),  # 8 or more teaser blocks and no prose
    "some-teasers": (("listing",), 1.5),  # 5 to 7 teaser blocks and no prose
    "link-dense": (("listing",), 1.0),  # half the words are link text
    "parent-of-articles": (("listing",), 1.5),  # the URL is the parent of 3 or more article links
    "load-more": (("listing",), 1.0),
    "ld-profile": (("profile",), 5.0),
    "ld-person": (("profile",), 2.5),  # a Person as the page's subject, no article
    "og-profile": (("profile",), 2.5),
    "class-profile": (("profile",), 2.0),
    "url-profile": (("profile",), 2.0),  # /people/jane-doe, /author/jane-doe, /autor/...
    "ld-static": (("static",), 3.0),  # AboutPage, ContactPage, FAQPage...
    "ld-webpage": (("static",), 1.0),  # a bare WebPage and no article
    "class-static": (("static",), 3.0),  # WordPress page-id-N, node-type-page, page-template...
    "class-page": (("static",), 1.0),  # a bare "page" class
    "url-static": (("static",), 3.0),  # /about-us, /terms-of-use, /impressum, /privacy-policy...
    "title-static": (("static",), 1.5),
    "no-byline": (NOT_CONTENT, 0.75),
    "no-date": (NOT_CONTENT, 0.75),
    "form": (("static",), 1.0),  # a sign-up, contact or log-in form in the content
    "class-error": (("other",), 4.0),
    "ld-other": (("other",), 3.0),  # Product, Event, JobPosting... and no article
    "title-error": (("other",), 2.0),
}
#: Points of a kind's own signals (not shared with another kind) that it needs to be chosen.
MIN_EVIDENCE = 3.0

LIVEBLOG_TYPES = frozenset({"liveblogposting"})
GALLERY_TYPES = frozenset({"imagegallery", "mediagallery", "photogallery"})
VIDEO_TYPES = frozenset({"videoobject", "videogallery", "clip", "movie", "tvepisode"})
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})
PROFILE_TYPES = frozenset({"profilepage"})
STATIC_TYPES = frozenset({"aboutpage", "contactpage", "faqpage", "checkoutpage", "qapage"})
OTHER_TYPES = frozenset({"product", "offercatalog", "realestatelisting", "event", "jobposting", "course",
                         "softwareapplication", "recipe", "store", "localbusiness"})
PAGE_TYPES = frozenset({"webpage", "itempage"})

#: Template classes (tokens of <html>, <body> and <main> classes and ids), by the signal they give ("class-<key>").
CLASS_PATTERNS = {
    "article": re.compile(
        r"^(?:single|single-post|single-format-\w+|postid-\d+|post-template|(?:page-)?node-type-(?:article|story|news\w*)"
        r"|(?:news-)?article(?:-page|-template|-detail|-view)?|story(?:-page|-template|-detail|-view)?"
        r"|template-(?:article|story)|type-(?:article|story)|page-(?:article|story))$"),
    "liveblog": re.compile(r"^(?!has-|with-|no-)[\w-]*(?:liveblog|live-blog|live-coverage|live-updates|liveticker"
                           r"|live-ticker|live-news)[\w-]*$"),
    "gallery": re.compile(r"^(?!has-|with-|no-)(?:page-|template-|node-type-|type-)?(?:photo-?)?(?:gallery|galleries"
                          r"|slideshow|bildergalerie|fotostrecke|diaporama|galeria)(?:-page|-template|-detail|-view)?$"),
    "video": re.compile(r"^(?:page-|template-|node-type-|type-)?videos?(?:-page|-detail|-template|-view)?$"),
    "listing": re.compile(
        r"^(?:archive|archives|home|home-page|homepage|blog|category|tag|author|search|search-results|date|paged"
        r"|post-type-archive"
        r"|tax|front-page|frontpage|path-frontpage|home-template|tag-template|author-template|paged-template"
        r"|section-front|section-page|sectionfront|topic-page|tag-page|listing|list-page|hub-page|index-page"
        r"|page-taxonomy-term|taxonomy-term|category-template|collection-page|channel-page)$"),
    "profile": re.compile(r"^(?:profile|profile-page|author-profile|author-bio-page|person|person-page|people-page"
                          r"|staff-page|bio-page|page-author|template-person|node-type-person|page-node-type-person)$"),
    "static": re.compile(r"^(?:page-id-\d+|page-template[\w-]*|(?:page-)?node-type-(?:page|basic-page|static\w*)"
                         r"|static|static-page|page-static|basic-page|legal-page|policy-page|info-page|template-page"
                         r"|page-template)$"),
    "error": re.compile(r"^(?:error404|error-404|error-page|page-404|not-found|page-not-found)$"),
}
BARE_PAGE_CLASS = "page"
SINGLE_WORDPRESS = re.compile(r"^(?:single|single-post|postid-\d+)$")

#: Words of a URL path segment per kind, in the languages the extractor reads.
URL_SEGMENTS = {
    "gallery": re.compile(
        r"^(?:galler(?:y|ies)|photos?|photo-?galler(?:y|ies)|pictures|pics|slideshows?|bildergalerien?|fotos?|fotostrecken?"
        r"|galerie|galerias?|fotogaler(?:ia|ias|ie)|diaporamas?|in-pictures|en-images|imagenes|in-bildern)$"),
    "video": re.compile(r"^(?:videos?|watch|mediathek|vid[eé]os?|v[ií]deos?|clips?)$"),
    "liveblog": re.compile(r"^(?:live|liveblog|live-blog|live-updates|live-news|liveticker|ticker|en-direct|direct"
                           r"|en-vivo|directo|minuto-a-minuto)$"),
    "profile": PROFILE_SEGMENT,
}
#: A media asset's own page named by its type and id ("video_0a1b2c3d-...", "collection_9f8e...", "gallery-48213").
ASSET_SEGMENT = {
    "video": re.compile(r"^videos?[_-](?:[0-9a-f]{8}|\d{4,})", re.I),
    "gallery": re.compile(r"^(?:collection|galler(?:y|ies)|photos?|slideshow)[_-](?:[0-9a-f]{8}|\d{4,})", re.I),
}
#: A slug that says "live" ("live-updates-storm-hits", "election-night-live", "...-as-it-happened").
LIVE_SLUG = re.compile(r"(?:^|-)(?:live-?updates|live-?blog|liveticker|as-it-happened|en-direct|en-vivo|minuto-a-minuto)"
                       r"(?:-|$)|^live-|-live$")
GALLERY_SLUG = re.compile(r"(?:^|-)(?:in-pictures|in-photos|photo-gallery|photos|slideshow|in-bildern|bildergalerie"
                          r"|en-images|en-fotos|en-imagenes)(?:-|$)")
#: The last path segment of a static page (English, German, French, Spanish).
STATIC_SEGMENT = re.compile(
    r"^(?:about|about-us|who-we-are|our-story|contact|contact-us|contacts|imprint|impressum|legal|legal-notice|terms"
    r"|terms-of-use|terms-of-service|terms-and-conditions|tos|privacy|cookies|cookie-settings|accessibility"
    r"|corrections|ethics|code-of-ethics|standards|policies|masthead|staff|team|our-team|people|newsletters?"
    r"|subscribe|subscriptions?|sign-?in|log-?in|register|sign-?up|account|my-account|careers|jobs|advertise"
    r"|advertising|media-kit|faqs?|help|support|feedback|tips|send-us-a-tip|donate|membership|site-?map"
    r"|datenschutz(?:erklaerung)?|nutzungsbedingungen|agb|kontakt|ueber-uns|uber-uns|mediadaten|abo|hilfe"
    r"|barrierefreiheit|mentions-legales|cgu|cgv|qui-sommes-nous|nous-contacter|politique-de-confidentialite"
    r"|donnees-personnelles|abonnement|aide|aviso-legal|politica-de-privacidad|privacidad|politica-de-cookies"
    r"|contacto|quienes-somos|nosotros|suscripcion|suscribete|ayuda|terminos-y-condiciones|condiciones-de-uso"
    r"|(?:privacy|cookies?|terms|corrections?|ethics|editorial|accessibility|copyright|legal|comments?|commenting"
    r"|community|data|advertising|newsroom)-(?:policy|policies|notice|statement|standards|guidelines|of-use"
    r"|of-service|and-conditions|terms|principles))$"
)
PAGE_EXTENSION = re.compile(r"\.(?:html?|php|aspx?|jsp|shtml)$")
LISTING_PATH = re.compile(
    r"/(?:category|categories|tag|tags|topic|topics|page|search|archive|archives|section|sections|rubrik"
    r"|kategorie|thema|themen|schlagwort|rubrique|themes|etiqueta|tema|temas|seccion)(?:/|$)",
    re.I,
)
PAGED_QUERY = re.compile(r"(?:^|&)(?:page|paged|pg|offset|start|seite)=\d+", re.I)
SEARCH_QUERY = re.compile(r"(?:^|&)(?:s|q|query|search)=", re.I)
#: A path segment that names one article: a slug of three words or more, or an id.
ARTICLE_SEGMENT = re.compile(r"^(?:[^\W_]+-){2,}[^\W_]+(?:\.\w+)?$|\d{5,}|^[a-z]?\d{4,}(?:\.\w+)?$", re.I)

TITLE_WORDS = {
    "liveblog": re.compile(r"\blive(?:[ -]?(?:updates?|blog|coverage|news|ticker))?\s*[:|–—-]|\blive updates\b"
                           r"|\bas it happened\b|\bliveticker\b|\bliveblog\b|\ben direct\b|\ben vivo\b"
                           r"|\bminuto a minuto\b|^live\b", re.I),
    "gallery": re.compile(r"\bin (?:pictures|photos|images)\b|^photos?\s*:|\bphoto gallery\b|^gallery\s*:|\bslideshow\b"
                          r"|\bbildergalerie\b|\bin bildern\b|\bfotostrecke\b|\ben images\b|\ben photos\b"
                          r"|\ben (?:fotos|imágenes)\b|\bdiaporama\b|\bgaler[ií]a\b", re.I),
    "video": re.compile(r"^(?:video|watch|vidéo|vídeo)\s*:|\((?:video|vidéo|vídeo)\)|[|–—-]\s*video\s*$", re.I),
    "static": re.compile(
        r"^(?:about(?: us)?|contact(?: us)?|privacy(?: policy| notice)?|cookie policy|cookies|terms(?: of (?:use|service)"
        r"| and conditions)?|corrections?(?: policy)?|ethics(?: policy)?|editorial standards|(?:our )?(?:newsletters?"
        r"|staff|team|people)|subscribe|sign in|log in|careers|jobs|advertise(?: with us)?|faqs?|help|impressum"
        r"|datenschutz(?:erklärung)?|kontakt|über uns|nutzungsbedingungen|mentions légales|qui sommes-nous"
        r"|politique de confidentialité|aviso legal|política de privacidad|contacto|quiénes somos)$", re.I),
}
ERROR_TITLE = re.compile(r"\b(?:page not found|404|seite nicht gefunden|page introuvable|página no encontrada)\b",
                         re.I)
TITLE_SPLIT = re.compile(r"\s+[|–—·•-]\s+")

#: Teaser blocks, updates and captioned pictures needed for each signal.
TEASERS, SOME_TEASERS, UPDATES, CAPTIONED = 8, 5, 6, 6
PROSE_WORDS, LONG_WORDS, SHORT_WORDS = 150, 200, 150


@dataclass(frozen=True)
class KindRules:
    """How pages are judged: signal weights (by name), the evidence a non-article kind
    needs, and which kinds are archived. Picklable, for the extraction workers."""

    weights: Mapping[str, float] = field(default_factory=dict)  #: overrides of SIGNALS' points
    min_evidence: float = MIN_EVIDENCE
    archived: frozenset[str] = ARCHIVED_KINDS

    def points(self, signal: str) -> float:
        return float(self.weights.get(signal, SIGNALS[signal][1]))

    @classmethod
    def from_settings(cls, weights: Mapping[str, Any] | None, min_evidence: float, kinds: Any) -> KindRules:
        """Rules from Scrapy settings; ValueError names an unknown signal or kind."""
        weights = dict(weights or {})
        unknown = sorted(set(weights) - set(SIGNALS))
        if unknown:
            raise ValueError(f"unknown page-kind signals {', '.join(unknown)}; known: {', '.join(SIGNALS)}")
        archived = frozenset(kinds or ARCHIVED_KINDS)
        if archived - set(KINDS):
            raise ValueError(f"unknown page kinds {', '.join(sorted(archived - set(KINDS)))}; known: {', '.join(KINDS)}")
        return cls({k: float(v) for k, v in weights.items()}, float(min_evidence), archived)


DEFAULT_RULES = KindRules()


@dataclass
class Verdict:
    """A page's kind, every kind's points (all, and from its own signals), and the signals that gave them."""

    kind: str
    scores: dict[str, float]
    own: dict[str, float]
    signals: list[str]

    def explain(self) -> str:
        """The signals as one line ("ld-gallery+5, captions+5, byline+0.5")."""
        return ", ".join(self.signals) or "no signals"


# -- the signals -------------------------------------------------------------------------


def _template_classes(tree: Any) -> set[str]:
    tokens: set[str] = set()
    body = tree.find("body")
    for node in (tree, body, *(tree.xpath("//main | //*[@role='main']")[:2])):
        if node is not None:
            tokens.update(f"{node.get('class', '')} {node.get('id', '')}".lower().split())
    return tokens


def _ld_signals(md: PageMetadata, words: int | None, found: set[str]) -> None:
    types = set(md.types)
    main = _main_entity_types(md)
    article = {t for t in types if t in ARTICLE_TYPES or t.endswith("article")} - LIVEBLOG_TYPES
    if article:
        found.add("ld-article")
    if types & LIVEBLOG_TYPES:
        found.add("ld-liveblog")
    if types & GALLERY_TYPES and (not article or main & GALLERY_TYPES):
        found.add("ld-gallery")
    if types & VIDEO_TYPES and (main & VIDEO_TYPES or (not article and (words or 0) < LONG_WORDS)):
        found.add("ld-video")
    if types & LISTING_TYPES and not article:
        found.add("ld-listing")
    if types & PROFILE_TYPES and not article:
        found.add("ld-profile")
    if ("person" in main or "person" in types) and not article:
        found.add("ld-person")
    if types & STATIC_TYPES and not article:
        found.add("ld-static")
    elif types & PAGE_TYPES and not article and not (types & (LIVEBLOG_TYPES | GALLERY_TYPES | VIDEO_TYPES)):
        found.add("ld-webpage")
    if types & OTHER_TYPES and not article:
        found.add("ld-other")


def _main_entity_types(md: PageMetadata) -> set[str]:
    """The @types of what the page's WebPage says it is about (``mainEntity``)."""
    index = {str(o["@id"]): o for o in md.jsonld if isinstance(o.get("@id"), (str, int))}
    found: set[str] = set()
    for obj in md.jsonld:
        entity = obj.get("mainEntity")
        for item in entity if isinstance(entity, list) else [entity]:
            if isinstance(item, dict) and "@id" in item and len(item) <= 2:
                item = index.get(str(item["@id"]), item)
            found.update(type_names(item))
    return found


def _class_signals(tree: Any, found: set[str]) -> None:
    tokens = _template_classes(tree)
    for name, pattern in CLASS_PATTERNS.items():
        if any(pattern.match(token) for token in tokens):
            found.add(f"class-{name}")
    if "class-static" in found and any(SINGLE_WORDPRESS.match(t) for t in tokens):
        found.discard("class-static")  # WordPress prints page-template-* on some single posts
    if BARE_PAGE_CLASS in tokens and "class-article" not in found:
        found.add("class-page")


def _url_signals(url: str, facts: PageFacts, found: set[str]) -> None:
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = [PAGE_EXTENSION.sub("", s.lower()) for s in path.split("/") if s]
    if not segments:  # the home page, and its pages ("/?page=2"); "/?p=123" is a WordPress post
        if not parts.query or PAGED_QUERY.search(parts.query):
            found.add("root-url")
        if PAGED_QUERY.search(parts.query):
            found.add("url-paged")
        if SEARCH_QUERY.search(parts.query):
            found.add("url-listing")
        return
    if date_from_url(url) and re.search(r"/\d{4}/\d{2}/\d{2}/?$", path) is None:
        found.add("dated-url")
    if LISTING_PATH.search(path) or SEARCH_QUERY.search(parts.query):
        found.add("url-listing")
    if PAGED_QUERY.search(parts.query) or re.search(r"/page/\d+/?$", path):
        found.add("url-paged")
    last = segments[-1]
    for kind in ("gallery", "video", "liveblog"):
        if any(URL_SEGMENTS[kind].match(s) for s in segments):
            found.add(f"url-{kind}")
    for kind, pattern in ASSET_SEGMENT.items():
        if pattern.match(last):
            found.add(f"url-{kind}")
    if LIVE_SLUG.search(last):
        found.add("url-liveblog")
    if GALLERY_SLUG.search(last):
        found.add("url-gallery")
    if len(segments) >= 2 and URL_SEGMENTS["profile"].match(segments[-2]) and PERSON_SLUG.match(last):
        found.add("url-profile")
    if STATIC_SEGMENT.match(last) and not (len(segments) >= 2 and URL_SEGMENTS["profile"].match(segments[-2])):
        found.add("url-static")
    _shape_signals(path, segments, facts.links, found)


def _shape(segments: list[str]) -> tuple[str, ...]:
    """A path's shape: each segment as a word, an article slug or id, or a number."""
    return tuple("a" if ARTICLE_SEGMENT.search(s) else "n" if s.isdigit() else "w" for s in segments)


def _shape_signals(path: str, segments: list[str], links: list[str], found: set[str]) -> None:
    """The page's URL against the article links it holds: their parent (a front), or one
    of them (a story)."""
    prefix = path if path.endswith("/") else path + "/"
    own = _shape(segments)
    children = same_shape = 0
    for link in set(links):
        if link == path or link.rstrip("/") == path.rstrip("/"):
            continue
        linked = [s.lower() for s in link.split("/") if s]
        if not linked or not ARTICLE_SEGMENT.search(linked[-1]):
            continue
        if link.startswith(prefix):
            children += 1
        elif own[-1] == "a" and _shape(linked) == own and linked[0] == segments[0]:
            same_shape += 1
    if children >= 3:
        found.add("parent-of-articles")
    if same_shape >= 2:
        found.add("url-like-articles")


def _title_signals(md: PageMetadata, found: set[str]) -> None:
    titles = [c.value for c in md.titles if c.source in ("h1", "og:title", "title") or c.source.startswith("ld-")]
    for title in titles[:4]:
        parts = [p.strip() for p in TITLE_SPLIT.split(title) if p.strip()] or [title]
        for kind, pattern in TITLE_WORDS.items():
            if kind == "static":
                if any(pattern.match(part) for part in parts):
                    found.add("title-static")
            elif pattern.search(title):
                found.add(f"title-{kind}")
        if ERROR_TITLE.search(title):
            found.add("title-error")


def _structure_signals(facts: PageFacts, words: int | None, found: set[str]) -> None:
    if facts.prose >= PROSE_WORDS:
        found.add("prose")
    else:
        if facts.teasers >= TEASERS:
            found.add("teasers")
        elif facts.teasers >= SOME_TEASERS:
            found.add("some-teasers")
    if facts.link_density >= 0.5:
        found.add("link-dense")
    if facts.updates >= UPDATES:
        found.add("updates")
    if facts.figures >= CAPTIONED and facts.captions > facts.prose and facts.prose < PROSE_WORDS:
        found.add("captions")
    if facts.player and (words or 0) < SHORT_WORDS and facts.prose < SHORT_WORDS:
        found.add("player")
    if facts.load_more:
        found.add("load-more")
    if facts.form and facts.prose < PROSE_WORDS:
        found.add("form")
    if words is not None and words >= LONG_WORDS and facts.captions < words / 2:
        found.add("long-text")  # not the captions of a gallery


def _article_marks(md: PageMetadata, found: set[str]) -> None:
    if any(c.source.startswith(("ld-date", "meta:", "itemprop", "parsely", "time-published")) for c in md.published):
        found.add("date")
    else:
        found.add("no-date")
    if any(c.source in ("ld-author", "meta-author", "byline", "itemprop-author", "rel-author", "shown-byline",
                        "parsely", "meta-byl") for c in md.authors):
        found.add("byline")
    else:
        found.add("no-byline")
    if md.og_type == "article":
        found.add("og-article")
    elif md.og_type in ("website", "blog"):
        found.add("og-website")
    elif md.og_type == "profile":
        found.add("og-profile")
    elif md.og_type and md.og_type.startswith("video"):
        found.add("og-video")


def signals(tree: Any, url: str, md: PageMetadata, *, words: int | None = None,
            facts: PageFacts | None = None) -> list[str]:
    """The names of every signal the page shows (``facts``: its structure, when measured already)."""
    found: set[str] = set()
    facts = facts if facts is not None else page_facts(tree, url)
    _ld_signals(md, words, found)
    _class_signals(tree, found)
    _url_signals(url, facts, found)
    _title_signals(md, found)
    _structure_signals(facts, words, found)
    _article_marks(md, found)
    return [name for name in SIGNALS if name in found]


def classify(tree: Any, url: str, md: PageMetadata, *, words: int | None = None,
             rules: KindRules = DEFAULT_RULES, facts: PageFacts | None = None) -> Verdict:
    """The page's kind, from every signal it shows weighed together."""
    scores = dict.fromkeys(KINDS, 0.0)
    own = dict.fromkeys(KINDS, 0.0)
    shown = []
    for name in signals(tree, url, md, words=words, facts=facts):
        points = rules.points(name)
        if points:
            kinds = SIGNALS[name][0]
            for kind in kinds:
                scores[kind] += points
                if len(kinds) == 1:
                    own[kind] += points
            shown.append(f"{name}{points:+g}")
    candidates = [k for k in KINDS if k != "article" and own[k] >= rules.min_evidence]
    best = max(candidates, key=lambda k: (scores[k], own[k]), default=None)
    kind = best if best is not None and scores[best] > scores["article"] else "article"
    return Verdict(kind, scores, own, shown)
