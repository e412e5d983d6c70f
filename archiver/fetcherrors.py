"""What went wrong with a request, in words a user can act on.

Scrapy wraps the network's errors (``DownloadFailedError`` around Twisted's
``ResponseNeverReceived`` around an OpenSSL error...); the crawl counts failures by the
outer type, and tells the user the innermost cause: "TLS handshake failed: wrong version
number", not "download failed error".
"""

from __future__ import annotations

import re

from twisted.internet.error import ConnectionRefusedError as RefusedError
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
MAX_CAUSE = 200
#: Words for the causes users meet most, by Twisted's exception type.
PLAIN_CAUSES: dict[type[BaseException], str] = {
    RefusedError: "connection refused",
    DNSLookupError: "host name not found",
    TimeoutError: "timed out",
}


def failure_reason(failure: Failure) -> str:
    """The counter name of a failed request: its exception type in snake case."""
    return CAMEL.sub("_", failure.type.__name__).lower()


def failure_cause(error: BaseException) -> str:
    """The innermost cause of a download error, on one line."""
    while True:
        if isinstance(error, ResponseFailed) and error.reasons:
            error = error.reasons[0].value
        elif error.__cause__ is not None:
            error = error.__cause__
        else:
            break
    for kind, words in PLAIN_CAUSES.items():
        if isinstance(error, kind):
            return words
    if type(error).__module__.startswith("OpenSSL"):
        # OpenSSL.SSL.Error([(library, function, reason), ...])
        entries = error.args[0] if error.args and isinstance(error.args[0], list) else []
        details = [entry[-1] for entry in entries if isinstance(entry, tuple) and entry and entry[-1]]
        return "TLS handshake failed" + (f": {', '.join(details)}" if details else "")
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:MAX_CAUSE]
