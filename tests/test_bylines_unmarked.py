"""Bylines printed without byline markup or a byline word: a name beside the date under the
headline, a labelled byline after the article's text, names joined by a slash, and site
and user names told apart from people."""

from __future__ import annotations

import lxml.html
import pytest

from archiver.extraction.bylines import choose_authors, clean_byline, name_line
from archiver.extraction.metadata import read_metadata

FILLER = " ".join(["Der Gemeinderat hat am Dienstagabend lange über das neue Budget beraten."] * 5)


def bylines(body: str, source: str) -> list[str]:
    html = (f'<html><head><meta property="og:title" content="Trinkwasser belastet"></head><body>'
            f'<div class="page"><div class="article"><h1>Trinkwasser belastet</h1>{body}</div></div></body></html>')
    md = read_metadata(lxml.html.document_fromstring(html), "https://news.example.de/trinkwasser")
    return [c.value for c in md.authors if c.source == source]


@pytest.mark.parametrize(
    ("body", "names"),
    [
        # a user name, then the date and time, each in an element of its own
        ('<div class="entry-meta"><a href="/u/1">HansEhrlich</a> <a href="/d">17.10.2019, 13:56 Uhr</a></div>',
         ["HansEhrlich"]),
        # a name, a connecting word, the date
        ('<div class="meta"><span>Kathrin Führes</span> <span>am</span> <div>Mittwoch, 26.01.2022 - 14:30</div></div>',
         ["Kathrin Führes"]),
        # the date, then the name in the same line
        ('<p class="text-muted">11.12.2019 - Amelie Loevenich</p>', ["Amelie Loevenich"]),
        ('<span>06.11.2023 13:30 von Olga</span>', ["Olga"]),
        # the name, then the date in the same line, led by a byline word or joined by "am"
        ('<div class="asset-meta">Von Christian am 03.05.2013, 11:51 | 0 Meinungen</div>', ["Christian"]),
        ('<p class="meta">Anna Muster am 26.01.2022</p>', ["Anna Muster"]),
        # not names: a place, a weekday, a credit, a single plain word without a byline word,
        # the site's name before the date (no byline word, no "am": a publisher writes it so)
        ('<p>Handball Schweiz · 02.02.2022</p>', []),
        ('<p>Berlin</p><p>26.01.2022</p>', []),
        ('<p>11.12.2019 - Mittwoch</p>', []),
        ('<p>Symbolbild imago</p><p>26.01.2022</p>', []),
        ('<p>11.12.2019 - Olga</p>', []),
    ],
)
def test_name_beside_the_shown_date(body, names):
    assert bylines(body + f"<p>{FILLER}</p>", "dated-byline") == names
    if names:
        assert choose_authors([(names[0], "dated-byline", "")]).names == names


def test_labelled_byline_after_the_article_text():
    """sonnenenergie.de prints "<b>Von:</b><br><br>Götz Warnke" under the last paragraph."""
    end = '<a href="mailto:x"><b>Von:</b> <br /> <br /> Götz Warnke</a>'
    assert bylines(f"<p>{FILLER}</p><p>{FILLER}</p>{end}", "end-byline") == ["Götz Warnke"]
    assert bylines(f"<p>{FILLER}</p><p>Autor: Dr. Tim Loppe</p>", "end-byline") == ["Dr. Tim Loppe"]


@pytest.mark.parametrize(
    "end",
    [
        # no colon: the next teaser's byline on a page of several posts
        '<div class="post"><h2>Nächster Beitrag</h2><div class="entry-meta">Von <a href="/a/ts">Tom Stelling</a></div></div>',
        # in the footer or the comments
        '<footer><p>Von: Webredaktion Musterstadt</p></footer>',
        '<div id="comments"><p>Von: Anna Muster</p></div>',
        # before the article's text: the byline beside the headline, read elsewhere
        '',
    ],
)
def test_no_labelled_byline_after_the_text(end):
    assert bylines(f"<p>{FILLER}</p>{end}", "end-byline") == []


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Peter Maahn/SP-X", ["Peter Maahn"]),  # "SP-X", a press service, is the credit
        ("E. BARRENECHE / J. I. DA SILVA", ["E. Barreneche", "J. I. Da Silva"]),
        ("Von Anna Muster / 12.03.2019", ["Anna Muster"]),  # a date after a slash is no name
        ("Maria Garcia y Pedro Lopez", ["Maria Garcia", "Pedro Lopez"]),
        # a byline before the day of the week and the date
        ("Von Isabella.DiBiase am Samstag, 19. Oktober 2019", ["Isabella.DiBiase"]),
        ("Par Émilie Durand le mercredi 3 mars 2021", ["Émilie Durand"]),
        # other people's credits after the author's
        ("Text von Christian Seiler    Illustration von Markus Roost", ["Christian Seiler"]),
    ],
)
def test_clean_byline_joins_and_tails(raw, names):
    assert clean_byline(raw) == names


@pytest.mark.parametrize(
    ("text", "led", "name"),
    [("Kathrin Führes", False, "Kathrin Führes"), ("Jean de La Fontaine", False, "Jean de La Fontaine"),
     ("HansEhrlich", False, "HansEhrlich"), ("freeman1984", False, "freeman1984"), ("Olga", True, "Olga"),
     ("Olga", False, None), ("Berlin", False, None), ("Frankfurt am Main", False, None),
     ("Staff Writer", False, None), ("Mittwoch", False, None), ("AFP", False, None), ("Seite 1 von 2", False, None)],
)
def test_name_line(text, led, name):
    assert name_line(text, led=led) == name


def test_a_publication_typed_as_a_person_loses_to_the_byline():
    """JSON-LD calls L'Opinion a Person; the byline markup names the reporter."""
    candidates = [("L'Opinion", "ld-author", "person"), ("Emmanuelle Ducros", "byline", "")]
    assert choose_authors(candidates, ["lopinion"]).names == ["Emmanuelle Ducros"]
    # a blog named after its one user keeps that user when nothing else names a person
    blog = [("happyface313", "ld-author", "person"), ("Happyface", "trafilatura", "")]
    assert choose_authors(blog, ["happyface313"]).names == ["happyface313"]
