"""The published date from the page's evidence: rules kept only where they held on pages
they were not chosen on (``python benchmarks/extraction.py``, halves A and B and the dates
set); these tests pin what the review of the date rules decided."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from archiver.extraction.dates import choose_published, parse_date
from archiver.extraction.metadata import read_metadata

LATEST = date(2026, 1, 1)
FILLER = " ".join(["The council debated the new budget for a long time on Tuesday evening."] * 5)


def shown_dates(body: str) -> list[str]:
    html = ('<html><head><meta property="og:title" content="Water supply tainted"></head>'
            f'<body><div><div><h1>Water supply tainted</h1>{body}</div></div></body></html>')
    md = read_metadata(lxml.html.document_fromstring(html), "https://news.example.org/water-supply")
    return [c.value for c in md.published if c.source == "visible"]


def test_a_day_shown_without_its_year_is_no_date():
    """Placing "May 9" in a year guessed from other dates moved right days on the pages it
    was written for and wrong ones on htmldate's set (removed)."""
    assert shown_dates(f'<p class="date">May 9</p><p>{FILLER}</p>') == []
    assert choose_published([("ld-datepublished", "2020-05-07T15:55:22+01:00"), ("visible", "May 9")],
                            latest=LATEST).value == "2020-05-07T15:55:22+01:00"


def metadata(head: str, body: str = "", url: str = "https://news.example.org/water-supply"):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return read_metadata(lxml.html.document_fromstring(html), url)


def test_json_ld_with_a_stray_brace_after_it_is_read():
    md = metadata('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Water supply tainted",'
                  ' "datePublished": "2020-10-26T18:10:00+01:00"}\n}</script>')
    assert [(c.source, c.value) for c in md.published] == [("ld-datepublished", "2020-10-26T18:10:00+01:00")]
    md = metadata('<script type="application/ld+json">{"@type": "WebSite", "name": "Example News"}'
                  '{"@type": "NewsArticle", "datePublished": "2020-10-26"}</script>')
    assert [c.value for c in md.published] == ["2020-10-26"] and md.site_names == ["Example News"]


def test_meta_contents_escaped_twice_read_as_shown():
    """CMSs escape titles once more than HTML needs; the headline is then still found."""
    md = metadata('<meta property="og:title" content="Australian &amp;#039;megablaze&amp;#039; under control">',
                  "<h2>Australian 'megablaze' under control</h2><p>News24<br>13 Jan 2020, 22:11 GMT+10</p>"
                  f"<p>{FILLER}</p>")
    assert md.titles[0].value == "Australian 'megablaze' under control"
    assert [c.value for c in md.published if c.source == "visible"] == ["13 Jan 2020, 22:11 GMT+10"]


def test_htmldates_first_of_january_alone_is_a_year_not_a_day():
    """htmldate falls back on a footer's copyright year and gives it as 1 January: on the
    dev sets it named no page's day (7 pages: 5 without a date, 2 with another day)."""
    assert choose_published([("trafilatura", "2024-01-01")], latest=LATEST) is None
    assert choose_published([("trafilatura", "2024-01-01"), ("url", "2023-05-10")],
                            latest=LATEST).value == "2023-05-10"
    # a New Year's Day article another source names, and htmldate's other days, stay
    assert choose_published([("trafilatura", "2024-01-01"), ("visible", "1 January 2024")],
                            latest=LATEST).value == "2024-01-01"
    assert choose_published([("trafilatura", "2024-03-01")], latest=LATEST).value == "2024-03-01"


def test_a_page_dated_only_by_its_copyright_has_no_published_date():
    from archiver.extraction.extract import extract_html

    html = (f"<html><head><title>Water supply tainted</title></head><body><article><h1>Water supply tainted</h1>"
            f"<p>{FILLER}</p><p>{FILLER}</p></article><footer>© 2024 Example News</footer></body></html>")
    result = extract_html(html.encode(), "https://news.example.org/water-supply", any_page=True)
    assert result.published is None


def test_the_publication_shown_after_the_update():
    assert shown_dates(f"<p>Updated June 2, 2023 · Originally published May 10, 2023</p><p>{FILLER}</p>") == [
        "published May 10, 2023"]
    assert shown_dates(f"<p>Aktualisiert am 02.06.2023, veröffentlicht am 10.05.2023</p><p>{FILLER}</p>") == [
        "veröffentlicht am 10.05.2023"]
    # an update alone shows no publication, and such a line in a sidebar is no more the article's than any other
    assert shown_dates(f"<p>Updated June 2, 2023</p><p>{FILLER}</p>") == []
    assert shown_dates(f'<p>{FILLER}</p><aside class="sidebar"><p>Updated June 2, 2023 · Originally published'
                       " May 10, 2023</p></aside>") == []


def published_day(shown: str, *, lang: str = "", url: str = "https://news.example.com/water-supply",
                  elsewhere: str = "") -> str | None:
    """The published day of a page that shows ``shown`` under its headline and nothing else
    dates it (no markup), with ``elsewhere`` printed in a list of other stories."""
    from archiver.extraction.extract import extract_html

    lang_attr = f' lang="{lang}"' if lang else ""
    html = (f"<html{lang_attr}><head><title>Water supply tainted</title></head><body><article>"
            f"<h1>Water supply tainted</h1><p>{shown}</p><p>{FILLER}</p><p>{FILLER}</p></article>"
            f"<div class='latest'>{elsewhere}</div></body></html>")
    result = extract_html(html.encode(), url, any_page=True)
    return result.published[:10] if result.published else None


def test_numeric_days_read_as_the_page_writes_them():
    """"05/10/2023" is 10 May in the United States and 5 October nearly everywhere else. A
    page's own days that read one way only decide (an agency's time stamps in a list of latest
    stories, "11/19/2019 11:40 PM"), else the site's country: its domain's, else its
    language tag's region."""
    # the United States, by the language tag of the page (WordPress writes the site's locale)
    assert published_day("By Jane Doe | 05/10/2023", lang="en-US") == "2023-05-10"
    assert published_day("Posted by Example Staff, 06/01/2020", lang="en_US") == "2020-06-01"
    # elsewhere day first, as before
    assert published_day("By Jane Doe | 05/10/2023", lang="en-GB") == "2023-10-05"
    assert published_day("postado em 04/05/2022 05:49", lang="pt-BR") == "2022-05-04"
    assert published_day("By Jane Doe | 05/10/2023") == "2023-10-05"
    # a generic domain without a region: the page's other days say month first
    assert published_day("By REUTERS 11/05/2019 10:08 AM",
                         elsewhere="<p>By STAFF 11/19/2019 11:40 PM</p><p>By STAFF 11/18/2019 08:23 PM</p>",
                         ) == "2019-11-05"
    # a British site left on WordPress's default "en-US": the domain's country wins
    assert published_day("12/04/2020", lang="en-US", url="https://recipes.example.co.uk/focaccia/") == "2020-04-12"
    # an Indian site on a .com with the default tag, whose own days are day first
    assert published_day("By Staff | 05/10/2023", lang="en-US",
                         elsewhere="<p>Sensex closes higher 19/09/2023</p>") == "2023-10-05"


def test_a_number_above_twelve_is_the_day_wherever_it_stands():
    """Before, "11/19/2019" shown on a page read day first was no date of the page's own
    (only htmldate's guess could name it)."""
    assert choose_published([("visible", "Veröffentlicht 11/19/2019")], latest=LATEST).value == "2019-11-19"
    assert choose_published([("visible", "By Jane Doe | 19/11/2019")], latest=LATEST,
                            month_first=True).value == "2019-11-19"


@pytest.mark.parametrize(
    ("shown", "day"),
    [
        ("2 de junho de 2023", "2023-06-02"), ("2 juni 2023", "2023-06-02"), ("2 mei 2023", "2023-05-02"),
        ("2 Mei 2023", "2023-05-02"), ("2 iunie 2023", "2023-06-02"), ("19 sierpnia 2020, 5:16", "2020-08-19"),
        ("2. června 2023", "2023-06-02"), ("24 сентября 2020", "2020-09-24"), ("2 червня 2023", "2023-06-02"),
        ("2 Haziran 2023", "2023-06-02"), ("2. kesäkuuta 2023", "2023-06-02"), ("10 listopada 2020", "2020-11-10"),
        ("3 Μαρτίου 2021", "2021-03-03"), ("ΤΕΤΑΡΤΗ 3 ΜΑΡΤΙΟΥ 2021", "2021-03-03"), ("3. ožujka 2021.", "2021-03-03"),
        ("3. marta 2021.", "2021-03-03"), ("2021. március 3. 10:15", "2021-03-03"),
        ("입력 2023. 3. 1. 10:00", "2023-03-01"), ("١ مارس ٢٠٢٣", "2023-03-01"), ("15 تشرين الأول 2023", "2023-10-15"),
        ("1. marts 2023", "2023-03-01"), ("1η Μαρτίου 2023", "2023-03-01"), ("Thứ Tư, ngày 1 tháng 3, 2023", "2023-03-01"),
        ("1º de março de 2023", "2023-03-01"),
    ],
)
def test_a_date_shown_in_the_languages_of_the_pages(shown, day):
    """Months written out in Portuguese, Dutch, Indonesian, Romanian, Polish, Czech, Russian,
    Ukrainian, Turkish, Finnish, Greek, Croatian, Serbian, Danish and Arabic (as they follow a
    day; digits of any script), Hungarian's year first, Korean's dotted days, Vietnamese's
    "tháng" and ordinal days ("1º", "1η") were no shown date before."""
    assert parse_date(shown) == day
    assert shown_dates(f"<p>{shown}</p><p>{FILLER}</p>") == [shown]


def test_the_day_of_the_print_edition_is_not_the_publication():
    """Papers print below the headline the day the article appeared in the paper, often the
    day after it went online."""
    assert shown_dates(f'<p>Опубликован в газете "Московский комсомолец" №28372 от 24 сентября 2020</p>'
                       f"<p>{FILLER}</p>") == []
    assert shown_dates(f"<p>A version of this article appears in print on Sept. 24, 2020</p><p>{FILLER}</p>") == []
    assert shown_dates(f"<p>Erschienen in der Printausgabe vom 24.09.2020</p><p>{FILLER}</p>") == []
    assert shown_dates(f"<p>Veröffentlicht am 24.09.2020</p><p>{FILLER}</p>") == ["Veröffentlicht am 24.09.2020"]
