"""Where a page says when it was published besides its markup: a sentence below the post
("Dieser Beitrag wurde am ... veröffentlicht"), and where it does not: the dates of posts
embedded in a quotation (tweets, Instagram posts), which are those of what is quoted."""

from __future__ import annotations

import lxml.html

from archiver.extraction.extract import extract_html
from archiver.extraction.metadata import read_metadata
from archiver.items import Extraction

RUNNING = "".join(
    f"<p>{text}</p>" for text in (
        "Die Meldung klang dramatisch: Hacker hätten die Steuerung einer Wasserpumpe in Illinois übernommen und "
        "sie so oft an- und ausgeschaltet, bis sie kaputt war. Von Cyberterrorismus war schnell die Rede.",
        "Wenige Tage später stellte sich heraus, dass es sich um keinen Hacker handelte, sondern um einen "
        "Mitarbeiter der Wartungsfirma, der sich aus dem Urlaub eingeloggt hatte, um nach dem Rechten zu sehen.",
        "Die Pumpe war an einer elektrisch-mechanischen Fehlfunktion gescheitert. Die Meldung vom Angriff hatte "
        "sich da schon um die Welt verbreitet, und die Richtigstellung erreichte nur einen Bruchteil der Leser, "
        "die sich längst ihr Bild von der Gefahr aus dem Netz gemacht hatten.",
    ))


def page(body: str, head: str = "") -> bytes:
    return (f'<html lang="de"><head><meta charset="utf-8"><title>Kein Cyberterrorismus (diesmal)</title>{head}</head><body>'
            f'<div class="post"><h1>Kein Cyberterrorismus (diesmal)</h1><div class="entry">{RUNNING}</div>'
            f'{body}</div></body></html>').encode("utf-8")


def published(html: bytes, url: str = "http://www.example-blog.de/news/kein-cyberterrorismus-diesmal/") -> tuple:
    result = extract_html(html, url)
    assert isinstance(result, Extraction), result
    return result.published, result.published_source


def test_a_sentence_below_the_post_that_says_when_it_was_published_dates_it() -> None:
    postmetadata = ('<p class="postmetadata alt"><small>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 14:12 '
                    'Uhr veröffentlicht und unter <a href="/category/news/">News</a> abgelegt.</small></p>')
    assert published(page(postmetadata)) == ("2011-12-03", "shown")
    english = '<p class="postmetadata"><small>This entry was posted on Saturday, December 3rd, 2011 at 2:12 pm.</small></p>'
    assert published(page(english)) == ("2011-12-03", "shown")


def shown_dates(html: bytes) -> list[str]:
    md = read_metadata(lxml.html.document_fromstring(html), "http://www.example-blog.de/news/kein-cyber/")
    return [c.value for c in md.published if c.source.startswith("visible")]


def test_a_date_below_the_post_without_a_published_label_is_not_its_date() -> None:
    sentence = "<p><small>Dieser Beitrag wurde am 3. Dezember 2011 um 14:12 Uhr veröffentlicht und abgelegt.</small></p>"
    assert shown_dates(page(sentence)) == ["3. Dezember 2011"]
    assert shown_dates(page("<p>Die Auswertung der Übung wird am 3. Dezember 2012 vorgestellt.</p>")) == []
    assert shown_dates(page("<p><small>Dieser Beitrag wurde am 3. Dezember 2012 aktualisiert.</small></p>")) == []


def test_times_inside_an_embedded_post_are_not_the_articles_date() -> None:
    embed = ('<blockquote class="instagram-media"><div><p><a href="https://www.instagram.com/p/BgR9/">Ein Beitrag '
             'geteilt von Vreni Frost</a> am <time datetime="2018-03-12T19:30:12+00:00">Mär 12, 2018 um 12:30 PDT'
             '</time></p></div></blockquote>')
    own = '<p class="meta"><time datetime="2019-01-29T10:00:00+01:00"></time></p>'
    assert published(page(embed + own))[0][:10] == "2019-01-29"
