"""The custom-CMS demo site's content pages: stories, photo galleries, live blogs and videos.

Markup varies the way it does across real publishers: JSON-LD (``NewsArticle`` and its
opinion/analysis/review kinds, ``ImageGallery``, ``LiveBlogPosting``, ``VideoObject``; alone,
in an ``@graph`` or in a list), meta tags only, or visible text only; template classes on
some pages and not others; galleries, live blogs and videos under their own paths or in
the story scheme. Stories carry what an extractor must leave out: a "READ MORE" link
inside the body that rotates from day to day, a view counter beside the byline, an author
bio, related stories, a paywall prompt on subscriber-only stories.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from archiver.demo import text
from archiver.demo.custom.chrome import document, esc, ld_script, shown_time, views
from archiver.demo.custom.model import ARTICLE, GALLERY, LIVEBLOG, VIDEO, Piece
from archiver.demo.custom.newsroom import SECTIONS

if TYPE_CHECKING:
    from archiver.demo.custom.site import CustomSite

LD_TYPES = {"news": "NewsArticle", "wire": "NewsArticle", "opinion": "OpinionNewsArticle",
            "analysis": "AnalysisNewsArticle", "review": "ReviewNewsArticle", "editorial": "OpinionNewsArticle",
            "brief": "ReportageNewsArticle"}
CAPTION_SCENES = [
    "Residents of {place} line up outside the community center before the doors open",
    "A volunteer hands out water near the {place} waterfront on a hot afternoon",
    "Fans cheer from the bleachers as the home team takes the field in {place}",
    "Crews work through the night to clear debris from a road outside {place}",
    "Students from {place} gather on the steps of the school for a group photo",
    "A vendor arranges produce at the weekend farmers market in downtown {place}",
    "Firefighters from three departments respond to the blaze on the east side of {place}",
    "Dancers perform during the opening of the festival in {place}",
    "Boats crowd the marina as the regatta gets under way off {place}",
    "A family walks past murals painted by local artists in {place}",
    "Commuters wait for a delayed train at the {place} station",
    "Members of the city council listen to public comment in {place}",
    "Children play in the fountain at the park in the center of {place}",
    "Workers lift the new bridge span into place over the river near {place}",
]
UPDATE_LEADS = ["Officials in {place} said", "Our reporter at the scene in {place} says", "Just in:",
                "A spokesperson for {org} told the Courier that", "Turnout in {place} appears heavy;",
                "Here is what we know so far:", "Correction to an earlier post:", "Reaction is pouring in from {place}."]


def piece_title(rng: random.Random, kind: str, headline: str) -> str:
    """A headline as each kind of page words it (about half say what they are)."""
    if kind == GALLERY:
        return rng.choice([f"Photos: {headline}", f"{headline} in pictures", headline, headline])
    if kind == LIVEBLOG:
        return rng.choice([f"Live updates: {headline}", f"{headline}: live coverage", headline, headline])
    if kind == VIDEO:
        return rng.choice([f"Watch: {headline}", f"VIDEO: {headline}", headline, headline])
    return headline


def _byline_html(site: CustomSite, base: str, piece: Piece) -> str:
    """The byline as shown, each staffer's name a link to their profile."""
    shown = esc(piece.byline)
    for name in piece.authors:
        if site.staffer(name) is not None:
            shown = shown.replace(esc(name), f'<a href="{base}/people/{site.staffer(name).slug}">{esc(name)}</a>', 1)
    return shown


def _ld_people(piece: Piece) -> list[dict]:
    people = [{"@type": "Person", "name": n} for n in piece.authors]
    if piece.credit:
        people.append({"@type": "Organization", "name": piece.credit})
    return people


def _ld(site: CustomSite, base: str, piece: Piece, ld_type: str, extra: dict | None = None) -> str:
    """JSON-LD in one of three shapes real sites use: an @graph, a list, a lone object."""
    url = base + piece.path
    data = {"@type": ld_type, "headline": piece.title, "url": url,
            "datePublished": piece.published, "dateModified": piece.modified or piece.published,
            "author": _ld_people(piece), "mainEntityOfPage": url,
            "publisher": {"@type": "NewsMediaOrganization", "name": site.name, "url": base + "/"},
            "articleSection": SECTIONS[piece.section], "keywords": ", ".join(piece.tags), **(extra or {})}
    shape = piece.number % 3
    if shape == 0:
        return ld_script({"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": url, "url": url, "name": piece.title}, data]})
    if shape == 1:
        crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": SECTIONS[piece.section], "item": f"{base}/{piece.section}/"}]}
        return ld_script([crumbs, {"@context": "https://schema.org", **data}])
    return ld_script({"@context": "https://schema.org", **data})


def _head_meta(site: CustomSite, base: str, piece: Piece, og_type: str | None) -> str:
    out = f'<meta name="description" content="{esc(piece.description)}">\n'
    if og_type:
        out += f'<meta property="og:type" content="{og_type}">\n'
    out += (f'<meta property="og:title" content="{esc(piece.title)}">\n'
            f'<meta property="og:url" content="{base}{piece.path}">\n')
    if piece.markup == "meta":
        author = piece.byline.removeprefix("By ")
        out += (f'<meta name="author" content="{esc(author)}">\n'
                f'<meta property="article:published_time" content="{piece.published}">\n'
                f'<meta property="article:section" content="{esc(SECTIONS[piece.section])}">\n')
        if piece.modified:
            out += f'<meta property="article:modified_time" content="{piece.modified}">\n'
    return out


def _timestamps(piece: Piece) -> str:
    out = (f'<time class="timestamp published" datetime="{piece.published}">Published '
           f"{shown_time(piece.published_dt)}</time>")
    if piece.modified:
        out += f' <time class="timestamp updated" datetime="{piece.modified}">Updated {shown_time(piece.last_modified)}</time>'
    return f'<div class="timestamps">{out}</div>'


def piece_page(site: CustomSite, piece: Piece, base: str, mobile: bool) -> str:
    render = {ARTICLE: story_page, GALLERY: gallery_page, LIVEBLOG: liveblog_page, VIDEO: video_page}[piece.kind]
    return render(site, piece, base, mobile)


def _header(site: CustomSite, base: str, piece: Piece, counter: bool = True) -> str:
    views_html = f'<span class="sep"> | </span><span class="views">{views(site, piece)}</span>' if counter else ""
    return (f'<div class="kicker"><a href="{base}/{piece.section}/">{esc(SECTIONS[piece.section])}</a></div>\n'
            f'<h1 class="headline">{esc(piece.title)}</h1>\n'
            f'<div class="article-byline"><span class="byline">{_byline_html(site, base, piece)}</span>{views_html}'
            f"</div>\n{_timestamps(piece)}\n")


def _related(site: CustomSite, base: str, piece: Piece, heading: str, kind: str = ARTICLE) -> str:
    pool = [p for p in site.pieces if p.kind == kind and p is not piece]
    rng = random.Random(piece.body_seed)
    picks = rng.sample(pool, min(4, len(pool)))
    cards = "".join(f'<div class="related-card"><h3><a href="{base}{p.path}">{esc(p.title)}</a></h3></div>' for p in picks)
    return f'<section class="related-stories"><h2>{esc(heading)}</h2>{cards}</section>\n'


def _read_more(site: CustomSite, base: str, piece: Piece) -> str:
    """A link to another story inside the body; which one changes every day."""
    others = [p for p in site.articles if p is not piece]
    other = random.Random(piece.number + 1000 * site.edition).choice(others)
    return f'<p><strong>READ MORE:</strong> <a href="{base}{other.path}">{esc(other.title)}</a></p>\n'


def story_page(site: CustomSite, piece: Piece, base: str, mobile: bool) -> str:
    og = None if piece.markup == "visible" and piece.number % 2 else "article"
    extra = _head_meta(site, base, piece, og)
    if piece.markup == "jsonld":
        paywall = {"isAccessibleForFree": False, "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False,
                                                              "cssSelector": ".paywall-prompt"}} if piece.paywalled else {}
        extra += _ld(site, base, piece, LD_TYPES[piece.genre], paywall)
    paragraphs = [f"<p>{esc(p)}</p>\n" for p in piece.paragraphs]
    if piece.number % 3 == 1 and len(paragraphs) > 3 and len(site.articles) > 1:
        paragraphs.insert(2, _read_more(site, base, piece))
    if len(paragraphs) > 4:
        paragraphs.insert(4, '<div class="ad-slot inline-ad"><div class="ad">Advertisement</div></div>\n')
    art = ""
    if piece.number % 2 == 0:
        art = (f'<figure class="lead-art"><img src="{base}/media/{piece.number}.jpg" alt="">'
               f"<figcaption>{esc(_caption(piece, 0))} <span class=\"credit\">Jake McAllister / {esc(site.name)}"
               "</span></figcaption></figure>\n")
    paywall = ""
    if piece.paywalled:
        paywall = (f'<div class="paywall-prompt"><h2>Subscribe to keep reading</h2><p>This story is for subscribers. '
                   f'Get unlimited access to {esc(site.name)} for 99 cents.</p><a href="{base}/subscribe">Subscribe</a> '
                   f'<a href="{base}/subscribe#sign-in">Already a subscriber? Sign in</a></div>\n')
    bio = ""
    staffer = site.staffer(piece.authors[0]) if piece.authors else None
    if staffer is not None:
        bio = (f'<div class="author-bio"><p><a href="{base}/people/{staffer.slug}">{esc(staffer.name)}</a> covers '
               f"{esc(staffer.beat)} for {esc(site.name)}. Reach them at {staffer.slug}@lakesidecourier.example."
               "</p></div>\n")
    tags = ", ".join(f'<a href="{base}/topic/{text.slugify(t)}/">{esc(t)}</a>' for t in piece.tags)
    main = (f'<article class="story">\n<header class="story-header">\n{_header(site, base, piece)}</header>\n{art}'
            f'<div class="story-text">\n{"".join(paragraphs)}</div>\n{paywall}{bio}'
            f'<div class="story-tags">Topics: {tags}</div>\n</article>\n'
            + _related(site, base, piece, f"More in {SECTIONS[piece.section]}"))
    body_class = ["story-page", "page-article", "", "template-default"][piece.number % 4]
    return document(site, base, piece.path, f"{piece.title} | {site.name}", extra, body_class, main, mobile)


def _caption(piece: Piece, index: int) -> str:
    rng = random.Random(piece.body_seed * 7 + index)
    cast = text.cast_for(piece.body_seed)
    scene = rng.choice(CAPTION_SCENES).format(place=cast.place)
    return f"{scene}, {rng.choice(['Saturday', 'Sunday', 'Friday evening', 'on Tuesday', 'last week'])}."


def gallery_page(site: CustomSite, piece: Piece, base: str, mobile: bool) -> str:
    extra = _head_meta(site, base, piece, "article" if piece.markup != "visible" else None)
    if piece.markup == "jsonld":
        ld_type = "ImageGallery" if piece.number % 2 else "NewsArticle"
        extra += _ld(site, base, piece, ld_type)
    count = 10 + piece.body_seed % 5
    slides = "".join(
        f'<figure class="slide"><img src="{base}/media/{piece.number}-{i}.jpg" alt="">'
        f"<figcaption>{esc(_caption(piece, i))} <span class=\"credit\">Jake McAllister / {esc(site.name)}</span>"
        "</figcaption></figure>\n" for i in range(count))
    intro = text.make_description(piece.body_seed)
    main = (f'<div class="gallery-container">\n{_header(site, base, piece, counter=False)}'
            f'<p class="gallery-intro">{esc(intro)}</p>\n<div class="gallery-slides">\n{slides}</div>\n</div>\n'
            + _related(site, base, piece, "More photo galleries", GALLERY))
    body_class = "gallery-page" if piece.number % 3 == 0 else "asset-page"
    return document(site, base, piece.path, f"{piece.title} | {site.name}", extra, body_class, main, mobile)


def liveblog_page(site: CustomSite, piece: Piece, base: str, mobile: bool) -> str:
    extra = _head_meta(site, base, piece, "article")
    rng = random.Random(piece.body_seed)
    cast = text.cast_for(piece.body_seed)
    sentences = text.make_paragraphs(piece.body_seed, piece.phrase)
    count = 15 + piece.body_seed % 16
    start = piece.published_dt
    updates = []
    for i in range(count):
        when = start + timedelta(minutes=(count - i) * rng.randint(4, 12))
        lead = rng.choice(UPDATE_LEADS).format(place=cast.place, org=cast.org[0])
        body = sentences[i % len(sentences)]
        updates.append(
            f'<article class="live-update" id="update-{i}"><time datetime="{when.isoformat()}">'
            f"{when.hour % 12 or 12}:{when.minute:02d} {'a.m.' if when.hour < 12 else 'p.m.'}</time>"
            f"<h3>{esc(lead.rstrip(':;.'))}</h3><p>{esc(lead)} {esc(body)}</p></article>\n")
    if piece.markup == "jsonld":
        ld_type = "LiveBlogPosting" if piece.number % 2 else "NewsArticle"
        extra += _ld(site, base, piece, ld_type, {"coverageStartTime": piece.published} if piece.number % 2 else {})
    main = (f'<div class="live-container">\n{_header(site, base, piece, counter=False)}'
            f'<div class="live-summary"><p>{esc(piece.description)}</p></div>\n'
            f'<div class="live-feed">\n{"".join(updates)}</div>\n</div>\n')
    body_class = "liveblog-page" if piece.number % 3 == 0 else "asset-page"
    return document(site, base, piece.path, f"{piece.title} | {site.name}", extra, body_class, main, mobile)


def video_page(site: CustomSite, piece: Piece, base: str, mobile: bool) -> str:
    og = "video.other" if piece.markup != "jsonld" or piece.number % 2 else "article"
    extra = _head_meta(site, base, piece, og)
    if piece.markup == "jsonld":
        extra += ld_script({"@context": "https://schema.org", "@type": "VideoObject", "name": piece.title,
                            "description": piece.description, "uploadDate": piece.published,
                            "thumbnailUrl": f"{base}/media/{piece.number}.jpg", "duration": "PT2M14S",
                            "contentUrl": f"{base}/media/{piece.number}.mp4"})
    player = (f'<div class="video-player" data-video-id="{piece.number}"><video controls preload="none" '
              f'poster="{base}/media/{piece.number}.jpg"><source src="{base}/media/{piece.number}.mp4" '
              'type="video/mp4"></video></div>\n' if piece.number % 2 else
              f'<div class="video-embed"><iframe src="https://www.youtube.com/embed/v{piece.number}" '
              'allowfullscreen></iframe></div>\n')
    main = (f'<div class="video-container">\n{player}{_header(site, base, piece, counter=False)}'
            f'<p class="video-description">{esc(piece.description)} {esc(_caption(piece, 1))}</p>\n</div>\n'
            + _related(site, base, piece, "More video", VIDEO))
    body_class = "video-page" if piece.number % 3 == 0 else "asset-page"
    return document(site, base, piece.path, f"{piece.title} | {site.name}", extra, body_class, main, mobile)
