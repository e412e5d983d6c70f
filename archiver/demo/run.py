"""``archiver demo``: serve the demo site locally, crawl it, print what was archived."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from archiver.crawl import CrawlOptions, run_crawl
from archiver.searching import search_archive
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

Echo = Callable[[str], None]


def serve_forever(*, articles: int, port: int, echo: Echo) -> None:
    """Serve the demo site until Ctrl-C, for crawling it by hand."""
    with DemoServer(DemoSite(articles=articles), port=port) as server:
        echo(f"Demo site with {articles} articles at {server.url} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            echo("Stopped.")


def run_demo(data_dir: Path, *, articles: int, echo: Echo) -> None:
    """Crawl a freshly served demo site into ``data_dir`` and show a search of it."""
    site = DemoSite(articles=articles)
    with DemoServer(site) as server:
        echo(f"Serving the demo site ({articles} articles) at {server.url}")
        summary = run_crawl(CrawlOptions(urls=[server.url], data_dir=data_dir))
        offsite = [r for r in server.requests if r.host != server.url.split("/")[2]]
    echo(summary.describe(data_dir))
    echo(f"Ground truth: {len(site.articles)} unique articles; requests to other hosts: {len(offsite)}")
    phrase = site.articles[0].phrase
    results = search_archive(data_dir, f'"{phrase}"', limit=3)
    echo(f'\narchiver search \'"{phrase}"\' --data-dir {data_dir}')
    for hit in results.hits:
        echo(f"  {hit.rank}. {hit.title}  ({hit.published or 'undated'})  {hit.url}")
