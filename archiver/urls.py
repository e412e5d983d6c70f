"""URL canonicalisation: one spelling per address, so duplicates meet on one key.

Two levels:

* :func:`clean_url` is what the crawler requests: fragments, tracking and session
  parameters dropped, scheme and host lower-cased, default port removed, query sorted.
  Pages are never changed by this clean-up, so it is safe before fetching.
* :func:`url_key` is the dedup key of an address: the clean URL without scheme,
  ``www.``, trailing slash, or AMP/print markers. Two URLs with one key are one article.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

#: Query parameters that only track the visitor and never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "cmpid",
        "ocid",
        "ito",
        "sr_share",
        "share",
        "replytocom",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")

#: Session identifiers that make endless unique URLs for one page.
SESSION_PARAMS = frozenset({"sid", "sessionid", "session_id", "phpsessid", "jsessionid", "cfid", "cftoken", "s_id"})
SESSION_PATH = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)

#: Markers of an alternative rendering of the same article (AMP, printer-friendly).
VARIANT_PARAMS = frozenset({"amp", "print", "output", "outputtype", "view", "printable", "noamp"})
VARIANT_PATH_SUFFIX = re.compile(r"/(amp|print)/?$", re.IGNORECASE)

#: WordPress shortlink: ``/?p=123`` names post 123 whatever else the site does.
SHORTLINK = re.compile(r"^p=\d+$")

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

#: An address typed without a scheme that names a port (``127.0.0.1:8000``, ``news.example:8080/x``).
HOST_AND_PORT = re.compile(r"^(\[[0-9a-f:.]+\]|[^/:?#\[\]]+):\d+(?:[/?#]|$)", re.IGNORECASE)
#: One DNS label (after IDNA encoding): letters, digits, hyphens inside, underscores tolerated.
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs, the only ones the crawler fetches."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered in SESSION_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _netloc(host: str, port: int | None, default_ports: tuple[int | None, ...]) -> str:
    """``host[:port]``, with an IPv6 address put back in the brackets ``hostname`` strips."""
    if ":" in host:
        host = f"[{host}]"
    return host if port in default_ports else f"{host}:{port}"


def clean_url(url: str) -> str:
    """The URL to request: no fragment, tracking or session parameters; sorted query.

    Raises ``ValueError`` for URLs that are not absolute http(s) addresses.
    """
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    host = parts.hostname.lower().rstrip(".")
    path = SESSION_PATH.sub("", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query.sort()
    return urlunsplit((scheme, _netloc(host, parts.port, (None, DEFAULT_PORTS.get(scheme))), path, urlencode(query), ""))


def start_url(text: str) -> str:
    """A start URL as a user types it, cleaned; ValueError with a readable reason if it is none.

    Without a scheme, ``https://`` is assumed, or ``http://`` for an address with a port
    (``127.0.0.1:8000``), as browsers and curl do for local servers.
    """
    given = text.strip()
    url = given if "://" in given else f"{'http' if HOST_AND_PORT.match(given) else 'https'}://{given}"
    try:
        url = clean_url(url)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise ValueError(f"not an http(s) URL: {given[:200]!r}") from None
    if not _is_host(parts.hostname or ""):
        raise ValueError(f"not a web address: {given[:200]!r} (give a site's URL, e.g. https://news.example/)")
    return url


def is_local(url: str) -> bool:
    """True when the URL's host is this machine (a loopback name or address)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_host(host: str) -> bool:
    """True for an IP address or a DNS name made of valid labels."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    return bool(host) and all(HOST_LABEL.match(label) for label in labels)


def same_host_path(href: str | None, url: str, host: str) -> str | None:
    """The path of a link (``href`` as the page writes it, relative to ``url``) when it leads
    to ``host`` (lower case, with its port), else None."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    if href.startswith("/") and not href.startswith("//"):
        return href.split("#", 1)[0].split("?", 1)[0] or "/"
    try:
        parts = urlsplit(href if href.startswith(("http://", "https://")) else urljoin(url, href))
    except ValueError:  # "http://[not-an-address]/"
        return None
    if parts.netloc.lower() != host or parts.scheme not in ("http", "https"):
        return None
    return parts.path or "/"


def site_of(url: str) -> str:
    """The site name of a URL: host without ``www.`` (the record's ``site`` field)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def url_key(url: str) -> str:
    """The dedup key: URLs of one article (http/https, www, slash, AMP, print) share it."""
    cleaned = urlsplit(clean_url(url))
    host = site_of(url)
    port = cleaned.port
    path = VARIANT_PATH_SUFFIX.sub("/", cleaned.path).rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(cleaned.query, keep_blank_values=True) if k.lower() not in VARIANT_PARAMS]
    return f"{_netloc(host, port, (None, 80, 443))}{path}" + (f"?{urlencode(query)}" if query else "")


def article_id(canonical_url: str) -> str:
    """Stable record id: a short hash of the canonical URL's dedup key."""
    return hashlib.sha1(url_key(canonical_url).encode("utf-8")).hexdigest()[:16]


def is_variant(url: str) -> bool:
    """True when the URL names an AMP or printer-friendly rendering."""
    parts = urlsplit(url)
    if VARIANT_PATH_SUFFIX.search(parts.path):
        return True
    return any(k.lower() in VARIANT_PARAMS for k, _ in parse_qsl(parts.query, keep_blank_values=True))


def is_shortlink(url: str) -> bool:
    """True for WordPress shortlinks (``/?p=123``), which redirect to the article."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and bool(SHORTLINK.match(parts.query))


def strip_variant(url: str) -> str:
    """The article URL an AMP or print URL stands for (other URLs unchanged)."""
    parts = urlsplit(url)
    path = VARIANT_PATH_SUFFIX.sub("/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in VARIANT_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
