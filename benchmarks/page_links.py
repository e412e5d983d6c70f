"""The spider's cost of reading a page's links: one walk over an lxml tree against parsel XPath,
and, for a page that goes to extraction, taking the links the extraction worker hands back.

Fetches the home page and article pages of the demo site from a local server, then times, in
one process and interleaved (CPU time of this thread, so other load on the machine matters
less), what the spider does per listing page (``parse_html`` + ``page_links``), what it did
before for every page (a parsel selector on the Scrapy response and one XPath query per kind:
links, AMP, feeds, canonical), and what the crawl process does now for a page the extraction
worker parsed (unpickling the links it hands back). Prints medians per page and ratios.

    python benchmarks/page_links.py
    python benchmarks/page_links.py --pages 10 --rounds 100
"""

from __future__ import annotations

import argparse
import pickle
import re
import statistics
import time
import urllib.request
from collections.abc import Callable
from urllib.parse import urljoin

from scrapy.http import HtmlResponse
from scrapy.utils.response import get_base_url

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.discovery.pagelinks import page_links
from archiver.extraction.extract import parse_html

ARTICLE_HREF = re.compile(rb'href="([^"]*/\d{4}/\d{2}/\d{2}/[^"]+/)"')


def with_parsel(url: str, body: bytes) -> int:
    """The spider's reading before: a parsel tree, an XPath query per kind, links made absolute."""
    response = HtmlResponse(url, body=body, encoding="utf-8")
    base = get_base_url(response)
    links = [h if h.startswith(("http://", "https://")) else urljoin(base, h.strip())
             for h in response.xpath("//a/@href | //area/@href").getall()]
    response.xpath("//link[@rel='amphtml']/@href").get()
    list(response.xpath("//link[@rel='alternate']"))
    response.xpath("//link[@rel='canonical']/@href").get()
    return len(links)


def with_walk(url: str, body: bytes) -> int:
    """The spider's reading now."""
    response = HtmlResponse(url, body=body, encoding="utf-8")
    return len(page_links(parse_html(response.text), url).links)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20, help="article pages (plus the home page)")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with DemoServer(DemoSite(articles=max(args.pages, 50))) as server:
        home = urllib.request.urlopen(server.url).read()
        urls = [server.url] + [urljoin(server.url, h.decode()) for h in dict.fromkeys(ARTICLE_HREF.findall(home))]
        pages = [(u, urllib.request.urlopen(u).read()) for u in urls[: args.pages + 1]]
    handed_back = {url: pickle.dumps(page_links(parse_html(body.decode("utf-8")), url)) for url, body in pages}

    def from_worker(url: str, body: bytes) -> int:
        """The crawl process's part for a page the worker parsed: its links, unpickled."""
        return len(pickle.loads(handed_back[url]).links)

    ways: dict[str, Callable[[str, bytes], int]] = {"parsel + XPath (before)": with_parsel, "lxml walk (now)": with_walk,
                                                    "from the worker (now)": from_worker}
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for url, body in pages:
            for name, way in ways.items():
                started = time.thread_time()
                way(url, body)
                times[name].append(time.thread_time() - started)
    print(f"{len(pages)} demo pages ({statistics.median(len(b) for _, b in pages) / 1024:.0f} KB median), "
          f"{args.rounds} interleaved rounds")
    medians = {name: 1000 * statistics.median(values) for name, values in times.items()}
    for name, ms in medians.items():
        print(f"  {name:<24} {ms:.3f} ms/page (median)")
    before, walk, handed = medians.values()
    print(f"  ratio parsel / walk: {before / walk:.2f}; walk / links from the worker: {walk / handed:.1f}")


if __name__ == "__main__":
    main()
