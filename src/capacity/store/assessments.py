"""An assessment's evidence and its derived result, kept consistent inside one transaction.

Every change to an assessment's evidence (a new file, a restore, a deletion, a review)
ends with `recompute_assessment`, which rebuilds the respondents' questionnaires from the
responses table, hands them to the scoring engine and stores exactly what it returned.
The store never computes a score itself. Questionnaires are scored with the framework
version they answered and the roadmap version active in the database (see
`version_records`), so activating a new version never strands stored answers.

Writers of one organisation are serialised by `lock_organisation` (a row lock on
PostgreSQL; on SQLite the write transaction already holds the database's write lock), so
concurrent uploads for the same organisation never both think they are the first.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from capacity.framework import Framework
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer, Submission
from capacity.scoring import score_assessment
from capacity.scoring.results import (
    Agreement,
    AssessmentResult,
    DimensionResult,
    IndexResult,
    IndicatorResult,
    RoadmapPosition,
)
from capacity.store.models import (
    ACTIVE,
    Assessment,
    AssessmentResultRecord,
    DimensionResultRecord,
    IndicatorResultRecord,
    Organisation,
    ResponseRecord,
    Review,
    SubmissionRecord,
    utcnow,
)
from capacity.store.version_records import active_roadmap, framework_for, hold_versions


def insert_ignoring_conflicts(session: Session, model: type, values: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT DO NOTHING, so two writers creating the same row never collide."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(model).values(**values).on_conflict_do_nothing())


def lock_organisation(session: Session, organisation_id: str) -> Organisation | None:
    """The organisation's row, locked until the transaction ends (None if it does not exist)."""
    return session.scalars(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    ).one_or_none()


def find_assessment(session: Session, organisation_id: str, year: int) -> Assessment | None:
    return session.scalars(
        select(Assessment).where(Assessment.organisation_id == organisation_id, Assessment.year == year)
    ).one_or_none()


def get_or_create_assessment(session: Session, organisation_id: str, year: int) -> Assessment:
    insert_ignoring_conflicts(
        session, Assessment, {"organisation_id": organisation_id, "year": year, "created_at": utcnow()}
    )
    found = find_assessment(session, organisation_id, year)
    assert found is not None
    return found


def respondent_key(name: str, role: str) -> tuple[str, str]:
    """Who answered, for deciding what a new file supersedes: case and spacing do not count."""
    return " ".join(name.split()).casefold(), role


def active_submission_of(
    session: Session, assessment_id: int, key: tuple[str, str]
) -> SubmissionRecord | None:
    """The active submission of one respondent (there is never more than one)."""
    candidates = session.scalars(
        select(SubmissionRecord).where(
            SubmissionRecord.assessment_id == assessment_id, SubmissionRecord.status == ACTIVE
        )
    )
    return next((s for s in candidates if respondent_key(s.respondent_name, s.respondent_role) == key), None)


def rebuild_submissions(session: Session, assessment: Assessment) -> list[Submission]:
    """The assessment's active questionnaires as the engine's input, plus the reviews as one evaluator.

    The active reviews count as one extra evaluator respondent: that is how a verified
    level enters the consolidation. Reviews alone do not make an assessment, so an
    assessment without active submissions has no respondents at all.
    """
    records = session.scalars(
        select(SubmissionRecord)
        .where(SubmissionRecord.assessment_id == assessment.id, SubmissionRecord.status == ACTIVE)
        .order_by(SubmissionRecord.id)
    ).all()
    if not records:
        return []
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    rows = session.scalars(
        select(ResponseRecord)
        .where(ResponseRecord.submission_id.in_([r.id for r in records]))
        .order_by(ResponseRecord.id)
    )
    for row in rows:
        answers[row.submission_id][row.code] = Answer(
            code=row.code,
            level=row.level,
            not_applicable=row.not_applicable,
            evidence=row.evidence,
            evidence_link=row.evidence_link,
        )
    submissions = [
        Submission(
            framework_id=r.framework_id,
            framework_version=r.framework_version,
            organisation_id=assessment.organisation_id,
            organisation_name=r.organisation_name,
            year=assessment.year,
            respondent_role=r.respondent_role,
            answers=answers[r.id],
            organisation_type=r.organisation_type,
            country=r.country,
            region=r.region,
            respondent_name=r.respondent_name,
            date_completed=r.date_completed,
            language=r.language,
            template_version=r.template_version,
            notes=tuple(r.notes),
        )
        for r in records
    ]
    reviews = session.scalars(
        select(Review)
        .where(Review.assessment_id == assessment.id, Review.superseded_at.is_(None))
        .order_by(Review.id)
    ).all()
    if reviews:
        framework = framework_for(session, records[-1].framework_id, records[-1].framework_version)
        order = {ind.code: pos for pos, ind in enumerate(framework.indicators)}
        latest = submissions[-1]
        submissions.append(
            Submission(
                framework_id=framework.id,
                framework_version=framework.version,
                organisation_id=assessment.organisation_id,
                organisation_name=latest.organisation_name,
                year=assessment.year,
                respondent_role=ROLE_EVALUATOR,
                respondent_name=", ".join(sorted({r.reviewer for r in reviews})),
                answers={
                    r.code: Answer(
                        code=r.code, level=r.level, not_applicable=r.not_applicable, evidence=r.justification
                    )
                    for r in sorted(reviews, key=lambda r: order.get(r.code, len(order)))
                },
                organisation_type=latest.organisation_type,
                country=latest.country,
                region=latest.region,
            )
        )
    return submissions


def _finite(value: Any) -> Any:
    """Plain JSON data: dataclasses become dicts, and NaN or infinity null (PostgreSQL refuses them).

    Written out rather than `dataclasses.asdict`, which deep-copies every value and made
    this the slowest step of storing a file.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value):
        return {f.name: _finite(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def result_to_json(result: AssessmentResult) -> dict[str, Any]:
    return _finite(result)


def result_from_json(data: dict[str, Any]) -> AssessmentResult:
    """The engine's result as it was stored (the inverse of `result_to_json`)."""
    dimensions = {
        code: DimensionResult(**{**d, "roadmap": RoadmapPosition(**d["roadmap"])})
        for code, d in data["dimensions"].items()
    }
    indicators = {
        code: IndicatorResult(
            **{**i, "evidence": tuple(i["evidence"]), "evidence_links": tuple(i["evidence_links"])}
        )
        for code, i in data["indicators"].items()
    }
    index = IndexResult(**{**data["index"], "roadmap": RoadmapPosition(**data["index"]["roadmap"])})
    return AssessmentResult(
        **{
            **data,
            "index": index,
            "dimensions": dimensions,
            "indicators": indicators,
            "agreement": Agreement(**data["agreement"]),
        }
    )


def _position_columns(position: RoadmapPosition, prefix: str = "") -> dict[str, Any]:
    return {
        f"{prefix}expected": _finite(position.expected),
        f"{prefix}gap": _finite(position.gap),
        f"{prefix}gap_2023": _finite(position.gap_2023),
        f"{prefix}gap_2053": _finite(position.gap_2053),
        f"{prefix}status": position.status,
    }


def _store_result(
    session: Session, assessment: Assessment, result: AssessmentResult, framework: Framework
) -> None:
    session.execute(
        insert(AssessmentResultRecord),
        [
            {
                "assessment_id": assessment.id,
                "organisation_id": assessment.organisation_id,
                "year": assessment.year,
                "computed_at": utcnow(),
                "framework_id": result.framework_id,
                "framework_version": result.framework_version,
                "roadmap_version": result.roadmap_version,
                "respondents": result.respondents,
                "index_score": _finite(result.index.score),
                "index_label": result.index.label,
                **_position_columns(result.index.roadmap, "index_"),
                "alpha_ordinal": _finite(result.agreement.alpha_ordinal),
                "alpha_interval": _finite(result.agreement.alpha_interval),
                "agreement_coders": result.agreement.coders,
                "result": result_to_json(result),
            }
        ],
    )
    session.execute(
        insert(DimensionResultRecord),
        [
            {
                "assessment_id": assessment.id,
                "dimension": code,
                "score": _finite(d.score),
                "coverage": _finite(d.coverage),
                "not_applicable": d.not_applicable,
                "insufficient_data": d.insufficient_data,
                "label": d.label,
                "floor_level": _finite(d.floor_level),
                **_position_columns(d.roadmap),
            }
            for code, d in result.dimensions.items()
        ],
    )
    session.execute(
        insert(IndicatorResultRecord),
        [
            {
                "assessment_id": assessment.id,
                "code": code,
                "dimension": framework.indicator(code).dimension,
                "level": _finite(i.level),
                "score": _finite(i.score),
                "not_applicable": i.not_applicable,
                "respondents": i.respondents,
                "self_level": _finite(i.self_level),
                "evaluator_level": _finite(i.evaluator_level),
                "spread": _finite(i.spread),
                "spread_flag": i.spread_flag,
                "self_evaluator_flag": i.self_evaluator_flag,
            }
            for code, i in result.indicators.items()
        ],
    )


def recompute_assessment(session: Session, assessment: Assessment) -> AssessmentResult | None:
    """Replace the assessment's derived rows with the engine's result for its current evidence.

    The framework is the one the newest questionnaire answered (the engine refuses a mix of
    versions); the roadmap is the one active in the database.
    """
    hold_versions(session, exclusive=False)
    for model in (IndicatorResultRecord, DimensionResultRecord, AssessmentResultRecord):
        session.execute(delete(model).where(model.assessment_id == assessment.id))
    submissions = rebuild_submissions(session, assessment)
    if not submissions:
        return None
    newest = submissions[-1]
    framework = framework_for(session, newest.framework_id, newest.framework_version)
    result = score_assessment(submissions, framework=framework, roadmap=active_roadmap(session))
    _store_result(session, assessment, result, framework)
    return result
