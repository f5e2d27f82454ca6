"""The questionnaires an assessment is scored from today, for previews and pre-filled templates.

The upload page shows what a file WOULD produce once consolidated with the respondents
already stored, and offers a template pre-filled with last round's answers. Both need the
stored questionnaires exactly as the store hands them to the engine, so they are rebuilt
here with the store's own `rebuild_submissions` (never re-derived), each paired with the
file it came from. Nothing here writes or scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import Actor
from capacity.questionnaire.submission import Submission
from capacity.store.assessments import find_assessment, rebuild_submissions
from capacity.store.db import Store
from capacity.store.models import ACTIVE, Assessment, SubmissionRecord


@dataclass(frozen=True)
class StoredQuestionnaire:
    """One active stored questionnaire and the file it came from."""

    submission_id: int
    filename: str
    uploaded_at: dt.datetime
    uploaded_by: str
    submission: Submission


@dataclass(frozen=True)
class StoredRespondents:
    """Everything the engine scores an assessment from: the questionnaires, then the reviews."""

    questionnaires: tuple[StoredQuestionnaire, ...]  # active files, oldest first (the engine's order)
    reviews: tuple[Submission, ...]  # the active evaluator reviews as one respondent, or nothing


NO_RESPONDENTS = StoredRespondents((), ())


def _respondents(session: Session, assessment: Assessment) -> StoredRespondents:
    records = session.execute(
        select(
            SubmissionRecord.id,
            SubmissionRecord.filename,
            SubmissionRecord.uploaded_at,
            SubmissionRecord.uploaded_by,
        )
        .where(SubmissionRecord.assessment_id == assessment.id, SubmissionRecord.status == ACTIVE)
        .order_by(SubmissionRecord.id)
    ).all()
    rebuilt = rebuild_submissions(session, assessment)
    # rebuild_submissions lists the active files in id order, then the reviews (if any) as one.
    if len(rebuilt) < len(records):
        raise AssertionError("rebuild_submissions returned fewer questionnaires than active files")
    questionnaires = tuple(
        StoredQuestionnaire(record.id, record.filename, record.uploaded_at, record.uploaded_by, submission)
        for record, submission in zip(records, rebuilt, strict=False)
    )
    return StoredRespondents(questionnaires, tuple(rebuilt[len(records) :]))


def stored_respondents(store: Store, actor: Actor, organisation_id: str, year: int) -> StoredRespondents:
    """The respondents stored for one organisation and year (none if it was never assessed).

    Needs the right to upload for the organisation: it exists to preview an upload, and it
    returns other respondents' answers.
    """
    access.require(actor, access.UPLOAD, organisation_id)
    with store.read() as session:
        assessment = find_assessment(session, organisation_id, year)
        return NO_RESPONDENTS if assessment is None else _respondents(session, assessment)


def latest_round(store: Store, actor: Actor, organisation_id: str) -> StoredRespondents:
    """The respondents of the organisation's most recent year that still has an active file."""
    access.require(actor, access.UPLOAD, organisation_id)
    with store.read() as session:
        assessment = session.scalars(
            select(Assessment)
            .where(
                Assessment.organisation_id == organisation_id,
                select(SubmissionRecord.id)
                .where(SubmissionRecord.assessment_id == Assessment.id, SubmissionRecord.status == ACTIVE)
                .exists(),
            )
            .order_by(Assessment.year.desc())
            .limit(1)
        ).one_or_none()
        return NO_RESPONDENTS if assessment is None else _respondents(session, assessment)
