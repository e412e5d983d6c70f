"""News archive: crawl news sites with Scrapy, extract with trafilatura, search with Whoosh."""

__version__ = "0.1.0"
