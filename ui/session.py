"""Sign-in, the signed-in person and sign-out: the only place the pages get their `Actor` from.

Two ways in. With an `[auth]` section in `.streamlit/secrets.toml`, people sign in with
the organisation's identity provider (`st.login`, OpenID Connect) and `capacity.sso`
maps their verified email to a role by the admin's rules. Without one, the app's own
accounts sign in with a password (`capacity.accounts`, delayed after repeated
failures). Either way the session lives on the server (`capacity.sessions`): the tab
keeps its id in the session state, and every run resumes it (8 h idle, 24 h at most,
the account re-read), so a sign-out, a disabled account, a changed role or a password
reset ends it in every tab at the next click. A password session also reaches other
tabs, reloads and windows through an HttpOnly cookie: right after signing in, the page
posts a one-time hand-over code to `/session/claim` (`capacity.web`), whose answer sets
the cookie; a tab with no session of its own resumes the cookie's
(`st.context.cookies`). The session id is never in a URL nor readable by the page.

app.py calls `signed_in_actor()` once per run, shows `sign_in_form()` instead of the
page when it is None, and `account_sidebar()`; pages call `current_actor()` and, when
the page is for some roles only, `require_page(action)`. Hiding is only a courtesy: the
library refuses whatever the role may not do.

Tests sign in by putting a session in the state before the run
(`at.session_state[SESSION_KEY] = sessions.start(store, actor, PASSWORD, "test").session`,
with the account in the test's database; `tests/apptest.py` does both). Nothing the
browser sends can put an object in the session state, and a cookie counts only when
its digest names a live session, so there is no way around the form.
"""

from __future__ import annotations

import json

import streamlit as st

from capacity import access, accounts, sessions, sso
from capacity.access import ROLE_LABELS, AccessDenied, Actor
from capacity.accounts import PASSWORD, SSO
from capacity.sessions import SignedInSession
from capacity.web import base_path
from capacity.web.session_routes import CLAIM_PATH, CSRF_HEADER, FORGET_PATH
from ui import data
from ui.api_tokens import api_tokens_button
from ui.failures import reported_failures
from ui.language import current_language, t
from ui.text import plain, plain_message

SESSION_KEY = "signed_in"
EXPIRED_KEY = "sign_in_expired"  # set when a session ran out, to say so on the form
REFUSED_KEY = "sso_refused"  # the email the rules refused, so the refusal is audited once
HANDOVER_KEY = "session_handover"  # the one-time code the next run posts to the cookie route
FORGET_COOKIE_KEY = "forget_session_cookie"  # set at sign-out: the next run removes the cookie


def sso_enabled() -> bool:
    """Whether `.streamlit/secrets.toml` configures single sign-on (an [auth] section)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def _client() -> str:
    """The key this browser's failed sign-ins count under (its address; see `accounts.client_key`)."""
    address, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    return accounts.client_key(
        address if isinstance(address, str) else None, forwarded if isinstance(forwarded, str) else None
    )


def _forget(expired: bool = False) -> None:
    """Drop everything this browser session kept (another person may use the tab next)."""
    st.session_state.clear()
    if expired:
        st.session_state[EXPIRED_KEY] = True


def _password_actor() -> Actor | None:
    """This tab's own session, else the browser's cookie's (a reload, a new tab, another window)."""
    store = data.store()
    record = st.session_state.get(SESSION_KEY)
    if isinstance(record, SignedInSession):
        resumed = sessions.resume(store, session_id=record.id)
        if resumed is None or resumed.method != PASSWORD:
            _forget(expired=True)
            return None
    else:
        token = st.context.cookies.get(sessions.COOKIE_NAME)
        resumed = sessions.resume(store, token=token) if isinstance(token, str) else None
        if resumed is None or resumed.method != PASSWORD:
            return None
    st.session_state[SESSION_KEY] = resumed
    return resumed.actor


def _sso_actor() -> Actor | None:
    if not st.user.is_logged_in:
        st.session_state.pop(SESSION_KEY, None)
        return None
    store = data.store()
    identity = sso.identity_from_claims(st.user.to_dict())
    outcome = sso.actor_for(store, identity)  # every run: a removed rule counts at the next click
    if outcome.actor is None:
        st.session_state.pop(SESSION_KEY, None)
        if st.session_state.get(REFUSED_KEY) != identity.email:
            sso.record_refusal(store, identity)
            st.session_state[REFUSED_KEY] = identity.email
        return None
    record = st.session_state.get(SESSION_KEY)
    if (
        isinstance(record, SignedInSession)
        and record.method == SSO
        and record.actor.username == outcome.actor.username
    ):
        resumed = sessions.resume(store, session_id=record.id, actor=outcome.actor)
    else:
        resumed = sessions.sso_session(store, outcome.actor, _client(), identity.authenticated_at)
    if resumed is None:  # idle too long, too old, or signed out in another tab
        _forget()
        st.logout()  # the identity cookie must go too, or the next run would sign straight back in
        st.stop()
    st.session_state[SESSION_KEY] = resumed
    return resumed.actor


def signed_in_actor() -> Actor | None:
    """The signed-in person of this run, or None; app.py calls it once per run, before the page."""
    return _sso_actor() if sso_enabled() else _password_actor()


def current_actor() -> Actor:
    """The acting user of this browser session; shows the sign-in form and stops when there is none."""
    record = st.session_state.get(SESSION_KEY)
    if isinstance(record, SignedInSession):  # resumed by app.py earlier in this run
        return record.actor
    sign_in_form()
    st.stop()
    raise AssertionError("unreachable")


def require_page(action: str, organisation_id: str | None = None) -> Actor:
    """The current actor, or a clear refusal (and the page stops) when their role may not do `action`."""
    actor = current_actor()
    try:
        access.require(actor, action, organisation_id)
    except AccessDenied as denied:
        st.error(plain_message(denied.message, current_language()), icon=":material/lock:")
        st.stop()
    return actor


# ------------------------------------------------------------------ the forms
def sign_in_form() -> None:
    """The sign-in page: the identity provider's button, or the user name and password form."""
    _ = t()
    st.title(_("Sign in"))
    st.caption(_("Humanitarian Diplomacy Capacity Dashboard"))
    if st.session_state.pop(EXPIRED_KEY, False):
        st.info(_("Your session has ended. Please sign in again."), icon=":material/schedule:")
    if st.session_state.pop(FORGET_COOKIE_KEY, False):
        _post_from_page(FORGET_PATH, {})
    if sso_enabled():
        _sso_form()
    else:
        _password_form()


def _sso_form() -> None:
    _ = t()
    if st.user.is_logged_in:  # signed in at the provider, but no rule lets the email in
        identity = sso.identity_from_claims(st.user.to_dict())
        message = sso.actor_for(data.store(), identity).message
        if message is not None:
            st.error(plain_message(message, current_language()), icon=":material/block:")
        if st.button(_("Sign out and use another account"), key="sso_sign_out"):
            _forget()
            st.logout()
        return
    st.write(_("Sign in with your organisation's account."))
    if st.button(_("Sign in"), key="sso_sign_in", type="primary", icon=":material/login:"):
        st.login()


def _password_form() -> None:
    _ = t()
    lang = current_language()
    store = data.store()
    if not accounts.has_accounts(store):
        st.warning(
            _(
                "There is no account yet. On the server, run `python -m capacity init`: it creates the "
                "first administrator and prints the password."
            ),
            icon=":material/person_add:",
        )
    with st.form("sign_in_form"):
        username = st.text_input(_("User name"), key="sign_in_username", autocomplete="username")
        password = st.text_input(
            _("Password"), type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(_("Sign in"), type="primary", icon=":material/login:")
    st.caption(_("Forgotten your password? An administrator can give you a new one."))
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(_("Enter your user name and your password."))
        return
    with reported_failures():
        result = accounts.sign_in(store, username, password, _client())
        if result.actor is None:
            st.error(
                plain_message(result.message, lang) if result.message else _("Sign-in failed."),
                icon=":material/block:",
            )
            return
        for key in ("sign_in_username", "sign_in_password"):
            st.session_state.pop(key, None)
        started = sessions.start(store, result.actor, PASSWORD, _client())
        st.session_state[SESSION_KEY] = started.session
        st.session_state[HANDOVER_KEY] = started.handover
        st.rerun()


def _post_from_page(path: str, fields: dict[str, str]) -> None:
    """Have this tab's page POST `fields` to one of our routes (same origin, with the CSRF header).

    Used for the one-time hand-over code after signing in (the answer sets the HttpOnly
    session cookie, which no script can read) and to remove that cookie at sign-out. The
    routes are served below `server.baseUrlPath` when the app is (see `capacity.web`).
    """
    path = base_path(st.get_option("server.baseUrlPath")) + path
    body = json.dumps(fields)
    script = (
        "<script>"
        f"fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{{json.dumps(CSRF_HEADER)}: '1'}}, body: new URLSearchParams({body})}});"
        "</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


# ------------------------------------------------------------------ the sidebar
def _role_text(actor: Actor) -> str:
    _ = t()
    role = _(ROLE_LABELS.get(actor.role, actor.role))
    if actor.organisations:
        return _("{role} · {organisations}", role=role, organisations=", ".join(sorted(actor.organisations)))
    return role


def account_sidebar(actor: Actor | None) -> None:
    """Who is signed in, with which role, and the sign-out button (nothing when nobody is)."""
    if actor is None:
        return
    _ = t()
    record = st.session_state.get(SESSION_KEY)
    with st.sidebar:
        st.divider()
        st.markdown(_("Signed in as **{name}**", name=plain(actor.display_name or actor.username)))
        st.caption(plain(_role_text(actor)), help=plain(actor.username))
        if st.button(_("Sign out"), key="sign_out", icon=":material/logout:"):
            _sign_out(record)
        if isinstance(record, SignedInSession) and record.method == PASSWORD:
            _change_password_form(actor, record.id)
            api_tokens_button(actor)  # tokens act as a local account, which single sign-on has not
        handover = st.session_state.pop(HANDOVER_KEY, None)
        if isinstance(handover, str):
            _post_from_page(CLAIM_PATH, {"code": handover})


def _sign_out(record: object) -> None:
    """End the session on the server (every tab sharing it follows at its next click)."""
    if isinstance(record, SignedInSession):
        with reported_failures():  # the session ends in this tab even when the database fails
            sessions.end(data.store(), record)
    method = record.method if isinstance(record, SignedInSession) else PASSWORD
    _forget()
    if method == SSO:
        st.logout()
        st.stop()
    st.session_state[FORGET_COOKIE_KEY] = True
    st.rerun()


def _change_password_form(actor: Actor, session_id: int) -> None:
    _ = t()
    if st.button(_("Change password"), key="change_password", icon=":material/password:"):
        st.dialog(_("Change password"))(_change_password_dialog)(actor, session_id)


def _change_password_dialog(actor: Actor, session_id: int) -> None:
    _ = t()
    with st.form("change_password_form", clear_on_submit=True, border=False):
        current = st.text_input(_("Current password"), type="password", autocomplete="current-password")
        new = st.text_input(
            _("New password"),
            type="password",
            autocomplete="new-password",
            help=_("At least {minimum} characters.", minimum=accounts.MIN_PASSWORD_LENGTH),
        )
        again = st.text_input(_("New password again"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(_("Change password"), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(_("The two new passwords differ."))
        return
    with reported_failures():
        problem = accounts.change_password(data.store(), actor, current, new, session_id)
        if problem is None:
            st.success(_("Your password has been changed."))
        else:
            st.error(plain_message(problem, current_language()))
