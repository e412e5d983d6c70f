"""The crawl state answers "never seen" from memory: no SQLite query for a URL it does not hold.

A first crawl asks about every sitemap entry, listing link and request, and almost none of
them are in the state; an incremental one asks about thousands of archived URLs too.
"""

from __future__ import annotations

from pathlib import Path

from archiver.storage.fetchstate import FetchState

SITE = "https://news.example"


def record(state: FetchState, url: str, article_id: str | None = "a" * 16) -> None:
    state.record(url, fetched_at="2024-05-03T00:00:00+00:00", etag='"v1"', last_modified=None,
                 sitemap_lastmod="2024-05-02", content_hash="h", article_id=article_id)


def queries_of(state: FetchState) -> list[str]:
    statements: list[str] = []
    state.db.set_trace_callback(statements.append)
    return statements


def test_unknown_urls_cost_no_query(tmp_path: Path) -> None:
    writer = FetchState(tmp_path)
    record(writer, f"{SITE}/2024/05/01/archived/")
    writer.close()
    state = FetchState(tmp_path)
    statements = queries_of(state)
    unknown = [f"{SITE}/2024/05/{day:02}/story-{day}/" for day in range(1, 29)]
    assert not any(state.is_archived(url) for url in unknown)
    assert statements == []
    assert state.is_archived(f"{SITE}/2024/05/01/archived/?utm_source=feed")  # the same page once cleaned
    assert len(statements) == 1
    state.close()


def test_what_it_records_it_knows_at_once_and_others_know_when_they_open(tmp_path: Path) -> None:
    state = FetchState(tmp_path)
    opened_before = FetchState(tmp_path)
    url = f"{SITE}/2024/05/01/new/"
    assert state.get(url) is None
    record(state, url)
    known = state.get(url)
    assert known is not None and known.etag == '"v1"' and known.article_id == "a" * 16
    record(state, f"{SITE}/gone/", article_id=None)
    assert state.get(f"{SITE}/gone/") is not None and not state.is_archived(f"{SITE}/gone/")
    assert opened_before.get(url) is None  # a snapshot of the state as it opened, and its own records
    opened_after = FetchState(tmp_path)
    assert opened_after.is_archived(url)
    for each in (state, opened_before, opened_after):
        each.close()
