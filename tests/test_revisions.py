"""Only real changes are revisions: the article's own text, title or byline, not the page around it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.items import Article, Extraction, FetchedPage
from archiver.storage.archive import Archive, Outcome
from archiver.storage.changes import is_volatile

URL = "https://news.example/politics/council-approves-budget-4471"
BODY = ("The city council voted 7-2 on Tuesday to approve a budget that raises spending on parks by 5 percent.\n\n"
        "Residents who spoke at the meeting were divided.\n\n"
        "The budget takes effect on July 1, after the mayor signs it, which her office said she would do this week.")


def page(when: str) -> FetchedPage:
    return FetchedPage(url=URL, final_url=URL, status=200, body=b"<html></html>", fetched_at=when)


def extraction(text: str = BODY, title: str = "Council approves budget", authors: list[str] | None = None,
               credit: str | None = None) -> Extraction:
    return Extraction(url=URL, canonical_url=URL, title=title, authors=["Jane Doe"] if authors is None else authors,
                      credit=credit, published="2019-07-09T10:00:00-05:00", modified=None, text=text,
                      description=None, categories=[], tags=[], language="en")


def recrawl(tmp_path: Path, again: Extraction, first: Extraction | None = None):
    archive = Archive(tmp_path)
    archive.ingest(page("2019-07-09T16:00:00+00:00"), first or extraction())
    result = archive.ingest(page("2019-07-10T16:00:00+00:00"), again)
    archive.close()
    return result


@pytest.mark.parametrize("text", [
    "Tuesday, July 9, 2019\n\n" + BODY,  # the masthead's date
    BODY + "\n\n1,234 views",  # a view counter
    "Updated 3 hours ago\n\n" + BODY,
    "Last updated: July 10, 2019 at 3:15 p.m. ET\n\n" + BODY,
    BODY + "\n\n12 comments",
    "Aktualisiert am 10.07.2019, 15:14 Uhr\n\n" + BODY,
    "Mis à jour le 10 juillet 2019 à 15h14\n\n" + BODY,
    "Actualizado el 10 de julio de 2019 a las 15:14\n\n" + BODY,
    "5 min read\n\n" + BODY.replace(".\n\n", ".\n\n", 1),
], ids=["masthead-date", "views", "updated-ago", "last-updated", "comments", "de", "fr", "es", "read-time"])
def test_a_page_that_changed_only_around_the_article_is_unchanged(tmp_path, text):
    result = recrawl(tmp_path, extraction(text))
    assert result.outcome is Outcome.UNCHANGED
    assert result.record.text == BODY and result.record.revisions == []


@pytest.mark.parametrize(("again", "changed"), [
    (extraction(BODY.replace("5 percent", "7 percent")), "text"),  # a corrected figure in a sentence
    (extraction(BODY + "\n\nCorrection: An earlier version misstated the vote."), "text"),
    (extraction(BODY.replace("were divided.", "were split.")), "text"),  # a short line, not at an edge
    (extraction(BODY + "\n\nThe vote was 8-1."), "text"),  # a short line at an edge, with words
    (extraction(title="Council approves budget after late-night vote"), "title"),
    (extraction(authors=["Jane Doe", "John Roe"]), "authors"),
    (extraction(credit="Reuters"), "credit"),
], ids=["figure", "correction", "middle-line", "edge-sentence", "title", "authors", "credit"])
def test_the_article_s_own_changes_are_revisions(tmp_path, again, changed):
    result = recrawl(tmp_path, again)
    assert result.outcome is Outcome.REVISED
    [revision] = result.record.revisions
    assert {"fetched_at", "content_hash", "title", "authors", "credit", "text"} <= set(revision)
    old = extraction()
    assert revision[changed] == getattr(old, changed) != getattr(result.record, changed)


def test_a_schema_1_record_is_not_revised_for_the_new_byline_rules(tmp_path):
    """Version 1 put agencies in ``authors``; re-reading the same page moves it to ``credit``."""
    archive = Archive(tmp_path)
    result = archive.ingest(page("2019-07-09T16:00:00+00:00"), extraction(authors=["Reuters"]))
    archive.close()
    data = json.loads(result.path.read_text())
    data["schema_version"] = 1
    for name in ("credit", "paywalled"):
        del data[name]
    result.path.write_text(json.dumps(data))
    old = Article.from_dict(data)
    assert old.credit is None and old.paywalled is False
    archive = Archive(tmp_path)
    again = archive.ingest(page("2019-07-10T16:00:00+00:00"), extraction(authors=[], credit="Reuters"))
    assert again.outcome is Outcome.UNCHANGED


@pytest.mark.parametrize(("line", "volatile"), [
    ("Tuesday, July 9, 2019", True), ("1,234 views", True), ("Updated 3 hours ago", True),
    ("The vote was 8-1.", False), ("Residents were divided.", False), ("", False),
])
def test_volatile_lines(line, volatile):
    assert is_volatile(line) is volatile
