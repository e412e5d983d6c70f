"""Dedup decisions and the JSON store, with hand-built pages (no network)."""

import json
import os
import time
from pathlib import Path

from archiver.storage.archive import Archive, Outcome
from archiver.storage.dedup import content_hash
from archiver.text import normalise_text
from archiver.items import RECORD_FIELDS, Extraction, FetchedPage
from archiver.storage.records import ArticleStore

BASE = "https://news.example"
ARTICLE = f"{BASE}/2018/07/05/ice-contract/"
BODY = "The city council voted on the ICE contract.\n\nResidents protested outside the hall for hours."


def page(url: str, *, redirects: list[str] | None = None, when: str = "2026-11-29T00:00:00+00:00") -> FetchedPage:
    return FetchedPage(url=(redirects or [url])[0], final_url=url, status=200, body=b"<html>" + url.encode() + b"</html>",
                       redirect_urls=redirects or [], fetched_at=when)


def extraction(url: str, canonical: str | None, text: str = BODY, title: str = "ICE contract") -> Extraction:
    return Extraction(url=url, canonical_url=canonical, title=title, authors=["Katelyn Kivel"],
                      published="2018-07-05T09:30:00+00:00", modified=None, text=text, description=None,
                      categories=["News"], tags=["ICE"], language="en")


def stored(tmp_path: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((tmp_path / "articles").rglob("*.json"))]


def test_content_hash_ignores_case_space_and_punctuation() -> None:
    assert content_hash("Hello,  World!\n\nAgain.") == content_hash("hello world again")
    assert content_hash("hello world") != content_hash("hello there world")
    assert normalise_text("Ünïcode\u00a0TEXT") == "ünïcode text"


def test_new_article_record_has_every_documented_field(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    result = archive.ingest(page(ARTICLE), extraction(ARTICLE, ARTICLE))
    assert result.outcome is Outcome.NEW
    [record] = stored(tmp_path)
    assert list(record) == list(RECORD_FIELDS)
    assert record["url"] == ARTICLE and record["urls"] == [ARTICLE]
    assert record["site"] == "news.example" and record["word_count"] == len(BODY.split())
    assert result.path == tmp_path / "articles" / "news.example" / "2018" / "07" / f"{record['id']}.json"
    assert record["capture"]["warc"].startswith("warc/") and record["capture"]["offset"] > 0
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 1


def test_variants_redirects_and_copies_merge_into_one_record(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.ingest(page(ARTICLE), extraction(ARTICLE, ARTICLE))
    amp = ARTICLE + "amp/"
    assert archive.ingest(page(amp), extraction(amp, ARTICLE, text="AMP " + BODY)).outcome is Outcome.MERGED
    printed = ARTICLE + "?print=1"
    assert archive.ingest(page(printed), extraction(printed, None)).outcome is Outcome.MERGED
    assert archive.ingest(page(ARTICLE, redirects=[f"{BASE}/?p=42"]), extraction(ARTICLE, ARTICLE)).outcome is Outcome.MERGED
    copy = f"{BASE}/syndicated/ice-contract/"
    assert archive.ingest(page(copy), extraction(copy, None)).outcome is Outcome.MERGED
    assert archive.ingest(page(ARTICLE), extraction(ARTICLE, ARTICLE)).outcome is Outcome.UNCHANGED
    [record] = stored(tmp_path)
    assert record["url"] == ARTICLE
    assert record["urls"] == [ARTICLE, amp, printed, f"{BASE}/?p=42", copy]
    assert record["text"] == BODY  # the AMP page's text did not replace the article's own


def test_original_found_after_its_copy_takes_over_the_record(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    copy = f"{BASE}/syndicated/ice-contract/"
    first = archive.ingest(page(copy), extraction(copy, None, title="Copy title"))
    result = archive.ingest(page(ARTICLE), extraction(ARTICLE, ARTICLE))
    assert result.outcome is Outcome.REPLACED and result.replaced_id == first.record.id
    [record] = stored(tmp_path)
    assert record["url"] == ARTICLE and record["title"] == "ICE contract" and record["revisions"] == []
    assert set(record["urls"]) == {ARTICLE, copy}
    assert archive.ingest(page(copy), extraction(copy, None)).outcome is Outcome.UNCHANGED


def test_changed_text_is_a_revision_and_dedup_survives_reopening(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.ingest(page(ARTICLE), extraction(ARTICLE, ARTICLE))
    archive.close()
    archive = Archive(tmp_path)
    corrected = BODY + "\n\nCorrection: the vote was 7-2."
    later = "2026-11-30T00:00:00+00:00"
    result = archive.ingest(page(ARTICLE, when=later), extraction(ARTICLE, ARTICLE, text=corrected))
    assert result.outcome is Outcome.REVISED
    [record] = stored(tmp_path)
    assert record["text"] == corrected and record["modified"] == later
    assert [r["text"] for r in record["revisions"]] == [BODY]
    assert record["revisions"][0]["content_hash"] == content_hash(BODY)
    assert archive.ingest(page(ARTICLE, when=later), extraction(ARTICLE, ARTICLE, text=corrected)).outcome is Outcome.UNCHANGED
    assert record["revisions"][0]["capture"] and record["revisions"][0]["capture"] != record["capture"]


def test_canonical_pointing_at_home_or_offsite_is_ignored(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    other = f"{BASE}/2018/07/06/other-story/"
    archive.ingest(page(ARTICLE), extraction(ARTICLE, BASE + "/"))
    archive.ingest(page(other), extraction(other, "https://elsewhere.example/x/", text="A different story entirely."))
    assert sorted(r["url"] for r in stored(tmp_path)) == [ARTICLE, other]


def test_temp_files_of_a_killed_write_are_removed_by_age(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "example.com" / "2024" / "05"
    folder.mkdir(parents=True)
    old, fresh, record = folder / ".a.json.x1.tmp", folder / ".b.json.x2.tmp", folder / "c.json"
    for path in (old, fresh, record):
        path.write_text("{}")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    store = ArticleStore(tmp_path)
    assert store.remove_temp_files(older_than=3600) == 1
    assert not old.exists() and fresh.exists() and record.exists()
    assert store.remove_temp_files() == 1 and not fresh.exists() and record.exists()


def test_store_paths_never_leave_the_data_dir(tmp_path: Path) -> None:
    from archiver.items import Article as Record
    from archiver.datadir import MAX_SEGMENT
    from archiver.storage.records import ArticleStore

    store = ArticleStore(tmp_path)
    record = Record(id="../../../etc/passwd", url="http://h/", urls=[], site="../../.." + "x" * 500, title="t",
                    authors=[], published="../../2024-05", modified=None, text="t", description=None, categories=[],
                    tags=[], language=None, word_count=1, content_hash="h", fetched_at="now")
    path = store.record_path(record)
    assert path.resolve().is_relative_to((tmp_path / "articles").resolve())
    assert all(len(part) <= MAX_SEGMENT + 5 for part in path.relative_to(tmp_path).parts)
    for name in ("../../etc/passwd", "/etc/passwd", "warc/../../x.warc.gz"):
        assert store.data_dir.warc_path(name).resolve().is_relative_to((tmp_path / "warc").resolve())
