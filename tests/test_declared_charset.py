"""A page whose bytes are not in the code page it declares: transcoded to UTF-8 by a proxy,
a CMS migration or an archive, with its old ``<meta charset>`` kept."""

from __future__ import annotations

from archiver.extraction.extract import decode_html, extract_html
from archiver.items import Extraction

URL = "http://news.example.kr/article.asp?no=1412361"
TITLE = "코로나19 극복 성금 기탁 줄 잇는다"
PARAGRAPHS = [
    "대전과 충남 지역의 기업과 단체, 시민들이 신종 코로나바이러스 감염증 극복을 위한 성금을 잇따라 "
    "기탁하고 있다. 지역 사회가 어려움을 함께 나누자는 뜻에서 시작된 모금에 참여가 늘고 있다.",
    "사회복지공동모금회는 이번 주에만 스무 곳이 넘는 기업과 단체가 성금과 물품을 전달했다고 밝혔다. "
    "모금회는 모인 성금을 방역 물품 구입과 취약 계층 지원에 쓸 계획이라고 설명했다.",
    "한 기업 대표는 어려운 때일수록 지역 사회가 서로 도와야 한다며 앞으로도 나눔을 이어 가겠다고 "
    "말했다. 시민들의 소액 기부도 이어지고 있어 모금액은 계속 늘어날 것으로 보인다.",
]


def korean_article(charset: str) -> str:
    """A Korean news article as regional news CMSs write it: a declared code page, the
    headline, a date line with the reporter's name, then the story."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!doctype html><html lang="ko"><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}"><title>{TITLE} - 대전일보</title>'
        f'<meta property="og:title" content="{TITLE}"></head><body>'
        f'<div class="article"><h1 class="title">{TITLE}</h1>'
        f'<div class="info"><span class="date">2020.03.04 17:32</span> <span class="name">김지훈 기자</span></div>'
        f'<div class="article-body">{body}</div></div></body></html>'
    )


def test_utf8_bytes_under_a_legacy_declaration_are_read_as_utf8():
    text = decode_html(korean_article("euc-kr").encode("utf-8"))
    assert TITLE in text
    assert "\ufffd" not in text


def test_transcoded_page_keeps_its_title_text_and_shown_date():
    result = extract_html(korean_article("euc-kr").encode("utf-8"), URL)
    assert isinstance(result, Extraction)
    assert result.title == TITLE
    assert PARAGRAPHS[0][:30] in result.text
    assert result.published == "2020-03-04"


def test_bytes_in_the_declared_code_page_are_read_as_declared():
    assert TITLE in decode_html(korean_article("euc-kr").encode("euc-kr"))


def test_windows_1252_bytes_that_are_not_utf8_stay_windows_1252():
    raw = ('<html><head><meta charset="iso-8859-1"></head><body><p>Caf\u00e9 \u201cLa Gr\u00e8ve\u201d '
           "\u2013 r\u00e9ouvert</p></body></html>").encode("cp1252")
    assert "Caf\u00e9 \u201cLa Gr\u00e8ve\u201d \u2013 r\u00e9ouvert" in decode_html(raw)


POLISH_TITLE = "Grupa Lotos. Nowym prezesem będzie Paweł Jan Majewski"
POLISH_TEXT = ("Paweł Jan Majewski ukończył prawo na Uniwersytecie Jagiellońskim oraz studia podyplomowe MBA. "
               "Zajmował kierownicze stanowiska m.in. w Petrolocie oraz PGNiG Termika. ") * 3


def polish_article(charset: str) -> str:
    """A Polish regional news page as a CMS that moved to UTF-8 serves it: its templates still
    declare the old one-byte code page."""
    return (f'<html><head><meta charset="{charset}"><title>{POLISH_TITLE}</title></head><body><article>'
            f'<h1>{POLISH_TITLE}</h1><div class="byline">Anna Dobiegała</div><p>{POLISH_TEXT}</p>'
            f'<p>{POLISH_TEXT}</p></article></body></html>')


def test_utf8_bytes_under_a_one_byte_declaration_are_read_as_utf8():
    """ISO-8859-2 decodes any bytes without an error, so only the bytes being UTF-8 tell."""
    result = extract_html(polish_article("ISO-8859-2").encode("utf-8"), "https://trojmiasto.example.pl/a/1")
    assert isinstance(result, Extraction)
    assert (result.title, result.authors) == (POLISH_TITLE, ["Anna Dobiegała"])
    assert "ukończył" in result.text


def test_utf8_bytes_under_a_one_byte_http_charset_are_read_as_utf8():
    """Servers that default to ``Content-Type: text/html; charset=ISO-8859-1`` for UTF-8 pages."""
    page = polish_article("utf-8").replace('<meta charset="utf-8">', "").encode("utf-8")
    assert POLISH_TITLE in decode_html(page, "iso-8859-1")
    assert POLISH_TITLE in decode_html(page, "windows-1250")


def test_bytes_in_a_one_byte_code_page_are_read_as_declared():
    for charset in ("ISO-8859-2", "windows-1250"):
        assert POLISH_TITLE in decode_html(polish_article(charset).encode(charset))
    cyrillic = '<html><head><meta charset="koi8-r"></head><body><p>Новости дня: погода в Москве</p></body></html>'
    assert "Новости дня: погода в Москве" in decode_html(cyrillic.encode("koi8-r"))
