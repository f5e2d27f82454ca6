"""Whose word a stored questionnaire carries: the role of record comes from the account, not the file.

An evaluator's questionnaire outranks every self-assessment (docs/METHOD.md, step 1), so
a file marked Evaluator is stored only from an account that may upload one
(`access.UPLOAD_EVALUATOR`: evaluators and admins); from any other account it is refused,
naming the cell to change. A new file supersedes a respondent's earlier one only when the
same account uploaded both, or when an evaluator or admin replaces a file an evaluator or
admin uploaded: a manager's file never replaces an evaluator's, nor another account's.

Files stored before these rules (migration 0006) that are marked Evaluator without an
evaluator or admin behind them are flagged; `demote_submission` turns one into the
self-assessment it is, audited and re-scored in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from capacity import access
from capacity.access import ADMIN, EVALUATOR, Actor
from capacity.i18n import N_, Message, translator
from capacity.questionnaire import layout
from capacity.questionnaire.reader import Problem, ReadResult
from capacity.questionnaire.submission import Submission
from capacity.store import audit
from capacity.store.assessments import lock_organisation, recompute_assessment, respondent_key
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import ACTIVE, SUPERSEDED, Assessment, SubmissionRecord, utcnow

TRUSTED_UPLOADER_ROLES = (EVALUATOR, ADMIN)  # whose files another evaluator or admin may replace

MSG_EVALUATOR_ONLY = N_(
    "Only an evaluator account can upload an evaluator's questionnaire; change {cell} to {self_assessment} "
    "or ask your evaluator."
)
MSG_OTHER_ACCOUNT = N_(
    "The earlier questionnaire of this respondent for {organisation}, {year} (submission {submission}) was "
    "uploaded by another account, {user}, and only that account can replace it. Ask them to upload this "
    "file, or give your own name in {cell}."
)


class UploadRefused(Exception):
    """The actor may not store this file as it stands; carries the problem, with its cell."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message.render("en"))


def _where(submission: Submission, read: ReadResult | None, key: str) -> tuple[str, str]:
    """The sheet and cell of an Organisation field: where the reader found it, else the template's."""
    found = read.cells.get(key) if read is not None else None
    if found is not None:
        return found
    return translator(submission.language)(layout.SHEET_ORGANISATION), layout.organisation_cell(key)


def _problem(
    submission: Submission, read: ReadResult | None, key: str, msgid: str, /, **params: object
) -> Problem:
    sheet, cell = _where(submission, read, key)
    return Problem(sheet, cell, Message(msgid, {**params, "cell": f"{sheet}!{cell}"}))


def check_respondent_role(actor: Actor, submission: Submission, read: ReadResult | None = None) -> None:
    """Raise UploadRefused when the file is marked Evaluator and the account may not upload one.

    The choice to write instead is named in the file's language, as its list shows it.
    """
    if submission.respondent_role != layout.ROLE_EVALUATOR:
        return
    if access.is_allowed(actor, access.UPLOAD_EVALUATOR, submission.organisation_id):
        return
    self_assessment = translator(submission.language)(layout.RESPONDENT_ROLES[layout.ROLE_SELF])
    raise UploadRefused(
        _problem(submission, read, "respondent_role", MSG_EVALUATOR_ONLY, self_assessment=self_assessment)
    )


def may_supersede(actor: Actor, uploaded_by: str, uploader_role: str | None) -> bool:
    """Whether a new file of `actor` may replace one that `uploaded_by` uploaded as `uploader_role`."""
    if uploaded_by == actor.username:
        return True
    return access.is_allowed(actor, access.UPLOAD_EVALUATOR) and uploader_role in TRUSTED_UPLOADER_ROLES


def check_supersede(
    actor: Actor,
    submission: Submission,
    read: ReadResult | None,
    earlier_id: int,
    uploaded_by: str,
    uploader_role: str | None,
) -> None:
    """Raise UploadRefused when the respondent's earlier file is not one `actor` may replace."""
    if may_supersede(actor, uploaded_by, uploader_role):
        return
    raise UploadRefused(
        _problem(
            submission,
            read,
            "respondent_name",
            MSG_OTHER_ACCOUNT,
            organisation=submission.organisation_id,
            year=submission.year,
            submission=earlier_id,
            user=uploaded_by,
        )
    )


# --------------------------------------------------------------------------- flagged files


def unverified_evaluator_files(store: Store, actor: Actor) -> pd.DataFrame:
    """Every file still flagged: marked Evaluator, uploaded by an account that is not an evaluator's."""
    access.require(actor, access.DEMOTE_SUBMISSION)
    s, a = SubmissionRecord, Assessment
    statement = (
        select(
            s.id.label("submission_id"),
            a.organisation_id,
            a.year,
            s.filename,
            s.respondent_name,
            s.uploaded_by,
            s.uploader_role,
            s.uploaded_at,
            s.status,
        )
        .join(a, a.id == s.assessment_id)
        .where(s.evaluator_unverified.is_(True))
        .order_by(a.organisation_id, a.year, s.id)
    )
    with store.read() as session:
        result = session.execute(statement)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


@dataclass(frozen=True)
class Demotion:
    """What demoting a file did."""

    submission_id: int
    organisation_id: str
    year: int
    superseded_id: int | None  # the older of it and the same respondent's active self-assessment


def demote_submission(store: Store, submission_id: int, actor: Actor) -> Demotion:
    """Make a flagged evaluator file the self-assessment it is; the assessment is re-scored and audited.

    Demoted, it may meet an active self-assessment of the same respondent: then, as with
    uploads, the newer of the two stays active and the older is superseded by it.
    """
    with store.read() as session:
        found = session.execute(
            select(Assessment.organisation_id)
            .join(SubmissionRecord)
            .where(SubmissionRecord.id == submission_id)
        ).scalar_one_or_none()
    if found is None:
        raise StoreError(Message(N_("There is no submission {submission}."), {"submission": submission_id}))
    access.require(actor, access.DEMOTE_SUBMISSION, found)
    with store.write() as session:
        lock_organisation(session, found)
        record = session.get(SubmissionRecord, submission_id)
        assert record is not None
        if not record.evaluator_unverified:
            raise StoreError(
                Message(
                    N_("Submission {submission} is not flagged as an unverified evaluator questionnaire."),
                    {"submission": submission_id},
                )
            )
        assessment = session.get(Assessment, record.assessment_id)
        assert assessment is not None
        record.respondent_role, record.evaluator_unverified = layout.ROLE_SELF, False
        superseded = _settle_twin(session, record) if record.status == ACTIVE else None
        session.flush()
        recompute_assessment(session, assessment)
        audit.record(
            session,
            actor,
            audit.SUBMISSION_DEMOTED,
            found,
            submission_id=record.id,
            year=assessment.year,
            uploaded_by=record.uploaded_by,
            superseded_id=superseded,
        )
        return Demotion(record.id, found, assessment.year, superseded)


def demote_all(store: Store, submission_ids: Iterable[int], actor: Actor) -> int:
    """Demote each of these flagged files; how many this call demoted.

    A file another admin demoted meanwhile (or that is gone) is skipped, not an error: the
    admin's intent, every listed file a self-assessment, holds either way.
    """
    demoted = 0
    for submission_id in submission_ids:
        try:
            demote_submission(store, int(submission_id), actor)
        except StoreError:
            continue
        demoted += 1
    return demoted


def _settle_twin(session, record: SubmissionRecord) -> int | None:
    """Keep one active file per respondent: the older of the demoted file and its twin is superseded."""
    key = respondent_key(record.respondent_name, record.respondent_role)
    twin = next(
        (
            other
            for other in session.scalars(
                select(SubmissionRecord).where(
                    SubmissionRecord.assessment_id == record.assessment_id,
                    SubmissionRecord.status == ACTIVE,
                    SubmissionRecord.id != record.id,
                )
            )
            if respondent_key(other.respondent_name, other.respondent_role) == key
        ),
        None,
    )
    if twin is None:
        return None
    older, newer = sorted((twin, record), key=lambda s: s.id)
    older.status, older.superseded_by, older.status_changed_at = SUPERSEDED, newer.id, utcnow()
    return older.id
