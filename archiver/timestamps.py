"""Reading the ISO 8601 times the archive writes (records, run log), leniently."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from archiver.errors import ArchiverError


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO date or datetime (``Z`` for UTC allowed) as a datetime; None when absent or bad.

    A date alone is midnight; the time zone is kept when the value has one.
    """
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def as_utc(moment: datetime | None) -> datetime | None:
    """An aware datetime; a naive one is taken as UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_date(value: str | None, name: str) -> date | None:
    """A ``YYYY-MM-DD`` option (``--since``, a web form's ``since``) as a date; ArchiverError naming it when bad."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArchiverError(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None
