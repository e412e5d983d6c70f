"""A demo crawl checked against the demo site's ground truth: what `archiver demo` reports.

Recall (every article archived), records beyond one per article, records of pages that
are not articles, exact authors and credit, and the true kinds of the pages the crawl
fetched and did not archive (to compare with the crawl's own "Not archived" line).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from archiver.datadir import DataDir
from archiver.demo.custom import CustomSite
from archiver.demo.server import LoggedRequest
from archiver.demo.site import DemoSite
from archiver.storage.records import ArticleStore


@dataclass
class DemoCheck:
    """How a crawl of a demo site compares with the site's truth."""

    articles: int  #: articles on the site
    found: int  #: of them, archived
    duplicates: int  #: every other record: a second one for an article, under another address
    not_articles: int  #: records of pages that are not articles
    authors_exact: int  #: archived articles whose authors are exactly the truth's
    credit_exact: int  #: archived articles whose credit is exactly the truth's
    kinds: dict[str, int] = field(default_factory=dict)  #: pages fetched and not archived, by true kind


def check_demo(data_dir: DataDir, site: DemoSite | CustomSite, base_url: str,
               requests: list[LoggedRequest]) -> DemoCheck:
    """Compare the records of this site (served at ``base_url``) with its truth."""
    records = [r for r in ArticleStore(data_dir).iter_records() if str(r.get("url", "")).startswith(base_url + "/")]
    truth = {base_url + a.path: a for a in site.articles}
    kinds = site.page_kinds()
    by_url: dict[str, dict[str, Any]] = {}
    for record in records:
        by_url.setdefault(record["url"], record)
    found = [by_url[url] for url in truth if url in by_url]
    not_articles = sum(1 for r in records if r["url"][len(base_url):] in kinds)
    return DemoCheck(
        articles=len(truth),
        found=len(found),
        duplicates=len(records) - len(found) - not_articles,
        not_articles=not_articles,
        authors_exact=sum(1 for r in found if r.get("authors") == truth[r["url"]].authors),
        credit_exact=sum(1 for r in found if r.get("credit") == truth[r["url"]].credit),
        kinds=dict(Counter(kinds[r.path] for r in requests if r.status == 200 and r.path in kinds).most_common()),
    )
