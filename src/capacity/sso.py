"""Single sign-on: who a verified identity provider's email is in this app, by rules the admin sets.

The identity provider (configured for Streamlit's `st.login` in `.streamlit/secrets.toml`)
proves who someone is; it knows nothing of roles here. An admin therefore writes rules:
an exact email (`ana@ngo.org`) or a whole domain (`*@ngo.org`) gives a role and, for
managers, organisations, or denies access (`DENY`): an address or domain that may not
sign in whatever else is written. An exact email wins over its domain, so one person can
be given more (or less, or nothing) than their colleagues. An email no rule names gets no
access at all, and an email the provider has not verified is never trusted, since anyone
can type one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from capacity import access
from capacity.access import ROLES, Actor
from capacity.accounts import AccountError, check_role
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.db import Store
from capacity.store.models import RoleRule

SSO_RULE_SAVED = "sso_rule_saved"
SSO_RULE_DELETED = "sso_rule_deleted"
SSO_REFUSED = "sso_refused"
DENY = "deny"  # the role of a rule that keeps an address or a domain out

NOT_A_PATTERN = N_("{pattern} is neither an email address nor a domain.")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True)
class Rule:
    """One admin rule: `pattern` is an exact email or `*@domain`."""

    pattern: str
    role: str
    organisations: tuple[str, ...]
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Identity:
    """What the app gets from the identity provider after sign-in."""

    email: str
    email_verified: bool
    name: str = ""
    authenticated_at: dt.datetime | None = None  # when the provider issued the identity (its `iat` claim)


@dataclass(frozen=True)
class SsoOutcome:
    """The actor an identity signs in as, or the refusal to show."""

    actor: Actor | None
    message: Message | None = None


def normalise_pattern(text: str) -> str:
    """`Ana@NGO.org` → `ana@ngo.org`; `ngo.org`, `@ngo.org` and `*@ngo.org` → `*@ngo.org`.

    Raises AccountError for anything that is neither an email nor a domain.
    """
    value = text.strip().lower()
    if value.startswith("*@"):
        value = value[2:]
    elif value.startswith("@"):
        value = value[1:]
    elif "@" in value:
        if _EMAIL.match(value):
            return value
        raise AccountError(Message(NOT_A_PATTERN, {"pattern": text}))
    if _DOMAIN.match(value):
        return f"*@{value}"
    raise AccountError(Message(NOT_A_PATTERN, {"pattern": text}))


def _rule(record: RoleRule) -> Rule:
    return Rule(
        record.pattern, record.role, tuple(record.organisations or ()), record.created_by, record.created_at
    )


def _all_rules(store: Store) -> list[Rule]:
    with store.read() as session:
        return [_rule(r) for r in session.scalars(select(RoleRule).order_by(RoleRule.pattern))]


def list_rules(store: Store, actor: Actor) -> list[Rule]:
    """Every rule, by pattern."""
    access.require(actor, access.MANAGE_USERS)
    return _all_rules(store)


def save_rule(store: Store, actor: Actor, pattern: str, role: str, organisations: Iterable[str] = ()) -> Rule:
    """Add a rule, or change the role and organisations of the rule with the same pattern.

    `role` is one of `access.ROLES`, or `DENY` for an address or domain that may not sign in.
    """
    access.require(actor, access.MANAGE_USERS)
    normalised = normalise_pattern(pattern)
    kept = () if role == DENY else check_role(role, organisations)
    with store.write() as session:
        record = session.scalar(select(RoleRule).where(RoleRule.pattern == normalised))
        if record is None:
            record = RoleRule(
                pattern=normalised, role=role, organisations=list(kept), created_by=actor.username
            )
            session.add(record)
        else:
            record.role, record.organisations = role, list(kept)
        session.flush()
        audit.record(
            session, actor, SSO_RULE_SAVED, None, pattern=normalised, role=role, organisations=list(kept)
        )
        return _rule(record)


def delete_rule(store: Store, actor: Actor, pattern: str) -> None:
    """Remove a rule; people it let in get no access from their next click (unless another rule applies)."""
    access.require(actor, access.MANAGE_USERS)
    normalised = normalise_pattern(pattern)
    with store.write() as session:
        record = session.scalar(select(RoleRule).where(RoleRule.pattern == normalised))
        if record is None:
            raise AccountError(Message(N_("There is no rule for {pattern}."), {"pattern": normalised}))
        session.delete(record)
        audit.record(session, actor, SSO_RULE_DELETED, None, pattern=normalised)


def matching_rule(rules: Sequence[Rule], email: str) -> Rule | None:
    """The rule for `email`: its exact rule, else the rule of its domain, else None."""
    email = email.strip().lower()
    by_pattern = {rule.pattern: rule for rule in rules}
    if email in by_pattern:
        return by_pattern[email]
    _, _, domain = email.rpartition("@")
    return by_pattern.get(f"*@{domain}") if domain else None


def actor_for(store: Store, identity: Identity) -> SsoOutcome:
    """Map a provider's identity to an actor by the admin's rules (no actor: nobody is signed in yet)."""
    email = identity.email.strip().lower()
    if not email or not _EMAIL.match(email):
        return SsoOutcome(
            None,
            Message(
                N_(
                    "Your identity provider did not give an email address, so this "
                    "app cannot tell who you are. Ask an administrator."
                ),
                {},
            ),
        )
    if not identity.email_verified:
        unverified = N_(
            "Your identity provider has not verified the email address {email}, so it cannot be "
            "used to sign in here."
        )
        return SsoOutcome(None, Message(unverified, {"email": email}))
    rule = matching_rule(_all_rules(store), email)
    if rule is not None and rule.role == DENY:
        return SsoOutcome(
            None, Message(N_("{email} may not sign in to this app. Ask an administrator."), {"email": email})
        )
    if rule is None or rule.role not in ROLES:
        return SsoOutcome(
            None,
            Message(
                N_(
                    "{email} has no access to this app. Ask an administrator to give "
                    "your email address or its domain a role."
                ),
                {"email": email},
            ),
        )
    return SsoOutcome(Actor(email, rule.role, frozenset(rule.organisations), identity.name or email))


def record_refusal(store: Store, identity: Identity) -> None:
    """Audit an identity the rules turned away, so the admin can see who tried."""
    with store.write() as session:
        audit.record(
            session,
            Actor(identity.email.strip().lower()[:200], ""),
            SSO_REFUSED,
            None,
            email_verified=identity.email_verified,
        )


def identity_from_claims(claims: dict) -> Identity:
    """The identity in the provider's claims (`st.user`): email, email_verified (strictly true), name, time.

    The issue time matters because Streamlit keeps the identity in a cookie for 30 days:
    a session started from it counts its age from the provider's sign-in, not from the tab.
    """
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"
        verified = verified.strip().lower() == "true"
    issued = claims.get("iat")
    authenticated_at = (
        dt.datetime.fromtimestamp(issued, dt.UTC)
        if isinstance(issued, int | float) and not isinstance(issued, bool)
        else None
    )
    return Identity(
        str(claims.get("email") or ""), verified is True, str(claims.get("name") or ""), authenticated_at
    )
