"""Network guard: the crawler only speaks http(s), and only to public addresses.

A page (or a redirect) may point the crawler at ``file:``, ``ftp:`` or a machine on the
crawling host's private network (``http://10.0.0.1/admin``, ``http://169.254.169.254/``
cloud metadata, a DNS name that resolves to ``127.0.0.1``). This downloader middleware
drops such requests before they are sent. Private, loopback and link-local addresses
are allowed only when a start URL is itself on one (crawling the demo site or an
intranet server is a deliberate choice). Host names are resolved with Scrapy's own
(cached, non-blocking) resolver, so the check costs no extra DNS query.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future

from archiver.urls import ALLOWED_SCHEMES

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_internal(address: Address) -> bool:
    """Loopback, private, link-local, unspecified or otherwise non-public addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def ip_literal(host: str) -> Address | None:
    """The address a host name spells directly (``127.0.0.1``, ``[::1]``), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve_locally(host: str) -> list[Address]:
    """Addresses of ``host`` by the system resolver (blocking: for start URLs only)."""
    literal = ip_literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [a for a in (ip_literal(str(info[4][0]).split("%")[0]) for info in infos) if a is not None]


def refusal(url: str, addresses: list[Address], allow_internal: bool) -> str | None:
    """Why ``url`` must not be requested (``"scheme"``, ``"internal"``), or None when it may."""
    if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
        return "scheme"
    if not allow_internal and any(is_internal(a) for a in addresses):
        return "internal"
    return None


class NetworkGuardMiddleware:
    """Drops requests for other schemes, and for internal addresses unless a start URL is one."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.allow_internal = False
        self.known: dict[str, list[Address]] = {}
        crawler.signals.connect(self.opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuardMiddleware:
        return cls(crawler)

    def opened(self, spider: Any) -> None:
        hosts = {urlsplit(u).hostname or "" for u in getattr(spider, "start_urls", [])}
        self.allow_internal = any(is_internal(a) for h in hosts for a in resolve_locally(h))

    async def addresses(self, host: str) -> list[Address]:
        """The host's address(es): an IP literal as is, a name through the crawl's resolver."""
        literal = ip_literal(host)
        if literal is not None or self.allow_internal or not host:
            return [literal] if literal is not None else []
        if host not in self.known:
            from twisted.internet import reactor

            try:
                resolved = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - DNS failures are the download's to report
                resolved = None
            self.known[host] = [a for a in [ip_literal(str(resolved))] if a is not None] if resolved else []
        return self.known[host]

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        http = parts.scheme.lower() in ALLOWED_SCHEMES
        reason = refusal(request.url, await self.addresses(parts.hostname or "") if http else [], self.allow_internal)
        if reason is not None:
            self.stats.inc_value(f"archiver/netguard/{reason}")
            logger.warning("Not requesting %s: %s", request.url[:300], NOT_REQUESTED[reason])
            raise IgnoreRequest(f"{NOT_REQUESTED[reason]}: {request.url[:300]}")


NOT_REQUESTED = {
    "scheme": "only http and https URLs are crawled",
    "internal": "it is a private, loopback or link-local address and the start URLs are not",
}
