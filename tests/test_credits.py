"""People-only bylines: agencies, desks and the site are credits; genre labels and roles are not names.

Each case names the rule it exercises (a pattern of archiver/extraction/bylines.py or
credits.py); the test also runs the case with that pattern switched off (a pattern that
never matches) and checks the answer changes, so every rule is shown to matter.
"""

from __future__ import annotations

import re

import pytest

from archiver.extraction import bylines, credits
from archiver.extraction.bylines import choose_authors, choose_credit, split_byline

NEVER = re.compile(r"(?!)")
SITE = ["The Lakeside Courier"]

CASES = [
    # raw byline, people, credit, the rule that decides it
    # -- English
    ("By Reuters staff", [], "Reuters", "credits.AGENCY"),
    ("By The Associated Press", [], "The Associated Press", None),
    ("By Associated Press", [], "Associated Press", "credits.AGENCY"),
    ("Agence France-Presse", [], "Agence France-Presse", None),  # also an organisation word: agence
    ("By Jane Doe, Bloomberg", ["Jane Doe"], "Bloomberg", "credits.AGENCY"),
    ("From wire services", [], "wire services", None),
    ("AFP", [], "AFP", None),
    ("Jane Doe | Reuters", ["Jane Doe"], "Reuters", "bylines.SEPARATOR"),
    ("By Tom Hadley - The Associated Press", ["Tom Hadley"], "The Associated Press", "bylines.SEPARATOR"),
    ("By Jane Doe and John Smith with Reuters", ["Jane Doe", "John Smith"], "Reuters", "bylines.SPLIT"),
    ("By Jane Doe (Bloomberg)", ["Jane Doe"], "Bloomberg", "bylines.PARENS"),
    ("Opinion by Jane Doe, contributing columnist", ["Jane Doe"], None, "bylines.GENRE_PREFIX"),
    ("Opinion by Jane Doe", ["Jane Doe"], None, "bylines.GENRE_PREFIX"),
    ("Analysis by John Smith", ["John Smith"], None, "bylines.GENRE_PREFIX"),
    ("News analysis by Mary-Kate O'Connor and Renée Laurent", ["Mary-Kate O'Connor", "Renée Laurent"], None,
     "bylines.GENRE_PREFIX"),
    ("Review by Ann Lee", ["Ann Lee"], None, "bylines.GENRE_PREFIX"),
    ("Reviewed by Julian Park, Arts Critic", ["Julian Park"], None, "bylines.GENRE_PREFIX"),
    ("Guest opinion by Victor Alvarez", ["Victor Alvarez"], None, "bylines.GENRE_PREFIX"),
    ("Story by Jane Doe | Photographs by John Roe", ["Jane Doe"], None, None),
    ("Words by Jane Doe. Photographs by John Roe", ["Jane Doe"], None, "bylines.CUT"),
    ("By Staff", [], "Staff", "credits.STAFF"),
    ("Lakeside Courier staff", [], "Lakeside Courier staff", None),
    ("By Courier Staff", [], "Courier Staff", None),  # "Courier" names a paper
    ("By Lakeside Staff", [], "Lakeside Staff", "credits.STAFF_AFTER"),  # a word of the site's name
    ("By the Editorial Board", [], "The Editorial Board", "credits.ORGANISATION_WORD"),
    ("By Metro Desk", [], "Metro Desk", "credits.ORGANISATION_WORD"),
    ("Rob Picheta, CNN", ["Rob Picheta"], "CNN", "credits.ACRONYM"),
    ("Jane Doe, Staff Writer", ["Jane Doe"], None, None),
    ("Jörg Staff", ["Jörg"], None, None),  # a surname, not a desk (the role rule still takes it: known)
    # -- German
    ("Von Anna Muster, dpa", ["Anna Muster"], "dpa", "credits.AGENCY"),
    ("dpa", [], "dpa", "credits.AGENCY"),
    ("Von Lisa Meier und Tom Braun mit dpa", ["Lisa Meier", "Tom Braun"], "dpa", "bylines.SPLIT"),
    ("Von Peter Müller | AFP", ["Peter Müller"], "AFP", "bylines.SEPARATOR"),
    ("Ein Kommentar von Max Mustermann", ["Max Mustermann"], None, "bylines.GENRE_PREFIX"),
    ("Analyse von Anna Schmidt", ["Anna Schmidt"], None, "bylines.GENRE_PREFIX"),
    ("Redaktion", [], "Redaktion", "credits.ORGANISATION_WORD"),
    ("SPIEGEL-Redaktion", [], "SPIEGEL-Redaktion", "credits.ORGANISATION_WORD"),
    ("auto-motor.at Redaktion", [], "auto-motor.at Redaktion", None),
    ("Fluessiggas.de", [], "Fluessiggas.de", "credits.DOMAIN"),
    # -- French
    ("Par Jean Dupont avec AFP", ["Jean Dupont"], "AFP", "bylines.SPLIT"),
    ("Par Julien Lefèvre (AFP)", ["Julien Lefèvre"], "AFP", "bylines.PARENS"),
    ("Une analyse de Marie Curie", ["Marie Curie"], None, "bylines.GENRE_PREFIX"),
    ("Propos recueillis par Claire Martin", ["Claire Martin"], None, "bylines.GENRE_PREFIX"),
    ("Rédaction", [], "Rédaction", "credits.ORGANISATION_WORD"),
    # -- Spanish
    ("Por María García | EFE", ["María García"], "EFE", "bylines.SEPARATOR"),
    ("Agencia EFE", [], "Agencia EFE", None),
    ("EFE", [], "EFE", None),
    ("Por Juan Pérez con información de Reuters", ["Juan Pérez"], "Reuters", "bylines.CREDIT_LEAD"),
    ("Análisis de José de la Cruz", ["José de la Cruz"], None, "bylines.GENRE_PREFIX"),
    ("Opinión de Ana Ruiz", ["Ana Ruiz"], None, "bylines.GENRE_PREFIX"),
    ("Redacción", [], "Redacción", "credits.ORGANISATION_WORD"),
    # -- Portuguese, Italian
    ("Agência O Globo", [], "Agência O Globo", "credits.ORGANISATION_WORD"),
    ("Por Ana Souza, Jornal O Papel", ["Ana Souza"], "Jornal O Papel", "credits.ORGANISATION_WORD"),
    ("Redação", [], "Redação", "credits.ORGANISATION_WORD"),
    ("Corriere della Sera", [], "Corriere della Sera", "credits.ORGANISATION_WORD"),
    # -- where an outlet is based, a comment's header
    ("By Reuters, London", [], "Reuters", None),
    ("hessenschau.de, Frankfurt, Germany", [], "hessenschau.de", None),
    ("stephangoeldi said:", [], None, "bylines.SPEECH_END"),
    ("Do UOL, em São Paulo", [], "UOL", "bylines.CREDIT_LEAD"),
    ("a1plus.am", [], "a1plus.am", "credits.DOMAIN"),
    ("Piše: P. Mucović prije 26 minuta", ["P. Mucović"], None, "bylines.CUT"),
    ("J.Smith", ["J.Smith"], None, None),
    ("Anna Da Silva", ["Anna Da Silva"], None, None),
    # an "updated" line in the languages of the pages, a date line beside the name
    ("Uppdaterad", [], None, "bylines.CUT"),
    ("Aggiornato", [], None, "bylines.CUT"),
    ("Jacobo Betancur Peláez | Publicado hace 3 horas", ["Jacobo Betancur Peláez"], None, None),
    ("By Edward Said", ["Edward Said"], None, None),
]


def credit_of(raw: str) -> tuple[list[str], str | None]:
    byline = split_byline(raw, SITE)
    return byline.people, ", ".join(byline.credits) or None


@pytest.mark.parametrize(("raw", "people", "credit", "rule"), CASES, ids=[c[0] for c in CASES])
def test_byline_people_and_credit(raw, people, credit, rule, monkeypatch):
    assert credit_of(raw) == (people, credit)
    if rule:
        module, name = rule.split(".")
        monkeypatch.setattr({"bylines": bylines, "credits": credits}[module], name, NEVER)
        assert credit_of(raw) != (people, credit), f"{rule} switched off changes nothing"


def test_every_pattern_named_above_exists():
    for _, _, _, rule in CASES:
        if rule:
            module, name = rule.split(".")
            assert isinstance(getattr({"bylines": bylines, "credits": credits}[module], name), re.Pattern)


# -- choosing among a page's candidates ---------------------------------------------------


def test_wire_story_marked_up_and_shown():
    candidates = [("Reuters", "ld-author", "organization"), ("By Reuters staff", "byline", "")]
    assert choose_authors(candidates, SITE).names == []
    assert choose_credit(candidates, SITE) == "Reuters"


def test_people_and_agency_in_one_jsonld_author_list():
    candidates = [("Jane Doe; John Smith; Reuters", "ld-author", ""),
                  ("By Jane Doe and John Smith with Reuters", "byline", "")]
    authors = choose_authors(candidates, SITE).names
    assert authors == ["Jane Doe", "John Smith"]
    assert choose_credit(candidates, SITE, authors) == "Reuters"


def test_agency_credited_on_its_own_beside_a_person():
    candidates = [("Reuters", "ld-author", "organization"), ("Jane Doe", "meta-author", ""), ("By Jane Doe", "byline", "")]
    authors = choose_authors(candidates, SITE).names
    assert authors == ["Jane Doe"]
    assert choose_credit(candidates, SITE, authors) == "Reuters"


def test_site_name_beside_a_person_is_no_credit():
    candidates = [("The Lakeside Courier", "meta-author", ""), ("Jane Doe", "ld-author", "person")]
    authors = choose_authors(candidates, SITE).names
    assert authors == ["Jane Doe"]
    assert choose_credit(candidates, SITE, authors) is None


def test_an_agency_credit_says_more_than_the_site_name():
    candidates = [("24horas.cl", "ld-author", "organization"), ("Agencia EFE", "shown-byline", "")]
    assert choose_authors(candidates, ["24horas.cl"]).names == []
    assert choose_credit(candidates, ["24horas.cl"]) == "Agencia EFE"


def test_personal_site_typed_as_organization_keeps_its_author():
    """Yoast calls a personal site an Organization; a name written like a person's stays one."""
    candidates = [("Helge Fahrnberger", "ld-author", "organization"), ("Helge Fahrnberger", "trafilatura", "")]
    assert choose_authors(candidates, ["Helge Fahrnberger", "helge.at"]).names == ["Helge Fahrnberger"]


def test_a_person_outweighs_an_organisation_named_by_more_sources():
    candidates = [("Badische Zeitung", "meta-author", ""), ("Lisa Petrich", "meta-author", ""),
                  ("Lisa Petrich", "shown-byline", ""), ("Badische Zeitung", "trafilatura", "")]
    assert choose_authors(candidates, ["badische-zeitung.de"]).names == ["Lisa Petrich"]


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", "AP"),
        ("HAYWARD, Calif. (AP) — A man was stabbed.", "AP"),
        ("LOS ANGELES (Reuters) - Parasite won.", "Reuters"),
        ("MÜNCHEN (dpa/lby) - Die Staatsregierung hat beschlossen.", "dpa"),
        # under a title line, and in brackets at the end
        ("The Latest: Man stabbed on a train\nSAN FRANCISCO (AP) — Police said.", "AP"),
        ("Biden ha 288 voti.\nContro i 222 di Donald Trump. (ANSA).", "ANSA"),
        # a closing line that names the source, as syndicated wire copy ends
        ("Die Grenze bleibt zu.\nQuelle: dpa", "dpa"),
        ("La frontière reste fermée.\nSource : AFP", "AFP"),
        ("La frontera sigue cerrada.\nFuente: EFE", "EFE"),
        ("Die Grenze bleibt zu.\ndpa/jd", "dpa"),
        ("Die Grenze bleibt zu.\nAFP/dpa/mm", "AFP, dpa"),
        ("Die Grenze bleibt zu.\nMit Material von dpa und AFP", "dpa, AFP"),
        ("Die Grenze bleibt zu.\n© dpa-infocom, dpa:230301-99-123456/2", "dpa"),
        ("La frontière reste fermée.\nAvec AFP", "AFP"),
        # a closing source that is no agency
        ("Die Zahlen stammen vom Amt.\nQuelle: eigene Recherche", None),
        ("The figures come from the census.\nSource: Wikipedia", None),
        # not wire credits: a party, a desk's initials, a sentence, a broadcaster that is no agency
        ("BERLIN (SPD) - Die Partei hat beschlossen.", None),
        ("Die Ärzte raten zur Vorsicht. (vyp/kna)", None),
        ("A friend (Reuters) - said so.", None),
        ("NEW YORK (CNN) — Stocks fell.", None),
        ("", None),
    ],
)
def test_the_wire_a_dateline_credits(text, credit):
    assert credits.dateline_credit(text) == credit


def test_a_wire_story_is_credited_beside_its_reporter():
    from archiver.extraction.extract import extract_html
    from archiver.items import Extraction

    story = " ".join(["The committee heard testimony from officials for several hours on Tuesday."] * 4)
    html = ('<html><head><title>Ambassador testifies</title><meta name="author" content="Lisa Mascaro"></head>'
            '<body><article><h1>Ambassador testifies</h1><div class="byline">By Lisa Mascaro</div>'
            f'<p>WASHINGTON (AP) — {story}</p><p>{story}</p></article></body></html>')
    result = extract_html(html.encode(), "https://news.example.com/article/ambassador-testifies")
    assert isinstance(result, Extraction)
    assert (result.authors, result.credit) == (["Lisa Mascaro"], "AP")


def test_a_station_typed_as_an_organization_is_a_credit():
    """JSON-LD types "CBS Detroit" an Organization; a name with an acronym in it is no person's,
    while a personal site typed so keeps its author."""
    assert split_byline("CBS Detroit", ["detroit.cbslocal.com"], organisation=True).credits == ["CBS Detroit"]
    assert split_byline("CBS Detroit", ["detroit.cbslocal.com"]).people == ["CBS Detroit"]
    assert split_byline("Helge Fahrnberger", ["helge.at"], organisation=True).people == ["Helge Fahrnberger"]
