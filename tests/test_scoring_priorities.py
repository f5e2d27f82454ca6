"""The priority action plan's order: indicators behind the roadmap, largest weight × gap first."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.scoring import indicator_priorities, score_assessment
from tests.scoring_cases import NA, make_framework, make_roadmap, submission

ROADMAP = make_roadmap(20, 60, 90)  # 2023 expects 60 of every dimension: level 3


def test_worked_example_weight_times_gap_orders_the_plan() -> None:
    framework = make_framework({"IC": [1, 3, 2], "IL": [1, 1]})
    answers = {"IC.1": 1, "IC.2": 2, "IC.3": 2, "IL.1": 3, "IL.2": 0}
    result = score_assessment([submission(framework, answers, year=2023)], framework, ROADMAP)
    plan = indicator_priorities(result, framework, ROADMAP)
    # gaps against 60: IC.1 40, IC.2 20, IC.3 20, IL.1 0 (on track, left out), IL.2 60
    # weighted: IC.1 1×40 = 40, IC.2 3×20 = 60, IC.3 2×20 = 40, IL.2 1×60 = 60
    assert [(p.code, p.gap, p.weighted_gap) for p in plan] == [
        ("IC.2", 20.0, 60.0),  # ties keep the framework's order: IC.2 before IL.2
        ("IL.2", 60.0, 60.0),
        ("IC.1", 40.0, 40.0),
        ("IC.3", 20.0, 40.0),
    ]
    assert [p.next_level for p in plan] == [3, 1, 2, 3]


def test_the_next_level_of_a_half_level_is_the_one_above_its_floor() -> None:
    framework = make_framework({"IC": [1]})
    subs = [submission(framework, {"IC.1": 2}, year=2023), submission(framework, {"IC.1": 3}, year=2023)]
    [priority] = indicator_priorities(score_assessment(subs, framework, ROADMAP), framework, ROADMAP)
    assert (priority.level, priority.next_level, priority.gap) == (2.5, 3, pytest.approx(10.0))


def test_not_applicable_and_blank_indicators_are_never_priorities() -> None:
    framework = make_framework({"IC": [1, 1, 1, 1, 1]})
    answers = {"IC.1": NA, "IC.2": None, "IC.3": 0, "IC.4": 1, "IC.5": 1}
    result = score_assessment([submission(framework, answers, year=2023)], framework, ROADMAP)
    assert [p.code for p in indicator_priorities(result, framework, ROADMAP)] == ["IC.3", "IC.4", "IC.5"]


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=1, max_size=6),
    levels=st.lists(st.integers(0, 5), min_size=6, max_size=6),
    year=st.integers(2015, 2060),
)
def test_the_plan_is_every_indicator_behind_in_non_increasing_weighted_gap(weights, levels, year) -> None:
    framework = make_framework({"IC": weights})
    answers = {f"IC.{n}": levels[n - 1] for n in range(1, len(weights) + 1)}
    result = score_assessment([submission(framework, answers, year=year)], framework, ROADMAP)
    plan = indicator_priorities(result, framework, ROADMAP)
    expected = result.dimensions["IC"].roadmap.expected
    behind = {code for code, level in answers.items() if expected - level * 20 > 1e-9}
    assert {p.code for p in plan} == behind
    assert all(p.weighted_gap >= q.weighted_gap for p, q in itertools.pairwise(plan))
    for p in plan:
        assert p.weighted_gap == pytest.approx(p.weight * (expected - p.level * 20))
        assert p.next_level == min(math.floor(p.level) + 1, 5) > p.level
