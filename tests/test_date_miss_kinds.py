"""The kinds of published-day misses the extraction benchmark sorts (``--date-misses``):
which misses a better ranking of a page's own candidates could still get right."""

from __future__ import annotations

from benchmarks.date_misses import miss_kind


def test_a_candidate_naming_the_true_day_was_ranked_lower():
    assert miss_kind("2020-05-01", ["2020-05-02T02:54:29+00:00", "2020-05-01"]) == "ranked lower"


def test_a_datetime_on_the_true_day_on_another_clock_is_a_time_zone_off():
    # 02:54 UTC is still the evening before in New York
    assert miss_kind("2020-05-01", ["2020-05-02T02:54:29+00:00"]) == "a time zone off"
    # 00:16 in Moscow is the evening before in UTC
    assert miss_kind("2020-06-28", ["2020-06-29T00:16:15+03:00"]) == "a time zone off"


def test_a_plain_day_next_to_the_truth_is_a_time_zone_off():
    assert miss_kind("2022-05-11", ["2022-05-10"]) == "a time zone off"


def test_a_day_no_clock_reaches_is_no_source_agreeing():
    assert miss_kind("2020-05-01", ["2020-05-03T12:00:00+00:00", "2020-04-29"]) == "no source agrees"
    assert miss_kind("2019-02-19", ["2020-02-19T14:20:25+00:00"]) == "no source agrees"


def test_a_page_without_candidates_has_no_date():
    assert miss_kind("2020-08-17", []) == "no date on the page"


def test_a_page_without_text_makes_no_record_whatever_its_candidates():
    assert miss_kind("2020-01-20", ["2020-01-20T10:00:08+08:00"], has_text=False) == "no article text"
