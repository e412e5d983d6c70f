"""The web view in a real headless Chromium: search, open an article, follow a revision diff,
change the timeline period, download an export, and an archived script that stays inert."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from .browser import MISSING, headless_chromium, serving, wait_for_file
from .conftest import free_port, invoke
from .web_archive import HOSTILE_LINE, HOSTILE_TITLE, NEW_WORD, WebArchive

pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@pytest.fixture(scope="session")
def archive(web_archive: WebArchive) -> WebArchive:
    return web_archive


@pytest.fixture(scope="module")
def site_url(archive: WebArchive):
    with serving(archive.data_dir, free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path):
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile"), downloads) as driver:
        yield driver


def by_css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver, selector: str) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def follow(driver, element) -> None:
    """Click a link or submit button and wait until the next page has replaced this one.

    ``click()`` returns once the click is sent, not once the browser has navigated; reading the
    URL or the page straight after it races the navigation on a loaded machine."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = by_css(driver, "html")
    element.click()
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def search_for(driver, site_url: str, query: str) -> None:
    driver.get(site_url + "/")
    box = by_css(driver, "input[name=q]")
    box.clear()
    box.send_keys(query)
    follow(driver, by_css(driver, "form.query button[type=submit]"))


def test_search_then_open_an_article(browser, site_url: str, archive: WebArchive) -> None:
    search_for(browser, site_url, "council")
    assert parse_qs(urlparse(browser.current_url).query)["q"] == ["council"]  # a bookmarkable search
    expected = [json.loads(line)["title"] for line in
                invoke("search", "council", "--json", "--limit", "20", "--data-dir", archive.data_dir).stdout.splitlines()]
    titles = [a.text for a in all_css(browser, "li.hit a.title")]
    assert titles == expected and titles
    assert all_css(browser, "li.hit mark")  # highlighted snippets
    follow(browser, all_css(browser, "li.hit a.title")[0])
    assert by_css(browser, "h1#title").text == expected[0]
    assert "council" in by_css(browser, "#text").text.lower()


def test_follow_a_revision_diff(browser, site_url: str, archive: WebArchive) -> None:
    search_for(browser, site_url, NEW_WORD)
    hits = all_css(browser, "li.hit a.title")
    assert len(hits) == 1
    follow(browser, hits[0])
    assert len(all_css(browser, "ol.versions li")) == 2
    follow(browser, by_css(browser, "a#changes"))
    inserted = " ".join(e.text for e in all_css(browser, "section.diff ins"))
    assert NEW_WORD in inserted and "Correction" in inserted
    assert by_css(browser, "section.diff ins").value_of_css_property("text-decoration-line") == "none"


def test_change_the_timeline_period(browser, site_url: str, archive: WebArchive) -> None:
    search_for(browser, site_url, "council OR city")
    follow(browser, by_css(browser, "a#timeline-link"))
    months = [bar.get_attribute("data-period") for bar in all_css(browser, "svg#chart rect.bar")]
    assert months and all(len(m) == 7 for m in months)  # 2018-07
    follow(browser, by_css(browser, 'a.period[data-period="year"]'))
    assert parse_qs(urlparse(browser.current_url).query)["by"] == ["year"]
    bars = {bar.get_attribute("data-period"): int(bar.get_attribute("data-count"))
            for bar in all_css(browser, "svg#chart rect.bar")}
    cli = json.loads(invoke("timeline", "council OR city", "--by", "year", "--json", "--data-dir",
                            archive.data_dir).stdout)
    assert bars == {b["period"]: b["count"] for b in cli["buckets"] if b["count"]}
    assert by_css(browser, "svg#chart").size["height"] > 100  # drawn, not just present


def test_download_an_export_and_check_its_rows(browser, site_url: str, archive: WebArchive, downloads: Path,
                                               tmp_path: Path) -> None:
    search_for(browser, site_url, "council OR city")
    by_css(browser, 'a.export[data-format="csv"]').click()
    rows = list(csv.DictReader(wait_for_file(downloads, "*.csv").open(encoding="utf-8", newline="")))
    out = tmp_path / "cli.csv"
    invoke("export", "council OR city", "--format", "csv", "--sort", "relevance", "--out", out, "--data-dir",
           archive.data_dir)
    expected = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == [r["id"] for r in expected] and rows
    assert rows == expected


def test_an_archived_script_in_a_headline_and_body_stays_text(browser, site_url: str, archive: WebArchive) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    browser.get(f"{site_url}/articles/{archive.id_of(archive.hostile)}")
    assert by_css(browser, "h1#title").text == HOSTILE_TITLE
    assert HOSTILE_LINE in by_css(browser, "#text").text
    assert browser.title != "pwned" and by_css(browser, "body").text != "pwned"  # what the scripts would do
    assert not all_css(browser, "script") and not all_css(browser, "#text img, h1 img, h1 b")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - no onerror handler ran
