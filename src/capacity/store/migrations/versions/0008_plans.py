"""Improvement plans: the actions an organisation commits to for its gaps, and their dated notes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Written out in plain SQLAlchemy types (not the application's models), so this migration
keeps working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "plan_actions",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column(
            "organisation_id",
            sa.String(100),
            sa.ForeignKey("organisations.id", name="fk_plan_actions_organisation_id_organisations"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_plan_actions_organisation_year", "plan_actions", ["organisation_id", "year"])
    op.create_table(
        "plan_notes",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column(
            "action_id",
            _ID,
            sa.ForeignKey("plan_actions.id", name="fk_plan_notes_action_id_plan_actions", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_plan_notes_action_id", "plan_notes", ["action_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_notes_action_id", table_name="plan_notes")
    op.drop_table("plan_notes")
    op.drop_index("ix_plan_actions_organisation_year", table_name="plan_actions")
    op.drop_table("plan_actions")
