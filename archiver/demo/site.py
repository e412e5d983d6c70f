"""The demo news site: a deterministic WordPress-like site generated from a seed.

Only article metadata is held in memory; bodies and HTML are regenerated on each
request from per-article seeds, so a 100,000-article site builds in seconds.
``DemoSite.articles`` is the ground truth the tests compare crawls against.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from archiver.demo import feeds, pages, text
from archiver.demo.model import Author, DemoArticle, Listing, other_host
from archiver.demo.responses import DemoResponse, not_modified

PER_PAGE = 10
START = datetime(2017, 1, 1, tzinfo=timezone.utc)
END = datetime(2019, 12, 31, 23, 59, tzinfo=timezone.utc)
MARKUPS = ("jsonld", "meta", "visible")
HTML = "text/html; charset=UTF-8"

ARTICLE_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/]+)(/amp)?(/?)$")
LISTING_PATH = re.compile(r"^(?:/(category|tag|author)/([^/]+))?(?:/page/(\d+))?/$")
POST_SITEMAP = re.compile(r"^/post-sitemap(\d*)\.xml(\.gz)?$")
SYNDICATED_PATH = re.compile(r"^/syndicated/([^/]+)/$")
#: Where the demo's newsroom takes POST requests (see DemoSite._admin).
ADMIN_PATH = "/wp-admin/demo/"


@dataclass
class _Page:
    status: int
    body: str | bytes
    content_type: str = HTML
    last_modified: datetime | None = None
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def iso(dt: datetime) -> str:
    return dt.isoformat()


class DemoSite:
    """A deterministic WordPress-like news site; ``render`` answers any request, without a server."""

    flavour = "wordpress"

    def __init__(self, articles: int = 300, seed: int = 7, name: str = "Demo Gazette"):
        if articles < 1:
            raise ValueError("a demo site needs at least one article")
        self.seed = seed
        self.name = name
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._serial = 0
        self._next_number = 100
        self._by_number: dict[int, DemoArticle] = {}
        self._by_slug: dict[str, DemoArticle] = {}
        self._indexes: dict[str, dict[str, list[DemoArticle]]] | None = None
        self.authors = [Author(n, text.slugify(n), role, beat) for n, role, beat in text.AUTHORS]
        self._author_by_name = {a.name: a for a in self.authors}
        self._author_by_slug = {a.slug: a for a in self.authors}
        self.category_slugs = {c: text.slugify(c) for c in text.CATEGORIES}
        self.tag_slugs = {t: text.slugify(t) for t in text.TAGS}
        span = int((END - START).total_seconds() // 60)
        times = sorted(START + timedelta(minutes=self._rng.randrange(span)) for _ in range(articles))
        self._clock = START
        chronological = [self._new_article(t) for t in times]
        self.articles: list[DemoArticle] = chronological[::-1]  #: newest first; every article once
        self.sitemap_size = min(100, max(2, math.ceil(articles / 3)))
        for article in self._rng.sample(chronological, min(articles, max(2, articles // 30))):
            article.syndicated = True
        self.disallowed_prefixes = ["/wp-admin/", "/private/"]
        self.non_article_paths = ["/about/", "/contact/", "/privacy-policy/", "/advertise/", "/partners/"]

    # -- the model -------------------------------------------------------------------------

    def _new_article(self, when: datetime) -> DemoArticle:
        rng = self._rng
        body_seed = rng.getrandbits(40)
        title = text.make_title(rng, text.cast_for(body_seed))
        slug = base = text.slugify(title)
        n = 2
        while slug in self._by_slug:
            slug, n = f"{base}-{n}", n + 1
        self._next_number += rng.randint(1, 9)  # WordPress ids skip numbers used by revisions and media
        names = [a[0] for a in rng.sample(text.AUTHORS, 2 if rng.random() < 0.15 else 1)]
        modified = when + timedelta(minutes=rng.randint(90, 60 * 24 * 20)) if rng.random() < 0.35 else None
        categories = rng.sample(text.CATEGORIES, 2 if rng.random() < 0.2 else 1)
        article = DemoArticle(
            number=self._next_number, slug=slug, title=title, authors=names, published=iso(when),
            modified=iso(modified) if modified else None, categories=categories,
            tags=rng.sample(text.TAGS, rng.randint(1, 5)), markup=rng.choice(MARKUPS),
            phrase=text.phrase_for(self._serial), body_seed=body_seed,
        )
        self._serial += 1
        self._clock = max(self._clock, modified or when)
        self._by_number[article.number] = article
        self._by_slug[slug] = article
        return article

    def article_by_path(self, path: str) -> DemoArticle | None:
        """The article whose canonical path (or URL) this is."""
        path = urlsplit(path).path or "/"
        article = self._by_slug.get(path.rstrip("/").rsplit("/", 1)[-1])
        return article if article is not None and article.path == path else None

    def article_by_number(self, number: int) -> DemoArticle | None:
        return self._by_number.get(number)

    def publish(self, n: int) -> list[DemoArticle]:
        """Add ``n`` articles dated after everything else (for incremental-crawl tests)."""
        with self._lock:
            new = []
            for _ in range(n):
                when = self._clock + timedelta(minutes=self._rng.randint(30, 60 * 12))
                new.append(self._new_article(when))
            self.articles[0:0] = new[::-1]
            self._indexes = None
            return new

    def update(self, number: int, new_paragraphs: list[str] | None = None) -> DemoArticle:
        """Correct an article's body (default: append a correction note) and bump its modified time."""
        with self._lock:
            article = self._by_number.get(number)
            if article is None:
                raise KeyError(f"no article number {number}")
            article.revision += 1
            if new_paragraphs is None:
                new_paragraphs = article.paragraphs + [text.make_correction(article.body_seed, article.revision)]
            article.body_override = list(new_paragraphs)
            self._clock = max(self._clock, article.last_modified) + timedelta(hours=1)
            article.modified = iso(self._clock)
            return article

    def has_syndicated_copy(self, article: DemoArticle) -> bool:
        return article.syndicated

    def syndicated_path(self, article: DemoArticle) -> str | None:
        return f"/syndicated/{article.slug}/" if article.syndicated else None

    def variant_paths(self, article: DemoArticle) -> list[str]:
        """Every other path this site serves the article's text at (or redirects to it from)."""
        path = article.path
        variants = [f"{path}amp/", f"{path}?print=1", f"/?p={article.number}", path.rstrip("/"),
                    f"{path}?utm_source=twitter&utm_medium=social", f"{path}?fbclid={self.fbclid(article)}"]
        syndicated = self.syndicated_path(article)
        return variants + ([syndicated] if syndicated else [])

    def fbclid(self, article: DemoArticle) -> str:
        return "IwAR" + hashlib.sha1(f"{self.seed}:{article.number}".encode()).hexdigest()[:24]

    @property
    def latest(self) -> datetime:
        """When anything on the site last changed (Last-Modified of listings and feeds)."""
        return self._clock

    def author(self, name: str) -> Author:
        return self._author_by_name[name]

    def recent(self, n: int = 5) -> list[DemoArticle]:
        return self.articles[:n]

    def popular(self) -> list[DemoArticle]:
        """A fixed handful of articles for the sidebar (linked in URL variants)."""
        chosen = random.Random(self.seed * 7 + 1).sample(range(len(self.articles)), min(5, len(self.articles)))
        return [self.articles[i] for i in sorted(chosen)]

    def related(self, article: DemoArticle, n: int = 3) -> list[DemoArticle]:
        pool = self._index("category").get(self.category_slugs[article.categories[0]], [])
        rng = random.Random(article.body_seed)
        picks: list[DemoArticle] = []
        for _ in range(n * 4):
            source = pool if rng.random() < 0.7 and len(pool) > n else self.articles
            candidate = source[rng.randrange(len(source))]
            if candidate is not article and candidate not in picks:
                picks.append(candidate)
            if len(picks) == n:
                break
        return picks

    def syndicated_articles(self) -> list[DemoArticle]:
        return [a for a in self.articles if a.syndicated]

    def _index(self, kind: str) -> dict[str, list[DemoArticle]]:
        """Archive membership (slug → articles, newest first), rebuilt lazily after publish()."""
        with self._lock:
            if self._indexes is None:
                indexes: dict[str, dict[str, list[DemoArticle]]] = {"category": {}, "tag": {}, "author": {}}
                for a in self.articles:
                    for c in a.categories:
                        indexes["category"].setdefault(self.category_slugs[c], []).append(a)
                    for t in a.tags:
                        indexes["tag"].setdefault(self.tag_slugs[t], []).append(a)
                    for name in a.authors:
                        indexes["author"].setdefault(self._author_by_name[name].slug, []).append(a)
                self._indexes = indexes
            return self._indexes[kind]

    def listing(self, kind: str, slug: str | None, page: int) -> Listing | None:
        if kind == "home":
            items, name, path = self.articles, self.name, "/"
        else:
            items = self._index(kind).get(slug or "", [])
            if not items:
                return None
            if kind == "category":
                name = next(c for c, s in self.category_slugs.items() if s == slug)
            elif kind == "tag":
                name = next(t for t, s in self.tag_slugs.items() if s == slug)
            else:
                name = self._author_by_slug[slug or ""].name
            path = f"/{kind}/{slug}/"
        pages_total = max(1, math.ceil(len(items) / PER_PAGE))
        if page > pages_total:
            return None
        return Listing(kind, name, path, items[(page - 1) * PER_PAGE: page * PER_PAGE], page, pages_total)

    def page_kinds(self) -> dict[str, str]:
        """The kind of every page that is not an article, by path: the truth (archiver/extraction/classify.py)."""
        kinds = dict.fromkeys(pages.STATIC_PAGES, "static")
        for kind, slugs in (("home", [None]), ("category", self.category_slugs.values()),
                            ("tag", self.tag_slugs.values()), ("author", [a.slug for a in self.authors])):
            for slug in slugs:
                first = self.listing(kind, slug, 1)
                if first is not None:
                    kinds.update(dict.fromkeys((first.page_path(n) for n in range(1, first.pages + 1)), "listing"))
        return kinds

    def post_sitemaps(self) -> list[list[DemoArticle]]:
        """Posts split into sitemaps, oldest first (Yoast style: new posts land in the last one)."""
        chronological = self.articles[::-1]
        return [chronological[i:i + self.sitemap_size] for i in range(0, len(chronological), self.sitemap_size)]

    # -- HTTP ------------------------------------------------------------------------------

    def render(self, method: str, path_and_query: str, headers: Mapping[str, str], base_url: str) -> DemoResponse:
        """The response to one request (pure: no I/O; ``base_url`` like http://127.0.0.1:PORT)."""
        base = base_url.rstrip("/")
        split = urlsplit(path_and_query)
        path, query = unquote(split.path) or "/", parse_qs(split.query)
        if method == "POST" and path == "/wp-comments-post.php":
            page = _Page(302, b"", headers={"Location": base + "/"})
        elif method == "POST" and path.startswith(ADMIN_PATH):
            page = self._admin(path[len(ADMIN_PATH):], query, base)
        elif method not in ("GET", "HEAD"):
            page = _Page(405, pages.message_page(self, base, "Method not allowed", "This page only answers GET."),
                         headers={"Allow": "GET, HEAD"})
        else:
            page = self._route(path, split.query, query, base)
        return self._finish(page, headers)

    def _admin(self, action: str, query: dict[str, list[str]], base: str) -> _Page:
        """The demo's newsroom, for trying revisions by hand: ``POST /wp-admin/demo/publish?count=N``
        adds N articles, ``POST /wp-admin/demo/update?count=N`` corrects the N newest (under
        /wp-admin/, which robots.txt keeps crawlers out of). Answers the URLs it changed, as JSON."""
        count = query.get("count", ["1"])[0]
        if action not in ("publish", "update") or not count.isdigit() or not 1 <= int(count) <= 1000:
            return _Page(400, json.dumps({"error": "POST /wp-admin/demo/publish or /update, ?count=1..1000"}),
                         "application/json")
        with self._lock:
            if action == "publish":
                changed = self.publish(int(count))
            else:
                changed = [self.update(a.number) for a in self.articles[:int(count)]]
        done = {"publish": "published", "update": "updated"}[action]
        return _Page(200, json.dumps({done: [base + a.path for a in changed]}), "application/json")

    def _finish(self, page: _Page, request_headers: Mapping[str, str]) -> DemoResponse:
        body = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
        out = {"Content-Type": page.content_type, **page.headers}
        if page.status == 200:
            lower = {k.lower(): v for k, v in request_headers.items()}
            modified = (page.last_modified or self._clock).replace(microsecond=0)
            etag = page.etag or '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            out.update({"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)})
            if not_modified(lower, etag, modified):
                return DemoResponse(304, {k: v for k, v in out.items() if k != "Content-Type"}, b"")
        return DemoResponse(page.status, out, body)

    def _route(self, path: str, raw_query: str, query: dict[str, list[str]], base: str) -> _Page:
        if path == "/" and "p" in query:
            article = self._by_number.get(int(query["p"][0])) if query["p"][0].isdigit() else None
            return self._redirect(301, base + article.path) if article else self._not_found(base)
        match = ARTICLE_PATH.match(path)
        if match:
            return self._article(match, raw_query, query, base)
        match = LISTING_PATH.match(path)
        if match:
            return self._listing(match, base)
        match = POST_SITEMAP.match(path)
        if match:
            return self._post_sitemap(int(match.group(1) or 1), bool(match.group(2)), base)
        match = SYNDICATED_PATH.match(path)
        if match:
            article = self._by_slug.get(match.group(1))
            if article is None or not article.syndicated:
                return self._not_found(base)
            return _Page(200, pages.syndicated_page(self, article, base), last_modified=article.last_modified)
        return self._fixed(path, base)

    def _fixed(self, path: str, base: str) -> _Page:
        xml = "application/xml; charset=UTF-8"
        if path == "/robots.txt":
            return _Page(200, feeds.robots_txt(self, base), "text/plain; charset=UTF-8")
        if path == "/feed/":
            return _Page(200, feeds.rss(self, base), "application/rss+xml; charset=UTF-8")
        if path == "/comments/feed/":
            return _Page(200, feeds.comments_rss(self, base), "application/rss+xml; charset=UTF-8")
        if path == "/sitemap_index.xml":
            return _Page(200, feeds.sitemap_index(self, base), xml)
        if path == "/post-archive-sitemap.xml":
            return _Page(200, feeds.nested_sitemap_index(self, base), xml)
        if path == "/page-sitemap.xml":
            return _Page(200, feeds.page_sitemap(self, base), xml)
        if path == "/category-sitemap.xml":
            return _Page(200, feeds.category_sitemap(self, base), xml)
        if path == "/author-sitemap.xml":
            return _Page(200, feeds.author_sitemap(self, base), xml)
        if path == "/sitemap.xml":
            return self._redirect(301, base + "/sitemap_index.xml")
        if path == "/go/partner/":
            return self._redirect(302, other_host(base) + "/partner-landing/")
        if path in pages.STATIC_PAGES or path == "/partner-landing/":
            return _Page(200, pages.static_page(self, base, path))
        if path.startswith(("/private/", "/wp-admin")) or path == "/wp-login.php":
            return _Page(200, pages.message_page(self, base, "Restricted", "Staff only. Please log in."))
        return self._not_found(base)

    def _article(self, match: re.Match[str], raw_query: str, query: dict[str, list[str]], base: str) -> _Page:
        year, month, day, slug, amp, slash = match.groups()
        canonical = f"/{year}/{month}/{day}/{slug}/"
        article = self.article_by_path(canonical)
        if article is None:
            return self._not_found(base)
        if not slash:
            target = canonical + ("amp/" if amp else "")
            return self._redirect(301, base + target + (f"?{raw_query}" if raw_query else ""))
        etag = f'"{article.number}-{article.revision}-{amp and "amp" or ""}{"print" if "print" in query else ""}"'
        if amp:
            body = pages.amp_page(self, article, base)
        elif query.get("print") == ["1"]:
            body = pages.print_page(self, article, base)
        else:
            body = pages.article_page(self, article, base, noindex="replytocom" in query)
        headers = {"Link": f'<{base}/wp-json/>; rel="https://api.w.org/", <{base}/?p={article.number}>; rel=shortlink'}
        return _Page(200, body, last_modified=article.last_modified, etag=etag, headers=headers)

    def _listing(self, match: re.Match[str], base: str) -> _Page:
        kind, slug, number = match.groups()
        if number == "1":
            return self._redirect(301, base + (f"/{kind}/{slug}/" if kind else "/"))
        listing = self.listing(kind or "home", slug, int(number or 1))
        if listing is None:
            return self._not_found(base)
        newest = max((a.last_modified for a in listing.items), default=self._clock)
        return _Page(200, pages.listing_page(self, base, listing), last_modified=max(newest, self._clock))

    def _post_sitemap(self, number: int, gzipped: bool, base: str) -> _Page:
        chunks = self.post_sitemaps()
        if number > len(chunks) or gzipped != feeds.is_gzipped_sitemap(number) or (number == 1 and gzipped):
            return self._not_found(base)
        body = feeds.url_set(base, [(base + a.path, a.last_modified) for a in chunks[number - 1]])
        if gzipped:
            return _Page(200, gzip.compress(body.encode("utf-8"), mtime=0), "application/x-gzip")
        return _Page(200, body, "application/xml; charset=UTF-8")

    def _redirect(self, status: int, location: str) -> _Page:
        return _Page(status, b"", headers={"Location": location})

    def _not_found(self, base: str) -> _Page:
        return _Page(404, pages.not_found_page(self, base))
