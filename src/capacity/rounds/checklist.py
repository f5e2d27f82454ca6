"""A manager's checklist for their organisation's year: what is still missing before submitting.

Read from the active questionnaires of the year: whether a self-assessment is stored,
the indicators no questionnaire answers (blank), and the indicators answered at level 1
or above without any evidence (a note or a link) in any questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from capacity import access
from capacity.access import Actor
from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.store.db import Store
from capacity.store.models import ACTIVE, Assessment, ResponseRecord, SubmissionRecord


@dataclass(frozen=True)
class Checklist:
    """What an organisation's year holds and lacks."""

    organisation_id: str
    year: int
    self_respondents: int
    evaluator_respondents: int
    blank: tuple[str, ...]  # indicator codes no active questionnaire answers
    without_evidence: tuple[str, ...]  # answered at level ≥ 1, no note nor link anywhere

    @property
    def complete(self) -> bool:
        """Nothing missing: a self-assessment, every indicator answered, evidence for every level."""
        return self.self_respondents > 0 and not self.blank and not self.without_evidence


def checklist(store: Store, actor: Actor, organisation_id: str, year: int) -> Checklist:
    """The checklist of `organisation_id` for `year` (whoever may see its round state may see it)."""
    access.require(actor, access.VIEW_ROUNDS, organisation_id)
    codes = [indicator.code for indicator in current_framework().indicators]
    with store.read() as session:
        roles = list(
            session.scalars(
                select(SubmissionRecord.respondent_role)
                .join(Assessment, Assessment.id == SubmissionRecord.assessment_id)
                .where(
                    Assessment.organisation_id == organisation_id,
                    Assessment.year == year,
                    SubmissionRecord.status == ACTIVE,
                )
            )
        )
        answers = session.execute(
            select(
                ResponseRecord.code,
                ResponseRecord.level,
                ResponseRecord.not_applicable,
                ResponseRecord.evidence,
                ResponseRecord.evidence_link,
            )
            .join(SubmissionRecord, SubmissionRecord.id == ResponseRecord.submission_id)
            .join(Assessment, Assessment.id == SubmissionRecord.assessment_id)
            .where(
                Assessment.organisation_id == organisation_id,
                Assessment.year == year,
                SubmissionRecord.status == ACTIVE,
            )
        ).all()
    answered: set[str] = set()
    needs_evidence: set[str] = set()
    has_evidence: set[str] = set()
    for code, level, not_applicable, evidence, link in answers:
        if not_applicable or level is not None:
            answered.add(code)
        if level is not None and level >= 1:
            needs_evidence.add(code)
        if (evidence or "").strip() or (link or "").strip():
            has_evidence.add(code)
    return Checklist(
        organisation_id=organisation_id,
        year=year,
        self_respondents=roles.count(ROLE_SELF),
        evaluator_respondents=roles.count(ROLE_EVALUATOR),
        blank=tuple(code for code in codes if code not in answered),
        without_evidence=tuple(code for code in codes if code in needs_evidence - has_evidence),
    )
