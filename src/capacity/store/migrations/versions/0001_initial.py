"""Initial schema: evidence tables, derived result tables, audit log and users.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Written out in plain SQLAlchemy types (not the application's models), so this migration
keeps working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
    )


def _ref(name: str, target: str, nullable: bool = False, ondelete: str | None = None) -> sa.Column:
    return sa.Column(
        name,
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        sa.ForeignKey(target, ondelete=ondelete),
        nullable=nullable,
    )


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _roadmap_columns() -> list[sa.Column]:
    return [
        sa.Column(name, sa.Float(), nullable=True) for name in ("expected", "gap", "gap_2023", "gap_2053")
    ]


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("type", sa.String(40), nullable=True),
        sa.Column("country", sa.String(120), nullable=False),
        sa.Column("region", sa.String(120), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
    )
    op.create_table(
        "assessments",
        _id(),
        sa.Column("organisation_id", sa.String(100), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.UniqueConstraint("organisation_id", "year", name="uq_assessments_organisation_year"),
    )
    op.create_table(
        "submissions",
        _id(),
        _ref("assessment_id", "assessments.id"),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        _timestamp("uploaded_at"),
        sa.Column("respondent_name", sa.String(300), nullable=False),
        sa.Column("respondent_role", sa.String(40), nullable=False),
        sa.Column("organisation_name", sa.String(300), nullable=False),
        sa.Column("organisation_type", sa.String(40), nullable=True),
        sa.Column("country", sa.String(120), nullable=False),
        sa.Column("region", sa.String(120), nullable=False),
        sa.Column("date_completed", sa.Date(), nullable=True),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("template_version", sa.String(20), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("framework_version", sa.String(40), nullable=False),
        sa.Column("roadmap_version", sa.String(40), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("parse_result", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _ref("superseded_by", "submissions.id", nullable=True),
        _timestamp("status_changed_at", nullable=True),
    )
    op.create_index("ix_submissions_assessment_status", "submissions", ["assessment_id", "status"])
    op.create_table(
        "responses",
        _id(),
        _ref("submission_id", "submissions.id", ondelete="CASCADE"),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_link", sa.Text(), nullable=False),
        sa.UniqueConstraint("submission_id", "code", name="uq_responses_submission_code"),
    )
    op.create_table(
        "reviews",
        _id(),
        _ref("assessment_id", "assessments.id"),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        _timestamp("created_at"),
        _timestamp("superseded_at", nullable=True),
    )
    op.create_index("ix_reviews_assessment_code", "reviews", ["assessment_id", "code"])
    op.create_table(
        "assessment_results",
        _ref("assessment_id", "assessments.id"),
        sa.Column("organisation_id", sa.String(100), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        _timestamp("computed_at"),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("framework_version", sa.String(40), nullable=False),
        sa.Column("roadmap_version", sa.String(40), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("index_score", sa.Float(), nullable=True),
        sa.Column("index_label", sa.Integer(), nullable=True),
        sa.Column("index_expected", sa.Float(), nullable=True),
        sa.Column("index_gap", sa.Float(), nullable=True),
        sa.Column("index_gap_2023", sa.Float(), nullable=True),
        sa.Column("index_gap_2053", sa.Float(), nullable=True),
        sa.Column("index_status", sa.String(30), nullable=True),
        sa.Column("alpha_ordinal", sa.Float(), nullable=True),
        sa.Column("alpha_interval", sa.Float(), nullable=True),
        sa.Column("agreement_coders", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id"),
    )
    op.create_index(
        "ix_assessment_results_organisation_year", "assessment_results", ["organisation_id", "year"]
    )
    op.create_index("ix_assessment_results_year", "assessment_results", ["year"])
    op.create_table(
        "dimension_results",
        _ref("assessment_id", "assessment_results.assessment_id", ondelete="CASCADE"),
        sa.Column("dimension", sa.String(10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("insufficient_data", sa.Boolean(), nullable=False),
        sa.Column("label", sa.Integer(), nullable=True),
        sa.Column("floor_level", sa.Float(), nullable=True),
        *_roadmap_columns(),
        sa.Column("status", sa.String(30), nullable=True),
        sa.PrimaryKeyConstraint("assessment_id", "dimension"),
    )
    op.create_table(
        "indicator_results",
        _ref("assessment_id", "assessment_results.assessment_id", ondelete="CASCADE"),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("dimension", sa.String(10), nullable=False),
        sa.Column("level", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("self_level", sa.Float(), nullable=True),
        sa.Column("evaluator_level", sa.Float(), nullable=True),
        sa.Column("spread", sa.Float(), nullable=True),
        sa.Column("spread_flag", sa.Boolean(), nullable=False),
        sa.Column("self_evaluator_flag", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id", "code"),
    )
    op.create_index("ix_indicator_results_code", "indicator_results", ["code"])
    op.create_table(
        "audit_log",
        _id(),
        _timestamp("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("organisation_id", sa.String(100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    for column in ("at", "action", "organisation_id"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])
    op.create_table(
        "users",
        _id(),
        sa.Column("username", sa.String(200), nullable=False, unique=True),
        sa.Column("display_name", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("organisations", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(500), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        _timestamp("locked_until", nullable=True),
    )


def downgrade() -> None:
    for table in (
        "users",
        "audit_log",
        "indicator_results",
        "dimension_results",
        "assessment_results",
        "reviews",
        "responses",
        "submissions",
        "assessments",
        "organisations",
    ):
        op.drop_table(table)
