"""The spiders' requests: callbacks saved in the frontier by name, cheaply.

Every request the scheduler keeps on disk (``JOBDIR``, the frontier a crawl resumes from)
or in Redis (distributed crawls) goes through :meth:`scrapy.Request.to_dict`, which finds
the names of its callback and errback by scanning every attribute of the spider
(``inspect.getmembers``, properties included): ~0.3 ms each, so ~0.7 ms a request, most
of the cost of queueing a 20,000-URL sitemap. A spider method's own name says it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request, Spider


def method_name(spider: Spider | None, method: Callable[..., Any] | None) -> str | None:
    """The name under which ``spider`` has ``method``; ValueError when it is none of its methods
    (as Scrapy's own lookup: a request whose callback the next run could not find must not be saved)."""
    if method is None:
        return None
    function = getattr(method, "__func__", None)  # only bound methods have one
    name = getattr(function, "__name__", "")
    if function is None or getattr(getattr(spider, name, None), "__func__", None) is not function:
        raise ValueError(f"Function {method} is not an instance method in: {spider}")
    return name


class SpiderRequest(Request):
    """A :class:`~scrapy.Request` whose callbacks are the spider's methods, named without a scan."""

    def to_dict(self, *, spider: Spider | None = None) -> dict[str, Any]:
        named = {"callback": method_name(spider, self.callback), "errback": method_name(spider, self.errback)}
        callback, errback = self.callback, self.errback
        self.callback = self.errback = None  # Scrapy's scan runs only for callables
        try:
            return {**super().to_dict(spider=spider), **named}
        finally:
            self.callback, self.errback = callback, errback
