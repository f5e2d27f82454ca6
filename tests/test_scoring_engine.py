"""score_assessment end to end: a hand-computed assessment, its JSON, properties and speed."""

from __future__ import annotations

import json
import random
import time
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.roadmap import current_roadmap
from capacity.scoring import ScoringInputError, assessment_to_json, score_assessment
from capacity.scoring.results import OFF_TRACK, ON_TRACK, SLIGHTLY_BEHIND
from tests.scoring_cases import NA, evaluator, make_framework, make_roadmap, submission

FW = make_framework({"IC": [1.5, 1, 1], "IL": [1, 1]})
ROADMAP = make_roadmap(20, 60, 90)


def worked_example():
    return [
        submission(FW, {"IC.1": 3, "IC.2": 2, "IC.3": NA, "IL.1": 4, "IL.2": 1}),
        submission(FW, {"IC.1": 4, "IC.2": 2, "IC.3": NA, "IL.1": 2, "IL.2": None}),
        evaluator(FW, {"IC.2": 3}),
    ]


def test_worked_example_by_hand():
    result = score_assessment(worked_example(), FW, ROADMAP)
    ind = result.indicators
    assert (ind["IC.1"].level, ind["IC.1"].spread) == (3.5, 1.0)  # median of 3 and 4
    assert (ind["IC.2"].level, ind["IC.2"].self_level, ind["IC.2"].self_evaluator_flag) == (3.0, 2.0, True)
    assert ind["IC.3"].not_applicable
    assert (ind["IL.1"].level, ind["IL.1"].spread_flag) == (3.0, True)
    assert ind["IL.2"].level == 1.0
    ic, il = result.dimensions["IC"], result.dimensions["IL"]
    assert ic.score == pytest.approx((1.5 * 70 + 60) / 2.5)  # 66
    assert (ic.label, ic.coverage, ic.floor_level) == (3, 1.0, 3.0)
    assert il.score == pytest.approx(40.0)
    assert (il.label, il.floor_level) == (2, 1.0)
    assert result.index.score == pytest.approx(53.0)
    assert result.index.label == 2
    # 2025: expected 60 + 30 × 2/30 = 62
    assert result.index.roadmap.expected == pytest.approx(62.0)
    assert result.index.roadmap.gap == pytest.approx(9.0)
    assert result.index.roadmap.status == SLIGHTLY_BEHIND
    assert ic.roadmap.status == ON_TRACK and il.roadmap.status == OFF_TRACK
    # self-assessors pair on IC.1 (3,4), IC.2 (2,2), IL.1 (4,2); hand-computed in METHOD.md style:
    # interval 1 − 5·10/58 = 8/58, ordinal 1 − 5·29/180 = 35/180
    assert result.agreement.alpha_interval == pytest.approx(8 / 58)
    assert result.agreement.alpha_ordinal == pytest.approx(35 / 180)
    assert result.agreement.coders == 2
    assert (result.respondents, result.year, result.organisation_id) == (3, 2025, "ORG-1")
    assert (result.framework_id, result.framework_version, result.roadmap_version) == (
        "test-framework",
        "9.9",
        "1",
    )


def test_worked_example_json():
    data = assessment_to_json(score_assessment(worked_example(), FW, ROADMAP), FW)
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["index"] == {
        "score": 53.0,
        "label": "Developing",
        "expected": 62.0,
        "gap": 9.0,
        "gap_2023": 7.0,
        "gap_2053": 37.0,
        "status": SLIGHTLY_BEHIND,
    }
    assert data["dimensions"][0] == {
        "code": "IC",
        "score": 66.0,
        "coverage": 1.0,
        "label": "Established",
        "floor_level": 3.0,
        "expected": 62.0,
        "gap": -4.0,
        "gap_2023": -6.0,
        "gap_2053": 24.0,
        "status": ON_TRACK,
    }
    assert data["indicators"][2] == {
        "code": "IC.3",
        "level": None,
        "score": None,
        "respondents": 2,
        "spread": None,
        "self_level": None,
        "evaluator_level": None,
    }
    assert data["indicators"][1]["evaluator_level"] == 3.0
    assert data["agreement"] == {"alpha_ordinal": 0.1944, "alpha_interval": 0.1379}
    assert list(data) == [
        "organisation_id",
        "organisation_name",
        "year",
        "respondents",
        "index",
        "dimensions",
        "indicators",
        "agreement",
    ]


def test_json_nulls_for_missing_scores():
    data = assessment_to_json(score_assessment([submission(FW, {"IC.1": 2})], FW, ROADMAP), FW)
    assert (
        data["index"]["score"] is None and data["index"]["label"] is None and data["index"]["status"] is None
    )
    assert data["index"]["expected"] == 62.0
    assert data["dimensions"][1]["coverage"] == 0.0
    assert data["agreement"] == {"alpha_ordinal": None, "alpha_interval": None}


def test_json_rounds_to_four_decimals():
    fw = make_framework({"IC": [1, 1, 1]})
    data = assessment_to_json(
        score_assessment([submission(fw, {"IC.1": 1, "IC.2": 1, "IC.3": 0})], fw, ROADMAP), fw
    )
    assert data["dimensions"][0]["score"] == 13.3333
    assert data["index"]["gap"] == 48.6667


def test_submissions_of_different_organisations_or_years_are_refused():
    with pytest.raises(ScoringInputError) as error:
        score_assessment([submission(FW, {}), submission(FW, {}, organisation_id="ORG-2")], FW, ROADMAP)
    assert error.value.message.params["other"] == "ORG-2"
    with pytest.raises(ValueError, match="different organisations or years"):
        score_assessment([submission(FW, {}), submission(FW, {}, year=2024)], FW, ROADMAP)


def test_submissions_of_another_framework_are_refused():
    other = replace(FW, version="10.0")
    with pytest.raises(ScoringInputError, match="framework"):
        score_assessment([submission(other, {})], FW, ROADMAP)


def test_no_submissions_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        score_assessment([], FW, ROADMAP)


def test_organisation_name_is_the_one_most_respondents_wrote():
    subs = [
        submission(FW, {}, name="Red Crescent"),
        submission(FW, {}, name="Kizilay"),
        submission(FW, {}, name="Kizilay"),
    ]
    assert score_assessment(subs, FW, ROADMAP).organisation_name == "Kizilay"
    assert score_assessment(subs[:2], FW, ROADMAP).organisation_name == "Kizilay"  # tie: alphabetical


def current_submissions(rng: random.Random, roles=(ROLE_SELF, ROLE_SELF, ROLE_SELF, ROLE_EVALUATOR)):
    framework = current_framework()
    choices = [0, 1, 2, 3, 4, 5, NA, None]
    return [
        submission(framework, {i.code: rng.choice(choices) for i in framework.indicators}, role=role)
        for role in roles
    ]


def test_defaults_are_the_current_framework_and_roadmap():
    subs = current_submissions(random.Random(3))
    assert score_assessment(subs) == score_assessment(subs, current_framework(), current_roadmap())
    result = score_assessment(subs)
    assert list(result.dimensions) == ["IC", "IL", "II", "TM", "SM", "SD"]
    assert len(result.indicators) == len(current_framework().indicators)


def test_one_assessment_of_four_respondents_scores_in_under_two_milliseconds():
    subs = current_submissions(random.Random(5))
    framework, roadmap = current_framework(), current_roadmap()
    score_assessment(subs, framework, roadmap)
    runs = 300
    start = time.perf_counter()
    for _ in range(runs):
        score_assessment(subs, framework, roadmap)
    per_call = (time.perf_counter() - start) / runs
    assert per_call < 0.002, f"{per_call * 1000:.3f} ms per assessment"


# ---------------------------------------------------------------- properties
PROPERTY_FW = make_framework({"IC": [1.5, 1, 2, 1], "IL": [1, 0.5, 1]}, dimension_weights={"IC": 2, "IL": 1})
ANSWER_VALUES = st.one_of(st.integers(0, 5), st.just(NA), st.none())


@st.composite
def assessments(draw, framework=PROPERTY_FW):
    codes = [i.code for i in framework.indicators]
    count = draw(st.integers(1, 4))
    return [
        submission(
            framework,
            {code: draw(ANSWER_VALUES) for code in codes},
            role=draw(st.sampled_from([ROLE_SELF, ROLE_SELF, ROLE_EVALUATOR])),
        )
        for _ in range(count)
    ]


@settings(max_examples=200, deadline=None)
@given(assessments())
def test_scores_stay_between_0_and_100(subs):
    result = score_assessment(subs, PROPERTY_FW, ROADMAP)
    scores = [result.index.score, *(d.score for d in result.dimensions.values())]
    scores += [i.score for i in result.indicators.values()]
    assert all(0 <= s <= 100 for s in scores if s is not None)
    assert all(d.coverage is None or 0 <= d.coverage <= 1 for d in result.dimensions.values())


@settings(max_examples=200, deadline=None)
@given(assessments(), st.data())
def test_raising_a_level_never_lowers_its_dimension_or_the_index(subs, data):
    raisable = [
        (n, code)
        for n, sub in enumerate(subs)
        for code, answer in sub.answers.items()
        if answer.level is not None and answer.level < 5
    ]
    if not raisable:
        return
    n, code = data.draw(st.sampled_from(raisable))
    raised = list(subs)
    answers = dict(subs[n].answers)
    answers[code] = replace(answers[code], level=answers[code].level + 1)
    raised[n] = replace(subs[n], answers=answers)
    before = score_assessment(subs, PROPERTY_FW, ROADMAP)
    after = score_assessment(raised, PROPERTY_FW, ROADMAP)
    dimension = code.split(".")[0]
    for old, new in (
        (before.dimensions[dimension].score, after.dimensions[dimension].score),
        (before.index.score, after.index.score),
    ):
        assert (old is None) == (new is None)
        assert old is None or new >= old


@settings(max_examples=200, deadline=None)
@given(assessments(), st.randoms(use_true_random=False))
def test_permuting_respondents_changes_nothing(subs, rng):
    shuffled = list(subs)
    rng.shuffle(shuffled)
    assert score_assessment(shuffled, PROPERTY_FW, ROADMAP) == score_assessment(subs, PROPERTY_FW, ROADMAP)


EQUAL_FW = make_framework({"IC": [1, 1, 1, 1], "IL": [1, 1, 1], "II": [1, 1]})


@settings(max_examples=200, deadline=None)
@given(assessments(EQUAL_FW))
def test_equal_weights_give_the_plain_mean(subs):
    result = score_assessment(subs, EQUAL_FW, ROADMAP)
    for dimension in result.dimensions.values():
        if dimension.score is not None:
            scores = [
                i.score
                for code, i in result.indicators.items()
                if code.startswith(dimension.code + ".") and i.score is not None
            ]
            assert dimension.score == pytest.approx(sum(scores) / len(scores))
    if result.index.score is not None:
        applicable = [d.score for d in result.dimensions.values() if not d.not_applicable]
        assert result.index.score == pytest.approx(sum(applicable) / len(applicable))
