"""The command line as a user meets it: help everywhere, one-line errors, no tracebacks.

Commands run in this process (``invoke``), where an exception that is not a one-line error
fails the test with its traceback, and a command that would start Scrapy fails the test.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from archiver.cli import cli
from archiver.storage.lock import DataDirLock

from .conftest import invoke, locked_by_another_process

COMMANDS = sorted(cli.commands)


def test_every_command_has_help_with_an_example_or_options() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout
        sub = invoke(name, "--help")
        assert sub.exit_code == 0, sub.stderr
        assert "Usage: archiver " + name in sub.stdout
        assert len(sub.stdout.splitlines()) > 5


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"archiver {name}" in readme, name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "ice", "--data-dir", "/nonexistent/archive"), "no archive at /nonexistent/archive"),
        (("show", "abc", "--data-dir", "/nonexistent/archive"), "no archive at"),
        (("stats", "--data-dir", "/nonexistent/archive"), "no archive at"),
        (("export", "--format", "jsonl", "--data-dir", "/nonexistent/archive"), "no archive at"),
        (("crawl", "ftp://example.com/"), "not an http(s) URL"),
        (("crawl", "http://127.0.0.1:9/", "--since", "2018-13-45"), "--since: '2018-13-45' is not a date"),
        (("schedule", "http://x.example/", "--every", "soon", "--print-cron"), "is not an interval"),
        (("export", "--format", "xml"), "Invalid value for '--format'"),
    ],
)
def test_bad_input_is_one_line_error(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = invoke(*args)  # a traceback would propagate and fail the test
    assert result.exit_code != 0
    assert message in result.stderr, result.stderr


def test_second_crawl_on_a_locked_data_dir_is_refused(tmp_path: Path) -> None:
    with locked_by_another_process(tmp_path) as crawling:  # refused at the lock, before Scrapy starts
        result = invoke("crawl", "http://127.0.0.1:9/", "--data-dir", tmp_path)
    assert result.exit_code == 1
    assert "another crawl" in result.stderr and "is running on" in result.stderr
    assert f"(pid {crawling})" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with DataDirLock(tmp_path):  # the refused crawl left the lock as it found it
        pass


def test_extract_saved_files(tmp_path: Path, demo_site) -> None:
    base = "http://127.0.0.1:8000"  # pages as the demo server renders them, saved by hand

    def saved(path: str) -> bytes:
        page = demo_site.render("GET", path, {}, base)
        assert page.status == 200, path
        return page.body

    article = demo_site.articles[3]
    html = saved(article.path)
    plain = tmp_path / "story.html"
    plain.write_bytes(html)
    packed = tmp_path / "story.html.gz"
    packed.write_bytes(gzip.compress(html))
    about = tmp_path / "about.html"
    about.write_bytes(saved("/about/"))
    result = invoke("extract", plain, packed, "--url", base + article.path)
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == [str(plain), str(packed)]
    assert lines[0]["title"] == article.title and lines[0]["authors"] == article.authors
    assert lines[0]["text"] == lines[1]["text"] == article.text
    rejected = invoke("extract", about, "--url", base + "/about/")
    assert json.loads(rejected.stdout)["rejected"] == "static"
    chosen = json.loads(invoke("extract", about, "--url", base + "/about/", "--any-page").stdout)
    assert "rejected" not in chosen and chosen["title"] and chosen["word_count"] > 0


def test_terminal_output_has_no_control_characters() -> None:
    from archiver.cli.output import format_record

    evil = "a\x1b]0;pwned\x07b\x9b31mc\x1b[2J"
    record = {"id": "0" * 16, "title": evil, "authors": [evil], "published": evil, "modified": evil, "site": evil,
              "url": evil, "urls": [evil, "x"], "categories": [evil], "tags": [evil], "text": evil, "word_count": 1,
              "revisions": [{"fetched_at": evil, "content_hash": evil}]}
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", format_record(record))
