"""Byline strings as pages write them -> clean author names."""

from __future__ import annotations

import lxml.html
import pytest

from archiver.extraction.bylines import choose_authors, choose_credit, clean_byline, fix_case
from archiver.extraction.metadata import read_metadata


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Katelyn Kivel", ["Katelyn Kivel"]),
        ("by Katelyn Kivel", ["Katelyn Kivel"]),
        ("Posted by Jane Doe", ["Jane Doe"]),
        ("Written by: Jane Doe", ["Jane Doe"]),
        ("BY JANE DOE", ["Jane Doe"]),
        ("jane doe", ["Jane Doe"]),
        ("Jane Doe, Staff Writer", ["Jane Doe"]),
        ("Jane Doe, Contributing Editor", ["Jane Doe"]),
        ("By Ingrid Sørensen, Climate Reporter", ["Ingrid Sørensen"]),
        ("Grant Tinsley, PhD", ["Grant Tinsley"]),
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("Jane Doe, John Smith & Ann Lee", ["Jane Doe", "John Smith", "Ann Lee"]),
        ("Jane Doe; John Smith", ["Jane Doe", "John Smith"]),
        ("José Müller-Brandt und Siobhán O'Neill", ["José Müller-Brandt", "Siobhán O'Neill"]),
        ("Maria Garcia y Pedro Lopez", ["Maria Garcia", "Pedro Lopez"]),
        ("By JANE DOE and John Smith, Staff Writers | July 5, 2018", ["Jane Doe", "John Smith"]),
        ("By Jane Doe | Updated 3:14 PM", ["Jane Doe"]),
        ("By Jane Doe on July 5, 2018", ["Jane Doe"]),
        ("Von Peter Müller | 12.03.2019", ["Peter Müller"]),
        ("Par Émilie Durand", ["Émilie Durand"]),
        ("By Jane Doe jane.doe@example.com @janedoe", ["Jane Doe"]),
        ("Sarah Smith for The Guardian", ["Sarah Smith"]),
        ("by Mike O’Brien - Updated", ["Mike O’Brien"]),
        ("Dezember 10, 2019 · von freeman1984 · in Uncategorized", ["freeman1984"]),
        ("Text und Interview: Harald Willenbrock", ["Harald Willenbrock"]),
        ("Posted by Nathan Parker, Varun Khaneja and Kiran C Nair - Chrome Security",
         ["Nathan Parker", "Varun Khaneja", "Kiran C Nair"]),
        ("Associated Press", []),  # an agency is a credit (tests/test_credits.py)
        ("Reuters", []),
        ("Perry Bacon Jr.", ["Perry Bacon Jr"]),
        ("FOCUS-Online-Experte Robin Tschöpe", ["Robin Tschöpe"]),
        ("SPIEGEL-Korrespondentin Anna Muster und dpa-Reporter Max Mann", ["Anna Muster", "Max Mann"]),
        ("Jean-Pierre Dupont", ["Jean-Pierre Dupont"]),
        ("https://www.facebook.com/someone", []),
        ("admin", []),
        ("Posted by admin on 5 July 2018", []),
        ("", []),
        (None, []),
    ],
)
def test_clean_byline(raw, names):
    assert clean_byline(raw) == names


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [("JANE DOE", "Jane Doe"), ("jane doe", "Jane Doe"), ("SIOBHÁN O'NEILL", "Siobhán O'Neill"),
     ("JOSÉ MÜLLER-BRANDT", "José Müller-Brandt"), ("McDonald", "McDonald"), ("AP", "AP"),
     ("Jane deVries", "Jane deVries")],
)
def test_fix_case(raw, fixed):
    assert fix_case(raw) == fixed


def test_agreement_beats_first_found():
    candidates = [
        ("Site Editor Team", "byline", ""),
        ("Jane Doe", "meta-author", ""),
        ("By Jane Doe", "byline", ""),
    ]
    assert choose_authors(candidates).names == ["Jane Doe"]


def test_jsonld_person_beats_byline_noise():
    candidates = [("Christoph Hein Chefredakteur", "byline", ""), ("Christoph Hein", "ld-author", "person")]
    assert choose_authors(candidates).names == ["Christoph Hein"]


def test_site_name_loses_to_a_person():
    candidates = [("Demo Gazette", "meta-author", ""), ("Jane Doe", "byline", "")]
    assert choose_authors(candidates, ["Demo Gazette"]).names == ["Jane Doe"]


def test_site_name_alone_is_the_credit():
    candidates = [("Solarserver", "meta-author", "")]
    assert choose_authors(candidates, ["solarserver"]).names == []
    assert choose_credit(candidates, ["solarserver"]) == "Solarserver"


def test_site_name_dropped_from_list():
    assert choose_authors([("Rob Picheta, CNN", "meta-author", "")], ["cnn"]).names == ["Rob Picheta"]


def test_url_author_meta_ignored():
    candidates = [("https://www.facebook.com/someone", "og-author", ""), ("Jane Doe", "byline", "")]
    assert choose_authors(candidates).names == ["Jane Doe"]


def test_organization_only_byline_is_the_credit():
    candidates = [("Associated Press", "ld-author", "organization")]
    assert choose_authors(candidates).names == []
    assert choose_credit(candidates) == "Associated Press"


def test_no_candidates():
    assert choose_authors([]).names == []


def test_personal_blog_named_after_its_author():
    """A JSON-LD Person with the site's own name runs the blog; trafilatura's guess loses."""
    candidates = [("happyface313", "ld-author", "person"), ("Happyface", "trafilatura", "")]
    assert choose_authors(candidates, ["happyface313"]).names == ["happyface313"]
    assert choose_authors([("Demo Gazette", "ld-author", "organization"), ("Jane Doe", "byline", "")],
                          ["Demo Gazette"]).names == ["Jane Doe"]


def test_a_publication_label_names_nobody():
    assert clean_byline("Publiziert am") == []
    assert clean_byline("Publiziert am 13. Januar 2014 von uriebe") == []
    assert choose_authors([("Publiziert am", "byline", ""), ("uriebe", "byline", "")]).names == ["Uriebe"]


# -- bylines shown as plain text beside the headline ------------------------------------------

FILLER = " ".join(["Der Gemeinderat hat am Dienstagabend lange über das neue Budget beraten."] * 5)


def shown_bylines(body: str) -> list[str]:
    html = (f'<html><head><meta property="og:title" content="Trinkwasser belastet"></head><body>'
            f'<div><div><h1>Trinkwasser belastet</h1>{body}</div></div></body></html>')
    md = read_metadata(lxml.html.document_fromstring(html), "https://news.example.at/trinkwasser")
    return [c.value for c in md.authors if c.source == "shown-byline"]


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ('<div class="metaInfo">Ein Artikel von <strong>Pamela Sladky</strong> | 27.01.2022 - 12:45</div>',
         ["Pamela Sladky"]),
        ("<p><i>von Daniela Obers</i></p>", ["Daniela Obers"]),
        ('<div>05.02.2020 <span>-&nbsp;Redaktion: Eberhard Fuhr (Pressesprecher)</span></div>',
         ["Eberhard Fuhr (Pressesprecher)"]),
        ('<h4>Autor</h4><p class="news__meta-text">\n<a href="/profil/nh">Nikolai Huke</a></p>', ["Nikolai Huke"]),
        ("<p>By Jane Doe and John Roe, Staff Writers</p>", ["Jane Doe and John Roe, Staff Writers"]),
        # no byline: a sentence of the article, a name too far into the running text
        ("<p>Von Berlin aus fuhr der Zug am Dienstag nach Wien, wo er am Abend ankam und lange stand.</p>",
         []),
        (f"<p>{FILLER}</p><p>Von Anna Muster</p>", []),
    ],
)
def test_byline_shown_as_text(body, shown):
    assert shown_bylines(body) == shown
    if shown:
        assert choose_authors([(shown[0], "shown-byline", "")]).names


def test_author_box_that_goes_on_with_more_than_the_byline():
    bio = " ".join(["Georg Quaas lehrt Volkswirtschaft und schreibt über Multiplikatoren."] * 3)
    html = ('<html><body><h1>Multiplikator</h1><div class="author"><a href="/autoren/gq/">Georg Quaas</a>, '
            f'21. Jan. 2015 <div class="article">{bio}</div></div></body></html>')
    md = read_metadata(lxml.html.document_fromstring(html), "https://news.example.org/artikel/x")
    bylines = [c.value for c in md.authors if c.source == "byline"]
    assert bylines == ["Georg Quaas, 21. Jan. 2015"]
    assert choose_authors([(bylines[0], "byline", "")]).names == ["Georg Quaas"]
