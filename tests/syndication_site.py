"""A news site that syndicates its stories, for crawl tests of dedup and incremental indexing.

Each story has its own page (a canonical link to itself, JSON-LD) and a partner's
republished copy on the same host (other chrome, no canonical link), as wire and
partner networks serve them. Half the stories are discovered through the copy first
(the home page's "From our partners" box links only the copy, which credits the
original with a link, as republishing partners do); the other half through the
article's own page first (its "Also published by" note links the copy). So one crawl
sees both orders deterministically: a copy re-keyed to the article's own page, and a
copy merged into a stored article. Served by :class:`tests.hostile_site.HostileServer`.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass

from tests.hostile_site import HostileSite, Reply

WORDS = ("harbour council budget housing transit school river festival election court library bridge report vote "
         "market winter hospital museum farmers parliament police mayor ferry tunnel").split()
AUTHORS = ("Ana Pérez", "Tom Okafor", "Ingrid Holm", "Ravi Shah")


@dataclass
class Story:
    slug: str
    title: str
    author: str
    published: str  #: ISO date
    paragraphs: list[str]
    copy_first: bool  #: discovered through the partner's copy

    @property
    def path(self) -> str:
        return f"/{self.published[:4]}/{self.published[5:7]}/{self.published[8:10]}/{self.slug}/"

    @property
    def copy_path(self) -> str:
        return f"/partner/{self.slug}/"


def make_stories(count: int) -> list[Story]:
    stories = []
    for n in range(count):
        rng = random.Random(n)
        words = [rng.choice(WORDS) for _ in range(200)]
        paragraphs = [f"Story {n} of the gazette: " + " ".join(words[p * 40:(p + 1) * 40]).capitalize() + "."
                      for p in range(5)]
        stories.append(Story(slug=f"{WORDS[n % len(WORDS)]}-story-{n}", title=f"The {WORDS[n % len(WORDS)]} story {n}",
                             author=AUTHORS[n % len(AUTHORS)], published=f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}",
                             paragraphs=paragraphs, copy_first=n % 2 == 0))
    return stories


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def own_page(story: Story, base: str) -> str:
    url = base + story.path
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
                     "datePublished": story.published, "author": {"@type": "Person", "name": story.author},
                     "mainEntityOfPage": url}, ensure_ascii=True)
    partner = "" if story.copy_first else (
        f'<p class="syndication">Also published by <a href="{base}{story.copy_path}">Partner News Network</a>.</p>')
    body = "".join(f"<p>{_esc(p)}</p>\n" for p in story.paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(story.title)} | The Gazette</title>'
            f'<link rel="canonical" href="{url}"><meta property="og:type" content="article">'
            f'<script type="application/ld+json">{ld}</script></head>'
            f'<body class="single single-post"><nav><a href="{base}/">The Gazette</a></nav>'
            f'<article class="post"><h1 class="entry-title">{_esc(story.title)}</h1>'
            f'<p class="byline">By {_esc(story.author)} | <time datetime="{story.published}">{story.published}</time></p>'
            f'<div class="entry-content">\n{body}</div>{partner}</article></body></html>')


def partner_copy(story: Story, base: str) -> str:
    body = "".join(f"<p>{_esc(p)}</p>\n" for p in story.paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(story.title)} – '
            'Partner News Network</title><meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_esc(story.title)}"></head><body class="partner-story">'
            '<div class="pnn-topbar"><a href="#">Partner News Network</a></div><main class="pnn-main">'
            f'<article class="story"><h1 class="story-headline">{_esc(story.title)}</h1>'
            f'<p class="story-byline">By {_esc(story.author)} | <time datetime="{story.published}">{story.published}'
            f'</time></p><div class="story-body">\n{body}</div></article>'
            f'<aside class="republish-note">Originally published by <a href="{base}{story.path}">The Gazette</a>.'
            '</aside></main><footer>&copy; Partner News Network</footer></body></html>')


def build_site(count: int = 12) -> tuple[HostileSite, list[Story]]:
    """The site and its stories; the home page links each story by the page found first."""
    site = HostileSite()
    stories = make_stories(count)
    for story in stories:
        site.routes[story.path] = lambda s, t, q, story=story: Reply(body=own_page(story, s.base).encode())
        site.routes[story.copy_path] = lambda s, t, q, story=story: Reply(body=partner_copy(story, s.base).encode())

    def home(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        own = "".join(f'<li><a href="{st.path}">{_esc(st.title)}</a></li>' for st in stories if not st.copy_first)
        partners = "".join(f'<li><a href="{st.copy_path}">{_esc(st.title)}</a></li>' for st in stories if st.copy_first)
        return Reply(body=(f'<!DOCTYPE html><html><head><title>The Gazette</title></head><body><h1>The Gazette</h1>'
                           f'<ul class="latest">{own}</ul><aside><h2>From our partners</h2><ul>{partners}</ul>'
                           '</aside></body></html>').encode())

    site.routes["/"] = home
    return site, stories
