"""Organisation register and assessment rounds: archived flag, settings, rounds, round events.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

The organisations table already holds every organisation seen in a stored file (ingestion
created a row for each), so those rows become the register as they are: active, named as
their most recent file named them. Written out in plain SQLAlchemy types (not the
application's models), so this migration keeps working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
    )


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy of the table: SQLite would refuse to drop a table
    # other tables' foreign keys point at).
    op.add_column(
        "organisations", sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rounds",
        _id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("all_active", sa.Boolean(), nullable=False),
        sa.Column("framework_version", sa.String(40), nullable=False),
        sa.Column("roadmap_version", sa.String(40), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(200), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("year", name="uq_rounds_year"),
    )
    op.create_table(
        "round_organisations",
        sa.Column(
            "round_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("rounds.id", name="fk_round_organisations_round_id_rounds", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "organisation_id",
            sa.String(100),
            sa.ForeignKey("organisations.id", name="fk_round_organisations_organisation_id_organisations"),
            primary_key=True,
        ),
    )
    op.create_table(
        "round_events",
        _id(),
        sa.Column(
            "organisation_id",
            sa.String(100),
            sa.ForeignKey("organisations.id", name="fk_round_events_organisation_id_organisations"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_round_events_organisation_year", "round_events", ["organisation_id", "year"])


def downgrade() -> None:
    op.drop_index("ix_round_events_organisation_year", "round_events")
    op.drop_table("round_events")
    op.drop_table("round_organisations")
    op.drop_table("rounds")
    op.drop_table("settings")
    op.drop_column("organisations", "archived")
