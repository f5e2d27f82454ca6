"""Steps 2–4: dimension scores and coverage, the index, labels and floor levels."""

from __future__ import annotations

import pytest

from capacity.scoring import label_for_score, score_assessment
from capacity.scoring.aggregate import weighted_mean
from tests.scoring_cases import NA, make_framework, make_roadmap, submission

ROADMAP = make_roadmap()


def score(framework, levels, **kwargs):
    return score_assessment([submission(framework, levels)], framework, ROADMAP, **kwargs)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.0, 0),
        (19.99, 0),
        (20.0, 1),
        (59.99, 2),
        (60.0, 3),
        (79.9999, 3),
        (80.0, 4),
        (99.99, 4),
        (100.0, 5),
        (None, None),
    ],
)
def test_label_is_the_level_of_floor_score_over_20(value, label):
    assert label_for_score(value) == label


def test_label_ignores_rounding_noise_just_below_a_band():
    assert label_for_score(59.99999999999999) == 3
    assert label_for_score(weighted_mean([(0.1, 60.0), (0.2, 60.0), (0.7, 60.0)])) == 3


def test_dimension_score_is_the_weighted_mean_of_indicator_scores():
    fw = make_framework({"IC": [2, 1, 1]})
    dim = score(fw, {"IC.1": 5, "IC.2": 3, "IC.3": 1}).dimensions["IC"]
    # (2·100 + 1·60 + 1·20) / 4 = 70
    assert dim.score == pytest.approx(70.0)
    assert dim.label == 3
    assert dim.coverage == 1.0
    assert dim.floor_level == 1.0


def test_weights_are_renormalised_over_the_answered_indicators():
    fw = make_framework({"IC": [2, 1, 1, 1, 1]})
    dim = score(fw, {"IC.1": 5, "IC.2": 1, "IC.3": 1, "IC.4": NA, "IC.5": None}).dimensions["IC"]
    # answered: IC.1 (w 2, 100), IC.2 and IC.3 (w 1, 20) → 240 / 4 = 60; coverage 3 / 4
    assert dim.score == pytest.approx(60.0)
    assert dim.coverage == 0.75


def test_coverage_of_exactly_0_6_is_enough():
    fw = make_framework({"IC": [1, 1, 1, 1, 1]})
    dim = score(fw, {"IC.1": 4, "IC.2": 2, "IC.3": 3}).dimensions["IC"]
    assert dim.coverage == 0.6
    assert dim.score == pytest.approx(60.0)
    assert not dim.insufficient_data


def test_coverage_of_0_6_after_leaving_out_not_applicable():
    fw = make_framework({"IC": [1, 1, 1, 1, 1, 1]})
    dim = score(fw, {"IC.1": 4, "IC.2": 2, "IC.3": 3, "IC.4": NA}).dimensions["IC"]
    assert dim.coverage == 0.6
    assert dim.score == pytest.approx(60.0)


@pytest.mark.parametrize(("answered", "of"), [(2, 4), (5, 9), (0, 5)])
def test_coverage_below_0_6_is_insufficient_data(answered, of):
    fw = make_framework({"IC": [1] * of})
    dim = score(fw, {f"IC.{n}": 3 for n in range(1, answered + 1)}).dimensions["IC"]
    assert dim.coverage == pytest.approx(answered / of)
    assert dim.score is None and dim.label is None
    assert dim.insufficient_data and not dim.not_applicable
    assert dim.roadmap.gap is None and dim.roadmap.status is None


def test_dimension_with_every_indicator_not_applicable_is_not_applicable():
    fw = make_framework({"IC": [1, 1, 1], "IL": [1, 1]})
    result = score(fw, {"IC.1": NA, "IC.2": NA, "IC.3": NA, "IL.1": 2, "IL.2": 4})
    dim = result.dimensions["IC"]
    assert dim.not_applicable and not dim.insufficient_data
    assert dim.score is None and dim.coverage is None and dim.floor_level is None
    # the index is the remaining dimension alone
    assert result.index.score == pytest.approx(60.0)


def test_floor_level_is_the_lowest_answered_level_and_may_be_a_half():
    fw = make_framework({"IC": [1, 1, 1]})
    subs = [
        submission(fw, {"IC.1": 4, "IC.2": 1, "IC.3": 5}),
        submission(fw, {"IC.1": 4, "IC.2": 2, "IC.3": NA}),
    ]
    dim = score_assessment(subs, fw, ROADMAP).dimensions["IC"]
    assert dim.floor_level == 1.5
    assert dim.score == pytest.approx((80 + 30 + 100) / 3)


def test_index_is_the_equally_weighted_mean_of_dimension_scores_by_default():
    fw = make_framework({"IC": [1, 1], "IL": [1, 1], "II": [1, 1]})
    result = score(fw, {"IC.1": 5, "IC.2": 5, "IL.1": 2, "IL.2": 3, "II.1": 0, "II.2": 1})
    assert [d.score for d in result.dimensions.values()] == pytest.approx([100, 50, 10])
    assert result.index.score == pytest.approx(160 / 3)
    assert result.index.label == 2


def test_index_uses_framework_dimension_weights():
    fw = make_framework({"IC": [1], "IL": [1]}, dimension_weights={"IC": 3, "IL": 1})
    result = score(fw, {"IC.1": 5, "IL.1": 1})
    assert result.index.score == pytest.approx((3 * 100 + 20) / 4)


def test_index_uses_given_dimension_weights_over_the_frameworks():
    fw = make_framework({"IC": [1], "IL": [1]})
    result = score(fw, {"IC.1": 5, "IL.1": 1}, dimension_weights={"IL": 3})
    assert result.index.score == pytest.approx((100 + 3 * 20) / 4)


@pytest.mark.parametrize("weights", [{"XX": 1.0}, {"IC": 0.0}, {"IC": -1.0}])
def test_bad_dimension_weights_are_refused(weights):
    fw = make_framework({"IC": [1], "IL": [1]})
    with pytest.raises(ValueError, match="dimension"):
        score(fw, {"IC.1": 5, "IL.1": 1}, dimension_weights=weights)


def test_no_index_while_an_applicable_dimension_has_insufficient_data():
    fw = make_framework({"IC": [1, 1], "IL": [1, 1, 1]})
    result = score(fw, {"IC.1": 5, "IC.2": 5, "IL.1": 3})
    assert result.dimensions["IL"].insufficient_data
    assert result.index.score is None and result.index.label is None
    assert result.index.roadmap.status is None


def test_no_index_when_every_dimension_is_not_applicable():
    fw = make_framework({"IC": [1], "IL": [1]})
    result = score(fw, {"IC.1": NA, "IL.1": NA})
    assert all(d.not_applicable for d in result.dimensions.values())
    assert result.index.score is None


def test_all_blank_gives_insufficient_data_everywhere():
    fw = make_framework({"IC": [1, 1], "IL": [1, 1]})
    result = score(fw, {})
    assert all(d.insufficient_data and d.coverage == 0 for d in result.dimensions.values())
    assert result.index.score is None
