"""Signed-in sessions kept on the server: one sign-in serves reloads, new tabs and other windows.

A password sign-in creates a `login_sessions` row. The browser gets the session through
an HttpOnly cookie that its page scripts cannot read: the tab that signed in receives a
one-time hand-over code (valid `HANDOVER_TTL`, stored only as a digest) and its page
posts it to our route (`capacity.web`), which `claim`s the session and sets the cookie.
The cookie's value is made at that moment and only its sha256 is stored, so neither a
URL, nor the page, nor the database ever holds a usable session id. Every page run
`resume`s the session: idle more than `IDLE_TIMEOUT` or older than `ABSOLUTE_TIMEOUT`,
its account disabled or removed, or its row deleted (sign-out, a password reset, a role
change), and it is over, in every tab at its next click.

Single sign-on (`st.login`) keeps its own identity cookie; its sessions are rows too, so
a provider token without an issue time starts its 24-hour limit at the first sign-in
and not anew in each tab, and signing out in one tab ends the others.

Nothing here imports streamlit; the pages only pass along the tab's session id or the
cookie's value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from capacity.access import Actor
from capacity.accounts import PASSWORD, SIGNED_IN, SIGNED_OUT, SSO, _find, actor_of
from capacity.store import audit
from capacity.store.db import Store
from capacity.store.models import LoginSession, utcnow

COOKIE_NAME = "capacity_session"
IDLE_TIMEOUT = dt.timedelta(hours=8)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=24)
HANDOVER_TTL = dt.timedelta(minutes=1)  # the page posts the code at once; a minute covers a slow network
# `last_seen` is written at most once a minute, so a page run is not a database write
# each time; the idle limit is hours, so a minute of slack does not matter.
TOUCH_EVERY = dt.timedelta(minutes=1)
TOKEN_BYTES = 32


@dataclass(frozen=True)
class SignedInSession:
    """What a tab keeps once signed in: the server-side session's row id and who it is."""

    id: int
    actor: Actor
    method: str  # accounts.PASSWORD or accounts.SSO
    issued_at: dt.datetime
    last_seen: dt.datetime


@dataclass(frozen=True)
class Started:
    """A new session and the one-time code the tab's page hands to the cookie route."""

    session: SignedInSession
    handover: str


def digest(secret: str) -> str:
    """What is stored of a cookie value or a hand-over code: its sha256 (both are 256 random bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _expired(row: LoginSession, now: dt.datetime) -> bool:
    if now < row.issued_at or now < row.last_seen:
        return True  # a clock that went backwards is not trusted to extend a session
    return now - row.last_seen > IDLE_TIMEOUT or now - row.issued_at > ABSOLUTE_TIMEOUT


def _record(row: LoginSession, actor: Actor) -> SignedInSession:
    return SignedInSession(row.id, actor, row.method, row.issued_at, row.last_seen)


def _prune(db: Session, now: dt.datetime) -> None:
    db.execute(
        delete(LoginSession).where(
            or_(LoginSession.last_seen < now - IDLE_TIMEOUT, LoginSession.issued_at < now - ABSOLUTE_TIMEOUT)
        )
    )


def start(
    store: Store,
    actor: Actor,
    method: str,
    client: str,
    now: dt.datetime | None = None,
    issued_at: dt.datetime | None = None,
) -> Started:
    """A new session for a freshly signed-in actor, with its hand-over code.

    `issued_at` is when the person proved who they are, if before now (an identity
    provider's sign-in); the absolute limit counts from there.
    """
    now = now or utcnow()
    code = secrets.token_urlsafe(TOKEN_BYTES)
    with store.write() as db:
        _prune(db, now)
        row = LoginSession(
            handover_hash=digest(code),
            handover_until=now + HANDOVER_TTL,
            username=actor.username,
            method=method,
            client=client[:200],
            created_at=now,
            issued_at=min(issued_at or now, now),
            last_seen=now,
        )
        db.add(row)
        db.flush()
        return Started(_record(row, actor), code)


def claim(store: Store, code: str, now: dt.datetime | None = None) -> str | None:
    """The cookie value for the session a hand-over `code` names, or None; a code works once only.

    A new random value is made here and only its digest stored, so the value exists only
    in this response's Set-Cookie.
    """
    now = now or utcnow()
    if not code:
        return None
    with store.write() as db:
        row = db.scalar(
            select(LoginSession).where(LoginSession.handover_hash == digest(code)).with_for_update()
        )
        if row is None:
            return None
        fresh = row.handover_until is not None and now <= row.handover_until
        row.handover_hash, row.handover_until = None, None
        if not fresh or _expired(row, now):
            return None
        token = secrets.token_urlsafe(TOKEN_BYTES)
        row.token_hash = digest(token)
        return token


def resume(
    store: Store,
    session_id: int | None = None,
    token: str | None = None,
    now: dt.datetime | None = None,
    actor: Actor | None = None,
) -> SignedInSession | None:
    """The session of a tab (`session_id`) or of a cookie (`token`) at `now`, or None when it is over.

    A password session re-reads its account each time, so a change of organisations
    counts at the next click, and a disabled or removed account ends it. A single
    sign-on session takes `actor` from the caller (the rules decide it each run).
    An expired session is deleted, so every other tab sees it gone too.
    """
    now = now or utcnow()
    if session_id is None and not token:
        return None
    condition = (
        LoginSession.id == session_id
        if session_id is not None
        else LoginSession.token_hash == digest(token or "")
    )
    with store.read() as db:  # most runs only read: no write lock taken on every click
        row = db.scalar(select(LoginSession).where(condition))
        if row is None:
            return None
        user = _find(db, row.username) if row.method == PASSWORD else None
    over = _expired(row, now) or (row.method == PASSWORD and (user is None or user.disabled))
    if over:
        with store.write() as db:
            db.execute(delete(LoginSession).where(LoginSession.id == row.id))
        return None
    if user is not None:
        actor = actor_of(user)
    if actor is None or actor.username != row.username:
        return None
    if now - row.last_seen >= TOUCH_EVERY:
        with store.write() as db:
            db.execute(update(LoginSession).where(LoginSession.id == row.id).values(last_seen=now))
        row.last_seen = now
    return _record(row, actor)


def end(store: Store, session: SignedInSession) -> None:
    """Sign out: the session ends in every tab and window that shares it, and the end is audited."""
    with store.write() as db:
        db.execute(delete(LoginSession).where(LoginSession.id == session.id))
        audit.record(db, session.actor, SIGNED_OUT, None, method=session.method)


def sso_session(
    store: Store,
    actor: Actor,
    client: str,
    authenticated_at: dt.datetime | None,
    now: dt.datetime | None = None,
) -> SignedInSession | None:
    """The single sign-on session of a tab that has none yet, or None when it is over.

    The provider's identity cookie is shared by every tab, so the tabs share one row: a
    provider sign-in with an issue time (`iat`) is the row with that issue time; one
    without is the account's current single sign-on row, so its 24-hour limit runs
    from the first sign-in and a new tab does not start it again. A new row is audited
    as a sign-in. None means the limits have passed: the caller signs out at the provider.
    """
    now = now or utcnow()
    issued = min(authenticated_at, now) if authenticated_at is not None else None
    with store.write() as db:
        statement = select(LoginSession).where(
            LoginSession.username == actor.username, LoginSession.method == SSO
        )
        if issued is not None:
            statement = statement.where(LoginSession.issued_at == issued)
        row = db.scalar(statement.order_by(LoginSession.id.desc()).limit(1))
        if row is not None:
            if _expired(row, now):
                db.delete(row)
                return None
            row.last_seen = now
            return _record(row, actor)
        if issued is not None and _expired_times(issued, now):
            return None
        row = LoginSession(
            username=actor.username,
            method=SSO,
            client=client[:200],
            created_at=now,
            issued_at=issued or now,
            last_seen=now,
        )
        db.add(row)
        db.flush()
        audit.record(db, actor, SIGNED_IN, None, method=SSO)
        return _record(row, actor)


def _expired_times(issued_at: dt.datetime, now: dt.datetime) -> bool:
    return now < issued_at or now - issued_at > ABSOLUTE_TIMEOUT
