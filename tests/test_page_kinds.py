"""Page kinds: every page of both demo publishers, and pages shaped like other CMSs'.

A case that names the signal it turns on is also judged with that signal switched off
(``ARCHIVER_EXTRACT_KIND_WEIGHTS={signal: 0}``) and must then come out otherwise: the
signal is shown to decide it. The articles at the end carry a near miss of another kind
(a video player, captioned photos, teasers, timestamps, a paywall) and must stay articles.
"""

from __future__ import annotations

import json

import pytest

from archiver.demo import text
from archiver.demo.custom import CustomSite
from archiver.demo.site import DemoSite
from archiver.extraction.classify import SIGNALS, KindRules
from archiver.extraction.extract import extract_html
from archiver.items import Extraction, Rejected

BASE = "https://news.example.org"


def prose(seed: int, paragraphs: int | None = None) -> str:
    body = text.make_paragraphs(seed, "amber bison lantern")
    return "".join(f"<p>{p}</p>\n" for p in body[:paragraphs])


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>\n'


def page(main: str, *, title: str = "Council Approves Budget", head: str = "", body_class: str = "",
         html_lang: str = "en") -> str:
    """A page with the chrome every news site has around its content."""
    nav = "".join(f'<li><a href="{BASE}/{s}/">{s.title()}</a></li>' for s in ("news", "politics", "sport", "culture"))
    return (f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8"><title>{title} | The Daily Example'
            f'</title><meta property="og:site_name" content="The Daily Example">{head}</head>'
            f'<body class="{body_class}"><header class="site-header"><a href="{BASE}/">The Daily Example</a>'
            f'<nav><ul>{nav}</ul></nav></header><main>{main}</main>'
            f'<footer><a href="{BASE}/about/">About</a> <a href="{BASE}/privacy/">Privacy</a> &copy; 2019</footer>'
            "</body></html>")


def article_ld(kind: str = "NewsArticle", **extra: object) -> str:
    return ld({"@context": "https://schema.org", "@type": kind, "headline": "Council Approves Budget",
               "datePublished": "2019-07-09T10:00:00-05:00", "author": {"@type": "Person", "name": "Jane Doe"},
               **extra})


def captioned(n: int, tag: str = "figure", caption: str = "figcaption") -> str:
    return "".join(f'<{tag} class="item"><img src="/p/{i}.jpg" alt=""><{caption} class="caption">Crowds gather on '
                   f"the waterfront for the opening night of the harvest festival, picture {i} of {n}.</{caption}>"
                   f"</{tag}>" for i in range(n))


def teasers(n: int, tag: str = "h3", prefix: str = "/news/") -> str:
    return "".join(f'<div class="card"><{tag}><a href="{BASE}{prefix}story-about-the-city-number-{i}-{1000 + i}">'
                   f"A story about the city, number {i}</a></{tag}><p>A sentence that sums the story up for readers "
                   f"who scan the page.</p><time datetime=\"2019-07-0{i % 9 + 1}\">July {i % 9 + 1}</time></div>"
                   for i in range(n))


def updates(n: int) -> str:
    return "".join(f'<div class="post"><time datetime="2019-07-09T{10 + i // 6}:{i % 6}5">{10 + i // 6}:{i % 6}5'
                   f"</time><p>Officials said the water had reached the second step of the old pier, and crews were "
                   f"moving sandbags to the shops along the harbor road, update {i}.</p></div>" for i in range(n))


HEADER = ('<h1>Council Approves Budget</h1><div class="byline">By <a href="/people/jane-doe">Jane Doe</a></div>'
          '<time class="published" datetime="2019-07-09T10:00:00-05:00">July 9, 2019</time>')
PLAYER = '<div class="video-player"><iframe src="https://www.youtube.com/embed/abc123" allowfullscreen></iframe></div>'
OG_ARTICLE = '<meta property="og:type" content="article">'

#: (name, html, url, kind, the signal that decides it or None)
CASES = [
    # -- live blogs
    ("arc liveblog typed LiveBlogPosting", page(HEADER + prose(1, 4), head=OG_ARTICLE + ld(
        {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Council Approves Budget",
         "coverageStartTime": "2019-07-09T10:00:00-05:00", "author": {"@type": "Person", "name": "Jane Doe"}})),
     f"{BASE}/politics/2019/07/09/council-budget/", "liveblog", "ld-liveblog"),
    ("liveblog typed NewsArticle, told by its timestamped updates", page(HEADER + updates(12), head=article_ld()),
     f"{BASE}/news/storm-reaches-the-harbor-4471", "liveblog", "updates"),
    ("german liveticker without markup", page('<h1>Sturmflut an der Küste</h1><div class="byline">Von Anna Muster'
                                              "</div>" + updates(9), title="Liveticker: Sturmflut an der Küste",
                                              html_lang="de"),
     f"{BASE}/liveticker/sturmflut-an-der-kueste", "liveblog", None),
    # -- galleries
    ("brightspot gallery typed ImageGallery", page(HEADER + captioned(4), head=ld(
        {"@context": "https://schema.org", "@type": "ImageGallery", "name": "Harvest festival"})),
     f"{BASE}/news/harvest-festival-2019", "gallery", "ld-gallery"),
    ("drupal gallery told by its captions", page(HEADER + "<p>The festival opened on Friday.</p>"
                                                 + captioned(9, "div", "div"), head=OG_ARTICLE,
                                                 body_class="path-node page-node-type-gallery"),
     f"{BASE}/lokales/erntefest", "gallery", "captions"),
    ("gallery typed NewsArticle, told by its captions", page(HEADER + "<p>The festival opened.</p>" + captioned(12),
                                                             head=article_ld() + OG_ARTICLE),
     f"{BASE}/news/harvest-festival-opens-on-the-waterfront-4410", "gallery", "captions"),
    # -- videos
    ("brightspot video page", page(PLAYER + HEADER + "<p>Watch the council vote on the budget.</p>", head=ld(
        {"@context": "https://schema.org", "@type": "VideoObject", "name": "Council vote",
         "uploadDate": "2019-07-09", "thumbnailUrl": "/t.jpg"})),
     f"{BASE}/news/council-vote-4411", "video", "ld-video"),
    ("video page told by og:type", page(PLAYER + HEADER + "<p>Watch the council vote on the budget.</p>",
                                        head='<meta property="og:type" content="video.other">'),
     f"{BASE}/news/council-vote-4412", "video", "og-video"),
    # -- listings
    ("section front told by its teasers", page("<h1>Sport</h1>" + teasers(12, prefix="/sport/"),
                                               head='<meta property="og:type" content="website">'),
     f"{BASE}/sport/", "listing", "teasers"),
    ("wordpress category with three posts", page("<h1>Category: Harbor</h1>" + teasers(3, "h2"),
                                                 body_class="archive category category-harbor"),
     f"{BASE}/harbor-news/", "listing", "class-listing"),
    ("collection page with four teasers", page("<h1>Harbor</h1>" + teasers(4), head=ld(
        {"@context": "https://schema.org", "@type": "CollectionPage", "name": "Harbor"})),
     f"{BASE}/harbor/", "listing", "ld-listing"),
    ("region front, parent of its stories", page('<h1>North County</h1>' + teasers(5, prefix="/news/north-county/")
                                                 + '<a class="more" href="?page=2">Load more</a>'),
     f"{BASE}/news/north-county/", "listing", "parent-of-articles"),
    ("home page", page(teasers(3, "h2")), f"{BASE}/", "listing", "root-url"),
    ("home page, its second page", page(teasers(3, "h2")), f"{BASE}/?page=2", "listing", "root-url"),
    ("edition home page told by its body class", page(teasers(3, "h2"), body_class="homepage"),
     f"{BASE}/edition/international", "listing", "class-listing"),
    ("ghost tag page", page("<h1>Climate</h1>" + teasers(9, "h2"), body_class="tag-template tag-climate"),
     f"{BASE}/tag/climate/", "listing", None),
    ("search results", page("<h1>Results for climate</h1>" + teasers(10)), f"{BASE}/search?q=climate", "listing", None),
    # -- profiles
    ("profile page typed ProfilePage", page('<h1>Jane Doe</h1><p>Jane covers City Hall.</p>' + teasers(3), head=ld(
        {"@context": "https://schema.org", "@type": "ProfilePage", "name": "Jane Doe"})),
     f"{BASE}/people/jane-doe", "profile", "ld-profile"),
    ("profile page typed ProfilePage about a Person", page('<h1>Jane Doe</h1><p>Jane covers City Hall.</p>' + teasers(3),
                                                           head=ld({"@context": "https://schema.org",
                                                                    "@type": "ProfilePage", "mainEntity": {
                                                                        "@type": "Person", "name": "Jane Doe"}})),
     f"{BASE}/staff/jane-doe", "profile", None),
    ("profile told by og:type", page('<h1>Jane Doe</h1><p>Jane covers City Hall.</p>' + teasers(3),
                                     head='<meta property="og:type" content="profile">'),
     f"{BASE}/by/jane-doe", "profile", "og-profile"),
    ("profile as a Person", page('<h1>Jane Doe</h1><p>Jane covers City Hall.</p>' + teasers(3), head=ld(
        {"@context": "https://schema.org", "@type": "Person", "name": "Jane Doe", "jobTitle": "Reporter"})),
     f"{BASE}/profile/janedoe", "profile", "ld-person"),
    # -- static pages
    ("german impressum", page("<h1>Impressum</h1><p>Verantwortlich für den Inhalt: Example Verlag GmbH, "
                              "Hafenstraße 1, 20457 Hamburg.</p><p>Telefon: 040 123456</p>", title="Impressum",
                              html_lang="de"),
     f"{BASE}/impressum", "static", "url-static"),
    ("french legal notice, a wordpress page", page("<h1>Informations légales</h1>" + prose(3, 3), html_lang="fr",
                                                   body_class="page-template-default page page-id-12"),
     f"{BASE}/infos-legales/", "static", "class-static"),
    ("about page typed AboutPage", page("<h1>Our mission</h1>" + prose(4, 2), head=ld(
        {"@context": "https://schema.org", "@type": "AboutPage", "name": "Our mission"})),
     f"{BASE}/who-we-serve", "static", "ld-static"),
    ("dated corrections policy typed as an article", page(
        '<h1>Corrections policy</h1><p class="updated">Updated <time datetime="2019-03-04">March 4, 2019</time></p>'
        + prose(5, 4), title="Corrections policy", head=OG_ARTICLE + '<meta property="article:published_time" '
        'content="2019-03-04T09:00:00-06:00">'),
     f"{BASE}/corrections-policy", "static", "url-static"),
    ("spanish privacy policy", page("<h1>Política de privacidad</h1>" + prose(6, 3), title="Política de privacidad",
                                    html_lang="es"),
     f"{BASE}/politica-de-privacidad/", "static", None),
    ("newsletter sign-up", page('<h1>Newsletters</h1><p>Pick the ones you want.</p><form action="/api/nl">'
                                '<input type="email" name="email"><button>Sign up</button></form>',
                                title="Newsletters"),
     f"{BASE}/newsletters", "static", None),
    # -- other
    ("soft 404", page("<h1>Oops</h1><p>Nothing here.</p>", body_class="error404"), f"{BASE}/nothing/", "other",
     "class-error"),
    ("product page", page("<h1>Tote bag</h1><p>Our tote bag, $25.</p>", head=ld(
        {"@context": "https://schema.org", "@type": "Product", "name": "Tote bag"})),
     f"{BASE}/shop/tote-bag", "other", "ld-other"),
]

#: Articles with a near miss of another kind: each must stay an article.
ARTICLES = [
    ("article with an embedded video", page(HEADER + PLAYER + prose(7, 2), head=article_ld()),
     f"{BASE}/news/council-approves-budget-4413"),
    ("article with three captioned photos", page(HEADER + captioned(3) + prose(8), head=article_ld()),
     f"{BASE}/news/council-approves-budget-4414"),
    ("short wire brief, meta only", page(HEADER + prose(9, 1), head=OG_ARTICLE + '<meta name="author" content="AFP">'
                                         '<meta property="article:published_time" content="2019-07-09">'),
     f"{BASE}/world/brief-4415"),
    ("blog post without markup, related teasers and timed comments", page(
        "<h1>What I learned on the pier</h1>" + prose(10) + '<section class="related">' + teasers(10) + "</section>"
        + '<ol class="comment-list">' + updates(8) + "</ol>"),
     f"{BASE}/what-i-learned-on-the-pier/"),
    ("news article on live music", page(HEADER + prose(11), head=article_ld()),
     f"{BASE}/news/live-music-returns-to-the-pier"),
    ("news article about privacy", page(HEADER + prose(12), head=article_ld()),
     f"{BASE}/privacy-advocates-sue-over-cameras"),
    ("ghost post", page(HEADER + prose(13), body_class="post-template tag-harbor"), f"{BASE}/harbor-report-2019/"),
    ("wordpress post with a page template class", page(HEADER + prose(14),
                                                       body_class="post-template-default single single-post "
                                                                  "postid-88 page-template-wide"),
     f"{BASE}/2019/07/09/council-approves-budget/"),
    ("interview with many question headings", page(HEADER + "".join(
        f"<h3>Question {i}: what happens next?</h3><p>{p}</p>" for i, p in enumerate(text.make_paragraphs(15, "x"))),
        head=article_ld("NewsArticle")), f"{BASE}/news/an-interview-with-the-mayor-4416"),
]


def judged(html: str, url: str, weights: dict[str, float] | None = None) -> str:
    result = extract_html(html, url, min_words=0, rules=KindRules(weights or {}))
    return result.reason if isinstance(result, Rejected) else "article"


@pytest.mark.parametrize(("html", "url", "kind", "signal"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_page_kind(html, url, kind, signal):
    assert judged(html, url) == kind
    if signal:
        assert signal in SIGNALS
        assert judged(html, url, {signal: 0}) != kind, f"{signal} switched off changes nothing"


@pytest.mark.parametrize(("html", "url"), [c[1:] for c in ARTICLES], ids=[c[0] for c in ARTICLES])
def test_stays_an_article(html, url):
    result = extract_html(html, url, min_words=0)
    assert isinstance(result, Extraction), (result.reason, result.detail)


@pytest.mark.parametrize("site", [DemoSite(articles=60, seed=7), CustomSite(articles=60, seed=11)],
                         ids=["wordpress", "custom"])
def test_every_demo_page_gets_its_true_kind(site):
    base = "http://127.0.0.1:8000"
    wrong = []
    truth = {**site.page_kinds(), **{a.path: "article" for a in site.articles}}
    for path, kind in truth.items():
        response = site.render("GET", path, {"Host": "127.0.0.1:8000"}, base)
        assert response.status == 200, path
        if judged(response.body, base + path) != kind:
            wrong.append((path, kind, judged(response.body, base + path)))
    assert wrong == []
    assert {"listing", "static"} <= set(truth.values())


def test_custom_demo_has_every_kind():
    kinds = set(CustomSite(articles=60, seed=11).page_kinds().values())
    assert kinds == {"listing", "static", "profile", "gallery", "liveblog", "video"}


def test_any_page_extraction_names_the_kind():
    html, url = CASES[5][1], CASES[5][2]
    result = extract_html(html, url, any_page=True)
    assert isinstance(result, Extraction) and result.kind == "gallery"
    assert "captions" in result.kind_signals


def test_archived_kinds_are_a_setting():
    html, url = CASES[1][1], CASES[1][2]
    assert isinstance(extract_html(html, url), Rejected)
    kept = extract_html(html, url, rules=KindRules(archived=frozenset({"article", "liveblog"})))
    assert isinstance(kept, Extraction) and kept.kind == "liveblog"


@pytest.mark.parametrize(("weights", "kinds", "message"), [
    ({"no-such-signal": 1}, None, "unknown page-kind signals no-such-signal"),
    (None, ["article", "podcast"], "unknown page kinds podcast"),
])
def test_bad_rules_name_what_is_wrong(weights, kinds, message):
    with pytest.raises(ValueError, match=message):
        KindRules.from_settings(weights, 3.0, kinds)


# -- paywalls -------------------------------------------------------------------------------

PAYWALL_BOX = ('<div class="paywall"><h2>Subscribe to keep reading</h2><a href="/subscribe">Subscribe</a> '
               '<a href="/login">Sign in</a></div>')


@pytest.mark.parametrize(("head", "extra", "paywalled"), [
    (article_ld(isAccessibleForFree=False), "", True),
    (article_ld(isAccessibleForFree="False", hasPart={"@type": "WebPageElement", "isAccessibleForFree": "False",
                                                      "cssSelector": ".paywall"}), "", True),
    (article_ld(hasPart={"@type": "WebPageElement", "isAccessibleForFree": False}), "", True),
    ('<meta property="article:content_tier" content="locked">', "", True),
    ("", PAYWALL_BOX, True),
    ("", PAYWALL_BOX.replace("<div", "<aside").replace("</div>", "</aside>"), True),
    (article_ld(), '<div class="newsletter"><p>Subscribe to our newsletter</p></div>', False),
    ('<meta property="article:content_tier" content="metered">', "", False),
    (article_ld(isAccessibleForFree=True), "", False),
], ids=["ld-article", "ld-haspart-strings", "ld-haspart", "content-tier", "paywall-box", "paywall-aside",
        "newsletter-box", "metered",
        "free"])
def test_paywalled(head, extra, paywalled):
    html = page(HEADER + prose(16, 1) + extra, head=head)
    result = extract_html(html, f"{BASE}/news/council-approves-budget-4417", min_words=0)
    assert isinstance(result, Extraction)
    assert result.paywalled is paywalled


def test_paywalled_teaser_is_kept_whatever_its_length():
    teaser = page(HEADER + "<p>The council voted late on Tuesday to approve the budget.</p>" + PAYWALL_BOX,
                  head=article_ld(isAccessibleForFree=False))
    url = f"{BASE}/news/council-approves-budget-4418"
    result = extract_html(teaser, url)
    assert isinstance(result, Extraction) and result.paywalled and result.word_count < 40
    free = extract_html(teaser.replace('"isAccessibleForFree": false', '"isAccessibleForFree": true')
                        .replace(PAYWALL_BOX, ""), url)
    assert isinstance(free, Rejected) and free.reason == "too-short"
