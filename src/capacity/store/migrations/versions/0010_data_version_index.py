"""An index on the results' computation time, which every page run reads.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

`portfolio_queries.data_version` (the pages' cache key) asks for the newest
`assessment_results.computed_at` on every page run. Without an index that is a scan of
every result: 70 ms at 20,000 organisations (73,645 results) on SQLite, several times
per run; with it, a lookup at the end of the index.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_assessment_results_computed_at", "assessment_results", ["computed_at"])


def downgrade() -> None:
    op.drop_index("ix_assessment_results_computed_at", table_name="assessment_results")
