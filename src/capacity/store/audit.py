"""The audit trail: every store action adds one entry, inside the action's own transaction.

Writing the entry in the same transaction as the change means the log can never claim
an action that did not happen, nor miss one that did. Entries are only ever added; the
query side is `capacity.store.queries.audit_log`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from capacity.access import Actor
from capacity.store.models import AuditEntry, utcnow

SUBMISSION_STORED = "submission_stored"
SUBMISSION_SUPERSEDED = "submission_superseded"  # a new file replaced an earlier one
SUBMISSION_DUPLICATE = "submission_duplicate"  # identical re-upload, nothing changed
SUBMISSION_REJECTED = "submission_rejected"
SUBMISSION_RESTORED = "submission_restored"
SUBMISSION_DELETED = "submission_deleted"
SUBMISSION_PURGED = "submission_purged"  # bytes and answers erased for good
REVIEW_RECORDED = "review_recorded"
RESULTS_RECOMPUTED = "results_recomputed"
BACKUP_CREATED = "backup_created"
BACKUP_RESTORED = "backup_restored"


def record(
    session: Session, actor: Actor, action: str, organisation_id: str | None = None, **detail: Any
) -> None:
    """Add one entry to the audit log in the caller's transaction."""
    session.add(
        AuditEntry(
            at=utcnow(), actor=actor.username, action=action, organisation_id=organisation_id, detail=detail
        )
    )
