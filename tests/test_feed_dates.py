"""When crawling, the date a feed lists an article with is evidence for its publication
date: a page that carries no date of its own is dated to the moment by its feed item."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import load_records, run_cli

#: Every date an article page of the demo site carries: JSON-LD, the article metas, <time>.
PAGE_DATES = re.compile(r'<script type="application/ld\+json".*?</script>'
                        r'|<meta property="article:(?:published|modified)_time"[^>]*>|<time\b.*?</time>', re.S)


class UndatedPages(DemoSite):
    """The demo site with every date taken out of its article pages (its feed and its
    dated URLs keep theirs), as on sites that print no date at all."""

    def _article(self, match, raw_query, query, base):  # type: ignore[no-untyped-def]
        page = super()._article(match, raw_query, query, base)
        if page.status == 200:
            page.body = PAGE_DATES.sub("", page.body)
        return page


def test_articles_listed_in_the_feed_are_dated_by_it(tmp_path: Path) -> None:
    site = UndatedPages(articles=24, seed=11)
    in_feed = {article.path: article for article in site.recent(10)}
    with DemoServer(site) as server:
        result = run_cli("crawl", server.url, "--data-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    records = load_records(tmp_path)
    assert len(records) == 24
    for record in records:
        article = in_feed.get(urlsplit(record["url"]).path)
        if article is not None:
            assert (record["published"], record["published_source"]) == (article.published, "feed"), record["url"]
        else:  # found through listings and sitemaps only: the day its URL names
            assert record["published_source"] == "url" and len(record["published"]) == 10, record["url"]
