"""Evaluator review: what the Scorecards page shows beside `store.corrections.record_review`.

Recording a review is the store's (`record_review`: checked, audited, and the assessment
re-scored by the engine, where the active reviews count as one evaluator respondent).
Here are the two read sides the evaluator needs: the indicators to review, self-view
beside the evaluator's, flagged where they differ by a level or more (the engine's
flag), and the history of every review ever recorded, superseded ones included, so the
earlier verified level and who set it stay visible.
"""

from __future__ import annotations

import math

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
    "reviewed",
    "reviewed_level",
    "reviewed_not_applicable",
    "reviewed_by",
    "reviewed_at",
)
NOT_APPLICABLE = "na"  # the Verified level choice that means N/A


def review_sheet(
    result: AssessmentResult, framework: Framework, lang: str, history: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per indicator: the self-assessment (median), the evaluator's level, the level of record, the flags,
    every evidence note in full (one line per note, links after), and the review in force, if any.

    The rows of the profile page's indicator table (`dashboard.indicator_table`), so the
    evaluator reviews exactly what the organisation and the board see; `history` is
    `review_history` of the same assessment, whose active reviews mark their indicators.
    """
    table = dashboard.indicator_table(result, framework, lang)
    table["evidence"] = [
        "\n".join((*result.indicators[code].evidence, *result.indicators[code].evidence_links))
        for code in table["code"]
    ]
    active = history[history["active"]] if history is not None and not history.empty else None
    in_force = {} if active is None else {row.code: row for row in active.itertuples(index=False)}
    table["reviewed"] = [code in in_force for code in table["code"]]
    table["reviewed_level"] = pd.array(
        [in_force[code].level if code in in_force else pd.NA for code in table["code"]], dtype="Int64"
    )
    table["reviewed_not_applicable"] = [
        bool(in_force[code].not_applicable) if code in in_force else False for code in table["code"]
    ]
    codes = list(table["code"])
    table["reviewed_by"] = [in_force[code].reviewer if code in in_force else "" for code in codes]
    table["reviewed_at"] = [in_force[code].created_at if code in in_force else pd.NaT for code in codes]
    return table[list(SHEET_COLUMNS)]


def starting_choice(level: float | None, not_applicable: bool) -> str | None:
    """Where the Verified level starts: the level of record (a median between two levels starts at the
    lower one, which the organisation has certainly reached), N/A, or no choice when unanswered."""
    if not_applicable:
        return NOT_APPLICABLE
    if level is None or pd.isna(level):
        return None
    return str(math.floor(float(level)))


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
