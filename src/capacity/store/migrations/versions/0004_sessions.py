"""Sessions kept on the server; sign-in delays counted from the attempts log alone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

`login_sessions` lets a sign-in outlive one browser tab (see `capacity.sessions`). The
users' own `failed_attempts` and `locked_until` go: the delays are now counted from
`sign_in_attempts` by user name, so an unknown name is delayed exactly like a real one.

Written out in plain SQLAlchemy types (not the application's models), so this migration
keeps working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("handover_hash", sa.String(64), nullable=True),
        _timestamp("handover_until", nullable=True),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("client", sa.String(200), nullable=False),
        _timestamp("created_at"),
        _timestamp("issued_at"),
        _timestamp("last_seen"),
        sa.UniqueConstraint("token_hash", name="uq_login_sessions_token_hash"),
        sa.UniqueConstraint("handover_hash", name="uq_login_sessions_handover_hash"),
    )
    op.create_index("ix_login_sessions_username", "login_sessions", ["username"])
    op.create_index("ix_sign_in_attempts_username", "sign_in_attempts", ["username", "id"])
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_attempts")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(_timestamp("locked_until", nullable=True))
    op.drop_index("ix_sign_in_attempts_username", "sign_in_attempts")
    op.drop_index("ix_login_sessions_username", "login_sessions")
    op.drop_table("login_sessions")
