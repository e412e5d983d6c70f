"""`archiver extract` over many files: a missing one is reported and the rest extracted,
`-` reads standard input, and a page's canonical link gives its URL (issue 18, item 10)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

from .conftest import run_cli


def test_missing_files_standard_input_and_canonical_urls(demo_server: DemoServer, demo_site: DemoSite,
                                                         tmp_path: Path) -> None:
    first, second = demo_site.articles[5], demo_site.articles[6]
    pages = {}
    for name, article in (("a.html", first), ("b.html", second)):
        pages[name] = urllib.request.urlopen(demo_server.base_url + article.path).read()
        (tmp_path / name).write_bytes(pages[name])
    result = run_cli("extract", "a.html", "missing.html", "b.html", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "Error: cannot read missing.html: No such file or directory\n"
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == ["a.html", "b.html"]
    assert [line["url"] for line in lines] == [demo_server.base_url + first.path, demo_server.base_url + second.path]
    assert lines[0]["title"] == first.title and lines[0]["site"] == "127.0.0.1"
    assert lines[0]["published"][:10] == first.published[:10]

    piped = run_cli("extract", "-", input=pages["b.html"].decode("utf-8"), cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    [line] = [json.loads(x) for x in piped.stdout.splitlines()]
    assert line["source"] == "-" and line["url"] == demo_server.base_url + second.path
    assert line["text"] == second.text
