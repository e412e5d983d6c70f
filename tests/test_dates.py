"""Date strings -> ISO 8601 (aware datetime when the page gives a time and offset)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import lxml.html
import pytest

from archiver.extraction.dates import (
    choose_published,
    country_zones,
    date_from_url,
    find_date_in_text,
    find_date_span,
    parse_date,
)
from archiver.extraction.metadata import read_metadata


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2018-07-05", "2018-07-05"),
        ("2018-07-05T10:30:00+02:00", "2018-07-05T10:30:00+02:00"),
        ("2018-07-05T10:30:00.123+0200", "2018-07-05T10:30:00+02:00"),
        ("2018-07-05T10:30:00Z", "2018-07-05T10:30:00+00:00"),
        ("2018-07-05 10:30:00 UTC", "2018-07-05T10:30:00+00:00"),
        ("2018-07-05T10:30", "2018-07-05"),  # a time without an offset: the day only
        ("2018-07-05T10:30:00-05:00", "2018-07-05T10:30:00-05:00"),
        ("20180705", "2018-07-05"),
        ("Thu, 05 Jul 2018 10:30:00 GMT", "2018-07-05T10:30:00+00:00"),
        ("Thu, 05 Jul 2018 10:30:00 +0200", "2018-07-05T10:30:00+02:00"),
        ("July 5, 2018", "2018-07-05"),
        ("Jul. 5th, 2018", "2018-07-05"),
        ("5 July 2018", "2018-07-05"),
        ("5. Juli 2018", "2018-07-05"),
        ("5 de julio de 2018", "2018-07-05"),
        ("le 5 juillet 2018", "2018-07-05"),
        ("05.07.2018", "2018-07-05"),
        ("2018/07/05", "2018-07-05"),
        ("Published: 5 July 2018, 10:00", "2018-07-05"),
        ("1530786600", "2018-07-05T10:30:00+00:00"),
        # a day stored as UTC midnight: the page knew no time
        ("2019-12-03T00:00:00+00:00", "2019-12-03"),
        ("2020-01-23T00:00:00.000Z", "2020-01-23"),
        # any other time on the hour is a real time: kept, with its offset
        ("2022-11-06T23:00:00.000Z", "2022-11-06T23:00:00+00:00"),
        ("2018-04-29T07:00:00Z", "2018-04-29T07:00:00+00:00"),
        ("2018-07-05T00:00:00+02:00", "2018-07-05T00:00:00+02:00"),
        # leading zeros left out
        ("2022-5-5 22:17:36", "2022-05-05"),
        ("2022-5-5T22:17:36-05:00", "2022-05-05T22:17:36-05:00"),
        ("2022-05-11T4:10:00+02:00", "2022-05-11T04:10:00+02:00"),
    ],
)
def test_parse_date(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["", None, "yesterday", "2018-13-45", "1850-01-01", "no date here", "0000-00-00"])
def test_parse_date_rejects(raw):
    assert parse_date(raw) is None


def test_parse_date_rejects_future():
    assert parse_date("2030-01-01", latest=date(2026, 1, 1)) is None
    assert parse_date("2025-12-31", latest=date(2026, 1, 1)) == "2025-12-31"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.com/2018/07/05/some-slug/", "2018-07-05"),
        ("https://example.com/news/2018-07-05-some-slug", "2018-07-05"),
        ("https://example.com/2017/7/12/unter-uns", "2017-07-12"),
        ("https://example.com/20180705/slug.html", "2018-07-05"),
        ("https://example.com/2018/13/45/slug/", None),
        ("https://example.com/about/", None),
        ("https://example.com/article/123456789/", None),
        (None, None),
    ],
)
def test_date_from_url(url, day):
    assert date_from_url(url) == day


def test_find_date_in_text():
    assert find_date_in_text("Posted on March 3, 2021 by Jane") == "2021-03-03"
    assert find_date_in_text("nothing") is None


def test_find_date_span_says_where_the_date_stands():
    text = "29.11.2022 – Mehrfach hatte die Branche gewarnt"
    value, start, end = find_date_span(text)
    assert value == "2022-11-29" and text[start:end] == "29.11.2022"
    assert find_date_span("Erstellt am: 01.11.2023")[1:] == (len("Erstellt am: "), len("Erstellt am: 01.11.2023"))
    assert find_date_span("page 12 of 30") is None


# -- choosing the published date -------------------------------------------------------------

LATEST = date(2026, 1, 1)


def choose(*candidates: tuple[str, str], url: str | None = None, zone_hints: tuple[str, ...] = ()) -> str | None:
    """choose_published over candidates as archiver.extraction.metadata and the URL give them."""
    url_day = date_from_url(url)
    cands = [*candidates, *([("url", url_day)] if url_day else [])]
    chosen = choose_published(cands, latest=LATEST, zone_hints=zone_hints,
                              site_zones=country_zones(urlsplit(url).hostname) if url else ())
    return chosen.value if chosen else None


def test_json_ld_date_published_comes_first():
    assert choose(("time", "2018-07-01T08:00:00+02:00"), ("itemprop", "2018-07-03T08:00:00+02:00"),
                  ("meta:article:published_time", "2018-07-04T08:00:00+02:00"),
                  ("ld-datepublished", "2018-07-05T08:00:00+02:00")) == "2018-07-05T08:00:00+02:00"


@pytest.mark.parametrize(
    ("weaker", "stronger"),
    [
        (("itemprop", "2018-07-03"), ("meta:article:published_time", "2018-07-04T09:00:00+02:00")),
        (("time-published", "2018-07-03T09:00:00+02:00"), ("itemprop", "2018-07-04")),
        (("visible", "Posted on July 3, 2018"), ("time-published", "2018-07-04T09:00:00+02:00")),
        (("meta-generic:date", "2018-07-03"), ("visible", "4. Juli 2018")),
        (("trafilatura", "2018-07-03"), ("visible", "04.07.2018")),
        (("trafilatura", "2018-07-03"), ("time", "2018-07-04T09:00:00+02:00")),
    ],
)
def test_source_priority(weaker, stronger):
    assert choose(weaker, stronger)[:10] == "2018-07-04"
    assert choose(stronger, weaker)[:10] == "2018-07-04"


def test_no_date_at_all():
    assert choose(("visible", "no date here"), ("trafilatura", "2030-01-01")) is None


def test_a_future_date_is_never_chosen():
    assert choose(("ld-datepublished", "2027-03-01T10:00:00Z"), ("trafilatura", "2025-06-01")) == "2025-06-01"


def test_utc_time_moves_to_the_offset_the_page_writes_elsewhere():
    """JSON-LD in UTC, the theme's <time> in local time: the same moment, on the local day."""
    assert choose(("ld-datepublished", "2022-05-04T03:37:37+00:00"),
                  ("time-published", "2022-05-03T23:37:37-04:00")) == "2022-05-03T23:37:37-04:00"
    assert choose(("ld-datepublished", "2022-05-04T03:37:37+00:00"),
                  zone_hints=("2022-05-04T09:00:00-04:00",)) == "2022-05-03T23:37:37-04:00"


def test_modified_times_only_lend_their_offset():
    assert choose(("trafilatura", "2018-07-03"), zone_hints=("2018-07-09T10:00:00+02:00",)) == "2018-07-03"
    assert choose(zone_hints=("2018-07-09T10:00:00+02:00",)) is None


def test_utc_time_stays_utc_without_local_evidence():
    assert choose(("ld-datepublished", "2022-11-06T23:00:00.000Z"),
                  ("trafilatura", "2022-11-06")) == "2022-11-06T23:00:00+00:00"


@pytest.mark.parametrize(
    ("published", "shown", "day"),
    [
        ("Wed, 04 May 2022 02:41:00 GMT", "3/5/2022 22:41", "2022-05-03"),  # evening in the Americas
        ("2021-11-04T23:00Z", "5. November 2021", "2021-11-05"),  # after midnight in Europe
        ("2022-12-21T05:49:28+00:00", "20.12.2022", "2022-12-21"),  # too far from midnight
        ("2022-05-04T12:00:00+00:00", "3 May 2022", "2022-05-04"),
    ],
)
def test_shown_date_names_the_local_day_of_a_utc_time(published, shown, day):
    assert choose(("ld-datepublished", published), ("visible", shown))[:10] == day


@pytest.mark.parametrize(
    ("host", "zones"),
    [("beige.de", {"Europe/Berlin", "Europe/Busingen"}), ("yle.fi", {"Europe/Helsinki"}),
     ("news.bbc.co.uk", {"Europe/London"}), ("WWW.ORF.AT.", {"Europe/Vienna"}),
     ("cnn.com", set()), ("startup.io", set()), ("tv.tv", set()),
     ("127.0.0.1", set()), ("[::1]", set()), ("", set()), (None, set())],
)
def test_country_zones_of_a_country_domain(host, zones):
    """.io and .tv are names sites take for their letters, not their country."""
    assert {str(zone) for zone in country_zones(host)} == zones


def test_a_utc_time_on_a_country_site_is_read_where_every_clock_of_the_country_shows_one_day():
    """Canada keeps six clocks, all behind UTC: just after midnight UTC it is the evening
    before in all of them (a plain day: no one offset to show the time in). In the morning
    they all show the UTC day, and Australia's all show it in the evening: the moment stays."""
    assert choose(("ld-datepublished", "2020-08-25T00:23:33Z"), url="http://ici.radio-canada.ca/nouvelle/1") == "2020-08-24"
    assert choose(("ld-datepublished", "2020-08-25T11:00:00Z"), url="http://ici.radio-canada.ca/nouvelle/1"
                  ) == "2020-08-25T11:00:00+00:00"  # morning in Canada: the clocks disagree on the time only
    assert choose(("ld-datepublished", "2020-08-25T07:00:00Z"), url="https://www.abc.net.au/news/1"
                  ) == "2020-08-25T07:00:00+00:00"  # evening in Perth and Sydney, the same day as UTC


def test_utc_time_on_a_country_site_is_read_on_the_local_day():
    """A day entered without a time, stored as local midnight in UTC: 23:00Z is the next day in Berlin."""
    assert choose(("meta:article:published_time", "2022-11-06T23:00:00.000Z"), ("trafilatura", "2022-11-06"),
                  url="https://beige.de/artikel/provence") == "2022-11-07T00:00:00+01:00"
    assert choose(("ld-datepublished", "2021-07-01T21:30:00Z"),
                  url="https://www.lemonde.fr/planete/article/x") == "2021-07-01T23:30:00+02:00"
    # the page's own offset comes first; a .com site stays in UTC
    assert choose(("ld-datepublished", "2022-11-06T23:00:00Z"), zone_hints=("2022-11-08T10:00:00-05:00",),
                  url="https://beige.de/artikel/provence") == "2022-11-06T18:00:00-05:00"
    assert choose(("ld-datepublished", "2022-11-06T23:00:00Z"),
                  url="https://example.com/provence") == "2022-11-06T23:00:00+00:00"


@pytest.mark.parametrize(
    ("markup", "shown", "day"),
    [
        # republished: the markup keeps the first draft's day, readers see the new one
        (("ld-datepublished", "2021-03-16T16:16:10Z"), "20. März 2021 - 15:00 Uhr", "2021-03-20"),
        (("meta:article:published_time", "Di., 25.01.2022 - 14:45"), "Mittwoch, 26.01.2022 - 14:30", "2022-01-26"),
        # a shown day before the markup's is another date (an event, a teaser)
        (("ld-datepublished", "2022-02-04T09:55:00+01:00"), "01.02.2022", "2022-02-04"),
        (("meta:article:published_time", "2022-01-26T12:00:00Z"), "06.03.2016", "2022-01-26"),
    ],
)
def test_a_later_day_shown_beside_the_headline_beats_the_markup(markup, shown, day):
    assert choose(markup, ("visible", shown))[:10] == day


def test_a_later_day_shown_beside_the_headline_beats_a_dated_url_too():
    assert choose(("ld-datepublished", "2018-07-05T10:00:00+02:00"), ("visible", "July 9, 2018"),
                  url="https://blog.example.org/2018/07/05/story/") == "2018-07-09"


def test_htmldate_names_the_local_day_when_the_page_shows_none():
    assert choose(("ld-datepublished", "Wed, 04 May 2022 00:25:56 GMT"), ("trafilatura", "2022-05-03")) == "2022-05-03"


def test_dated_url_names_the_local_day_of_a_utc_time():
    """A UTC time just before midnight, posted on New Year's Day in Europe."""
    assert choose(("meta:article:published_time", "2018-12-31T23:11:59+00:00"),
                  url="https://blog.example.org/2019/01/01/ins-neue-jahr/") == "2019-01-01"


def test_a_named_local_day_keeps_the_moment_in_the_countrys_clock():
    """A day the page names (its URL, its shown date) that every clock of the site's country
    shows: the moment stays, in that clock. Before, the day alone was kept and a liveblog's
    last update lent it its time (15:58 for a post published at one minute past midnight)."""
    assert choose(("ld-datepublished", "2023-11-01T23:01:00Z"), ("time", "2023-11-02T15:58:23Z"),
                  url="https://www.repubblica.it/esteri/2023/11/02/diretta/guerra/") == "2023-11-02T00:01:00+01:00"
    assert choose(("ld-datepublished", "Wed, 04 May 2022 02:41:00 GMT"), ("visible", "3/5/2022 22:41"),
                  url="https://eldeber.com.bo/santa-cruz/investigador") == "2022-05-03T22:41:00-04:00"
    # no country, or clocks that disagree: the day alone, as before
    assert choose(("meta:article:published_time", "2018-12-31T23:11:59+00:00"),
                  url="https://blog.example.org/2019/01/01/ins-neue-jahr/") == "2019-01-01"


def test_markup_beats_a_dated_url_naming_another_day():
    """A URL that overrode the markup moved wrong days on htmldate's pages (removed): a slug
    is minted with the draft, and pages move to dated URLs when a site migrates."""
    assert choose(("ld-datepublished", "2022-05-07T13:43:46-05:00"),
                  url="https://example.pe/futbol/2022/05/06/manchester-united-vs-brighton-56304"
                  ) == "2022-05-07T13:43:46-05:00"
    assert choose(("ld-datepublished", "2019-06-17T18:28:00+02:00"),
                  url="https://example.com/home/2017/7/12/unter-uns") == "2019-06-17T18:28:00+02:00"


def test_plain_day_borrows_the_time_of_the_same_day():
    assert choose(("visible", "05.07.2018"), ("time", "2018-07-05T09:30:00+02:00"),
                  ("trafilatura", "2018-07-05")) == "2018-07-05T09:30:00+02:00"
    assert choose(("visible", "05.07.2018"), ("time", "2018-07-06T09:30:00+02:00")) == "2018-07-05"


# -- what the page shows and marks ---------------------------------------------------------------

FILLER = " ".join(["Der Gemeinderat hat am Dienstagabend lange über das neue Budget beraten."] * 5)


def page(body: str, *, body_class: str = "") -> str:
    return ('<html><head><meta property="og:title" content="Trinkwasser belastet"></head>'
            f'<body class="{body_class}">{body}</body></html>')


def published(html: str, url: str = "https://news.example.ch/artikel/trinkwasser-43157.html") -> list[tuple[str, str]]:
    md = read_metadata(lxml.html.document_fromstring(html), url)
    return [(c.source, c.value) for c in md.published]


def shown(html: str) -> list[str]:
    return [value for source, value in published(html) if source == "visible"]


def test_shown_date_in_the_byline():
    html = page(f'<article><h1>Trinkwasser belastet</h1><p class="byline">von Marianne am 20.09.2020</p>'
                f'<p>{FILLER}</p></article>')
    assert shown(html) == ["von Marianne am 20.09.2020"]


def test_shown_date_just_above_the_headline():
    html = page('<nav><span>Heute: 06.05.2022</span></nav><div class="intro"><div class="head">'
                '<time class="Article__date">6. November 2022</time><h1>Trinkwasser belastet</h1></div>'
                f'<p>{FILLER}</p></div>')
    assert shown(html) == ["6. November 2022"]  # the date bar outside the headline's block is not it


def test_todays_date_in_the_site_header_is_not_the_article_date():
    html = page(f'<div class="topbar">Montag, 06.05.2022</div><h1>Trinkwasser belastet</h1><p>{FILLER}</p>')
    assert shown(html) == []


def test_shown_date_skips_a_change():
    html = page('<h1>Trinkwasser belastet</h1><p>Aktualisiert am 26.01.2022</p><p>Von Anna, 25.01.2022</p>'
                f'<p>{FILLER}</p>')
    assert shown(html) == ["Von Anna, 25.01.2022"]


def test_dates_mentioned_in_the_article_are_not_its_date():
    html = page(f'<h1>Trinkwasser belastet</h1><p>{FILLER}</p><p>Das Urteil vom 24.01.2020, Fünferbesetzung,'
                ' bleibt.</p><p>Am 3. März 2020 tagte der Rat.</p>')
    assert shown(html) == []


def test_labelled_date_after_the_article_body():
    html = page(f'<h1>Trinkwasser belastet</h1><p>{FILLER}</p>'
                '<p>Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023</p>')
    assert shown(html) == ["Erschienen am: 01.11.2023"]


def test_date_line_that_opens_the_article():
    html = page(f'<h1>Trinkwasser belastet</h1><p>{FILLER}</p>'
                f'<p>29.11.2022 – {FILLER}</p>')
    assert [find_date_in_text(v) for v in shown(html)] == ["2022-11-29"]


def test_dates_in_comments_are_not_the_article_date():
    html = page('<h1>Trinkwasser belastet</h1><div id="comments"><span>02.12.2022, 15:57:32</span></div>')
    assert shown(html) == []


def test_headline_found_past_hidden_navigation_headings():
    html = page(f'<h1 class="hide-accessible">Navigation</h1><p>{FILLER}</p>'
                '<h2 class="aka-h1">Trinkwasser belastet</h2><span>25.01.2022</span>'
                f'<p>{FILLER}</p>', body_class="not-front no-sidebars")
    assert shown(html) == ["25.01.2022"]


def test_date_marked_by_its_class_after_the_intro():
    html = page(f'<h1>Trinkwasser belastet</h1><div class="intro">{FILLER}</div>'
                f'<span class="o-metadata o-metadata--date">5. November 2021</span><p>{FILLER}</p>')
    assert shown(html) == ["5. November 2021"]


def test_a_date_classed_as_a_change_is_not_the_shown_date():
    html = page('<h1>Trinkwasser belastet</h1><span class="posted-on"><time class="updated">9. Juli 2018</time>'
                '<time class="entry-date published">5. Juli 2018</time></span>'
                f'<p>{FILLER}</p>')
    assert shown(html) == ["5. Juli 2018"]
    html = page('<h1>Trinkwasser belastet</h1><p class="meta"><time class="updated">9. Juli 2018</time>'
                f' Von Anna, 5. Juli 2018</p><p>{FILLER}</p>')
    assert shown(html) == ["Von Anna, 5. Juli 2018"]  # the text after it is not in it


def test_cjk_dates():
    assert parse_date("2019年6月24日 11時30分") == "2019-06-24"


def test_a_page_laid_out_with_a_sidebar_is_not_all_sidebar():
    html = page('<div class="layout has-sidebar"><h1>Trinkwasser belastet</h1><span>25.01.2022</span>'
                f'<p>{FILLER}</p></div><div class="sidebar-widget"><h2>Trinkwasser</h2><span>01.01.2020</span></div>')
    assert shown(html) == ["25.01.2022"]
    html = page(f'<div class="sidebar"><h1>Trinkwasser belastet</h1><span>01.01.2020</span></div><p>{FILLER}</p>')
    assert shown(html) == []


def test_links_to_other_pages_do_not_show_the_article_date():
    """A menu item or teaser naming a day; the theme's own permalink around the date counts."""
    html = page('<div><h1>Trinkwasser belastet</h1><ul><li class="menu-item"><a href="/12m/">12M – 12. Mai 2012'
                '</a></li></ul><span class="posted-on"><a href="/p/1"><time>13. Januar 2014</time></a></span>'
                f'</div><p>{FILLER}</p>')
    assert shown(html) == ["13. Januar 2014"]


def test_a_link_that_is_only_the_day_shows_it():
    """Sites link the shown date to the day's archive ("/time/2020-10-13"); a link whose words
    are the date and its time and nothing else shows the article's day. A teaser's or menu's
    link that names a day among other words still does not."""
    html = page('<div><h1>Trinkwasser belastet</h1><ul class="nav"><li><a href="/time/2020-10-13">13 Oct 2020'
                f' 18:29</a></li><li>1479</li></ul></div><p>{FILLER}</p>')
    assert shown(html) == ["13 Oct 2020 18:29"]
    html = page('<div><h1>Trinkwasser belastet</h1><ul><li><a href="/budget">Budget beschlossen, 12. Mai 2020</a>'
                f'</li></ul></div><p>{FILLER}</p>')
    assert shown(html) == []


def test_the_dates_of_what_the_page_quotes_are_not_its_own():
    """An embedded post (a tweet's blockquote ends with its day, linked) or a quotation's
    source (<cite>) under the headline dates what is quoted."""
    tweet = ('<blockquote class="twitter-tweet"><p>Das Wasser ist wieder sauber.</p>— Stadt Zürich (@StadtZuerich)'
             ' <a href="https://twitter.com/StadtZuerich/status/1">3. März 2020</a></blockquote>')
    html = page(f'<div><h1>Trinkwasser belastet</h1>{tweet}<p class="meta">Von Anna, 5. März 2020</p></div>'
                f'<p>{FILLER}</p>')
    assert shown(html) == ["Von Anna, 5. März 2020"]
    html = page('<div><h1>Trinkwasser belastet</h1><blockquote><p>«Eine Frage der Zeit.»</p><cite>Anna Muster,'
                ' Tages-Anzeiger, 27. Juni 2019</cite></blockquote><p class="publication">Le <time>28. Juni 2019'
                f'</time></p></div><p>{FILLER}</p>')
    assert shown(html) == ["28. Juni 2019"]


def test_the_day_a_member_joined_is_not_the_articles():
    """Forums and community blogs print each poster's details beside the post: "Joined May
    11, 2017", "Mitglied seit 11.05.2017"."""
    html = page('<div><h1>Trinkwasser belastet</h1><div class="message-user"><dl><dt>Joined</dt><dd>May 11, 2017'
                '</dd></dl><dl><dt>Messages</dt><dd>3,066</dd></dl></div><p>Start date <span>Mar 18, 2020</span></p>'
                f'</div><p>{FILLER}</p>')
    assert shown(html) == ["Mar 18, 2020"]
    html = page('<div><h1>Trinkwasser belastet</h1><p class="user">Mitglied seit 11.05.2017</p><p>18.03.2020</p>'
                f'</div><p>{FILLER}</p>')
    assert shown(html) == ["18.03.2020"]
    # "NATO" is no Italian "nato" (born)
    html = page(f'<div><h1>Trinkwasser belastet</h1><p>NATO-Gipfel, 18.03.2020</p></div><p>{FILLER}</p>')
    assert shown(html) == ["NATO-Gipfel, 18.03.2020"]


def test_a_date_labelled_date_after_the_lead():
    """Pages that print the article's details under its lead ("Datum: 03.02.2022 Autor: se"):
    once a long lead has begun the text only labelled dates count, and "Datum:" labels one."""
    lead = "<p>" + "Der Verband sieht den Handel weiter als wichtige Schnittstelle zum Kunden. " * 3 + "</p>"
    html = page(f'<div><h1>Trinkwasser belastet</h1>{lead}<h5>Datum: </h5>03.02.2022<h5>Autor: </h5>se</div>'
                f'<p>{FILLER}</p>')
    assert shown(html) == ["03.02.2022"]
    html = page(f'<div><h1>Trinkwasser belastet</h1>{lead}<p>03.02.2022</p></div><p>{FILLER}</p>')
    assert shown(html) == []


def test_time_elements_published_or_updated():
    html = page('<h1>Trinkwasser belastet</h1>'
                '<time class="entry-date updated td-module-date" datetime="2022-05-03T23:37:37-04:00">3 May</time>'
                '<time itemprop="dateModified" datetime="2022-05-04T09:00:00-04:00">4 May</time>'
                '<time class="updated" datetime="2022-05-05T09:00:00-04:00">5 May</time>')
    assert [c for c in published(html) if c[0] != "visible"] == [("time-published", "2022-05-03T23:37:37-04:00")]
