"""The organisation register: which organisations exist, under which name, and who manages them.

Admins keep it (Administration page, `python -m capacity org …`). Ingestion asks
`admit` before storing a file: a questionnaire for an ID the register does not hold is
refused with a message naming the ID, unless an admin allowed "create on first upload"
(off by default, so a typo in a file cannot invent an organisation). The name shown
everywhere is the register's; a file naming the organisation differently only earns a
warning (`name_mismatch`). Managers are not stored here: they are the accounts whose
role is manager and whose organisations include the ID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import Actor
from capacity.i18n import N_, Message
from capacity.questionnaire.layout import ORGANISATION_TYPES
from capacity.questionnaire.submission import Submission
from capacity.scoring import ScoringInputError
from capacity.store import audit
from capacity.store.assessments import insert_ignoring_conflicts
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import Organisation, Round, Setting, User, utcnow

ORGANISATION_ADDED = "organisation_added"
ORGANISATION_UPDATED = "organisation_updated"
ORGANISATION_ARCHIVED = "organisation_archived"
ORGANISATION_RESTORED = "organisation_restored"
SETTING_CHANGED = "setting_changed"

CREATE_ON_FIRST_UPLOAD = "create_on_first_upload"
# Off: an unknown ID in a file is far more often a typo than a new member organisation.
DEFAULT_CREATE_ON_FIRST_UPLOAD = False
MAX_ID_LENGTH = 100  # the column's width
EDITABLE = ("name", "type", "country", "region")


@dataclass(frozen=True)
class OrganisationEntry:
    """One organisation of the register, with the managers tied to it."""

    id: str
    name: str
    type: str | None
    country: str
    region: str
    archived: bool
    managers: tuple[str, ...]  # user names of the enabled manager accounts tied to it

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "region": self.region,
            "archived": self.archived,
            "managers": list(self.managers),
        }


class RegisterRefusal(ScoringInputError):
    """A file the reader accepted but the register (or a closed round) does not let in.

    A ScoringInputError, so both ingestion paths refuse it as they refuse a file the
    engine cannot score: nothing of it is stored and the rejection is audited.
    """


def managers_by_organisation(session: Session) -> dict[str, list[str]]:
    """Each organisation's enabled manager accounts (user names, sorted)."""
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(User.username, User.organisations).where(User.role == access.MANAGER, User.disabled.is_(False))
    )
    for username, organisations in rows:
        for organisation_id in organisations or ():
            found.setdefault(organisation_id, []).append(username)
    return {key: sorted(names) for key, names in found.items()}


def _entry(row: Organisation, managers: dict[str, list[str]]) -> OrganisationEntry:
    return OrganisationEntry(
        id=row.id,
        name=row.name,
        type=row.type,
        country=row.country or "",
        region=row.region or "",
        archived=bool(row.archived),
        managers=tuple(managers.get(row.id, ())),
    )


def list_organisations(store: Store, actor: Actor, include_archived: bool = True) -> list[OrganisationEntry]:
    """The register, by ID: all of it for staff, a manager's own organisations for a manager."""
    allowed = access.allowed_organisations(actor, access.VIEW_PROFILE)
    with store.read() as session:
        statement = select(Organisation).order_by(Organisation.id)
        if not include_archived:
            statement = statement.where(Organisation.archived.is_(False))
        if allowed is not None:
            statement = statement.where(Organisation.id.in_(allowed))
        managers = managers_by_organisation(session)
        return [_entry(row, managers) for row in session.scalars(statement)]


def _check_fields(organisation_id: str | None, name: str | None, kind: str | None) -> None:
    if organisation_id is not None and not (0 < len(organisation_id.strip()) <= MAX_ID_LENGTH):
        raise StoreError(Message(N_("An organisation ID has 1 to {n} characters."), {"n": MAX_ID_LENGTH}))
    if name is not None and not name.strip():
        raise StoreError(Message(N_("An organisation needs a name."), {}))
    if kind is not None and kind not in ORGANISATION_TYPES:
        raise StoreError(
            Message(
                N_("Unknown organisation type {type}; choose one of {types}."),
                {"type": kind, "types": ", ".join(ORGANISATION_TYPES)},
            )
        )


def _locked(session: Session, organisation_id: str) -> Organisation:
    row = session.scalars(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise StoreError(
            Message(
                N_("Organisation {organisation} is not in the register."), {"organisation": organisation_id}
            )
        )
    return row


def add_organisation(
    store: Store,
    actor: Actor,
    organisation_id: str,
    name: str,
    kind: str | None = None,
    country: str = "",
    region: str = "",
) -> OrganisationEntry:
    """Add an organisation to the register (audited); an ID already there is refused."""
    access.require(actor, access.MANAGE_REGISTER)
    organisation_id = organisation_id.strip()
    _check_fields(organisation_id, name, kind)
    with store.write() as session:
        if session.get(Organisation, organisation_id) is not None:
            raise StoreError(
                Message(
                    N_("Organisation {organisation} is already in the register."),
                    {"organisation": organisation_id},
                )
            )
        now = utcnow()
        row = Organisation(
            id=organisation_id,
            name=name.strip(),
            type=kind,
            country=country.strip(),
            region=region.strip(),
            archived=False,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        audit.record(session, actor, ORGANISATION_ADDED, organisation_id, name=row.name, type=kind)
        return _entry(row, managers_by_organisation(session))


def update_organisation(
    store: Store, actor: Actor, organisation_id: str, **changes: str | None
) -> OrganisationEntry:
    """Change an organisation's name, type, country or region (audited with the old and new values)."""
    access.require(actor, access.MANAGE_REGISTER)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _check_fields(None, changes.get("name"), changes.get("type"))
    with store.write() as session:
        row = _locked(session, organisation_id)
        changed: dict[str, list[str | None]] = {}
        for field, value in changes.items():
            value = value.strip() if isinstance(value, str) and field != "type" else value
            if value != getattr(row, field):
                changed[field] = [getattr(row, field), value]
                setattr(row, field, value)
        if changed:
            row.updated_at = utcnow()
            audit.record(session, actor, ORGANISATION_UPDATED, organisation_id, changes=changed)
        return _entry(row, managers_by_organisation(session))


def set_archived(
    store: Store, actor: Actor, organisation_id: str, archived: bool = True
) -> OrganisationEntry:
    """Archive an organisation (no longer expected in new rounds, history kept) or bring it back."""
    access.require(actor, access.MANAGE_REGISTER)
    with store.write() as session:
        row = _locked(session, organisation_id)
        if row.archived != archived:
            row.archived, row.updated_at = archived, utcnow()
            action = ORGANISATION_ARCHIVED if archived else ORGANISATION_RESTORED
            audit.record(session, actor, action, organisation_id)
        return _entry(row, managers_by_organisation(session))


def register_from_files(store: Store, actor: Actor, submissions: Iterable[Submission]) -> list[str]:
    """Add the organisations these questionnaires name that the register lacks, as the files describe them.

    For loading data an admin vouches for as a whole (the demo); returns the IDs added,
    each audited like an addition by hand.
    """
    access.require(actor, access.MANAGE_REGISTER)
    wanted = {submission.organisation_id: submission for submission in submissions}
    if not wanted:
        return []
    with store.write() as session:
        known = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted))))
        added = sorted(set(wanted) - known)
        now = utcnow()
        for key in added:
            submission = wanted[key]
            session.add(
                Organisation(
                    id=key,
                    name=submission.organisation_name,
                    type=submission.organisation_type,
                    country=submission.country,
                    region=submission.region,
                    archived=False,
                    created_at=now,
                    updated_at=now,
                )
            )
            audit.record(session, actor, ORGANISATION_ADDED, key, name=submission.organisation_name)
    return added


def create_on_first_upload(session: Session) -> bool:
    """Whether a file may add an organisation the register does not hold yet (admin setting)."""
    row = session.get(Setting, CREATE_ON_FIRST_UPLOAD)
    return DEFAULT_CREATE_ON_FIRST_UPLOAD if row is None else bool(row.value.get("value"))


def allows_create_on_first_upload(store: Store) -> bool:
    with store.read() as session:
        return create_on_first_upload(session)


def set_create_on_first_upload(store: Store, actor: Actor, allowed: bool) -> None:
    """Let files add unknown organisations to the register, or stop it (audited)."""
    access.require(actor, access.MANAGE_REGISTER)
    with store.write() as session:
        row = session.get(Setting, CREATE_ON_FIRST_UPLOAD)
        if row is None:
            session.add(
                Setting(key=CREATE_ON_FIRST_UPLOAD, value={"value": allowed}, changed_by=actor.username)
            )
        else:
            row.value, row.changed_by, row.changed_at = {"value": allowed}, actor.username, utcnow()
        audit.record(session, actor, SETTING_CHANGED, None, setting=CREATE_ON_FIRST_UPLOAD, value=allowed)


def _closed_round(session: Session, year: int) -> Round | None:
    return session.scalars(
        select(Round).where(Round.year == year, Round.closed_at.is_not(None))
    ).one_or_none()


def refusal(session: Session, submission: Submission, actor: Actor) -> Message | None:
    """Why the register (or a closed round) keeps this file out, or None (reads only: previews use it).

    Refused: an ID the register does not hold, unless create-on-first-upload is on, and a
    year whose round is closed, unless the actor is an admin (their upload then counts as
    late, see `capacity.rounds.rounds`).
    """
    organisation_id = submission.organisation_id
    if session.get(Organisation, organisation_id) is None and not create_on_first_upload(session):
        return Message(
            N_(
                "organisation {organisation} is not in the register; an administrator adds it "
                "first (Administration page or `python -m capacity org add`)."
            ),
            {"organisation": organisation_id},
        )
    if _closed_round(session, submission.year) is not None and not access.is_allowed(
        actor, access.UPLOAD_LATE, organisation_id
    ):
        return Message(
            N_("the {year} round is closed; only an administrator can add questionnaires to it now."),
            {"year": submission.year},
        )
    return None


def admit(session: Session, submission: Submission, actor: Actor, now: dt.datetime) -> None:
    """Let a file's organisation in, or refuse the file (both ingestion paths call this first).

    See `refusal`; with create-on-first-upload on, an unknown organisation enters the
    register as the file describes it.
    """
    refused = refusal(session, submission, actor)
    if refused is not None:
        raise RegisterRefusal(refused)
    if session.get(Organisation, submission.organisation_id) is None:
        values = {
            "id": submission.organisation_id,
            "name": submission.organisation_name,
            "type": submission.organisation_type,
            "country": submission.country,
            "region": submission.region,
            "archived": False,
            "created_at": now,
            "updated_at": now,
        }
        insert_ignoring_conflicts(session, Organisation, values)


def name_mismatch(store: Store, submission: Submission) -> Message | None:
    """A warning when the file names a registered organisation differently from the register."""
    with store.read() as session:
        row = session.get(Organisation, submission.organisation_id)
    if row is None or submission.organisation_name.strip().casefold() == row.name.strip().casefold():
        return None
    return Message(
        N_("The file names {organisation} “{file_name}”; the register's name “{name}” is used."),
        {
            "organisation": submission.organisation_id,
            "file_name": submission.organisation_name,
            "name": row.name,
        },
    )
