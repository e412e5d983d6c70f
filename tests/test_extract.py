"""Hand-written pages -> Extraction or Rejected, through the public API."""

from __future__ import annotations

import contextlib
import importlib
import json
import pickle
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.extraction.classify import KINDS
from archiver.extraction.extract import decode_html, extract, extract_html
from archiver.items import Extraction, FetchedPage, Rejected

#: The module itself: ``archiver.extraction`` re-exports a function of the same name.
extract_module = importlib.import_module("archiver.extraction.extract")
URL = "https://news.example.org/2018/07/05/city-council-approves-budget/"

PARAGRAPHS = [
    "The city council approved the new budget on Thursday after a long debate about road repairs, "
    "school funding and the future of the public library system in the northern districts.",
    "Council members argued for more than four hours before the final vote, which passed seven to two, "
    "with the two dissenting members saying the plan relied on optimistic tax forecasts.",
    "The mayor said the budget keeps property taxes flat for a third year while adding twelve new "
    "positions in the parks department and expanding weekend bus service across the river.",
    "Residents who spoke during the public comment period were divided, with several urging the council "
    "to spend more on housing assistance and others praising the focus on basic maintenance.",
]

GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Organization", "@id": "https://news.example.org/#org", "name": "Example News"},
        {"@type": "WebSite", "@id": "https://news.example.org/#website", "name": "Example News"},
        {"@type": "WebPage", "@id": URL + "#webpage", "url": URL, "name": "City council approves budget - Example News"},
        {
            "@type": "NewsArticle",
            "@id": URL + "#article",
            "headline": "City council approves budget",
            "author": {"@id": "https://news.example.org/#/schema/person/1"},
            "datePublished": "2018-07-05T09:30:00+02:00",
            "dateModified": "2018-07-06T11:00:00+02:00",
            "publisher": {"@id": "https://news.example.org/#org"},
            "articleSection": ["Local"],
            "keywords": "budget,city council",
        },
        {"@type": "Person", "@id": "https://news.example.org/#/schema/person/1", "name": "Jane Doe"},
    ],
}


def wordpress_article(graph: dict | None = None, lang: str = "en-US") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>City council approves budget - Example News</title>
<link rel="canonical" href="/2018/07/05/city-council-approves-budget/">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="City council approves budget - Example News">
<meta property="og:description" content="The council voted seven to two.">
<meta property="article:published_time" content="2018-07-05T07:30:00+00:00">
<meta property="article:author" content="https://www.facebook.com/examplenews">
<meta property="article:tag" content="budget">
<script type="application/ld+json">{json.dumps(graph or GRAPH)}</script>
</head>
<body class="post-template-default single single-post postid-42 single-format-standard">
<header><nav><a href="/">Home</a> <a href="/category/local/">Local</a> <a href="/about/">About</a></nav></header>
<main><article class="post">
<h1 class="entry-title">City council approves budget</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard"><a rel="author" href="/author/jane-doe/">JANE DOE</a></span></span>
<time class="entry-date published" datetime="2018-07-05T09:30:00+02:00">July 5, 2018</time></div>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<div class="entry-content">{body}</div>
<footer class="entry-footer"><a href="/category/local/" rel="category tag">Local</a> <a href="/tag/budget/" rel="tag">budget</a></footer>
<div class="author-info"><h2 class="author-title">About Jane Doe</h2><p class="author-bio">Jane Doe covers city hall.</p></div>
</article>
<section class="related-posts"><h3>Related</h3><ul><li><a href="/2018/07/01/x/">Parking fees rise again</a></li></ul></section>
<div id="comments" class="comments-area"><div id="respond"><h3 id="reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post"><p><label for="author">Name</label><input id="author" name="author"></p>
<p><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p></form></div></div>
</main>
<footer><p>Copyright 2018 Example News</p></footer>
</body></html>"""


def test_wordpress_article():
    result = extract_html(wordpress_article().encode("utf-8"), URL)
    assert isinstance(result, Extraction), result
    assert result.url == URL
    assert result.canonical_url == URL
    assert result.title == "City council approves budget"
    assert result.authors == ["Jane Doe"]
    assert result.published == "2018-07-05T09:30:00+02:00"
    assert result.modified == "2018-07-06T11:00:00+02:00"
    assert result.description == "The council voted seven to two."
    assert result.categories == ["Local"]
    assert "budget" in result.tags
    assert result.language == "en"
    assert result.text.split("\n\n") == PARAGRAPHS
    for noise in ("Leave a Reply", "Share on Facebook", "covers city hall", "Parking fees", "Copyright"):
        assert noise not in result.text
    assert result.word_count > 40


def test_language_detected_from_text_when_page_gives_none():
    html = wordpress_article().replace('<html lang="en-US">', "<html>")
    result = extract_html(html, URL)
    assert isinstance(result, Extraction)
    assert result.language == "en"


def test_byline_markup_without_structured_data():
    html = wordpress_article(graph={"@context": "https://schema.org", "@type": "WebSite", "name": "Example News"})
    html = html.replace('<meta property="article:published_time" content="2018-07-05T07:30:00+00:00">', "")
    result = extract_html(html, URL)
    assert isinstance(result, Extraction)
    assert result.authors == ["Jane Doe"]  # from the ALL-CAPS byline, case fixed
    assert result.published == "2018-07-05T09:30:00+02:00"  # from <time datetime>


YOAST_ABOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>About Us - Example News</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="Example News">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","@id":"https://news.example.org/about/#webpage","name":"About Us - Example News"},
 {"@type":"WebSite","@id":"https://news.example.org/#website","name":"Example News"}]}</script>
</head><body class="page-template-default page page-id-2">
<main><article class="page"><h1>About Us</h1><div class="entry-content">%s</div></article></main>
</body></html>""" % "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def test_yoast_about_page_is_not_an_article():
    result = extract_html(YOAST_ABOUT, "https://news.example.org/about/")
    assert isinstance(result, Rejected)
    assert result.reason == "static"


def listing_page() -> str:
    teasers = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="/2018/07/{d:02d}/story-{d}/">Story number {d} '
        f'about the city</a></h2><p>{PARAGRAPHS[d % 4][:120]}</p><a href="/2018/07/{d:02d}/story-{d}/">Read more</a></article>'
        for d in range(1, 11)
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Example News</title>
<meta property="og:type" content="website"></head>
<body class="home blog"><main>{teasers}</main></body></html>"""


def test_listing_page_is_not_an_article():
    result = extract_html(listing_page(), "https://news.example.org/")
    assert isinstance(result, Rejected)
    assert result.reason == "listing"


def test_listing_page_extracted_when_a_person_asks_for_any_page():
    result = extract_html(listing_page(), "https://news.example.org/", any_page=True)
    assert isinstance(result, Extraction)
    assert "Council members argued for more than four hours" in result.text


def test_soft_hyphens_in_the_headline_are_dropped():
    html = (f"<html><head><title>Mes\u00adsen\u00adger\u00addiens\u00adte sind kein Raum</title></head><body>"
            f"<h1>Mes\u00adsen\u00adger\u00addiens\u00adte sind kein Raum</h1><p>{' '.join(PARAGRAPHS)}</p>"
            f"</body></html>")
    result = extract_html(html, "https://news.example.org/messenger")
    assert isinstance(result, Extraction)
    assert result.title == "Messengerdienste sind kein Raum"


@pytest.mark.parametrize(
    ("head", "headings", "title"),
    [
        # a section's heading that is also the <title> of every page in the section
        ('<title>News - Eawag</title><meta property="og:title" content="Auf das erste Elektron kommt es an">'
         '<meta property="og:site_name" content="Eawag">',
         "<h1>News</h1><h1>Auf das erste Elektron kommt es an</h1>", "Auf das erste Elektron kommt es an"),
        # ... also when the <title> only begins with the section's heading
        ('<title>Latest News from Example Town</title><meta property="og:title" content="Council approves budget">',
         "<h1>Latest News</h1><h1>Council approves budget</h1>", "Council approves budget"),
        # the site's name set apart by a bar without spaces, or a full-width one, as CJK titles write it
        ('<title>NEWS WEB EASY|子どもへの体罰を禁止する法律ができる</title>'
         '<meta property="og:site_name" content="NEWS WEB EASY">', "", "子どもへの体罰を禁止する法律ができる"),
        ('<title>乃木坂46が新曲を公開｜BIGLOBEニュース</title><meta property="og:site_name" content="BIGLOBEニュース">',
         "", "乃木坂46が新曲を公開"),
        # a bar inside the headline stays
        ("<title>Rock|Pop Awards announced</title>", "", "Rock|Pop Awards announced"),
    ],
)
def test_the_headline_among_the_pages_titles(head, headings, title):
    html = f"<html><head>{head}</head><body>{headings}<p>{' '.join(PARAGRAPHS)}</p></body></html>"
    result = extract_html(html, "https://www.example.ch/de/aktuell/story", any_page=True)
    assert isinstance(result, Extraction)
    assert result.title == title


@pytest.mark.parametrize("html", [b"", b"   ", "", "<html><body></body></html>"])
def test_empty_pages(html):
    result = extract_html(html, URL)
    assert isinstance(result, Rejected)
    assert result.reason in ("empty", "parse-error")


def test_empty_body_is_empty():
    result = extract_html("<html><head><title>x</title></head><body><div></div></body></html>", URL)
    assert isinstance(result, Rejected) and result.reason == "empty"


def test_binary_garbage_is_not_html():
    garbage = bytes(range(256)) * 40
    result = extract_html(garbage, URL)
    assert isinstance(result, Rejected)
    assert result.reason == "not-html"


def test_too_short():
    html = "<html><body class='single-post'><article><h1>Brief</h1><p>Only a few words here.</p></article></body></html>"
    result = extract_html(html, URL)
    assert isinstance(result, Rejected)
    assert result.reason in ("too-short", "empty")


def test_windows_1252_declared_only_in_meta():
    text = "Caf\u00e9 owners said the \u201cnew rules\u201d were na\u00efve \u2013 " + PARAGRAPHS[0]
    html = wordpress_article().replace("<meta charset=\"utf-8\">", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    html = html.replace(PARAGRAPHS[0], text)
    result = extract_html(html.encode("cp1252"), URL)
    assert isinstance(result, Extraction)
    assert result.text.startswith(text)


def test_latin1_label_is_read_as_windows_1252():
    raw = '<html><head><meta charset="iso-8859-1"></head><body>\u201cquoted\u201d</body></html>'.encode("cp1252")
    assert "\u201cquoted\u201d" in decode_html(raw)


def test_missing_charset_utf8_detected():
    html = wordpress_article().replace('<meta charset="utf-8">', "")
    html = html.replace(PARAGRAPHS[1], "Zoë Müller-Brandt and Siobhán O'Neill said " + PARAGRAPHS[1])
    result = extract_html(html.encode("utf-8"), URL)
    assert isinstance(result, Extraction)
    assert "Zoë Müller-Brandt and Siobhán O'Neill" in result.text


def test_missing_charset_cp1252_bytes_decoded():
    raw = ("<html><body><p>Les caf\u00e9s de la r\u00e9gion ferment t\u00f4t \u00e0 cause de la "
           "gr\u00e8ve g\u00e9n\u00e9rale d\u00e9cid\u00e9e hier.</p></body></html>").encode("cp1252")
    assert "caf\u00e9s de la r\u00e9gion" in decode_html(raw)


def test_page_encoding_wins_over_meta():
    html = wordpress_article().replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    html = html.replace(PARAGRAPHS[0], "Zoë said " + PARAGRAPHS[0])
    page = FetchedPage(url=URL, final_url=URL, status=200, body=html.encode("utf-8"),
                       headers={"content-type": "text/html; charset=utf-8"}, encoding="utf-8")
    result = extract(page)
    assert isinstance(result, Extraction)
    assert result.text.startswith("Zoë said")


def test_non_html_content_type():
    page = FetchedPage(url=URL, final_url=URL, status=200, body=b"\x89PNG\r\n", headers={"content-type": "image/png"})
    result = extract(page)
    assert isinstance(result, Rejected) and result.reason == "not-html"


#: Why a page may be rejected; "parse-error" only when lxml finds no document at all.
REASONS = {*KINDS, "too-short", "empty", "not-html", "parse-error"}


@contextlib.contextmanager
def nothing_swallowed() -> Iterator[list[BaseException]]:
    """Fails when extraction raised inside ``extract_html``, even though it returned a Rejected.

    ``extract_html`` turns every exception into ``Rejected("parse-error")`` (its contract with
    the crawl), which would hide a crash on odd input from any test of its result alone.
    """
    raised: list[BaseException] = []
    inner = extract_module._extract

    def watched(*args, **kwargs):
        try:
            return inner(*args, **kwargs)
        except BaseException as exc:
            raised.append(exc)
            raise

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extract_module, "_extract", watched)
        yield raised
    assert raised == [], f"extraction raised {raised[0]!r} and extract_html swallowed it"


def check_outcome(result: Extraction | Rejected) -> None:
    """An extraction, or a rejection for a documented reason that no exception caused."""
    assert isinstance(result, (Extraction, Rejected))
    if isinstance(result, Rejected):
        assert result.reason in REASONS, result
        assert result.reason != "parse-error" or result.detail == "no HTML document", result


@pytest.mark.parametrize("html", ["<" * 10000, "\x00" * 100 + "<html>", "<html><body>" + "<div>" * 5000])
def test_never_raises(html):
    with nothing_swallowed():
        result = extract_html(html, URL)
    check_outcome(result)


def test_a_value_that_is_no_document_is_rejected_not_raised():
    """The one input that does reach the catch-all: not bytes or text at all (a caller's bug)."""
    result = extract_html(12345, URL)  # type: ignore[arg-type]
    assert isinstance(result, Rejected) and result.reason == "parse-error"
    assert result.detail.startswith("AttributeError: "), result.detail


def test_min_words_threshold():
    html = wordpress_article()
    assert isinstance(extract_html(html, URL, min_words=5000), Rejected)
    assert extract_html(html, URL, min_words=5000).reason == "too-short"


def test_picklable_and_repeatable():
    assert pickle.loads(pickle.dumps(extract)) is extract
    html = wordpress_article()
    assert extract_html(html, URL) == extract_html(html, URL)


def test_words_in_scripts_without_spaces_count():
    sentence = "市议会周四经过长时间辩论后批准了新的预算方案其中包括道路维修学校经费和图书馆系统的未来安排。"
    html = wordpress_article(lang="zh-CN").replace(
        "".join(f"<p>{p}</p>" for p in PARAGRAPHS), "".join(f"<p>{sentence}</p>" for _ in range(4)))
    result = extract_html(html, URL)
    assert isinstance(result, Extraction), result
    assert result.language == "zh"


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000)))
def test_never_raises_on_arbitrary_input(data):
    with nothing_swallowed():
        result = extract_html(data, URL)
    check_outcome(result)


def test_undeclared_short_english_cp1252_read_as_windows_1252():
    """Detectors guess cp1250 for such text; offline extraction must agree with the crawl."""
    text = "The na\u00efve caf\u00e9 owner said \u201cquoted\u201d \u2013 it costs \u20ac5 for a r\u00e9sum\u00e9."
    assert text in decode_html(f"<html><body><p>{text}</p></body></html>".encode("cp1252"))
