"""Who gave the evidence: every counted questionnaire's uploader, and every review, for the dataset.

With these two tables beside the answers, the official levels can be reproduced from an
export alone (docs/METHOD.md, step 1): the active questionnaires with the role of record
and the account that vouched for it, and the evaluator's reviews with their reasons, the
ones still in force having no `superseded_at`.

Both are raw evidence, like the answers (`queries.responses`) and the review history: they
need the raw-answer permission (`access.DOWNLOAD_ORIGINAL`), so a board member, who reads
scores but takes no raw answers away, gets AccessDenied; a manager gets their own.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from capacity import access
from capacity.access import Actor
from capacity.store.db import Store
from capacity.store.models import ACTIVE, Assessment, Review, SubmissionRecord
from capacity.store.queries import frame_of, only_visible


def submission_provenance(store: Store, actor: Actor) -> pd.DataFrame:
    """One row per active questionnaire: its respondent role of record and who uploaded it, as what."""
    access.require(actor, access.DOWNLOAD_ORIGINAL)
    s, a = SubmissionRecord, Assessment
    statement = (
        select(
            a.organisation_id,
            a.year,
            s.id.label("submission_id"),
            s.respondent_role,
            s.uploaded_by,
            s.uploader_role,
            s.uploaded_at,
            s.evaluator_unverified,
        )
        .join(a, a.id == s.assessment_id)
        .where(s.status == ACTIVE)
        .order_by(a.organisation_id, a.year, s.id)
    )
    with store.read() as session:
        return frame_of(session, only_visible(statement, a.organisation_id, actor, access.DOWNLOAD_ORIGINAL))


def reviews(store: Store, actor: Actor) -> pd.DataFrame:
    """Every review ever recorded (superseded ones too, with when), oldest first."""
    access.require(actor, access.DOWNLOAD_ORIGINAL)
    r, a = Review, Assessment
    statement = (
        select(
            a.organisation_id,
            a.year,
            r.id.label("review_id"),
            r.code,
            r.level,
            r.not_applicable,
            r.justification.label("reason"),
            r.reviewer,
            r.created_at,
            r.superseded_at,
        )
        .join(a, a.id == r.assessment_id)
        .order_by(a.organisation_id, a.year, r.id)
    )
    with store.read() as session:
        return frame_of(session, only_visible(statement, a.organisation_id, actor, access.DOWNLOAD_ORIGINAL))
