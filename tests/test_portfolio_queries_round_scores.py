"""`portfolio_queries.round_scores`: the round's numbers from the result tables, as the results hold them.

The Benchmark page's round statistics used to decode every stored result of the round;
they now read only the index, dimension scores and levels from the flat tables. These
tests prove the two paths give identical numbers, bit for bit, on the hand-made small
portfolio and on the demo, and that the query filters organisations like the others.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from capacity.access import MANAGER, AccessDenied, Actor
from capacity.framework import current_framework
from capacity.scoring import consistency_by_dimension, weight_sensitivity
from capacity.scoring.reliability import NOTE_TOO_FEW_CASES, dimension_consistency
from capacity.scoring.round_scores import RoundScores
from capacity.scoring.sensitivity import rank_intervals
from capacity.store import open_store, portfolio_queries
from tests.dashboard_data import YEARS, fill_demo, fill_small_portfolio
from tests.test_scoring_reliability import legacy_consistency_by_dimension
from tests.test_scoring_sensitivity import legacy_weight_sensitivity

BOARD = Actor("board-test", "board")
FRAMEWORK = current_framework()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    found = open_store(f"sqlite:///{tmp_path_factory.mktemp('small') / 'capacity.db'}")
    fill_small_portfolio(found)
    yield found
    found.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    found = open_store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'capacity.db'}")
    fill_demo(found)
    yield found
    found.close()


def demo_years(store) -> list[int]:
    return sorted({year for year in range(2015, 2031) if portfolio_queries.round_results(store, BOARD, year)})


def assert_same_arrays(found: RoundScores, expected: RoundScores) -> None:
    assert found.organisation_ids == expected.organisation_ids
    assert (found.dimension_codes, found.indicator_codes) == (
        expected.dimension_codes,
        expected.indicator_codes,
    )
    for name in ("index", "dimensions", "levels"):
        assert np.array_equal(getattr(found, name), getattr(expected, name), equal_nan=True), name


def assert_same_statistics(store, year: int) -> None:
    """The new path (tables → arrays → engine) against the old one (JSON results → engine), exactly."""
    results = portfolio_queries.round_results(store, BOARD, year)
    scores = portfolio_queries.round_scores(store, BOARD, year, FRAMEWORK)
    assert_same_arrays(scores, RoundScores.from_results(results, FRAMEWORK))
    intervals = rank_intervals(scores, FRAMEWORK)
    consistency = dimension_consistency(scores, FRAMEWORK)
    assert (
        intervals == legacy_weight_sensitivity(results, FRAMEWORK) == weight_sensitivity(results, FRAMEWORK)
    )
    assert consistency == legacy_consistency_by_dimension(results, FRAMEWORK)
    assert consistency == consistency_by_dimension(results, FRAMEWORK)


@pytest.mark.parametrize("year", YEARS)
def test_the_small_portfolio_gives_the_same_statistics_as_its_stored_results(small, year) -> None:
    assert_same_statistics(small, year)


def test_the_demo_gives_the_same_statistics_as_its_stored_results_in_every_round(demo) -> None:
    years = demo_years(demo)
    assert len(years) >= 3
    for year in years:
        assert_same_statistics(demo, year)
    latest = portfolio_queries.round_scores(demo, BOARD, years[-1], FRAMEWORK)
    # the demo is varied enough to exercise what equality has to hold for
    assert np.isnan(latest.levels).any() and not np.isnan(latest.levels).all()
    assert len(set(latest.index[~np.isnan(latest.index)])) > 10


def test_round_scores_hold_each_organisation_of_the_round_once_in_id_order(small) -> None:
    scores = portfolio_queries.round_scores(small, BOARD, 2026, FRAMEWORK)
    assert scores.organisation_ids == ("NS-01", "NS-02", "NS-03", "NS-04")
    assert scores.dimensions.shape == (4, len(FRAMEWORK.dimensions))
    assert scores.levels.shape == (4, len(FRAMEWORK.indicators))
    # NS-01 answered 4, 4, 3, 4, 4, 4 (tests/dashboard_data.py): every indicator of II at 3
    assert scores.dimensions[0].tolist() == [80.0, 80.0, 60.0, 80.0, 80.0, 80.0]
    ii = [n for n, ind in enumerate(FRAMEWORK.indicators) if ind.dimension == "II"]
    assert set(scores.levels[0, ii]) == {3.0}


def test_a_round_without_assessments_has_no_rows_and_no_statistics(small) -> None:
    scores = portfolio_queries.round_scores(small, BOARD, 2001, FRAMEWORK)
    assert scores.organisation_ids == ()
    assert scores.levels.shape == (0, len(FRAMEWORK.indicators))
    assert rank_intervals(scores, FRAMEWORK) == []
    assert {c.notes for c in dimension_consistency(scores, FRAMEWORK)} == {(NOTE_TOO_FEW_CASES,)}


def test_an_indicator_the_stored_results_lack_counts_as_missing_as_in_the_results(small) -> None:
    # a later framework version that renamed one indicator of IC
    ic = FRAMEWORK.dimension("IC")
    renamed = dataclasses.replace(ic.indicators[0], code="IC.NEW")
    other = dataclasses.replace(
        FRAMEWORK,
        dimensions=tuple(
            dataclasses.replace(dim, indicators=(renamed, *ic.indicators[1:])) if dim.code == "IC" else dim
            for dim in FRAMEWORK.dimensions
        ),
    )
    scores = portfolio_queries.round_scores(small, BOARD, 2023, other)
    assert np.isnan(scores.levels[:, 0]).all()
    results = portfolio_queries.round_results(small, BOARD, 2023)
    assert_same_arrays(scores, RoundScores.from_results(results, other))
    assert dimension_consistency(scores, other) == legacy_consistency_by_dimension(results, other)
    assert dimension_consistency(scores, other)[0].complete_cases == 0


def test_round_scores_show_a_manager_only_their_own_organisations(small) -> None:
    manager = Actor("manager-test", MANAGER, frozenset({"NS-03", "NGO-02", "NS-01"}))
    scores = portfolio_queries.round_scores(small, manager, 2023, FRAMEWORK)
    assert scores.organisation_ids == ("NGO-02", "NS-01", "NS-03")
    assert scores.organisation_ids == tuple(
        r.organisation_id for r in portfolio_queries.round_results(small, manager, 2023)
    )


def test_round_scores_need_a_role_that_may_see_the_dashboards(small) -> None:
    with pytest.raises(AccessDenied):
        portfolio_queries.round_scores(small, Actor("nobody", "visitor"), 2023, FRAMEWORK)
