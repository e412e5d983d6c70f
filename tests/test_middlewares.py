"""The crawl's downloader and spider middlewares, in this process with hand-built requests and responses.

Network guard (``archiver/middlewares/netguard.py``), backoff retries (``retry.py``),
conditional revalidation (``conditional.py``) and the crawler-trap guard (``traps.py``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from archiver.middlewares.conditional import ConditionalRequestMiddleware
from archiver.middlewares.netguard import NetworkGuardMiddleware, ip_literal, is_internal, refusal
from archiver.middlewares.retry import BackoffRetryMiddleware
from archiver.middlewares.traps import TrapGuardMiddleware, continues, family_of, is_below
from archiver.storage.fetchstate import FetchState

from .scrapy_helpers import aiter_of, close_spider, collect, crawler_for, html_response, open_spider, run

# -- network guard ---------------------------------------------------------------------------


def test_network_guard_decisions() -> None:
    loopback, private, public = ip_literal("127.0.0.2"), ip_literal("10.1.2.3"), ip_literal("93.184.216.34")
    assert loopback and private and public
    assert is_internal(loopback) and is_internal(private) and is_internal(ip_literal("169.254.169.254"))
    assert is_internal(ip_literal("::ffff:127.0.0.1")) and not is_internal(public)
    assert refusal("http://127.0.0.2:8000/", [loopback], allow_internal=False) == "internal"
    assert refusal("http://127.0.0.2:8000/", [loopback], allow_internal=True) is None
    assert refusal("https://news.example/", [public], allow_internal=False) is None
    assert refusal("ftp://news.example/", [], allow_internal=True) == "scheme"


def test_network_guard_middleware_with_a_public_start_url() -> None:
    class Spider:
        start_urls = ["http://93.184.216.34/"]

    guard = NetworkGuardMiddleware(get_crawler())
    guard.opened(Spider())
    assert guard.allow_internal is False
    for url in ("http://127.0.0.2:8000/x", "http://[::1]/", "http://10.0.0.1/admin", "file:///etc/passwd"):
        with pytest.raises(IgnoreRequest):
            asyncio.run(guard.process_request(Request(url)))
    assert asyncio.run(guard.process_request(Request("http://93.184.216.34/story"))) is None
    Spider.start_urls = ["http://127.0.0.1:8000/"]
    guard.opened(Spider())
    assert guard.allow_internal and asyncio.run(guard.process_request(Request("http://127.0.0.2/"))) is None


def test_network_guard_counts_each_refusal_by_reason_after_spider_opened(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    guard = NetworkGuardMiddleware.from_crawler(crawler)
    spider = Spider("news", start_urls=["http://93.184.216.34/"])
    open_spider(crawler, spider)  # the guard reads the start URLs from the spider_opened signal
    assert guard.allow_internal is False
    for url in ("http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "ftp://93.184.216.34/x"):
        with pytest.raises(IgnoreRequest, match="not requesting|only http|private"):
            run(guard.process_request(Request(url)))
    assert crawler.stats.get_value("archiver/netguard/internal") == 2
    assert crawler.stats.get_value("archiver/netguard/scheme") == 1
    assert run(guard.process_request(Request("https://93.184.216.34/2024/05/01/story/"))) is None


# -- backoff retries ---------------------------------------------------------------------------


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Seconds the retry middleware asked to wait (recorded, not waited)."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return waits


def retry_middleware(tmp_path: Path, **settings: object) -> BackoffRetryMiddleware:
    crawler = crawler_for(tmp_path, ARCHIVER_RETRY_BACKOFF_BASE=0.5, ARCHIVER_RETRY_BACKOFF_MAX=4, **settings)
    crawler.spider = crawler._create_spider("news")
    return BackoffRetryMiddleware.from_crawler(crawler)


def answer(request: Request, status: int, **headers: str) -> Response:
    return Response(request.url, status=status, headers=headers, request=request)


def test_retries_back_off_exponentially_then_give_up(tmp_path: Path, slept: list[float]) -> None:
    middleware = retry_middleware(tmp_path)
    request = Request("https://news.example/2024/05/20/story/")
    first = run(middleware.process_response(request, answer(request, 503)))
    assert isinstance(first, Request) and first.meta["retry_times"] == 1
    second = run(middleware.process_response(first, answer(first, 503)))
    assert isinstance(second, Request) and second.meta["retry_times"] == 2
    given_up = run(middleware.process_response(second, answer(second, 503)))
    assert isinstance(given_up, Response) and given_up.status == 503
    assert slept == [0.5, 1.0]  # base, then doubled; no wait before giving up
    stats = middleware.crawler.stats
    assert stats.get_value("retry/count") == 2 and stats.get_value("retry/max_reached") == 1


def test_retry_waits_are_capped_and_other_answers_pass(tmp_path: Path, slept: list[float]) -> None:
    middleware = retry_middleware(tmp_path, RETRY_TIMES=5)
    request = Request("https://news.example/a/", meta={"retry_times": 4})
    assert isinstance(run(middleware.process_response(request, answer(request, 500))), Request)
    assert slept == [4]  # 0.5 * 2**4 = 8, capped at ARCHIVER_RETRY_BACKOFF_MAX
    fine = answer(request, 200)
    assert run(middleware.process_response(request, fine)) is fine
    missing = answer(request, 404)
    assert run(middleware.process_response(request, missing)) is missing
    unwanted = Request("https://news.example/b/", meta={"dont_retry": True})
    failed = answer(unwanted, 503)
    assert run(middleware.process_response(unwanted, failed)) is failed
    assert slept == [4]


def test_retry_after_paces_the_whole_host_while_it_lasts(tmp_path: Path, slept: list[float],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    middleware = retry_middleware(tmp_path)
    slot = SimpleNamespace(delay=0.25)
    delays_while_waiting: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        delays_while_waiting.append(slot.delay)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    downloader = SimpleNamespace(slots={"news.example": slot}, get_slot_key=lambda request: "news.example")
    middleware.crawler.engine = SimpleNamespace(downloader=downloader)
    request = Request("https://news.example/2024/05/23/rate-limited/")
    retried = run(middleware.process_response(request, answer(request, 429, **{"Retry-After": "3"})))
    assert isinstance(retried, Request) and retried.meta["retry_times"] == 1
    assert slept == [3.0] and delays_while_waiting == [3.0]  # every request to the host waited too
    assert slot.delay == 0.25  # the usual pace afterwards
    asked_long = run(middleware.process_response(request, answer(request, 503, **{"Retry-After": "600"})))
    assert isinstance(asked_long, Request) and slept[-1] == 4  # capped like any other wait


# -- conditional revalidation --------------------------------------------------------------------

ARCHIVED = "https://news.example/2024/05/01/story/"


def remember(data_dir: Path, url: str, *, article_id: str | None, etag: str | None = '"v1"',
             last_modified: str | None = "Wed, 01 May 2024 10:00:00 GMT") -> None:
    state = FetchState(data_dir)
    state.record(url, fetched_at="2024-05-01T10:00:00+00:00", etag=etag, last_modified=last_modified,
                 sitemap_lastmod=None, content_hash="h", article_id=article_id)
    state.close()


def conditional(tmp_path: Path, **settings: object) -> tuple[ConditionalRequestMiddleware, object]:
    crawler = crawler_for(tmp_path, **settings)
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    spider = Spider("news")
    open_spider(crawler, spider)
    return middleware, spider


def test_archived_pages_are_revalidated_with_their_validators(tmp_path: Path) -> None:
    remember(tmp_path, ARCHIVED, article_id="a" * 16)
    remember(tmp_path, "https://news.example/gone/", article_id=None)  # a 404 remembered: not an article
    middleware, spider = conditional(tmp_path)
    request = Request(ARCHIVED + "?utm_source=feed")  # the same page once cleaned
    middleware.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == b"Wed, 01 May 2024 10:00:00 GMT"
    assert request.meta["archiver_revalidating"] is True
    for other in (Request("https://news.example/2024/05/02/new/"), Request("https://news.example/gone/"),
                  Request(ARCHIVED, method="POST")):
        middleware.process_request(other)
        assert b"If-None-Match" not in other.headers and "archiver_revalidating" not in other.meta
    close_spider(middleware.crawler, spider)


def test_not_modified_ends_the_request_and_notes_the_check(tmp_path: Path) -> None:
    remember(tmp_path, ARCHIVED, article_id="a" * 16, etag=None)
    middleware, spider = conditional(tmp_path)
    request = Request(ARCHIVED, meta={"sitemap_lastmod": "2024-05-03"})
    middleware.process_request(request)
    assert b"If-None-Match" not in request.headers and request.headers[b"If-Modified-Since"]
    changed = answer(request, 200)
    assert middleware.process_response(request, changed) is changed
    with pytest.raises(IgnoreRequest, match="not modified"):
        middleware.process_response(request, answer(request, 304))
    assert middleware.crawler.stats.get_value("archiver/incremental/not_modified") == 1
    close_spider(middleware.crawler, spider)
    known = FetchState(tmp_path).get(ARCHIVED)
    assert known is not None and known.fetched_at > "2024-05-01T10:00:00+00:00"
    assert known.sitemap_lastmod == "2024-05-03" and known.article_id == "a" * 16
    unasked = Request("https://news.example/elsewhere/")  # a 304 nobody asked for is the downloader's problem
    assert middleware.process_response(unasked, answer(unasked, 304)).status == 304


def test_full_crawls_revalidate_nothing(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        ConditionalRequestMiddleware.from_crawler(crawler_for(tmp_path, ARCHIVER_FULL=True))


# -- crawler traps ---------------------------------------------------------------------------------


def test_trap_rules() -> None:
    assert continues("http://h/events/?month=6", "http://h/events/?month=5", 0)
    assert continues("http://h/live/a/?cb=2", "http://h/live/?_=1", 1)  # query to query: a session passed on
    assert not continues("http://h/2024/05/01/story/", "http://h/category/news/", 0)
    assert not continues("http://other/events/?month=6", "http://h/events/?month=5", 0)
    assert continues("http://h/deep/a/b/", "http://h/deep/a/", 2)
    assert is_below("/deep/a/", "/deep/") and not is_below("/deep/", "/") and not is_below("/deeper/", "/deep/")
    assert family_of("http://h/events/2031/05/") == "h/events" and family_of("http://h/2031/05/") == "h/N"


def trap_guard(tmp_path: Path, limit: int = 3) -> TrapGuardMiddleware:
    return TrapGuardMiddleware.from_crawler(crawler_for(tmp_path, ARCHIVER_TRAP_CHAIN_LIMIT=limit))


def test_trap_guard_drops_deep_repeated_and_over_parameterised_urls(tmp_path: Path) -> None:
    guard = trap_guard(tmp_path)
    page = html_response("http://h/category/news/", "<html></html>")
    deep = Request("http://h/" + "/".join(f"s{i}" for i in range(13)) + "/")
    repeated = Request("http://h/a/b/a/b/a/b/a/")
    facets = Request("http://h/shop/?a=1&b=2&c=3&d=4&e=5")
    story = Request("http://h/2024/05/01/story/")
    item = {"not": "a request"}
    forced = Request("http://h/a/b/a/b/a/b/a/?x=1", dont_filter=True)
    kept = list(guard.process_spider_output(page, [deep, repeated, facets, story, item, forced]))
    assert kept == [story, item, forced]
    stats = guard.stats
    assert stats.get_value("archiver/traps/too_deep") == 2 and stats.get_value("archiver/traps/too_many_params") == 1


def test_trap_family_stops_at_its_budget_on_the_async_path(tmp_path: Path) -> None:
    guard = trap_guard(tmp_path, limit=3)
    found_on = html_response("http://h/events/?month=1", "<html></html>")
    months = [Request(f"http://h/events/?month={n}") for n in range(2, 8)]
    kept = collect(guard.process_spider_output_async(found_on, aiter_of(months)))
    assert kept == months[:3]
    assert all(r.meta["trap_family"] == "h/events" for r in kept)
    assert guard.stats.get_value("archiver/traps/chain_limit") == 3
    # the budget is the family's: a later page of the same calendar gets nothing more
    later = html_response("http://h/events/?month=5", "<html></html>", meta={"trap_family": "h/events"})
    assert list(guard.process_spider_output(later, [Request("http://h/events/?month=6")])) == []
    # articles, pagination and pages of another kind cost nothing and pass
    free = [Request("http://h/2024/05/01/story/"), Request("http://h/events/page/2/"), Request("http://h/about/")]
    assert list(guard.process_spider_output(found_on, free)) == free
