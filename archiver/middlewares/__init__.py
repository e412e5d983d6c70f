"""Downloader and spider middlewares of the crawl, one component per module."""
