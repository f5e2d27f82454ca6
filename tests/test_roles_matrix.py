"""Every role × action, allowed and denied, through the library functions the pages and the CLI call.

The expected matrix is written out here from the issue's role list, independently of
`access.PERMISSIONS`, so a change to the permissions that contradicts the roles fails:

- manager: their own organisations only: dashboards, profiles, uploads (self-assessments only: a
  file marked Evaluator is refused), scorecards, their files;
- board: every dashboard and profile, nothing that changes data or exports raw responses
  (neither the dataset nor the original questionnaire files);
- evaluator: what a board member can, plus reviews, every export, the audit log and
  uploading questionnaires, evaluator questionnaires included;
- admin: everything, including accounts, versions, restoring submissions and demoting
  unverified evaluator questionnaires.
  on every plan, boards only read them.

A plan for a round before the latest is refused to all but admins as a StoreError (the
round is closed), which the attempt below counts as a refusal too.

Each case calls the real functions: a refusal must be `AccessDenied` (or, for queries
that filter rather than refuse, the organisation must be missing from the rows), and an
allowed call must really return or change the data.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from capacity import access, accounts, audit_view, sso, versions
from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.framework import current_framework
from capacity.plans import actions as plan
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.review import review_history
from capacity.roadmap import bundled_roadmap
from capacity.rounds import register, rounds
from capacity.rounds.checklist import checklist
from capacity.store import StoreError, open_store, portfolio_queries, queries
from capacity.store.backup import backup
from capacity.store.corrections import delete_submission, record_review, restore_submission
from capacity.store.ingest import ingest_submission
from capacity.store.models import SUPERSEDED, SubmissionRecord
from capacity.store.trust import demote_submission
from capacity.versions import ROADMAP
from tests.store_support import make_submission

OWN, OTHER = "ORG-A", "ORG-B"
YEAR = 2025
CLOSED_YEAR = 2024
ACTORS = {
    MANAGER: Actor("manny", MANAGER, frozenset({OWN})),
    BOARD: Actor("bo", BOARD),
    EVALUATOR: Actor("eva", EVALUATOR),
    ADMIN: Actor("ada", ADMIN),
}
A = access
EVERY_ORGANISATION, OWN_ONLY = "all", "own"
EXPECTED: dict[str, dict[str, str]] = {
    MANAGER: {
        A.VIEW_DASHBOARD: OWN_ONLY,
        A.VIEW_PROFILE: OWN_ONLY,
        A.UPLOAD: OWN_ONLY,
        A.EXPORT_SCORECARD: OWN_ONLY,
        A.DOWNLOAD_ORIGINAL: OWN_ONLY,
        A.VIEW_ROUNDS: OWN_ONLY,
        A.MARK_SUBMITTED: OWN_ONLY,
        A.PLAN: OWN_ONLY,
    },
    BOARD: {
        A.VIEW_DASHBOARD: EVERY_ORGANISATION,
        A.VIEW_PROFILE: EVERY_ORGANISATION,
        A.EXPORT_SCORES: EVERY_ORGANISATION,
        A.VIEW_ROUNDS: EVERY_ORGANISATION,
    },
    EVALUATOR: {
        action: EVERY_ORGANISATION
        for action in (
            A.VIEW_DASHBOARD,
            A.VIEW_PROFILE,
            A.UPLOAD,
            A.UPLOAD_EVALUATOR,
            A.REVIEW,
            A.EXPORT_SCORECARD,
            A.EXPORT_DATASET,
            A.EXPORT_SCORES,
            A.DOWNLOAD_ORIGINAL,
            A.VIEW_AUDIT,
            A.VIEW_ROUNDS,
            A.MANAGE_ROUNDS,
            A.VERIFY,
            A.COMMENT_PLAN,
        )
    },
    ADMIN: {action: EVERY_ORGANISATION for action in A.ACTIONS},
}
ORGANISATION_ACTIONS = (
    A.VIEW_DASHBOARD,
    A.VIEW_PROFILE,
    A.UPLOAD,
    A.UPLOAD_EVALUATOR,
    A.REVIEW,
    A.EXPORT_SCORECARD,
    A.DOWNLOAD_ORIGINAL,
    A.RESTORE_SUBMISSION,
    A.DELETE_SUBMISSION,
    A.DEMOTE_SUBMISSION,
    A.VIEW_ROUNDS,
    A.MARK_SUBMITTED,
    A.VERIFY,
    A.UPLOAD_LATE,
    A.PLAN,
    A.COMMENT_PLAN,
    A.BACKFILL_PLAN,
)
GLOBAL_ACTIONS = (
    A.EXPORT_DATASET,
    A.EXPORT_SCORES,
    A.VIEW_AUDIT,
    A.MANAGE_USERS,
    A.ACTIVATE_VERSIONS,
    A.MANAGE_REGISTER,
    A.MANAGE_ROUNDS,
)


def expected_allowed(role: str, action: str, organisation_id: str | None) -> bool:
    scope = EXPECTED[role].get(action)
    if scope is None:
        return False
    return scope == EVERY_ORGANISATION or organisation_id in (None, OWN)


class Upload:
    """Fresh questionnaires: each upload in these tests is by a new respondent, so it is always new."""

    counter = itertools.count()

    @classmethod
    def submit(
        cls, store, organisation_id: str, actor: Actor, respondent: str | None = None, role: str = "self"
    ):
        number = next(cls.counter)
        name = respondent or f"Respondent {number}"
        submission = make_submission(organisation_id, YEAR, name, role=role, seed=number)
        data = f"{organisation_id}-{number}".encode()
        return ingest_submission(store, submission, data, f"{number}.xlsx", actor)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'capacity.db'}")
    for organisation_id in (OWN, OTHER):
        assert Upload.submit(opened, organisation_id, CLI_ADMIN, "Founding respondent").stored
    rounds.open_round(opened, CLI_ADMIN, YEAR, dt.date(YEAR, 12, 31))
    rounds.open_round(opened, CLI_ADMIN, CLOSED_YEAR, dt.date(CLOSED_YEAR, 12, 31))
    rounds.close_round(opened, CLI_ADMIN, CLOSED_YEAR)
    yield opened
    opened.close()


def superseded_submission(store, organisation_id: str) -> int:
    """A submission of `organisation_id` replaced by a newer file of the same respondent (restorable)."""
    respondent = f"Twice {next(Upload.counter)}"
    first = Upload.submit(store, organisation_id, CLI_ADMIN, respondent)
    Upload.submit(store, organisation_id, CLI_ADMIN, respondent)
    history = queries.submissions(store, CLI_ADMIN, organisation_id)
    row = history[history["submission_id"] == first.submission_id].iloc[0]
    assert row["status"] == SUPERSEDED
    return int(first.submission_id)


def flagged_submission(store, organisation_id: str) -> int:
    """An evaluator questionnaire flagged as migration 0006 flags one a manager stored before the rule."""
    stored = Upload.submit(store, organisation_id, CLI_ADMIN, role=ROLE_EVALUATOR)
    with store.write() as session:
        session.get(SubmissionRecord, stored.submission_id).evaluator_unverified = True
    return int(stored.submission_id)


# ------------------------------------------------------------------ one attempt per action
def shows(frame, organisation_id: str) -> bool:
    return organisation_id in set(frame["organisation_id"])


def attempt(store, actor: Actor, action: str, organisation_id: str | None) -> bool:
    """Do `action` through the library; True when it was carried out, False when refused.

    Raises if a refusal takes any other form than AccessDenied or filtered-out rows.
    """
    try:
        return _attempt(store, actor, action, organisation_id)
    except AccessDenied:
        return False
    except StoreError:
        assert action == A.BACKFILL_PLAN, action  # only a closed round's plan is refused this way
        return False


def _attempt(store, actor: Actor, action: str, organisation_id: str | None) -> bool:
    if action == A.VIEW_DASHBOARD:
        seen = [
            shows(queries.portfolio(store, actor), organisation_id),
            shows(queries.latest_assessments(store, actor), organisation_id),
            shows(portfolio_queries.dimension_positions(store, actor), organisation_id),
            shows(portfolio_queries.evidence_coverage(store, actor), organisation_id),
            organisation_id
            in {r.organisation_id for r in portfolio_queries.round_results(store, actor, YEAR)},
            organisation_id
            in portfolio_queries.round_scores(store, actor, YEAR, current_framework()).organisation_ids,
        ]
        assert len(set(seen)) == 1, seen  # every dashboard query draws the same line
        return seen[0]
    if action == A.VIEW_PROFILE:
        return agree(
            lambda: queries.organisation_history(store, actor, organisation_id),
            lambda: queries.indicator_results(store, actor, organisation_id, YEAR),
            lambda: queries.assessment_results(store, actor, organisation_id),
            lambda: queries.submissions(store, actor, organisation_id),
        )
    if action == A.UPLOAD:
        return Upload.submit(store, organisation_id, actor).stored
    if action == A.UPLOAD_EVALUATOR:  # refused either way: AccessDenied, or a rejected outcome
        return Upload.submit(store, organisation_id, actor, role=ROLE_EVALUATOR).stored
    if action == A.REVIEW:
        return record_review(store, organisation_id, YEAR, "IC.1", 3, "Strategy seen.", actor) > 0
    if action == A.EXPORT_SCORECARD:
        from capacity.export.scorecard import load_scorecard

        return load_scorecard(store, actor, organisation_id).organisation.organisation_id == organisation_id
    if action == A.DOWNLOAD_ORIGINAL:  # raw answers: the file, the answers table, the review history
        try:
            answers = queries.responses(store, actor, organisation_ids=[organisation_id])
            filtered_in = not answers.empty
        except AccessDenied:
            filtered_in = False

        def original() -> None:
            found = queries.original_file(store, actor, answers_or_any(store, organisation_id))
            assert found is not None and found[1].startswith(organisation_id.encode())

        allowed = agree(original, lambda: review_history(store, actor, organisation_id, YEAR))
        assert allowed == filtered_in, (allowed, filtered_in)
        return allowed
    if action == A.RESTORE_SUBMISSION:
        restored = restore_submission(store, superseded_submission(store, organisation_id), actor)
        return restored.status == "active"
    if action == A.DEMOTE_SUBMISSION:
        return demote_submission(
            store, flagged_submission(store, organisation_id), actor
        ).organisation_id == (organisation_id)
    if action == A.DELETE_SUBMISSION:
        added = Upload.submit(store, organisation_id, CLI_ADMIN)
        return delete_submission(store, added.submission_id, actor, reason="test").status == "deleted"
    if action == A.EXPORT_DATASET:
        from capacity.export.dataset import RESPONSES, dataset_frames

        return not dataset_frames(store, actor)[RESPONSES].empty
    if action == A.EXPORT_SCORES:
        from capacity.export.dataset import RESPONSES, SCORES, dataset_frames

        frames = dataset_frames(store, actor, responses=False)
        return RESPONSES not in frames and not frames[SCORES].empty
    if action == A.VIEW_AUDIT:
        entries = audit_view.audit_entries(store, actor)
        assert not queries.audit_log(store, actor).empty
        return not entries.empty
    if action == A.MANAGE_USERS:
        accounts.list_users(store, actor)
        sso.list_rules(store, actor)
        return True
    if action == A.ACTIVATE_VERSIONS:  # activating the version in use still recomputes every result
        activated = versions.activate_version(store, actor, ROADMAP, bundled_roadmap().version)
        return activated.version == bundled_roadmap().version and activated.recomputed > 0
    if action == A.VIEW_ROUNDS:
        seen = organisation_id in {s.organisation_id for s in rounds.round_status(store, actor, YEAR)}
        if seen:
            checklist(store, actor, organisation_id, YEAR)
        return seen
    if action in (A.MARK_SUBMITTED, A.VERIFY):
        if submitted(store, organisation_id):  # from an earlier case: start again from in progress
            rounds.reopen(store, CLI_ADMIN, organisation_id, YEAR)
        if action == A.MARK_SUBMITTED:
            rounds.mark_submitted(store, actor, organisation_id, YEAR)
            return submitted(store, organisation_id)
        rounds.mark_submitted(store, CLI_ADMIN, organisation_id, YEAR)
        rounds.sign_off(store, actor, organisation_id, YEAR)
        return True
    if action == A.UPLOAD_LATE:
        number = next(Upload.counter)
        late = make_submission(organisation_id, CLOSED_YEAR, f"Late {number}", seed=number)
        return ingest_submission(store, late, f"late-{number}".encode(), "late.xlsx", actor).stored
    if action == A.MANAGE_REGISTER:
        number = next(Upload.counter)
        register.add_organisation(store, actor, f"ORG-NEW-{number}", "New")
        register.set_create_on_first_upload(store, actor, True)
        return True
    if action == A.MANAGE_ROUNDS:
        year = 1900 + next(Upload.counter)
        rounds.open_round(store, actor, year, dt.date(year, 12, 31))
        return not rounds.close_round(store, actor, year).is_open
    if action == A.PLAN:
        added = add_plan_action(store, actor, organisation_id)
        return added in set(plan.plan_actions(store, CLI_ADMIN, organisation_id)["action_id"])
    if action == A.COMMENT_PLAN:
        action_id = add_plan_action(store, CLI_ADMIN, organisation_id)
        plan.add_note(store, actor, action_id, "Budget missing.", plan.COMMENT)
        return not plan.plan_notes(store, CLI_ADMIN, organisation_id).empty
    if action == A.BACKFILL_PLAN:  # a plan for a round before the latest
        number = next(Upload.counter)
        earlier = make_submission(organisation_id, YEAR - 1, f"Earlier {number}", seed=number)
        data = f"{organisation_id}-earlier-{number}".encode()
        ingest_submission(store, earlier, data, f"{number}.xlsx", CLI_ADMIN)
        added = add_plan_action(store, actor, organisation_id, YEAR - 1)
        return added in set(plan.plan_actions(store, CLI_ADMIN, organisation_id)["action_id"])
    raise AssertionError(f"no attempt written for {action}")


def agree(*calls) -> bool:
    """Run every call: True when all were carried out, False when all were refused (never a mix)."""
    refusals = []
    for call in calls:
        try:
            call()
            refusals.append(False)
        except AccessDenied:
            refusals.append(True)
    assert len(set(refusals)) == 1, refusals
    return not refusals[0]


def submitted(store, organisation_id: str) -> bool:
    statuses = rounds.round_status(store, CLI_ADMIN, YEAR)
    return next(s for s in statuses if s.organisation_id == organisation_id).submitted_at is not None


def add_plan_action(store, actor: Actor, organisation_id: str, year: int = YEAR) -> int:
    due = dt.date(YEAR + 1, 6, 30)
    return plan.add_action(store, actor, organisation_id, year, "IC.1", "Adopt a strategy", "Ana", due, 4)


def answers_or_any(store, organisation_id: str) -> int:
    """The id of some submission of `organisation_id` (read as the local admin)."""
    return int(queries.submissions(store, CLI_ADMIN, organisation_id)["submission_id"].iloc[0])


def test_every_action_has_an_attempt() -> None:
    assert set(ORGANISATION_ACTIONS) | set(GLOBAL_ACTIONS) == set(A.ACTIONS)


CASES = [
    (role, action, organisation)
    for role in ACTORS
    for action in ORGANISATION_ACTIONS
    for organisation in (OWN, OTHER)
]
CASES += [(role, action, None) for role in ACTORS for action in GLOBAL_ACTIONS]


@pytest.mark.parametrize(
    ("role", "action", "organisation_id"), CASES, ids=[f"{r}-{a}-{o or 'any'}" for r, a, o in CASES]
)
def test_role_action_matrix(store, role: str, action: str, organisation_id: str | None) -> None:
    allowed = expected_allowed(role, action, organisation_id)
    assert attempt(store, ACTORS[role], action, organisation_id) is allowed
    assert access.is_allowed(ACTORS[role], action, organisation_id) is allowed


def test_a_manager_of_several_organisations_reaches_each_of_them_and_no_other(store) -> None:
    both = Actor("two-hats", MANAGER, frozenset({OWN, OTHER}))
    assert set(queries.portfolio(store, both)["organisation_id"]) == {OWN, OTHER}
    nobody = Actor("no-hats", MANAGER, frozenset())
    assert queries.portfolio(store, nobody).empty
    with pytest.raises(AccessDenied):
        queries.organisation_history(store, nobody, OWN)


def test_backups_hold_accounts_so_only_admins_may_write_them(store, tmp_path) -> None:
    for role in (MANAGER, BOARD, EVALUATOR):
        with pytest.raises(AccessDenied):
            backup(store, ACTORS[role], tmp_path / f"{role}.zip")
    assert backup(store, ACTORS[ADMIN], tmp_path / "admin.zip").rows["users"] >= 0


def test_the_command_line_acts_as_a_named_local_admin(store) -> None:
    assert CLI_ADMIN.role == ADMIN and CLI_ADMIN.username == "local-admin"
    log = audit_view.audit_entries(store, CLI_ADMIN, audit_view.AuditFilter(users=(CLI_ADMIN.username,)))
    assert not log.empty  # the fixture's uploads are attributed to it, not to an anonymous system
