"""A small demo archive for the web view's tests: real crawls, one edited article, one hostile headline.

Built by two ``archiver crawl`` runs of a demo site: between them one article is edited
(a word replaced, a correction added), so it has a revision; another carries markup and
script in its headline and body, as pages from the open web may. Built once per session, in
the background as the session starts (conftest's ``web_archive``), for the web view's
tests and its browser tests alike, which only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archiver.demo.model import DemoArticle
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.urls import article_id

from .conftest import load_records, run_cli

ARTICLES = 30
HOSTILE_TITLE = 'Mayor <script>document.title="pwned"</script> <b>resigns</b> & <img src=x onerror="alert(1)">'
HOSTILE_LINE = '<script>document.body.innerHTML="pwned"</script> Residents said <i>nothing</i> & left.'
NEW_WORD = "zebracorn"
CORRECTION = "Correction: an earlier version misstated the vote."


@dataclass
class WebArchive:
    data_dir: Path
    site: DemoSite
    base_url: str  #: of the demo site it was crawled from
    edited: DemoArticle
    hostile: DemoArticle
    records: list[dict]

    def id_of(self, article: DemoArticle) -> str:
        return article_id(self.base_url + article.path)


def build_web_archive(data_dir: Path) -> WebArchive:
    """Crawl a demo site, edit one article and make another hostile, crawl again."""
    site = DemoSite(articles=ARTICLES, seed=11)
    for article in site.articles:  # only the article edited below counts as changed
        article.modified = None
    hostile, edited = site.articles[0], site.articles[3]
    hostile.title = HOSTILE_TITLE
    hostile.body_override = [*hostile.paragraphs, HOSTILE_LINE]
    with DemoServer(site) as server:
        first = run_cli("crawl", server.url, "--data-dir", data_dir, "--workers", "0")
        assert first.returncode == 0, first.stderr
        paragraphs = edited.paragraphs
        site.update(edited.number, new_paragraphs=[f"{NEW_WORD} {paragraphs[0]}", *paragraphs[1:], CORRECTION])
        second = run_cli("crawl", server.url, "--data-dir", data_dir, "--workers", "0")
        assert second.returncode == 0, second.stderr
        base = server.base_url
    return WebArchive(data_dir, site, base, edited, hostile, load_records(data_dir))

