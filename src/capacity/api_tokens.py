"""Personal API tokens: made by a person for themselves (or by an admin), shown once, kept as a hash.

A token acts as its owner: the role and organisations are read from the owner's account
at every request (`authenticate`), so a changed role or a disabled account takes effect
at once, and the library's access checks decide what the token may read, exactly as for
the pages.

Why sha256 and not argon2 (which the passwords use): a token is 256 random bits from
`secrets`, so there is nothing to guess and no dictionary to slow down; what argon2 buys
for human-chosen passwords does not apply. A plain sha256 is deterministic, so the token
is found by an indexed lookup of its hash instead of verifying a salted hash against
every stored token, at a cost of microseconds per API request instead of tens of
milliseconds. A stolen database still gives no usable token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from capacity import access
from capacity.access import Actor
from capacity.accounts import AccountError, actor_of, normalise_username
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.db import Store
from capacity.store.models import ApiToken, User, utcnow

TOKEN_CREATED = "api_token_created"
TOKEN_REVOKED = "api_token_revoked"
API_READ = "api_read"

TOKEN_PREFIX = "hdc_"  # tells a leaked token apart in logs and secret scanners
TOKEN_BYTES = 32  # 256 random bits
SHOWN_PREFIX = 12  # characters of the token kept in clear, to tell one's tokens apart
MAX_NAME = 100
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True)
class TokenInfo:
    """A token as its owner and admins see it: never the token itself."""

    id: int
    username: str
    name: str
    prefix: str
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def active(self, now: dt.datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True)
class NewToken:
    """A freshly made token: `secret` is shown exactly once, then only its hash exists."""

    info: TokenInfo
    secret: str


def token_hash(secret: str) -> str:
    """The sha256 (hex) a token is stored and found under."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _info(token: ApiToken) -> TokenInfo:
    return TokenInfo(
        token.id,
        token.username,
        token.name,
        token.prefix,
        token.created_by,
        token.created_at,
        token.expires_at,
        token.revoked_at,
        token.last_used_at,
    )


def _may_manage(actor: Actor, username: str) -> None:
    """One's own tokens, or anyone's for those who manage accounts."""
    if normalise_username(username) != actor.username:
        access.require(actor, access.MANAGE_USERS)


def create_token(
    store: Store, actor: Actor, username: str | None = None, name: str = "", expires_days: int | None = None
) -> NewToken:
    """Make a token for `username` (default: the actor), valid `expires_days` days or until revoked."""
    owner = normalise_username(username or actor.username)
    _may_manage(actor, owner)
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise AccountError(
            Message(
                N_("A token lasts between 1 and {maximum} days."),
                {"maximum": MAX_EXPIRY_DAYS},
            )
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    with store.write() as session:
        user = session.scalar(select(User).where(User.username == owner))
        if user is None:
            raise AccountError(Message(N_("There is no account {username}."), {"username": owner}))
        if user.disabled:
            raise AccountError(Message(N_("The account {username} is disabled."), {"username": owner}))
        token = ApiToken(
            username=owner,
            name=name.strip()[:MAX_NAME],
            token_hash=token_hash(secret),
            prefix=secret[:SHOWN_PREFIX],
            created_by=actor.username,
            created_at=now,
            expires_at=now + dt.timedelta(days=expires_days) if expires_days is not None else None,
        )
        session.add(token)
        session.flush()
        audit.record(
            session, actor, TOKEN_CREATED, None, username=owner, token=token.id, expires_days=expires_days
        )
        return NewToken(_info(token), secret)


def list_tokens(store: Store, actor: Actor, username: str | None = None) -> list[TokenInfo]:
    """The tokens of `username` (default: the actor), newest first; all tokens when `username` is "*"."""
    owner = actor.username if username is None else username
    statement = select(ApiToken).order_by(ApiToken.id.desc())
    if owner == "*":
        access.require(actor, access.MANAGE_USERS)
    else:
        _may_manage(actor, owner)
        statement = statement.where(ApiToken.username == normalise_username(owner))
    with store.read() as session:
        return [_info(token) for token in session.scalars(statement)]


def revoke_token(store: Store, actor: Actor, token_id: int) -> TokenInfo:
    """Revoke a token for good (its owner's or, for an admin, anyone's)."""
    with store.write() as session:
        token = session.get(ApiToken, token_id)
        if token is None or not _visible(actor, token):
            raise AccountError(Message(N_("There is no token {token}."), {"token": token_id}))
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            audit.record(session, actor, TOKEN_REVOKED, None, username=token.username, token=token.id)
        return _info(token)


def _visible(actor: Actor, token: ApiToken) -> bool:
    return token.username == actor.username or access.is_allowed(actor, access.MANAGE_USERS)


def authenticate(store: Store, secret: str, now: dt.datetime | None = None) -> tuple[int, Actor] | None:
    """The token's id and its owner's actor; None when unknown, revoked, expired or the account disabled."""
    now = now or utcnow()
    with store.read() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
        if token is None or token.revoked_at is not None:
            return None
        if token.expires_at is not None and token.expires_at <= now:
            return None
        user = session.scalar(select(User).where(User.username == token.username))
        if user is None or user.disabled:
            return None
        return token.id, actor_of(user)


def record_api_read(
    store: Store, token_id: int, actor: Actor, organisation_id: str | None = None, **detail: object
) -> None:
    """Audit one API read and note when the token was last used, in one short transaction."""
    now = utcnow()
    with store.write() as session:
        token = session.get(ApiToken, token_id)
        if token is not None:
            token.last_used_at = now
        audit.record(session, actor, API_READ, organisation_id, token=token_id, **detail)
