"""Sessions that last, in Chromium: reload, a deep link in a new tab and a second window stay signed in;
signing out in one tab, or an administrator disabling the account, ends the others at their next click
(with single sign-on too).

Before this change each of these asked to sign in again: the session lived in one tab's state.
"""

from __future__ import annotations

import time

import pytest

from capacity import accounts, sessions, sso
from capacity.access import BOARD, CLI_ADMIN, EVALUATOR
from capacity.store import open_store
from capacity.store.ingest import ingest_submission
from tests.browser import (
    chromium,
    create_account,
    database_url,
    error_texts,
    free_port,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.store_support import make_submission

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ORG, ORG_NAME = "ORG-LINK", "Linked Relief Society"


def session_cookie(context, timeout: float = 15) -> dict:
    """The session cookie once the page has claimed it (the hand-over runs right after sign-in)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == sessions.COOKIE_NAME]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("the session cookie was never set")


def cookie_gone(context, timeout: float = 15) -> None:
    """Wait until the page has removed the session cookie (right after signing out)."""
    deadline = time.monotonic() + timeout
    while any(c["name"] == sessions.COOKIE_NAME for c in context.cookies()):
        assert time.monotonic() < deadline, "the session cookie stayed after signing out"
        time.sleep(0.2)


def signed_in_as(page, name: str) -> None:
    page.get_by_text("Signed in as").wait_for(timeout=30_000)
    wait_for_app(page)
    assert name in page.locator("[data-testid='stSidebar']").inner_text()
    assert page.get_by_role("heading", name="Sign in").count() == 0
    assert error_texts(page) == []


def next_click_signs_out(page) -> None:
    """Click in the menu (the tab's next run): the sign-in form replaces the page."""
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Framework").click()
    page.get_by_role("heading", name="Sign in").wait_for(timeout=30_000)
    page.get_by_text("Signed in as").wait_for(state="detached")  # gone, not merely stale


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    store = open_store(database_url(env))
    submission = make_submission(ORG, 2025, organisation_name=ORG_NAME, seed=3)
    assert ingest_submission(store, submission, b"linked", "linked.xlsx", CLI_ADMIN).stored
    store.close()
    return env


def test_reload_new_tab_deep_link_and_second_window_stay_signed_in_and_sign_out_ends_them_all(env) -> None:
    password = create_account(env, "bora", BOARD)
    with chromium() as browser, running_app(env) as base_url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        first = context.new_page()
        first.goto(f"{base_url}/")
        sign_in(first, "bora", password)
        cookie = session_cookie(context)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
        assert sessions.COOKIE_NAME not in first.evaluate("document.cookie")  # no page script reads it
        assert cookie["value"] not in first.url

        first.reload()  # F5
        signed_in_as(first, "bora")
        deep_link = context.new_page()  # a shared link opened in a new tab
        deep_link.goto(f"{base_url}/profile?org={ORG}")
        signed_in_as(deep_link, "bora")
        deep_link.get_by_role("heading", name=ORG_NAME).wait_for(timeout=30_000)
        screenshot(deep_link, "sessions-deep-link-new-tab")
        window = browser.new_context(
            viewport={"width": 1200, "height": 800}, storage_state=context.storage_state()
        ).new_page()  # a second window: its own tab state, the browser's cookies
        window.goto(f"{base_url}/roadmap")
        signed_in_as(window, "bora")

        first.get_by_role("button", name="Sign out").click()
        first.get_by_role("heading", name="Sign in").wait_for()
        cookie_gone(context)
        next_click_signs_out(deep_link)
        next_click_signs_out(window)
        deep_link.reload()  # and the cookie no longer signs anyone in
        deep_link.get_by_role("heading", name="Sign in").wait_for(timeout=30_000)
        screenshot(deep_link, "sessions-signed-out-everywhere")


def test_a_disabled_accounts_open_tabs_are_signed_out_at_the_next_click(env) -> None:
    password = create_account(env, "dora", BOARD)
    with chromium() as browser, running_app(env) as base_url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        first = context.new_page()
        first.goto(f"{base_url}/")
        sign_in(first, "dora", password)
        session_cookie(context)
        second = context.new_page()
        second.goto(f"{base_url}/benchmark")
        signed_in_as(second, "dora")
        store = open_store(database_url(env))
        try:
            accounts.set_disabled(store, CLI_ADMIN, "dora")
        finally:
            store.close()
        next_click_signs_out(first)
        next_click_signs_out(second)
        second.get_by_text("Your session has ended").wait_for()


def test_signing_out_of_single_sign_on_in_one_tab_ends_the_other_tabs(tmp_path) -> None:
    from tests.test_browser_signin import add_identity, oidc_provider, sso_secrets

    env = {"CAPACITY_DATA_DIR": str(tmp_path / "data")}
    store = open_store(database_url(env))
    sso.save_rule(store, CLI_ADMIN, "*@ngo.example", EVALUATOR)
    store.close()
    app_port = free_port()
    with oidc_provider() as provider, chromium() as browser:
        add_identity(provider, "ana", {"email": "ana@ngo.example", "email_verified": True, "name": "Ana"})
        secrets_file = sso_secrets(tmp_path, provider, app_port)
        with running_app(env, port=app_port, args=["--secrets.files", str(secrets_file)]) as base_url:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
            first = context.new_page()
            first.goto(f"{base_url}/")
            first.get_by_role("button", name="Sign in").click()
            first.wait_for_url(f"{provider}/oauth2/authorize**")
            first.locator("input[name=sub]").fill("ana")
            first.get_by_role("button", name="Authorize").click()
            signed_in_as(first, "Ana")
            second = context.new_page()
            second.goto(f"{base_url}/roadmap")
            signed_in_as(second, "Ana")

            first.get_by_role("button", name="Sign out").click()
            first.wait_for_url(f"{provider}/oauth2/end_session**")
            second.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Framework").click()
            second.get_by_role("button", name="Sign in").wait_for(timeout=30_000)  # signed out there too
            second.get_by_text("Signed in as").wait_for(state="detached")
