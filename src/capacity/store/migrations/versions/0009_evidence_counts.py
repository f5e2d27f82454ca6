"""Evidence counts per assessment result: indicators with a level, and how many carry evidence.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

The Overview's evidence tile counted them over every indicator result × answer on each
cold page run, which at 20,000 organisations (2.9 million indicator results) took
seconds. The counts are now kept with each result, refreshed whenever the result is
recomputed (`store.assessments.recompute_assessments`); this migration fills them for
the results already stored, with the same SQL the query used. Written out in plain SQL
(not the application's models), so it keeps working however the models evolve.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# An indicator with a level counts as evidenced when an active questionnaire of the
# assessment, or an active review, wrote a note for it (blank notes do not count).
_NOTED = """
    EXISTS (SELECT 1 FROM submissions s JOIN responses r ON r.submission_id = s.id
            WHERE s.assessment_id = i.assessment_id AND s.status = 'active' AND r.code = i.code
              AND trim(r.evidence) != '')
    OR EXISTS (SELECT 1 FROM reviews v
               WHERE v.assessment_id = i.assessment_id AND v.code = i.code AND v.superseded_at IS NULL
                 AND trim(v.justification) != '')
"""

_BACKFILL = f"""
UPDATE assessment_results SET
    answered = (SELECT count(*) FROM indicator_results i
                WHERE i.assessment_id = assessment_results.assessment_id AND i.level IS NOT NULL),
    evidenced = (SELECT count(*) FROM indicator_results i
                 WHERE i.assessment_id = assessment_results.assessment_id AND i.level IS NOT NULL
                   AND ({_NOTED}))
"""


def upgrade() -> None:
    for name in ("answered", "evidenced"):
        op.add_column("assessment_results", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.execute(_BACKFILL)

    # Read in key order without touching each result's JSON (SQLite stores the new columns after it).
    op.create_index(
        "ix_assessment_results_evidence",
        "assessment_results",
        ["organisation_id", "year", "answered", "evidenced"],
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_results_evidence", table_name="assessment_results")
    # Plain ALTER TABLE (SQLite 3.35 and later): a batch copy of the table would drop it, and
    # with it, through ON DELETE CASCADE, every dimension and indicator result.
    for name in ("evidenced", "answered"):
        op.execute(f"ALTER TABLE assessment_results DROP COLUMN {name}")
