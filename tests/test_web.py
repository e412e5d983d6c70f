"""The web view's routes through Flask's test client, on a real crawled demo archive.

Each page is checked against what the CLI prints for the same query (search, timeline,
export, show, diff), and for safety: archived markup shows as text, request paths never
reach files outside the data dir, bad input is the CLI's one-line message, nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import urllib.request
from html import unescape
from pathlib import Path

import pytest

from archiver.indexing import search_archive
from archiver.web import create_app

from .conftest import free_port, invoke, start_cli
from .web_archive import CORRECTION, HOSTILE_LINE, HOSTILE_TITLE, NEW_WORD, WebArchive

pytestmark = pytest.mark.slow  # the module's archive takes two crawls


@pytest.fixture(scope="session")
def archive(web_archive: WebArchive) -> WebArchive:
    return web_archive


@pytest.fixture
def client(archive: WebArchive):
    return create_app(archive.data_dir).test_client()


def text_of(html: bytes) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", " ", html.decode("utf-8")))


def hit_ids(html: bytes) -> list[str]:
    return re.findall(r'class="title" href="/articles/([0-9a-f]{16})"', html.decode("utf-8"))


# -- search -------------------------------------------------------------------------------


def test_search_page_shows_the_cli_s_hits_with_total_and_highlights(client, archive: WebArchive) -> None:
    query = "council OR city"
    cli = invoke("search", query, "--json", "--limit", "20", "--data-dir", archive.data_dir)
    expected = [json.loads(line)["id"] for line in cli.stdout.splitlines()]
    page = client.get("/", query_string={"q": query})
    assert page.status_code == 200
    assert hit_ids(page.data) == expected and expected
    total = search_archive(archive.data_dir, query).total
    assert f"of {total} article" in text_of(page.data)
    assert re.search(rb"<mark>(council|city)</mark>", page.data, re.IGNORECASE)
    assert 'value="council OR city"' in unescape(page.data.decode())  # the box keeps the query


def test_pages_of_hits_follow_each_other_and_the_url_carries_the_whole_query(client, archive: WebArchive) -> None:
    args = {"q": "the OR a OR and OR said", "sort": "newest", "until": "2030-01-01"}
    first = client.get("/", query_string=args)
    nxt = re.search(r'id="next" href="([^"]+)"', first.data.decode())
    assert nxt, "30 articles make two pages of 20"
    link = unescape(nxt.group(1))
    assert "page=2" in link and "sort=newest" in link and "until=2030-01-01" in link
    second = client.get(link)
    assert set(hit_ids(first.data)).isdisjoint(hit_ids(second.data))
    assert len(hit_ids(first.data)) + len(hit_ids(second.data)) == 30
    cli = invoke("search", args["q"], "--json", "--sort", "newest", "--limit", "20", "--page", "2",
                 "--until", "2030-01-01", "--data-dir", archive.data_dir)
    assert hit_ids(second.data) == [json.loads(line)["id"] for line in cli.stdout.splitlines()]


def test_filters_narrow_the_search_as_the_cli_s_do(client, archive: WebArchive) -> None:
    author = archive.edited.authors[0]
    for args, cli_args in [({"author": author}, ["--author", author]),
                           ({"since": "2018-06-01", "until": "2018-12-31"}, ["--since", "2018-06-01", "--until", "2018-12-31"]),
                           ({"credit": "Reuters"}, ["--credit", "Reuters"])]:
        page = client.get("/", query_string={"q": "said OR the OR a", **args})
        cli = invoke("search", "said OR the OR a", "--json", "--limit", "20", *cli_args, "--data-dir", archive.data_dir)
        assert hit_ids(page.data) == [json.loads(line)["id"] for line in cli.stdout.splitlines()], args
    assert hit_ids(client.get("/", query_string={"q": "said OR the OR a", "credit": "Reuters"}).data) == []
    assert archive.id_of(archive.edited) in hit_ids(client.get("/", query_string={"author": author}).data)


def test_a_misspelt_query_offers_the_correction_as_a_link(client, archive: WebArchive) -> None:
    page = client.get("/", query_string={"q": "counsil", "sort": "newest"})
    assert "No articles match" in text_of(page.data)
    link = re.search(r'id="suggestion" href="([^"]+)">([^<]+)<', page.data.decode())
    assert link and link.group(2) == "council"
    assert "sort=newest" in link.group(1)  # the correction keeps the rest of the search
    corrected = hit_ids(client.get(unescape(link.group(1))).data)
    assert corrected and corrected == hit_ids(client.get("/", query_string={"q": "council", "sort": "newest"}).data)


@pytest.mark.parametrize("query", ["the AND of", "title:(budget", "published:[2018 TO"])
def test_a_bad_query_shows_the_cli_s_one_line_message(client, archive: WebArchive, query: str) -> None:
    cli = invoke("search", query, "--data-dir", archive.data_dir)
    page = client.get("/", query_string={"q": query})
    if cli.exit_code == 0:  # the query parser accepts it: so does the page
        assert page.status_code == 200
        return
    shown = re.search(r'<p class="error" id="error">(.*?)</p>', page.data.decode(), re.S)
    assert page.status_code == 400 and shown
    assert unescape(shown.group(1)) == cli.output.strip()
    assert "Traceback" not in page.data.decode()


@pytest.mark.parametrize("args, message", [
    ({"q": "budget", "since": "2018-13-01"}, "since: '2018-13-01' is not a date (use YYYY-MM-DD)"),
    ({"q": "budget", "since": "2019-01-01", "until": "2018-01-01"}, "--since 2019-01-01 is after --until 2018-01-01"),
    ({"q": "budget", "sort": "best"}, "unknown sort 'best'; use one of: relevance, newest, oldest"),
    ({"q": "budget", "page": "-3"}, "page: '-3' is not a page number (1 to 500)"),
    ({"by": "fortnight"}, "unknown period 'fortnight'; use one of: day, week, month, year"),
])
def test_bad_filters_are_one_line_errors_on_the_page(client, args: dict, message: str) -> None:
    page = client.get("/timeline" if "by" in args else "/", query_string=args)
    assert page.status_code == 400
    assert f'<p class="error" id="error">Error: {message}</p>' in unescape(page.data.decode())
    assert "Traceback" not in page.data.decode()


# -- articles --------------------------------------------------------------------------------


def test_article_page_shows_every_field_the_record_has(client, archive: WebArchive) -> None:
    record = next(r for r in archive.records if r["id"] == archive.id_of(archive.edited))
    page = client.get(f"/articles/{record['id']}")
    assert page.status_code == 200
    shown = text_of(page.data)
    for value in [record["title"], *record["authors"], record["published"], record["published_source"],
                  record["site"], *record["urls"], *record["tags"], record["fetched_at"], record["revisions"][0]["fetched_at"]]:
        assert value in shown, value
    assert record["text"].split("\n\n")[1] in shown
    assert f'href="/articles/{record["id"]}/changes"' in page.data.decode()
    assert f'href="/articles/{record["id"]}/capture/1"' in page.data.decode()
    assert f'href="/articles/{record["id"]}/capture/2"' in page.data.decode()


def test_archived_markup_and_script_show_as_text(client, archive: WebArchive) -> None:
    article_id = archive.id_of(archive.hostile)
    for url in (f"/articles/{article_id}", "/?q=mayor+resigns"):
        page = client.get(url)
        html = page.data.decode()
        assert page.status_code == 200
        assert "<script" not in html and "<img src=x" not in html and "<b>resigns" not in html, url
        assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'none': no script runs
        assert "Mayor" in text_of(page.data)
    shown = text_of(client.get(f"/articles/{article_id}").data)
    assert HOSTILE_TITLE in shown and HOSTILE_LINE in shown


def test_revision_diff_marks_the_changed_words(client, archive: WebArchive) -> None:
    article_id = archive.id_of(archive.edited)
    page = client.get(f"/articles/{article_id}/changes").data.decode()
    assert f"<ins>{NEW_WORD}" in page.replace("<ins> ", "<ins>")
    assert CORRECTION.split()[0] in "".join(re.findall(r"<ins>(.*?)</ins>", page, re.S))
    assert "<del>" not in page  # words were only added
    cli = invoke("diff", article_id, "--json", "--data-dir", archive.data_dir)
    assert json.loads(cli.stdout) == client.get(f"/api/articles/{article_id}/diff").get_json()


def test_raw_capture_is_the_archived_html_served_inert(client, archive: WebArchive) -> None:
    article_id = archive.id_of(archive.hostile)
    response = client.get(f"/articles/{article_id}/capture/1")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert b"<html" in response.data and b"Mayor" in response.data
    assert client.get(f"/articles/{article_id}/capture/2").status_code == 404  # one version only


@pytest.mark.parametrize("path", [
    "/articles/..%2F..%2F..%2Fetc%2Fpasswd/capture/1", "/articles/../../../etc/passwd", "/articles/%2e%2e/capture/1",
    "/articles/..%5C..%5Cetc%5Cpasswd", "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/static/../../../etc/passwd",
    "/articles/%2Fetc%2Fpasswd", "/api/articles/..%2F..%2Fstate%2Fkeys.sqlite",
])
def test_no_request_path_reaches_a_file_outside_the_archive(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), path
    assert b"root:" not in response.data


def test_a_record_pointing_outside_the_data_dir_gets_no_file(archive: WebArchive, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(archive.data_dir, tmp_path / "tampered"))
    path = next(p for p in (copy / "articles").rglob("*.json") if p.stem == archive.id_of(archive.hostile))
    record = json.loads(path.read_text())
    elsewhere = tmp_path / "elsewhere.warc.gz"  # a real WARC file outside the data dir
    shutil.copy(copy / record["capture"]["warc"], elsewhere)
    client = create_app(copy).test_client()
    captured = client.get(f"/articles/{record['id']}/capture/1")
    assert captured.status_code == 200
    for pointer in ("../elsewhere.warc.gz", str(elsewhere), "warc/../../elsewhere.warc.gz"):
        record["capture"]["warc"] = pointer
        path.write_text(json.dumps(record))
        response = client.get(f"/articles/{record['id']}/capture/1")
        assert response.status_code == 404 and captured.data[:200] not in response.data, pointer


# -- timeline, export, sites, API -------------------------------------------------------------


def test_timeline_chart_and_csv_count_what_the_cli_counts(client, archive: WebArchive) -> None:
    for by in ("month", "year"):
        cli = invoke("timeline", "--by", by, "--json", "--data-dir", archive.data_dir)
        buckets = [b for b in json.loads(cli.stdout)["buckets"] if b["count"]]
        page = client.get("/timeline", query_string={"by": by}).data.decode()
        bars = re.findall(r'data-period="([^"]+)" data-count="(\d+)"', page)
        assert [(b["period"], b["count"]) for b in buckets] == [(p, int(c)) for p, c in bars]
        csv_text = client.get("/timeline.csv", query_string={"by": by}).data.decode()
        assert csv_text == invoke("timeline", "--by", by, "--csv", "--data-dir", archive.data_dir).stdout
    split = client.get("/timeline", query_string={"by": "year", "split": "author"}).data.decode()
    assert 'class="legend"' in split and archive.edited.authors[0] in unescape(split)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_downloads_every_match_as_the_cli_exports_it(client, archive: WebArchive, fmt: str,
                                                           tmp_path: Path) -> None:
    args = {"q": "said OR the OR a", "sort": "newest", "since": "2018-01-01"}
    response = client.get(f"/export.{fmt}", query_string=args)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    out = tmp_path / f"cli.{fmt}"
    invoke("export", args["q"], "--format", fmt, "--sort", "newest", "--since", "2018-01-01", "--out", out,
           "--data-dir", archive.data_dir)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        web = pq.read_table(io.BytesIO(response.data)).to_pylist()
        assert [r["id"] for r in web] == [r["id"] for r in pq.read_table(out).to_pylist()] and web
    elif fmt == "csv":
        web_rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
        assert web_rows == list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))) and web_rows
    else:
        assert response.data == out.read_bytes() and response.data
    manifest = client.get(f"/export.{fmt}.manifest.json", query_string=args).get_json()
    cli_manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["sha256"] == hashlib.sha256(response.data).hexdigest() == cli_manifest["sha256"]
    assert manifest["file"] == f"archive-export.{fmt}"
    for name in ("format", "fields", "selection", "records", "crawled_from", "crawled_to", "archive", "tool"):
        assert manifest[name] == cli_manifest[name], name


def test_sites_page_counts_articles_and_shows_the_last_crawl(client, archive: WebArchive) -> None:
    data = client.get("/api/sites").get_json()
    assert data["articles"] == 30 and data["sites"][0]["crawls"] == 2
    runs = [json.loads(line) for line in (archive.data_dir / "state" / "runs.jsonl").read_text().splitlines()]
    assert data["sites"][0]["last_crawl"] == runs[-1]["end"]
    page = text_of(client.get("/sites").data)
    assert "30 articles from 1 site" in page and runs[-1]["end"] in page


def test_api_mirrors_the_cli_s_json(client, archive: WebArchive) -> None:
    article_id = archive.id_of(archive.edited)
    assert client.get(f"/api/articles/{article_id}").get_json() == json.loads(
        invoke("show", article_id, "--json", "--data-dir", archive.data_dir).stdout)
    cli_hits = [json.loads(line) for line in invoke("search", "council OR city", "--json", "--data-dir",
                                                     archive.data_dir).stdout.splitlines()]
    assert client.get("/api/search", query_string={"q": "council OR city"}).get_json()["hits"] == cli_hits
    assert client.get("/api/timeline", query_string={"by": "year", "split": "site"}).get_json() == json.loads(
        invoke("timeline", "--by", "year", "--split", "site", "--json", "--data-dir", archive.data_dir).stdout)
    health = invoke("health", "--json", "--data-dir", archive.data_dir)
    assert client.get("/api/health").get_json() == json.loads(health.stdout)
    assert client.get("/api/stats").get_json() == json.loads(invoke("stats", "--json", "--data-dir",
                                                                    archive.data_dir).stdout)
    error = client.get("/api/search", query_string={"q": "the AND of"})
    assert error.status_code == 400 and set(error.get_json()) == {"error"}
    assert client.get("/api/articles/0000000000000000").status_code == 404


def test_the_web_view_writes_nothing_to_the_archive(client, archive: WebArchive) -> None:
    def state() -> dict[str, tuple[int, int]]:
        return {str(p.relative_to(archive.data_dir)): (p.stat().st_size, p.stat().st_mtime_ns)
                for p in archive.data_dir.rglob("*") if p.is_file()}

    before = state()
    article_id = archive.id_of(archive.edited)
    for url in ["/", "/?q=council", "/timeline?split=site", "/timeline.csv", "/sites", f"/articles/{article_id}",
                f"/articles/{article_id}/changes", f"/articles/{article_id}/capture/1", "/export.csv?q=council",
                "/export.jsonl", "/export.parquet", "/export.csv.manifest.json?q=council", "/api/search?q=city", "/api/health", "/api/stats", "/?q=the"]:
        assert client.get(url).status_code in (200, 400), url
    assert state() == before


# -- archiver serve ------------------------------------------------------------------------


def test_serve_binds_to_this_machine_by_default_and_says_so(archive: WebArchive) -> None:
    port = free_port()
    server = start_cli("serve", "--data-dir", archive.data_dir, "--port", port)
    try:
        assert server.stderr is not None
        line = server.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line and "only this machine" in line, line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=council", timeout=30) as response:
            assert response.status == 200 and b"<mark>" in response.read()
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_serve_refuses_a_missing_archive_in_one_line(tmp_path: Path) -> None:
    result = invoke("serve", "--data-dir", tmp_path / "nothing-here")
    assert result.exit_code == 1 and result.output.startswith("Error: no archive at") and len(result.output.splitlines()) == 1
