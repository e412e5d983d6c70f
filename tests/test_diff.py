"""`archiver diff`: word-level changes between two crawls of an edited demo article; `search --changed`."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.demo.model import DemoArticle
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.cli.output import render_hunk
from archiver.reports.diffs import article_diffs, hunks, word_changes

from .conftest import EARLY, invoke, load_records, run_cli, serve_for_session

NEW_WORD = "zebracorn"
#: Pages are extracted in the crawl process: a pool of workers would only cost start-up time here.
INLINE = ("--workers", "0")
NOTE = "Correction: an earlier version misstated the vote."


def unique_word(text: str) -> str:
    counts = Counter(text.split())
    return next(w for w in text.split() if counts[w] == 1 and re.fullmatch(r"[a-z]{5,}", w))


@dataclass
class EditedArticle:
    server: DemoServer
    data_dir: Path
    article: DemoArticle
    old_word: str
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]  #: after the article was edited


@EARLY.register("edited_article", order=65)
def _edited_article(request: pytest.FixtureRequest) -> Callable[[], EditedArticle]:
    """Two crawls of a small site, one article edited in between; in the background."""
    site = DemoSite(articles=8, seed=31)
    for article in site.articles:  # only the article edited below may count as changed
        article.modified = None
    server, data_dir = serve_for_session(request, site, "edited")

    def play() -> EditedArticle:
        first = run_cli("crawl", server.url, "--data-dir", data_dir, *INLINE)
        article = site.articles[2]
        paragraphs = article.paragraphs
        old_word = unique_word(paragraphs[0])
        edited = [paragraphs[0].replace(f" {old_word} ", f" {NEW_WORD} ", 1), *paragraphs[1:], NOTE]
        site.update(article.number, new_paragraphs=edited)
        second = run_cli("crawl", server.url, "--data-dir", data_dir, *INLINE)
        return EditedArticle(server, data_dir, article, old_word, first, second)

    return play


@pytest.fixture(scope="session")
def edited_article(request: pytest.FixtureRequest) -> EditedArticle:
    return EARLY.result("edited_article", request)


@pytest.mark.slow
def test_diff_between_two_crawls_shows_exactly_the_changed_words(edited_article: EditedArticle) -> None:
    server, site, article, old_word = (edited_article.server, edited_article.server.site, edited_article.article,
                                       edited_article.old_word)
    data_dir = edited_article.data_dir
    assert edited_article.first.returncode == 0, edited_article.first.stderr
    second = edited_article.second
    assert second.returncode == 0 and "1 updated" in second.stdout, second.stdout
    url = server.base_url + article.path

    result = invoke("diff", url, "--json", "--data-dir", data_dir)
    assert result.exit_code == 0, result.stderr
    [step] = json.loads(result.stdout)
    record = next(r for r in load_records(data_dir) if r["url"] == url)
    assert step["from"] == record["revisions"][0]["fetched_at"] and step["to"] == record["fetched_at"]
    assert step["changes"] == [
        {"op": "replace", "old": old_word, "new": NEW_WORD, "field": "text"},
        {"op": "insert", "old": "", "new": NOTE, "field": "text"},
    ]
    piped = invoke("diff", record["id"], "--data-dir", data_dir)
    assert piped.exit_code == 0 and "\033[" not in piped.stdout
    assert f"[-{old_word}-] {{+{NEW_WORD}+}}" in piped.stdout and f"{{+{NOTE}+}}" in piped.stdout
    assert "--- version 1: fetched" in piped.stdout and "(current)" in piped.stdout

    other = server.base_url + site.articles[0].path
    untouched = invoke("diff", other, "--data-dir", data_dir)
    assert untouched.exit_code == 0 and "No earlier revisions" in untouched.stdout
    assert json.loads(invoke("diff", other, "--json", "--data-dir", data_dir).stdout) == []
    missing = invoke("diff", server.base_url + "/2001/01/01/nothing/", "--data-dir", data_dir)
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: no archived article")

    changed = invoke("search", "", "--changed", "--json", "--limit", "100", "--data-dir", data_dir)
    assert changed.exit_code == 0, changed.stderr
    assert [json.loads(line)["url"] for line in changed.stdout.splitlines()] == [url]
    shown = invoke("show", url, "--data-dir", data_dir)
    assert f"Revision: fetched {step['from']}" in shown.stdout


def test_word_changes_and_colours() -> None:
    old = "The council voted on Tuesday.\n\nIt approved 5 million dollars."
    new = "The council voted on Wednesday.\n\nIt approved 5 million dollars for parks."
    assert [(c.op, c.old, c.new) for c in word_changes(old, new)] == [
        ("replace", "Tuesday", "Wednesday"), ("insert", "", "for parks")]
    assert [(c.op, c.old, c.new) for c in word_changes("a b c", "a c")] == [("delete", "b", "")]
    [found] = hunks(old, new)
    hunk = render_hunk(found, colour=True)
    assert "\033[31mTuesday\033[0m" in hunk and "\033[32mWednesday\033[0m" in hunk
    plain = render_hunk(found, colour=False)
    assert plain.endswith("It approved 5 million dollars {+for parks+}.")
    record = {"title": "New", "text": new, "fetched_at": "2", "revisions": [
        {"fetched_at": "1", "title": "Old", "text": old, "content_hash": "x", "modified": None}]}
    [diff] = article_diffs(record)
    assert diff.changes[0].field == "title" and (diff.changes[0].old, diff.changes[0].new) == ("Old", "New")
