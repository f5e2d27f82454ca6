"""Local accounts, sign-in throttling, sessions, the first run, single sign-on rules and the audit view.

Hashing uses cheap argon2 parameters here (the real ones take a quarter of a second per
hash); one test switches back to stronger parameters to check that a sign-in rehashes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from capacity import accounts, audit_view, sso
from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.accounts import (
    CLIENT_LIMIT,
    MAX_FAILURES,
    AccountError,
    add_user,
    sign_in,
)
from capacity.store import open_store
from capacity.store.models import AuditEntry, Organisation, SignInAttempt, User

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", CHEAP)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


@pytest.fixture
def store(sqlite_store):
    """This file's tests run on SQLite only (the shared `store` fixture would add PostgreSQL)."""
    return sqlite_store


def audit_actions(store, username: str | None = None) -> list[str]:
    with store.read() as session:
        statement = select(AuditEntry.action).order_by(AuditEntry.id)
        if username:
            statement = statement.where(AuditEntry.actor == username)
        return list(session.scalars(statement))


def stored_user(store, username: str) -> User:
    with store.read() as session:
        return session.scalar(select(User).where(User.username == username))


# ------------------------------------------------------------------ passwords and sign-in
def test_passwords_are_random_argon2id_hashes_never_the_password(store) -> None:
    first = add_user(store, CLI_ADMIN, "Ana", MANAGER, ["ORG-1"], "Ana Demir")
    second = add_user(store, CLI_ADMIN, "ben", BOARD)
    assert first.username == "ana"  # user names are compared without case
    assert first.password != second.password
    assert len(first.password) == accounts.GENERATED_PASSWORD_LENGTH
    assert set(first.password) <= set(accounts.PASSWORD_ALPHABET)
    hashed = stored_user(store, "ana").password_hash
    assert hashed.startswith("$argon2id$") and first.password not in hashed


def test_a_correct_password_signs_in_with_the_accounts_role_and_organisations(store) -> None:
    made = add_user(store, CLI_ADMIN, "ana", MANAGER, ["ORG-2", "ORG-1"], "Ana Demir")
    result = sign_in(store, " ANA ", made.password, "10.0.0.1", now=T0)
    assert result.message is None
    assert result.actor == Actor("ana", MANAGER, frozenset({"ORG-1", "ORG-2"}), "Ana Demir")
    assert audit_actions(store, "ana") == [accounts.SIGNED_IN]


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(store) -> None:
    add_user(store, CLI_ADMIN, "ana", BOARD)
    wrong = sign_in(store, "ana", "not the password", "c")
    unknown = sign_in(store, "nobody", "whatever", "c")
    assert wrong.actor is None and unknown.actor is None
    assert wrong.message == unknown.message == accounts.WRONG_PASSWORD
    assert accounts.list_users(store, CLI_ADMIN)[0].failed_attempts == 1
    assert audit_actions(store, "nobody") == [accounts.SIGN_IN_FAILED]


def test_repeated_failures_delay_the_user_name_for_longer_each_time(store) -> None:
    made = add_user(store, CLI_ADMIN, "ana", BOARD)
    for attempt in range(MAX_FAILURES):
        failed = sign_in(store, "ana", f"guess {attempt}", f"client-{attempt}", now=T0)
        assert failed.message == accounts.WRONG_PASSWORD  # the answer never tells that a delay began
    # While delayed even the right password is refused, without verifying it.
    refused = sign_in(store, "ana", made.password, "client-y", now=T0 + dt.timedelta(seconds=30))
    assert refused.actor is None and refused.message.render("en") == (
        "Too many failed sign-ins with this user name. Try again in 1 min."
    )
    # After the delay another failure delays twice as long.
    later = T0 + dt.timedelta(minutes=1, seconds=1)
    assert sign_in(store, "ana", "guess", "client-z", now=later).message == accounts.WRONG_PASSWORD
    waiting = sign_in(store, "ana", made.password, "client-z", now=later + dt.timedelta(seconds=1))
    assert "in 2 min." in waiting.message.render("en")
    after = later + dt.timedelta(minutes=2, seconds=1)
    assert sign_in(store, "ana", made.password, "client-z", now=after).actor is not None
    assert accounts.list_users(store, CLI_ADMIN)[0].failed_attempts == 0
    assert audit_actions(store, "ana").count(accounts.ACCOUNT_LOCKED) == 2


@given(failures=st.integers(min_value=0, max_value=60))
def test_the_delays_grow_with_failures_and_are_capped(failures: int) -> None:
    account, client = accounts.account_delay(failures), accounts.client_delay(failures)
    if failures < MAX_FAILURES:
        assert account == dt.timedelta(0)
    else:
        assert accounts.ACCOUNT_DELAY_BASE <= account <= accounts.ACCOUNT_DELAY_MAX
    if failures < CLIENT_LIMIT:
        assert client == dt.timedelta(0)
    else:
        assert accounts.CLIENT_DELAY_BASE <= client <= accounts.CLIENT_DELAY_MAX
    assert accounts.account_delay(failures + 1) >= account and accounts.client_delay(failures + 1) >= client


def test_one_client_guessing_across_accounts_is_slowed_never_shut_out(store) -> None:
    made = add_user(store, CLI_ADMIN, "victim", BOARD)
    for number in range(CLIENT_LIMIT + 3):
        sign_in(store, f"user{number}", "guess", "203.0.113.9", now=T0 + dt.timedelta(milliseconds=number))
    now = T0 + dt.timedelta(seconds=1)
    waiting = sign_in(store, "victim", made.password, "203.0.113.9", now=now)
    assert waiting.actor is None and "from this network" in waiting.message.render("en")
    assert accounts.list_users(store, CLI_ADMIN)[0].failed_attempts == 0  # the account itself is not blamed
    assert sign_in(store, "victim", made.password, "198.51.100.7", now=now).actor is not None
    # The person behind the same address waits a minute at most, not for the window to pass.
    after_delay = now + accounts.CLIENT_DELAY_MAX
    assert sign_in(store, "victim", made.password, "203.0.113.9", now=after_delay).actor is not None


def test_old_attempts_are_pruned(store) -> None:
    sign_in(store, "x", "y", "c", now=T0)
    sign_in(store, "x", "y", "c", now=T0 + accounts.ATTEMPTS_KEPT + dt.timedelta(minutes=1))
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(SignInAttempt)) == 1


def test_a_disabled_account_cannot_sign_in_until_enabled(store) -> None:
    made = add_user(store, CLI_ADMIN, "ana", BOARD)
    accounts.set_disabled(store, CLI_ADMIN, "ana")
    refused = sign_in(store, "ana", made.password, "c", now=T0)
    assert refused.actor is None and "disabled" in refused.message.render("en")
    accounts.set_disabled(store, CLI_ADMIN, "ana", disabled=False)
    assert sign_in(store, "ana", made.password, "c", now=T0).actor is not None


def test_signing_in_rehashes_a_password_made_with_weaker_parameters(store, monkeypatch) -> None:
    made = add_user(store, CLI_ADMIN, "ana", BOARD)
    old_hash = stored_user(store, "ana").password_hash
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert sign_in(store, "ana", made.password, "c", now=T0).actor is not None
    new_hash = stored_user(store, "ana").password_hash
    assert new_hash != old_hash and "m=2048,t=2,p=1" in new_hash
    assert sign_in(store, "ana", made.password, "c", now=T0).actor is not None


def test_client_key_believes_forwarded_headers_only_behind_a_trusted_proxy() -> None:
    assert accounts.client_key("10.1.1.1", "198.51.100.7, 10.1.1.1", trust_proxy=False) == "10.1.1.1"
    assert accounts.client_key("10.1.1.1", "198.51.100.7", trust_proxy=True) == "198.51.100.7"
    assert accounts.client_key(None, None, trust_proxy=True) == "local"


# ------------------------------------------------------------------ managing accounts
def test_managing_accounts_needs_the_admin_role(store) -> None:
    for actor in (Actor("m", MANAGER, frozenset({"ORG-1"})), Actor("b", BOARD), Actor("e", EVALUATOR)):
        with pytest.raises(AccessDenied):
            add_user(store, actor, "new", BOARD)
        with pytest.raises(AccessDenied):
            accounts.list_users(store, actor)
        with pytest.raises(AccessDenied):
            accounts.reset_password(store, actor, "new")
    assert accounts.list_users(store, CLI_ADMIN) == []


@pytest.mark.parametrize(
    ("username", "role", "organisations", "problem"),
    [
        ("ana", MANAGER, [], "needs at least one organisation"),
        ("ana", "owner", [], "There is no role owner"),
        ("-ana", BOARD, [], "user name uses letters"),
        ("ana smith", BOARD, [], "user name uses letters"),
        ("", BOARD, [], "user name uses letters"),
    ],
)
def test_invalid_accounts_are_refused(store, username, role, organisations, problem) -> None:
    with pytest.raises(AccountError, match=problem):
        add_user(store, CLI_ADMIN, username, role, organisations)


def test_only_managers_keep_organisations_and_names_are_unique(store) -> None:
    made = add_user(store, CLI_ADMIN, "bo", BOARD, ["ORG-1"])
    assert made.organisations == ()
    with pytest.raises(AccountError, match="already an account"):
        add_user(store, CLI_ADMIN, "BO", EVALUATOR)


def test_the_last_active_admin_cannot_be_disabled_or_demoted(store) -> None:
    add_user(store, CLI_ADMIN, "root", ADMIN)
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_disabled(store, CLI_ADMIN, "root")
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_role(store, CLI_ADMIN, "root", BOARD)
    add_user(store, CLI_ADMIN, "second", ADMIN)
    accounts.set_role(store, CLI_ADMIN, "root", BOARD)
    assert stored_user(store, "root").role == BOARD


def test_role_changes_and_resets_are_audited_with_before_and_after(store) -> None:
    made = add_user(store, CLI_ADMIN, "ana", MANAGER, ["ORG-1"])
    accounts.set_role(store, CLI_ADMIN, "ana", MANAGER, ["ORG-1", "ORG-2"])
    for _ in range(MAX_FAILURES):
        sign_in(store, "ana", "guess", "c", now=T0)
    reset = accounts.reset_password(store, CLI_ADMIN, "ana")
    assert sign_in(store, "ana", made.password, "c", now=T0).actor is None
    assert sign_in(store, "ana", reset.password, "c", now=T0).actor is not None  # the lock is lifted too
    with store.read() as session:
        change = session.scalar(select(AuditEntry).where(AuditEntry.action == accounts.ROLE_CHANGED))
    assert change.actor == CLI_ADMIN.username
    assert change.detail["previous_organisations"] == ["ORG-1"]
    assert change.detail["organisations"] == ["ORG-1", "ORG-2"]
    assert audit_actions(store, CLI_ADMIN.username) == [
        accounts.USER_CREATED,
        accounts.ROLE_CHANGED,
        accounts.PASSWORD_RESET,
    ]


def test_people_change_their_own_password(store) -> None:
    made = add_user(store, CLI_ADMIN, "ana", BOARD)
    actor = Actor("ana", BOARD)
    assert "at least 12" in accounts.change_password(store, actor, made.password, "short").render("en")
    wrong = accounts.change_password(store, actor, "wrong", "a long new password")
    assert "not correct" in wrong.render("en")
    assert accounts.change_password(store, actor, made.password, "a long new password") is None
    assert sign_in(store, "ana", "a long new password", "c", now=T0).actor is not None
    assert accounts.PASSWORD_CHANGED in audit_actions(store, "ana")


# ------------------------------------------------------------------ first run
def test_the_first_run_creates_one_admin_with_a_random_password(store, tmp_path) -> None:
    admin = accounts.ensure_first_admin(store)
    assert admin.username == accounts.FIRST_ADMIN and admin.role == ADMIN
    assert accounts.ensure_first_admin(store) is None  # accounts exist: nothing more
    assert sign_in(store, "admin", admin.password, "c", now=T0).actor.role == ADMIN
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert accounts.ensure_first_admin(other).password != admin.password  # no fixed default anywhere
    finally:
        other.close()


def test_demo_accounts_get_one_role_each_and_the_manager_two_organisations(store) -> None:
    with store.write() as session:
        for org, kind in (("NGO-A", "ngo"), ("NS-B", "national_society"), ("NS-C", "national_society")):
            session.add(Organisation(id=org, name=org, type=kind, country="", region=""))
    made = accounts.create_demo_accounts(store)
    assert {(c.username, c.role, c.organisations) for c in made} == {
        ("demo-manager", MANAGER, ("NS-B", "NS-C")),
        ("demo-board", BOARD, ()),
        ("demo-evaluator", EVALUATOR, ()),
    }
    assert len({c.password for c in made}) == 3
    assert accounts.create_demo_accounts(store) == []


def test_credentials_file_is_readable_only_by_its_owner(tmp_path) -> None:
    path = tmp_path / "data" / "first-run-credentials.txt"
    path.parent.mkdir()
    path.write_text("")
    os.chmod(path, 0o644)  # even a file left with looser rights is tightened
    accounts.write_credentials([accounts.Credential("admin", "Secret123", ADMIN)], path)
    accounts.write_credentials([accounts.Credential("demo-manager", "Other456", MANAGER, ("NS-B",))], path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().splitlines() == [
        "admin\tSecret123\tadmin",
        "demo-manager\tOther456\tmanager\tNS-B",
    ]


# ------------------------------------------------------------------ single sign-on
@pytest.mark.parametrize(
    ("typed", "pattern"),
    [
        ("Ana@NGO.org", "ana@ngo.org"),
        ("ngo.org", "*@ngo.org"),
        ("@ngo.org", "*@ngo.org"),
        ("*@Sub.NGO.org", "*@sub.ngo.org"),
    ],
)
def test_rule_patterns_are_normalised(typed, pattern) -> None:
    assert sso.normalise_pattern(typed) == pattern


@pytest.mark.parametrize("typed", ["", "ana", "ana@", "@", "*@", "a b@ngo.org", "ngo..org", "*@-ngo.org"])
def test_nonsense_patterns_are_refused(typed) -> None:
    with pytest.raises(AccountError):
        sso.normalise_pattern(typed)


def test_an_exact_email_wins_over_its_domain_and_strangers_get_nothing(store) -> None:
    sso.save_rule(store, CLI_ADMIN, "*@ngo.org", MANAGER, ["ORG-1"])
    sso.save_rule(store, CLI_ADMIN, "chief@ngo.org", EVALUATOR)
    colleague = sso.actor_for(store, sso.Identity("Ana@ngo.org", True, "Ana"))
    assert colleague.actor == Actor("ana@ngo.org", MANAGER, frozenset({"ORG-1"}), "Ana")
    assert sso.actor_for(store, sso.Identity("chief@ngo.org", True)).actor.role == EVALUATOR
    stranger = sso.actor_for(store, sso.Identity("eve@other.org", True))
    assert stranger.actor is None and "eve@other.org has no access" in stranger.message.render("en")
    sub_domain = sso.actor_for(store, sso.Identity("x@mail.ngo.org", True))
    assert sub_domain.actor is None  # a domain rule names one domain, not its subdomains


def test_an_unverified_or_missing_email_is_never_trusted(store) -> None:
    sso.save_rule(store, CLI_ADMIN, "*@ngo.org", BOARD)
    claims = {"email": "ana@ngo.org", "email_verified": False}
    unverified = sso.actor_for(store, sso.identity_from_claims(claims))
    assert unverified.actor is None and "not verified" in unverified.message.render("en")
    missing = sso.actor_for(store, sso.identity_from_claims({"email_verified": True}))
    assert missing.actor is None and "did not give an email" in missing.message.render("en")
    textual = sso.identity_from_claims(
        {"email": "ana@ngo.org", "email_verified": "true", "iat": 1_700_000_000}
    )
    assert textual.email_verified is True
    assert textual.authenticated_at == dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)


def test_rules_are_managed_by_admins_saved_once_per_pattern_and_audited(store) -> None:
    with pytest.raises(AccessDenied):
        sso.save_rule(store, Actor("e", EVALUATOR), "*@ngo.org", ADMIN)
    sso.save_rule(store, CLI_ADMIN, "*@ngo.org", BOARD)
    sso.save_rule(store, CLI_ADMIN, "NGO.org", EVALUATOR)
    assert [(r.pattern, r.role) for r in sso.list_rules(store, CLI_ADMIN)] == [("*@ngo.org", EVALUATOR)]
    sso.delete_rule(store, CLI_ADMIN, "@ngo.org")
    assert sso.list_rules(store, CLI_ADMIN) == []
    with pytest.raises(AccountError, match="no rule"):
        sso.delete_rule(store, CLI_ADMIN, "*@ngo.org")
    assert audit_actions(store, CLI_ADMIN.username) == [sso.SSO_RULE_SAVED] * 2 + [sso.SSO_RULE_DELETED]


# ------------------------------------------------------------------ the audit view
def test_the_audit_view_filters_and_exports_safe_csv(store) -> None:
    add_user(store, CLI_ADMIN, "ana", BOARD)
    sign_in(store, '=HYPERLINK("http://evil")', "x", "c", now=T0)
    evaluator = Actor("eva", EVALUATOR)
    everything = audit_view.audit_entries(store, evaluator)
    assert list(everything["action"]) == [accounts.SIGN_IN_FAILED, accounts.USER_CREATED]
    only_failures = audit_view.audit_entries(
        store, evaluator, audit_view.AuditFilter(actions=(accounts.SIGN_IN_FAILED,))
    )
    assert list(only_failures["actor"]) == ['=hyperlink("http://evil")']
    by_user = audit_view.audit_entries(store, evaluator, audit_view.AuditFilter(users=(CLI_ADMIN.username,)))
    assert list(by_user["action"]) == [accounts.USER_CREATED]
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    assert audit_view.audit_entries(store, evaluator, audit_view.AuditFilter(since=tomorrow)).empty
    assert len(audit_view.audit_entries(store, evaluator, audit_view.AuditFilter(until=tomorrow))) == 2
    rows = list(csv.reader(io.StringIO(audit_view.audit_csv(everything, "en").decode("utf-8-sig"))))
    assert rows[0][:3] == ["When (UTC)", "User", "Action"]
    assert rows[1][1] == '\'=hyperlink("http://evil")' and rows[1][2] == "Failed sign-in"
    choices = audit_view.audit_choices(store, evaluator)
    assert CLI_ADMIN.username in choices.users and accounts.USER_CREATED in choices.actions


@pytest.mark.parametrize("actor", [Actor("m", MANAGER, frozenset({"ORG-1"})), Actor("b", BOARD)])
def test_managers_and_boards_cannot_read_the_audit_log(store, actor) -> None:
    with pytest.raises(AccessDenied):
        audit_view.audit_entries(store, actor)
    with pytest.raises(AccessDenied):
        audit_view.audit_choices(store, actor)


def test_account_actions_have_readable_labels_and_unknown_ones_show_their_code() -> None:
    written = (
        accounts.SIGNED_IN,
        accounts.SIGN_IN_FAILED,
        accounts.SIGNED_OUT,
        accounts.ACCOUNT_LOCKED,
        accounts.USER_CREATED,
        accounts.USER_DISABLED,
        accounts.USER_ENABLED,
        accounts.ROLE_CHANGED,
        accounts.PASSWORD_RESET,
        accounts.PASSWORD_CHANGED,
        sso.SSO_RULE_SAVED,
        sso.SSO_RULE_DELETED,
        sso.SSO_REFUSED,
    )
    assert all(audit_view.action_label(action, "en") != action for action in written)
    assert audit_view.action_label("export_made_later", "en") == "export_made_later"
