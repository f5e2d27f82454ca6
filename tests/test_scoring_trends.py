"""Step 7: trend arrows, required and actual pace, projected year."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.roadmap import TARGETS
from capacity.scoring import score_assessment, trend, trend_to_json, trends_for
from capacity.scoring.results import (
    DECREASING,
    MODERATELY_IMPROVING,
    STAGNATING,
    TREND_ON_TRACK,
    VISION_REACHED,
)
from capacity.scoring.trends import TREND_COLUMNS, trend_table
from tests.scoring_cases import make_framework, make_roadmap, submission

ROADMAP = make_roadmap(20, 60, 90)  # vision: 90 in 2053


def test_on_track_when_the_pace_meets_the_required_pace():
    result = trend("ORG", "index", [(2023, 40.0), (2025, 50.0)], ROADMAP)
    assert result.required_rate == pytest.approx(50 / 30)
    assert result.actual_rate == pytest.approx(5.0)
    assert result.arrow == TREND_ON_TRACK
    assert result.projected_year == pytest.approx(2025 + 40 / 5)
    assert (result.from_year, result.to_year, result.start_score, result.end_score) == (
        2023,
        2025,
        40.0,
        50.0,
    )


@pytest.mark.parametrize(
    ("end_score", "arrow"),
    [
        (34.0, TREND_ON_TRACK),  # actual 2 = required 2 exactly
        (33.0, MODERATELY_IMPROVING),  # actual 1.5
        (32.0, MODERATELY_IMPROVING),  # actual 1 = half the required pace exactly
        (31.0, STAGNATING),  # actual 0.5
        (30.0, STAGNATING),  # no change is stagnating, not decreasing
        (29.0, DECREASING),
    ],
)
def test_arrow_thresholds(end_score, arrow):
    # from 30 in 2023 the vision (90 in 2053) needs 60 / 30 = 2 points a year
    result = trend("ORG", "IC", [(2023, 30.0), (2025, end_score)], ROADMAP)
    assert result.required_rate == pytest.approx(2.0)
    assert result.arrow == arrow


def test_vision_reached_whatever_the_pace():
    assert trend("ORG", "index", [(2020, 95.0), (2024, 90.0)], ROADMAP).arrow == VISION_REACHED
    assert trend("ORG", "index", [(2020, 89.0), (2024, 91.0)], ROADMAP).arrow == VISION_REACHED


def test_no_projected_year_without_progress():
    assert trend("ORG", "index", [(2020, 40.0), (2024, 40.0)], ROADMAP).projected_year is None
    assert trend("ORG", "index", [(2020, 40.0), (2024, 30.0)], ROADMAP).projected_year is None


def test_only_the_earliest_and_latest_scored_years_count():
    points = [(2025, 50.0), (2019, 30.0), (2021, None), (2022, 80.0), (2027, None)]
    result = trend("ORG", "index", points, ROADMAP)
    assert (result.from_year, result.to_year) == (2019, 2025)
    assert result.actual_rate == pytest.approx(20 / 6)


@pytest.mark.parametrize(
    "points", [[], [(2020, 40.0)], [(2020, 40.0), (2022, None)], [(2020, 40.0), (2020, 50.0)]]
)
def test_no_trend_without_two_scored_years(points):
    assert trend("ORG", "index", points, ROADMAP) is None


def test_start_before_2015_uses_the_years_left_to_2053():
    result = trend("ORG", "index", [(2010, 20.0), (2014, 30.0)], ROADMAP)
    assert result.required_rate == pytest.approx(70 / 43)
    assert result.arrow == TREND_ON_TRACK


def test_start_after_2053_leaves_no_time_so_any_shortfall_stagnates():
    result = trend("ORG", "index", [(2054, 50.0), (2056, 60.0)], ROADMAP)
    assert math.isinf(result.required_rate)
    assert result.arrow == STAGNATING
    assert trend_to_json(result)["required_rate"] is None


def test_trends_for_one_organisation_gives_index_and_each_dimension():
    fw = make_framework({"IC": [1], "IL": [1]})
    results = [
        score_assessment([submission(fw, {"IC.1": 2, "IL.1": 2}, year=2023)], fw, ROADMAP),
        score_assessment([submission(fw, {"IC.1": 4, "IL.1": None}, year=2025)], fw, ROADMAP),
    ]
    found = {t.target: t for t in trends_for(results, ROADMAP)}
    assert set(found) == {"IC"}  # IL has one scored year, the index lacks IL in 2025
    assert found["IC"].actual_rate == pytest.approx(20.0)
    results.append(score_assessment([submission(fw, {"IC.1": 3, "IL.1": 3}, year=2027)], fw, ROADMAP))
    found = {t.target: t for t in trends_for(results, ROADMAP)}
    assert list(found) == ["index", "IC", "IL"]
    assert found["index"].actual_rate == pytest.approx(5.0)  # 40 → 60 over 4 years
    assert found["IC"].end_score == pytest.approx(60.0)


def test_trends_for_refuses_several_organisations():
    fw = make_framework({"IC": [1]})
    results = [
        score_assessment([submission(fw, {"IC.1": 2}, organisation_id=org)], fw, ROADMAP)
        for org in ("A", "B")
    ]
    with pytest.raises(ValueError, match="one organisation"):
        trends_for(results, ROADMAP)
    assert trends_for([], ROADMAP) == []


def test_trend_json_shape_and_rounding():
    result = trend("ORG", "index", [(2023, 40.0), (2026, 50.0)], ROADMAP)
    assert trend_to_json(result) == {
        "organisation_id": "ORG",
        "target": "index",
        "from_year": 2023,
        "to_year": 2026,
        "actual_rate": 3.3333,
        "required_rate": 1.6667,
        "arrow": TREND_ON_TRACK,
        "projected_year": 2038.0,
    }


_GROUP = st.lists(
    st.tuples(
        st.sampled_from([2015, 2019, 2023, 2026, 2053, 2060]),
        st.one_of(st.none(), st.floats(0, 100, allow_nan=False), st.sampled_from([0.0, 45.0, 90.0, 100.0])),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda point: point[0],
)


@settings(max_examples=150, deadline=None)
@given(groups=st.lists(_GROUP, min_size=1, max_size=6), target=st.sampled_from(TARGETS[:2]))
def test_the_whole_portfolio_table_agrees_with_trend_call_by_call(groups, target) -> None:
    """`trend_table` (vectorised, for 20,000 organisations) gives `trend`'s numbers exactly, or none."""
    roadmap = make_roadmap(20, 60, 90)
    rows = [
        {"organisation_id": f"ORG-{n}", "target": target, "year": year, "score": math.nan if s is None else s}
        for n, points in enumerate(groups)
        for year, s in points
    ]
    table = trend_table(pd.DataFrame(rows), roadmap).set_index("organisation_id")
    assert len(table) == len(groups)
    for n, points in enumerate(groups):
        expected = trend(f"ORG-{n}", target, points, roadmap)
        found = table.loc[f"ORG-{n}"]
        if expected is None:
            assert found[list(TREND_COLUMNS)].isna().all()
            continue
        assert found["arrow"] == expected.arrow
        for column in TREND_COLUMNS:
            if column == "arrow":
                continue
            value = getattr(expected, column)
            assert (value is None and math.isnan(found[column])) or found[column] == value, column
