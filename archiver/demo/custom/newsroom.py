"""Who writes for the custom-CMS demo publisher, and how its pages credit them.

Bylines are written the ways real newsrooms write them: staff ("By Jane Doe, City Hall
Reporter"), wire copy ("By Reuters staff", "By Tom Hadley, The Associated Press", "By A and
B with AFP"), opinion ("Opinion by Jane Doe, contributing columnist"), analysis, reviews,
editorials ("By the Editorial Board") and briefs credited to the desk ("By Courier Staff").
Each comes with its truth: the people (``authors``) and the organisation (``credit``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SITE_NAME = "The Lakeside Courier"

#: (name, role, beat): apostrophes, hyphens, accents, initials and particles on purpose.
STAFF: list[tuple[str, str, str]] = [
    ("Mary-Kate O'Connor", "City Hall Reporter", "city government"),
    ("D'Andre Williams", "Staff Writer", "public safety"),
    ("Tomás Ortega", "Business Reporter", "the regional economy"),
    ("Priyanka Desai", "Health Reporter", "hospitals and public health"),
    ("Samuel L. Brooks", "Sports Writer", "high school and college sports"),
    ("Renée Laurent", "Staff Writer", "the North Shore"),
    ("Oluwaseun Adeyemi", "Education Reporter", "schools"),
    ("Hannah Schmidt", "Politics Reporter", "the statehouse"),
    ("Jake McAllister", "Staff Photographer", "photography"),
    ("Ana Lucía Gómez", "Staff Writer", "the West Valley"),
    ("Li Wei", "Data Reporter", "data and graphics"),
    ("Giulia Ferraro", "Video Producer", "video"),
    ("Pieter van der Berg", "Environment Reporter", "the lake and the environment"),
]
COLUMNISTS: list[tuple[str, str, str]] = [
    ("Margaret Chen", "Contributing Columnist", "opinion"),
    ("Victor Alvarez", "Columnist", "opinion"),
    ("Eleanor Whitfield", "Contributing Columnist", "opinion"),
]
CRITICS: list[tuple[str, str, str]] = [("Julian Park", "Arts Critic", "arts and culture")]
#: Wire reporters and their agency (no profile pages here).
WIRE_REPORTERS = {"Reuters": ["Ben Ortiz", "Sarah Lindqvist"], "The Associated Press": ["Tom Hadley", "Aiko Tanaka"],
                  "AFP": ["Claire Dubois"]}

SECTIONS: dict[str, str] = {
    "news": "News", "news/local": "Local", "news/north-shore": "North Shore", "news/west-valley": "West Valley",
    "politics": "Politics", "business": "Business", "sports": "Sports", "world": "World", "opinion": "Opinion",
    "arts": "Arts & Culture",
}
#: Where each genre of piece is published.
GENRE_SECTIONS = {
    "news": ["news/local", "news/north-shore", "news/west-valley", "politics", "business", "sports", "news"],
    "wire": ["world", "business", "world"], "opinion": ["opinion"], "editorial": ["opinion"],
    "analysis": ["politics", "business"], "review": ["arts"], "brief": ["news/local", "sports"],
    "gallery": ["news/local", "sports", "news/north-shore", "arts"], "liveblog": ["politics", "news", "sports"],
    "video": ["news/local", "sports", "business", "news/west-valley"],
}
#: Story genres and their odds.
GENRES = [("news", 45), ("wire", 16), ("opinion", 10), ("analysis", 7), ("review", 6), ("editorial", 4),
          ("brief", 5)]


@dataclass
class Credit:
    """A byline as shown, the people and organisation it names, and its JSON-LD authors."""

    shown: str
    authors: list[str]
    credit: str | None
    ld_authors: list[tuple[str, str]]  #: ("Person" | "Organization", name)


def _people(names: list[str]) -> list[tuple[str, str]]:
    return [("Person", n) for n in names]


def staff_names(rng: random.Random, n: int) -> list[str]:
    writers = [s[0] for s in STAFF if s[1] not in ("Staff Photographer", "Video Producer")]
    return rng.sample(writers, n)


def story_credit(rng: random.Random, genre: str) -> Credit:
    """The byline of a story of this genre, with its truth."""
    if genre == "news":
        a, b = staff_names(rng, 2)
        role = next(s[1] for s in STAFF if s[0] == a)
        return rng.choice([
            Credit(f"By {a}", [a], None, _people([a])),
            Credit(f"By {a} and {b}", [a, b], None, _people([a, b])),
            Credit(f"By {a}, {role}", [a], None, _people([a])),
            Credit(f"{a} and {b}", [a, b], None, _people([a, b])),
        ])
    if genre == "wire":
        agency = rng.choice(list(WIRE_REPORTERS))
        w = rng.choice(WIRE_REPORTERS[agency])
        a, b = staff_names(rng, 2)
        options = {
            "Reuters": [Credit("By Reuters staff", [], "Reuters", [("Organization", "Reuters")]),
                        Credit(f"{w} | Reuters", [w], "Reuters", [("Person", w), ("Organization", "Reuters")]),
                        Credit(f"By {a} and {b} with Reuters", [a, b], "Reuters",
                               [*_people([a, b]), ("Organization", "Reuters")])],
            "The Associated Press": [
                Credit("By The Associated Press", [], "The Associated Press",
                       [("Organization", "The Associated Press")]),
                Credit(f"By {w}, The Associated Press", [w], "The Associated Press",
                       [("Person", w), ("Organization", "The Associated Press")])],
            "AFP": [Credit("AFP", [], "AFP", [("Organization", "AFP")]),
                    Credit(f"By {a} with AFP", [a], "AFP", [("Person", a), ("Organization", "AFP")])],
        }[agency]
        return rng.choice(options)
    if genre == "opinion":
        c, role, _ = rng.choice(COLUMNISTS)
        return rng.choice([Credit(f"Opinion by {c}, {role.lower()}", [c], None, _people([c])),
                           Credit(f"Opinion by {c}", [c], None, _people([c])),
                           Credit(f"Guest opinion by {c}", [c], None, _people([c]))])
    if genre == "analysis":
        a, b = staff_names(rng, 2)
        return rng.choice([Credit(f"Analysis by {a}", [a], None, _people([a])),
                           Credit(f"News analysis by {a} and {b}", [a, b], None, _people([a, b]))])
    if genre == "review":
        r, role, _ = CRITICS[0]
        return rng.choice([Credit(f"Review by {r}", [r], None, _people([r])),
                           Credit(f"Reviewed by {r}, {role}", [r], None, _people([r]))])
    if genre == "editorial":
        return Credit("By the Editorial Board", [], "The Editorial Board", [("Organization", "The Editorial Board")])
    if genre == "brief":
        desk = rng.choice(["Courier Staff", "Lakeside Courier staff"])
        return Credit(f"By {desk}", [], desk, [("Organization", desk)])
    raise ValueError(f"no byline for genre {genre!r}")


def piece_credit(rng: random.Random, kind: str) -> Credit:
    """The byline of a gallery, live blog or video (not archived; shown all the same)."""
    if kind == "gallery":
        photographer = "Jake McAllister"
        return rng.choice([Credit(f"Photos by {photographer}", [photographer], None, _people([photographer])),
                           Credit(f"By {photographer}, Staff Photographer", [photographer], None,
                                  _people([photographer]))])
    if kind == "liveblog":
        names = staff_names(rng, 3)
        return Credit(f"By {names[0]}, {names[1]} and {names[2]}", names, None, _people(names))
    producer = "Giulia Ferraro"
    return Credit(f"By {producer}", [producer], None, _people([producer]))
