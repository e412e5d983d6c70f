"""Page kinds at the command line: `archiver extract` says what a page is, bad settings are one line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archiver.cli import cli
from archiver.cli.output import format_byline
from archiver.demo.custom import CustomSite

BASE = "http://127.0.0.1:8000"


def saved_gallery(tmp_path: Path) -> tuple[Path, str]:
    site = CustomSite(articles=20, seed=11)
    gallery = next(p for p in site.pieces if p.kind == "gallery")
    path = tmp_path / "gallery.html"
    path.write_bytes(site.render("GET", gallery.path, {"Host": "127.0.0.1:8000"}, BASE).body)
    return path, BASE + gallery.path


def test_extract_prints_the_kind_of_a_page_and_why(tmp_path: Path) -> None:
    path, url = saved_gallery(tmp_path)
    runner = CliRunner()
    chosen = runner.invoke(cli, ["extract", str(path), "--url", url, "--any-page"])
    assert chosen.exit_code == 0, chosen.output
    line = json.loads(chosen.output)
    assert line["kind"] == "gallery" and "captions" in line["signals"] and line["text"]
    refused = json.loads(runner.invoke(cli, ["extract", str(path), "--url", url]).output)
    assert refused["rejected"] == refused["kind"] == "gallery" and "captions" in refused["detail"]


def test_a_bad_page_kind_setting_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--data-dir", str(tmp_path),
                                      "-s", "ARCHIVER_EXTRACT_KINDS=article,podcast"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: unknown page kinds podcast; known: article, liveblog, gallery, video, "
                                     "listing, profile, static, other")
    weights = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--data-dir", str(tmp_path),
                                       "-s", 'ARCHIVER_EXTRACT_KIND_WEIGHTS={"url-statik": 0}'])
    assert weights.exit_code == 1 and "unknown page-kind signals url-statik" in weights.output
    assert "Traceback" not in result.output + weights.output


def test_show_prints_people_and_credit() -> None:
    assert format_byline(["Jane Doe", "John Roe"], "Reuters") == "By Jane Doe, John Roe (Reuters)"
    assert format_byline([], "The Associated Press") == "By The Associated Press"
    assert format_byline(["Jane Doe"], None) == "By Jane Doe"
    assert format_byline([], None) == "(no byline)"
