"""Connecting to the Redis server of a distributed crawl (frontier and shared key store)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from archiver.errors import ArchiverError

if TYPE_CHECKING:
    import redis

#: Every key the archiver keeps in Redis starts with this.
PREFIX = "archiver"


def redact(url: str) -> str:
    """The Redis URL without its password, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def connect(url: str, *, decode: bool = False) -> redis.Redis:
    """A client for ``url``, checked with PING; ArchiverError when the server cannot be used.
    The redis package is an optional extra (``pip install -e '.[redis]'``): imported here, not
    with this module, so that commands which never reach Redis work without it."""
    import redis

    try:
        client = redis.Redis.from_url(url, decode_responses=decode, socket_timeout=30, socket_connect_timeout=10)
        client.ping()
    except ValueError as exc:
        raise ArchiverError(f"bad Redis URL {redact(url)}: {exc}") from None
    except redis.RedisError as exc:
        raise ArchiverError(f"cannot reach Redis at {redact(url)}: {exc}") from None
    return client
