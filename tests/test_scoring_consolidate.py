"""Step 1: consolidating respondents into one level of record per indicator."""

from __future__ import annotations

import pytest

from capacity.questionnaire.submission import Answer
from capacity.scoring.consolidate import consolidate_indicator, median
from tests.scoring_cases import NA, evaluator, make_framework, submission

FW = make_framework({"IC": [1]})
CODE = "IC.1"


def consolidated(*respondents):
    """respondents: ("self" | "eval", value) pairs for indicator IC.1."""
    subs = [(evaluator if role == "eval" else submission)(FW, {CODE: value}) for role, value in respondents]
    return consolidate_indicator(CODE, subs)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3], 3.0), ([1, 4, 2], 2.0), ([2, 3], 2.5), ([1, 2, 4, 5], 3.0), ([0, 5], 2.5), ([4, 4, 1, 4], 4.0)],
)
def test_median_takes_the_mean_of_the_two_middle_values_for_an_even_count(values, expected):
    assert median(values) == expected


def test_single_self_respondent_is_the_score_of_record():
    result = consolidated(("self", 3))
    assert (result.level, result.score, result.respondents) == (3.0, 60.0, 1)
    assert (result.self_level, result.evaluator_level, result.spread) == (3.0, None, 0.0)
    assert not result.not_applicable and not result.spread_flag and not result.self_evaluator_flag


def test_even_number_of_self_respondents_gives_a_half_level():
    result = consolidated(("self", 2), ("self", 3))
    assert result.level == 2.5
    assert result.score == 50.0


def test_evaluator_level_outranks_the_self_assessment():
    result = consolidated(("self", 1), ("self", 1), ("self", 2), ("eval", 4))
    assert result.level == 4.0
    assert result.self_level == 1.0
    assert result.evaluator_level == 4.0
    assert result.self_evaluator_flag
    assert result.respondents == 4


def test_several_evaluators_give_their_median():
    result = consolidated(("self", 0), ("eval", 3), ("eval", 4))
    assert result.level == 3.5


def test_evaluator_not_applicable_makes_the_indicator_not_applicable():
    result = consolidated(("self", 3), ("self", 4), ("eval", NA))
    assert result.not_applicable
    assert result.level is None and result.score is None
    assert result.self_level == 3.5


def test_evaluator_level_wins_over_another_evaluators_not_applicable():
    result = consolidated(("eval", NA), ("eval", 2))
    assert (result.level, result.not_applicable) == (2.0, False)


def test_blank_evaluator_falls_back_to_the_self_assessment():
    result = consolidated(("self", 2), ("self", 5), ("self", 4), ("eval", None))
    assert result.level == 4.0
    assert result.evaluator_level is None
    assert result.respondents == 3


def test_self_not_applicable_is_ignored_when_someone_gave_a_level():
    result = consolidated(("self", NA), ("self", 3), ("self", NA))
    assert (result.level, result.not_applicable, result.respondents) == (3.0, False, 3)


def test_all_not_applicable_is_not_applicable():
    result = consolidated(("self", NA), ("self", NA))
    assert result.not_applicable and result.level is None
    assert result.spread is None and result.self_level is None


def test_not_applicable_and_blank_answers_are_not_applicable():
    assert consolidated(("self", NA), ("self", None)).not_applicable


def test_all_blank_is_missing_but_not_not_applicable():
    result = consolidated(("self", None), ("self", None))
    assert result.level is None and not result.not_applicable and result.respondents == 0


def test_indicator_absent_from_the_answers_counts_as_blank():
    sub = submission(FW, {})
    sub.answers.pop(CODE)
    result = consolidate_indicator(CODE, [sub])
    assert (result.level, result.not_applicable, result.respondents) == (None, False, 0)


@pytest.mark.parametrize(
    ("levels", "spread", "flag"), [([1, 3], 2.0, True), ([1, 2], 1.0, False), ([0, 5, 2], 5.0, True)]
)
def test_spread_is_max_minus_min_of_self_levels_and_flags_at_two(levels, spread, flag):
    result = consolidated(*[("self", v) for v in levels], ("eval", 0))
    assert result.spread == spread
    assert result.spread_flag is flag


@pytest.mark.parametrize(
    ("self_levels", "evaluator_level", "flag"),
    [([2], 3, True), ([2, 3], 3, False), ([4], 3, True), ([3], 3, False), ([1, 2], 3, True)],
)
def test_self_evaluator_flag_at_a_difference_of_one_level(self_levels, evaluator_level, flag):
    result = consolidated(*[("self", v) for v in self_levels], ("eval", evaluator_level))
    assert result.self_evaluator_flag is flag


def test_evidence_is_kept_in_respondent_order_without_empty_notes():
    subs = [submission(FW, {CODE: 2}), submission(FW, {CODE: 3}), submission(FW, {CODE: 3})]
    subs[0].answers[CODE] = Answer(CODE, level=2, evidence=" Minutes 2024 ", evidence_link="https://a")
    subs[2].answers[CODE] = Answer(CODE, level=3, evidence="Strategy", evidence_link="")
    result = consolidate_indicator(CODE, subs)
    assert result.evidence == ("Minutes 2024", "Strategy")
    assert result.evidence_links == ("https://a",)
