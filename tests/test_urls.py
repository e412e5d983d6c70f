"""URL canonicalisation and dedup keys."""

import pytest

from archiver.urls import (
    article_id,
    clean_url,
    is_http_url,
    is_shortlink,
    is_variant,
    same_host_path,
    site_of,
    strip_variant,
    url_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM:80/a/?b=2&a=1#comments", "http://example.com/a/?a=1&b=2"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com/x?utm_source=tw&utm_medium=social&id=3", "https://example.com/x?id=3"),
        ("https://example.com/x?fbclid=abc&gclid=def", "https://example.com/x"),
        ("https://example.com/x;jsessionid=1234?PHPSESSID=9", "https://example.com/x"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/caf\u00e9/", "https://example.com/caf%C3%A9/"),
        ("http://127.0.0.1:8080/p/?q=1", "http://127.0.0.1:8080/p/?q=1"),
    ],
)
def test_clean_url(raw: str, expected: str) -> None:
    assert clean_url(raw) == expected


@pytest.mark.parametrize("bad", ["mailto:a@b.c", "javascript:alert(1)", "ftp://example.com/x", "/relative/path", "file:///etc/passwd"])
def test_clean_url_rejects_non_http(bad: str) -> None:
    assert not is_http_url(bad)
    with pytest.raises(ValueError):
        clean_url(bad)


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/2018/07/05/story/",
        "http://example.com/2018/07/05/story",
        "https://example.com/2018/07/05/story/amp/",
        "https://example.com/2018/07/05/story/?amp=1",
        "https://example.com/2018/07/05/story/?print=1",
        "https://example.com/2018/07/05/story/?utm_campaign=x#respond",
    ],
)
def test_variants_share_one_key_and_id(variant: str) -> None:
    canonical = "https://example.com/2018/07/05/story/"
    assert url_key(variant) == url_key(canonical)
    assert article_id(variant) == article_id(canonical)


def test_different_articles_have_different_keys() -> None:
    assert url_key("https://example.com/2018/07/05/story/") != url_key("https://example.com/2018/07/05/other/")
    assert url_key("https://example.com/?p=1") != url_key("https://example.com/?p=2")
    assert url_key("https://example.com/a/") != url_key("https://other.com/a/")


def test_variant_helpers() -> None:
    assert is_variant("https://example.com/s/amp/") and is_variant("https://example.com/s/?print=1")
    assert not is_variant("https://example.com/s/")
    assert strip_variant("https://example.com/s/amp/") == "https://example.com/s/"
    assert strip_variant("https://example.com/s/?print=1&x=2") == "https://example.com/s/?x=2"
    assert is_shortlink("https://example.com/?p=123") and not is_shortlink("https://example.com/a/?p=123")
    assert site_of("https://WWW.Example.com/x") == "example.com"
    assert len(article_id("https://example.com/x")) == 16


@pytest.mark.parametrize(
    ("href", "path"),
    [
        ("/author/jane-doe/?ref=byline#top", "/author/jane-doe/"),
        ("author/jane-doe", "/news/author/jane-doe"),
        ("https://www.example.com/author/jane-doe", "/author/jane-doe"),
        ("//www.example.com/by/jane", "/by/jane"),
        ("https://other.example/author/jane-doe", None),
        ("mailto:jane@example.com", None),
        ("javascript:void(0)", None),
        ("http://[not-an-address/author/jane", None),
        ("", None),
    ],
)
def test_the_path_of_a_link_on_the_pages_own_host(href, path):
    assert same_host_path(href, "https://www.example.com/news/story", "www.example.com") == path
