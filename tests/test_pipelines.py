"""The item pipelines in this process: extract -> archive -> index, on hand-built pages.

Each pipeline is made by its ``from_crawler`` from an unstarted crawler, opened and closed
as the engine would (``open_spider()`` / ``close_spider()``, no spider argument), and fed
items through ``process_item`` (a coroutine for extract and archive).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem, NotConfigured

from archiver.extraction import extract
from archiver.extensions.extraction import ExtractionPool
from archiver.items import ExtractedPage, Extraction, FetchedPage, StoredArticle
from archiver.pipelines.archive import ArchivePipeline
from archiver.pipelines.extract import ExtractPipeline
from archiver.pipelines.index import IndexPipeline
from archiver.storage.archive import Archive
from archiver.storage.keystore import KeyStore
from index import ArticleIndex

from .conftest import load_records
from .hostile_site import Article, article_html, paragraphs
from .scrapy_helpers import crawler_for, run

SITE = "https://news.example"
STORY = Article("/2024/05/01/council-votes/", "Council votes on the budget", paragraphs(3))


def fetched(article: Article = STORY, *, body: bytes | None = None, url: str | None = None,
            when: str = "2024-05-02T08:00:00+00:00", **fields: object) -> FetchedPage:
    url = url or SITE + article.path
    return FetchedPage(url=url, final_url=url, status=200, body=body if body is not None else article_html(article).encode(),
                       headers={"content-type": "text/html; charset=utf-8", "etag": '"v1"'}, encoding="utf-8",
                       found_via="sitemap", fetched_at=when, **fields)


# -- extract ---------------------------------------------------------------------------------


@pytest.fixture
def crawler(tmp_path: Path):
    return crawler_for(tmp_path, ARCHIVER_EXTRACT_WORKERS=0)


@pytest.fixture
def extraction_pool(crawler) -> Iterator[ExtractionPool]:
    pool = ExtractionPool.from_crawler(crawler)
    pool.open()
    yield pool
    pool.close()


def test_an_article_page_is_read_once_for_its_extraction_and_links(crawler, extraction_pool: ExtractionPool) -> None:
    assert extraction_pool.pool is None  # ARCHIVER_EXTRACT_WORKERS=0: extracted in the crawl process
    page = fetched()
    reading = run(extraction_pool.read(page))
    assert isinstance(reading.result, Extraction)
    assert reading.result.title == STORY.title and reading.result.text == STORY.text
    assert reading.result.authors == ["Ana Pérez"] and reading.result.published[:10] == "2024-05-01"
    item = ExtractedPage(page, reading.result)
    assert ExtractPipeline.from_crawler(crawler).process_item(item) is item
    assert crawler.stats.get_value("archiver/extract/articles") == 1


def test_extract_drops_what_is_not_an_article_and_counts_why(crawler, extraction_pool: ExtractionPool) -> None:
    pipeline = ExtractPipeline.from_crawler(crawler)
    png = FetchedPage(url=f"{SITE}/logo.png", final_url=f"{SITE}/logo.png", status=200, body=b"\x89PNG",
                      headers={"content-type": "image/png"})
    with pytest.raises(DropItem, match=r"^not-html: https://news.example/logo\.png"):
        pipeline.process_item(run(extraction_pool.read(png)).result)
    with pytest.raises(DropItem, match="^too-short: "):
        pipeline.process_item(run(extraction_pool.read(fetched(Article("/2024/05/02/brief/", "Brief",
                                                                        "Only a few words here.")))).result)
    stats = crawler.stats
    assert stats.get_value("archiver/extract/rejected/not-html") == 1
    assert stats.get_value("archiver/extract/rejected/too-short") == 1
    assert stats.get_value("archiver/extract/articles") is None
    other = {"an": "item of another kind"}
    assert pipeline.process_item(other) is other


class BrokenPool:
    """A process pool whose worker always dies."""

    def __init__(self) -> None:
        self.shut = False

    def submit(self, *args: object, **kwargs: object) -> Future:
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, **kwargs: object) -> None:
        self.shut = True


def test_a_dead_extraction_worker_is_replaced_then_the_page_recorded_as_failed(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path, ARCHIVER_EXTRACT_WORKERS=1)
    extraction = ExtractionPool.from_crawler(crawler)
    pools = [BrokenPool(), BrokenPool(), BrokenPool()]
    extraction._new_pool = lambda: pools.pop(0)  # type: ignore[method-assign]
    extraction.open()
    reading = run(extraction.read(fetched()))
    with pytest.raises(DropItem, match="^worker-crash: "):
        ExtractPipeline.from_crawler(crawler).process_item(reading.result)
    assert crawler.stats.get_value("archiver/extract/worker_crash") == 2
    assert crawler.stats.get_value("archiver/extract/rejected/worker-crash") == 1
    assert pools == []  # the pool was replaced after each crash
    extraction.close()
    assert extraction.pool.shut


def test_a_stopping_crawl_sends_no_more_pages_to_the_workers(crawler, extraction_pool: ExtractionPool) -> None:
    crawler.crawling = False
    assert run(extraction_pool.read(fetched())) is None
    assert crawler.stats.get_value("archiver/extract/left_for_next_run") == 1


# -- archive ---------------------------------------------------------------------------------


def extracted(page: FetchedPage) -> ExtractedPage:
    result = extract(page)
    assert isinstance(result, Extraction)
    return ExtractedPage(page, result)


@pytest.fixture
def archive_pipeline(tmp_path: Path) -> Iterator[ArchivePipeline]:
    pipeline = ArchivePipeline.from_crawler(crawler_for(tmp_path / "archive"))
    pipeline.open_spider()
    yield pipeline
    pipeline.close_spider()


def test_archive_writes_a_record_into_the_data_dir(archive_pipeline: ArchivePipeline, tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    stored = run(archive_pipeline.process_item(extracted(fetched())))
    assert isinstance(stored, StoredArticle) and stored.outcome == "new" and stored.replaced_id is None
    [record] = load_records(data_dir)
    assert Path(stored.path) == next((data_dir / "articles").rglob("*.json"))
    assert record["id"] == stored.record.id and record["url"] == SITE + STORY.path
    assert record["title"] == STORY.title and record["text"] == STORY.text and record["site"] == "news.example"
    assert record["capture"] and list((data_dir / "warc").glob("*.warc.gz")), "the raw capture is kept"
    known = archive_pipeline.state.get(SITE + STORY.path)
    assert known is not None and known.article_id == record["id"] and known.etag == '"v1"'
    assert archive_pipeline.stats.get_value("archiver/archive/new") == 1


def test_archive_drops_unchanged_pages_and_merged_addresses(archive_pipeline: ArchivePipeline, tmp_path: Path) -> None:
    run(archive_pipeline.process_item(extracted(fetched())))
    with pytest.raises(DropItem, match="^unchanged: "):
        run(archive_pipeline.process_item(extracted(fetched())))
    copy = fetched(url=f"{SITE}/syndicated/council-votes/")
    with pytest.raises(DropItem, match="^merged: "):
        run(archive_pipeline.process_item(extracted(copy)))
    [record] = load_records(tmp_path / "archive")
    assert record["urls"] == [SITE + STORY.path, f"{SITE}/syndicated/council-votes/"]
    stats = archive_pipeline.stats
    assert (stats.get_value("archiver/archive/unchanged"), stats.get_value("archiver/archive/merged")) == (1, 1)
    other = {"an": "item of another kind"}
    assert run(archive_pipeline.process_item(other)) is other


def test_archive_keeps_to_the_date_window(tmp_path: Path) -> None:
    pipeline = ArchivePipeline.from_crawler(crawler_for(tmp_path / "archive", ARCHIVER_SINCE="2024-06-01"))
    pipeline.open_spider()
    with pytest.raises(DropItem, match="published 2024-05-01, outside the date window"):
        run(pipeline.process_item(extracted(fetched())))
    pipeline.close_spider()
    assert load_records(tmp_path / "archive") == []
    assert pipeline.stats.get_value("archiver/archive/outside_window") == 1


def test_archive_removes_temp_files_of_a_killed_crawl_when_it_opens(tmp_path: Path) -> None:
    folder = tmp_path / "archive" / "articles" / "news.example" / "2024" / "05"
    folder.mkdir(parents=True)
    leftover = folder / ".0123456789abcdef.json.x1.tmp"
    leftover.write_text("{")
    pipeline = ArchivePipeline.from_crawler(crawler_for(tmp_path / "archive", ARCHIVER_TEMP_FILE_MAX_AGE=0))
    pipeline.open_spider()
    pipeline.close_spider()
    assert not leftover.exists()


# -- index -----------------------------------------------------------------------------------


def test_index_pipeline_indexes_stored_articles_and_what_a_crash_left(tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    # a record stored by a crawl that died before indexing it
    archive = Archive(data_dir, keep_raw=False)
    earlier_page = Article("/2024/04/30/earlier/", "An earlier story", paragraphs(8))
    earlier = archive.ingest(fetched(earlier_page), extract(fetched(earlier_page)))
    archive.close()
    keys = KeyStore(data_dir)
    assert [k.id for k in keys.unindexed()] == [earlier.record.id]
    keys.close()

    pipeline = IndexPipeline.from_crawler(crawler_for(data_dir, ARCHIVER_INDEX_BATCH_SIZE=10))
    pipeline.open_spider()
    archive = Archive(data_dir, keep_raw=False)
    new = archive.ingest(fetched(), extract(fetched()))
    archive.close()
    item = StoredArticle(new.outcome.value, new.record, str(new.path))
    assert pipeline.process_item(item) is item
    other = {"an": "item of another kind"}
    assert pipeline.process_item(other) is other
    pipeline.close_spider()

    assert pipeline.stats.get_value("archiver/index/upserts") == 1
    index = ArticleIndex.open(data_dir / "index")
    assert [h.id for h in index.search('"council votes on the budget"').hits] == [new.record.id]
    assert [h.id for h in index.search('title:"an earlier story"').hits] == [earlier.record.id]
    index.close()
    keys = KeyStore(data_dir)
    assert keys.unindexed() == []  # every committed record marked as indexed
    keys.close()


def test_index_pipeline_removes_a_replaced_record(tmp_path: Path) -> None:
    """A syndicated copy stored first, then its original: the copy's document goes.

    One commit per change here: within one uncommitted batch the writer cannot remove a
    document it added (see ``test_a_batch_deletes_and_replaces_its_own_pending_documents``).
    """
    data_dir = tmp_path / "archive"
    pipeline = IndexPipeline.from_crawler(crawler_for(data_dir, ARCHIVER_INDEX_BATCH_SIZE=1))
    pipeline.open_spider()
    archive = Archive(data_dir, keep_raw=False)
    copy = fetched(url=f"{SITE}/syndicated/council-votes/")
    first = archive.ingest(copy, extract(copy))
    pipeline.process_item(StoredArticle(first.outcome.value, first.record, str(first.path)))
    canonical = f'<link rel="canonical" href="{SITE + STORY.path}"><title>'
    original = fetched(body=article_html(STORY).replace("<title>", canonical, 1).encode())
    own = archive.ingest(original, extract(original))
    archive.close()
    assert own.replaced_id == first.record.id and own.record.id != first.record.id
    pipeline.process_item(StoredArticle(own.outcome.value, own.record, str(own.path), own.replaced_id))
    pipeline.close_spider()
    index = ArticleIndex.open(data_dir / "index")
    assert [h.url for h in index.search("council").hits] == [SITE + STORY.path]
    index.close()


def test_index_pipeline_is_off_when_indexing_is(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        IndexPipeline.from_crawler(crawler_for(tmp_path, ARCHIVER_INDEX_ENABLED=False))
    assert not (tmp_path / "index").exists()


# -- all three, as a crawl chains them --------------------------------------------------------


def test_the_three_pipelines_chained(tmp_path: Path) -> None:
    data_dir = tmp_path / "archive"
    crawler = crawler_for(data_dir, ARCHIVER_EXTRACT_WORKERS=0)
    steps = [ExtractPipeline.from_crawler(crawler), ArchivePipeline.from_crawler(crawler),
             IndexPipeline.from_crawler(crawler)]
    for step in steps[1:]:
        step.open_spider()
    item: object = extracted(fetched())  # what the spider yields (see test_spider)
    for step in steps:
        item = step.process_item(item)
        if hasattr(item, "__await__"):
            item = run(item)
    for step in reversed(steps[1:]):
        step.close_spider()
    assert isinstance(item, StoredArticle) and item.outcome == "new"
    assert json.loads(Path(item.path).read_text(encoding="utf-8"))["title"] == STORY.title
    index = ArticleIndex.open(data_dir / "index")
    assert [h.id for h in index.search("budget").hits] == [item.record.id]
    index.close()
    assert {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("archiver/")} == {
        "archiver/extract/articles": 1, "archiver/archive/new": 1, "archiver/index/upserts": 1,
        "archiver/index/checked": 1, "archiver/index/drift": 0}  # the crawl's end checks what it indexed
    assert os.path.isfile(data_dir / "state" / "fetches.sqlite")
