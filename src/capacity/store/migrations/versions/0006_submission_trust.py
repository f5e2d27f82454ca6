"""Submission trust: the uploader's role at upload time, and evaluator files no account vouches for.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Before this revision the respondent role of record was read from the file, so a manager
could store a questionnaire marked Evaluator that outranked every self-assessment. From
now on the store records the uploading account's role with each file and refuses an
Evaluator file from an account that may not upload one. For the files already stored:

- `uploader_role` is filled from the uploading account's current role (the best record
  there is: roles at upload time were not kept); the command line's local administrator
  and the system account, which have no account row, are administrators. An uploader
  whose account no longer exists stays unknown (NULL).
- `evaluator_unverified` flags every file (active or not) marked Evaluator whose uploader is
  not known to be an evaluator or an administrator. Flags change no score: the
  Administration page lists the flagged files for an administrator to demote (audited,
  results recomputed).

Written out in plain SQLAlchemy (not the application's models), so this migration keeps
working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The two actors of `capacity.access` that act without an account row (CLI_ADMIN, SYSTEM).
ACCOUNTLESS_ADMINS = ("local-admin", "system")
TRUSTED_ROLES = ("evaluator", "admin")


def upgrade() -> None:
    op.add_column("submissions", sa.Column("uploader_role", sa.String(20), nullable=True))
    op.add_column(
        "submissions",
        sa.Column("evaluator_unverified", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    submissions = sa.table(
        "submissions",
        sa.column("uploaded_by", sa.String()),
        sa.column("uploader_role", sa.String()),
        sa.column("respondent_role", sa.String()),
        sa.column("evaluator_unverified", sa.Boolean()),
    )
    users = sa.table("users", sa.column("username", sa.String()), sa.column("role", sa.String()))
    account_role = (
        sa.select(users.c.role).where(users.c.username == submissions.c.uploaded_by).scalar_subquery()
    )
    op.execute(submissions.update().values(uploader_role=account_role))
    op.execute(
        submissions.update()
        .where(submissions.c.uploader_role.is_(None), submissions.c.uploaded_by.in_(ACCOUNTLESS_ADMINS))
        .values(uploader_role="admin")
    )
    op.execute(
        submissions.update()
        .where(
            submissions.c.respondent_role == "evaluator",
            sa.or_(submissions.c.uploader_role.is_(None), submissions.c.uploader_role.not_in(TRUSTED_ROLES)),
        )
        .values(evaluator_unverified=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("evaluator_unverified")
        batch.drop_column("uploader_role")
