"""Rounds end to end in the library: open, every state in turn, close, late uploads; roles."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.rounds import register, rounds, states
from capacity.rounds.checklist import checklist
from capacity.store import open_store
from capacity.store.corrections import record_review
from capacity.store.errors import StoreError
from capacity.store.ingest import REJECTED, STORED_NEW, ingest_submission
from capacity.store.models import AuditEntry
from tests.store_support import make_submission

pytestmark = pytest.mark.register_default

YEAR = 2026
DEADLINE = dt.date(2026, 6, 30)
BEFORE, AFTER = dt.date(2026, 6, 1), dt.date(2026, 7, 1)
MANAGER_A = Actor("ayse@a.example", MANAGER, frozenset({"ORG-A"}))
EVALUATOR_EVA = Actor("eva", EVALUATOR)
ADMIN_ADA = Actor("ada", ADMIN)


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    for key in ("ORG-A", "ORG-B", "ORG-C"):
        register.add_organisation(opened, CLI_ADMIN, key, f"Organisation {key}")
    yield opened
    opened.close()


def _upload(store, organisation_id: str, actor: Actor, respondent: str = "Ayşe", role: str = "self"):
    submission = make_submission(organisation_id, YEAR, respondent, role)
    return ingest_submission(
        store, submission, f"{organisation_id}{respondent}{role}".encode(), "q.xlsx", actor
    )


def _states(store, today: dt.date = BEFORE) -> dict[str, str]:
    return {s.organisation_id: s.state for s in rounds.round_status(store, CLI_ADMIN, YEAR, today)}


def test_an_organisation_walks_through_every_state(store) -> None:
    rounds.open_round(store, EVALUATOR_EVA, YEAR, DEADLINE)
    assert _states(store) == dict.fromkeys(("ORG-A", "ORG-B", "ORG-C"), states.NOT_STARTED)

    with pytest.raises(StoreError, match="no self-assessment"):
        rounds.mark_submitted(store, MANAGER_A, "ORG-A", YEAR)
    _upload(store, "ORG-A", MANAGER_A)
    assert _states(store)["ORG-A"] == states.IN_PROGRESS
    with pytest.raises(StoreError, match="not submitted"):
        rounds.sign_off(store, EVALUATOR_EVA, "ORG-A", YEAR)

    rounds.mark_submitted(store, MANAGER_A, "ORG-A", YEAR)
    assert _states(store)["ORG-A"] == states.SUBMITTED
    with pytest.raises(StoreError, match="already submitted"):
        rounds.mark_submitted(store, MANAGER_A, "ORG-A", YEAR)

    record_review(store, "ORG-A", YEAR, "IC.1", 4, "Strategy seen.", EVALUATOR_EVA)
    assert _states(store)["ORG-A"] == states.UNDER_REVIEW

    rounds.sign_off(store, EVALUATOR_EVA, "ORG-A", YEAR)
    (status,) = [
        s for s in rounds.round_status(store, CLI_ADMIN, YEAR, BEFORE) if s.organisation_id == "ORG-A"
    ]
    assert status.state == states.VERIFIED and status.verified_at is not None
    assert status.as_dict() == {
        "organisation_id": "ORG-A",
        "state": "verified",
        "respondents": 1,
        "last_upload": status.last_upload.isoformat(),
        "reviewed_indicators": 1,
        "verified_at": status.verified_at.isoformat(),
    }
    # After the deadline the others, not submitted, are late; the verified one stays verified.
    assert _states(store, AFTER) == {"ORG-A": states.VERIFIED, "ORG-B": states.LATE, "ORG-C": states.LATE}

    rounds.reopen(store, EVALUATOR_EVA, "ORG-A", YEAR)
    assert _states(store)["ORG-A"] == states.IN_PROGRESS
    with store.read() as session:
        actions = [entry.action for entry in session.query(AuditEntry).order_by(AuditEntry.id)]
    for action in (rounds.ROUND_OPENED, rounds.MARKED_SUBMITTED, rounds.SIGNED_OFF, rounds.REOPENED):
        assert action in actions


def test_an_evaluator_questionnaire_on_a_submitted_assessment_means_under_review(store) -> None:
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-B"])
    _upload(store, "ORG-B", CLI_ADMIN)
    rounds.mark_submitted(store, CLI_ADMIN, "ORG-B", YEAR)
    _upload(store, "ORG-B", EVALUATOR_EVA, "Eva", ROLE_EVALUATOR)
    assert _states(store) == {"ORG-B": states.UNDER_REVIEW}


def test_the_funnel_counts_each_step_reached(store) -> None:
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE)
    _upload(store, "ORG-A", CLI_ADMIN)
    _upload(store, "ORG-B", CLI_ADMIN)
    rounds.mark_submitted(store, CLI_ADMIN, "ORG-B", YEAR)
    assert rounds.funnel(rounds.round_status(store, CLI_ADMIN, YEAR, AFTER)) == [
        ("expected", 3),
        (states.IN_PROGRESS, 2),  # ORG-A is late but started
        (states.SUBMITTED, 1),
        (states.UNDER_REVIEW, 0),
        (states.VERIFIED, 0),
    ]


def test_a_closed_round_is_frozen_and_only_admins_upload_to_it_late(store) -> None:
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-A", "ORG-B"])
    with pytest.raises(StoreError, match="already a round"):
        rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE)
    closed = rounds.close_round(store, EVALUATOR_EVA, YEAR)
    assert not closed.is_open and closed.expected == ("ORG-A", "ORG-B")
    with pytest.raises(StoreError, match="already closed"):
        rounds.close_round(store, CLI_ADMIN, YEAR)

    refused = _upload(store, "ORG-A", MANAGER_A)
    assert refused.kind == REJECTED and "closed" in refused.message("en")
    assert _upload(store, "ORG-A", EVALUATOR_EVA, "Eva", ROLE_EVALUATOR).kind == REJECTED
    late = _upload(store, "ORG-A", ADMIN_ADA)
    assert late.kind == STORED_NEW
    (status, _) = rounds.round_status(store, CLI_ADMIN, YEAR, AFTER)
    assert status.late_uploads == 1 and status.state == states.LATE
    with pytest.raises(StoreError, match="closed"):
        rounds.mark_submitted(store, MANAGER_A, "ORG-A", YEAR)


def test_a_round_of_chosen_organisations_expects_only_them_and_refuses_unknown_ones(store) -> None:
    with pytest.raises(StoreError, match="ORG-Z"):
        rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-A", "ORG-Z"])
    register.set_archived(store, CLI_ADMIN, "ORG-C")
    with pytest.raises(StoreError, match="Archived"):
        rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-C"])
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE)
    assert set(_states(store)) == {"ORG-A", "ORG-B"}  # archived organisations are not expected
    register.add_organisation(store, CLI_ADMIN, "ORG-D", "Joined mid-round")
    assert set(_states(store)) == {"ORG-A", "ORG-B", "ORG-D"}


@pytest.mark.parametrize("role", [MANAGER, BOARD])
def test_managers_and_boards_neither_open_nor_close_nor_sign_off(store, role) -> None:
    actor = Actor("x", role, frozenset({"ORG-A"}))
    with pytest.raises(AccessDenied):
        rounds.open_round(store, actor, YEAR, DEADLINE)
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE)
    _upload(store, "ORG-A", CLI_ADMIN)
    rounds.mark_submitted(store, CLI_ADMIN, "ORG-A", YEAR)
    with pytest.raises(AccessDenied):
        rounds.sign_off(store, actor, "ORG-A", YEAR)
    with pytest.raises(AccessDenied):
        rounds.close_round(store, actor, YEAR)


def test_a_manager_marks_only_their_own_and_sees_only_their_own(store) -> None:
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE)
    _upload(store, "ORG-B", CLI_ADMIN)
    with pytest.raises(AccessDenied):
        rounds.mark_submitted(store, MANAGER_A, "ORG-B", YEAR)
    with pytest.raises(AccessDenied):
        rounds.mark_submitted(store, Actor("b", BOARD), "ORG-B", YEAR)
    assert [s.organisation_id for s in rounds.round_status(store, MANAGER_A, YEAR)] == ["ORG-A"]
    assert len(rounds.round_status(store, Actor("b", BOARD), YEAR)) == 3
    with pytest.raises(AccessDenied):
        checklist(store, MANAGER_A, "ORG-B", YEAR)


def test_the_checklist_names_blank_indicators_and_levels_without_evidence(store) -> None:
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE)
    empty = checklist(store, MANAGER_A, "ORG-A", YEAR)
    assert empty.self_respondents == 0 and len(empty.blank) > 10 and not empty.complete
    submission = make_submission("ORG-A", YEAR)
    first_code = next(iter(submission.answers))
    answers = dict(submission.answers)
    answers[first_code] = answers[first_code].__class__(code=first_code, level=3)  # no evidence
    second = list(answers)[1]
    del answers[second]
    ingest_submission(
        store, submission.__class__(**{**submission.__dict__, "answers": answers}), b"c", "c", MANAGER_A
    )

    found = checklist(store, MANAGER_A, "ORG-A", YEAR)
    assert found.self_respondents == 1 and found.blank == (second,)
    assert found.without_evidence == (first_code,)


def test_the_dashboards_open_on_the_latest_closed_round_until_most_of_the_open_one_is_verified(store) -> None:
    assert rounds.dashboard_round(store) is None
    rounds.open_round(store, CLI_ADMIN, 2025, dt.date(2025, 6, 30))
    rounds.close_round(store, CLI_ADMIN, 2025)
    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-A", "ORG-B"])
    assert rounds.dashboard_round(store) == (2025, "closed")
    _upload(store, "ORG-A", CLI_ADMIN)
    rounds.mark_submitted(store, CLI_ADMIN, "ORG-A", YEAR)
    rounds.sign_off(store, CLI_ADMIN, "ORG-A", YEAR)
    assert rounds.dashboard_round(store) == (2025, "closed")  # half is not most
    _upload(store, "ORG-B", CLI_ADMIN)
    rounds.mark_submitted(store, CLI_ADMIN, "ORG-B", YEAR)
    rounds.sign_off(store, CLI_ADMIN, "ORG-B", YEAR)
    assert rounds.dashboard_round(store) == (YEAR, "open")


_MOMENTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=dt.UTC)
)
# In recorded order, with times rising as they do when events are added one after another.
_EVENTS = st.lists(st.tuples(st.sampled_from(states.EVENT_KINDS), _MOMENTS), max_size=8).map(
    lambda events: [(kind, at) for (kind, _), at in zip(events, sorted(at for _, at in events), strict=True)]
)


@given(_EVENTS)
def test_a_sign_off_stands_only_on_a_submission_and_a_reopening_clears_both(events) -> None:
    submitted, verified = states.current_marks(events)
    reopenings = [i for i, (kind, _) in enumerate(events) if kind == states.REOPENED]
    after = events[reopenings[-1] + 1 :] if reopenings else events
    assert (submitted is not None) == any(kind == states.MARKED_SUBMITTED for kind, _ in after)
    if verified is not None:
        assert submitted is not None and verified >= submitted


@given(
    st.integers(0, 5),
    st.integers(0, 3),
    st.integers(0, 40),
    st.booleans(),
    st.booleans(),
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
)
def test_late_means_past_the_deadline_and_not_submitted(
    respondents, evaluators, reviews, submitted, verified, today
):
    moment = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    facts = states.Facts(
        respondents=respondents,
        evaluator_questionnaires=evaluators,
        reviewed_indicators=reviews,
        submitted_at=moment if submitted else None,
        verified_at=moment if submitted and verified else None,
    )
    state = states.derive_state(facts, DEADLINE, today)
    assert (state == states.LATE) == (today > DEADLINE and not submitted)
    assert (state == states.VERIFIED) == (submitted and verified)
    if state in (states.NOT_STARTED, states.IN_PROGRESS):
        assert (state == states.IN_PROGRESS) == (respondents > 0)


def test_backup_and_restore_carry_the_register_rounds_events_and_settings(store, tmp_path) -> None:
    from capacity.store.backup import backup, restore

    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-A", "ORG-B"])
    _upload(store, "ORG-A", CLI_ADMIN)
    rounds.mark_submitted(store, CLI_ADMIN, "ORG-A", YEAR)
    rounds.sign_off(store, CLI_ADMIN, "ORG-A", YEAR)
    rounds.close_round(store, CLI_ADMIN, YEAR)
    register.set_archived(store, CLI_ADMIN, "ORG-C")
    register.set_create_on_first_upload(store, CLI_ADMIN, True)
    summary = backup(store, CLI_ADMIN, tmp_path / "dump.zip")
    assert summary.rows["rounds"] == 1 and summary.rows["round_events"] == 2 and summary.rows["settings"] == 1

    target = open_store(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        restore(target, CLI_ADMIN, tmp_path / "dump.zip")
        assert register.list_organisations(target, CLI_ADMIN) == register.list_organisations(store, CLI_ADMIN)
        assert register.allows_create_on_first_upload(target)
        assert rounds.list_rounds(target, CLI_ADMIN) == rounds.list_rounds(store, CLI_ADMIN)
        assert rounds.round_status(target, CLI_ADMIN, YEAR) == rounds.round_status(store, CLI_ADMIN, YEAR)
    finally:
        target.close()


def test_a_late_upload_is_flagged_in_the_dataset_and_counted_for_the_profile(store) -> None:
    from capacity.export.dataset import RESPONSES, codebook, dataset_frames

    rounds.open_round(store, CLI_ADMIN, YEAR, DEADLINE, ["ORG-A"])
    on_time = _upload(store, "ORG-A", CLI_ADMIN, "On time")
    rounds.close_round(store, CLI_ADMIN, YEAR)
    assert rounds.late_uploads(store, MANAGER_A, "ORG-A", YEAR) == 0
    late = _upload(store, "ORG-A", ADMIN_ADA, "Late")

    frames = dataset_frames(store, CLI_ADMIN)
    flags = frames[RESPONSES].groupby("submission_id")["late"].agg(set).to_dict()
    assert flags == {on_time.submission_id: {False}, late.submission_id: {True}}
    assert "late" in set(codebook(frames, "en")["column"])
    assert rounds.late_uploads(store, MANAGER_A, "ORG-A", YEAR) == 1
    with pytest.raises(AccessDenied):
        rounds.late_uploads(store, MANAGER_A, "ORG-B", YEAR)
