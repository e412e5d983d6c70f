"""Property tests: random and mutated HTML and URLs never make extraction or URL clean-up raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.extraction.extract import extract_html
from archiver.items import Extraction, Rejected
from archiver.urls import clean_url, url_key

from .hostile_site import Article, article_html, paragraphs
from .test_extract import check_outcome, nothing_swallowed

SEED_HTML = article_html(Article("/2024/05/01/x/", "A headline", paragraphs(3)))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
URL_PARTS = st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "javascript:", "//", "", "http://a.example", ":80", ":99999", "/", "/..", "%2e%2e/", "?", "&", "=", "#", ";sid=1",
                             "utm_source=x", "\x00", "\u202e", " ", "ü", "[", "@", "%", "%zz"])


@st.composite
def mutated_html(draw: st.DrawFn) -> bytes:
    """The seed article cut, spliced with random bytes, or with tags duplicated or dropped."""
    body = SEED_HTML.encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(body)))
        end = draw(st.integers(start, min(len(body), start + 200)))
        insert = draw(st.one_of(st.binary(max_size=40), st.sampled_from([b"<", b"</div>", b"<p>", b"<!--", b"\xff\xfe",
                                                                         b"<meta charset=utf-16>", b"]]>", b"&#0;"])))
        body = body[:start] + insert + body[end:]
    return body


def check(result: Extraction | Rejected) -> None:
    if isinstance(result, Rejected):
        assert isinstance(result.reason, str) and result.reason
        check_outcome(result)  # a documented reason, not an exception turned into "parse-error"
    else:
        assert isinstance(result, Extraction)
        assert isinstance(result.text, str) and isinstance(result.title, str)
        assert all(isinstance(a, str) for a in result.authors)
        assert result.published is None or isinstance(result.published, str)


@FUZZ
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000), mutated_html()))
def test_extract_html_never_raises(html: bytes | str) -> None:
    with nothing_swallowed():
        result = extract_html(html, "https://news.example/2024/05/01/x/")
    check(result)


@FUZZ
@given(st.lists(URL_PARTS | st.text(max_size=12), max_size=10).map("".join))
def test_clean_url_and_url_key_raise_only_value_error(url: str) -> None:
    try:
        cleaned = clean_url(url)
    except ValueError:
        return  # by contract: not an absolute http(s) URL
    assert isinstance(cleaned, str) and cleaned.startswith(("http://", "https://"))
    assert clean_url(cleaned) == cleaned
    assert isinstance(url_key(url), str)


def test_clean_url_keeps_ipv6_brackets() -> None:
    assert clean_url(clean_url("http://[::1]:8000/a")) == "http://[::1]:8000/a"
    assert clean_url("https://[2001:DB8::1]:443/x?b=2&a=1") == "https://[2001:db8::1]/x?a=1&b=2"
    assert url_key("http://[::1]:8000/a/") == "[::1]:8000/a"
