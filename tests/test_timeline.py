"""`archiver timeline`: counts per period from the index, against the demo site's ground truth."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from archiver.demo.site import DemoSite
from archiver.reports.timeline import next_period, period_label, period_start

from .conftest import CrawlRun, invoke


def timeline_json(demo_crawl: CrawlRun, *args: str) -> dict:
    result = invoke("timeline", *args, "--json", "--data-dir", demo_crawl.data_dir)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_month_counts_equal_ground_truth_with_empty_months_as_zero(demo_crawl: CrawlRun, demo_site: DemoSite) -> None:
    truth = Counter(a.published[:7] for a in demo_site.articles)
    data = timeline_json(demo_crawl)
    counts = {b["period"]: b["count"] for b in data["buckets"]}
    assert {p: n for p, n in counts.items() if n} == dict(truth)
    assert list(counts)[0] == min(truth) and list(counts)[-1] == max(truth)
    months = [b["start"] for b in data["buckets"]]
    assert len(months) == len(set(months)) and months == sorted(months)
    assert 0 in counts.values(), "the demo site has quiet months; they must show as 0"
    assert data["total"] == len(demo_site.articles) and data["undated"] == 0


def test_filters_query_and_range(demo_crawl: CrawlRun, demo_site: DemoSite) -> None:
    data = timeline_json(demo_crawl, "--by", "year", "--since", "2016-06-01", "--until", "2018-12-31")
    assert [b["period"] for b in data["buckets"]] == ["2016", "2017", "2018"]
    truth = Counter(a.published[:4] for a in demo_site.articles)
    assert [b["count"] for b in data["buckets"]] == [0, truth["2017"], truth["2018"]]
    article = demo_site.articles[3]
    one = timeline_json(demo_crawl, f'"{article.phrase}"', "--by", "day")
    assert [(b["period"], b["count"]) for b in one["buckets"]] == [(article.published[:10], 1)]
    author = article.authors[0]
    by_author = timeline_json(demo_crawl, "--author", author, "--by", "year")
    assert by_author["total"] == sum(author in a.authors for a in demo_site.articles)


def test_split_csv_and_json_shapes(demo_crawl: CrawlRun, demo_site: DemoSite) -> None:
    result = invoke("timeline", "--split", "site", "--csv", "--data-dir", demo_crawl.data_dir)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["period", "start", "count", "127.0.0.1"]
    assert all(r["count"] == r["127.0.0.1"] for r in rows)
    assert sum(int(r["count"]) for r in rows) == len(demo_site.articles)
    tags = timeline_json(demo_crawl, "--split", "tag", "--by", "year")
    assert tags["split"] == "tag"
    for bucket in tags["buckets"]:
        assert sum(bucket["groups"].values()) >= bucket["count"]
    truth = Counter(t.lower() for a in demo_site.articles for t in a.tags)
    assert sum((Counter(b["groups"]) for b in tags["buckets"]), Counter()) == truth
    table = invoke("timeline", "--split", "author", "--by", "year", "--data-dir", demo_crawl.data_dir)
    assert table.exit_code == 0 and table.stdout.startswith("period") and "total" in table.stdout.splitlines()[0]


def test_by_fetched_counts_every_article_on_the_crawl_day(demo_crawl: CrawlRun, demo_site: DemoSite) -> None:
    data = timeline_json(demo_crawl, "--by-fetched", "--by", "day")
    assert data["date_field"] == "fetched_at" and data["total"] == len(demo_site.articles)
    assert {b["period"] for b in data["buckets"]} <= {r["fetched_at"][:10] for r in demo_crawl.records}


def test_plot_writes_a_real_chart(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    image = pytest.importorskip("matplotlib.image")
    out = tmp_path / "timeline.png"
    result = invoke("timeline", "--split", "author", "--plot", out, "--data-dir", demo_crawl.data_dir)
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert image.imread(out).std() > 0.05, "the chart is a blank image"
    svg = tmp_path / "timeline.svg"
    assert invoke("timeline", "--plot", svg, "--data-dir", demo_crawl.data_dir).exit_code == 0
    assert b"<svg" in svg.read_bytes()[:500]


def test_plot_errors_are_one_line(demo_crawl: CrawlRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` raises ImportError
        missing = invoke("timeline", "--plot", tmp_path / "t.png", "--data-dir", demo_crawl.data_dir)
    assert missing.exit_code == 1 and missing.stderr.strip() == (
        "Error: --plot needs matplotlib: pip install 'news-archiver[plot]'")
    assert not (tmp_path / "t.png").exists()
    wrong = invoke("timeline", "--plot", tmp_path / "t.gif", "--data-dir", demo_crawl.data_dir)
    assert wrong.exit_code == 1 and "end the file name with .png or .svg" in wrong.stderr
    bad = invoke("timeline", "--since", "2018-02-30", "--data-dir", demo_crawl.data_dir)
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1


@pytest.mark.parametrize(("period", "day", "label", "following"), [
    ("day", "2018-07-05", "2018-07-05", "2018-07-06"),
    ("week", "2018-07-05", "2018-W27", "2018-07-09"),
    ("month", "2018-12-31", "2018-12", "2019-01-01"),
    ("year", "2018-07-05", "2018", "2019-01-01"),
])
def test_periods(period: str, day: str, label: str, following: str) -> None:
    from datetime import date

    start = period_start(date.fromisoformat(day), period)
    assert period_label(start, period) == label
    assert next_period(start, period).isoformat() == following
