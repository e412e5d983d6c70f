"""The page around the content on the custom-CMS demo site: head, masthead, navigation, the
"Most read" rail and the footer.

The masthead shows the day's date and the weather, the rail view counts, the trending bar
rotating stories: all of it changes with :meth:`CustomSite.refresh_chrome` while the
stories stay the same. A mobile page (another host name) drops the rail and names the
desktop page canonical.
"""

from __future__ import annotations

import html
import json
import random
from typing import TYPE_CHECKING

from archiver.demo.custom.newsroom import SECTIONS
from archiver.demo.model import other_host

if TYPE_CHECKING:
    from archiver.demo.custom.model import Piece
    from archiver.demo.custom.site import CustomSite

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
NAV = ["news/local", "news/north-shore", "news/west-valley", "politics", "business", "sports", "world", "opinion",
       "arts"]
FOOTER_LINKS = [("/about-us", "About us"), ("/site/contact.html", "Contact"), ("/site/terms.html", "Terms of use"),
                ("/site/privacy.html", "Privacy policy"), ("/corrections-policy", "Corrections"),
                ("/newsletters", "Newsletters"), ("/careers", "Careers"), ("/people/", "Our staff"),
                ("/subscribe", "Subscribe")]


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def ld_script(data: object) -> str:
    return ('<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
            + "</script>\n")


def long_date(when) -> str:  # noqa: ANN001 - a datetime
    return f"{WEEKDAYS[when.weekday()]}, {MONTHS[when.month - 1]} {when.day}, {when.year}"


def shown_time(when) -> str:  # noqa: ANN001 - a datetime
    hour = when.hour % 12 or 12
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year} at {hour}:{when.minute:02d} {'a.m.' if when.hour < 12 else 'p.m.'}"


def views(site: CustomSite, piece: Piece) -> str:
    """A view counter that grows every day."""
    count = random.Random(piece.number * 7 + site.edition).randint(200, 40_000) * (site.edition + 1)
    return f"{count:,} views"


def head(site: CustomSite, base: str, path: str, title: str, extra: str, mobile: bool) -> str:
    canonical = f'<link rel="canonical" href="{base}{path}">\n'
    alternate = ("" if mobile else
                 f'<link rel="alternate" media="only screen and (max-width: 640px)" href="{other_host(base)}{path}">\n')
    return (
        '<!DOCTYPE html>\n<html lang="en" class="no-js tnt-cms">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{canonical}{alternate}"
        f'<meta property="og:site_name" content="{esc(site.name)}">\n{extra}'
        '<link rel="stylesheet" href="/assets/app.css">\n<script src="/assets/app.js" defer></script>\n</head>\n'
    )


def masthead(site: CustomSite, base: str, mobile: bool) -> str:
    nav = "".join(f'<li><a href="{base}/{s}/">{esc(SECTIONS[s])}</a></li>' for s in NAV)
    weather = 28 + (site.edition * 7) % 15
    trending = "" if mobile else trending_bar(site, base)
    return (
        '<header class="site-header" id="site-header">\n'
        f'<div class="masthead-date">{long_date(site.today)}</div>'
        f'<div class="weather-widget"><span class="temp">{weather}°F</span> Lakeside</div>\n'
        f'<div class="logo"><a href="{base}/">{esc(site.name)}</a></div>\n'
        f'<nav class="main-nav"><ul>{nav}<li><a href="{base}/video/">Video</a></li>'
        f'<li><a href="{base}/photos/">Photos</a></li></ul></nav>\n'
        f'<form class="search-form" action="{base}/search" method="get"><input type="search" name="q">'
        "<button>Search</button></form>\n"
        f'<a class="subscribe-button" href="{base}/subscribe">Subscribe</a>\n</header>\n{trending}'
    )


def trending_bar(site: CustomSite, base: str) -> str:
    rng = random.Random(site.seed * 13 + site.edition)
    picks = rng.sample(site.pieces, min(4, len(site.pieces)))
    links = "".join(f'<li><a href="{base}{p.path}">{esc(p.title)}</a></li>' for p in picks)
    return f'<div class="trending-bar"><span class="label">Trending:</span><ul>{links}</ul></div>\n'


def rail(site: CustomSite, base: str) -> str:
    rng = random.Random(site.seed * 17 + site.edition)
    picks = rng.sample(site.articles, min(5, len(site.articles)))
    items = "".join(f'<li><a href="{base}{p.path}">{esc(p.title)}</a> <span class="count">{views(site, p)}</span></li>'
                    for p in picks)
    return (f'<aside class="rail"><section class="most-read"><h2>Most read</h2><ol>{items}</ol></section>'
            '<section class="ad-slot"><div class="ad">Advertisement</div></section></aside>\n')


def footer(site: CustomSite, base: str, path: str) -> str:
    links = "".join(f'<li><a href="{base}{p}">{esc(label)}</a></li>' for p, label in FOOTER_LINKS)
    return (
        f'<footer class="site-footer"><ul class="footer-links">{links}</ul>'
        f'<p><a href="{other_host(base)}{path}">Mobile edition</a></p>'
        f'<p class="copyright">&copy; {site.today.year} {esc(site.name)}. All rights reserved.</p></footer>\n'
    )


def document(site: CustomSite, base: str, path: str, title: str, extra_head: str, body_class: str, main: str,
             mobile: bool) -> str:
    """A whole page: head, masthead, the content, the rail (desktop only), the footer."""
    side = "" if mobile else rail(site, base)
    body_class = f"{body_class} mobile".strip() if mobile else body_class
    return (head(site, base, path, title, extra_head, mobile) + f'<body class="{body_class}">\n'
            + masthead(site, base, mobile) + f'<div class="page-wrap">\n<main id="main-content">\n{main}</main>\n'
            + side + "</div>\n" + footer(site, base, path) + "</body>\n</html>\n")
