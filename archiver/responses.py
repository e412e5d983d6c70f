"""Scrapy responses as plain data: what the crawl keeps of a response, and how re-extraction
rebuilds the same :class:`~archiver.items.FetchedPage` from a WARC capture.

The spider and ``archiver reindex --reextract`` both go through :func:`fetched_page`, so a
page re-read from its capture is the page the crawl extracted.
"""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Headers, Request, Response, TextResponse
from scrapy.responsetypes import responsetypes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from archiver.extraction.charsets import undeclared_codec
from archiver.items import FetchedPage, HttpExchange
from archiver.middlewares.wire import WIRE_META


def first_headers(response: Response) -> dict[str, str]:
    """Response headers as a plain dict of lower-case names (first value of each)."""
    headers: dict[str, str] = {}
    for name, values in response.headers.items():
        if values:
            headers[name.decode("latin-1").lower()] = values[0].decode("latin-1")
    return headers


def page_encoding(response: TextResponse) -> str:
    """The page's encoding: as declared (BOM, header, ``<meta>``), else UTF-8 when it reads
    as UTF-8, else the detector's guess as :func:`undeclared_codec` reads it."""
    declared = (read_bom(response.body)[0] or http_content_type_encoding(response.headers.get(b"Content-Type", b"").decode("latin-1"))
                or html_body_declared_encoding(response.body))
    guessed = response.encoding
    if declared or guessed in ("utf-8", "ascii"):
        return guessed
    return undeclared_codec(guessed)


def _header_list(headers: Any) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


def http_exchange(response: Response) -> HttpExchange:
    """The request and response headers as exchanged (a content-encoded response's as received,
    :mod:`archiver.middlewares.wire`); Scrapy keeps no reason phrase: the standard one."""
    request = response.request
    wire_headers = request.meta.get(WIRE_META) if request is not None else None
    request_headers = _header_list(request.headers) if request is not None else []
    if request is not None and not any(name.lower() == "host" for name, _ in request_headers):
        request_headers.insert(0, ("Host", urlsplit(request.url).netloc))
    return HttpExchange(
        method=request.method if request is not None else "GET",
        request_headers=request_headers,
        protocol=response.protocol or "HTTP/1.1",
        reason=http.client.responses.get(response.status, ""),
        response_headers=wire_headers or _header_list(response.headers),
        ip_address=str(response.ip_address) if response.ip_address is not None else None,
    )


def fetched_page(response: Response, **facts: Any) -> FetchedPage:
    """The item for an HTML response; ``facts`` are how the crawl found it (``url``, ``found_via``...)."""
    return FetchedPage(
        url=facts.pop("url", response.url),
        final_url=response.url,
        status=response.status,
        body=response.body,
        headers=first_headers(response),
        encoding=page_encoding(response) if isinstance(response, TextResponse) else None,
        http=http_exchange(response),
        **facts,
    )


def replayed_response(url: str, status: int, headers: list[tuple[str, str]], body: bytes) -> Response:
    """A Scrapy response rebuilt from a capture, typed by its headers as the downloader would."""
    scrapy_headers = Headers([(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers])
    cls = responsetypes.from_args(headers=scrapy_headers, url=url, body=body)
    return cls(url=url, status=status, headers=scrapy_headers, body=body, request=Request(url))
