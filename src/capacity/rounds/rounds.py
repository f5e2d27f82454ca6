"""Assessment rounds: open one for a year, see where every expected organisation stands, close it.

An evaluator or admin opens a round (year, deadline, the organisations expected: every
active one of the register or a chosen set; the framework and roadmap versions in use are
recorded with it). Managers mark their self-assessment complete, evaluators sign it off;
both are recorded events, audited, and the states follow from them (`states`). Closing a
round freezes it: uploads for its year then need an administrator (`register.admit`) and
count as late uploads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import Actor
from capacity.framework import current_framework
from capacity.i18n import N_, Message
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.roadmap import current_roadmap
from capacity.rounds import states
from capacity.rounds.register import managers_by_organisation
from capacity.store import audit
from capacity.store.assessments import lock_organisation
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import (
    ACTIVE,
    Assessment,
    Organisation,
    Review,
    Round,
    RoundEvent,
    RoundOrganisation,
    SubmissionRecord,
    User,
    utcnow,
)

ROUND_OPENED = "round_opened"
ROUND_CLOSED = "round_closed"
MARKED_SUBMITTED = "assessment_marked_submitted"
SIGNED_OFF = "assessment_signed_off"
REOPENED = "assessment_reopened"
# The dashboards move on to an open round once more than this share of it is verified.
MOSTLY_VERIFIED = 0.5


@dataclass(frozen=True)
class RoundInfo:
    """A round as the pages and the CLI show it."""

    year: int
    deadline: dt.date
    all_active: bool
    framework_version: str
    roadmap_version: str
    opened_by: str
    opened_at: dt.datetime
    closed_by: str | None
    closed_at: dt.datetime | None
    expected: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "deadline": self.deadline.isoformat(),
            "open": self.is_open,
            "all_active": self.all_active,
            "framework_version": self.framework_version,
            "roadmap_version": self.roadmap_version,
            "opened_by": self.opened_by,
            "opened_at": self.opened_at.isoformat(),
            "closed_by": self.closed_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "expected": len(self.expected),
        }


@dataclass(frozen=True)
class OrganisationStatus:
    """One expected organisation's standing in a round."""

    organisation_id: str
    name: str
    state: str
    respondents: int
    last_upload: dt.datetime | None
    reviewed_indicators: int
    submitted_at: dt.datetime | None
    verified_at: dt.datetime | None
    late_uploads: int  # questionnaires stored after the round closed
    managers: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The `round status --json` record."""
        return {
            "organisation_id": self.organisation_id,
            "state": self.state,
            "respondents": self.respondents,
            "last_upload": self.last_upload.isoformat() if self.last_upload else None,
            "reviewed_indicators": self.reviewed_indicators,
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
        }


def _refuse(msgid: str, **values: object) -> StoreError:
    return StoreError(Message(msgid, values))


def _round(session: Session, year: int) -> Round:
    found = session.scalars(select(Round).where(Round.year == year)).one_or_none()
    if found is None:
        raise _refuse(N_("There is no round for {year}."), year=year)
    return found


def _expected(session: Session, row: Round) -> tuple[str, ...]:
    """The organisations a round expects: those named when it opened, and, while a round over
    every active organisation is open, any organisation registered since."""
    named = set(
        session.scalars(select(RoundOrganisation.organisation_id).where(RoundOrganisation.round_id == row.id))
    )
    if row.all_active and row.closed_at is None:
        named |= set(session.scalars(select(Organisation.id).where(Organisation.archived.is_(False))))
    return tuple(sorted(named))


def _info(session: Session, row: Round) -> RoundInfo:
    return RoundInfo(
        year=row.year,
        deadline=row.deadline,
        all_active=row.all_active,
        framework_version=row.framework_version,
        roadmap_version=row.roadmap_version,
        opened_by=row.opened_by,
        opened_at=row.opened_at,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        expected=_expected(session, row),
    )


def open_round(
    store: Store, actor: Actor, year: int, deadline: dt.date, organisations: Iterable[str] | None = None
) -> RoundInfo:
    """Open the round of `year`: every active organisation, or the ones named (audited)."""
    access.require(actor, access.MANAGE_ROUNDS)
    chosen = sorted(set(organisations or ()))
    with store.write() as session:
        if session.scalars(select(Round.id).where(Round.year == year)).first() is not None:
            raise _refuse(N_("There is already a round for {year}."), year=year)
        if chosen:
            known = dict(
                session.execute(
                    select(Organisation.id, Organisation.archived).where(Organisation.id.in_(chosen))
                ).all()
            )
            unknown = [key for key in chosen if key not in known]
            if unknown:
                raise _refuse(N_("Not in the register: {organisations}."), organisations=", ".join(unknown))
            archived = [key for key in chosen if known[key]]
            if archived:
                raise _refuse(
                    N_("Archived, so not expected in a round: {organisations}."),
                    organisations=", ".join(archived),
                )
        else:
            chosen = list(session.scalars(select(Organisation.id).where(Organisation.archived.is_(False))))
        if not chosen:
            raise _refuse(N_("A round needs at least one active organisation in the register."))
        row = Round(
            year=year,
            deadline=deadline,
            all_active=not organisations,
            framework_version=current_framework().version,
            roadmap_version=current_roadmap().version,
            opened_by=actor.username,
            opened_at=utcnow(),
        )
        session.add(row)
        session.flush()
        session.add_all(RoundOrganisation(round_id=row.id, organisation_id=key) for key in chosen)
        session.flush()
        audit.record(
            session, actor, ROUND_OPENED, None, year=year, deadline=deadline.isoformat(), expected=len(chosen)
        )
        return _info(session, row)


def close_round(store: Store, actor: Actor, year: int) -> RoundInfo:
    """Close (freeze) the round of `year` (audited); the expected organisations are kept as they are."""
    access.require(actor, access.MANAGE_ROUNDS)
    with store.write() as session:
        row = _round(session, year)
        if row.closed_at is not None:
            raise _refuse(N_("The {year} round is already closed."), year=year)
        expected = _expected(session, row)
        existing = set(
            session.scalars(
                select(RoundOrganisation.organisation_id).where(RoundOrganisation.round_id == row.id)
            )
        )
        session.add_all(
            RoundOrganisation(round_id=row.id, organisation_id=key) for key in expected if key not in existing
        )
        row.closed_at, row.closed_by = utcnow(), actor.username
        session.flush()
        audit.record(session, actor, ROUND_CLOSED, None, year=year)
        return _info(session, row)


def list_rounds(store: Store, actor: Actor) -> list[RoundInfo]:
    """Every round, newest year first."""
    access.require(actor, access.VIEW_ROUNDS)
    with store.read() as session:
        return [_info(session, row) for row in session.scalars(select(Round).order_by(Round.year.desc()))]


def get_round(store: Store, actor: Actor, year: int) -> RoundInfo:
    access.require(actor, access.VIEW_ROUNDS)
    with store.read() as session:
        return _info(session, _round(session, year))


def _counts(session: Session, year: int, closed_at: dt.datetime | None) -> dict[str, dict[str, object]]:
    """Per organisation: active questionnaires (all, evaluators'), last upload, late uploads, reviews."""
    found: dict[str, dict[str, object]] = {}
    rows = session.execute(
        select(
            Assessment.organisation_id,
            SubmissionRecord.respondent_role,
            SubmissionRecord.uploaded_at,
        )
        .join(SubmissionRecord, SubmissionRecord.assessment_id == Assessment.id)
        .where(Assessment.year == year, SubmissionRecord.status == ACTIVE)
    )
    for organisation_id, role, uploaded_at in rows:
        entry = found.setdefault(
            organisation_id, {"respondents": 0, "evaluators": 0, "last": None, "late": 0, "reviews": 0}
        )
        entry["respondents"] += 1
        entry["evaluators"] += role == ROLE_EVALUATOR
        entry["last"] = max(filter(None, (entry["last"], uploaded_at)))
        entry["late"] += closed_at is not None and uploaded_at > closed_at
    reviews = session.execute(
        select(Assessment.organisation_id, func.count(func.distinct(Review.code)))
        .join(Review, Review.assessment_id == Assessment.id)
        .where(Assessment.year == year, Review.superseded_at.is_(None))
        .group_by(Assessment.organisation_id)
    )
    for organisation_id, count in reviews:
        found.setdefault(
            organisation_id, {"respondents": 0, "evaluators": 0, "last": None, "late": 0, "reviews": 0}
        )["reviews"] = count
    return found


def _marks(session: Session, year: int) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    events: dict[str, list[tuple[str, dt.datetime]]] = {}
    for organisation_id, kind, at in session.execute(
        select(RoundEvent.organisation_id, RoundEvent.kind, RoundEvent.at)
        .where(RoundEvent.year == year)
        .order_by(RoundEvent.id)
    ):
        events.setdefault(organisation_id, []).append((kind, at))
    return {key: states.current_marks(found) for key, found in events.items()}


def round_status(
    store: Store, actor: Actor, year: int, today: dt.date | None = None
) -> list[OrganisationStatus]:
    """Each expected organisation's state in the round of `year` (a manager: only their own)."""
    access.require(actor, access.VIEW_ROUNDS)
    allowed = access.allowed_organisations(actor, access.VIEW_ROUNDS)
    today = today or dt.datetime.now(dt.UTC).date()
    with store.read() as session:
        row = _round(session, year)
        # A closed round's states are those of the day it closed: it is frozen.
        on = min(today, row.closed_at.date()) if row.closed_at else today
        expected = [key for key in _expected(session, row) if allowed is None or key in allowed]
        names = dict(
            session.execute(
                select(Organisation.id, Organisation.name).where(Organisation.id.in_(expected))
            ).all()
        )
        counts = _counts(session, year, row.closed_at)
        marks = _marks(session, year)
        managers = managers_by_organisation(session)
    statuses = []
    for key in expected:
        found = counts.get(key, {})
        submitted_at, verified_at = marks.get(key, (None, None))
        facts = states.Facts(
            respondents=int(found.get("respondents", 0)),
            evaluator_questionnaires=int(found.get("evaluators", 0)),
            reviewed_indicators=int(found.get("reviews", 0)),
            submitted_at=submitted_at,
            verified_at=verified_at,
        )
        statuses.append(
            OrganisationStatus(
                organisation_id=key,
                name=names.get(key, key),
                state=states.derive_state(facts, row.deadline, on),
                respondents=facts.respondents,
                last_upload=found.get("last"),  # type: ignore[arg-type]
                reviewed_indicators=facts.reviewed_indicators,
                submitted_at=submitted_at,
                verified_at=verified_at,
                late_uploads=int(found.get("late", 0)),
                managers=tuple(managers.get(key, ())),
            )
        )
    return statuses


def funnel(statuses: Sequence[OrganisationStatus]) -> list[tuple[str, int]]:
    """How many organisations reached each step of `states.FUNNEL` (late but started counts as started)."""
    submitted = {states.SUBMITTED, states.UNDER_REVIEW, states.VERIFIED}
    reviewed = {states.UNDER_REVIEW, states.VERIFIED}
    return [
        ("expected", len(statuses)),
        (states.IN_PROGRESS, sum(s.respondents > 0 or s.state in submitted for s in statuses)),
        (states.SUBMITTED, sum(s.state in submitted for s in statuses)),
        (states.UNDER_REVIEW, sum(s.state in reviewed for s in statuses)),
        (states.VERIFIED, sum(s.state == states.VERIFIED for s in statuses)),
    ]


def _status_of(
    session: Session, organisation_id: str, year: int
) -> tuple[dt.datetime | None, dt.datetime | None]:
    events = session.execute(
        select(RoundEvent.kind, RoundEvent.at)
        .where(RoundEvent.organisation_id == organisation_id, RoundEvent.year == year)
        .order_by(RoundEvent.id)
    ).all()
    return states.current_marks([(kind, at) for kind, at in events])


def _event(store: Store, actor: Actor, organisation_id: str, year: int, kind: str) -> None:
    """Record one round event for an organisation in an open round, after the state's own checks."""
    with store.write() as session:
        if lock_organisation(session, organisation_id) is None:
            raise _refuse(
                N_("Organisation {organisation} is not in the register."), organisation=organisation_id
            )
        row = _round(session, year)
        if row.closed_at is not None and not access.is_allowed(actor, access.UPLOAD_LATE, organisation_id):
            raise _refuse(N_("The {year} round is closed."), year=year)
        if organisation_id not in _expected(session, row):
            raise _refuse(
                N_("The {year} round does not expect {organisation}."),
                year=year,
                organisation=organisation_id,
            )
        submitted, verified = _status_of(session, organisation_id, year)
        if kind == states.MARKED_SUBMITTED:
            if submitted is not None:
                raise _refuse(
                    N_("{organisation} has already submitted its {year} self-assessment."),
                    organisation=organisation_id,
                    year=year,
                )
            self_questionnaires = session.scalar(
                select(func.count())
                .select_from(SubmissionRecord)
                .join(Assessment, Assessment.id == SubmissionRecord.assessment_id)
                .where(
                    Assessment.organisation_id == organisation_id,
                    Assessment.year == year,
                    SubmissionRecord.status == ACTIVE,
                    SubmissionRecord.respondent_role == ROLE_SELF,
                )
            )
            if not self_questionnaires:
                raise _refuse(
                    N_("{organisation} has no self-assessment questionnaire stored for {year} yet."),
                    organisation=organisation_id,
                    year=year,
                )
            action = MARKED_SUBMITTED
        elif kind == states.SIGNED_OFF:
            if submitted is None:
                raise _refuse(
                    N_("{organisation} has not submitted its {year} self-assessment yet."),
                    organisation=organisation_id,
                    year=year,
                )
            if verified is not None:
                raise _refuse(
                    N_("{organisation}'s {year} assessment is already signed off."),
                    organisation=organisation_id,
                    year=year,
                )
            action = SIGNED_OFF
        else:
            if submitted is None:
                raise _refuse(
                    N_("{organisation} has not submitted its {year} self-assessment yet."),
                    organisation=organisation_id,
                    year=year,
                )
            action = REOPENED
        session.add(
            RoundEvent(
                organisation_id=organisation_id, year=year, kind=kind, actor=actor.username, at=utcnow()
            )
        )
        audit.record(session, actor, action, organisation_id, year=year)


def mark_submitted(store: Store, actor: Actor, organisation_id: str, year: int) -> None:
    """A manager declares the organisation's self-assessment complete (needs a stored self-assessment)."""
    access.require(actor, access.MARK_SUBMITTED, organisation_id)
    _event(store, actor, organisation_id, year, states.MARKED_SUBMITTED)


def sign_off(store: Store, actor: Actor, organisation_id: str, year: int) -> None:
    """An evaluator verifies a submitted assessment."""
    access.require(actor, access.VERIFY, organisation_id)
    _event(store, actor, organisation_id, year, states.SIGNED_OFF)


def reopen(store: Store, actor: Actor, organisation_id: str, year: int) -> None:
    """An evaluator sends a submitted (or signed-off) assessment back to the organisation."""
    access.require(actor, access.VERIFY, organisation_id)
    _event(store, actor, organisation_id, year, states.REOPENED)


def late_uploads(store: Store, actor: Actor, organisation_id: str, year: int) -> int:
    """How many of the organisation's active questionnaires of `year` were stored after its round closed."""
    access.require(actor, access.VIEW_PROFILE, organisation_id)
    with store.read() as session:
        closed_at = session.scalar(select(Round.closed_at).where(Round.year == year))
        if closed_at is None:
            return 0
        return int(
            session.scalar(
                select(func.count())
                .select_from(SubmissionRecord)
                .join(Assessment, Assessment.id == SubmissionRecord.assessment_id)
                .where(
                    Assessment.organisation_id == organisation_id,
                    Assessment.year == year,
                    SubmissionRecord.status == ACTIVE,
                    SubmissionRecord.uploaded_at > closed_at,
                )
            )
            or 0
        )


def reminder_contacts(store: Store, actor: Actor, statuses: Sequence[OrganisationStatus]) -> list[str]:
    """The managers of these organisations to remind: e-mail addresses where the account name is one,
    else the names shown in the app (sorted, each once)."""
    access.require(actor, access.MANAGE_ROUNDS)
    usernames = {name for status in statuses for name in status.managers}
    if not usernames:
        return []
    with store.read() as session:
        rows = session.execute(select(User.username, User.display_name).where(User.username.in_(usernames)))
        contacts = {username if "@" in username else (display or username) for username, display in rows}
    return sorted(contacts)


def dashboard_round(store: Store) -> tuple[int, str] | None:
    """The round the dashboards open on, and why: the open round once more than half of it is
    verified, else the latest closed round; None when there is no round."""
    with store.read() as session:
        rows = list(session.scalars(select(Round).order_by(Round.year.desc())))
    open_rows = [row for row in rows if row.closed_at is None]
    for row in open_rows:
        statuses = round_status(store, access.SYSTEM, row.year)
        verified = sum(s.state == states.VERIFIED for s in statuses)
        if statuses and verified / len(statuses) > MOSTLY_VERIFIED:
            return row.year, "open"
    closed = [row for row in rows if row.closed_at is not None]
    return (closed[0].year, "closed") if closed else None
