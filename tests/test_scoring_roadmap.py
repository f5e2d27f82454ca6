"""Steps 5–6: the roadmap expectation for a year, the gaps and the status."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity.roadmap import current_roadmap
from capacity.scoring import expected_score, roadmap_position, score_assessment, status_for_gap
from capacity.scoring.results import BEHIND, OFF_TRACK, ON_TRACK, SLIGHTLY_BEHIND
from capacity.scoring.roadmap_gaps import on_track
from tests.scoring_cases import make_framework, make_roadmap, submission

ROADMAP = make_roadmap(20, 60, 90)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1990, 20.0),
        (2014, 20.0),
        (2015, 20.0),
        (2019, 40.0),  # halfway from 2015 (20) to 2023 (60)
        (2023, 60.0),
        (2025, 62.0),  # 60 + 30 × 2/30
        (2038, 75.0),
        (2053, 90.0),
        (2054, 90.0),
        (2100, 90.0),
    ],
)
def test_expectation_interpolates_linearly_between_milestones_and_is_flat_outside(year, expected):
    assert expected_score(ROADMAP, "index", year) == pytest.approx(expected)


def test_expectation_reads_the_target_of_the_named_dimension():
    roadmap = make_roadmap(20, 60, 90)
    roadmap.milestones[1].targets["IC"] = 40.0
    assert expected_score(roadmap, "IC", 2019) == pytest.approx(30.0)
    assert expected_score(roadmap, "index", 2019) == pytest.approx(40.0)


def test_current_roadmap_expectation_for_2025():
    roadmap = current_roadmap()
    assert expected_score(roadmap, "index", 2015) == roadmap.target("index", 2015)
    assert expected_score(roadmap, "index", 2053) == roadmap.target("index", 2053)


@given(st.integers(1900, 2200))
def test_expectation_stays_between_the_lowest_and_highest_target(year):
    value = expected_score(ROADMAP, "SD", year)
    assert 20.0 <= value <= 90.0


@pytest.mark.parametrize(
    ("gap", "status"),
    [
        (-35.0, ON_TRACK),
        (0.0, ON_TRACK),
        (1e-12, ON_TRACK),  # rounding noise, not a shortfall
        (0.001, SLIGHTLY_BEHIND),
        (10.0, SLIGHTLY_BEHIND),
        (10.001, BEHIND),
        (20.0, BEHIND),
        (20.001, OFF_TRACK),
        (80.0, OFF_TRACK),
        (None, None),
    ],
)
def test_status_thresholds(gap, status):
    assert status_for_gap(gap) == status


def test_position_reports_gap_to_the_year_and_to_both_later_milestones():
    position = roadmap_position(ROADMAP, "index", 50.0, 2019)
    assert position.expected == pytest.approx(40.0)
    assert position.gap == pytest.approx(-10.0)
    assert position.gap_2023 == pytest.approx(10.0)
    assert position.gap_2053 == pytest.approx(40.0)
    assert position.status == ON_TRACK


def test_position_without_a_score_still_states_the_expectation():
    position = roadmap_position(ROADMAP, "IC", None, 2023)
    assert position.expected == 60.0
    assert (position.gap, position.gap_2023, position.gap_2053, position.status) == (None, None, None, None)


@pytest.mark.parametrize(
    ("year", "level", "status"),
    [
        (2023, 3, ON_TRACK),  # 60 vs 60: gap exactly 0
        (2014, 1, ON_TRACK),  # before 2015 the 2015 target (20) applies
        (2023, 2.5, SLIGHTLY_BEHIND),  # gap exactly 10
        (2023, 2, BEHIND),  # gap exactly 20
        (2060, 3.5, BEHIND),  # after 2053 the 2053 target (90) applies: gap 20
        (2060, 3, OFF_TRACK),  # gap 30
    ],
)
def test_engine_status_at_the_thresholds(year, level, status):
    fw = make_framework({"IC": [1]})
    subs = [
        submission(fw, {"IC.1": int(level)}, year=year),
        submission(fw, {"IC.1": round(level * 2) - int(level)}, year=year),
    ]
    result = score_assessment(subs, fw, ROADMAP)
    assert result.index.score == pytest.approx(level * 20)
    assert result.index.roadmap.status == status
    assert result.dimensions["IC"].roadmap.status == status


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.floats(min_value=-150, max_value=150, allow_nan=False),
            # at and around the on-track threshold, where the tolerance decides
            st.sampled_from([0.0, 1e-9, 2e-9, -1e-9, 1e-10, 5e-324]),
        ),
        max_size=40,
    )
)
def test_vectorised_on_track_agrees_with_the_status_of_each_gap(gaps):
    found = on_track(np.array([np.nan if gap is None else gap for gap in gaps], dtype=float))
    assert found.tolist() == [status_for_gap(gap) == ON_TRACK for gap in gaps]
