"""Corrections after the fact: restoring an earlier file, deleting one, and evaluator reviews.

None of these erases history by accident. Restoring makes an older file of a respondent
active again (the file it replaces becomes superseded, itself restorable); deleting is an
explicit admin action that hides a file from scoring but keeps its bytes, unless the admin
asks to purge it (e.g. personal data that must go); a review records an evaluator's
verified level and supersedes, never overwrites, the previous review of that indicator.
Each action recomputes the assessment through the engine and is audited, all in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update

from capacity import access
from capacity.access import Actor
from capacity.framework import LEVELS, current_framework
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.assessments import (
    active_submission_of,
    find_assessment,
    lock_organisation,
    recompute_assessment,
    respondent_key,
)
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import (
    ACTIVE,
    DELETED,
    SUPERSEDED,
    Assessment,
    ResponseRecord,
    Review,
    SubmissionRecord,
    utcnow,
)


@dataclass(frozen=True)
class StatusChange:
    """What a restore or delete did."""

    submission_id: int
    organisation_id: str
    year: int
    status: str  # the submission's new status
    superseded_id: int | None = None  # the submission a restore replaced


def _submission_and_assessment(session, submission_id: int) -> tuple[SubmissionRecord, Assessment]:
    found = session.execute(
        select(SubmissionRecord, Assessment)
        .join(Assessment, Assessment.id == SubmissionRecord.assessment_id)
        .where(SubmissionRecord.id == submission_id)
    ).one_or_none()
    if found is None:
        raise StoreError(Message(N_("There is no submission {submission}."), {"submission": submission_id}))
    return found[0], found[1]


def _organisation_of(store: Store, submission_id: int) -> str:
    """The submission's organisation, read before the permission check and the write."""
    with store.read() as session:
        return _submission_and_assessment(session, submission_id)[1].organisation_id


def restore_submission(store: Store, submission_id: int, actor: Actor) -> StatusChange:
    """Make a superseded or deleted file active again; the respondent's current file is superseded by it."""
    organisation_id = _organisation_of(store, submission_id)
    access.require(actor, access.RESTORE_SUBMISSION, organisation_id)
    with store.write() as session:
        lock_organisation(session, organisation_id)
        record, assessment = _submission_and_assessment(session, submission_id)
        if record.status == ACTIVE:
            raise StoreError(
                Message(N_("Submission {submission} is already active."), {"submission": submission_id})
            )
        now = utcnow()
        current = active_submission_of(
            session, assessment.id, respondent_key(record.respondent_name, record.respondent_role)
        )
        previous_status = record.status
        record.status, record.superseded_by, record.status_changed_at = ACTIVE, None, now
        if current is not None:
            current.status, current.superseded_by, current.status_changed_at = SUPERSEDED, record.id, now
        session.flush()
        recompute_assessment(session, assessment)
        audit.record(
            session,
            actor,
            audit.SUBMISSION_RESTORED,
            organisation_id,
            submission_id=record.id,
            year=assessment.year,
            previous_status=previous_status,
            superseded_id=current.id if current else None,
        )
        return StatusChange(
            record.id, organisation_id, assessment.year, ACTIVE, current.id if current else None
        )


def delete_submission(
    store: Store, submission_id: int, actor: Actor, reason: str = "", purge: bool = False
) -> StatusChange:
    """Take a file out of scoring (explicit admin action); with `purge`, erase its bytes and answers too.

    A purge keeps only the audit entry (file name and sha256) as proof the file existed.
    """
    organisation_id = _organisation_of(store, submission_id)
    access.require(actor, access.DELETE_SUBMISSION, organisation_id)
    with store.write() as session:
        lock_organisation(session, organisation_id)
        record, assessment = _submission_and_assessment(session, submission_id)
        detail = {
            "submission_id": record.id,
            "year": assessment.year,
            "filename": record.filename,
            "sha256": record.sha256,
            "previous_status": record.status,
            "reason": reason,
        }
        if purge:
            session.execute(
                update(SubmissionRecord)
                .where(SubmissionRecord.superseded_by == record.id)
                .values(superseded_by=None)
            )
            session.execute(delete(ResponseRecord).where(ResponseRecord.submission_id == record.id))
            session.delete(record)
        else:
            if record.status == DELETED:
                raise StoreError(
                    Message(N_("Submission {submission} is already deleted."), {"submission": submission_id})
                )
            record.status, record.status_changed_at = DELETED, utcnow()
        session.flush()
        recompute_assessment(session, assessment)
        audit.record(
            session,
            actor,
            audit.SUBMISSION_PURGED if purge else audit.SUBMISSION_DELETED,
            organisation_id,
            **detail,
        )
        return StatusChange(submission_id, organisation_id, assessment.year, DELETED)


def record_review(
    store: Store,
    organisation_id: str,
    year: int,
    code: str,
    level: int | None,
    justification: str,
    actor: Actor,
    not_applicable: bool = False,
) -> int:
    """Record an evaluator's verified level (or N/A) for one indicator; returns the review's id.

    The previous review of the indicator is marked superseded, not changed, so the record
    shows who verified what and when.
    """
    access.require(actor, access.REVIEW, organisation_id)
    if not_applicable == (level is not None) or (level is not None and level not in LEVELS):
        raise StoreError(Message(N_("A review gives either a level from 0 to 5 or N/A."), {}))
    if code not in {ind.code for ind in current_framework().indicators}:
        raise StoreError(Message(N_("There is no indicator {code} in the framework."), {"code": code}))
    if not justification.strip():
        raise StoreError(Message(N_("A review needs a justification."), {}))
    with store.write() as session:
        lock_organisation(session, organisation_id)
        assessment = find_assessment(session, organisation_id, year)
        if assessment is None:
            raise StoreError(
                Message(
                    N_("There is no assessment of {organisation} for {year}."),
                    {"organisation": organisation_id, "year": year},
                )
            )
        now = utcnow()
        session.execute(
            update(Review)
            .where(Review.assessment_id == assessment.id, Review.code == code, Review.superseded_at.is_(None))
            .values(superseded_at=now)
        )
        review = Review(
            assessment_id=assessment.id,
            code=code,
            level=level,
            not_applicable=not_applicable,
            justification=justification.strip(),
            reviewer=actor.username,
            created_at=now,
        )
        session.add(review)
        session.flush()
        recompute_assessment(session, assessment)
        audit.record(
            session,
            actor,
            audit.REVIEW_RECORDED,
            organisation_id,
            year=year,
            code=code,
            level=level,
            not_applicable=not_applicable,
            review_id=review.id,
        )
        return review.id
