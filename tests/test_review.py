"""Evaluator review: a verified level becomes the score of record by the engine's rule, logged, with history.

Each case reviews a different organisation of the small portfolio, whose self-assessments
answer every indicator of a dimension at one level, and compares the stored result with
what the engine returns for the same questionnaires plus the review (the store counts the
active reviews as one evaluator respondent).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer, Submission
from capacity.review import NOT_APPLICABLE, review_history, review_sheet, starting_choice
from capacity.scoring import score_assessment
from capacity.store import StoreError, open_store, queries
from capacity.store.audit import REVIEW_RECORDED
from capacity.store.corrections import record_review
from tests.dashboard_data import fill_small_portfolio, fill_with_evaluator, uniform_submission

EVA = Actor("eva", EVALUATOR, display_name="Eva Evaluator")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('review') / 'capacity.db'}")
    fill_small_portfolio(opened)
    yield opened
    opened.close()


def as_evaluator(organisation_id: str, year: int, answers: dict[str, Answer]) -> Submission:
    """The reviews as the engine sees them: one evaluator respondent answering the reviewed indicators."""
    framework = current_framework()
    return Submission(
        framework_id=framework.id,
        framework_version=framework.version,
        organisation_id=organisation_id,
        organisation_name="",
        year=year,
        respondent_role=ROLE_EVALUATOR,
        answers=answers,
    )


def stored_result(store, organisation_id: str, year: int):
    return next(r for r in queries.assessment_results(store, CLI_ADMIN, organisation_id) if r.year == year)


def test_a_review_becomes_the_score_of_record(store) -> None:
    before = stored_result(store, "NS-01", 2026)
    assert before.indicators["IC.1"].level == 4
    record_review(store, "NS-01", 2026, "IC.1", 1, "The HD strategy was never approved by the board.", EVA)

    after = stored_result(store, "NS-01", 2026)
    engine = score_assessment(
        [
            uniform_submission("NS-01", 2026),
            as_evaluator("NS-01", 2026, {"IC.1": Answer("IC.1", level=1)}),
        ]
    )
    indicator = after.indicators["IC.1"]
    assert indicator.level == 1 and indicator.self_level == 4 and indicator.evaluator_level == 1
    assert indicator.self_evaluator_flag
    assert after.dimensions["IC"].score == engine.dimensions["IC"].score < before.dimensions["IC"].score
    assert after.index.score == engine.index.score
    assert after.index.roadmap.status == engine.index.roadmap.status
    table = queries.indicator_results(store, CLI_ADMIN, "NS-01", 2026).set_index("code")
    assert table.loc["IC.1", "level"] == 1 and table.loc["IC.1", "self_level"] == 4


def test_with_an_evaluator_questionnaire_the_review_joins_the_evaluators_median(store) -> None:
    fill_with_evaluator(store, "NS-02", 2026, (2, 2, 2, 2, 2, 2))
    record_review(store, "NS-02", 2026, "IC.1", 5, "Strategy and annual plan seen, approved in 2025.", EVA)
    found = stored_result(store, "NS-02", 2026).indicators["IC.1"]
    engine = score_assessment(
        [
            uniform_submission("NS-02", 2026),
            uniform_submission("NS-02", 2026, ROLE_EVALUATOR, "Evaluator", (2, 2, 2, 2, 2, 2)),
            as_evaluator("NS-02", 2026, {"IC.1": Answer("IC.1", level=5)}),
        ]
    ).indicators["IC.1"]
    assert found.level == engine.level == 3.5  # the median of the two evaluators, 2 and 5
    assert found.evaluator_level == engine.evaluator_level


def test_every_review_is_logged_with_who_and_when(store) -> None:
    start = dt.datetime.now(dt.UTC)
    review_id = record_review(store, "NS-03", 2026, "TM.2", 4, "Spokesperson policy in force.", EVA)
    end = dt.datetime.now(dt.UTC)
    log = queries.audit_log(store, CLI_ADMIN, "NS-03", actions=[REVIEW_RECORDED])
    entry = log.iloc[0]
    assert entry["actor"] == "eva" and start <= entry["at"] <= end
    assert entry["detail"]["code"] == "TM.2" and entry["detail"]["level"] == 4
    assert entry["detail"]["review_id"] == review_id
    history = review_history(store, CLI_ADMIN, "NS-03", 2026)
    assert history.iloc[0]["reviewer"] == "eva" and start <= history.iloc[0]["created_at"] <= end


def test_the_earlier_score_stays_in_the_history(store) -> None:
    record_review(store, "NS-04", 2026, "SM.1", 4, "First look: plan in place.", EVA)
    ali = Actor("ali", EVALUATOR)
    record_review(store, "NS-04", 2026, "SM.1", 1, "Second look: the plan is a draft.", ali)
    history = review_history(store, CLI_ADMIN, "NS-04")
    assert list(history["level"]) == [1, 4]  # newest first
    assert list(history["active"]) == [True, False]
    assert list(history["reviewer"]) == ["ali", "eva"]
    assert history.iloc[1]["justification"] == "First look: plan in place."
    assert history.iloc[1]["superseded_at"] >= history.iloc[1]["created_at"]
    found = stored_result(store, "NS-04", 2026).indicators["SM.1"]
    assert found.level == 1 and found.self_level == 2  # the self-assessment stays visible beside it


@pytest.mark.parametrize("verified", [0, 1, 2, 3, 4, 5])
def test_self_and_evaluator_differences_are_flagged_from_one_level(store, verified) -> None:
    record_review(store, "NGO-01", 2023, "II.1", verified, f"Checked: level {verified}.", EVA)
    sheet = review_sheet(stored_result(store, "NGO-01", 2023), current_framework(), "en").set_index("code")
    row = sheet.loc["II.1"]
    assert row["self_level"] == 2 and row["evaluator_level"] == verified
    assert bool(row["self_evaluator_flag"]) == (abs(verified - 2) >= 1)
    assert list(sheet.columns[:3]) == ["dimension", "title", "self_level"]


def test_an_indicator_can_be_verified_as_not_applicable(store) -> None:
    record_review(
        store,
        "NGO-02",
        2023,
        "SD.6",
        None,
        "No community feedback work in this mandate.",
        EVA,
        not_applicable=True,
    )
    found = stored_result(store, "NGO-02", 2023).indicators["SD.6"]
    assert found.not_applicable and found.level is None
    assert bool(review_history(store, CLI_ADMIN, "NGO-02").iloc[0]["not_applicable"])


def test_only_evaluators_and_admins_review_and_a_reason_is_required(store) -> None:
    for actor in (Actor("board", BOARD), Actor("manager", MANAGER, frozenset({"NGO-03"}))):
        with pytest.raises(AccessDenied):
            record_review(store, "NGO-03", 2023, "IC.1", 3, "Looks fine.", actor)
    with pytest.raises(StoreError):
        record_review(store, "NGO-03", 2023, "IC.1", 3, "   ", EVA)
    assert review_history(store, CLI_ADMIN, "NGO-03").empty
    with pytest.raises(AccessDenied):
        review_history(store, Actor("manager", MANAGER, frozenset({"NS-01"})), "NGO-03")


def test_the_sheet_marks_the_reviews_in_force_and_keeps_every_evidence_note(store) -> None:
    record_review(store, "NS-05", 2023, "TM.2", 2, "First look.", EVA)
    record_review(store, "NS-05", 2023, "TM.2", 3, "Second look: the policy is adopted.", EVA)
    record_review(store, "NS-05", 2023, "TM.4", None, "Outside the mandate.", EVA, not_applicable=True)
    result = stored_result(store, "NS-05", 2023)
    history = review_history(store, CLI_ADMIN, "NS-05", 2023)
    sheet = review_sheet(result, current_framework(), "en", history).set_index("code")
    assert sheet["reviewed"].sum() == 2  # the superseded review of TM.2 does not count twice
    assert sheet.loc["TM.2", "reviewed_level"] == 3 and sheet.loc["TM.2", "reviewed_by"] == "eva"
    assert sheet.loc["TM.4", "reviewed_not_applicable"] and pd.isna(sheet.loc["TM.4", "reviewed_level"])
    assert not sheet.loc["TM.1", "reviewed"] and sheet.loc["TM.1", "reviewed_by"] == ""
    for code, found in result.indicators.items():
        assert sheet.loc[code, "evidence"].split("\n") == [
            *found.evidence,
            *found.evidence_links,
        ] or (sheet.loc[code, "evidence"] == "" and not found.evidence and not found.evidence_links)
    unreviewed = review_sheet(result, current_framework(), "en")
    assert not unreviewed["reviewed"].any()


@given(level=st.one_of(st.none(), st.sampled_from([x / 2 for x in range(11)])), not_applicable=st.booleans())
def test_the_verified_level_starts_at_the_level_of_record(level, not_applicable) -> None:
    choice = starting_choice(level, not_applicable)
    if not_applicable:
        assert choice == NOT_APPLICABLE
    elif level is None:
        assert choice is None  # unanswered: the evaluator must choose
    else:
        assert choice == str(int(level // 1)) and int(choice) <= level < int(choice) + 1  # 2.5 starts at 2
