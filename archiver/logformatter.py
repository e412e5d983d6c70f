"""Log formatting: a page not archived (duplicate, not an article) is routine, not a warning."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


class QuietDropsFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        entry = super().dropped(item, exception, response, spider)
        entry["level"] = logging.DEBUG
        entry["msg"] = "Not archived: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry
