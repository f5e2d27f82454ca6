"""The database tables (SQLAlchemy 2 typed models).

Two kinds of tables live here. Evidence tables keep what people gave us and are never
rewritten: organisations, assessments, submissions (with the original file's bytes),
responses, reviews, the audit log and users. Derived tables (assessment_results,
dimension_results, indicator_results) hold what the scoring engine returned for the
current evidence; they are replaced whenever the evidence of an assessment changes, and
exist so the dashboards can query 2,000 organisations × several rounds in one SQL
statement. Schema changes go through a new Alembic migration in `migrations/versions/`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Constraint names are spelt out so migrations can refer to them on every back end.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ACTIVE, SUPERSEDED, DELETED = "active", "superseded", "deleted"

# SQLite only aliases the rowid for a column declared exactly INTEGER.
Id = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    """An assessed organisation; its id is the code written in every questionnaire."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Assessment(Base):
    """One organisation in one assessment year: the unit the engine scores."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("organisation_id", "year", name="uq_assessments_organisation_year"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SubmissionRecord(Base):
    """One uploaded file, kept byte for byte with everything needed to trust it later."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_assessment_status", "assessment_id", "status"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(500))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # loaded only when asked for
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # What the file said about its author and the organisation, as written in it.
    respondent_name: Mapped[str] = mapped_column(String(300), default="")
    respondent_role: Mapped[str] = mapped_column(String(40))
    organisation_name: Mapped[str] = mapped_column(String(300))
    organisation_type: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    date_completed: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(10), default="en")
    template_version: Mapped[str] = mapped_column(String(20), default="")
    framework_id: Mapped[str] = mapped_column(String(100))
    framework_version: Mapped[str] = mapped_column(String(40))
    roadmap_version: Mapped[str] = mapped_column(String(40))
    notes: Mapped[list[Any]] = mapped_column(default=list)
    parse_result: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the reader's errors and warnings
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    status_changed_at: Mapped[dt.datetime | None] = mapped_column()


class ResponseRecord(Base):
    """One indicator's answer in one submission."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("submission_id", "code", name="uq_responses_submission_code"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    level: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str] = mapped_column(Text, default="")


class Review(Base):
    """An evaluator's verified level for one indicator; a newer review supersedes, never erases."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_assessment_code", "assessment_id", "code"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    code: Mapped[str] = mapped_column(String(20))
    level: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[dt.datetime | None] = mapped_column()


class AssessmentResultRecord(Base):
    """The engine's result for an assessment's current evidence (derived, replaced on change)."""

    __tablename__ = "assessment_results"
    __table_args__ = (Index("ix_assessment_results_organisation_year", "organisation_id", "year"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    framework_id: Mapped[str] = mapped_column(String(100))
    framework_version: Mapped[str] = mapped_column(String(40))
    roadmap_version: Mapped[str] = mapped_column(String(40))
    respondents: Mapped[int] = mapped_column(Integer)
    index_score: Mapped[float | None] = mapped_column(Float)
    index_label: Mapped[int | None] = mapped_column(Integer)
    index_expected: Mapped[float | None] = mapped_column(Float)
    index_gap: Mapped[float | None] = mapped_column(Float)
    index_gap_2023: Mapped[float | None] = mapped_column(Float)
    index_gap_2053: Mapped[float | None] = mapped_column(Float)
    index_status: Mapped[str | None] = mapped_column(String(30))
    alpha_ordinal: Mapped[float | None] = mapped_column(Float)
    alpha_interval: Mapped[float | None] = mapped_column(Float)
    agreement_coders: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any]] = mapped_column()  # the whole AssessmentResult, as JSON


class DimensionResultRecord(Base):
    """One dimension of an assessment result, flat for fast portfolio queries (derived)."""

    __tablename__ = "dimension_results"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_results.assessment_id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(10), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float | None] = mapped_column(Float)
    not_applicable: Mapped[bool] = mapped_column(Boolean)
    insufficient_data: Mapped[bool] = mapped_column(Boolean)
    label: Mapped[int | None] = mapped_column(Integer)
    floor_level: Mapped[float | None] = mapped_column(Float)
    expected: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    gap_2023: Mapped[float | None] = mapped_column(Float)
    gap_2053: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(30))


class IndicatorResultRecord(Base):
    """One consolidated indicator of an assessment result (derived)."""

    __tablename__ = "indicator_results"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_results.assessment_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)
    dimension: Mapped[str] = mapped_column(String(10))
    level: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    not_applicable: Mapped[bool] = mapped_column(Boolean)
    respondents: Mapped[int] = mapped_column(Integer)
    self_level: Mapped[float | None] = mapped_column(Float)
    evaluator_level: Mapped[float | None] = mapped_column(Float)
    spread: Mapped[float | None] = mapped_column(Float)
    spread_flag: Mapped[bool] = mapped_column(Boolean)
    self_evaluator_flag: Mapped[bool] = mapped_column(Boolean)


class AuditEntry(Base):
    """Who did what, when: every store action writes one, in the same transaction as the action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    organisation_id: Mapped[str | None] = mapped_column(String(100), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class User(Base):
    """An account of the web app (account logic belongs to the authentication module)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(20))
    organisations: Mapped[list[Any]] = mapped_column(default=list)
    password_hash: Mapped[str | None] = mapped_column(String(500))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()


class SignInAttempt(Base):
    """One sign-in try with a password: what rate-limits a client guessing across many accounts."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_client_at", "client", "at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    client: Mapped[str] = mapped_column(String(200))
    username: Mapped[str] = mapped_column(String(200))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class RoleRule(Base):
    """An admin's rule giving single sign-on identities a role: an exact email or a whole domain."""

    __tablename__ = "role_rules"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    pattern: Mapped[str] = mapped_column(String(320), unique=True)  # "ana@ngo.org" or "*@ngo.org"
    role: Mapped[str] = mapped_column(String(20))
    organisations: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AddedVersion(Base):
    """A framework or roadmap version an admin added, kept as the YAML text they gave (never changed).

    Stored results name the framework and roadmap versions they were computed with, so a
    version once added stays here: stored assessments are rescored with it by version.
    """

    __tablename__ = "added_versions"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_added_versions_kind_version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # "framework" or "roadmap"
    document_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ActiveVersion(Base):
    """The framework or roadmap version in use (no row: the bundled one)."""

    __tablename__ = "active_versions"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    activated_by: Mapped[str] = mapped_column(String(200))
    activated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanAction(Base):
    """One commitment of an organisation's improvement plan: an indicator's gap turned into work.

    `year` is the assessment round whose priorities the action answers; the next round
    shows whether the indicator's level moved (`capacity.plans.figures`). An action is
    never deleted: it ends done or dropped, so the portfolio's on-time share counts both.
    """

    __tablename__ = "plan_actions"
    __table_args__ = (Index("ix_plan_actions_organisation_year", "organisation_id", "year"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[dt.date] = mapped_column(Date)
    target_level: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)  # the day it was marked done
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanNote(Base):
    """A dated note on an action: the manager's progress, or an evaluator's comment (only ever added)."""

    __tablename__ = "plan_notes"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "progress" or "comment"
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
