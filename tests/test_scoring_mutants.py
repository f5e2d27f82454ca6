"""Rules of docs/METHOD.md that the second mutation run found unpinned once the timing tests were left out.

Each test names the rule it pins (METHOD.md section) and fails when the edit mutmut made
to the engine is made by hand: a comparison at a threshold moved, a constant changed, a
branch of the input checks removed. Survivors that cannot change a result are explained
in METHOD.md, "How the rules are pinned by tests", instead.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.framework import Level, LocalText, current_framework
from capacity.scoring import (
    ScoringInputError,
    assessment_to_json,
    consistency_by_dimension,
    cronbach_alpha,
    indicator_priorities,
    score_assessment,
    trend,
    trend_to_json,
    trends_for,
)
from capacity.scoring.results import (
    BEHIND,
    DECREASING,
    MODERATELY_IMPROVING,
    OFF_TRACK,
    ON_TRACK,
    SLIGHTLY_BEHIND,
    STAGNATING,
    TREND_ON_TRACK,
    VISION_REACHED,
)
from capacity.scoring.roadmap_gaps import BEHIND_LIMIT, SLIGHTLY_BEHIND_LIMIT, TOLERANCE, status_for_gap
from capacity.scoring.round_scores import RoundScores
from capacity.scoring.trends import STAGNATION_SHARE, arrow_for, required_rate
from tests.scoring_cases import make_framework, make_roadmap, submission

ROADMAP = make_roadmap(20, 60, 90)  # vision: 90 in 2053
VISION = 90.0


# ---------------------------------------------------------------- trend arrows (METHOD.md §7)


def test_from_2053_on_an_organisation_at_the_vision_needs_no_pace():
    # "any shortfall needs an unbounded pace": at the vision there is no shortfall, so 0
    assert required_rate(VISION, VISION, 2053, 2053) == 0.0
    held = trend("ORG", "index", [(2053, 90.0), (2055, 95.0)], ROADMAP)
    assert (held.required_rate, held.arrow) == (0.0, VISION_REACHED)
    assert trend_to_json(held)["required_rate"] == 0.0  # not null, as an unbounded pace would be


# The tolerance (METHOD.md, "Computers store decimals…") absorbs noise up to and including
# 10⁻⁹: a figure exactly that far on the wrong side of a threshold still counts as on it.
@pytest.mark.parametrize(
    ("end_score", "actual", "required", "arrow"),
    [
        (VISION - TOLERANCE, 0.0, 1.0, VISION_REACHED),  # at the vision, noise included
        (VISION - 2 * TOLERANCE, 5.0, 1.0, TREND_ON_TRACK),  # below it: judged by pace
        (50.0, -TOLERANCE, 1.0, STAGNATING),  # a pace of 0 (noise) is not a decrease …
        (50.0, -2 * TOLERANCE, 1.0, DECREASING),  # … a pace below 0 is
        (50.0, STAGNATION_SHARE * 2.0 - TOLERANCE, 2.0, MODERATELY_IMPROVING),  # exactly half
        (50.0, STAGNATION_SHARE * 2.0 - 2 * TOLERANCE, 2.0, STAGNATING),  # below half
        (50.0, 2.0 - TOLERANCE, 2.0, TREND_ON_TRACK),  # exactly the required pace
        (50.0, 2.0 - 2 * TOLERANCE, 2.0, MODERATELY_IMPROVING),  # below it
    ],
)
def test_arrow_thresholds_include_the_tolerance(end_score, actual, required, arrow):
    assert arrow_for(end_score, VISION, actual, required) == arrow


# ---------------------------------------------------------------- status (METHOD.md §6)


@pytest.mark.parametrize(
    ("gap", "status"),
    [
        (TOLERANCE, ON_TRACK),  # a gap of 0, noise included
        (2 * TOLERANCE, SLIGHTLY_BEHIND),
        (SLIGHTLY_BEHIND_LIMIT + TOLERANCE, SLIGHTLY_BEHIND),  # a gap of 10 is at most 10
        (SLIGHTLY_BEHIND_LIMIT + 2 * TOLERANCE, BEHIND),
        (BEHIND_LIMIT + TOLERANCE, BEHIND),  # a gap of 20 is at most 20
        (BEHIND_LIMIT + 2 * TOLERANCE, OFF_TRACK),
    ],
)
def test_status_limits_include_the_tolerance(gap, status):
    assert (SLIGHTLY_BEHIND_LIMIT, BEHIND_LIMIT) == (10.0, 20.0)
    assert status_for_gap(gap) == status


# ---------------------------------------------------------------- the organisation's name


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Alpha", "Kizilay", "Zeta Relief", "  ", ""]), min_size=1, max_size=7))
def test_the_organisation_name_is_the_one_most_respondents_wrote(names):
    # engine._organisation_name: the most frequent name, the alphabetically first on a tie;
    # blank names do not count. "Zeta Relief" twice beats "Alpha" once.
    framework = make_framework({"IC": [1]})
    subs = [submission(framework, {}, name=name) for name in names]
    written = Counter(name.strip() for name in names if name.strip())
    expected = min(written, key=lambda name: (-written[name], name)) if written else ""
    assert score_assessment(subs, framework, ROADMAP).organisation_name == expected


def test_a_name_written_twice_beats_an_alphabetically_earlier_one_written_once():
    framework = make_framework({"IC": [1]})
    subs = [submission(framework, {}, name=name) for name in ("Zeta Relief", "Alpha", " Zeta Relief ")]
    assert score_assessment(subs, framework, ROADMAP).organisation_name == "Zeta Relief"


# ---------------------------------------------------------------- priorities (METHOD.md §11)


def test_the_next_step_of_a_half_level_above_four_is_level_five():
    # a consolidated 4.5 (90 points) behind an expectation of 100 works towards 5, "Leading"
    framework = make_framework({"IC": [1]})
    roadmap = make_roadmap(100, 100, 100)
    subs = [submission(framework, {"IC.1": 4}), submission(framework, {"IC.1": 5})]
    [priority] = indicator_priorities(score_assessment(subs, framework, roadmap), framework, roadmap)
    assert (priority.level, priority.gap, priority.next_level) == (4.5, 10.0, 5)


def test_priorities_leave_out_an_indicator_the_result_does_not_have():
    # a result scored with a framework version before IC.2 was added (METHOD.md §5: each
    # assessment keeps the version its questionnaires answered), read against the newer one
    older, newer = make_framework({"IC": [1]}), make_framework({"IC": [1, 1]})
    scored = score_assessment([submission(older, {"IC.1": 1}, year=2023)], older, ROADMAP)
    assert [p.code for p in indicator_priorities(scored, newer, ROADMAP)] == ["IC.1"]


# ---------------------------------------------------------------- JSON (the command line's output)


def renamed_levels_framework():
    """The test framework with level names no other framework uses, to see whose names the JSON reads."""
    framework = make_framework({"IC": [1]})
    levels = tuple(
        Level(level=n, name=LocalText(en=f"L{n}", tr="-", ar="-")) for n in range(len(framework.levels))
    )
    return replace(framework, levels=levels)


def test_json_level_names_come_from_the_framework_it_is_given():
    framework = renamed_levels_framework()
    result = score_assessment([submission(framework, {"IC.1": 3})], framework, ROADMAP)
    data = assessment_to_json(result, framework)
    assert (data["index"]["label"], data["dimensions"][0]["label"]) == ("L3", "L3")


def test_json_without_a_framework_uses_the_current_one():
    framework = current_framework()
    levels = {indicator.code: 3 for indicator in framework.indicators}
    result = score_assessment([submission(framework, levels)], framework)
    established = framework.level_name(3, "en")
    assert assessment_to_json(result)["index"]["label"] == established
    assert assessment_to_json(result) == assessment_to_json(result, framework)


# ---------------------------------------------------------------- round arrays (METHOD.md §9, §10)


def test_a_result_without_a_dimension_of_the_framework_has_no_score_there():
    # an assessment scored with an older framework version that lacked the IL dimension
    older, newer = make_framework({"IC": [1]}), make_framework({"IC": [1], "IL": [1]})
    scored = score_assessment([submission(older, {"IC.1": 2})], older, ROADMAP)
    scores = RoundScores.from_results([scored], newer)
    assert scores.dimensions[0, 0] == 40.0 and math.isnan(scores.dimensions[0, 1])
    assert math.isnan(scores.levels[0, 1])


def test_round_arrays_are_read_only_c_ordered_floats_whatever_they_are_given():
    # "one memory layout whatever the source", so the statistics do the same floating-point
    # operations on numbers from the store and from memory (round_scores.RoundScores)
    levels = np.asfortranarray(np.array([[1, 2], [3, 4]]))  # whole numbers, column-major
    scores = RoundScores(("A", "B"), ("IC",), ("IC.1", "IC.2"), [60, 40], np.array([[60], [40]]), levels)
    for table in (scores.index, scores.dimensions, scores.levels):
        assert table.dtype == np.float64
        assert table.flags.c_contiguous and not table.flags.writeable
    assert scores.levels.tolist() == [[1.0, 2.0], [3.0, 4.0]]


# ---------------------------------------------------------------- Cronbach's alpha (METHOD.md §9)


@settings(max_examples=60)
@given(
    st.lists(
        st.lists(st.one_of(st.integers(0, 5), st.none()), min_size=2, max_size=2), min_size=3, max_size=12
    )
)
def test_cronbach_reads_none_as_missing_like_nan(rows):
    as_nan = [[math.nan if value is None else float(value) for value in row] for row in rows]
    assert cronbach_alpha(rows) == cronbach_alpha(as_nan)


# ---------------------------------------------------------------- refusals and weights (METHOD.md §1, §3)


def test_the_refusals_to_score_files_together_are_translated():
    # every text a person reads goes through the catalogs: the message is looked up by its
    # English wording, so a changed wording would fall back to English in Turkish and Arabic
    framework = make_framework({"IC": [1]})
    mixed = [submission(framework, {}), submission(framework, {}, organisation_id="ORG-2")]
    other_version = [submission(replace(framework, version="10.0"), {})]
    for subs in (mixed, other_version):
        with pytest.raises(ScoringInputError) as refused:
            score_assessment(subs, framework, ROADMAP)
        english = refused.value.message.render("en")
        assert str(refused.value) == english
        for lang in ("tr", "ar"):
            assert refused.value.message.render(lang) not in ("", english)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 5), st.floats(0.01, 5))
def test_any_positive_dimension_weights_are_accepted_below_one_too(ic_weight, il_weight):
    # the index is the weighted mean of the dimensions with the weights given (METHOD.md §3)
    framework = make_framework({"IC": [1], "IL": [1]})
    subs = [submission(framework, {"IC.1": 5, "IL.1": 1})]
    weights = {"IC": ic_weight, "IL": il_weight}
    found = score_assessment(subs, framework, ROADMAP, dimension_weights=weights).index.score
    assert found == pytest.approx((ic_weight * 100 + il_weight * 20) / (ic_weight + il_weight))
    with pytest.raises(ValueError, match="positive"):
        score_assessment(subs, framework, ROADMAP, dimension_weights={"IC": 0.0})


def test_three_complete_organisations_carry_no_too_few_note():
    # METHOD.md §9: three complete cases are enough, so no "fewer than three" note beside the alpha
    framework = make_framework({"IC": [1, 1]})
    results = [
        score_assessment([submission(framework, {"IC.1": a, "IC.2": b}, organisation_id=f"O{n}")], framework)
        for n, (a, b) in enumerate([(1, 2), (2, 2), (3, 4)])
    ]
    [ic] = consistency_by_dimension(results, framework)
    assert (ic.complete_cases, ic.notes) == (3, ())
    assert ic.alpha is not None


def test_the_refusal_of_another_framework_version_names_both_versions():
    # METHOD.md §5: refused "with a message naming both versions"
    framework = make_framework({"IC": [1]})
    with pytest.raises(ScoringInputError) as refused:
        score_assessment([submission(replace(framework, version="10.0"), {})], framework, ROADMAP)
    assert str(refused.value) == (
        "A questionnaire answers framework test-framework 10.0, "
        "but scoring uses framework test-framework 9.9."
    )


def test_trends_leave_out_a_dimension_a_later_framework_version_dropped():
    # METHOD.md §5 and §7: each year is scored with its own framework version; a dimension
    # scored in only one year has no trend, and the others still have theirs
    older, newer = make_framework({"IC": [1], "IL": [1]}), make_framework({"IC": [1]})
    results = [
        score_assessment([submission(older, {"IC.1": 1, "IL.1": 1}, year=2019)], older, ROADMAP),
        score_assessment([submission(newer, {"IC.1": 2}, year=2023)], newer, ROADMAP),
    ]
    assert [found.target for found in trends_for(results, ROADMAP)] == ["index", "IC"]
