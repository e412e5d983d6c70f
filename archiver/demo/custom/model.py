"""The custom-CMS demo publisher's content model: every page it serves, with the truth about it.

A :class:`Piece` is one page the newsroom published (a story, a gallery, a live blog, a
video); only stories are articles. :class:`Staffer` is a person with a profile page.
Plain data shared by the site (:mod:`.site`) and the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver.demo import text
from archiver.demo.model import StoryText

#: What a piece is, as the page-kind classifier should name it.
ARTICLE, LIVEBLOG, GALLERY, VIDEO = "article", "liveblog", "gallery", "video"


@dataclass(slots=True)
class Piece(StoryText):
    """One published page and the truth about it (what a perfect archiver would store)."""

    number: int  #: the CMS's content id
    kind: str  #: article | liveblog | gallery | video
    genre: str  #: news | wire | opinion | analysis | review | editorial | brief (stories); the kind otherwise
    section: str  #: section slug, e.g. "news/north-shore"
    slug: str
    path: str  #: canonical path (undated: "/politics/slug-1234567" or "/news/slug/article_<uuid>.html")
    title: str
    byline: str  #: the byline as the page shows it ("Opinion by Jane Doe, contributing columnist")
    authors: list[str]  #: the people among it, as the record should hold them
    credit: str | None  #: the organisation it credits, as the record should hold it
    published: str  #: ISO 8601 with the newsroom's offset
    modified: str | None
    markup: str  #: how the page states its metadata: "jsonld" | "meta" | "visible"
    phrase: str  #: a phrase that occurs in this piece's body and nowhere else
    body_seed: int
    paywalled: bool = False  #: subscriber-only: the page shows a teaser
    tags: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        """The body as the page shows it (a paywalled story: its teaser)."""
        paragraphs = text.make_paragraphs(self.body_seed, self.phrase)
        if self.genre == "wire" and paragraphs:
            paragraphs[0] = f"{text.cast_for(self.body_seed).place.upper()} — {paragraphs[0]}"
        return paragraphs[:2] if self.paywalled else paragraphs


@dataclass
class Staffer:
    """A newsroom member with a profile page at /people/<slug>."""

    name: str
    slug: str
    role: str
    beat: str
    profile_markup: str  #: "profilepage" | "person" | "og" : how the profile page says what it is
