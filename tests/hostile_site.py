"""A hostile news site for crawl tests: traps, faults and bad input around a few good articles.

Served on ``127.0.0.1:0`` in a daemon thread, separate from the bundled demo site. Every
request is logged with its Host header and arrival time, so tests can count requests per
trap, check that ``localhost`` (the "other host") is never asked, and measure the gap
between a 429 and its retry. Routes are plain functions of the request; the site's
``articles`` are the pages a crawl must archive.
"""

from __future__ import annotations

import brotli
import gzip
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

WORDS = ("council budget housing transit school river festival election court harbour library bridge "
         "report vote market winter hospital museum farmers parliament police mayor").split()


@dataclass
class Hit:
    method: str
    path: str  #: target as sent, with query
    host: str  #: the Host header
    at: float  #: time.monotonic() on arrival
    status: int = 0


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})


@dataclass
class Article:
    path: str
    title: str
    text: str  #: paragraphs separated by blank lines, as the record's ``text`` should be


def paragraphs(seed: int, count: int = 4, extra: str = "") -> str:
    out = []
    for p in range(count):
        words = [WORDS[(seed * 7 + p * 5 + i * 3) % len(WORDS)] for i in range(30)]
        out.append(f"Paragraph {p + 1} of story {seed}{extra}: " + " ".join(words).capitalize() + ".")
    return "\n\n".join(out)


def article_html(article: Article, *, charset: str | None = "utf-8", links: str = "", date: str = "2024-05-01") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in article.text.split("\n\n"))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                     "datePublished": date, "author": {"@type": "Person", "name": "Ana Pérez"}}, ensure_ascii=True)
    return (f"<!DOCTYPE html><html lang=\"en\"><head>{meta}<title>{article.title}</title>"
            f'<meta property="og:type" content="article"><script type="application/ld+json">{ld}</script></head>'
            f'<body class="single single-post"><nav><a href="/">Home</a></nav><article><h1>{article.title}</h1>'
            f'<p class="byline">By Ana Pérez</p><div class="entry-content">{body}</div></article>{links}</body></html>')


def page(body: str, status: int = 200) -> Reply:
    return Reply(status, f"<!DOCTYPE html><html><head><title>x</title></head><body>{body}</body></html>".encode())


Route = Callable[["HostileSite", str, dict[str, str]], "Reply | Callable[[socket.socket], None]"]


class HostileSite:
    """Routes by path; a route answers a :class:`Reply` or writes to the raw socket itself."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.prefixes: dict[str, Route] = {}
        self.articles: list[Article] = []
        self.html_for: dict[str, bytes] = {}
        self.counts: dict[str, int] = {}
        self.base = ""

    def add_article(self, path: str, title: str, seed: int, *, extra: str = "", encode: Callable[[Article], Reply] | None = None) -> Article:
        article = Article(path, title, paragraphs(seed, extra=extra))
        self.articles.append(article)
        self.routes[path] = (lambda site, target, query, a=article: encode(a)) if encode else (
            lambda site, target, query, a=article: Reply(body=article_html(a).encode()))
        return article

    def seen(self, key: str) -> int:
        """How many times ``key`` was asked for before (for faults that heal after N tries)."""
        count = self.counts.get(key, 0)
        self.counts[key] = count + 1
        return count

    def render(self, target: str) -> Reply | Callable[[socket.socket], None]:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        route = self.routes.get(parts.path)
        if route is None:
            route = next((r for p, r in self.prefixes.items() if parts.path.startswith(p)), None)
        if route is None:
            return page("<p>Not found</p>", 404)
        return route(self, parts.path, query)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        hit = Hit("GET", self.path, self.headers.get("Host", ""), time.monotonic())
        owner.log(hit)
        try:
            reply = owner.site.render(self.path)
        except Exception:  # a bug in a route must show as a 500, not a hung client
            reply = Reply(500, b"route failed")
        if callable(reply):
            hit.status = -1
            self.close_connection = True
            reply(self.connection)
            return
        hit.status = reply.status
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in reply.headers and "Connection" not in reply.headers:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        if reply.headers.get("Connection") == "close":
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class HostileServer:
    """The site on a local port; a context manager with a request log."""

    def __init__(self, site: HostileSite):
        self.site = site
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        site.base = self.base_url

    def log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def paths(self, prefix: str = "") -> list[str]:
        return [h.path for h in self.hits if h.path.startswith(prefix)]

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


# -- raw-socket faults -------------------------------------------------------------------


def reset_mid_body(sock: socket.socket) -> None:
    """Promise 20 kB, send 2 kB, then reset the connection (RST, not a clean close)."""
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 20000\r\n\r\n" + b"<html><p>" + b"x" * 2000)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def stream_without_length(size: int) -> Callable[[socket.socket], None]:
    """A body of ``size`` bytes with no Content-Length, ended by closing the connection."""

    def send(sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>")
        chunk = b"<p>" + b"filler " * 1000 + b"</p>"
        try:
            for _ in range(size // len(chunk) + 1):
                sock.sendall(chunk)
        except OSError:
            pass  # the client hung up at its size limit, as it should

    return send


def sleep_then(seconds: float, reply: Reply) -> Callable[[socket.socket], None]:
    def send(sock: socket.socket) -> None:
        time.sleep(seconds)
        with_length = {**reply.headers, "Content-Length": str(len(reply.body)), "Connection": "close"}
        head = f"HTTP/1.1 {reply.status} OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in with_length.items()) + "\r\n"
        try:
            sock.sendall(head.encode() + reply.body)
        except OSError:
            pass  # the client timed out first

    return send


def trickle(reply: Reply, seconds: float, pieces: int = 10) -> Callable[[socket.socket], None]:
    """A slow but complete answer: the body in ``pieces`` spread over ``seconds``."""

    def send(sock: socket.socket) -> None:
        headers = {**reply.headers, "Content-Length": str(len(reply.body)), "Connection": "close"}
        sock.sendall(("HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode())
        step = len(reply.body) // pieces + 1
        for i in range(0, len(reply.body), step):
            sock.sendall(reply.body[i:i + step])
            time.sleep(seconds / pieces)

    return send


def encoded(body: bytes, coding: str) -> Reply:
    """The body compressed with a Content-Encoding (gzip, deflate or br)."""
    data = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[coding](body)
    return Reply(200, data, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": coding})


# -- the mixed site ----------------------------------------------------------------------

ACCENTS_LATIN1 = " café naïve Zürich façade Ångström señor"
ACCENTS_CP1252 = ACCENTS_LATIN1 + " “quoted” – €5"
#: Path prefixes of the traps, each bounded by the trap guard.
TRAPS = ("/events/", "/deep/", "/loop/", "/shop/", "/live/", "/forum/")
TRAP_LINKS = ("/events/", "/deep/", "/loop/", "/shop/", "/live/", "/forum/?session=s0")
REDIRECTS = ("/r/chain/1", "/r/loop/a", "/r/offsite", "/r/relative", "/r/https", "/r/file", "/r/ftp", "/r/private")
FAULTS = ("/2024/05/20/always-503/", "/2024/05/24/slow/", "/2024/05/26/reset/")
BAD = ("/bad/huge/", "/bad/huge-stream/", "/bad/bomb/", "/bad/binary/", "/bad/empty/")
HOSTILE_LINKS = ("javascript:alert(1)", "mailto:desk@example.org", "file:///etc/passwd", "ftp://127.0.0.1/pub/",
                 "data:text/html,hi", "/private/secret/", "/..%2f..%2f..%2fetc%2fpasswd",
                 "/2024/06/11/%2e%2e%2f%2e%2e%2f" + "x" * 300 + "/")


def _charset_reply(article: Article, *, declared_meta: str | None, header: str | None, codec: str) -> Reply:
    content_type = "text/html" + (f"; charset={header}" if header else "")
    return Reply(200, article_html(article, charset=declared_meta).encode(codec), {"Content-Type": content_type})


def _good_articles(site: HostileSite) -> None:
    for n in range(1, 6):
        site.add_article(f"/2024/05/0{n}/plain-story-{n}/", f"Plain story number {n}", n)
    site.add_article("/2024/05/10/redirect-target/", "Reached through three redirects", 10)
    site.add_article("/2024/05/12/relative-target/", "Reached through a relative Location", 12)
    site.add_article("/2024/06/03/cp1252-meta/", "Windows-1252 declared in meta", 13, extra=ACCENTS_CP1252,
                     encode=lambda a: _charset_reply(a, declared_meta="windows-1252", header=None, codec="cp1252"))
    site.add_article("/2024/06/04/latin1-header/", "Latin-1 declared in the header", 14, extra=ACCENTS_LATIN1,
                     encode=lambda a: _charset_reply(a, declared_meta=None, header="ISO-8859-1", codec="latin-1"))
    site.add_article("/2024/06/05/undeclared-utf8/", "UTF-8 declared nowhere", 15, extra=ACCENTS_CP1252,
                     encode=lambda a: _charset_reply(a, declared_meta=None, header=None, codec="utf-8"))
    site.add_article("/2024/06/06/undeclared-cp1252/", "Windows-1252 declared nowhere", 16, extra=ACCENTS_CP1252,
                     encode=lambda a: _charset_reply(a, declared_meta=None, header=None, codec="cp1252"))
    # accents whose UTF-8 bytes all mean something in windows-1252, so only the bytes being UTF-8 tell
    site.add_article("/2024/06/12/utf8-latin1-header/", "UTF-8 served as Latin-1", 22, extra=ACCENTS_LATIN1,
                     encode=lambda a: _charset_reply(a, declared_meta=None, header="ISO-8859-1", codec="utf-8"))
    for n, coding in enumerate(("gzip", "deflate", "br")):
        site.add_article(f"/2024/06/0{7 + n}/{coding}-body/", f"Compressed with {coding}", 17 + n,
                         encode=lambda a, c=coding: encoded(article_html(a).encode(), c))
    site.add_article("/2024/06/10/escape-codes/", "Title with \x9b31m a CSI", 20, extra=" &#27;[2J&#7; rings",
                     encode=lambda a: Reply(body=article_html(a).encode()))
    site.articles[-1].text = site.articles[-1].text.replace("&#27;[2J&#7;", "\x1b[2J\x07")
    site.add_article("/2024/06/11/escape/", "Traversal in the URL", 21)
    site.prefixes["/2024/06/11/"] = site.routes.pop("/2024/06/11/escape/")


def _flaky(site: HostileSite, path: str, title: str, seed: int, failures: list[Reply]) -> None:
    """An article that answers each of ``failures`` once, then itself."""
    article = site.add_article(path, title, seed)
    good = Reply(body=article_html(article).encode())
    site.routes[path] = lambda s, target, query: (failures + [good])[min(s.seen(target), len(failures))]


def _traps(site: HostileSite) -> None:
    def month(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        year, mon = map(int, (query.get("month") or "2024-05").split("-")[:2])
        prev_m, next_m = (year * 12 + mon - 2, year * 12 + mon)
        links = "".join(f'<a href="/events/?month={m // 12}-{m % 12 + 1:02d}">m</a>' for m in (prev_m, next_m))
        return page(f"<h1>Events {year}-{mon}</h1>{links}")

    def deep(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        depth = target.count("/")
        return page(f'<a href="a{depth}/">a</a><a href="b{depth}/">b</a>')

    def facets(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        names = {"color": "red blue green", "size": "s m l", "brand": "x y z", "sort": "asc desc", "price": "lo hi"}
        links = [f"/shop/?{'&'.join(f'{k}={v}' for k, v in {**query, name: value}.items())}"
                 for name, values in names.items() if name not in query for value in values.split()]
        return page("".join(f'<a href="{link}">f</a>' for link in links))

    def live(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        n = s.seen("live")
        return page(f'<a href="/live/?_={n}">reload</a><a href="/live/a/?cb={n}">a</a><a href="/live/b/?cb={n}">b</a>'
                    f'<a href="/live/;jsessionid=J{n}">j</a><a href="/live/?sid=S{n}">s</a>')

    def forum(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        n = s.seen("forum")
        return page(f'<a href="/forum/?session=s{n}">f</a><a href="/forum/thread/?session=t{n}">t</a>')

    site.routes["/events/"] = month
    site.prefixes["/deep/"] = deep
    site.prefixes["/loop/"] = lambda s, target, query: page('<a href="loop/">again</a>')
    site.routes["/shop/"] = facets
    site.prefixes["/live/"] = live
    site.prefixes["/forum/"] = forum


def _redirects(site: HostileSite) -> None:
    def to(location: str, status: int = 301) -> Route:
        return lambda s, target, query: Reply(status, b"", {"Location": location.replace("BASE", s.base).replace(
            "HOST", s.base.split("//")[1]).replace("PORT", s.base.rsplit(":", 1)[1])})

    site.routes.update({
        "/r/chain/1": to("/r/chain/2"), "/r/chain/2": to("BASE/r/chain/3", 302),
        "/r/chain/3": to("/2024/05/10/redirect-target/", 307),
        "/r/loop/a": to("/r/loop/b"), "/r/loop/b": to("/r/loop/a"),
        "/r/offsite": to("http://localhost:PORT/2024/05/01/plain-story-1/"),
        "/r/relative": to("../2024/05/12/relative-target/"),
        "/r/https": to("https://HOST/2024/05/13/https-target/"),
        "/r/file": to("file:///etc/passwd"), "/r/ftp": to("ftp://HOST/pub/"),
        "/r/private": to("http://10.255.255.1/admin/"),
    })


def _faults_and_bad_content(site: HostileSite) -> None:
    site.routes["/2024/05/20/always-503/"] = lambda s, t, q: Reply(503, b"busy", {"Content-Type": "text/plain"})
    _flaky(site, "/2024/05/21/flaky-500/", "Fails twice with 500, then works", 30, [Reply(500, b"oops")] * 2)
    _flaky(site, "/2024/05/22/bad-gateway/", "Fails once with 502, then works", 31, [Reply(502, b"gateway")])
    _flaky(site, "/2024/05/23/rate-limited/", "Rate limited once, then works", 32,
           [Reply(429, b"slow down", {"Retry-After": "1", "Content-Type": "text/plain"})])
    site.routes["/2024/05/24/slow/"] = lambda s, t, q: sleep_then(4.0, page("<p>too late</p>"))
    slowly = site.add_article("/2024/05/25/trickle/", "Slow but complete", 33)
    site.routes[slowly.path] = lambda s, t, q, a=slowly: trickle(Reply(body=article_html(a).encode()), 1.0)
    site.routes["/2024/05/26/reset/"] = lambda s, t, q: reset_mid_body
    truncated = site.add_article("/2024/05/27/truncated/", "Truncated mid-page", 34)
    cut = article_html(truncated).encode()
    site.routes[truncated.path] = lambda s, t, q, body=cut[: cut.index(b"</div>") - 5]: Reply(body=body)
    truncated.text = truncated.text[: truncated.text.rindex(" ")]  # the last word may be cut
    broken = site.add_article("/2024/05/28/malformed/", "Malformed markup", 35)
    bad_markup = article_html(broken).replace("</p>", "").replace("<h1>", "<h1><b><i>").replace("</h1>", "</b></h1></span></div>")
    site.routes[broken.path] = lambda s, t, q, body=bad_markup.encode(): Reply(body=body)
    site.routes["/bad/huge/"] = lambda s, t, q: Reply(body=b"<html><p>" + b"big " * 800_000)
    site.routes["/bad/huge-stream/"] = lambda s, t, q: stream_without_length(3_000_000)
    bomb = gzip.compress(b"<html>" + b"\0" * 30_000_000)
    site.routes["/bad/bomb/"] = lambda s, t, q: Reply(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    noise = bytes((i * 7919 + 13) % 256 for i in range(50_000))
    site.routes["/bad/binary/"] = lambda s, t, q: Reply(body=noise)
    site.routes["/bad/empty/"] = lambda s, t, q: Reply(body=b"")


def _discovery(site: HostileSite) -> None:
    def sitemap(paths: list[str], lastmod: str = "2024-06-30") -> bytes:
        urls = "".join(f"<url><loc>{site.base}{p}</loc><lastmod>{lastmod}</lastmod></url>" for p in paths)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()

    xml = {"Content-Type": "application/xml"}
    site.routes["/robots.txt"] = lambda s, t, q: Reply(
        200, f"User-agent: *\nDisallow: /private/\nSitemap: {s.base}/sitemap_index.xml\n".encode(), {"Content-Type": "text/plain"})
    site.routes["/sitemap_index.xml"] = lambda s, t, q: Reply(200, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{s.base}{p}</loc></sitemap>" for p in ("/sitemap-posts.xml", "/sitemap-broken.xml"))
        + "</sitemapindex>").encode(), xml)
    site.routes["/sitemap-posts.xml"] = lambda s, t, q: Reply(
        200, sitemap([a.path for a in s.articles if "/2024/06/11/" not in a.path] + ["/gone-404/", "/gone-410/"]), xml)
    site.routes["/sitemap-broken.xml"] = lambda s, t, q: Reply(200, b"<html><body>Oops, a page</body></html>", xml)
    site.routes["/feed/"] = lambda s, t, q: Reply(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, {"Content-Type": "application/rss+xml"})
    site.routes["/gone-410/"] = lambda s, t, q: page("<p>Gone</p>", 410)


def build_site() -> HostileSite:
    """Good articles, each hostile case of the issue, and a home page that links them all."""
    site = HostileSite()
    _good_articles(site)
    _traps(site)
    _redirects(site)
    _faults_and_bad_content(site)
    _discovery(site)

    def home(s: HostileSite, target: str, query: dict[str, str]) -> Reply:
        links = [a.path for a in s.articles] + list(TRAP_LINKS + REDIRECTS + FAULTS + BAD + HOSTILE_LINKS)
        links.append(s.base.replace("127.0.0.1", "localhost") + "/2024/05/02/plain-story-2/")
        return page("".join(f'<a href="{link}">{n}</a> ' for n, link in enumerate(links)))

    site.routes["/"] = home
    return site


def big_sitemap_site(urls: int) -> HostileSite:
    """Five articles first in a sitemap of ``urls`` more addresses, half of them forbidden by
    robots.txt and half answering 404; the home page links nothing."""
    site = HostileSite()
    for n in range(5):
        site.add_article(f"/2024/07/0{n + 1}/big-{n}/", f"Big sitemap story {n}", 50 + n)
    paths = [a.path for a in site.articles] + [f"/{'private' if n % 2 else 'missing'}/{n}/" for n in range(urls)]
    xml = {"Content-Type": "application/xml"}
    site.routes["/robots.txt"] = lambda s, t, q: Reply(200, b"User-agent: *\nDisallow: /private/\n", xml)
    site.routes["/sitemap.xml"] = lambda s, t, q: Reply(200, (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{s.base}{p}</loc></url>" for p in paths) + "</urlset>").encode(), xml)
    site.routes["/"] = lambda s, t, q: Reply(body=b"<html><body><p>home</p></body></html>")
    return site
