"""The demo site's content model: articles (with their ground truth), authors, archive pages.

Plain data shared by the site (:mod:`.site`) and the renderers (:mod:`.pages`, :mod:`.feeds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from archiver.demo import text


class StoryText:
    """What a demo story derives from its paragraphs, body seed and dates (both publishers)."""

    __slots__ = ()
    paragraphs: list[str]
    body_seed: int
    published: str
    modified: str | None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def description(self) -> str:
        return text.make_description(self.body_seed)

    @property
    def published_dt(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def last_modified(self) -> datetime:
        return datetime.fromisoformat(self.modified or self.published)


@dataclass(slots=True)
class DemoArticle(StoryText):
    """One published article and the truth about it (what a perfect archiver would store)."""

    number: int  #: WordPress post id, used by the shortlink /?p=<number>
    slug: str
    title: str
    authors: list[str]
    published: str  #: ISO 8601 with timezone
    modified: str | None
    categories: list[str]
    tags: list[str]
    markup: str  #: "jsonld" | "meta" | "visible": where the byline and dates are stated
    phrase: str  #: a 3-4 word phrase that occurs in this article's body and in no other
    body_seed: int  #: everything not stored here (body, description, comments) derives from it
    syndicated: bool = False  #: a copy is also served at /syndicated/<slug>/
    credit: str | None = None  #: no agency copy here: every byline names people
    paywalled: bool = False
    revision: int = 0  #: number of corrections made by DemoSite.update()
    body_override: list[str] | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        """Canonical path, /YYYY/MM/DD/slug/."""
        return f"/{self.published[:4]}/{self.published[5:7]}/{self.published[8:10]}/{self.slug}/"

    @property
    def paragraphs(self) -> list[str]:
        if self.body_override is not None:
            return list(self.body_override)
        return text.make_paragraphs(self.body_seed, self.phrase)


@dataclass
class Author:
    name: str
    slug: str
    role: str
    beat: str


@dataclass
class Listing:
    """One page of an archive (home, category, tag or author), newest first."""

    kind: str  #: "home" | "category" | "tag" | "author"
    name: str
    path: str  #: path of page 1, e.g. "/category/politics/"
    items: list[DemoArticle]
    page: int
    pages: int

    def page_path(self, n: int) -> str:
        return self.path if n == 1 else f"{self.path}page/{n}/"


def other_host(base: str) -> str:
    """The same server under another host name (a crawler confined to ``base`` must not go there)."""
    parts = urlsplit(base)
    host = "localhost" if parts.hostname != "localhost" else "127.0.0.1"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
