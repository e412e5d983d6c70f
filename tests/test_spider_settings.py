"""What a run needs that depends on its start URLs is set by the spider, so `archiver
crawl`, `scrapy crawl news` and a scrapyd job get the same (issue 18, item 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from archiver import settings as project_settings
from archiver.datadir import DataDir
from archiver.spiders.news import NewsSpider


def spider_settings(data_dir: Path, url: str, **cmdline: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.setdict({"ARCHIVER_DATA_DIR": str(data_dir), **cmdline}, priority="cmdline")
    crawler = Crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, url=url)
    spider.closed("finished")
    return crawler.settings


@pytest.mark.parametrize(("url", "throttled"), [("http://127.0.0.1:8000/", False), ("localhost:8000", False),
                                                ("https://news.example/", True)])
def test_frontier_and_politeness_follow_the_start_urls(tmp_path: Path, url: str, throttled: bool) -> None:
    settings = spider_settings(tmp_path, url)
    assert settings["JOBDIR"] == str(DataDir(tmp_path).frontier)
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is throttled
    assert settings.getfloat("DOWNLOAD_DELAY") == (0.25 if throttled else 0)


def test_what_the_user_sets_wins(tmp_path: Path) -> None:
    settings = spider_settings(tmp_path, "http://127.0.0.1:8000/", DOWNLOAD_DELAY="2", JOBDIR=str(tmp_path / "job"))
    assert settings.getfloat("DOWNLOAD_DELAY") == 2 and settings["JOBDIR"] == str(tmp_path / "job")
