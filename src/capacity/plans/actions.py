"""Recording the improvement plan: add an action for a gap, move it along, add dated notes.

Roles are checked here (`access.PLAN` for the organisation's managers and admins,
`access.COMMENT_PLAN` for evaluators, `access.VIEW_PROFILE` to read), and every change
writes its audit entry in the same transaction. Actions are never deleted: an action
that will not happen is dropped, so the plan's history and the on-time share stay honest.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select

from capacity import access
from capacity.access import Actor
from capacity.framework import LEVELS, current_framework
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import AssessmentResultRecord, PlanAction, PlanNote, utcnow

PLANNED, IN_PROGRESS, DONE, DROPPED = "planned", "in_progress", "done", "dropped"
STATUSES = (PLANNED, IN_PROGRESS, DONE, DROPPED)
STATUS_LABELS = {
    PLANNED: N_("planned"),
    IN_PROGRESS: N_("in progress"),
    DONE: N_("done"),
    DROPPED: N_("dropped"),
}
PROGRESS, COMMENT = "progress", "comment"  # a manager's progress note, an evaluator's comment
NOTE_LABELS = {PROGRESS: N_("progress"), COMMENT: N_("comment")}

# Audit actions (labelled in capacity.audit_view).
PLAN_ACTION_ADDED = "plan_action_added"
PLAN_ACTION_UPDATED = "plan_action_updated"
PLAN_NOTE_ADDED = "plan_note_added"

MAX_TEXT = 2000  # characters of an action or a note: a paragraph, not a document
MAX_OWNER = 300  # the column's width

# What an action plans and how far it got: the columns the plan-outcome dataset also leads with.
PLANNED_COLUMNS = (
    "action_id",
    "organisation_id",
    "year",
    "code",
    "action",
    "owner",
    "due_date",
    "target_level",
    "status",
    "completed_on",
)
ACTION_COLUMNS = (*PLANNED_COLUMNS, "created_by", "created_at", "updated_at")
NOTE_COLUMNS = ("note_id", "action_id", "kind", "text", "author", "created_at")


def _refuse(msgid: str, **params: object) -> StoreError:
    return StoreError(Message(msgid, params))


def _clean(text: str, field_limit: int, empty_msgid: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise _refuse(empty_msgid)
    if len(cleaned) > field_limit:
        raise _refuse(N_("Keep it under {limit} characters."), limit=field_limit)
    return cleaned


def _check_level(level: int) -> int:
    if level not in LEVELS[1:]:
        raise _refuse(N_("The aimed level must be between {low} and {high}."), low=LEVELS[1], high=LEVELS[-1])
    return int(level)


def add_action(
    store: Store,
    actor: Actor,
    organisation_id: str,
    year: int,
    code: str,
    action: str,
    owner: str,
    due_date: dt.date,
    target_level: int,
) -> int:
    """Record a new action (status planned) for one indicator of the organisation's `year`; its id.

    `year` must be the organisation's latest scored round (any scored round with
    `access.BACKFILL_PLAN`): the action answers that round's gaps, and the next round
    measures it; planning for a round whose next round is known would measure nothing.
    """
    access.require(actor, access.PLAN, organisation_id)
    if code not in {indicator.code for indicator in current_framework().indicators}:
        raise _refuse(N_("{code} is not an indicator of the framework."), code=code)
    action = _clean(action, MAX_TEXT, N_("Say what will be done."))
    owner = _clean(owner, MAX_OWNER, N_("Name who owns the action."))
    target_level = _check_level(target_level)
    with store.write() as session:
        rounds = set(
            session.scalars(
                select(AssessmentResultRecord.year).where(
                    AssessmentResultRecord.organisation_id == organisation_id
                )
            )
        )
        if year not in rounds:
            raise _refuse(
                N_("{organisation} has no scored assessment in {year}."),
                organisation=organisation_id,
                year=year,
            )
        if year != max(rounds) and not access.is_allowed(actor, access.BACKFILL_PLAN, organisation_id):
            raise _refuse(
                N_("A plan answers the latest round's gaps ({latest}); {year} is closed."),
                latest=max(rounds),
                year=year,
            )
        now = utcnow()
        record = PlanAction(
            organisation_id=organisation_id,
            year=year,
            code=code,
            action=action,
            owner=owner,
            due_date=due_date,
            target_level=target_level,
            status=PLANNED,
            created_by=actor.username,
            created_at=now,
            updated_at=now,
        )
        session.add(record)
        session.flush()
        audit.record(
            session,
            actor,
            PLAN_ACTION_ADDED,
            organisation_id,
            action_id=record.id,
            year=year,
            code=code,
            due_date=due_date.isoformat(),
            target_level=target_level,
        )
        return record.id


def _load(session, action_id: int) -> PlanAction:
    record = session.get(PlanAction, action_id)
    if record is None:
        raise _refuse(N_("There is no plan action {action_id}."), action_id=action_id)
    return record


def update_action(
    store: Store,
    actor: Actor,
    action_id: int,
    *,
    status: str | None = None,
    due_date: dt.date | None = None,
    target_level: int | None = None,
    owner: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Change an action's status, due date, aimed level or owner (only what is given).

    Marking it done records `today` as its completion day (what "on time" is judged by);
    moving it out of done clears that day again.
    """
    if status is not None and status not in STATUSES:
        raise _refuse(N_("Unknown status {status}."), status=status)
    with store.write() as session:
        record = _load(session, action_id)
        access.require(actor, access.PLAN, record.organisation_id)
        changes: dict[str, object] = {}
        if status is not None and status != record.status:
            changes["status"] = [record.status, status]
            record.status = status
            record.completed_on = (today or dt.date.today()) if status == DONE else None
        if due_date is not None and due_date != record.due_date:
            changes["due_date"] = [record.due_date.isoformat(), due_date.isoformat()]
            record.due_date = due_date
        if target_level is not None and target_level != record.target_level:
            changes["target_level"] = [record.target_level, _check_level(target_level)]
            record.target_level = target_level
        if owner is not None:
            owner = _clean(owner, MAX_OWNER, N_("Name who owns the action."))
            if owner != record.owner:
                changes["owner"] = [record.owner, owner]
                record.owner = owner
        if not changes:
            return
        record.updated_at = utcnow()
        audit.record(
            session, actor, PLAN_ACTION_UPDATED, record.organisation_id, action_id=action_id, changes=changes
        )


def add_note(store: Store, actor: Actor, action_id: int, text: str, kind: str = PROGRESS) -> int:
    """Add a dated note; its id. A progress note needs `access.PLAN`, a comment `access.COMMENT_PLAN`."""
    if kind not in NOTE_LABELS:
        raise _refuse(N_("Unknown note kind {kind}."), kind=kind)
    text = _clean(text, MAX_TEXT, N_("Write the note first."))
    with store.write() as session:
        record = _load(session, action_id)
        access.require(
            actor, access.PLAN if kind == PROGRESS else access.COMMENT_PLAN, record.organisation_id
        )
        note = PlanNote(action_id=action_id, kind=kind, text=text, author=actor.username, created_at=utcnow())
        session.add(note)
        session.flush()
        audit.record(
            session,
            actor,
            PLAN_NOTE_ADDED,
            record.organisation_id,
            action_id=action_id,
            note_id=note.id,
            kind=kind,
        )
        return note.id


def note_kind(actor: Actor, organisation_id: str) -> str | None:
    """The note the actor may add to the organisation's plan: progress if they plan, a comment, or none."""
    if access.is_allowed(actor, access.PLAN, organisation_id):
        return PROGRESS
    if access.is_allowed(actor, access.COMMENT_PLAN, organisation_id):
        return COMMENT
    return None


def _visible(statement, actor: Actor, organisation_id: str | None):
    if organisation_id is not None:
        access.require(actor, access.VIEW_PROFILE, organisation_id)
        return statement.where(PlanAction.organisation_id == organisation_id)
    allowed = access.allowed_organisations(actor, access.VIEW_PROFILE)
    return statement if allowed is None else statement.where(PlanAction.organisation_id.in_(sorted(allowed)))


def plan_actions(store: Store, actor: Actor, organisation_id: str | None = None) -> pd.DataFrame:
    """The actions of one organisation (or of every organisation the actor may read), oldest round first."""
    statement = _visible(
        select(
            PlanAction.id,
            PlanAction.organisation_id,
            PlanAction.year,
            PlanAction.code,
            PlanAction.action,
            PlanAction.owner,
            PlanAction.due_date,
            PlanAction.target_level,
            PlanAction.status,
            PlanAction.completed_on,
            PlanAction.created_by,
            PlanAction.created_at,
            PlanAction.updated_at,
        ).order_by(PlanAction.organisation_id, PlanAction.year, PlanAction.due_date, PlanAction.id),
        actor,
        organisation_id,
    )
    with store.read() as session:
        rows = session.execute(statement).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(ACTION_COLUMNS))
    for column in ("action_id", "year", "target_level"):
        frame[column] = frame[column].astype("int64")
    return frame


def plan_notes(store: Store, actor: Actor, organisation_id: str | None = None) -> pd.DataFrame:
    """Every note on the visible actions, oldest first."""
    statement = _visible(
        select(
            PlanNote.id,
            PlanNote.action_id,
            PlanNote.kind,
            PlanNote.text,
            PlanNote.author,
            PlanNote.created_at,
        )
        .join(PlanAction, PlanAction.id == PlanNote.action_id)
        .order_by(PlanNote.created_at, PlanNote.id),
        actor,
        organisation_id,
    )
    with store.read() as session:
        rows = session.execute(statement).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=list(NOTE_COLUMNS))
