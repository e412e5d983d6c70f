"""Scrapy extensions of the crawl: the data-dir lock and guard, progress, the run log, the frontier."""
