"""Date strings -> ISO 8601 (aware datetime when the page gives a time and offset)."""

from __future__ import annotations

from datetime import date

import pytest

from archiver.dates import date_from_url, find_date_in_text, parse_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2018-07-05", "2018-07-05"),
        ("2018-07-05T10:30:00+02:00", "2018-07-05T10:30:00+02:00"),
        ("2018-07-05T10:30:00.123+0200", "2018-07-05T10:30:00+02:00"),
        ("2018-07-05T10:30:00Z", "2018-07-05T10:30:00+00:00"),
        ("2018-07-05 10:30:00 UTC", "2018-07-05T10:30:00+00:00"),
        ("2018-07-05T10:30", "2018-07-05"),  # a time without an offset: the day only
        ("2018-07-05T10:30:00-05:00", "2018-07-05T10:30:00-05:00"),
        ("20180705", "2018-07-05"),
        ("Thu, 05 Jul 2018 10:30:00 GMT", "2018-07-05T10:30:00+00:00"),
        ("Thu, 05 Jul 2018 10:30:00 +0200", "2018-07-05T10:30:00+02:00"),
        ("July 5, 2018", "2018-07-05"),
        ("Jul. 5th, 2018", "2018-07-05"),
        ("5 July 2018", "2018-07-05"),
        ("5. Juli 2018", "2018-07-05"),
        ("5 de julio de 2018", "2018-07-05"),
        ("le 5 juillet 2018", "2018-07-05"),
        ("05.07.2018", "2018-07-05"),
        ("2018/07/05", "2018-07-05"),
        ("Published: 5 July 2018, 10:00", "2018-07-05"),
        ("1530786600", "2018-07-05T10:30:00+00:00"),
        # a local midnight written as UTC names the local day
        ("2022-11-06T23:00:00.000Z", "2022-11-07"),
        ("2021-11-04T23:00Z", "2021-11-05"),
    ],
)
def test_parse_date(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["", None, "yesterday", "2018-13-45", "1850-01-01", "no date here", "0000-00-00"])
def test_parse_date_rejects(raw):
    assert parse_date(raw) is None


def test_parse_date_rejects_future():
    assert parse_date("2030-01-01", latest=date(2026, 1, 1)) is None
    assert parse_date("2025-12-31", latest=date(2026, 1, 1)) == "2025-12-31"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.com/2018/07/05/some-slug/", "2018-07-05"),
        ("https://example.com/news/2018-07-05-some-slug", "2018-07-05"),
        ("https://example.com/2017/7/12/unter-uns", "2017-07-12"),
        ("https://example.com/20180705/slug.html", "2018-07-05"),
        ("https://example.com/2018/13/45/slug/", None),
        ("https://example.com/about/", None),
        ("https://example.com/article/123456789/", None),
        (None, None),
    ],
)
def test_date_from_url(url, day):
    assert date_from_url(url) == day


def test_find_date_in_text():
    assert find_date_in_text("Posted on March 3, 2021 by Jane") == "2021-03-03"
    assert find_date_in_text("nothing") is None
