"""Byline strings as pages write them -> clean author names."""

from __future__ import annotations

import pytest

from archiver.bylines import choose_authors, clean_byline, fix_case


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
        ("Associated Press", ["Associated Press"]),
        ("Reuters", ["Reuters"]),
        ("Perry Bacon Jr.", ["Perry Bacon Jr"]),
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
    assert choose_authors(candidates) == ["Jane Doe"]


def test_jsonld_person_beats_byline_noise():
    candidates = [("Christoph Hein Chefredakteur", "byline", ""), ("Christoph Hein", "ld-author", "person")]
    assert choose_authors(candidates) == ["Christoph Hein"]


def test_site_name_loses_to_a_person():
    candidates = [("Demo Gazette", "meta-author", ""), ("Jane Doe", "byline", "")]
    assert choose_authors(candidates, ["Demo Gazette"]) == ["Jane Doe"]


def test_site_name_kept_when_alone():
    assert choose_authors([("Solarserver", "meta-author", "")], ["solarserver"]) == ["Solarserver"]


def test_site_name_dropped_from_list():
    assert choose_authors([("Rob Picheta, CNN", "meta-author", "")], ["cnn"]) == ["Rob Picheta"]


def test_url_author_meta_ignored():
    candidates = [("https://www.facebook.com/someone", "og-author", ""), ("Jane Doe", "byline", "")]
    assert choose_authors(candidates) == ["Jane Doe"]


def test_organization_only_byline_kept():
    assert choose_authors([("Associated Press", "ld-author", "organization")]) == ["Associated Press"]


def test_no_candidates():
    assert choose_authors([]) == []
