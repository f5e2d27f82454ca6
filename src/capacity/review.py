"""Evaluator review: what the Scorecards page shows beside `store.corrections.record_review`.

Recording a review is the store's (`record_review`: checked, audited, and the assessment
re-scored by the engine, where the active reviews count as one evaluator respondent).
Here are the two read sides the evaluator needs: the indicators to review, self-view
beside the evaluator's, flagged where they differ by a level or more (the engine's
flag), and the history of every review ever recorded, superseded ones included, so the
earlier verified level and who set it stay visible.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from capacity import access, dashboard
from capacity.access import Actor
from capacity.framework import Framework
from capacity.scoring.results import AssessmentResult
from capacity.store.db import Store
from capacity.store.models import Assessment, Review

HISTORY_COLUMNS = (
    "review_id",
    "year",
    "code",
    "level",
    "not_applicable",
    "justification",
    "reviewer",
    "created_at",
    "superseded_at",
    "active",
)
SHEET_COLUMNS = (
    "code",
    "dimension",
    "title",
    "self_level",
    "evaluator_level",
    "level",
    "not_applicable",
    "respondents",
    "self_evaluator_flag",
    "spread_flag",
    "evidence",
)


def review_sheet(result: AssessmentResult, framework: Framework, lang: str) -> pd.DataFrame:
    """Per indicator: the self-assessment (median), the evaluator's level, the level of record, the flags.

    The rows of the profile page's indicator table (`dashboard.indicator_table`), so the
    evaluator reviews exactly what the organisation and the board see.
    """
    table = dashboard.indicator_table(result, framework, lang)
    return table[list(SHEET_COLUMNS)]


def review_history(store: Store, actor: Actor, organisation_id: str, year: int | None = None) -> pd.DataFrame:
    """Every review of the organisation (of `year` only, when given), newest first, superseded ones too.

    The reviewers' levels and reasons are raw answers too, so this needs `DOWNLOAD_ORIGINAL`.
    """
    access.require(actor, access.DOWNLOAD_ORIGINAL, organisation_id)
    statement = (
        select(
            Review.id,
            Assessment.year,
            Review.code,
            Review.level,
            Review.not_applicable,
            Review.justification,
            Review.reviewer,
            Review.created_at,
            Review.superseded_at,
        )
        .join(Assessment, Assessment.id == Review.assessment_id)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(Review.created_at.desc(), Review.id.desc())
    )
    if year is not None:
        statement = statement.where(Assessment.year == year)
    with store.read() as session:
        rows = session.execute(statement).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(HISTORY_COLUMNS[:-1]))
    frame["level"] = frame["level"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    frame["active"] = frame["superseded_at"].isna()
    return frame
