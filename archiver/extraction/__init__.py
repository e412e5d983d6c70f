"""Article extraction: a fetched page in, an :class:`~archiver.items.Extraction` or a
:class:`~archiver.items.Rejected` out. Pure functions, no I/O, no Scrapy.

``extract`` decodes and parses the page once and hands the tree to trafilatura (body),
:mod:`.metadata` (structured data and markup), :mod:`.bylines`, :mod:`.dates` and
:mod:`.classify` (is it an article?).
"""

from archiver.extraction.extract import extract, extract_html

__all__ = ["extract", "extract_html"]
