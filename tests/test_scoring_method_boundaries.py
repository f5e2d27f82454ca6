"""Rules of docs/METHOD.md that mutation testing found unpinned, and second references.

Each test here fails when a constant or comparison of the method moves: the stagnation
cut-off (STAGNATION_SHARE), Cronbach's minimum of three complete cases, the projected year
once the vision is reached, and the average rank of tied organisations. The reliability
statistics are checked against independent implementations on hundreds of random tables.
"""

from __future__ import annotations

import math
from dataclasses import replace

import krippendorff
import numpy as np
import pytest

from capacity.labels import projection_text
from capacity.scoring import (
    assessment_to_json,
    indicator_priorities,
    score_assessment,
    trend,
    weight_sensitivity,
)
from capacity.scoring.consolidate import consolidate_indicator
from capacity.scoring.reliability import (
    MIN_COMPLETE_CASES,
    consistency_by_dimension,
    cronbach_alpha,
    krippendorff_alpha,
)
from capacity.scoring.results import MODERATELY_IMPROVING, STAGNATING, VISION_REACHED
from capacity.scoring.round_scores import RoundScores
from capacity.scoring.sensitivity import descending_ranks, rank_intervals
from capacity.scoring.trends import STAGNATION_SHARE, required_rate
from tests.scoring_cases import make_framework, make_roadmap, submission
from tests.test_scoring_sensitivity import FW, result

ROADMAP = make_roadmap(20, 60, 90)  # vision: 90 in 2053
RANDOM_TABLES = 500


# ---------------------------------------------------------------- trend arrows (METHOD.md §7)


@pytest.mark.parametrize(
    ("end_score", "arrow"),
    [
        (32.0, MODERATELY_IMPROVING),  # actual 1.0 = exactly half of the required 2.0
        (31.98, STAGNATING),  # actual 0.99: just below half
        (31.6, STAGNATING),  # actual 0.8 = 0.4 × required: stagnating under the published half
    ],
)
def test_stagnation_cut_off_is_half_the_required_pace(end_score, arrow):
    # from 30 in 2023 the vision (90 in 2053) needs 2 points a year
    found = trend("ORG", "IC", [(2023, 30.0), (2025, end_score)], ROADMAP)
    assert found.required_rate == pytest.approx(2.0)
    assert STAGNATION_SHARE == 0.5
    assert found.arrow == arrow


@pytest.mark.parametrize("points", [[(2020, 80.0), (2023, 92.0)], [(2019, 90.0), (2024, 95.0)]])
def test_an_organisation_at_the_vision_has_no_projected_year(points):
    # at a positive pace above the vision, t1 + (T − s1)/r would be a year before t1
    found = trend("ORG", "index", points, ROADMAP)
    assert found.arrow == VISION_REACHED
    assert found.actual_rate > 0
    assert found.projected_year is None


def test_a_projected_year_is_never_before_the_latest_assessment():
    found = trend("ORG", "index", [(2019, 50.0), (2023, 89.9)], ROADMAP)
    assert found.projected_year is not None and found.projected_year >= 2023
    assert found.projected_year == pytest.approx(2023 + 0.1 / (39.9 / 4))


# ---------------------------------------------------------------- Cronbach's alpha (METHOD.md §9)


def test_cronbach_needs_three_complete_cases_and_three_are_enough():
    assert MIN_COMPLETE_CASES == 3
    three = np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 4.0]])
    # items var 1 and 4/3, totals (3, 4, 7) var 13/3: α = 2 · (1 − (7/3)/(13/3)) = 12/13
    assert cronbach_alpha(three) == pytest.approx(12 / 13, abs=1e-12)
    assert cronbach_alpha(three[:2]) is None


def covariance_alpha(table: np.ndarray) -> float | None:
    """Cronbach's alpha from the covariance matrix, k/(k−1) · (1 − tr C / ΣC): an independent formula."""
    table = table[~np.isnan(table).any(axis=1)]
    if table.shape[0] < 3 or table.shape[1] < 2:
        return None
    covariance = np.cov(table, rowvar=False, ddof=1)
    total = covariance.sum()
    if total == 0:
        return None
    k = table.shape[1]
    return k / (k - 1) * (1 - np.trace(covariance) / total)


def test_cronbach_agrees_with_the_covariance_formula_on_random_tables():
    rng = np.random.default_rng(1951)
    for _ in range(RANDOM_TABLES):
        cases, items = rng.integers(3, 40), rng.integers(2, 9)
        table = rng.integers(0, 6, size=(cases, items)).astype(float)
        table[rng.random(table.shape) < 0.1] = np.nan
        ours, reference = cronbach_alpha(table), covariance_alpha(table)
        if reference is None:
            assert ours is None
        else:
            assert ours == pytest.approx(reference, abs=1e-9)


# ---------------------------------------------------------------- Krippendorff's alpha (METHOD.md §8)


@pytest.mark.parametrize("metric", ["ordinal", "interval"])
def test_krippendorff_agrees_with_the_reference_package_on_random_questionnaires(metric):
    """500 reliability tables shaped like questionnaires: 2–8 respondents, 5–40 indicators, gaps."""
    rng = np.random.default_rng(2011)
    compared = 0
    for _ in range(RANDOM_TABLES):
        respondents, indicators = rng.integers(2, 9), rng.integers(5, 41)
        table = rng.integers(0, 6, size=(respondents, indicators)).astype(float)
        table[rng.random(table.shape) < rng.uniform(0, 0.4)] = np.nan
        data = [[None if math.isnan(v) else int(v) for v in row] for row in table]
        ours = krippendorff_alpha(data, metric)
        try:
            with np.errstate(all="ignore"):
                reference = float(krippendorff.alpha(table, level_of_measurement=metric))
        except ValueError:  # the package refuses data with fewer than two distinct values
            reference = math.nan
        if ours is None:
            assert not math.isfinite(reference)
        else:
            compared += 1
            assert ours == pytest.approx(reference, abs=1e-9)
    assert compared >= RANDOM_TABLES * 0.9


# ---------------------------------------------------------------- tied ranks (METHOD.md §10)


def test_tied_organisations_share_the_average_rank_with_the_published_weights():
    # A and B both have an index of 60 (5, 2, 2 and 2, 5, 2): ranks 1 and 2 shared, 1.5 each
    results = [result("A", 5, 2, 2), result("B", 2, 5, 2), result("C", 1, 1, 1)]
    found = {r.organisation_id: r for r in weight_sensitivity(results, FW, draws=50)}
    assert (found["A"].nominal_rank, found["B"].nominal_rank, found["C"].nominal_rank) == (1.5, 1.5, 3.0)


def test_a_three_way_tie_below_the_leader_shares_rank_three():
    ranks = descending_ranks(np.array([[80.0, 60.0, 60.0, 60.0, 10.0]]))[0]
    assert ranks.tolist() == [1.0, 3.0, 3.0, 3.0, 5.0]


@pytest.mark.parametrize(
    ("projected", "arrow", "text"),
    [
        (None, VISION_REACHED, "already reached"),
        (None, STAGNATING, "not at this pace"),
        (float("nan"), STAGNATING, "not at this pace"),
        (2041.4, MODERATELY_IMPROVING, "2041"),
    ],
)
def test_pages_and_scorecards_say_when_the_vision_is_already_reached(projected, arrow, text):
    assert projection_text(projected, arrow, "en") == text


# ---------------------------------------------------------------- mutants that survived the first run


def test_an_indicator_missing_from_one_file_still_counts_the_later_files():
    framework = make_framework({"IC": [1, 1]})
    first = submission(framework, {"IC.1": 2})
    first = replace(first, answers={"IC.1": first.answers["IC.1"]})  # IC.2 absent from this file
    second = submission(framework, {"IC.1": 4, "IC.2": 3}, name="Organisation One")
    found = consolidate_indicator("IC.2", [first, second])
    assert (found.level, found.respondents) == (3, 1)


def test_required_pace_from_the_vision_year_on():
    assert required_rate(90, 80, 2053, 2053) == math.inf
    assert required_rate(90, 95, 2053, 2053) == 0.0  # nothing left to gain
    late = trend("ORG", "index", [(2053, 80.0), (2055, 85.0)], ROADMAP)
    assert (late.required_rate, late.arrow) == (math.inf, STAGNATING)


def test_a_slow_but_positive_pace_still_projects_a_year():
    slow = trend("ORG", "index", [(2020, 40.0), (2024, 42.0)], ROADMAP)  # 0.5 points a year
    assert slow.projected_year == pytest.approx(2024 + 48 / 0.5)


def test_priorities_carry_their_dimension_and_expectation():
    framework = make_framework({"IC": [1], "IL": [1]})
    result = score_assessment([submission(framework, {"IC.1": 1, "IL.1": 2}, year=2023)], framework, ROADMAP)
    plan = indicator_priorities(result, framework, ROADMAP)
    assert [(p.code, p.dimension, p.expected) for p in plan] == [("IC.1", "IC", 60.0), ("IL.1", "IL", 60.0)]


def test_json_gives_each_indicators_level_score_spread_and_self_view():
    framework = make_framework({"IC": [1]})
    subs = [submission(framework, {"IC.1": 2}), submission(framework, {"IC.1": 4}, name="Organisation One")]
    [indicator] = assessment_to_json(score_assessment(subs, framework, ROADMAP), framework)["indicators"]
    assert (indicator["level"], indicator["score"], indicator["spread"], indicator["self_level"]) == (
        3.0,
        60.0,
        2.0,
        3.0,
    )


def test_krippendorff_reads_float_levels_like_whole_ones():
    whole = [[1, 2, 3, None], [1, 2, 4, 2]]
    as_floats = [[None if v is None else float(v) for v in row] for row in whole]
    for metric in ("ordinal", "interval"):
        assert krippendorff_alpha(as_floats, metric) == krippendorff_alpha(whole, metric) is not None


def test_dimension_consistency_is_given_from_three_complete_organisations():
    framework = make_framework({"IC": [1, 1]})
    levels = [(1, 2), (2, 2), (3, 4)]  # the 12/13 table above
    results = [
        score_assessment(
            [submission(framework, {"IC.1": a, "IC.2": b}, organisation_id=f"O{n}")], framework, ROADMAP
        )
        for n, (a, b) in enumerate(levels)
    ]
    [ic] = consistency_by_dimension(results, framework)
    assert (ic.complete_cases, ic.alpha) == (3, pytest.approx(12 / 13))


def test_weight_sensitivity_uses_the_seed_it_is_given():
    # near-ties between profiles, so that three draws rank differently from seed to seed
    profiles = [(5, 2, 2), (2, 5, 2), (2, 2, 5), (4, 3, 2), (3, 4, 2), (2, 3, 4)]
    results = [result(f"O{n}", *levels) for n, levels in enumerate(profiles)]
    scores = RoundScores.from_results(results, FW)
    seven = weight_sensitivity(results, FW, draws=3, seed=7)
    assert seven == rank_intervals(scores, FW, draws=3, seed=7)
    assert seven != rank_intervals(scores, FW, draws=3, seed=2053)  # so the seed must reach the draws
    assert weight_sensitivity(results, FW, draws=3) == rank_intervals(scores, FW, draws=3, seed=2053)
