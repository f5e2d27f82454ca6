"""Portfolio queries the board dashboards need beyond `queries`: milestone gaps, evidence, results of a round.

Like `queries`, each is one SQL statement over the stored results (no per-row Python)
and filters rows to what the actor may see; nothing here computes a score or a gap.
`data_version` is the cache key of the pages: it changes with every stored change, so a
new upload shows at once while unchanged data is never read twice.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, exists, func, or_, select

from capacity import access
from capacity.access import Actor
from capacity.scoring.results import AssessmentResult
from capacity.store.assessments import result_from_json
from capacity.store.db import Store
from capacity.store.models import (
    ACTIVE,
    AssessmentResultRecord,
    AuditEntry,
    DimensionResultRecord,
    IndicatorResultRecord,
    ResponseRecord,
    Review,
    SubmissionRecord,
)
from capacity.store.queries import frame_of, only_visible


def data_version(store: Store) -> str:
    """A token that changes whenever stored evidence or results change.

    Every store action writes an audit entry in its own transaction and every change of
    evidence recomputes results, so the newest audit id, the number of results and the
    newest computation time together change on any upload, restore, deletion or review.
    It reveals no data, so it needs no actor: it is only a cache key.
    """
    with store.read() as session:
        audit_id, results, computed = session.execute(
            select(
                select(func.max(AuditEntry.id)).scalar_subquery(),
                select(func.count()).select_from(AssessmentResultRecord).scalar_subquery(),
                select(func.max(AssessmentResultRecord.computed_at)).scalar_subquery(),
            )
        ).one()
    return f"{audit_id or 0}:{results}:{computed or ''}"


def dimension_positions(store: Store, actor: Actor) -> pd.DataFrame:
    """Each scored assessment × dimension with its roadmap position (expected, gaps, status), long form.

    `queries.portfolio` carries each dimension's score, status and gap; the milestone
    gaps (to 2023 and 2053) and the expectation are here, for the roadmap page.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r, d = AssessmentResultRecord, DimensionResultRecord
    statement = (
        select(
            r.organisation_id,
            r.year,
            d.dimension,
            d.score,
            d.expected,
            d.gap,
            d.gap_2023,
            d.gap_2053,
            d.status,
        )
        .join(d, d.assessment_id == r.assessment_id)
        .order_by(r.organisation_id, r.year, d.dimension)
    )
    with store.read() as session:
        return frame_of(session, only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD))


def evidence_coverage(store: Store, actor: Actor) -> pd.DataFrame:
    """Per scored assessment: indicators with a level (`answered`) and how many of them carry evidence.

    An indicator counts as backed by evidence when any active questionnaire of the
    assessment, or an active evaluator review, wrote a note for it: the same notes the
    engine gathers into `IndicatorResult.evidence`.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r, i, s, resp = AssessmentResultRecord, IndicatorResultRecord, SubmissionRecord, ResponseRecord
    noted = or_(
        exists().where(
            s.assessment_id == i.assessment_id,
            s.status == ACTIVE,
            resp.submission_id == s.id,
            resp.code == i.code,
            func.trim(resp.evidence) != "",
        ),
        exists().where(
            Review.assessment_id == i.assessment_id,
            Review.code == i.code,
            Review.superseded_at.is_(None),
            func.trim(Review.justification) != "",
        ),
    )
    statement = (
        select(
            r.organisation_id,
            r.year,
            func.count().label("answered"),
            func.sum(case((noted, 1), else_=0)).label("evidenced"),
        )
        .select_from(i)
        .join(r, r.assessment_id == i.assessment_id)
        .where(i.level.is_not(None))
        .group_by(r.organisation_id, r.year)
        .order_by(r.organisation_id, r.year)
    )
    with store.read() as session:
        frame = frame_of(session, only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD))
    return frame.astype({"answered": "int64", "evidenced": "int64"})


def round_results(store: Store, actor: Actor, year: int) -> list[AssessmentResult]:
    """The engine's stored results of every organisation assessed in `year`, by organisation id.

    For the peer statistics that need whole results (weight sensitivity, Cronbach's
    alpha): these are computed over stored results, never by re-scoring answers.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r = AssessmentResultRecord
    statement = select(r.result).where(r.year == year).order_by(r.organisation_id)
    with store.read() as session:
        stored = session.scalars(only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD))
        return [result_from_json(data) for data in stored]
