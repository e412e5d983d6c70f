"""Trap bounds, scheduling helpers and retry timing (pure parts)."""

from datetime import datetime, timezone

import pytest

from archiver.errors import ArchiverError
from archiver.middlewares.retry import retry_after_seconds
from archiver.cron import cron_entry, parse_interval, systemd_units
from archiver.middlewares.traps import too_deep, url_shape


def test_url_shape_groups_calendar_and_facet_urls() -> None:
    assert url_shape("http://h/events/?month=2031-05") == url_shape("http://h/events/?month=1999-01")
    assert url_shape("http://h/events/2031/05/") == url_shape("http://h/events/1999/12/")
    assert url_shape("http://h/shop/?color=red&size=m") != url_shape("http://h/shop/?color=red")
    assert url_shape("http://h/a/") != url_shape("http://h/b/")


def test_too_deep() -> None:
    assert too_deep("http://h/" + "/".join(f"s{i}" for i in range(13)) + "/", 12, 3)
    assert too_deep("http://h/a/b/a/b/a/b/a/", 12, 3)
    assert not too_deep("http://h/2018/07/05/story/", 12, 3)


@pytest.mark.parametrize(("text", "seconds"), [("1h", 3600), ("30m", 1800), ("1d", 86400), ("90s", 90), (" 2H ", 7200)])
def test_parse_interval(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("bad", ["", "1", "h", "10s", "1w", "-1h"])
def test_parse_interval_rejects(bad: str) -> None:
    with pytest.raises(ArchiverError):
        parse_interval(bad)


def test_cron_and_systemd() -> None:
    argv = ["/venv/bin/python", "-m", "archiver", "crawl", "https://n.example/", "--data-dir", "/srv/my archive"]
    assert cron_entry(3600, argv).startswith("0 */1 * * * /venv/bin/python -m archiver crawl https://n.example/")
    assert "'/srv/my archive'" in cron_entry(900, argv) and cron_entry(900, argv).startswith("*/15 ")
    units = systemd_units(3600, argv)
    assert "OnUnitActiveSec=3600s" in units and "ExecStart=/venv/bin/python -m archiver crawl" in units


def test_retry_after() -> None:
    now = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Sun, 29 Nov 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("garbage") is None
    assert retry_after_seconds(None) is None
