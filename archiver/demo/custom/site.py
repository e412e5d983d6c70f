"""The custom-CMS demo publisher: a deterministic news site of another shape than WordPress.

Shaped like a regional daily on its own CMS mid-migration: story URLs without dates in
two schemes (the new ``/politics/slug-1234567`` and the legacy
``/news/slug/article_<uuid>.html``), a sitemap index at a path that only robots.txt
names (a Google News sitemap, monthly sitemaps, sections, pages), section and region
fronts with "load more" pagination (``?page=2``), feeds linked only from section
fronts, topic pages, video and photo indexes, a mobile host whose pages name the desktop
page canonical, and beside its stories the pages a crawler must not archive: photo
galleries, live blogs, video pages, author profiles, static pages (about, terms,
privacy, a dated corrections policy, newsletters, a people directory...). Markup varies
from page to page (JSON-LD, meta tags, visible text only), so no single signal tells
the kinds apart.

``CustomSite.articles`` and :meth:`CustomSite.page_kinds` are the ground truth;
:meth:`CustomSite.refresh_chrome` changes only the page around the stories (masthead
date, counters, rotating links), as a day passing does.
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from archiver.demo import text
from archiver.demo.custom import feeds, fronts, pages
from archiver.demo.custom.model import ARTICLE, GALLERY, LIVEBLOG, VIDEO, Piece, Staffer
from archiver.demo.custom.newsroom import (
    COLUMNISTS,
    CRITICS,
    GENRE_SECTIONS,
    GENRES,
    SECTIONS,
    SITE_NAME,
    STAFF,
    piece_credit,
    story_credit,
)
from archiver.demo.responses import DemoResponse, not_modified

ZONE = ZoneInfo("America/Chicago")
END = datetime(2019, 12, 20, 18, 0, tzinfo=ZONE)
SPAN_DAYS = 200
#: Pieces published before this day keep the legacy CMS's URL scheme.
MIGRATION = datetime(2019, 9, 1, tzinfo=ZONE)
PER_PAGE = 12
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


@dataclass
class _Page:
    status: int
    body: str | bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Front:
    """A listing page: the home page, a section or region front, a topic, an index."""

    kind: str  #: home | section | topic | videos | photos
    name: str
    path: str
    items: list[Piece]
    page: int
    pages: int
    feed: str | None = None  #: the section's RSS feed path (section fronts only)


class CustomSite:
    """A deterministic custom-CMS news site; ``render`` answers any request, without a server."""

    flavour = "custom"

    def __init__(self, articles: int = 300, seed: int = 11, name: str = SITE_NAME):
        if articles < 1:
            raise ValueError("a demo site needs at least one article")
        self.seed = seed
        self.name = name
        self.edition = 0  #: days the chrome has moved on (refresh_chrome)
        self._lock = threading.RLock()
        rng = random.Random(seed)
        self.staff = [Staffer(n, text.slugify(n), role, beat, ["profilepage", "person", "og"][i % 3])
                      for i, (n, role, beat) in enumerate(STAFF + COLUMNISTS + CRITICS)]
        counts = {ARTICLE: articles, GALLERY: max(2, articles // 10), LIVEBLOG: max(2, articles // 25),
                  VIDEO: max(2, articles // 12)}
        kinds = [kind for kind, n in counts.items() for _ in range(n)]
        rng.shuffle(kinds)
        start = END - timedelta(days=SPAN_DAYS)
        times = sorted(start + timedelta(minutes=rng.randrange(SPAN_DAYS * 24 * 60)) for _ in kinds)
        self.pieces = [self._new_piece(rng, kind, when, serial) for serial, (kind, when) in enumerate(zip(kinds, times))]
        self.pieces.reverse()  #: newest first
        self.articles = [p for p in self.pieces if p.kind == ARTICLE]  #: the ground truth of what to archive
        self._by_path = {p.path: p for p in self.pieces}
        self.disallowed_prefixes = ["/search", "/api/", "/preview/", "/tncms/"]
        self.non_article_paths = list(fronts.STATIC_PAGES)

    # -- the model -------------------------------------------------------------------------

    def _new_piece(self, rng: random.Random, kind: str, when: datetime, serial: int) -> Piece:
        genre = rng.choices([g for g, _ in GENRES], [w for _, w in GENRES])[0] if kind == ARTICLE else kind
        credit = story_credit(rng, genre) if kind == ARTICLE else piece_credit(rng, kind)
        body_seed = rng.getrandbits(40)
        title = pages.piece_title(rng, kind, text.make_title(rng, text.cast_for(body_seed)))
        section = rng.choice(GENRE_SECTIONS[genre])
        number = 1_000_000 + serial * 37 + rng.randrange(30)
        slug = text.slugify(title)[:80].rstrip("-")
        modified = when + timedelta(minutes=rng.randint(30, 60 * 24 * 3)) if rng.random() < 0.3 else None
        return Piece(
            number=number, kind=kind, genre=genre, section=section, slug=slug,
            path=self._path(rng, kind, section, slug, number, when), title=title, byline=credit.shown,
            authors=credit.authors, credit=credit.credit, published=when.isoformat(),
            modified=modified.isoformat() if modified else None,
            markup=rng.choice(["jsonld", "jsonld", "meta", "visible"]), phrase=text.phrase_for(10_000 + serial),
            body_seed=body_seed, paywalled=genre in ("news", "analysis") and rng.random() < 0.15,
            tags=rng.sample(text.TAGS[:24], rng.randint(1, 3)),
        )

    def _path(self, rng: random.Random, kind: str, section: str, slug: str, number: int, when: datetime) -> str:
        """Undated URLs: the legacy scheme before the migration, the new one after."""
        if when < MIGRATION:
            uuid = hashlib.md5(f"{self.seed}:{number}".encode()).hexdigest()
            uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
            asset = {GALLERY: "collection", VIDEO: "video"}.get(kind, "article")
            return f"/{section}/{slug}/{asset}_{uuid}.html"
        home = {GALLERY: "photos", VIDEO: "video", LIVEBLOG: "live"}.get(kind)
        if home and rng.random() < 0.6:
            section = home
        return f"/{section}/{slug}-{number}"

    @property
    def latest(self) -> datetime:
        return max(p.last_modified for p in self.pieces)

    @property
    def today(self) -> datetime:
        """The day the masthead shows (moves with :meth:`refresh_chrome`)."""
        return END + timedelta(days=self.edition)

    def refresh_chrome(self) -> None:
        """A day passes: the masthead date, view counters, trending and rotating links change;
        no story does."""
        with self._lock:
            self.edition += 1

    def piece(self, path: str) -> Piece | None:
        return self._by_path.get(path)

    def staffer(self, name: str) -> Staffer | None:
        return next((s for s in self.staff if s.name == name), None)

    def section_pieces(self, section: str) -> list[Piece]:
        """A front's pieces, newest first: its own and its regions' ("news" holds "news/local")."""
        return [p for p in self.pieces if p.section == section or p.section.startswith(section + "/")
                or (section in ("video", "photos", "live") and p.path.startswith(f"/{section}/"))]

    def tags(self) -> list[str]:
        return sorted({t for p in self.pieces for t in p.tags})

    def front(self, kind: str, key: str, page: int) -> Front | None:
        if kind == "home":
            items, name, path = self.pieces, self.name, "/"
        elif kind == "section":
            items, name, path = self.section_pieces(key), SECTIONS[key], f"/{key}/"
        elif kind == "topic":
            items = [p for p in self.pieces if key in p.tags]
            name, path = key, f"/topic/{text.slugify(key)}/"
        else:
            items = [p for p in self.pieces if p.kind == (VIDEO if kind == "videos" else GALLERY)]
            name, path = ("Video", "/video/") if kind == "videos" else ("Photos", "/photos/")
        pages_total = max(1, math.ceil(len(items) / PER_PAGE))
        if page > pages_total or (not items and kind == "topic"):
            return None  # an empty section front still answers; a topic exists through its stories
        feed = f"/feeds/{key.replace('/', '-')}.xml" if kind == "section" else None
        return Front(kind, name, path, items[(page - 1) * PER_PAGE: page * PER_PAGE], page, pages_total, feed)

    def fronts(self) -> list[Front]:
        """Every listing page (each page of each front), for the ground truth and the sitemaps."""
        out = []
        for kind, keys in (("home", [""]), ("section", list(SECTIONS)), ("topic", self.tags()),
                           ("videos", [""]), ("photos", [""])):
            for key in keys:
                first = self.front(kind, key, 1)
                if first is not None:
                    out += [f for n in range(1, first.pages + 1) if (f := self.front(kind, key, n)) is not None]
        return out

    def page_kinds(self) -> dict[str, str]:
        """The kind of every page that is not an article, by path (with its query): the truth."""
        kinds = {p.path: p.kind for p in self.pieces if p.kind != ARTICLE}
        for front in self.fronts():
            kinds[fronts.page_path(front, front.page)] = "listing"
        kinds.update({f"/people/{s.slug}": "profile" for s in self.staff})
        kinds.update(dict.fromkeys(fronts.STATIC_PAGES, "static"))
        return kinds

    # -- HTTP ------------------------------------------------------------------------------

    def render(self, method: str, path_and_query: str, headers: Mapping[str, str], base_url: str) -> DemoResponse:
        """The response to one request (pure: no I/O; ``base_url`` like http://127.0.0.1:PORT).
        A request for another host name is the mobile site: same pages, canonical to ``base_url``."""
        base = base_url.rstrip("/")
        lower = {k.lower(): v for k, v in headers.items()}
        host = lower.get("host", "")
        mobile = bool(host) and host != urlsplit(base).netloc
        split = urlsplit(path_and_query)
        path, query = unquote(split.path) or "/", parse_qs(split.query)
        if method not in ("GET", "HEAD"):
            page = _Page(405, fronts.message_page(self, base, "Method not allowed"), headers={"Allow": "GET, HEAD"})
        else:
            with self._lock:
                page = self._route(path, query, base, mobile)
        return self._finish(page, lower)

    def _finish(self, page: _Page, request_headers: Mapping[str, str]) -> DemoResponse:
        body = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
        out = {"Content-Type": page.content_type, **page.headers}
        if page.status == 200:
            modified = max(self.latest, self.today).replace(microsecond=0)
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            out.update({"ETag": etag, "Last-Modified": format_datetime(modified.astimezone(timezone.utc),
                                                                       usegmt=True)})
            if not_modified(request_headers, etag, modified):
                return DemoResponse(304, {k: v for k, v in out.items() if k != "Content-Type"}, b"")
        return DemoResponse(page.status, out, body)

    def _route(self, path: str, query: dict[str, list[str]], base: str, mobile: bool) -> _Page:
        piece = self._by_path.get(path)
        if piece is not None:
            return _Page(200, pages.piece_page(self, piece, base, mobile))
        if path.rstrip("/") in self._by_path:
            return _Page(301, b"", headers={"Location": base + path.rstrip("/")})
        if path == "/robots.txt":
            return _Page(200, feeds.robots_txt(self, base), "text/plain; charset=utf-8")
        if path.startswith(("/sitemaps/", "/feeds/")):
            return self._xml(path, base)
        if path.startswith("/people/"):
            return self._people(path, base, mobile)
        if path in fronts.STATIC_PAGES:
            return _Page(200, fronts.static_page(self, base, path, mobile))
        front = self._front_for(path, query)
        if front is not None:
            return _Page(200, fronts.front_page(self, base, front, mobile))
        return _Page(404, fronts.message_page(self, base, "Page not found"))

    def _front_for(self, path: str, query: dict[str, list[str]]) -> Front | None:
        number = query.get("page", ["1"])[0]
        page = int(number) if number.isdigit() and number != "0" else 0
        key = path.strip("/")
        if not page:
            return None
        if path == "/":
            return self.front("home", "", page)
        if key in SECTIONS and path.endswith("/"):
            return self.front("section", key, page)
        if key in ("video", "photos"):
            return self.front("videos" if key == "video" else "photos", "", page)
        if path.startswith("/topic/"):
            tag = next((t for t in self.tags() if text.slugify(t) == key.removeprefix("topic/")), None)
            return self.front("topic", tag, page) if tag else None
        return None

    def _people(self, path: str, base: str, mobile: bool) -> _Page:
        if path == "/people/":
            return _Page(200, fronts.static_page(self, base, path, mobile))
        staffer = next((s for s in self.staff if f"/people/{s.slug}" == path), None)
        if staffer is None:
            return _Page(404, fronts.message_page(self, base, "Page not found"))
        written = [p for p in self.articles if staffer.name in p.authors][:5]
        return _Page(200, fronts.profile_page(self, base, staffer, written, mobile))

    def _xml(self, path: str, base: str) -> _Page:
        if path == "/sitemaps/index.xml":
            return _Page(200, feeds.sitemap_index(self, base), XML)
        if path == "/sitemaps/news.xml":
            return _Page(200, feeds.news_sitemap(self, base), XML)
        if path == "/sitemaps/sections.xml":
            return _Page(200, feeds.sections_sitemap(self, base), XML)
        if path == "/sitemaps/pages.xml":
            return _Page(200, feeds.pages_sitemap(self, base), XML)
        if path.startswith("/sitemaps/content-") and path.endswith(".xml"):
            body = feeds.month_sitemap(self, base, path.removeprefix("/sitemaps/content-").removesuffix(".xml"))
            if body is not None:
                return _Page(200, body, XML)
        if path.startswith("/feeds/") and path.endswith(".xml"):
            section = path.removeprefix("/feeds/").removesuffix(".xml").replace("-", "/", 1)
            if section in SECTIONS:
                return _Page(200, feeds.section_rss(self, base, section), "application/rss+xml; charset=utf-8")
        return _Page(404, fronts.message_page(self, base, "Page not found"))
