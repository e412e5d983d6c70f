"""The command line as a user meets it: help everywhere, one-line errors, no tracebacks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archiver.cli import cli
from archiver.storage.lock import DataDirLock

from .conftest import run_cli

COMMANDS = sorted(cli.commands)


def test_every_command_has_help_with_an_example_or_options() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout
        sub = run_cli(name, "--help")
        assert sub.returncode == 0, sub.stderr
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
    result = run_cli(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr


def test_second_crawl_on_a_locked_data_dir_is_refused(tmp_path: Path) -> None:
    with DataDirLock(tmp_path):
        result = run_cli("crawl", "http://127.0.0.1:9/", "--data-dir", tmp_path)
    assert result.returncode == 1
    assert "another crawl" in result.stderr and "is running on" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_saved_files(tmp_path: Path, demo_server, demo_site) -> None:
    import urllib.request

    article = demo_site.articles[3]
    html = urllib.request.urlopen(demo_server.base_url + article.path).read()
    plain = tmp_path / "story.html"
    plain.write_bytes(html)
    packed = tmp_path / "story.html.gz"
    packed.write_bytes(gzip.compress(html))
    about = tmp_path / "about.html"
    about.write_bytes(urllib.request.urlopen(demo_server.base_url + "/about/").read())
    result = run_cli("extract", plain, packed, "--url", demo_server.base_url + article.path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == [str(plain), str(packed)]
    assert lines[0]["title"] == article.title and lines[0]["authors"] == article.authors
    assert lines[0]["text"] == lines[1]["text"] == article.text
    rejected = run_cli("extract", about, "--url", demo_server.base_url + "/about/")
    assert json.loads(rejected.stdout)["rejected"] == "static"
    chosen = json.loads(run_cli("extract", about, "--url", demo_server.base_url + "/about/", "--any-page").stdout)
    assert "rejected" not in chosen and chosen["title"] and chosen["word_count"] > 0
