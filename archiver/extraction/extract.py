"""Article extraction: ``page -> Extraction | Rejected``.

The page is decoded and parsed once; the lxml tree goes to trafilatura (body text, its own
metadata and htmldate's date) and to :mod:`archiver.extraction.metadata` (JSON-LD, OpenGraph, meta
tags, byline markup). Fields are then chosen by agreement and reliability. ``extract`` is a
picklable top-level function with no state kept between calls, so it runs in a process
pool; it never raises: a failure becomes ``Rejected("parse-error")``.

    result = extract_html(open("page.html", "rb").read(), "https://example.com/2024/05/01/x/")

The crawl calls :func:`read_page`, which also hands back the page's links from the same
tree, so the crawl process never parses a page that goes to extraction.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
from configparser import ConfigParser
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from archiver.discovery.pagelinks import PageLinks, page_links
from archiver.extraction import dates
from archiver.extraction.bylines import choose_authors, choose_credit, clean_byline, completed_names, guessed_people
from archiver.extraction.charsets import single_byte, undeclared_codec, utf8_text
from archiver.extraction.classify import DEFAULT_RULES, KindRules, classify
from archiver.extraction.credits import dateline_credit
from archiver.extraction.pagefacts import page_facts
from archiver.extraction.paywall import is_paywalled
from archiver.items import Extraction, FetchedPage, Rejected
from archiver.text import count_words, text_key
from archiver.extraction.metadata import Candidate, PageMetadata, language_code, read_metadata

logger = logging.getLogger(__name__)

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
#: Characters XML cannot hold: trafilatura's serialisation drops a page that has them.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
BYLINE_LINE = re.compile(r"^(?:by|von|par|por|posted by|written by)\s+\S", re.I)
#: What introduces a link to another story in a body ("Read more:", "Related:", "Lesen Sie auch:").
LINK_LEAD = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+){0,3}\s*[:»›>|–—-]+\s*")
#: A link text at least this many words long can be a headline linked from the body.
LINK_LINE_WORDS = 4
#: What sets a site's name apart from the headline in a title; CJK titles write the bar
#: without spaces, or full-width ("タイトル｜サイト名").
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", " / ", ": ", "｜", "|")
HTML_TYPES = ("text/html", "application/xhtml", "application/xml", "text/xml", "text/plain")
#: Encodings pages declare that browsers read as a superset (WHATWG encoding standard).
ENCODING_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}
#: Modified-date sources, most reliable first (the published date: dates.PUBLISHED_ORDER).
MODIFIED_ORDER = ("ld-datemodified", "meta:", "itemprop", "time-updated")


def _trafilatura_config() -> ConfigParser:
    """trafilatura's settings, spelled out here instead of read from its settings.cfg."""
    config = ConfigParser()
    config["DEFAULT"] = {
        "DOWNLOAD_TIMEOUT": "30", "MAX_FILE_SIZE": "20000000", "MIN_FILE_SIZE": "10",
        "SLEEP_TIME": "5.0", "USER_AGENTS": "", "COOKIE": "", "MAX_REDIRECTS": "2",
        "MIN_EXTRACTED_SIZE": "250", "MIN_OUTPUT_SIZE": "1", "MIN_OUTPUT_COMM_SIZE": "1",
        "MAX_TREE_SIZE": "", "EXTRACTION_TIMEOUT": "0", "MIN_DUPLCHECK_SIZE": "100",
        "MAX_REPETITIONS": "2", "EXTENSIVE_DATE_SEARCH": "on", "EXTERNAL_URLS": "off",
    }
    return config


TRAFILATURA_CONFIG = _trafilatura_config()
PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False,
                              default_doctype=False)


# -- decoding and parsing ----------------------------------------------------------------


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = ENCODING_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes | str, encoding: str | None = None) -> str:
    """Text of a page: the given encoding, else a BOM or <meta charset>, else detection.

    A declared code page the bytes are not written in gives way to UTF-8 when they are
    valid UTF-8: a proxy, a CMS migration or an archive that transcoded the page to UTF-8
    often kept its old ``<meta charset="euc-kr">`` or ``ISO-8859-2``, and reading it as
    declared garbles every non-ASCII character (and with them titles, bylines and shown
    dates). A one-byte code page decodes any bytes, so there the test is that the bytes
    are UTF-8 at all (:func:`~archiver.extraction.charsets.utf8_text`)."""
    if isinstance(body, str):
        return body
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace")
    codec = _codec(encoding)
    if codec is None:
        match = META_CHARSET.search(body[:4096])
        codec = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    if codec is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            codec = _detect(body)
    else:
        if single_byte(codec) and (text := utf8_text(body)) is not None:
            return text
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            with contextlib.suppress(UnicodeDecodeError):
                return body.decode("utf-8")
    return body.decode(codec, errors="replace")


def _detect(body: bytes) -> str:
    """The codec of undeclared bytes that are not UTF-8."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:65536]).best()
        codec = _codec(best.encoding) if best is not None else None
        if codec:
            return undeclared_codec(codec)
    except Exception:  # noqa: BLE001 - detection is best effort
        logger.debug("charset detection failed", exc_info=True)
    return "cp1252"


def looks_binary(text: str) -> bool:
    sample = text[:2048]
    if not sample:
        return False
    bad = sum(1 for c in sample if c == "\x00" or c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f"))
    return bad / len(sample) > 0.1 or "<" not in text[:65536]


def parse_html(text: str):
    """An lxml HTML tree, or None when the text holds no document."""
    text = CONTROL_CHARS.sub("", XML_DECLARATION.sub("", text, count=1))
    if not text.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(text, parser=PARSER)
    except (etree.ParserError, ValueError):
        return None
    if tree is None or not isinstance(tree.tag, str):
        return None
    return tree


# -- choosing fields ---------------------------------------------------------------------


def site_keys(md: PageMetadata, url: str) -> set[str]:
    keys = {text_key(s) for s in md.site_names if text_key(s)}
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if host:
        keys.add(text_key(host))
        parts = host.split(".")
        label = parts[-2] if len(parts) >= 2 else parts[0]
        if len(label) > 2:
            keys.add(text_key(label))
    return keys


def _is_site_part(part: str, sites: set[str]) -> bool:
    key = text_key(part)
    if not key:
        return True
    return any(key == s or (len(s) > 3 and (s in key or key in s) and len(part.split()) <= 6) for s in sites)


def strip_site_name(title: str, sites: set[str]) -> str:
    """A title without a leading or trailing " | Site Name" part."""
    for sep in TITLE_SEPARATORS:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        if len(parts) < 2:
            continue
        if _is_site_part(parts[-1], sites):
            rest = sep.join(parts[:-1]).strip()
            if rest:
                return strip_site_name(rest, sites)
        if _is_site_part(parts[0], sites) and sep != ": ":
            rest = sep.join(parts[1:]).strip()
            if rest:
                return rest
    return title.strip()


def strip_short_suffix(title: str) -> str:
    """"Headline words here - Short Name": drop a short trailing part after a dash or bar."""
    for sep in (" | ", " - ", " – ", " — ", " :: ", " « ", " » "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if len(tail.split()) <= 4 and len(head.split()) >= 3 and len(tail) < 0.5 * len(head):
                return head.strip()
    for sep in (" » ", " › ", " :: "):
        head, found, tail = title.partition(sep)
        if found and len(head.split()) <= 3 and len(tail.split()) >= 2:
            return tail.strip()  # "Blog Archive » Headline"
    return title


def choose_title(md: PageMetadata, url: str, fallback: str | None) -> str:
    """The headline: an <h1> that another source confirms, else JSON-LD headline, og:title,
    <title>, each without the site's name."""
    sites = site_keys(md, url)
    by_source: dict[str, list[str]] = {}
    for cand in md.titles:
        source = "ld" if cand.source.startswith("ld-") else cand.source
        by_source.setdefault(source, []).append(cand.value)
    stripped = {src: [strip_site_name(v, sites) for v in vals] for src, vals in by_source.items()}
    headings = [(h1, key) for h1 in stripped.get("h1", []) if (key := text_key(h1)) and not _is_site_part(h1, sites)]
    # an <h1> the page's own markup names (og:title, JSON-LD) before one only its <title>
    # names: a section's heading ("News") can be the <title> of every page in the section
    for left_out in (("h1", "title"), ("h1",)):
        confirming = {text_key(v) for src, vals in stripped.items() if src not in left_out for v in vals}
        raw = [text_key(v) for src, vals in by_source.items() if src not in left_out for v in vals]
        for h1, key in headings:
            if key in confirming or (len(h1.split()) >= 2 and any(v.startswith(key) for v in raw)):
                return h1
    for src in ("ld", "og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title"):
        for value in stripped.get(src, []):
            if not _is_site_part(value, sites):
                return strip_short_suffix(value)
    if fallback and not _is_site_part(fallback, sites):
        return strip_short_suffix(strip_site_name(fallback, sites))
    for src in ("title", "h1"):
        if stripped.get(src):
            return strip_short_suffix(stripped[src][0])
    return ""


def _rank(source: str, order: tuple[str, ...]) -> int:
    for i, prefix in enumerate(order):
        if source.startswith(prefix):
            return i
    return len(order)


def choose_date(candidates: list[Candidate], order: tuple[str, ...], latest: date,
                month_first: bool = False) -> str | None:
    """The most reliable parseable date; a datetime from another source of the same day
    lends its time and offset to a plain date."""
    parsed = []
    for cand in candidates:
        value = dates.parse_date(cand.value, latest=latest, month_first=month_first)
        if value:
            parsed.append((_rank(cand.source, order), value))
    if not parsed:
        return None
    parsed.sort(key=lambda item: item[0])
    best = parsed[0][1]
    if not dates.has_time(best):
        for _, value in parsed:
            if dates.has_time(value) and value[:10] == best:
                return value
    return best


def choose_published(md: PageMetadata, url: str, traf_date: str | None, latest: date,
                     feed_date: str | None = None) -> dates.Published | None:
    """The publication date: :func:`archiver.extraction.dates.choose_published` over every candidate,
    with the modified times and the site's country as hints of the page's time zone."""
    cands = published_candidates(md, url, traf_date, feed_date)
    return dates.choose_published([(c.source, c.value) for c in cands], latest=latest,
                                  zone_hints=[c.value for c in md.modified],
                                  site_zones=dates.country_zones(urlsplit(url).hostname),
                                  month_first=md.month_first)


def published_candidates(md: PageMetadata, url: str, traf_date: str | None,
                         feed_date: str | None = None) -> list[Candidate]:
    """Every published-date candidate: the page's own, a feed's, its URL's, htmldate's."""
    cands = list(md.published)
    if feed_date:
        cands.append(Candidate(feed_date, "feed"))
    url_day = dates.date_from_url(url)
    if url_day:
        cands.append(Candidate(url_day, "url"))
    if traf_date:
        cands.append(Candidate(traf_date, "trafilatura"))
    return cands


def to_paragraphs(text: str) -> str:
    """trafilatura's one-line-per-block text as paragraphs separated by blank lines."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return "\n\n".join(line for line in lines if line)


def clean_body(text: str, title: str, authors: list[str]) -> str:
    """Drop a repeated headline and a byline line at the top of the body."""
    paragraphs = text.split("\n\n") if text else []
    title_key = text_key(title)
    author_keys = {text_key(a) for a in authors}
    for _ in range(3):
        if not paragraphs:
            break
        first = paragraphs[0]
        if title_key and text_key(first) == title_key:
            paragraphs.pop(0)
        elif len(first) < 120 and (BYLINE_LINE.match(first) or (
                author_keys and {text_key(n) for n in clean_byline(first)} & author_keys
                and len(first.split()) <= 12)):
            paragraphs.pop(0)
        else:
            break
    return "\n\n".join(paragraphs)


def link_texts(tree) -> set[str]:
    """The keys of the page's longer link texts (headlines of other stories, among them)."""
    keys = set()
    for node in tree.iter("a"):
        text = " ".join(node.itertext())
        if len(text.split()) >= LINK_LINE_WORDS:
            keys.add(text_key(text))
    return keys


def drop_link_lines(text: str, links: set[str]) -> str:
    """Drop paragraphs that are only a link to another story, with or without a lead-in
    ("READ MORE: Headline", "Related: Headline"): related links, which pages rotate between
    visits, are not the article."""
    if not links or not text:
        return text
    kept = []
    for paragraph in text.split("\n\n"):
        key = text_key(paragraph)
        if key in links or text_key(LINK_LEAD.sub("", paragraph, count=1)) in links:
            continue
        kept.append(paragraph)
    return "\n\n".join(kept)


def choose_body(traf_text: str, article_body: str | None) -> str:
    """trafilatura's text, or JSON-LD articleBody when it is clearly better (much longer)."""
    if not article_body:
        return traf_text
    ld_text = to_paragraphs(article_body.replace("\r", ""))
    ld_words, traf_words = count_words(ld_text), count_words(traf_text)
    if ld_words >= 80 and ld_words > 1.6 * traf_words and "<" not in ld_text[:200]:
        return ld_text
    return traf_text


def detect_language(text: str) -> str | None:
    if count_words(text) < 15:
        return None
    try:
        import py3langid

        lang, _ = py3langid.classify(text[:5000])
    except Exception:  # noqa: BLE001 - detection is optional
        logger.debug("language detection failed", exc_info=True)
        return None
    return language_code(lang)


# -- public API --------------------------------------------------------------------------


def extract(page: FetchedPage, *, min_words: int = 40, rules: KindRules = DEFAULT_RULES) -> Extraction | Rejected:
    """Extract the article of a fetched page, or say why not (its kind, when it is not an article)."""
    url = page.final_url or page.url
    return _not_html(page, url) or extract_html(page.body, url, encoding=page.encoding, min_words=min_words,
                                                rules=rules, feed_date=page.feed_published)


@dataclass
class PageReading:
    """What one parse of a page gives the crawl: its extraction (or why not) and the addresses it names."""

    result: Extraction | Rejected
    links: PageLinks = field(default_factory=PageLinks)  #: empty when the page could not be parsed


def read_page(page: FetchedPage, *, min_words: int = 40, rules: KindRules = DEFAULT_RULES) -> PageReading:
    """:func:`extract` and :func:`~archiver.discovery.pagelinks.page_links` from one tree:
    a rejected page (a listing, a gallery) still gives its links. Never raises."""
    url = page.final_url or page.url
    if rejected := _not_html(page, url):
        return PageReading(rejected)
    links = PageLinks()
    try:
        tree = _parse(page.body, url, page.encoding)
        if isinstance(tree, Rejected):
            return PageReading(tree)
        links = page_links(tree, url)  # before trafilatura, which prunes the tree it is given
        return PageReading(_extract_tree(tree, url, min_words, rules, page.feed_published), links)
    except Exception as exc:  # noqa: BLE001 - every failure is a rejection, by contract
        return PageReading(_failure(url, exc), links)


def _not_html(page: FetchedPage, url: str) -> Rejected | None:
    content_type = (page.headers or {}).get("content-type", "").lower()
    if content_type and not any(t in content_type for t in HTML_TYPES):
        return Rejected(url, "not-html", f"content-type {content_type.split(';')[0]}")
    return None


def _failure(url: str, exc: Exception) -> Rejected:
    logger.debug("extraction failed for %s", url, exc_info=True)
    return Rejected(url, "parse-error", f"{type(exc).__name__}: {exc}"[:300])


def extract_html(html: bytes | str, url: str, *, encoding: str | None = None, min_words: int = 40,
                 any_page: bool = False, rules: KindRules = DEFAULT_RULES,
                 feed_date: str | None = None) -> Extraction | Rejected:
    """Extract the article of one HTML document; never raises.

    A page whose kind (:mod:`archiver.extraction.classify`) is not in ``rules.archived`` is
    rejected with its kind as the reason. ``any_page`` extracts what a page holds whatever
    its kind (a home page, a gallery), the kind noted on the result: for a page a person
    chose, where the crawl's judgement is not wanted. Pages without any text are still
    rejected. ``feed_date`` is the date a feed listed the page with, one more piece of
    evidence for its publication date."""
    try:
        return _extract(html, url, encoding, None if any_page else min_words, rules, feed_date)
    except Exception as exc:  # noqa: BLE001 - every failure is a rejection, by contract
        return _failure(url, exc)


def _extract(html: bytes | str, url: str, encoding: str | None,
             min_words: int | None, rules: KindRules, feed_date: str | None) -> Extraction | Rejected:
    tree = _parse(html, url, encoding)
    if isinstance(tree, Rejected):
        return tree
    return _extract_tree(tree, url, min_words, rules, feed_date)


def _parse(html: bytes | str, url: str, encoding: str | None):
    """The page's lxml tree, or why there is none."""
    if not html or not (html.strip() if isinstance(html, (bytes, str)) else html):
        return Rejected(url, "empty", "no content")
    text = decode_html(html, encoding)
    if looks_binary(text):
        return Rejected(url, "not-html", "binary or non-HTML content")
    tree = parse_html(text)
    if tree is None:
        return Rejected(url, "parse-error", "no HTML document")
    return tree


def _extract_tree(tree, url: str, min_words: int | None, rules: KindRules,
                  feed_date: str | None) -> Extraction | Rejected:
    """``min_words`` None: no judgement of whether the page is an article."""
    md = read_metadata(tree, url)
    doc = _run_trafilatura(tree, url)
    traf_text = to_paragraphs(doc.text or "") if doc is not None else ""
    text = choose_body(traf_text, md.article_body)

    title = choose_title(md, url, doc.title if doc is not None else None)
    author_cands = [(c.value, c.source, c.kind) for c in md.authors]
    if doc is not None and doc.author:
        author_cands.extend((part, "trafilatura", "") for part in guessed_people(doc.author))
    agency = dateline_credit(text)
    if agency:
        author_cands.append((agency, "dateline", "organization"))
    sites = site_keys(md, url)
    chosen = choose_authors(author_cands, sites)
    credit = choose_credit(author_cands, sites, chosen.names)
    authors = completed_names(chosen.names, sites, lambda: " ".join([*md.site_names, *tree.itertext()]))

    body = clean_body(text, title, [*chosen.names, *authors])
    body = drop_link_lines(body, link_texts(tree))
    words = count_words(body)
    facts = page_facts(tree, url)
    verdict = classify(tree, url, md, words=words if body.strip() else None, rules=rules, facts=facts)
    if min_words is not None and verdict.kind not in rules.archived:
        return Rejected(url, verdict.kind, verdict.explain())
    if not body.strip():
        return Rejected(url, "empty", "no article text found")
    paywalled = is_paywalled(md, facts)
    if min_words is not None and words < min_words and not paywalled:
        return Rejected(url, "too-short", f"{words} words < {min_words}")

    latest = (datetime.now(timezone.utc) + timedelta(days=2)).date()
    published = choose_published(md, url, doc.date if doc is not None else None, latest, feed_date)
    modified = choose_date(md.modified, MODIFIED_ORDER, latest, md.month_first)
    if modified and published and modified[:10] < published.value[:10]:
        modified = None
    return Extraction(
        url=url,
        canonical_url=md.canonical_url,
        title=title,
        authors=authors,
        authors_source=chosen.source,
        credit=credit,
        published=published.value if published else None,
        published_source=published.source if published else None,
        paywalled=paywalled,
        modified=modified,
        text=body,
        description=md.description or (doc.description if doc is not None else None) or None,
        categories=md.categories or list((doc.categories or []) if doc is not None else []),
        tags=md.tags or list((doc.tags or []) if doc is not None else []),
        language=md.language or detect_language(body),
        kind=verdict.kind,
        kind_signals=verdict.explain(),
    )


#: Below this many words, a precision-first extraction is retried in balanced mode.
RETRY_BELOW_WORDS = 50


def _run_trafilatura(tree, url: str):
    """trafilatura's document for the tree: precision first (measured best on body F1),
    balanced when that finds (almost) nothing."""
    doc = _trafilatura(tree, url, precision=True)
    if doc is None or count_words(doc.text or "") < RETRY_BELOW_WORDS:
        balanced = _trafilatura(tree, url, precision=False)
        if balanced is not None and (doc is None or count_words(balanced.text or "") > count_words(doc.text or "")):
            return balanced
    return doc


def _trafilatura(tree, url: str, *, precision: bool):
    import trafilatura

    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        deduplicate=False,
        favor_precision=precision,
        favor_recall=False,
        config=TRAFILATURA_CONFIG,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
