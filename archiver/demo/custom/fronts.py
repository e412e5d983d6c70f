"""The custom-CMS demo site's other pages: fronts (home, sections, regions, topics, the video
and photo indexes) with "load more" pagination, author profiles, static pages and messages.

Fronts say what they are in different ways (a ``CollectionPage``, a template class, only
their cards); profiles as a ``ProfilePage``, a ``Person`` or ``og:type=profile``; static
pages as an ``AboutPage``, a bare ``WebPage`` or nothing, one of them dated and typed as
an article like the stories.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from archiver.demo.custom.chrome import document, esc, ld_script, long_date
from archiver.demo.custom.newsroom import SECTIONS

if TYPE_CHECKING:
    from archiver.demo.custom.model import Piece, Staffer
    from archiver.demo.custom.site import CustomSite, Front

#: path -> (title, paragraphs, how the page is marked up: "about" | "webpage" | "article" | "none").
STATIC_PAGES: dict[str, tuple[str, list[str], str]] = {
    "/about-us": ("About us", [
        "{name} has covered Lakeside and its neighboring towns since 1887. Today our newsroom of reporters, "
        "photographers, editors and producers publishes around the clock in print, online and on our apps.",
        "We are locally owned and answer to our readers, not to advertisers or political parties. Our journalists "
        "follow a written code of ethics and may not accept gifts, free travel or payment from people they cover.",
        "Our coverage areas include city government, the North Shore and the West Valley, schools, public safety, "
        "the lake and the environment, business, sports and the arts. We also carry stories from news agencies "
        "for national and international news.",
        "Questions about our coverage can be sent to the newsroom at any time. We read every message, and an editor "
        "will respond to requests for corrections within one business day.",
    ], "about"),
    "/site/terms.html": ("Terms of use", [
        "These terms of use govern your access to and use of the websites, applications and newsletters of {name}. "
        "By using the services you agree to these terms; if you do not agree, please do not use the services.",
        "All content on the services, including text, photographs, graphics and video, is protected by copyright. "
        "You may use it for your personal, non-commercial use only and may not republish it without our written "
        "permission.",
        "When you post comments or other content, you grant us a non-exclusive license to publish it. You are "
        "responsible for what you post and agree not to post anything unlawful, defamatory or abusive.",
        "Subscriptions renew automatically until cancelled. You can cancel at any time from your account page; "
        "cancellations take effect at the end of the current billing period.",
        "We may change these terms from time to time. Continued use of the services after a change means you accept "
        "the revised terms. These terms are governed by the laws of the state in which we are located.",
    ], "none"),
    "/site/privacy.html": ("Privacy policy", [
        "This privacy policy describes how {name} collects, uses and shares information about you when you use our "
        "websites, apps and newsletters.",
        "We collect information you give us, such as your name, email address and payment details when you subscribe, "
        "and information collected automatically, such as your device, browser and the pages you read.",
        "We use this information to provide and improve our services, to send newsletters you have asked for, to show "
        "advertising, and to understand how readers use our journalism.",
        "You can opt out of interest-based advertising, unsubscribe from newsletters at any time, and ask us for a copy "
        "of the personal information we hold about you or ask us to delete it.",
    ], "webpage"),
    "/corrections-policy": ("Corrections policy", [
        "{name} strives to be accurate in everything it publishes. When we make a mistake, we correct it promptly and "
        "say so clearly.",
        "Corrections to stories published online are made in the story itself, with a note at the bottom explaining "
        "what was changed and when. Corrections to print stories appear on page A2 of the next edition.",
        "Clarifications are published when a story was accurate but could be misunderstood. Updates that add new "
        "information to a developing story are noted with a time stamp at the top.",
        "To request a correction, email the newsroom with the headline of the story, the date it was published and "
        "the error you found. An editor will review every request and respond within one business day.",
    ], "article"),
    "/newsletters": ("Newsletters", [
        "Get the news that matters to Lakeside delivered to your inbox. Choose the newsletters you want below; all of "
        "them are free.",
    ], "none"),
    "/site/contact.html": ("Contact us", [
        "Reach the newsroom by email or phone, or use the form below. For delivery questions, contact customer service.",
    ], "webpage"),
    "/careers": ("Careers", [
        "Join the team that keeps Lakeside informed. We are hiring reporters, editors, developers and sales staff.",
        "We offer competitive pay, health insurance, paid parental leave and a hybrid schedule. {name} is an equal "
        "opportunity employer.",
    ], "none"),
    "/subscribe": ("Subscribe", [
        "Support local journalism and get unlimited access to every story, the e-edition and our apps.",
    ], "none"),
    "/people/": ("Our staff", ["The reporters, photographers and editors of {name}."], "none"),
}
NEWSLETTERS = [("The Morning Courier", "The day's top stories, every weekday at 6 a.m."),
               ("Prep Sports", "Scores and highlights from every high school game."),
               ("Lake Life", "The best things to do on and around the lake, every Thursday."),
               ("Breaking News", "Alerts when big news breaks.")]


def page_path(front: Front, page: int) -> str:
    return front.path if page == 1 else f"{front.path}?page={page}"


def _card(site: CustomSite, base: str, piece: Piece, lead: bool = False) -> str:
    tag = "h2" if lead else "h3"
    return (f'<div class="card{" lead-story" if lead else ""}"><a class="card-image" href="{base}{piece.path}">'
            f'<img src="{base}/media/{piece.number}-thumb.jpg" alt=""></a><{tag} class="card-headline">'
            f'<a href="{base}{piece.path}">{esc(piece.title)}</a></{tag}><p class="card-summary">'
            f'{esc(piece.description)}</p><time datetime="{piece.published}">'
            f"{long_date(piece.published_dt)}</time></div>\n")


def front_page(site: CustomSite, base: str, front: Front, mobile: bool) -> str:
    """A front: its cards, newest first, and a "Load more" link to the next page."""
    path = page_path(front, front.page)
    url = base + path
    marked = int(hashlib.md5(front.path.encode()).hexdigest(), 16) % 3
    extra = '<meta property="og:type" content="website">\n'
    if front.feed:
        extra += (f'<link rel="alternate" type="application/rss+xml" title="{esc(front.name)}" '
                  f'href="{base}{front.feed}">\n')
    if front.kind == "home":
        extra += ld_script({"@context": "https://schema.org", "@type": "WebSite", "name": site.name, "url": base + "/"})
    elif marked != 2:
        extra += ld_script({"@context": "https://schema.org", "@type": "CollectionPage", "name": front.name, "url": url})
    heading = {"home": "", "topic": f"Topic: {esc(front.name)}"}.get(front.kind, esc(front.name))
    parent = front.path.strip("/").rsplit("/", 1)[0] if "/" in front.path.strip("/") else None
    crumb = f'<a class="breadcrumb" href="{base}/{parent}/">{esc(SECTIONS[parent])}</a>' if parent in SECTIONS else ""
    main = f'<div class="section-header">{crumb}<h1>{heading}</h1></div>\n' if heading else ""
    cards = [_card(site, base, p, lead=(i == 0 and front.page == 1)) for i, p in enumerate(front.items)]
    main += f'<div class="card-list">\n{"".join(cards)}</div>\n'
    if front.page < front.pages:
        main += (f'<div class="load-more-wrap"><a class="load-more button" href="{base}{page_path(front, front.page + 1)}"'
                 f' data-offset="{front.page * len(front.items)}">Load more</a></div>\n')
    body_class = ["section-front", "", "index-page"][marked] if front.kind != "home" else "home-page"
    title = site.name if front.kind == "home" else f"{front.name} | {site.name}"
    return document(site, base, path, title, extra, body_class, main, mobile)


def profile_page(site: CustomSite, base: str, staffer: Staffer, written: list[Piece], mobile: bool) -> str:
    """An author's page: name, role, bio, contacts and their latest stories."""
    path = f"/people/{staffer.slug}"
    person = {"@type": "Person", "name": staffer.name, "jobTitle": staffer.role, "url": base + path,
              "worksFor": {"@type": "NewsMediaOrganization", "name": site.name}}
    extra = ""
    if staffer.profile_markup == "profilepage":
        extra = ld_script({"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person})
    elif staffer.profile_markup == "person":
        extra = ld_script({"@context": "https://schema.org", **person})
    extra += f'<meta property="og:type" content="{"profile" if staffer.profile_markup == "og" else "website"}">\n'
    stories = "".join(f'<div class="card"><h3><a href="{base}{p.path}">{esc(p.title)}</a></h3>'
                      f'<time datetime="{p.published}">{long_date(p.published_dt)}</time></div>\n' for p in written)
    main = (f'<div class="profile-header"><img class="headshot" src="{base}/media/{staffer.slug}.jpg" alt="">'
            f'<h1>{esc(staffer.name)}</h1><p class="job-title">{esc(staffer.role)}</p>'
            f'<p class="contact"><a href="mailto:{staffer.slug}@lakesidecourier.example">Email</a> '
            f'<a href="https://twitter.com/{staffer.slug.replace("-", "")}">Twitter</a></p></div>\n'
            f'<div class="profile-bio"><p>{esc(staffer.name)} is the {esc(staffer.role.lower())} of {esc(site.name)}, '
            f"covering {esc(staffer.beat)}. Before joining the Courier, they worked at newspapers in three states.</p>"
            f"<p>They grew up near the lake and still swim in it every summer.</p></div>\n"
            f'<section class="profile-stories"><h2>Latest from {esc(staffer.name)}</h2>\n{stories}</section>\n')
    body_class = "profile-page" if site.staff.index(staffer) % 2 else "author-page-template"
    return document(site, base, path, f"{staffer.name} | {site.name}", extra, body_class, main, mobile)


def static_page(site: CustomSite, base: str, path: str, mobile: bool) -> str:
    """About, terms, privacy, corrections, newsletters, contact, careers, subscribe, the staff directory."""
    title, paragraphs, marked = STATIC_PAGES[path]
    url = base + path
    extra = ""
    if marked == "about":
        extra += ld_script({"@context": "https://schema.org", "@type": "AboutPage", "name": title, "url": url})
    elif marked == "webpage":
        extra += ld_script({"@context": "https://schema.org", "@type": "WebPage", "name": title, "url": url})
    elif marked == "article":  # the CMS publishes its policies as stories, dated
        extra += ('<meta property="og:type" content="article">\n'
                  '<meta property="article:published_time" content="2019-03-04T09:00:00-06:00">\n')
    body = "".join(f"<p>{esc(p.format(name=site.name))}</p>\n" for p in paragraphs)
    if marked == "article":
        body = '<p class="updated">Updated <time datetime="2019-03-04">March 4, 2019</time></p>\n' + body
    body += _static_extras(site, base, path)
    main = f'<div class="static-content">\n<h1>{esc(title)}</h1>\n{body}</div>\n'
    body_class = "page-static" if path in ("/site/terms.html", "/careers") else ""
    return document(site, base, path, f"{title} | {site.name}", extra, body_class, main, mobile)


def _static_extras(site: CustomSite, base: str, path: str) -> str:
    if path == "/newsletters":
        boxes = "".join(f'<div class="newsletter-option"><h3>{esc(n)}</h3><p>{esc(d)}</p>'
                        f'<label><input type="checkbox" name="list" value="{i}"> Sign up</label></div>\n'
                        for i, (n, d) in enumerate(NEWSLETTERS))
        return (f'<form class="newsletter-signup" action="{base}/api/newsletters" method="post">{boxes}'
                '<input type="email" name="email" placeholder="Email address"><button>Sign up</button></form>\n')
    if path == "/site/contact.html":
        return (f'<form class="contact-form" action="{base}/api/contact" method="post"><input type="email" name="email">'
                '<textarea name="message"></textarea><button>Send</button></form>\n'
                "<p>Newsroom: (555) 010-0199. Customer service: (555) 010-0100.</p>\n")
    if path == "/subscribe":
        offers = "".join(f'<div class="offer"><h3>{esc(n)}</h3><p>{esc(p)}</p></div>' for n, p in
                         (("Digital", "$1 for 6 months, then $9.99 a month"), ("Print + Digital", "$4.99 a week")))
        return (f'<div class="offers">{offers}</div>\n<form id="sign-in" class="sign-in" action="{base}/api/login" '
                'method="post"><input type="email" name="email"><input type="password" name="password">'
                "<button>Sign in</button></form>\n")
    if path == "/careers":
        return ('<ul class="openings"><li><a href="https://jobs.example/courier/1">Metro reporter</a></li>'
                '<li><a href="https://jobs.example/courier/2">Audience editor</a></li></ul>\n')
    if path == "/people/":
        return ('<ul class="staff-directory">' + "".join(
            f'<li><a href="{base}/people/{s.slug}">{esc(s.name)}</a>, {esc(s.role)}</li>' for s in site.staff)
            + "</ul>\n")
    return ""


def message_page(site: CustomSite, base: str, title: str) -> str:
    main = f'<div class="message"><h1>{esc(title)}</h1><p>Try the search or the links below.</p></div>\n'
    return document(site, base, "/", f"{title} | {site.name}", '<meta name="robots" content="noindex">\n',
                    "error-page", main, False)
