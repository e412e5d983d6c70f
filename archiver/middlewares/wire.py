"""Keep a response's headers as they came over the wire, for its WARC capture.

Scrapy's ``HttpCompressionMiddleware`` (590) decodes gzip, deflate, br and zstd bodies
and drops their ``Content-Encoding`` header. Placed after it in the downloader chain (so
it sees the response first), this middleware keeps the headers as received in the
request's meta, where :func:`archiver.responses.http_exchange` picks them up; the WARC
record then says how the body was sent (``X-Archive-Orig-Content-Encoding``) while
holding it decoded. Responses without a content encoding cost nothing here.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

#: request.meta key: the headers as received of a content-encoded response.
WIRE_META = "archiver_wire"


class WireCaptureMiddleware:
    """Note the headers of content-encoded responses as received (``ARCHIVER_STORE_RAW``)."""

    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("ARCHIVER_STORE_RAW"):
            raise NotConfigured

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WireCaptureMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.headers.get(b"Content-Encoding"):
            request.meta[WIRE_META] = [(name.decode("latin-1"), value.decode("latin-1"))
                                       for name, values in response.headers.items() for value in values]
        return response
