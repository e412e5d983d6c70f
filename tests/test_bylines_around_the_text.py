"""Bylines the page gives around its text rather than in byline markup, and byline strings
that name no one: a profession before the name, reading controls, an outlet's place, a
list of tags, a personal site's first name, author boxes and "Author" headings; and bylines
as newspapers, wires, blog software, microdata and JSON-LD write them."""

from __future__ import annotations

import json

import lxml.html
import pytest

from archiver.extraction.bylines import (
    choose_authors,
    choose_credit,
    clean_byline,
    completed_names,
    guessed_people,
    split_byline,
)
from archiver.extraction.extract import extract_html
from archiver.extraction.metadata import read_metadata
from archiver.items import Extraction

FILLER = " ".join(["Der Gemeinderat hat am Dienstagabend lange über das neue Budget beraten."] * 5)


def candidates(body: str, source: str, *, url: str = "https://news.example.de/trinkwasser") -> list[str]:
    html = (f'<html><head><meta property="og:title" content="Trinkwasser belastet"></head><body>'
            f'<div class="page"><div class="article"><h1>Trinkwasser belastet</h1>{body}</div></div></body></html>')
    md = read_metadata(lxml.html.document_fromstring(html), url)
    return [c.value for c in md.authors if c.source == source]


@pytest.mark.parametrize(
    "end",
    [
        # the profession linked on its own after a lone label (juraforum.de's lawyers)
        '<div>Autor: <a href="/rechtsanwalt/">Rechtsanwalt</a> Sebastian Einbock</div>',
        '<p>Autor: Rechtsanwalt Sebastian Einbock</p>',
        '<p><b>Autor:</b></p><p>Rechtsanwalt</p><p>Sebastian Einbock</p>',
    ],
)
def test_a_profession_before_the_name_is_not_the_name(end):
    assert candidates(f"<p>{FILLER}</p><p>{FILLER}</p>{end}", "end-byline") == ["Sebastian Einbock"]


def test_a_profession_alone_names_no_one():
    assert candidates(f"<p>{FILLER}</p><p>{FILLER}</p><p>Autor: Rechtsanwalt</p><p>{FILLER}</p>", "end-byline") == []
    assert clean_byline("Von Rechtsanwältin Anna Muster") == ["Anna Muster"]


@pytest.mark.parametrize("control", ["Text vorlesen", "Artikel anhören", "Listen to this article"])
def test_reading_controls_beside_the_byline_name_no_one(control):
    """finanztreff.de shows "Text vorlesen" (read aloud) where bylines stand."""
    shown = candidates(f'<span class="play">{control}</span><p>{FILLER}</p>', "shown-byline")
    assert choose_authors([(value, "shown-byline", "") for value in shown]).names == []


@pytest.mark.parametrize(
    ("raw", "people", "credits"),
    [
        # an outlet's place is where it is based, not a person
        ("hessenschau.de, Frankfurt, Germany", [], ["hessenschau.de"]),
        ("By Reuters, London", [], ["Reuters"]),
        # people beside an outlet stay people
        ("Jane Doe and John Smith, Reuters", ["Jane Doe", "John Smith"], ["Reuters"]),
        ("Anna Muster, dpa", ["Anna Muster"], ["dpa"]),
        # a list of the page's tags or sections in a byline element
        ("01.12.2022 / / CSP / International / Photovoltaik / Solarthermie / Speicher / Wirtschaft", [], []),
        ("Politik, Wirtschaft, Kultur", [], []),
        # agencies in a list are credits, and a slash splits a name from a press service's initials
        ("Reuters, AFP and dpa", [], ["Reuters", "AFP", "dpa"]),
        ("Peter Maahn/SP-X", ["Peter Maahn"], ["SP-X"]),
    ],
)
def test_places_and_tag_lists_in_bylines(raw, people, credits):
    byline = split_byline(raw, {"hessenschau", "hessenschaude"})
    assert (byline.people, byline.credits) == (people, credits)


@pytest.mark.parametrize(
    ("names", "sites", "text", "completed"),
    [
        # the site is named after the author, and the page writes the full name
        (["Henry"], {"steinhau", "steinhaucom"}, "Ausschnitt: Henry Steinhau", ["Henry Steinhau"]),
        (["Alexander"], {"alexanderklier"}, "Alexander bei der Arbeit. Dr. Alexander Klier", ["Alexander Klier"]),
        # the full name is not the site's: another Henry
        (["Henry"], {"steinhau"}, "Foto: Henry Miller", ["Henry"]),
        # no full name on the page, a full name already, a user name
        (["Henry"], {"steinhau"}, "Henry schreibt", ["Henry"]),
        (["Anna Muster"], {"muster"}, "Anna Muster Musterfrau", ["Anna Muster"]),
        (["henry"], {"steinhau"}, "henry Steinhau", ["henry"]),
    ],
)
def test_a_first_name_alone_on_a_site_named_after_its_author(names, sites, text, completed):
    assert completed_names(names, sites, lambda: text) == completed


def test_the_page_text_is_read_only_for_a_first_name_alone():
    def page_text() -> str:
        raise AssertionError("read the page's text for a full name")

    assert completed_names(["Anna Muster"], {"muster"}, page_text) == ["Anna Muster"]


def test_a_personal_site_first_name_through_extraction():
    html = ('<html><head><title>Einmal zahlen, alles lesen</title></head><body><article>'
            '<h1>Einmal zahlen, alles lesen</h1><div class="byline">Von Henry</div>'
            f'<p>{FILLER}</p><p>{FILLER}</p><figure><figcaption>Foto: Henry Steinhau</figcaption></figure>'
            f'<p>{FILLER}</p></article></body></html>')
    result = extract_html(html.encode(), "https://www.steinhau.com/blog/einmal-zahlen/", any_page=True)
    assert isinstance(result, Extraction)
    assert result.authors == ["Henry Steinhau"]


@pytest.mark.parametrize(
    ("box", "names"),
    [
        ('<div class="author-box"><h3>About Ed de Leon</h3><p>Ed writes about film.</p></div>', ["Ed de Leon"]),
        ('<div class="td-author-info"><strong>Von Frank Hahn</strong><p>Rezensent seit 2010.</p></div>',
         ["Frank Hahn"]),
        # headings that name no one, and a box among the comments
        ('<div class="author-box"><h3>More On</h3><p>Taliban</p></div>', []),
        ('<div id="comments"><div class="author-box"><h3>Max Leser</h3></div></div>', []),
    ],
)
def test_the_name_heading_an_author_box(box, names):
    assert candidates(f"<p>{FILLER}</p>{box}", "author-box") == names


@pytest.mark.parametrize(
    ("meta", "names"),
    [
        ('<section><h4>Autor</h4><p><a href="/profil/nh">Nikolai Huke</a><b>, </b></p></section>', ["Nikolai Huke"]),
        ("<dl><dt>Author</dt><dd>Jane Doe</dd></dl>", ["Jane Doe"]),
        # the label over a long text (a section about authorship), or no label at all
        (f"<section><h4>Autor</h4><p>{FILLER}</p></section>", []),
        ("<section><h4>Autorenservice</h4><p>Jane Doe</p></section>", []),
    ],
)
def test_an_author_heading_labels_the_next_element(meta, names):
    found = candidates(f"<p>{FILLER}</p>{meta}", "labelled-byline")
    assert choose_authors([(value, "labelled-byline", "") for value in found]).names == names


def test_trafilaturas_guess_weighs_less_than_a_name_shown_beside_the_date():
    """trafilatura's author, a guess from the whole page, is right on under half of the pages
    where it names someone (half A of metadata/): a commenter, a user in a sidebar."""
    candidates = [("MikeNils", "dated-byline", ""), ("D-Zug", "trafilatura", "")]
    assert choose_authors(candidates).names == ["MikeNils"]
    assert choose_authors([("D-Zug", "trafilatura", "")]).names == ["D-Zug"]


def test_a_json_ld_person_named_as_the_site_is_its_credit_unless_written_like_a_persons_name():
    """News sites put their own name in a Person ("News18", "Ukrinform", "StarsInsider"); a
    personal blog names its owner, whose name is the site's too."""
    for name, sites in (("News18", {"News18"}), ("Ukrinform", {"Ukrinform", "ukrinform.ru"}),
                        ("StarsInsider", {"StarsInsider"})):
        candidates = [(name, "ld-author", "person")]
        assert (choose_authors(candidates, sites).names, choose_credit(candidates, sites)) == ([], name)
    helge = [("Helge Fahrnberger", "ld-author", "person")]
    assert choose_authors(helge, {"Helge Fahrnberger"}).names == ["Helge Fahrnberger"]


def test_trafilaturas_guess_that_repeats_a_byline_naming_no_one_is_left_out():
    """trafilatura reads the same byline element and keeps what follows a "by": of a
    sponsor's line, the sponsor; of a user's initials, a word."""
    assert choose_authors([("Sponsored by Acme", "byline", ""), ("Acme", "trafilatura", "")]).names == []
    assert choose_authors([("Autor: asty//now", "byline", ""), ("Asty; Now", "trafilatura", "")]).names == []
    # beside a byline that names someone, or a handle, or alone, the guess still counts
    assert choose_authors([("@janedoe", "twitter", ""), ("Jane Doe", "trafilatura", "")]).names == ["Jane Doe"]
    assert choose_authors([("Sponsored by Acme", "byline", ""), ("Jane Doe", "trafilatura", "")]).names == [
        "Jane Doe"]
    assert byline_through_extraction('<div class="byline">Sponsored by Acme</div>') == ([], None)


@pytest.mark.parametrize(
    ("raw", "people"),
    [
        # a comment's header, a quote's speaker
        ("stephangoeldi said:", []),
        ("Stephangoeldi Said:", []),
        ("Jane Doe says", []),
        ("Anna Muster schreibt:", []),
        # "Said" is also a name
        ("By Edward Said", ["Edward Said"]),
        ("Edward Said and Noam Chomsky", ["Edward Said", "Noam Chomsky"]),
        ("John Smith said the council", ["John Smith"]),
    ],
)
def test_verbs_of_saying_and_the_name_said(raw, people):
    assert clean_byline(raw) == people


@pytest.mark.parametrize(
    ("raw", "sites", "people", "credits"),
    [
        # the site's own name, led by an article: a publication however it is written
        ("Le Monde with AFP", {"lemonde", "lemondefr"}, [], ["Le Monde", "AFP"]),
        ("El Colombiano", {"elcolombiano"}, [], ["El Colombiano"]),
        ("The Frontier Post", {"thefrontierpost"}, [], ["The Frontier Post"]),
        # a name led by the same words on another site, a personal site's name
        ("La Toya Jackson", {"example"}, ["La Toya Jackson"], []),
        ("Helge Fahrnberger", {"helgefahrnberger"}, ["Helge Fahrnberger"], []),
    ],
)
def test_a_publication_named_as_the_site(raw, sites, people, credits):
    byline = split_byline(raw, sites, organisation="Monde" in raw)
    assert (byline.people, byline.credits) == (people, credits)


@pytest.mark.parametrize(
    ("raw", "people"),
    [
        # a weekday the date line left behind; two words stay a name
        ("By Mike Wuerthele and Malcolm Owen Monday", ["Mike Wuerthele", "Malcolm Owen"]),
        ("Anna Sunday", ["Anna Sunday"]),
        # an article leads a publication or a phrase, not a person
        ("Spencer S. Hsu, The Washington Post", ["Spencer S. Hsu"]),
        ("Die Zeit", []),
        ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
        ("Sami al-Ajrami", ["Sami al-Ajrami"]),
    ],
)
def test_weekdays_and_articles_are_no_part_of_a_name(raw, people):
    assert clean_byline(raw) == people


# -- bylines as newspapers and wires write them -------------------------------------------

#: (byline, people, credits) as publishers print them.
AS_WRITTEN = [
    # AP's syndicated byline: names in capitals, the agency with no mark between
    ("By ZEKE MILLER and DARLENE SUPERVILLE Associated Press", ["Zeke Miller", "Darlene Superville"],
     ["Associated Press"]),
    ("By SETH BORENSTEIN AP Science Writer", ["Seth Borenstein"], ["AP"]),
    ("Von Anna Muster dpa", ["Anna Muster"], ["dpa"]),
    ("By Anna Muster CNN", ["Anna Muster"], ["CNN"]),
    # a one-word agency in title case is a surname; a numeral ends a name
    ("Michael Bloomberg", ["Michael Bloomberg"], []),
    ("John Smith III", ["John Smith III"], []),
    # where the reporter files from
    ("By Jemima Kelly in London", ["Jemima Kelly"], []),
    ("Reporting by Jane Doe in London and Bob Lee in Paris", ["Jane Doe", "Bob Lee"], []),
    ("AFP in Paris", [], ["AFP"]),
    ("Von Anna Meier, Hamburg, und Bob Lee, Berlin", ["Anna Meier", "Bob Lee"], []),
    # Reuters' closing line names its editor, who did not write the story
    ("Reporting by Jane Doe; Editing by John Smith", ["Jane Doe"], []),
    # the outlet the writer wrote for: named last, after "for" or "special to", led by "The"
    ("Jane Doe Special to The Post", ["Jane Doe"], ["The Post"]),
    ("Jane Doe | Special to the Star Tribune", ["Jane Doe"], ["The Star Tribune"]),
    ("Jane Doe for The Conversation", ["Jane Doe"], ["The Conversation"]),
    ("For Daily Mail Australia", [], ["Daily Mail Australia"]),
    ("Jane Doe for CNN", ["Jane Doe"], ["CNN"]),
    ("Jane Doe and John Roe, The Washington Post", ["Jane Doe", "John Roe"], ["The Washington Post"]),
    ("By Jane Doe, The Hill", ["Jane Doe"], ["The Hill"]),
    ("Jane Doe for the first time", ["Jane Doe"], []),
    ("The Russian and Syrian defense ministries", [], []),
    ("NJ Advance Media for NJ.com", [], ["NJ Advance Media"]),
    # agencies' material, a role set apart, a sponsor
    ("mit Material von dpa und AFP", [], ["dpa", "AFP"]),
    ("Anna Muster, with reporting from Reuters", ["Anna Muster"], ["Reuters"]),
    ("With reporting by Jane Doe", ["Jane Doe"], []),
    ("Jane Doe - Staff Writer", ["Jane Doe"], []),
    ("Sponsored by Acme", [], []),
    ("Presented by Acme Corp", [], []),
    # a professional's credentials after the name are no agency
    ("Jane Doe, CFA", ["Jane Doe"], []),
    ("By Jane Doe, CPA, and John Roe, CFP", ["Jane Doe", "John Roe"], []),
    # an outlet's desk after the name
    ("Jane Doe, CNN Business", ["Jane Doe"], ["CNN"]),
    ("By Anna Muster, Bloomberg Opinion", ["Anna Muster"], ["Bloomberg"]),
    # a beat and a role name no one
    ("By Court Reporter", [], []),
    ("Crime Correspondent", [], []),
    ("publisher", [], []),
    # a label for the photos after the name: the name is the writer's
    ("Text: Anna Muster, Fotos: Bob Lee", ["Anna Muster"], []),
    # one surname in two halves (Spanish, Portuguese); "y" and "e" between two people still split
    ("José Ortega y Gasset", ["José Ortega y Gasset"], []),
    ("José Volta e Pinto", ["José Volta e Pinto"], []),
    ("Juan Pérez y María López", ["Juan Pérez", "María López"], []),
    # a section and a date line before the lead word: the byline starts at "Af"
    ("Erhverv - 02. januar 2020 kl. 10:21 Af Ritzau Kontakt redaktionen: sndk@sn.dk", [], ["Ritzau"]),
    ("Politik - 12.03.2023 - Von Anna Muster", ["Anna Muster"], []),
    # words of a sentence in byline markup; names with particles stay names
    ("The Russian and Syrian defense ministries", [], []),
    ("Lire l’article original", [], []),
    ("Kevin de la Cruz del Valle", ["Kevin de la Cruz del Valle"], []),
    ("Fatima bint Ahmad ibn Rashid", ["Fatima bint Ahmad ibn Rashid"], []),
    ("Abdullah al-Hakim al-Nasser", ["Abdullah al-Hakim al-Nasser"], []),
    ("Mobasir hassan", ["Mobasir hassan"], []),
    # a syndicated story's byline: the paper that wrote it, led by its article
    ("By Jim Rutenberg, Lisa Lerer and KENNETH P. VOGEL The New York Times",
     ["Jim Rutenberg", "Lisa Lerer", "Kenneth P. Vogel"], ["The New York Times"]),
    ("Metric Media News Service", [], ["Metric Media News Service"]),  # one organisation, not split
    # the outlet of a reporter's title
    ("By ZEKE MILLER, AP White House Correspondent", ["Zeke Miller"], ["AP"]),
    ("Jane Doe, Climate Reporter", ["Jane Doe"], []),
    # blog software's "posted by" in several languages; "Pubblicato" also dates a byline
    ("Eingestellt von Weinlachgummi", ["Weinlachgummi"], []),
    ("Pubblicato da Mario Rossi", ["Mario Rossi"], []),
    ("Geplaatst door Jan Jansen", ["Jan Jansen"], []),
    ("Veröffentlicht von Anna Muster am 12.03.2023", ["Anna Muster"], []),
    ("Aktualisiert von Bob Lee", [], []),  # who changed the page did not write it
    # a label that credits pictures names no writer
    ("Фото: Алексей Меринов", [], []),
    ("Fotos: Bob Lee", [], []),
    ("Text und Fotos: Anna Muster", ["Anna Muster"], []),
    # an outlet in capitals after names that are not
    ("By Mary Bowerman and Ryan W. Miller, USA TODAY", ["Mary Bowerman", "Ryan W. Miller"], ["USA Today"]),
    ("Jim Rutenberg, Lisa Lerer, KENNETH P. VOGEL", ["Jim Rutenberg", "Lisa Lerer", "Kenneth P. Vogel"], []),
    ("By JANE DOE and JOHN SMITH", ["Jane Doe", "John Smith"], []),
    # an agency's service, initials outside ASCII, wires of South Asia
    ("dpa-infocom", [], ["dpa-infocom"]),
    ("Sid-Ahmed", ["Sid-Ahmed"], []),
    ("Autor: Jan Novák, ČTK", ["Jan Novák"], ["ČTK"]),
    ("Press Trust of India", [], ["Press Trust of India"]),
    ("HT Correspondent", [], ["HT"]),
    # the reporter's title in Japanese, Chinese and Korean
    ("記者 山田太郎", ["山田太郎"], []),
    ("文/王小明", ["王小明"], []),
    ("홍길동 기자", ["홍길동"], []),
    # the paper's own reporter before the name
    ("Door onze redacteur Jan Jansen", ["Jan Jansen"], []),
    ("Von unserem Korrespondenten Max Muster", ["Max Muster"], []),
    ("Von unserer Korrespondentin Anna Muster, Paris", ["Anna Muster"], []),
    ("De notre envoyé spécial Jean Dupont", ["Jean Dupont"], []),
    ("Di nostra inviata Maria Rossi", ["Maria Rossi"], []),
    ("By our correspondent Jane Doe", ["Jane Doe"], []),
    ("By Our Staff Reporter", [], []),
    # a company's legal form: no name ends with one
    ("Arentik d.o.o.", [], ["Arentik d.o.o"]),
    ("Text: Nowak sp. z o.o.", [], ["Nowak sp. z o.o"]),
    ("Jane Doe, Acme Holdings plc", ["Jane Doe"], ["Acme Holdings plc"]),
    ("Van Dijk B.V.", [], ["Van Dijk B.V"]),
    # "writes" leading the name in Spanish and Portuguese; a lead word or a link to the next story alone
    ("Escribe Camila Méndez", ["Camila Méndez"], []),
    ("Escreve João Silva", ["João Silva"], []),
    ("Publicado", [], []),
    ("Weitere Artikel", [], []),
    # the writer's social links inside the byline element
    ("Jane Doe Follow", ["Jane Doe"], []),
    ("Jane Doe on Twitter: @janedoe", ["Jane Doe"], []),
    ("Anna Muster auf Twitter folgen", ["Anna Muster"], []),
    ("Jane Doe LinkedIn Email", ["Jane Doe"], []),
    # advertising
    ("Sponsored content by Acme", [], []),
    ("Paid post by Acme", [], []),
    # where a correspondent is; Dutch "en" still joins two names
    ("Por Juan Pérez, corresponsal en Madrid", ["Juan Pérez"], []),
    ("Door Jan Jansen en Piet Pietersen", ["Jan Jansen", "Piet Pietersen"], []),
    # the kind of piece as a label of its own beside the name
    ("OPINION | JANE DOE", ["Jane Doe"], []),
    ("Analysis | Jane Doe", ["Jane Doe"], []),
    ("Kommentar · Anna Muster", ["Anna Muster"], []),
    ("Analysis", [], []),
    # the outlet first: as the owner of the writer, or in a segment of its own
    ("From CNN's Jane Doe", ["Jane Doe"], ["CNN"]),
    ("NPR's Jane Doe and John Roe", ["Jane Doe", "John Roe"], ["NPR"]),
    ("ABC News' Jane Doe", ["Jane Doe"], ["ABC News"]),
    ("Associated Press | Jane Doe", ["Jane Doe"], ["Associated Press"]),
    ("dpa · Anna Muster", ["Anna Muster"], ["dpa"]),
    ("Jane O'Neill", ["Jane O'Neill"], []),
    # an address and the name it belongs to, as RSS writes an author (feeds' authors fill meta tags)
    ("jane@example.com (Jane Doe)", ["Jane Doe"], []),
    ("news@reuters.com (Reuters)", [], ["Reuters"]),
    # who checked, reviewed or translated the piece is not its writer; a critic's review is his
    ("Medically reviewed by John Roe, MD — Written by Jane Doe", ["Jane Doe"], []),
    ("Written by Jane Doe — Medically reviewed by John Roe, MD", ["Jane Doe"], []),
    ("Medically reviewed by Dr. John Roe", [], []),
    ("By Jane Doe. Translated by John Roe", ["Jane Doe"], []),
    ("Reviewed by Julian Park, Arts Critic", ["Julian Park"], []),
    # Chinese and Japanese leads with full-width punctuation; an editor is no author
    ("文／記者 王小明", ["王小明"], []),
    ("作者：王小明", ["王小明"], []),
    ("撰文：王小明", ["王小明"], []),
    ("责任编辑：孔德明", [], []),
]


@pytest.mark.parametrize(("raw", "people", "credits"), AS_WRITTEN, ids=[case[0] for case in AS_WRITTEN])
def test_bylines_as_publishers_write_them(raw, people, credits):
    byline = split_byline(raw)
    assert (byline.people, byline.credits) == (people, credits)


@pytest.mark.parametrize(
    "raw",
    [
        "Wednesday, 08 Apr 2020 11:39 PM MYT",  # the date line's weekday
        "First Published",  # the label of a date shown in the next element
        "von am 20.06.2018",  # the lead word a missing name left
        "Por",
        "am 20.06.2018",
    ],
)
def test_date_lines_and_lead_words_name_no_one(raw):
    assert clean_byline(raw) == []


@pytest.mark.parametrize("name", ["Martin Müller", "Maria Schmidt", "Monika Weber", "Julia Klöckner",
                                  "Friedrich Merz", "Jan Novak", "Satoshi Tanaka", "Octavia Butler"])
def test_names_that_begin_like_a_month_or_a_weekday(name):
    """A name shown alone beside the date, or heading an author box, may begin as a month or
    a weekday is cut short ("Mar", "Fri", "Sat", "Oct")."""
    assert candidates(f'<div class="author-box"><h3>{name}</h3><p>Writes about politics.</p></div><p>{FILLER}</p>',
                      "author-box") == [name]


def byline_through_extraction(byline: str) -> tuple[list[str], str | None]:
    """The authors and the credit of an article page that shows ``byline`` under its headline."""
    html = ("<html><head><title>Storm hits coast</title></head><body><article><h1>Storm hits coast</h1>"
            + byline
            + "".join(f"<p>The storm reached the coast on Tuesday night, and crews worked {i} hours.</p>"
                      for i in range(8))
            + "</article></body></html>")
    result = extract_html(html.encode(), "https://www.dailyherald.example/news/storm-hits-coast", any_page=True)
    assert isinstance(result, Extraction)
    return result.authors, result.credit


def test_a_syndicated_wire_byline_through_extraction():
    assert byline_through_extraction('<div class="byline">By ZEKE MILLER and DARLENE SUPERVILLE Associated Press'
                                     "</div>") == (["Zeke Miller", "Darlene Superville"], "Associated Press")


def test_a_publications_staff_in_capitals_is_its_credit():
    byline = split_byline("By JERUSALEM POST STAFF", {"jerusalempost", "jpost"})
    assert (byline.people, byline.credits) == ([], ["Jerusalem Post Staff"])


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # one microdata Person element for two names, as nytimes.com marks them up
        ('<p itemprop="author creator" itemscope itemtype="http://schema.org/Person">By <a href="/by/jane-doe">'
         '<span itemprop="name">Jane Doe</span></a> and <a href="/by/john-smith"><span itemprop="name">John Smith'
         "</span></a></p>", ["Jane Doe", "John Smith"]),
        # Blogger: "Posted by" around the author item
        ('<span class="post-author vcard">Eingestellt von <span class="fn" itemprop="author" itemscope '
         'itemtype="http://schema.org/Person"><a href="/profile/1"><span itemprop="name">Weinlachgummi</span></a>'
         "</span></span>", ["Weinlachgummi"]),
        # the publisher item inside an element classed "author" names no author
        ('<figure class="leftBar author"><div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">'
         '<span itemprop="name" content="Edilportale"></span></div></figure>', []),
    ],
)
def test_microdata_names_of_the_author_item(byline, names):
    found = candidates(f"{byline}<p>{FILLER}</p>", "itemprop-author") + candidates(f"{byline}<p>{FILLER}</p>", "byline")
    assert choose_authors([(value, "itemprop-author", "") for value in found]).names == names


@pytest.mark.parametrize(
    "raw",
    ["Af Redaktionen", "Redakcja", "Redakce iDNES.cz", "Редакция", "Toimitus", "Redactie", "РИА Новости", "ТАСС",
     "新华社", "연합뉴스", "خبرگزاری باشگاه خبرنگاران"],
)
def test_newsrooms_and_wires_in_their_own_languages_are_credits(raw):
    byline = split_byline(raw)
    assert byline.people == [] and byline.credits == [raw.removeprefix("Af ")]


@pytest.mark.parametrize("raw", ["Redaktori", "Редактор"])
def test_the_word_for_editor_names_no_one(raw):
    assert split_byline(raw) == split_byline("")


@pytest.mark.parametrize(
    "data",
    [
        # the article as the main entity of a WebPage, as schema.org describes it
        {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": {
            "@type": "NewsArticle", "headline": "Storm hits coast", "datePublished": "2023-05-10T09:00:00Z",
            "author": {"@type": "Person", "name": "Jane Doe"}}},
        # a CMS that writes the byline's link into the JSON-LD string
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Storm hits coast",
         "datePublished": "2023-05-10T09:00:00Z", "author": "<a href='/author/jane-doe'>Jane Doe</a>"},
    ],
)
def test_json_ld_authors_as_publishers_write_them(data):
    html = (f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body><article>'
            f"<h1>Storm hits coast</h1><p>{FILLER}</p><p>{FILLER}</p></article></body></html>")
    result = extract_html(html.encode(), "https://www.dailyherald.example/news/storm-hits-coast", any_page=True)
    assert (result.authors, result.authors_source, result.published[:10]) == (["Jane Doe"], "jsonld", "2023-05-10")


def article_page(layout: str, *, before: str = "", byline: str = "", after: str = "") -> tuple[list[str], str | None]:
    """The authors and the credit of an article page laid out in ``layout`` (markup with a
    ``{}`` where the article goes), with ``before`` ahead of the headline, ``byline`` under
    it and ``after`` after the text."""
    article = ("<h1>Leasing or buying a company car</h1>" + byline
               + "".join(f"<p>Leasing spreads the cost of a company car over {i + 2} years and more.</p>"
                         for i in range(8)) + after)
    html = ("<html><head><title>Leasing or buying a company car</title></head><body>"
            + before + layout.format(article) + "</body></html>")
    result = extract_html(html.encode(), "https://www.fincompare.example/leasing-or-buying", any_page=True)
    assert isinstance(result, Extraction)
    return result.authors, result.credit


AUTHOR_CARD = '<div class="author-bio footer"><h3>Martin Junker</h3><p>Our adviser for 25 years.</p></div>'


@pytest.mark.parametrize(
    "layout",
    [
        '<div class="sidebar-wrapper"><div class="article-wrapper">{}</div><div class="sidebar">Links</div></div>',
        '<form id="aspnetForm" action="/default.aspx" method="post"><div id="content">{}</div></form>',
        '<aside class="main__left-column"><main id="article-content">{}</main></aside>',
        # an opinion piece: its header and body in classes named after "comment"
        '<div class="PageArticle_comment"><article class="ArticleComment">{}</article></div>',
    ],
)
def test_a_layout_around_the_headline_is_no_sidebar_form_or_comments(layout):
    """Classes and elements that mark what is not the article (a sidebar, a form, comments,
    an aside) also name layouts that hold the whole article: a theme's "sidebar-wrapper",
    ASP.NET's page-wide form. What holds the headline holds the article."""
    assert article_page(layout, after=AUTHOR_CARD) == (["Martin Junker"], None)


def test_an_author_card_in_a_real_sidebar_is_still_left_out():
    sidebar = '<div class="sidebar"><div class="author-box"><h3>Erika Muster</h3><p>Our columnist.</p></div></div>'
    assert candidates(f"<p>{FILLER}</p>{sidebar}", "author-box") == []
    assert candidates(f"<p>{FILLER}</p>{AUTHOR_CARD}", "author-box") == ["Martin Junker"]


TEASERS = ('<ul class="latest">'
           '<li><a href="/a">Rates rise again</a> <span class="author">Anna Alpha</span></li>'
           '<li><a href="/b">Fleet prices fall</a> <span class="author">Bernd Beta</span></li>'
           '<li><a href="/c">Tax on company cars</a> <span class="author">Anna Alpha</span></li></ul>')


def test_bylines_of_a_list_of_other_stories_are_not_the_articles():
    """A list of the latest stories beside the article gives each teaser's byline in the
    same markup as the article's; the list is its items' bylines, the article has its own."""
    byline = '<div class="article-info"><span class="author">Carla Gamma</span></div>'
    assert article_page('<div class="main">{}</div>', before=TEASERS, byline=byline) == (["Carla Gamma"], None)


def test_a_byline_in_a_list_of_the_articles_own_details_is_read():
    byline = '<ul class="post-meta"><li class="author">By Carla Gamma</li><li class="date">March 3, 2021</li></ul>'
    assert article_page('<div class="main">{}</div>', byline=byline) == (["Carla Gamma"], None)


def test_a_microdata_author_typed_as_an_organization_is_no_person():
    """Newspapers mark themselves up as their articles' author in microdata, typed as an
    Organization, as they do in JSON-LD; the byline names the writer."""
    organization = ('<div itemprop="author" itemscope itemtype="https://schema.org/Organization">'
                    '<meta itemprop="name" content="Moskovsky Komsomolets"></div>')
    byline = '<div class="article-info"><span class="author">Valeria Pestryakova</span></div>'
    layout = '<div itemscope itemtype="https://schema.org/NewsArticle">{}</div>'
    assert article_page(layout, byline=byline, after=organization) == (["Valeria Pestryakova"], None)


@pytest.mark.parametrize(
    ("guess", "people"),
    [
        ("Jane Doe; John Roe", ["Jane Doe", " John Roe"]),
        # read off an image's address: every part is a piece of it
        ("Sputnik https; Cdnarabic; I; Logo Png", []),
        ("www; Example; Logo", []),
        # a commenter's header, capitalised by trafilatura
        ("Stephangoeldi Said; Jane Doe", [" Jane Doe"]),
        ("Max Leser Says", []),
    ],
)
def test_trafilaturas_guess_read_off_an_address_names_no_one(guess, people):
    assert guessed_people(guess) == people


@pytest.mark.parametrize(
    ("candidates", "names"),
    [
        # a user name in the markup, the name written out in the byline
        ([("gabor_munier", "og-author", ""), ("Gàbor Muniér", "end-byline", ""), ("Erika Muster", "meta-author", "")],
         ["Gàbor Muniér"]),
        ([("arianschlichenmayer", "ld-author", "person"), ("von Arian Schlichenmayer", "byline", ""),
          ("Arian Schlichenmayer", "shown-byline", "")], ["Arian Schlichenmayer"]),
        # a page that shows the user name keeps it as shown
        ([("Isabella.DiBiase", "dated-byline", ""), ("Isabella.DiBiase", "shown-byline", ""),
          ("Isabella DiBiase", "meta-author", "")], ["Isabella.DiBiase"]),
        # accents left out in the markup
        ([("Jose Garcia", "meta-author", ""), ("José García", "byline", ""), ("Erika Muster", "ld-author", "")],
         ["José García"]),
    ],
)
def test_one_person_written_two_ways_is_one_author_as_the_page_shows_them(candidates, names):
    """A user name, a name run together or one without its accents is the same person as
    the name the byline shows; their evidence adds up, and the name is written as shown."""
    assert choose_authors(candidates).names == names


def test_the_credit_of_a_byline_that_writes_the_author_another_way():
    """The byline that credits the agency may write the chosen author as a user name or
    without accents; it still names that author."""
    candidates = [("José García", "ld-author", "person"), ("Jose Garcia | Reuters", "byline", "")]
    assert choose_credit(candidates, authors=["José García"]) == "Reuters"


@pytest.mark.parametrize(
    ("shown", "names", "credit"),
    [
        ("Opinion by Jane Doe", ["Jane Doe"], None),
        ("Analysis by Jane Doe and John Roe, CNN", ["Jane Doe", "John Roe"], "CNN"),
        ("Perspective by Jane Doe", ["Jane Doe"], None),
        ("Story by Jane Doe • 2d", ["Jane Doe"], None),
        ("Guest column by Jane Doe", ["Jane Doe"], None),
    ],
)
def test_the_kind_of_piece_before_by_in_a_byline_without_markup(shown, names, credit):
    """Opinion and analysis pages lead the byline printed under the headline with the kind of
    piece ("Opinion by", "Perspective by"): plain text, no byline markup, no label."""
    assert article_page("<article>{}</article>", byline=f"<p>{shown}</p>") == (names, credit)
    # a picture's credit under the headline is still no byline
    assert article_page("<article>{}</article>", byline="<p>Photo by Jane Doe</p>") == ([], None)


def test_a_link_to_the_profile_its_words_name_is_a_byline():
    """Themes print "Posted on March 1, 2023 by <a href=/author/jane-doe/>" with no byline
    class; the site's address for the person confirms the link's words are a name. A link to
    a profile that its words do not spell, or to another site's, is no byline."""
    posted = '<p>Posted on March 1, 2023 by <a href="https://www.fincompare.example/author/{}/">{}</a></p>'
    assert article_page("<article>{}</article>", byline=posted.format("jane-doe", "Jane Doe")) == (["Jane Doe"], None)
    assert article_page("<article>{}</article>",
                        byline='<p><a href="/profile/janedoe">Jane Doe</a> and <a href="/profile/john-roe">John Roe'
                               "</a></p>") == (["Jane Doe", "John Roe"], None)
    assert article_page("<article>{}</article>", byline=posted.format("jane-doe", "All posts")) == ([], None)
    assert article_page("<article>{}</article>",
                        byline='<p><a href="https://other.example/author/jane-doe/">Jane Doe</a></p>') == ([], None)
    # an address that is no URL at all is no error
    assert article_page("<article>{}</article>",
                        byline='<p><a href="http://[bad/author/jane-doe">Jane Doe</a></p>') == ([], None)


@pytest.mark.parametrize(
    ("meta", "names"),
    [
        ('<meta name="DC.creator" content="Doe, Jane">', ["Jane Doe"]),
        ('<meta name="citation_author" content="van der Berg, Anna M."><meta name="citation_author" content="Roe, John">',
         ["Anna M. van der Berg", "John Roe"]),
        # two people, as bylines list them, stay two people
        ('<meta name="DC.creator" content="Jane Doe, John Roe">', ["Jane Doe", "John Roe"]),
    ],
)
def test_catalogue_meta_writes_the_surname_first(meta, names):
    """Dublin Core and scholarly (Highwire "citation_author") tags write "Doe, Jane"; read as
    a byline that was two people, "Doe" and "Jane"."""
    html = (f"<html><head><title>Leasing or buying a company car</title>{meta}</head><body><article>"
            "<h1>Leasing or buying a company car</h1>" + f"<p>{FILLER}</p>" * 3 + "</article></body></html>")
    result = extract_html(html.encode(), "https://journal.example.org/leasing", any_page=True)
    assert result.authors == names


WIRE_TEXT = "<p>" + "The government said on Monday it would close the border for thirty days, a step its neighbours condemned. " * 3 + "</p>"


def wire_story(byline: str = "", end: str = "") -> tuple[list[str], str | None]:
    html = ("<html><head><title>France condemns border closures</title></head><body><article>"
            f"<h1>France condemns border closures</h1>{byline}{WIRE_TEXT * 5}{end}</article></body></html>")
    result = extract_html(html.encode(), "https://news.example.com/world/france-border", any_page=True)
    return result.authors, result.credit


def test_a_wire_storys_closing_credits_name_its_reporters():
    """Syndicated wire copy often prints no byline, only the wire's closing credits: who
    reported and wrote it are its authors, who added to it or edited it are not, and a
    byline, where there is one, still decides."""
    assert wire_story(end="<p>(Reporting by Gus Trompiz and Marine Pennetier in Paris; Writing by Richard Lough;"
                          " Editing by Ed Osmond)</p>") == (["Gus Trompiz", "Marine Pennetier", "Richard Lough"], None)
    assert wire_story(end="<p>(Reporte de Ana Pérez; Editado por Juan Ruiz)</p>") == (["Ana Pérez"], None)
    assert wire_story(end="<p>(Additional reporting by Jim Poe; Editing by Ann Lee)</p>") == ([], None)
    assert wire_story(byline='<p class="byline">By Jane Doe</p>',
                      end="<p>(Reporting by John Roe; Editing by Ann Lee)</p>") == (["Jane Doe"], None)


@pytest.mark.parametrize(
    ("shown", "names"),
    [
        ("di Mario Rossi", ["Mario Rossi"]),
        ("Scritto da Mario Rossi", ["Mario Rossi"]),
        ("A cura di Mario Rossi", ["Mario Rossi"]),
        ("Af Anne Hansen", ["Anne Hansen"]),
        ("Oleh Budi Santoso", ["Budi Santoso"]),
        ("Penulis: Budi Santoso", ["Budi Santoso"]),
        ("Reporter: Budi Santoso | Editor: Siti Aminah", ["Budi Santoso"]),
        ("Автор: Иван Петров", ["Иван Петров"]),
        ("Текст: Иван Петров", ["Иван Петров"]),
        ("Yazar: Ahmet Yılmaz", ["Ahmet Yılmaz"]),
        ("Szerző: Kovács János", ["Kovács János"]),
        ("Teksti: Matti Meikäläinen", ["Matti Meikäläinen"]),
        ("Escrito por Juan Pérez", ["Juan Pérez"]),
        ("Verfasst von: mitundvoneinander | 31. Dezember 2008", ["Mitundvoneinander"]),
        ("Publié le 3 mars 2023 à 10h00 par Jean Dupont", ["Jean Dupont"]),
        ("记者 张三", ["张三"]),
        ("文／記者 王小明", ["王小明"]),
        ("作者：王小明", ["王小明"]),
        ("기자 홍길동", ["홍길동"]),
        ("이용민 기자 |", ["이용민"]),
        ("홍길동 특파원 hong@example.com", ["홍길동"]),
        # an Italian line that begins with a surname, not with "di"; Indonesian "di" ("in")
        ("Di Maio", []),
        ("di Jakarta, 1 Maret 2023", []),
    ],
)
def test_a_byline_without_markup_in_the_pages_languages(shown, names):
    """The byline printed as plain text under the headline, led by the word for "by" or
    labelled with the word for "author" or "text" in the languages of the pages."""
    assert article_page("<article>{}</article>", byline=f"<p>{shown}</p>")[0] == names


def test_one_field_in_several_meta_tags_is_one_piece_of_evidence():
    """Reuters' CMS writes "Reuters Editorial" into its author, og:author and sailthru tags;
    summed, the three outweighed the reporter the page shows and credits at its end."""
    candidates = [("Reuters Editorial", "meta-author", ""), ("Reuters Editorial", "og-author", ""),
                  ("Reuters Editorial", "sailthru", ""), ("Jason Hovet", "shown-byline", ""),
                  ("Jason Hovet", "reporting-credit", "")]
    assert choose_authors(candidates).names == ["Jason Hovet"]
    # two kinds of evidence that agree still add up
    assert choose_authors([("Jane Doe", "meta-author", ""), ("Jane Doe", "byline", ""),
                           ("John Roe", "ld-author", "")]).names == ["Jane Doe"]
