"""Server-side sessions: the cookie hand-over, the limits, and every way a session ends.

The tests of sessions ending (password reset and change, disabling, role change,
sign-out in another tab) and of single sign-on without an issue time failed on the code
before this change, where a session lived only in one tab's state.
"""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from capacity import accounts, sessions, sso, web
from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.accounts import PASSWORD, SSO, add_user
from capacity.store import open_store
from capacity.store.db import DATABASE_URL_ENV
from capacity.store.models import AuditEntry, LoginSession
from capacity.web import session_routes
from tests.store_support import BACKENDS, fresh_database

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
ANA = Actor("ana", MANAGER, frozenset({"ORG-1"}))


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", CHEAP)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        opened = open_store(url)
        add_user(opened, CLI_ADMIN, "ana", MANAGER, ["ORG-1"])
        yield opened
        opened.close()


def signed_in(store, now: dt.datetime = T0) -> tuple[sessions.SignedInSession, str]:
    """A session as the sign-in form starts it, and the cookie value its page claimed."""
    started = sessions.start(store, ANA, PASSWORD, "10.0.0.1", now=now)
    token = sessions.claim(store, started.handover, now=now)
    assert token is not None
    return started.session, token


# ------------------------------------------------------------------ hand-over and cookie
def test_a_reload_or_new_tab_resumes_the_session_through_the_cookie(store) -> None:
    session, token = signed_in(store)
    later = T0 + dt.timedelta(hours=1)
    by_cookie = sessions.resume(store, token=token, now=later)
    assert by_cookie is not None and by_cookie.id == session.id and by_cookie.actor.username == "ana"
    assert sessions.resume(store, session_id=session.id, now=later) == by_cookie


def test_only_digests_are_stored_and_a_hand_over_code_works_once_within_a_minute(store) -> None:
    started = sessions.start(store, ANA, PASSWORD, "10.0.0.1", now=T0)
    token = sessions.claim(store, started.handover, now=T0 + dt.timedelta(seconds=5))
    assert token and sessions.claim(store, started.handover, now=T0 + dt.timedelta(seconds=6)) is None
    with store.read() as db:
        row = db.scalar(select(LoginSession))
    assert row.token_hash == sessions.digest(token) and token not in {row.token_hash, row.handover_hash}
    late = sessions.start(store, ANA, PASSWORD, "10.0.0.1", now=T0)
    assert (
        sessions.claim(store, late.handover, now=T0 + sessions.HANDOVER_TTL + dt.timedelta(seconds=1)) is None
    )
    assert sessions.claim(store, "made-up", now=T0) is None and sessions.claim(store, "", now=T0) is None
    assert sessions.resume(store, token="made-up", now=T0) is None


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(idle=st.integers(min_value=0, max_value=30 * 3600), age=st.integers(min_value=0, max_value=48 * 3600))
def test_a_session_lasts_8_hours_idle_and_24_hours_at_most(store, idle: int, age: int) -> None:
    session, token = signed_in(store)
    touched_at = T0 + dt.timedelta(seconds=age)
    touched = sessions.resume(store, session_id=session.id, now=touched_at)
    assert (touched is not None) is (age <= 8 * 3600)
    if touched is None:
        return
    now = touched_at + dt.timedelta(seconds=idle)
    expected = (now - touched.last_seen) <= sessions.IDLE_TIMEOUT and (now - T0) <= sessions.ABSOLUTE_TIMEOUT
    assert (sessions.resume(store, token=token, now=now) is not None) is expected


def test_a_clock_that_went_backwards_does_not_extend_a_session(store) -> None:
    session, _ = signed_in(store)
    assert sessions.resume(store, session_id=session.id, now=T0 - dt.timedelta(minutes=1)) is None


# ------------------------------------------------------------------ every way it ends
def test_signing_out_in_one_tab_ends_every_tab_and_is_audited(store) -> None:
    session, token = signed_in(store)
    sessions.end(store, session)
    assert sessions.resume(store, token=token, now=T0) is None
    assert sessions.resume(store, session_id=session.id, now=T0) is None
    with store.read() as db:
        assert db.scalar(select(AuditEntry.action).where(AuditEntry.actor == "ana")) == accounts.SIGNED_OUT


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: accounts.reset_password(s, CLI_ADMIN, "ana"), id="password reset"),
        pytest.param(lambda s: accounts.set_disabled(s, CLI_ADMIN, "ana"), id="disabled"),
        pytest.param(lambda s: accounts.set_role(s, CLI_ADMIN, "ana", EVALUATOR), id="role changed"),
        pytest.param(lambda s: accounts.set_role(s, CLI_ADMIN, "ana", MANAGER, ["ORG-2"]), id="orgs changed"),
    ],
)
def test_an_administrators_change_ends_every_session_of_the_account(store, change) -> None:
    first, first_token = signed_in(store)
    second, _ = signed_in(store)
    change(store)
    later = T0 + dt.timedelta(minutes=1)
    assert sessions.resume(store, session_id=first.id, now=later) is None
    assert sessions.resume(store, session_id=second.id, now=later) is None
    assert sessions.resume(store, token=first_token, now=later) is None


def test_changing_ones_own_password_ends_the_other_sessions_only(store) -> None:
    password = accounts.reset_password(store, CLI_ADMIN, "ana").password
    here, here_token = signed_in(store)
    _, elsewhere_token = signed_in(store)
    assert accounts.change_password(store, ANA, password, "a brand new passphrase", here.id) is None
    assert sessions.resume(store, token=here_token, now=T0) is not None
    assert sessions.resume(store, token=elsewhere_token, now=T0) is None


def test_a_session_of_an_account_that_no_longer_exists_does_not_count(store) -> None:
    ghost = sessions.start(store, Actor("ghost", BOARD), PASSWORD, "c", now=T0).session
    assert sessions.resume(store, session_id=ghost.id, now=T0) is None


# ------------------------------------------------------------------ single sign-on
def test_a_provider_token_without_an_issue_time_counts_24_hours_from_the_first_sign_in(store) -> None:
    chief = Actor("chief@ngo.org", BOARD)
    first_tab = sessions.sso_session(store, chief, "c", None, now=T0)
    assert sessions.resume(store, session_id=first_tab.id, now=T0 + dt.timedelta(hours=7), actor=chief)
    new_tab = sessions.sso_session(store, chief, "c", None, now=T0 + dt.timedelta(hours=14))
    assert new_tab is not None and new_tab.id == first_tab.id and new_tab.issued_at == T0
    assert sessions.resume(store, session_id=new_tab.id, now=T0 + dt.timedelta(hours=21), actor=chief)
    assert sessions.sso_session(store, chief, "c", None, now=T0 + dt.timedelta(hours=24, minutes=1)) is None
    # Signed in again at the provider: a new session with a new 24 hours.
    again = sessions.sso_session(store, chief, "c", None, now=T0 + dt.timedelta(hours=25))
    assert again is not None and again.issued_at == T0 + dt.timedelta(hours=25)


def test_an_sso_session_counts_its_age_from_the_providers_sign_in(store) -> None:
    chief = Actor("chief@ngo.org", BOARD)
    assert sessions.sso_session(store, chief, "c", T0 - dt.timedelta(hours=25), now=T0) is None
    fresh = sessions.sso_session(store, chief, "c", T0 - dt.timedelta(hours=1), now=T0)
    assert fresh is not None and fresh.issued_at == T0 - dt.timedelta(hours=1) and fresh.method == SSO


def test_a_deny_rule_keeps_an_address_or_a_domain_out(store) -> None:
    sso.save_rule(store, CLI_ADMIN, "*@ngo.org", BOARD)
    sso.save_rule(store, CLI_ADMIN, "mallory@ngo.org", sso.DENY)
    sso.save_rule(store, CLI_ADMIN, "*@spam.example", sso.DENY)
    sso.save_rule(store, CLI_ADMIN, "friend@spam.example", EVALUATOR)

    def outcome(email: str) -> sso.SsoOutcome:
        return sso.actor_for(store, sso.Identity(email, True))

    assert outcome("ana@ngo.org").actor == Actor("ana@ngo.org", BOARD, frozenset(), "ana@ngo.org")
    denied = outcome("Mallory@ngo.org")
    assert denied.actor is None and "may not sign in" in denied.message.render("en")
    assert outcome("anyone@spam.example").actor is None
    assert outcome("friend@spam.example").actor.role == EVALUATOR  # an exact address wins over its domain
    assert {r.pattern: r.role for r in sso.list_rules(store, CLI_ADMIN)}["mallory@ngo.org"] == sso.DENY


# ------------------------------------------------------------------ the routes
@pytest.fixture
def client(store, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, store.url)
    session_routes._store.cache_clear()
    with TestClient(
        Starlette(routes=web.routes(), middleware=web.middleware()), base_url="http://app"
    ) as test:
        yield test
    session_routes._store.cache_clear()


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", session_routes.CSRF_HEADER: "1"}


def test_the_claim_route_sets_an_httponly_lax_cookie_once(store, client) -> None:
    started = sessions.start(store, ANA, PASSWORD, "c")
    answer = client.post(session_routes.CLAIM_PATH, data={"code": started.handover}, headers=SAME_ORIGIN)
    assert answer.status_code == 204
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    token = answer.cookies[sessions.COOKIE_NAME]
    assert sessions.resume(store, token=token).id == started.session.id
    again = client.post(session_routes.CLAIM_PATH, data={"code": started.handover}, headers=SAME_ORIGIN)
    assert again.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", session_routes.CSRF_HEADER: "1"},
        {"Sec-Fetch-Site": "same-site", session_routes.CSRF_HEADER: "1"},
        {"Sec-Fetch-Site": "same-origin"},  # a plain form cannot add the header
        {"Origin": "http://evil.example", session_routes.CSRF_HEADER: "1"},
        {session_routes.CSRF_HEADER: "1"},  # neither Sec-Fetch-Site nor Origin
    ],
)
def test_the_cookie_routes_refuse_other_sites(store, client, headers) -> None:
    started = sessions.start(store, ANA, PASSWORD, "c")
    answer = client.post(session_routes.CLAIM_PATH, data={"code": started.handover}, headers=headers)
    assert answer.status_code == 403 and "set-cookie" not in answer.headers
    assert client.post(session_routes.FORGET_PATH, headers=headers).status_code == 403
    # The code was not spent by the refused request.
    assert sessions.claim(store, started.handover) is not None


def test_the_cookie_is_secure_over_https_and_forgotten_at_sign_out(store, client, monkeypatch) -> None:
    started = sessions.start(store, ANA, PASSWORD, "c")
    origin = {session_routes.CSRF_HEADER: "1", "Origin": "https://app"}
    answer = client.post(
        "https://app" + session_routes.CLAIM_PATH, data={"code": started.handover}, headers=origin
    )
    assert answer.status_code == 204 and "Secure" in answer.headers["set-cookie"]
    forgotten = client.post(session_routes.FORGET_PATH, headers=SAME_ORIGIN)
    assert forgotten.status_code == 204 and 'capacity_session=""' in forgotten.headers["set-cookie"]


def test_streamlits_metrics_are_not_served(client) -> None:
    assert client.get("/_stcore/metrics").status_code == 404
    assert client.get("/base/_stcore/metrics/").status_code == 404
