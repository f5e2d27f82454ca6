"""Accounts: sign-in attempts (per-client rate limit) and single sign-on role rules.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Written out in plain SQLAlchemy types (not the application's models), so this migration
keeps working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
    )


def upgrade() -> None:
    op.create_table(
        "sign_in_attempts",
        _id(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_sign_in_attempts_at", "sign_in_attempts", ["at"])
    op.create_index("ix_sign_in_attempts_client_at", "sign_in_attempts", ["client", "at"])
    op.create_table(
        "role_rules",
        _id(),
        sa.Column("pattern", sa.String(320), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("organisations", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("pattern", name="uq_role_rules_pattern"),
    )


def downgrade() -> None:
    op.drop_table("role_rules")
    op.drop_index("ix_sign_in_attempts_client_at", "sign_in_attempts")
    op.drop_index("ix_sign_in_attempts_at", "sign_in_attempts")
    op.drop_table("sign_in_attempts")
