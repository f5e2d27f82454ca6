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
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
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
    """The assessment, created if missing.

    Looked up first so that only a new assessment draws an id: on PostgreSQL an INSERT that
    hits the conflict still consumes a sequence value, which would make ids depend on how
    many files an assessment received rather than on the order assessments appeared.
    """
    found = find_assessment(session, organisation_id, year)
    if found is not None:
        return found
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


class AssessmentKey(Protocol):
    """What scoring needs to know of an assessment (an `Assessment` row, or its values alone)."""

    @property
    def id(self) -> int: ...

    @property
    def organisation_id(self) -> str: ...

    @property
    def year(self) -> int: ...


_SUBMISSION_COLUMNS = (
    SubmissionRecord.id,
    SubmissionRecord.assessment_id,
    SubmissionRecord.framework_id,
    SubmissionRecord.framework_version,
    SubmissionRecord.organisation_name,
    SubmissionRecord.respondent_role,
    SubmissionRecord.organisation_type,
    SubmissionRecord.country,
    SubmissionRecord.region,
    SubmissionRecord.respondent_name,
    SubmissionRecord.date_completed,
    SubmissionRecord.language,
    SubmissionRecord.template_version,
    SubmissionRecord.notes,
)
_RESPONSE_COLUMNS = (
    ResponseRecord.submission_id,
    ResponseRecord.code,
    ResponseRecord.level,
    ResponseRecord.not_applicable,
    ResponseRecord.evidence,
    ResponseRecord.evidence_link,
)


def rebuild_submissions(session: Session, assessment: AssessmentKey) -> list[Submission]:
    """The assessment's active questionnaires as the engine's input, plus the reviews as one evaluator.

    The active reviews count as one extra evaluator respondent: that is how a verified
    level enters the consolidation. Reviews alone do not make an assessment, so an
    assessment without active submissions has no respondents at all.
    """
    return rebuild_many(session, [assessment])[assessment.id]


def rebuild_many(session: Session, assessments: Sequence[AssessmentKey]) -> dict[int, list[Submission]]:
    """`rebuild_submissions` for many assessments in three queries (plain rows, no ORM objects).

    A batch of uploads re-scores dozens of assessments at once; loading them together
    instead of three queries each is most of what makes batch ingestion cheaper.
    """
    by_id = {a.id: a for a in assessments}
    records: dict[int, list[Any]] = {a.id: [] for a in assessments}
    if not by_id:
        return {}
    for row in session.execute(
        select(*_SUBMISSION_COLUMNS)
        .where(SubmissionRecord.assessment_id.in_(by_id), SubmissionRecord.status == ACTIVE)
        .order_by(SubmissionRecord.id)
    ):
        records[row.assessment_id].append(row)
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    submission_ids = [r.id for rows in records.values() for r in rows]
    if submission_ids:
        for row in session.execute(
            select(*_RESPONSE_COLUMNS)
            .where(ResponseRecord.submission_id.in_(submission_ids))
            .order_by(ResponseRecord.id)
        ):
            answers[row.submission_id][row.code] = Answer(
                code=row.code,
                level=row.level,
                not_applicable=row.not_applicable,
                evidence=row.evidence,
                evidence_link=row.evidence_link,
            )
    reviews: dict[int, list[Review]] = defaultdict(list)
    scored = [assessment_id for assessment_id, rows in records.items() if rows]
    if scored:
        for review in session.scalars(
            select(Review)
            .where(Review.assessment_id.in_(scored), Review.superseded_at.is_(None))
            .order_by(Review.id)
        ):
            reviews[review.assessment_id].append(review)
    rebuilt = {}
    for assessment_id, rows in records.items():
        assessment = by_id[assessment_id]
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
            for r in rows
        ]
        if submissions and reviews[assessment_id]:
            evaluator = _reviews_as_evaluator(session, assessment, submissions, reviews[assessment_id])
            submissions.append(evaluator)
        rebuilt[assessment_id] = submissions
    return rebuilt


def _reviews_as_evaluator(
    session: Session, assessment: AssessmentKey, submissions: list[Submission], reviews: list[Review]
) -> Submission:
    """The active reviews as one evaluator's questionnaire, answering the newest file's framework."""
    latest = submissions[-1]
    framework = framework_for(session, latest.framework_id, latest.framework_version)
    order = {ind.code: pos for pos, ind in enumerate(framework.indicators)}
    return Submission(
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


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # each result dataclass's field names, looked up once


def _finite(value: Any) -> Any:
    """Plain JSON data: dataclasses become dicts, and NaN or infinity null (PostgreSQL refuses them).

    Written out rather than `dataclasses.asdict`, which deep-copies every value and made
    this the slowest step of storing a file. A result holds ~70 dataclasses and ~800
    values, so the field names of each dataclass are looked up once and plain values are
    handled in the loop rather than by a call each.
    """
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is tuple or kind is list:  # mostly evidence texts
        return [v if type(v) is str else _finite(v) for v in value]
    if kind is dict:
        return {k: _finite(v) for k, v in value.items()}
    names = _FIELD_NAMES.get(kind)
    if names is None and not isinstance(value, type) and dataclasses.is_dataclass(value):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        fields = {}
        for name in names:
            item = getattr(value, name)
            plain = type(item)
            if plain is float:
                fields[name] = item if math.isfinite(item) else None
            elif plain is str or plain is int or plain is bool or item is None:
                fields[name] = item
            else:
                fields[name] = _finite(item)
        return fields
    if isinstance(value, float):
        return value if math.isfinite(value) else None
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


def _result_rows(
    assessment: AssessmentKey, result: AssessmentResult, framework: Framework, now: dt.datetime
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the three result tables for one assessment."""
    summary = {
        "assessment_id": assessment.id,
        "organisation_id": assessment.organisation_id,
        "year": assessment.year,
        "computed_at": now,
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
    dimensions = [
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
    ]
    indicators = [
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
    ]
    return summary, dimensions, indicators


def recompute_assessment(session: Session, assessment: AssessmentKey) -> AssessmentResult | None:
    """Replace the assessment's derived rows with the engine's result for its current evidence.

    The framework is the one the newest questionnaire answered (the engine refuses a mix of
    versions); the roadmap is the one active in the database.
    """
    return recompute_assessments(session, [assessment])[assessment.id]


def recompute_assessments(
    session: Session,
    assessments: Sequence[AssessmentKey],
    known: Mapping[int, list[Submission] | None] | None = None,
) -> dict[int, AssessmentResult | None]:
    """`recompute_assessment` for many assessments with a fixed number of statements.

    Each is scored exactly as alone (its own evidence, framework and the active roadmap);
    only the loading, deleting and inserting are shared, which is what a batch of uploads
    saves. `known` may give some assessments' evidence exactly as `rebuild_submissions`
    would return it (a caller that has just stored it), so it is not read back. Raises
    ScoringInputError if any of them cannot be scored.
    """
    if not assessments:
        return {}
    hold_versions(session, exclusive=False)
    ids = [a.id for a in assessments]
    for model in (IndicatorResultRecord, DimensionResultRecord, AssessmentResultRecord):
        session.execute(delete(model).where(model.assessment_id.in_(ids)))
    given = {key: value for key, value in (known or {}).items() if value is not None}
    rebuilt = {**rebuild_many(session, [a for a in assessments if a.id not in given]), **given}
    roadmap = active_roadmap(session)
    now = utcnow()
    results: dict[int, AssessmentResult | None] = {}
    summaries, dimensions, indicators = [], [], []
    for assessment in assessments:
        submissions = rebuilt[assessment.id]
        if not submissions:
            results[assessment.id] = None
            continue
        newest = submissions[-1]
        framework = framework_for(session, newest.framework_id, newest.framework_version)
        result = score_assessment(submissions, framework=framework, roadmap=roadmap)
        summary, dimension_rows, indicator_rows = _result_rows(assessment, result, framework, now)
        summaries.append(summary)
        dimensions.extend(dimension_rows)
        indicators.extend(indicator_rows)
        results[assessment.id] = result
    for model, rows in (
        (AssessmentResultRecord, summaries),
        (DimensionResultRecord, dimensions),
        (IndicatorResultRecord, indicators),
    ):
        if rows:  # Core on the table: the ORM's bulk insert path costs more than the insert itself
            session.connection().execute(model.__table__.insert(), rows)
    refresh_evidence_counts(session, [a.id for a in assessments])
    return results


def refresh_evidence_counts(target: Session | Connection, assessment_ids: Sequence[int]) -> None:
    """Count again, for these stored results, the indicators with a level and those backed by evidence.

    An indicator counts as backed by evidence when any active questionnaire of the
    assessment, or an active evaluator review, wrote a note for it: the same notes the
    engine gathers into `IndicatorResult.evidence`. Migration 0009 fills the counts of
    results stored before it with the same SQL. Notes are stored already trimmed with
    Python's `str.strip` (the reader's `_text`, `record_review`), the engine's own test for
    "a note", so SQL's TRIM (spaces only) never meets a note of tabs or line breaks alone.
    """
    if not assessment_ids:
        return
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
    with_level = (i.assessment_id == r.assessment_id, i.level.is_not(None))
    answered = select(func.count()).select_from(i).where(*with_level).scalar_subquery()
    evidenced = select(func.count()).select_from(i).where(*with_level, noted).scalar_subquery()
    target.execute(
        update(r)
        .where(r.assessment_id.in_(list(assessment_ids)))
        .values(answered=answered, evidenced=evidenced)
        .execution_options(synchronize_session=False)
    )
