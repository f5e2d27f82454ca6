"""Step 10: rank intervals of the index under random dimension weights."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.scoring import score_assessment, weight_sensitivity
from capacity.scoring.results import RankInterval
from capacity.scoring.round_scores import RoundScores
from capacity.scoring.sensitivity import _ranks_in_blocks, descending_ranks, rank_intervals
from tests.scoring_cases import NA, make_framework, make_roadmap, submission

FW = make_framework({"IC": [1], "IL": [1], "II": [1]})
ROADMAP = make_roadmap()


def result(org, ic, il, ii, year=2025):
    levels = {"IC.1": ic, "IL.1": il, "II.1": ii}
    return score_assessment([submission(FW, levels, organisation_id=org, year=year)], FW, ROADMAP)


def test_descending_ranks_give_rank_one_to_the_highest_and_average_ties():
    ranks = descending_ranks(np.array([[3.0, 1.0, 3.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0]]))
    assert ranks.tolist() == [[2.0, 5.0, 2.0, 4.0, 2.0], [5.0, 4.0, 3.0, 2.0, 1.0]]


@given(st.lists(st.integers(0, 4), min_size=1, max_size=12))
def test_descending_ranks_match_counting(values):
    row = np.array([values], dtype=float)
    expected = [sum(v > x for v in values) + (sum(v == x for v in values) + 1) / 2 for x in values]
    assert descending_ranks(row)[0].tolist() == expected


def test_clearly_separated_organisations_keep_their_ranks():
    results = [result("LOW", 1, 1, 1), result("TOP", 5, 5, 4), result("MID", 3, 3, 3)]
    found = {r.organisation_id: r for r in weight_sensitivity(results, FW, draws=200)}
    assert [
        (found[o].nominal_rank, found[o].median_rank, found[o].rank_p05, found[o].rank_p95)
        for o in ("TOP", "MID", "LOW")
    ] == [
        (1, 1.0, 1.0, 1.0),
        (2, 2.0, 2.0, 2.0),
        (3, 3.0, 3.0, 3.0),
    ]


def test_organisations_that_differ_only_in_profile_swap_places():
    # equal index (60) nominally, so they share ranks 1 and 2; the weights decide who is first
    results = [result("A", 5, 2, 2), result("B", 2, 5, 2)]
    found = {r.organisation_id: r for r in weight_sensitivity(results, FW)}
    for org in ("A", "B"):
        assert found[org].nominal_rank == 1.5
        assert (found[org].rank_p05, found[org].rank_p95) == (1.0, 2.0)


def test_seeded_draws_are_reproducible():
    results = [result("A", 5, 2, 2), result("B", 2, 5, 2), result("C", 3, 4, 2), result("D", 4, 3, 3)]
    assert weight_sensitivity(results, FW, seed=7) == weight_sensitivity(results, FW, seed=7)


def test_only_organisations_with_an_index_and_their_latest_year():
    results = [
        result("A", 5, 5, 5, year=2020),
        result("A", 1, 1, 1, year=2025),  # A's latest: lowest
        result("B", 3, 3, 3),
        result("C", 3, None, None),  # no index: left out
    ]
    found = {r.organisation_id: r for r in weight_sensitivity(results, FW, draws=50)}
    assert set(found) == {"A", "B"}
    assert found["A"].nominal_rank == 2 and found["B"].nominal_rank == 1


def test_not_applicable_dimensions_are_left_out_of_the_perturbed_index():
    # A's index is IC and IL only (II is N/A): 100 vs B's 80 with any weights
    results = [result("A", 5, 5, NA), result("B", 4, 4, 4)]
    found = {r.organisation_id: r for r in weight_sensitivity(results, FW, draws=100)}
    assert found["A"].rank_p95 == 1.0 and found["B"].rank_p05 == 2.0


def test_no_organisations_no_intervals():
    assert weight_sensitivity([], FW) == []


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=8))
def test_rank_intervals_are_ordered_and_within_the_field(levels):
    results = [result(f"O{n}", *lv) for n, lv in enumerate(levels)]
    for interval in weight_sensitivity(results, FW, draws=100):
        assert 1 <= interval.rank_p05 <= interval.median_rank <= interval.rank_p95 <= len(levels)
        assert 1 <= interval.nominal_rank <= len(levels)


def test_two_thousand_organisations_run_in_well_under_a_few_seconds():
    template = result("X", 3, 3, 3)
    rng = np.random.default_rng(1)
    results = []
    for n, scores in enumerate(rng.integers(0, 6, size=(2000, 3)) * 20.0):
        dimensions = {
            code: replace(dim, score=float(s))
            for (code, dim), s in zip(template.dimensions.items(), scores, strict=True)
        }
        index = replace(template.index, score=float(scores.mean()))
        results.append(replace(template, organisation_id=f"O{n}", dimensions=dimensions, index=index))
    start = time.perf_counter()
    found = weight_sensitivity(results, FW)
    elapsed = time.perf_counter() - start
    assert len(found) == 2000
    assert elapsed < 5.0, f"weight_sensitivity took {elapsed:.2f} s for 2,000 organisations"
    assert sum(r.nominal_rank for r in found) == sum(range(1, 2001))  # average ranks keep the total
    assert sum(r.median_rank for r in found) == pytest.approx(sum(range(1, 2001)), rel=0.01)


# ---------------------------------------------------------------- the array entry point
# `legacy_*` are the engine as it was before `rank_intervals` took arrays (commit 06cd878),
# kept verbatim as the oracle: the array path must give exactly the same numbers.


def legacy_descending_ranks(scores: np.ndarray) -> np.ndarray:
    draws, count = scores.shape
    order = np.argsort(-scores, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, order, axis=1)
    positions = np.broadcast_to(np.arange(count), (draws, count))
    starts_group = np.ones((draws, count), dtype=bool)
    starts_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends_group = np.ones((draws, count), dtype=bool)
    ends_group[:, :-1] = starts_group[:, 1:]
    first = np.maximum.accumulate(np.where(starts_group, positions, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends_group, positions, count)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty((draws, count))
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    return ranks


def legacy_weight_sensitivity(results, framework, draws=1000, seed=2053) -> list[RankInterval]:
    latest = legacy_latest_per_organisation(r for r in results if r.index.score is not None)
    if not latest:
        return []
    codes = [dim.code for dim in framework.dimensions]
    scores = np.array(
        [[_legacy_dimension_score(result, code) for code in codes] for result in latest], dtype=float
    )
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    base = np.array([dim.weight for dim in framework.dimensions], dtype=float)
    rng = np.random.default_rng(seed)
    weights = base * (1 + rng.uniform(-0.25, 0.25, size=(draws, len(codes))))
    weights /= weights.sum(axis=1, keepdims=True)
    index = (weights @ filled.T) / (weights @ present.T)
    ranks = legacy_descending_ranks(index)
    median = np.median(ranks, axis=0)
    low, high = np.percentile(ranks, [5, 95], axis=0)
    nominal = np.array([r.index.score for r in latest], dtype=float)
    # METHOD.md §10: ties share the average rank (pandas' "average" method, an independent reference)
    nominal_ranks = pd.Series(nominal).rank(method="average", ascending=False).to_numpy()
    return [
        RankInterval(
            organisation_id=result.organisation_id,
            median_rank=float(median[i]),
            rank_p05=float(low[i]),
            rank_p95=float(high[i]),
            nominal_rank=float(nominal_ranks[i]),
        )
        for i, result in enumerate(latest)
    ]


def legacy_latest_per_organisation(results):
    latest = {}
    for result in results:
        known = latest.get(result.organisation_id)
        if known is None or result.year > known.year:
            latest[result.organisation_id] = result
    return [latest[key] for key in sorted(latest)]


def _legacy_dimension_score(result, code):
    dimension = result.dimensions.get(code)
    return np.nan if dimension is None or dimension.score is None else dimension.score


FW6 = make_framework(
    {"IC": [1, 2], "IL": [1], "II": [3, 1, 1], "TM": [1], "SM": [2, 1], "SD": [1]},
    {"IC": 0.25, "IL": 0.1, "II": 0.2, "TM": 0.15, "SM": 0.2, "SD": 0.1},
)
LEVEL = st.one_of(st.none(), st.just(NA), st.integers(0, 5))
ORGANISATION = st.tuples(
    st.sampled_from([f"O{n:02d}" for n in range(12)]),
    st.sampled_from([2019, 2023, 2026]),
    st.lists(LEVEL, min_size=len(FW6.indicators), max_size=len(FW6.indicators)),
)


def scored(organisation, year, levels, framework=FW6):
    answers = dict(zip((ind.code for ind in framework.indicators), levels, strict=True))
    return score_assessment(
        [submission(framework, answers, organisation_id=organisation, year=year)], framework, ROADMAP
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.5, 3.0, np.nan]), min_size=1, max_size=9), min_size=1))
def test_descending_ranks_are_those_of_the_stable_sort_formulation(rows):
    width = min(len(row) for row in rows)
    table = np.array([row[:width] for row in rows])
    assert np.array_equal(descending_ranks(table), legacy_descending_ranks(table))


def test_descending_ranks_of_an_empty_table():
    assert descending_ranks(np.empty((3, 0))).shape == (3, 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(ORGANISATION, max_size=14), st.sampled_from([1, 2, 50, 101]), st.integers(0, 10_000))
def test_rank_intervals_of_arrays_equal_the_result_based_engine_exactly(organisations, draws, seed):
    results = [scored(*organisation) for organisation in organisations]
    expected = legacy_weight_sensitivity(results, FW6, draws, seed)
    scored_only = (r for r in results if r.index.score is not None)
    arrays = RoundScores.from_results(scored_only, FW6)
    assert rank_intervals(arrays, FW6, draws, seed) == expected
    assert weight_sensitivity(results, FW6, draws, seed) == expected


def test_two_thousand_organisations_with_ties_rank_exactly_as_before():
    rng = np.random.default_rng(5)
    count = 2000
    dimensions = rng.integers(0, 6, size=(count, 6)) * 20.0
    dimensions[rng.random((count, 6)) < 0.05] = np.nan  # some insufficient data or N/A
    index = np.nanmean(dimensions, axis=1)
    arrays = RoundScores(
        organisation_ids=tuple(f"O{n:04d}" for n in range(count)),
        dimension_codes=tuple(dim.code for dim in FW6.dimensions),
        indicator_codes=tuple(ind.code for ind in FW6.indicators),
        index=index,
        dimensions=dimensions,
        levels=np.full((count, len(FW6.indicators)), np.nan),
    )
    template = scored("X", 2026, [3] * len(FW6.indicators))
    results = [
        replace(
            template,
            organisation_id=organisation,
            index=replace(template.index, score=float(index[n])),
            dimensions={
                code: replace(dim, score=None if np.isnan(value) else float(value))
                for (code, dim), value in zip(template.dimensions.items(), dimensions[n], strict=True)
            },
        )
        for n, organisation in enumerate(arrays.organisation_ids)
    ]
    assert rank_intervals(arrays, FW6) == legacy_weight_sensitivity(results, FW6)


def test_rank_intervals_refuse_scores_laid_out_for_another_framework():
    arrays = RoundScores.from_results([result("A", 1, 2, 3)], FW)
    with pytest.raises(ValueError, match="not laid out for framework"):
        rank_intervals(arrays, FW6)


def test_round_scores_refuse_misshapen_or_unsorted_arrays():
    codes = ("IC", "IL", "II")
    indicators = ("IC.1", "IL.1", "II.1")
    with pytest.raises(ValueError, match="dimensions has shape"):
        RoundScores(("A",), codes, indicators, np.array([1.0]), np.zeros((1, 2)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="ascending"):
        RoundScores(("B", "A"), codes, indicators, np.zeros(2), np.zeros((2, 3)), np.zeros((2, 3)))


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.lists(st.sampled_from([0.0, 12.5, 50.0, 50.0, 87.5, 100.0]), min_size=4, max_size=4),
        min_size=1,
        max_size=9,
    ),
    cells=st.integers(1, 40),
)
def test_ranking_in_blocks_of_rows_gives_the_ranks_of_the_whole_table(values, cells):
    """At 20,000 organisations the draws are ranked a block at a time, to stay within memory."""
    table = np.array(values)
    assert np.array_equal(_ranks_in_blocks(table, cells), descending_ranks(table))
