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
    """An organisation of the register; its id is the code written in every questionnaire.

    Admins keep the register (`capacity.rounds.register`): the name shown everywhere is
    this one, never the one a file gives. An archived organisation keeps its history but is
    no longer expected in new rounds.
    """

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
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
    # The uploading account's role at upload time (None: stored before it was recorded, and its
    # account no longer exists). What may supersede the file depends on it, not on the file.
    uploader_role: Mapped[str | None] = mapped_column(String(20))
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
    # Marked Evaluator but not uploaded by an evaluator or admin (stored before the role of record
    # came from the account): listed for an admin to demote to a self-assessment.
    evaluator_unverified: Mapped[bool] = mapped_column(Boolean, default=False)
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
    __table_args__ = (
        Index("ix_assessment_results_organisation_year", "organisation_id", "year"),
        Index("ix_assessment_results_evidence", "organisation_id", "year", "answered", "evidenced"),
        # `portfolio_queries.data_version` reads the newest computation on every page run.
        Index("ix_assessment_results_computed_at", "computed_at"),
    )

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
    # Indicators with a level, and how many of them an active file or review backs with a note:
    # the Overview's evidence tile, kept here (`assessments.refresh_evidence_counts`) so it
    # need not count 2.9 million indicator results × answers at 20,000 organisations.
    answered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    evidenced: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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


class SignInAttempt(Base):
    """One password checked at sign-in: the log the per-account and per-client delays are counted from.

    An attempt is written as failed before its password is checked and turned into a
    success afterwards, so concurrent guesses see each other (see `accounts.sign_in`).
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_client_at", "client", "at"),
        Index("ix_sign_in_attempts_username", "username", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    client: Mapped[str] = mapped_column(String(200))
    username: Mapped[str] = mapped_column(String(200))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class LoginSession(Base):
    """A signed-in browser session kept on the server, so reloads, new tabs and other windows share it.

    Only digests are stored: of the cookie's value (`token_hash`, set when the browser
    claims the session) and of the one-time hand-over code. Deleting the row ends the
    session in every tab at its next click.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handover_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handover_until: Mapped[dt.datetime | None] = mapped_column()
    username: Mapped[str] = mapped_column(String(200), index=True)
    method: Mapped[str] = mapped_column(String(20))  # "password" or "sso"
    client: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[dt.datetime] = mapped_column()  # the absolute limit counts from here
    last_seen: Mapped[dt.datetime] = mapped_column()


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


class ApiToken(Base):
    """A personal API token: only its sha256 is kept; it acts as its owner's account does today.

    The role and organisations are not copied onto the token but read from the owner's
    account at every request, so a changed role or a disabled account takes effect at once.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256, hex
    prefix: Mapped[str] = mapped_column(String(12))  # the token's first characters, to tell tokens apart
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    last_used_at: Mapped[dt.datetime | None] = mapped_column()


class Setting(Base):
    """An admin's choice that changes how the app behaves (no row: the documented default)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()  # {"value": …}, so any JSON value fits
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Round(Base):
    """An assessment round: one year, a deadline, the organisations expected to answer.

    A round is open until closed; a closed round is frozen (later uploads for its year
    need an administrator and count as late). States of organisations are never stored:
    `capacity.rounds.states` derives them from submissions, reviews and round events.
    """

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    all_active: Mapped[bool] = mapped_column(Boolean)  # expects every active organisation of the register
    framework_version: Mapped[str] = mapped_column(String(40))
    roadmap_version: Mapped[str] = mapped_column(String(40))
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column()


class RoundOrganisation(Base):
    """An organisation a round expects (a round over every active organisation names them all too)."""

    __tablename__ = "round_organisations"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)


class RoundEvent(Base):
    """A recorded step of an organisation's assessment year: self-assessment marked complete, signed off.

    Only ever added: a later event of the same kind (or a reopening) is what counts.
    """

    __tablename__ = "round_events"
    __table_args__ = (Index("ix_round_events_organisation_year", "organisation_id", "year"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # see capacity.rounds.states EVENT_KINDS
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


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
