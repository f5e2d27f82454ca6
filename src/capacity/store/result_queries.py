"""The engine's stored results with their versions and review state, for readers outside the pages (the API).

Rows are what the actor may see on the dashboards (`access.VIEW_DASHBOARD`); asking for
one organisation checks `access.VIEW_PROFILE` for it first, as the profile page does. The
results are the engine's own objects (`AssessmentResult`), so they serialise exactly as
`score --json` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from capacity import access
from capacity.access import Actor
from capacity.scoring.results import AssessmentResult
from capacity.store.assessments import result_from_json
from capacity.store.db import Store
from capacity.store.models import AssessmentResultRecord, Organisation, Review
from capacity.store.queries import only_visible


@dataclass(frozen=True)
class StoredResult:
    """One stored assessment's result, the versions it was computed with, and its evaluator review state."""

    result: AssessmentResult
    framework_version: str
    roadmap_version: str
    computed_at: dt.datetime
    reviewed_indicators: int  # indicators with an evaluator's verified level in force
    last_reviewed_at: dt.datetime | None


def organisation_exists(store: Store, organisation_id: str) -> bool:
    """Whether any questionnaire of `organisation_id` was ever stored (ask only after the access check)."""
    with store.read() as session:
        return session.get(Organisation, organisation_id) is not None


def stored_results(
    store: Store,
    actor: Actor,
    years: Iterable[int] | None = None,
    organisation_id: str | None = None,
) -> list[StoredResult]:
    """Every stored result the actor may see (of one organisation, of some years), ordered by both."""
    access.require(actor, access.VIEW_DASHBOARD)
    if organisation_id is not None:
        access.require(actor, access.VIEW_PROFILE, organisation_id)
    r = AssessmentResultRecord
    reviews = (
        select(
            Review.assessment_id,
            func.count().label("reviewed"),
            func.max(Review.created_at).label("last_reviewed_at"),
        )
        .where(Review.superseded_at.is_(None))
        .group_by(Review.assessment_id)
        .subquery("active_reviews")
    )
    statement = (
        select(
            r.result,
            r.framework_version,
            r.roadmap_version,
            r.computed_at,
            func.coalesce(reviews.c.reviewed, 0),
            reviews.c.last_reviewed_at,
        )
        .outerjoin(reviews, reviews.c.assessment_id == r.assessment_id)
        .order_by(r.organisation_id, r.year)
    )
    if organisation_id is not None:
        statement = statement.where(r.organisation_id == organisation_id)
    if years is not None:
        statement = statement.where(r.year.in_(list(years)))
    statement = only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD)
    with store.read() as session:
        rows = session.execute(statement).all()
    return [
        StoredResult(
            result_from_json(data),
            framework_version,
            roadmap_version,
            computed_at,
            int(reviewed),
            last_reviewed,
        )
        for data, framework_version, roadmap_version, computed_at, reviewed, last_reviewed in rows
    ]
