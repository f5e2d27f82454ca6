"""Restore, delete, purge and evaluator reviews: history is kept, scores follow, all of it audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from capacity import access
from capacity.access import CLI_ADMIN, AccessDenied, Actor
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer
from capacity.scoring import score_assessment
from capacity.store import StoreError, queries
from capacity.store.corrections import delete_submission, record_review, restore_submission
from capacity.store.ingest import ingest_submission
from capacity.store.models import ACTIVE, DELETED, SUPERSEDED, ResponseRecord, Review, SubmissionRecord
from tests.store_support import make_submission, questionnaire

EVALUATOR = Actor("eva", access.EVALUATOR)
MANAGER = Actor("manny", access.MANAGER, frozenset({"ORG-001"}))
BOARD = Actor("bea", access.BOARD)


def _store(store, submission, name="q.xlsx", data=None):
    return ingest_submission(store, submission, data or questionnaire(submission), name, CLI_ADMIN)


def _status(store, submission_id):
    with store.read() as session:
        return session.get(SubmissionRecord, submission_id).status


def _index(store, organisation_id="ORG-001", year=2025):
    frame = queries.organisation_history(store, CLI_ADMIN, organisation_id)
    rows = frame[frame["year"] == year]
    return None if rows.empty else rows["index_score"].iloc[0]


def test_restoring_an_earlier_file_makes_it_count_again(store):
    first, second = make_submission(seed=1), make_submission(seed=2)
    old = _store(store, first, "v1.xlsx")
    new = _store(store, second, "v2.xlsx")
    assert new.superseded_id == old.submission_id
    assert _index(store) == pytest.approx(score_assessment([second]).index.score)

    change = restore_submission(store, old.submission_id, CLI_ADMIN)

    assert change.superseded_id == new.submission_id
    assert (_status(store, old.submission_id), _status(store, new.submission_id)) == (ACTIVE, SUPERSEDED)
    assert _index(store) == pytest.approx(score_assessment([first]).index.score)
    # …and the restore can itself be undone.
    restore_submission(store, new.submission_id, CLI_ADMIN)
    assert _index(store) == pytest.approx(score_assessment([second]).index.score)
    actions = queries.audit_log(store, CLI_ADMIN)["action"].tolist()
    assert actions.count("submission_restored") == 2


def test_restoring_an_active_file_is_refused(store):
    stored = _store(store, make_submission())
    with pytest.raises(StoreError, match="already active"):
        restore_submission(store, stored.submission_id, CLI_ADMIN)
    with pytest.raises(StoreError, match="no submission 999"):
        restore_submission(store, 999, CLI_ADMIN)


def test_deleting_takes_a_file_out_of_scoring_but_keeps_it(store):
    a = make_submission(respondent_name="A", seed=1)
    b = make_submission(respondent_name="B", seed=2)
    a_file = questionnaire(a)
    first, second = _store(store, a, "a.xlsx", a_file), _store(store, b, "b.xlsx")
    assert _index(store) == pytest.approx(score_assessment([a, b]).index.score)

    delete_submission(store, first.submission_id, CLI_ADMIN, reason="uploaded by mistake")

    assert _status(store, first.submission_id) == DELETED
    assert _index(store) == pytest.approx(score_assessment([b]).index.score)
    assert queries.original_file(store, CLI_ADMIN, first.submission_id) == ("a.xlsx", a_file)
    entry = queries.audit_log(store, CLI_ADMIN, actions=["submission_deleted"]).iloc[0]
    assert entry["detail"]["reason"] == "uploaded by mistake"
    assert entry["detail"]["sha256"] == first.sha256

    delete_submission(store, second.submission_id, CLI_ADMIN)
    assert _index(store) is None, "an assessment without active files has no score"
    restore_submission(store, first.submission_id, CLI_ADMIN)
    assert _index(store) == pytest.approx(score_assessment([a]).index.score)


def test_purging_erases_the_file_and_its_answers_but_not_the_audit_trail(store):
    first = _store(store, make_submission(seed=1), "v1.xlsx")
    second = _store(store, make_submission(seed=2), "v2.xlsx")
    delete_submission(store, second.submission_id, CLI_ADMIN, reason="personal data", purge=True)
    with store.read() as session:
        assert session.get(SubmissionRecord, second.submission_id) is None
        remaining = session.scalar(
            select(func.count())
            .select_from(ResponseRecord)
            .where(ResponseRecord.submission_id == second.submission_id)
        )
        assert remaining == 0
        assert session.get(SubmissionRecord, first.submission_id).superseded_by is None
    assert queries.original_file(store, CLI_ADMIN, second.submission_id) is None
    purged = queries.audit_log(store, CLI_ADMIN, actions=["submission_purged"]).iloc[0]
    assert purged["detail"]["sha256"] == second.sha256
    # The superseded earlier file can now be brought back.
    restore_submission(store, first.submission_id, CLI_ADMIN)
    assert _status(store, first.submission_id) == ACTIVE


def test_only_an_admin_restores_or_deletes(store):
    first = _store(store, make_submission(seed=1))
    _store(store, make_submission(seed=2))
    for actor in (MANAGER, BOARD, EVALUATOR):
        with pytest.raises(AccessDenied):
            restore_submission(store, first.submission_id, actor)
        with pytest.raises(AccessDenied):
            delete_submission(store, first.submission_id, actor)
    assert _status(store, first.submission_id) == SUPERSEDED


def test_a_review_acts_as_one_more_evaluator_and_supersedes_the_previous_review(store):
    submission = make_submission()
    _store(store, submission)
    code = "IC.1"

    record_review(store, "ORG-001", 2025, code, 1, "Strategy is a draft only.", EVALUATOR)
    first_rows = queries.indicator_results(store, CLI_ADMIN, "ORG-001", 2025).set_index("code")
    assert first_rows.loc[code, "evaluator_level"] == 1
    assert first_rows.loc[code, "respondents"] == 2

    record_review(store, "ORG-001", 2025, code, 4, "Approved strategy seen, 2025.", EVALUATOR)
    rows = queries.indicator_results(store, CLI_ADMIN, "ORG-001", 2025).set_index("code")
    assert rows.loc[code, "evaluator_level"] == 4
    with store.read() as session:
        reviews = session.scalars(select(Review).order_by(Review.id)).all()
    assert [r.level for r in reviews] == [1, 4]
    assert reviews[0].superseded_at is not None and reviews[1].superseded_at is None
    assert reviews[1].reviewer == "eva"

    evaluator = make_submission(
        role=ROLE_EVALUATOR,
        respondent_name="eva",
        answers={code: Answer(code=code, level=4)},
    )
    expected = score_assessment([submission, evaluator])
    assert _index(store) == pytest.approx(expected.index.score)


def test_a_review_can_say_not_applicable(store):
    _store(store, make_submission())
    record_review(
        store, "ORG-001", 2025, "SD.2", None, "Outside the mandate.", EVALUATOR, not_applicable=True
    )
    with store.read() as session:
        review = session.scalars(select(Review)).one()
    assert review.not_applicable and review.level is None


@pytest.mark.parametrize(
    ("code", "level", "not_applicable", "justification", "complaint"),
    [
        ("IC.1", 6, False, "x", "level from 0 to 5"),
        ("IC.1", None, False, "x", "level from 0 to 5"),
        ("IC.1", 3, True, "x", "level from 0 to 5"),
        ("XX.9", 3, False, "x", "no indicator XX.9"),
        ("IC.1", 3, False, "   ", "justification"),
    ],
)
def test_a_malformed_review_is_refused(store, code, level, not_applicable, justification, complaint):
    _store(store, make_submission())
    with pytest.raises(StoreError, match=complaint):
        record_review(
            store, "ORG-001", 2025, code, level, justification, EVALUATOR, not_applicable=not_applicable
        )


def test_reviews_need_an_existing_assessment_and_the_review_right(store):
    _store(store, make_submission())
    with pytest.raises(StoreError, match="no assessment of ORG-001 for 2019"):
        record_review(store, "ORG-001", 2019, "IC.1", 3, "seen", EVALUATOR)
    for actor in (MANAGER, BOARD):
        with pytest.raises(AccessDenied):
            record_review(store, "ORG-001", 2025, "IC.1", 3, "seen", actor)
