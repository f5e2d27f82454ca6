"""The audit trail: every store action adds one entry, inside the action's own transaction.

Writing the entry in the same transaction as the change means the log can never claim
an action that did not happen, nor miss one that did. Entries are only ever added; the
query side is `capacity.store.queries.audit_log`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from capacity.access import Actor
from capacity.store.db import Store
from capacity.store.models import AuditEntry, utcnow

SUBMISSION_STORED = "submission_stored"
SUBMISSION_SUPERSEDED = "submission_superseded"  # a new file replaced an earlier one
SUBMISSION_DUPLICATE = "submission_duplicate"  # identical re-upload, nothing changed
SUBMISSION_REJECTED = "submission_rejected"
SUBMISSION_RESTORED = "submission_restored"
SUBMISSION_DELETED = "submission_deleted"
SUBMISSION_PURGED = "submission_purged"  # bytes and answers erased for good
SUBMISSION_DEMOTED = "submission_demoted"  # an unverified evaluator file made a self-assessment
REVIEW_RECORDED = "review_recorded"
RESULTS_RECOMPUTED = "results_recomputed"
BACKUP_CREATED = "backup_created"
BACKUP_RESTORED = "backup_restored"
SCORECARD_EXPORTED = "scorecard_exported"
SCORECARDS_EXPORTED = "scorecards_exported"  # a batch (ZIP) of scorecards
DATASET_EXPORTED = "dataset_exported"
ORIGINAL_DOWNLOADED = "original_downloaded"


def record(
    session: Session, actor: Actor, action: str, organisation_id: str | None = None, **detail: Any
) -> None:
    """Add one entry to the audit log in the caller's transaction."""
    session.add(
        AuditEntry(
            at=utcnow(), actor=actor.username, action=action, organisation_id=organisation_id, detail=detail
        )
    )


def record_read(
    store: Store, actor: Actor, action: str, organisation_id: str | None = None, **detail: Any
) -> None:
    """Log data leaving the system (an export, a download) in its own short transaction.

    Nothing in the database changes, so there is no caller's transaction to join; the
    entry is written once the file exists, so a failed export is never claimed.
    """
    with store.write() as session:
        record(session, actor, action, organisation_id, **detail)
