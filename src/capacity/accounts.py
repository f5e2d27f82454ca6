"""Local accounts: argon2 passwords, rate-limited sign-in, expiring sessions, and the first run.

The embedded deployment has no identity provider, so the app keeps its own accounts in
the `users` table. Three defences stand between a guesser and an account: a per-account
lock after `MAX_FAILURES` wrong passwords that doubles with each further failure, a
per-client limit on failed attempts across all accounts (`sign_in_attempts`), and
argon2id hashing, so a stolen database does not give the passwords away. No password is
ever fixed in code: the first administrator and the demo accounts get random ones, shown
once and written to a file only the owner can read.

Every change to an account and every sign-in is written to the audit log in the same
transaction. Account management requires `access.MANAGE_USERS`; the sign-in path itself
needs no actor, since nobody is signed in yet.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import ADMIN, BOARD, EVALUATOR, MANAGER, ROLES, SYSTEM, Actor
from capacity.files import private_dir
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.db import Store, data_dir
from capacity.store.errors import StoreError
from capacity.store.models import Organisation, SignInAttempt, User, utcnow

# Audit actions written by this module (the storage actions live in `capacity.store.audit`).
SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGNED_OUT = "signed_out"
ACCOUNT_LOCKED = "account_locked"
USER_CREATED = "user_created"
USER_DISABLED = "user_disabled"
USER_ENABLED = "user_enabled"
ROLE_CHANGED = "role_changed"
PASSWORD_RESET = "password_reset"
PASSWORD_CHANGED = "password_changed"

# How sign-ins are throttled and how long a session lives.
MAX_FAILURES = 5  # wrong passwords in a row before the account locks
LOCK_BASE = dt.timedelta(minutes=1)  # the first lock; each further failure doubles it
LOCK_MAX = dt.timedelta(hours=24)
CLIENT_WINDOW = dt.timedelta(minutes=15)
CLIENT_LIMIT = 20  # failed attempts from one client within CLIENT_WINDOW, across all accounts
ATTEMPTS_KEPT = dt.timedelta(days=1)  # older attempts no longer matter and are pruned
IDLE_TIMEOUT = dt.timedelta(hours=8)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=24)

MIN_PASSWORD_LENGTH = 12
GENERATED_PASSWORD_LENGTH = 20
# No look-alike characters (0/O, 1/l/I), so a password read off a console is typed right.
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,199}$")

FIRST_ADMIN = "admin"
CREDENTIALS_FILENAME = "first-run-credentials.txt"
TRUST_PROXY_ENV = "CAPACITY_TRUST_PROXY_HEADERS"

PASSWORD, SSO = "password", "sso"  # how a session was signed in

_hasher = PasswordHasher()


class AccountError(StoreError):
    """An account action was refused (unknown user, last administrator …); the message is translatable."""


@dataclass(frozen=True)
class Account:
    """An account as the admin sees it: everything but the password hash."""

    username: str
    display_name: str
    role: str
    organisations: tuple[str, ...]
    disabled: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    created_at: dt.datetime


@dataclass(frozen=True)
class Credential:
    """A freshly made account and its password, to be shown exactly once."""

    username: str
    password: str
    role: str
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a sign-in: an actor, or the reason to show instead."""

    actor: Actor | None
    message: Message | None = None


@dataclass(frozen=True)
class SignedInSession:
    """What a browser session keeps once signed in; `session_valid` decides whether it still counts."""

    token: str
    actor: Actor
    method: str  # PASSWORD or SSO
    issued_at: dt.datetime
    last_seen: dt.datetime


# ------------------------------------------------------------------ passwords
def hash_password(password: str) -> str:
    """The argon2id hash of `password`."""
    return _hasher.hash(password)


def random_password(length: int = GENERATED_PASSWORD_LENGTH) -> str:
    """A random password from the unambiguous alphabet (about 5.8 bits per character)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so both cases take the same time."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> Message | None:
    """Why a chosen password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Message(
            N_("A password needs at least {minimum} characters."), {"minimum": MIN_PASSWORD_LENGTH}
        )
    return None


# ------------------------------------------------------------------ helpers
def normalise_username(username: str) -> str:
    """User names are compared without case and surrounding spaces."""
    return username.strip().lower()


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise AccountError(
            Message(
                N_("A user name uses letters, digits and . _ @ - only, and starts with a letter or digit."),
                {},
            )
        )
    return name


def check_role(role: str, organisations: Iterable[str]) -> tuple[str, ...]:
    """The organisations kept for `role` (only managers have any); raises AccountError when invalid."""
    if role not in ROLES:
        raise AccountError(Message(N_("There is no role {role}."), {"role": role}))
    kept = tuple(sorted({o.strip() for o in organisations if o.strip()}))
    if role == MANAGER and not kept:
        raise AccountError(Message(N_("A manager needs at least one organisation."), {}))
    return kept if role == MANAGER else ()


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalise_username(username)))


def _existing(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise AccountError(Message(N_("There is no account {username}."), {"username": username}))
    return user


def actor_of(user: User) -> Actor:
    """The actor an account acts as."""
    return Actor(user.username, user.role, frozenset(user.organisations or ()), user.display_name)


def _account(user: User) -> Account:
    return Account(
        user.username,
        user.display_name,
        user.role,
        tuple(user.organisations or ()),
        user.disabled,
        user.locked_until,
        user.failed_attempts,
        user.created_at,
    )


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == ADMIN, User.disabled.is_(False))
        )
        or 0
    )


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse the change when it would leave no active administrator (nobody could manage accounts)."""
    if user.role == ADMIN and not user.disabled and _active_admins(session) <= 1:
        raise AccountError(Message(N_("This is the last active administrator; add another one first."), {}))


# ------------------------------------------------------------------ sign-in
def client_key(
    remote_ip: str | None, forwarded_for: str | None = None, trust_proxy: bool | None = None
) -> str:
    """The key failed sign-ins are counted under for one client.

    X-Forwarded-For is only believed when the operator says a proxy sets it
    (CAPACITY_TRUST_PROXY_HEADERS=1): a client talking to the app directly could
    otherwise invent a new address with every guess.
    """
    if trust_proxy is None:
        trust_proxy = os.environ.get(TRUST_PROXY_ENV, "").strip().lower() in {"1", "true", "yes"}
    if trust_proxy and forwarded_for:
        first = forwarded_for.split(",")[0].strip()
        if first:
            return first[:200]
    return (remote_ip or "local")[:200]


def _lock_for(failures: int) -> dt.timedelta:
    """How long an account stays locked after `failures` wrong passwords in a row."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    return min(LOCK_BASE * 2 ** min(failures - MAX_FAILURES, 20), LOCK_MAX)


def _minutes(delta: dt.timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))


def _recent_failures(session: Session, client: str, now: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(SignInAttempt)
            .where(
                SignInAttempt.client == client,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.at > now - CLIENT_WINDOW,
            )
        )
        or 0
    )


def _note_attempt(session: Session, client: str, username: str, succeeded: bool, now: dt.datetime) -> None:
    session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - ATTEMPTS_KEPT))
    session.add(SignInAttempt(at=now, client=client, username=username[:200], succeeded=succeeded))


WRONG_PASSWORD = Message(N_("The user name or password is not correct."), {})


def sign_in(
    store: Store, username: str, password: str, client: str, now: dt.datetime | None = None
) -> SignInResult:
    """Check a user name and password, applying the per-client limit and the per-account lock.

    The password is verified outside the write transaction (argon2 is deliberately
    slow), then the outcome is written in one transaction: the attempt, the account's
    failure count or lock, a rehash when the hashing parameters changed, and the audit
    entry.
    """
    now = now or utcnow()
    name = normalise_username(username)[:200]
    with store.read() as session:
        if _recent_failures(session, client, now) >= CLIENT_LIMIT:
            refused = Message(
                N_("Too many failed sign-ins from this computer. Try again in {minutes} min."),
                {"minutes": _minutes(CLIENT_WINDOW)},
            )
            return _refuse(store, name, client, now, refused, "client_limit")
        user = _find(session, name)
        stored_hash = user.password_hash if user else None
        locked_until = user.locked_until if user else None
    if locked_until is not None and locked_until > now:
        refused = Message(
            N_("This account is locked after too many failed sign-ins. Try again in {minutes} min."),
            {"minutes": _minutes(locked_until - now)},
        )
        return _refuse(store, name, client, now, refused, "locked")
    if not _verify(stored_hash, password):
        return _wrong_password(store, name, client, now)
    assert user is not None and stored_hash is not None
    if user.disabled:
        refused = Message(N_("This account is disabled. Ask an administrator."), {})
        return _refuse(store, name, client, now, refused, "disabled")
    with store.write() as session:
        user = _existing(session, name)
        user.failed_attempts, user.locked_until = 0, None
        if _hasher.check_needs_rehash(stored_hash):
            user.password_hash = hash_password(password)
        _note_attempt(session, client, name, True, now)
        actor = actor_of(user)
        audit.record(session, actor, SIGNED_IN, None, method=PASSWORD, client=client)
    return SignInResult(actor)


def _refuse(
    store: Store, name: str, client: str, now: dt.datetime, message: Message, reason: str
) -> SignInResult:
    with store.write() as session:
        _note_attempt(session, client, name, False, now)
        audit.record(session, Actor(name, ""), SIGN_IN_FAILED, None, reason=reason, client=client)
    return SignInResult(None, message)


def _wrong_password(store: Store, name: str, client: str, now: dt.datetime) -> SignInResult:
    with store.write() as session:
        _note_attempt(session, client, name, False, now)
        user = _find(session, name)
        detail = {"reason": "wrong_password" if user else "unknown_user", "client": client}
        audit.record(session, Actor(name, user.role if user else ""), SIGN_IN_FAILED, None, **detail)
        if user is None:
            return SignInResult(None, WRONG_PASSWORD)
        user.failed_attempts += 1
        lock = _lock_for(user.failed_attempts)
        if not lock:
            return SignInResult(None, WRONG_PASSWORD)
        user.locked_until = now + lock
        audit.record(
            session,
            actor_of(user),
            ACCOUNT_LOCKED,
            None,
            failures=user.failed_attempts,
            minutes=_minutes(lock),
        )
    return SignInResult(
        None,
        Message(
            N_("The password is not correct, and the account is now locked for {minutes} min."),
            {"minutes": _minutes(lock)},
        ),
    )


# ------------------------------------------------------------------ sessions
def start_session(
    actor: Actor, method: str, now: dt.datetime | None = None, issued_at: dt.datetime | None = None
) -> SignedInSession:
    """A new session for a freshly signed-in actor, with its own random token.

    `issued_at` is when the person proved who they are, if that was before now (an
    identity provider's sign-in); the absolute limit counts from there.
    """
    now = now or utcnow()
    return SignedInSession(secrets.token_urlsafe(32), actor, method, min(issued_at or now, now), now)


def session_valid(session: SignedInSession | None, now: dt.datetime | None = None) -> bool:
    """Whether the session still counts: idle less than IDLE_TIMEOUT and younger than ABSOLUTE_TIMEOUT."""
    if not isinstance(session, SignedInSession):
        return False
    now = now or utcnow()
    if now < session.issued_at or now < session.last_seen:
        return False  # a clock that went backwards is not trusted to extend a session
    return now - session.last_seen <= IDLE_TIMEOUT and now - session.issued_at <= ABSOLUTE_TIMEOUT


def resume_session(
    store: Store, session: SignedInSession | None, now: dt.datetime | None = None
) -> SignedInSession | None:
    """The session touched at `now`, or None when it expired or its account was disabled or removed.

    A password session re-reads its account on every use, so an admin's change of role,
    organisations or a disabling takes effect at the user's next click.
    """
    now = now or utcnow()
    if not session_valid(session, now):
        return None
    assert session is not None
    actor = session.actor
    if session.method == PASSWORD:
        with store.read() as db:
            user = _find(db, actor.username)
            if user is None or user.disabled:
                return None
            actor = actor_of(user)
    return replace(session, actor=actor, last_seen=now)


def record_sign_in(store: Store, actor: Actor, method: str, **detail: str) -> None:
    """Audit a sign-in made elsewhere (single sign-on)."""
    with store.write() as session:
        audit.record(session, actor, SIGNED_IN, None, method=method, **detail)


def sign_out(store: Store, session: SignedInSession) -> None:
    """Audit the end of a session (the caller forgets the session itself)."""
    with store.write() as db:
        audit.record(db, session.actor, SIGNED_OUT, None, method=session.method)


# ------------------------------------------------------------------ managing accounts
def add_user(
    store: Store,
    actor: Actor,
    username: str,
    role: str,
    organisations: Iterable[str] = (),
    display_name: str = "",
    password: str | None = None,
) -> Credential:
    """Create an account; without `password` a random one is made. Returns it for showing once."""
    access.require(actor, access.MANAGE_USERS)
    name = _check_username(username)
    kept = check_role(role, organisations)
    if password is None:
        password = random_password()
    elif (problem := password_problem(password)) is not None:
        raise AccountError(problem)
    with store.write() as session:
        if _find(session, name) is not None:
            raise AccountError(Message(N_("There is already an account {username}."), {"username": name}))
        session.add(
            User(
                username=name,
                display_name=display_name.strip(),
                role=role,
                organisations=list(kept),
                password_hash=hash_password(password),
                disabled=False,
                failed_attempts=0,
            )
        )
        audit.record(session, actor, USER_CREATED, None, username=name, role=role, organisations=list(kept))
    return Credential(name, password, role, kept)


def list_users(store: Store, actor: Actor) -> list[Account]:
    """Every account, by user name."""
    access.require(actor, access.MANAGE_USERS)
    with store.read() as session:
        return [_account(user) for user in session.scalars(select(User).order_by(User.username))]


def set_disabled(store: Store, actor: Actor, username: str, disabled: bool = True) -> None:
    """Disable an account (its sessions end at the next click) or enable it again."""
    access.require(actor, access.MANAGE_USERS)
    with store.write() as session:
        user = _existing(session, username)
        if disabled:
            _keep_an_admin(session, user)
        user.disabled = disabled
        if not disabled:
            user.failed_attempts, user.locked_until = 0, None
        action = USER_DISABLED if disabled else USER_ENABLED
        audit.record(session, actor, action, None, username=user.username)


def set_role(store: Store, actor: Actor, username: str, role: str, organisations: Iterable[str] = ()) -> None:
    """Change an account's role and, for a manager, its organisations."""
    access.require(actor, access.MANAGE_USERS)
    kept = check_role(role, organisations)
    with store.write() as session:
        user = _existing(session, username)
        if role != ADMIN:
            _keep_an_admin(session, user)
        before = {"role": user.role, "organisations": list(user.organisations or ())}
        user.role, user.organisations = role, list(kept)
        audit.record(
            session,
            actor,
            ROLE_CHANGED,
            None,
            username=user.username,
            role=role,
            organisations=list(kept),
            previous_role=before["role"],
            previous_organisations=before["organisations"],
        )


def reset_password(store: Store, actor: Actor, username: str) -> Credential:
    """Give an account a new random password (and lift any lock); returns it for showing once."""
    access.require(actor, access.MANAGE_USERS)
    password = random_password()
    with store.write() as session:
        user = _existing(session, username)
        user.password_hash = hash_password(password)
        user.failed_attempts, user.locked_until = 0, None
        audit.record(session, actor, PASSWORD_RESET, None, username=user.username)
        return Credential(user.username, password, user.role, tuple(user.organisations or ()))


def change_password(store: Store, actor: Actor, current: str, new: str) -> Message | None:
    """The signed-in user replaces their own password; returns the refusal, or None when done."""
    if (problem := password_problem(new)) is not None:
        return problem
    with store.read() as session:
        user = _find(session, actor.username)
        stored_hash = user.password_hash if user else None
    if user is None or not _verify(stored_hash, current):
        return Message(N_("The current password is not correct."), {})
    with store.write() as session:
        _existing(session, actor.username).password_hash = hash_password(new)
        audit.record(session, actor, PASSWORD_CHANGED, None, username=actor.username)
    return None


def known_organisations(store: Store, actor: Actor) -> dict[str, str]:
    """Every stored organisation, id → name, for tying managers to them (a new one may be typed too)."""
    access.require(actor, access.MANAGE_USERS)
    with store.read() as session:
        rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id))
        return dict(rows.all())


# ------------------------------------------------------------------ first run
def has_accounts(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(select(User.id).limit(1)) is not None


def ensure_first_admin(store: Store) -> Credential | None:
    """On an empty users table, create `admin` with a random password; None when accounts exist."""
    if has_accounts(store):
        return None
    return add_user(store, SYSTEM, FIRST_ADMIN, ADMIN, display_name="Administrator")


def _demo_manager_organisations(store: Store, count: int = 2) -> list[str]:
    """A few stored organisations for the demo manager: national societies first, as in the demo's cast."""
    with store.read() as session:
        societies_first = case((Organisation.type == "national_society", 0), else_=1)
        statement = select(Organisation.id).order_by(societies_first, Organisation.id).limit(count)
        return list(session.scalars(statement))


DEMO_ACCOUNTS = (("demo-manager", MANAGER), ("demo-board", BOARD), ("demo-evaluator", EVALUATOR))


def create_demo_accounts(store: Store) -> list[Credential]:
    """One account per role for trying the demo, each with its own random password (none if they exist).

    The demo manager is tied to two stored organisations, so they see what a manager
    sees: their own profiles, and others only in peer statistics.
    """
    organisations = _demo_manager_organisations(store)
    made = []
    with store.read() as session:
        existing = set(session.scalars(select(User.username)))
    for username, role in DEMO_ACCOUNTS:
        if username in existing or (role == MANAGER and not organisations):
            continue
        made.append(
            add_user(
                store,
                SYSTEM,
                username,
                role,
                organisations if role == MANAGER else (),
                display_name=f"Demo {role}",
            )
        )
    return made


def credentials_path() -> Path:
    return data_dir() / CREDENTIALS_FILENAME


def write_credentials(credentials: Sequence[Credential], path: Path | None = None) -> Path:
    """Append the credentials to a file only its owner may read (mode 0600, set when it is created)."""
    path = path or credentials_path()
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file already existed with looser rights
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        for credential in credentials:
            handle.write(credential_line(credential) + "\n")
    return path


def credential_line(credential: Credential) -> str:
    """One line per account: user name, password, role and any organisations."""
    line = f"{credential.username}\t{credential.password}\t{credential.role}"
    return line + (f"\t{','.join(credential.organisations)}" if credential.organisations else "")
