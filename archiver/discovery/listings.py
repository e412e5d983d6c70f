"""Listing pages the URL rules miss, learnt from the extractor's verdicts.

Section fronts (``/world/``, ``/news/local/``), topic hubs and their later pages look like
any other page by their URL; the extractor tells them apart (page kind ``listing``), but
only after the full cost of an extraction. Once a page is known as a listing, its later
pages (``?page=2``, ``/page/3/``) in this run, and the page and its later pages in later
runs, are crawled for their links without extraction. Kept per data dir (``--full``
starts afresh), one URL key a line.
"""

from __future__ import annotations

from pathlib import Path

from archiver.discovery.sources import first_page
from archiver.storage.atomic import atomic_write
from archiver.urls import url_key


class KnownListings:
    """The listing pages of a site, by the URL key of their first page."""

    def __init__(self, keys: set[str] | None = None):
        self.keys: set[str] = keys or set()

    def add(self, url: str) -> None:
        """``url`` (a page the extractor classified as a listing) and all its later pages."""
        try:
            self.keys.add(url_key(first_page(url)))
        except ValueError:
            return

    def __contains__(self, url: str) -> bool:
        try:
            return url_key(first_page(url)) in self.keys
        except ValueError:
            return False

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def read(cls, path: Path) -> KnownListings:
        """The listings saved at ``path`` (none when it does not exist yet)."""
        try:
            return cls({line for line in path.read_text(encoding="utf-8").splitlines() if line})
        except FileNotFoundError:
            return cls()

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, "".join(f"{key}\n" for key in sorted(self.keys)).encode("utf-8"))
