"""Step 10: rank intervals of the index under random dimension weights."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.scoring import score_assessment, weight_sensitivity
from capacity.scoring.sensitivity import descending_ranks
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
    # equal index (60) nominally; the weights decide who is first
    results = [result("A", 5, 2, 2), result("B", 2, 5, 2)]
    found = {r.organisation_id: r for r in weight_sensitivity(results, FW)}
    for org in ("A", "B"):
        assert found[org].nominal_rank == 1
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
    assert min(r.nominal_rank for r in found) == 1
    assert sum(r.median_rank for r in found) == pytest.approx(sum(range(1, 2001)), rel=0.01)
