"""Local accounts: argon2 passwords, delayed sign-in after failures, and the first run.

The embedded deployment has no identity provider, so the app keeps its own accounts in
the `users` table. Three defences stand between a guesser and an account: a delay per
user name after `MAX_FAILURES` wrong passwords in a row that doubles with each further
failure (at most `ACCOUNT_DELAY_MAX`), a shorter delay per client after `CLIENT_LIMIT`
failures across all accounts, both counted from `sign_in_attempts`, and argon2id
hashing, so a stolen database does not give the passwords away. Delays rather than long
locks: someone who fails on purpose can slow an account down, never shut its owner out
for a day, and a guesser on a shared address never blocks the other people behind it
for more than `CLIENT_DELAY_MAX`. No password is
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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import ADMIN, BOARD, EVALUATOR, MANAGER, ROLES, SYSTEM, Actor
from capacity.files import private_dir
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.db import Store, data_dir
from capacity.store.errors import StoreError
from capacity.store.models import LoginSession, Organisation, SignInAttempt, User, utcnow

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

# How sign-ins are delayed after failures.
MAX_FAILURES = 5  # wrong passwords in a row on one user name before it waits
ACCOUNT_DELAY_BASE = dt.timedelta(minutes=1)  # the first wait; each further failure doubles it
# At most a quarter of an hour: about a hundred guesses a day on one account, while its
# owner, whom anyone can make wait on purpose, waits minutes and not a day.
ACCOUNT_DELAY_MAX = dt.timedelta(minutes=15)
CLIENT_WINDOW = dt.timedelta(minutes=15)
CLIENT_LIMIT = (
    20  # failed attempts from one client within CLIENT_WINDOW, across all accounts, before it waits
)
CLIENT_DELAY_BASE = dt.timedelta(seconds=1)
# A shared address (an office, a mobile network) also carries people with the right
# password, so one guesser may slow them by a minute at most; it still caps the guesser
# at about one try a minute across all accounts.
CLIENT_DELAY_MAX = dt.timedelta(minutes=1)
ATTEMPTS_KEPT = dt.timedelta(days=1)  # older attempts no longer matter and are pruned
SIGN_IN_LOCK_SPACE = 0x5349  # "SI": the first key of the PostgreSQL advisory locks of sign-in

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
    locked_until: dt.datetime | None  # until when its user name waits after failed sign-ins
    failed_attempts: int  # wrong passwords in a row
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


def _account(session: Session, user: User, now: dt.datetime) -> Account:
    failures, latest = _failures_in_a_row(session, user.username, now)
    wait = _wait(latest, account_delay(failures), now)
    return Account(
        user.username,
        user.display_name,
        user.role,
        tuple(user.organisations or ()),
        user.disabled,
        now + wait if wait else None,
        failures,
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

    Behind a reverse proxy (CAPACITY_TRUST_PROXY_HEADERS=1) the client is the rightmost
    address of X-Forwarded-For: the one our proxy appended. Everything left of it was
    sent by the client and may be invented, so a guesser cannot get a fresh key per
    guess. Without that setting the header is ignored and the connection's address counts.
    """
    if trust_proxy is None:
        trust_proxy = os.environ.get(TRUST_PROXY_ENV, "").strip().lower() in {"1", "true", "yes"}
    if trust_proxy and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last[:200]
    return (remote_ip or "local")[:200]


def account_delay(failures: int) -> dt.timedelta:
    """How long a user name waits after `failures` wrong passwords in a row (from any client)."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    return min(ACCOUNT_DELAY_BASE * 2 ** min(failures - MAX_FAILURES, 20), ACCOUNT_DELAY_MAX)


def client_delay(failures: int) -> dt.timedelta:
    """How long one client waits after `failures` failed sign-ins within CLIENT_WINDOW, on any accounts."""
    if failures < CLIENT_LIMIT:
        return dt.timedelta(0)
    return min(CLIENT_DELAY_BASE * 2 ** min(failures - CLIENT_LIMIT, 20), CLIENT_DELAY_MAX)


def _minutes(delta: dt.timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))


def _failures_in_a_row(session: Session, name: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Failed attempts on `name` since its last success (within ATTEMPTS_KEPT), and when the last was."""
    last_success = (
        select(func.coalesce(func.max(SignInAttempt.id), 0))
        .where(SignInAttempt.username == name, SignInAttempt.succeeded.is_(True))
        .scalar_subquery()
    )
    count, latest = session.execute(
        select(func.count(), func.max(SignInAttempt.at)).where(
            SignInAttempt.username == name,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.id > last_success,
            SignInAttempt.at > now - ATTEMPTS_KEPT,
        )
    ).one()
    return count or 0, latest


def _client_failures(session: Session, client: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    count, latest = session.execute(
        select(func.count(), func.max(SignInAttempt.at)).where(
            SignInAttempt.client == client,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > now - CLIENT_WINDOW,
        )
    ).one()
    return count or 0, latest


def _wait(latest: dt.datetime | None, delay: dt.timedelta, now: dt.datetime) -> dt.timedelta:
    """What is left of `delay` counted from the `latest` failure (zero when nothing is left)."""
    if latest is None or not delay:
        return dt.timedelta(0)
    return max(latest + delay - now, dt.timedelta(0))


def _serialise(session: Session, name: str, client: str) -> None:
    """Make the check-and-count of one user name and one client atomic across processes.

    SQLite: the write transaction began with BEGIN IMMEDIATE, so it already holds the
    database's write lock. PostgreSQL: transaction-level advisory locks on the user name
    and on the client (always in that order, so two sign-ins cannot deadlock); an unknown
    user name has no row to lock, and must be counted all the same.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in (f"account:{name}", f"client:{client}"):
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
            {"space": SIGN_IN_LOCK_SPACE, "key": key},
        )


WRONG_PASSWORD = Message(N_("The user name or password is not correct."), {})
TOO_MANY_FOR_NAME = N_("Too many failed sign-ins with this user name. Try again in {minutes} min.")


def sign_in(
    store: Store, username: str, password: str, client: str, now: dt.datetime | None = None
) -> SignInResult:
    """Check a user name and password, under a delay per user name and a delay per client.

    In one transaction (BEGIN IMMEDIATE on SQLite, advisory locks on PostgreSQL) the
    delays are checked and, when none applies, the attempt is written as a failure
    before the password is checked: thirty simultaneous guesses therefore see each
    other, and no more passwords are tried than the delays allow. argon2 runs outside
    that transaction (it is deliberately slow); a right password then turns the attempt
    into a success. An unknown user name is delayed exactly like a real one and gets
    the same messages, so neither reveals whether the account exists.
    """
    now = now or utcnow()
    name = normalise_username(username)[:200]
    with store.write() as session:
        _serialise(session, name, client)
        client_failures, client_latest = _client_failures(session, client, now)
        account_failures, account_latest = _failures_in_a_row(session, name, now)
        refusal = _delay_refusal(
            _wait(client_latest, client_delay(client_failures), now),
            _wait(account_latest, account_delay(account_failures), now),
        )
        if refusal is not None:
            reason, message = refusal
            audit.record(session, Actor(name, ""), SIGN_IN_FAILED, None, reason=reason, client=client)
            return SignInResult(None, message)
        attempt = SignInAttempt(at=now, client=client, username=name, succeeded=False)
        session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - ATTEMPTS_KEPT))
        session.add(attempt)
        session.flush()
        attempt_id = attempt.id
        user = _find(session, name)
        stored_hash = user.password_hash if user else None
    if not _verify(stored_hash, password):
        return _wrong_password(store, name, client, account_failures + 1)
    with store.write() as session:
        user = _existing(session, name)
        if user.disabled:
            audit.record(session, actor_of(user), SIGN_IN_FAILED, None, reason="disabled", client=client)
            return SignInResult(None, Message(N_("This account is disabled. Ask an administrator."), {}))
        session.execute(update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(succeeded=True))
        if stored_hash is not None and _hasher.check_needs_rehash(stored_hash):
            user.password_hash = hash_password(password)
        actor = actor_of(user)
        audit.record(session, actor, SIGNED_IN, None, method=PASSWORD, client=client)
    return SignInResult(actor)


def _delay_refusal(client_wait: dt.timedelta, account_wait: dt.timedelta) -> tuple[str, Message] | None:
    """The audit reason and message when the client or the user name must still wait, else None."""
    if client_wait > dt.timedelta(0):
        return "client_delay", Message(
            N_("Too many failed sign-ins from this network. Try again in {minutes} min."),
            {"minutes": _minutes(client_wait)},
        )
    if account_wait > dt.timedelta(0):
        return "account_delay", Message(TOO_MANY_FOR_NAME, {"minutes": _minutes(account_wait)})
    return None


def _wrong_password(store: Store, name: str, client: str, failures: int) -> SignInResult:
    """Audit a wrong password (the attempt is already counted), and the delay it starts for an account."""
    with store.write() as session:
        user = _find(session, name)
        detail = {"reason": "wrong_password" if user else "unknown_user", "client": client}
        audit.record(session, Actor(name, user.role if user else ""), SIGN_IN_FAILED, None, **detail)
        if user is not None and failures >= MAX_FAILURES:  # a new, longer delay begins
            audit.record(
                session,
                actor_of(user),
                ACCOUNT_LOCKED,
                None,
                failures=failures,
                minutes=_minutes(account_delay(failures)),
            )
    return SignInResult(None, WRONG_PASSWORD)


def _lift_delay(session: Session, name: str) -> None:
    """Forget the failed attempts on `name`, so its delay ends (an administrator's reset or enabling)."""
    session.execute(
        delete(SignInAttempt).where(SignInAttempt.username == name, SignInAttempt.succeeded.is_(False))
    )


def _end_sessions(session: Session, username: str, keep: int | None = None) -> None:
    """End every server-side session of `username` but `keep`: its tabs are signed out at their next click."""
    statement = delete(LoginSession).where(LoginSession.username == username)
    if keep is not None:
        statement = statement.where(LoginSession.id != keep)
    session.execute(statement)


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
            )
        )
        audit.record(session, actor, USER_CREATED, None, username=name, role=role, organisations=list(kept))
    return Credential(name, password, role, kept)


def list_users(store: Store, actor: Actor) -> list[Account]:
    """Every account, by user name."""
    access.require(actor, access.MANAGE_USERS)
    now = utcnow()
    with store.read() as session:
        return [
            _account(session, user, now) for user in session.scalars(select(User).order_by(User.username))
        ]


def set_disabled(store: Store, actor: Actor, username: str, disabled: bool = True) -> None:
    """Disable an account (its sessions end: its tabs are signed out at their next click) or enable it."""
    access.require(actor, access.MANAGE_USERS)
    with store.write() as session:
        user = _existing(session, username)
        if disabled:
            _keep_an_admin(session, user)
        user.disabled = disabled
        if disabled:
            _end_sessions(session, user.username)
        else:
            _lift_delay(session, user.username)
        action = USER_DISABLED if disabled else USER_ENABLED
        audit.record(session, actor, action, None, username=user.username)


def set_role(store: Store, actor: Actor, username: str, role: str, organisations: Iterable[str] = ()) -> None:
    """Change an account's role and, for a manager, its organisations; its sessions end (sign in again)."""
    access.require(actor, access.MANAGE_USERS)
    kept = check_role(role, organisations)
    with store.write() as session:
        user = _existing(session, username)
        if role != ADMIN:
            _keep_an_admin(session, user)
        before = {"role": user.role, "organisations": list(user.organisations or ())}
        user.role, user.organisations = role, list(kept)
        _end_sessions(session, user.username)
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
    """A new random password for an account, its delay lifted and its sessions ended; shown once."""
    access.require(actor, access.MANAGE_USERS)
    password = random_password()
    with store.write() as session:
        user = _existing(session, username)
        user.password_hash = hash_password(password)
        _lift_delay(session, user.username)
        _end_sessions(session, user.username)
        audit.record(session, actor, PASSWORD_RESET, None, username=user.username)
        return Credential(user.username, password, user.role, tuple(user.organisations or ()))


def change_password(
    store: Store, actor: Actor, current: str, new: str, session_id: int | None = None
) -> Message | None:
    """The signed-in user replaces their own password; returns the refusal, or None when done.

    Every other session of the account ends (a thief who had the old password is signed
    out); the session `session_id` it was changed from stays.
    """
    if (problem := password_problem(new)) is not None:
        return problem
    with store.read() as session:
        user = _find(session, actor.username)
        stored_hash = user.password_hash if user else None
    if user is None or not _verify(stored_hash, current):
        return Message(N_("The current password is not correct."), {})
    with store.write() as session:
        _existing(session, actor.username).password_hash = hash_password(new)
        _end_sessions(session, actor.username, keep=session_id)
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
