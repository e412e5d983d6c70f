"""A page's date from sources that agree: markup restamped by a CMS move gives way to the
day its URL and htmldate agree on, while the usual gap between a draft's URL and its
publication keeps the markup."""

from __future__ import annotations

from archiver.extraction.extract import extract_html
from archiver.items import Extraction

PARAGRAPHS = "".join(
    f"<p>{text}</p>" for text in (
        "Montauk is a fishing village at the eastern tip of Long Island, three hours from the city by train.",
        "We came for the lighthouse and stayed for the long beaches, the seafood shacks and the quiet evenings.",
        "The old harbour is still worked by a small fleet that lands fluke, striped bass and lobster every day.",
        "In the summer the village fills with visitors, but in the shoulder season it belongs to its residents.",
    ) * 3)


def article(url_day: str, markup_moment: str) -> str:
    """An imported blog post: a dated URL, JSON-LD stamped with ``markup_moment``."""
    return (
        '<html lang="en"><head><title>Unter uns: Montauk</title>'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BlogPosting",'
        f' "headline": "Unter uns: Montauk", "datePublished": "{markup_moment}"}}</script></head>'
        f'<body><article><h1>Unter uns: Montauk</h1>{PARAGRAPHS}</article></body></html>'
    )


def published(url: str, html: str) -> tuple[str | None, str | None]:
    result = extract_html(html.encode("utf-8"), url)
    assert isinstance(result, Extraction), result
    return result.published, result.published_source


def test_markup_restamped_months_after_the_day_the_url_names_gives_way_to_the_url() -> None:
    url = "https://www.example-blog.de/home/2017/7/12/unter-uns-montauk"
    assert published(url, article("2017-07-12", "2019-06-17T18:28:00+02:00")) == ("2017-07-12", "url")


def test_markup_a_day_after_the_day_the_url_names_is_kept() -> None:
    url = "https://www.example-news.pe/futbol/2022/05/06/manchester-united-vs-brighton"
    assert published(url, article("2022-05-06", "2022-05-07T13:43:46-05:00")) == ("2022-05-07T13:43:46-05:00", "jsonld")
