"""The published date from the page's evidence: rules kept only where they held on pages
they were not chosen on (``python benchmarks/extraction.py``, halves A and B and the dates
set); these tests pin what the review of the date rules decided."""

from __future__ import annotations

from datetime import date

import lxml.html

from archiver.extraction.dates import choose_published
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
