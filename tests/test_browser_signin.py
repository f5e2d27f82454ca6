"""Sign-in in a real browser: single sign-on against an OpenID provider on loopback, and local accounts.

The provider is `oidc-provider-mock`, a real OpenID Connect server, so Streamlit's
`st.login` (Authlib) runs the whole authorization-code flow. Its configuration lives in a
`secrets.toml` written to the test's temporary directory and handed to Streamlit with
`--secrets.files`; nothing is written into the project's `.streamlit/`. Everything uses
127.0.0.1: the browser's host must be the redirect URI's host, or the state cookie is lost.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from capacity import accounts, sso
from capacity.access import CLI_ADMIN, EVALUATOR, MANAGER
from capacity.store import open_store
from capacity.store.ingest import ingest_submission
from capacity.store.models import AuditEntry
from tests.browser import (
    ARTIFACTS,
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

MOCK = Path(sys.executable).with_name("oidc-provider-mock")
OWN, OTHER = "ORG-OWN", "ORG-OTHER"
OTHER_NAME = "Secretive Neighbour Society"


@contextlib.contextmanager
def oidc_provider() -> Iterator[str]:
    """A real OpenID provider on a free loopback port; yields its base URL."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / f"oidc-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            [str(MOCK), "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{base}/.well-known/openid-configuration", timeout=2),
                ):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the OpenID provider did not start")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def add_identity(provider: str, sub: str, claims: dict) -> None:
    request = urllib.request.Request(
        f"{provider}/users/{sub}",
        method="PUT",
        data=json.dumps(claims).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 204


def sso_secrets(folder: Path, provider: str, app_port: int) -> Path:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "capacity-browser-test"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def new_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())  # the provider's stylesheet
    return page


def audited(env: dict[str, str], username: str) -> list[str]:
    from sqlalchemy import select

    store = open_store(database_url(env))
    try:
        with store.read() as session:
            return list(
                session.scalars(
                    select(AuditEntry.action).where(AuditEntry.actor == username).order_by(AuditEntry.id)
                )
            )
    finally:
        store.close()


def test_single_sign_on_lands_with_the_mapped_role_refuses_strangers_and_signs_out(tmp_path) -> None:
    env = {"CAPACITY_DATA_DIR": str(tmp_path / "data")}
    store = open_store(database_url(env))
    sso.save_rule(store, CLI_ADMIN, "*@ngo.example", EVALUATOR)
    store.close()
    app_port = free_port()
    with oidc_provider() as provider, chromium() as browser:
        add_identity(
            provider, "ana", {"email": "ana@ngo.example", "email_verified": True, "name": "Ana Kaya"}
        )
        add_identity(
            provider, "eve", {"email": "eve@elsewhere.example", "email_verified": True, "name": "Eve"}
        )
        secrets_file = sso_secrets(tmp_path, provider, app_port)
        with running_app(env, port=app_port, args=["--secrets.files", str(secrets_file)]) as base_url:
            page = new_page(browser)
            page.goto(f"{base_url}/")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{provider}/oauth2/authorize**")
            page.locator("input[name=sub]").fill("ana")
            page.get_by_role("button", name="Authorize").click()
            page.get_by_text("Signed in as").wait_for(timeout=30_000)
            wait_for_app(page)
            sidebar = page.locator("[data-testid='stSidebar']")
            assert "Ana Kaya" in sidebar.inner_text() and "Evaluator" in sidebar.inner_text()
            assert sidebar.get_by_role("link", name="Audit log").count() == 1  # evaluators read the log
            assert sidebar.get_by_role("link", name="Administration").count() == 0
            assert error_texts(page) == []
            screenshot(page, "signin-sso-evaluator")

            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url(f"{provider}/oauth2/end_session**")  # the provider's session ends too
            page.get_by_role("button", name="End session").click()
            page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
            page.get_by_text("Signed in as").wait_for(state="detached")

            stranger = new_page(browser)
            stranger.goto(f"{base_url}/")
            stranger.get_by_role("button", name="Sign in").click()
            stranger.wait_for_url(f"{provider}/oauth2/authorize**")
            stranger.locator("input[name=sub]").fill("eve")
            stranger.get_by_role("button", name="Authorize").click()
            # the address is text, not a mailto link: an invisible word joiner stands before its @
            refusal = re.compile("eve\u2060?@elsewhere\\.example has no access to this app")
            stranger.get_by_text(refusal).wait_for(timeout=30_000)
            assert stranger.locator("a[href^='mailto:']").count() == 0
            wait_for_app(stranger)
            assert stranger.get_by_text("Signed in as").count() == 0
            screenshot(stranger, "signin-sso-refused")
    assert audited(env, "ana@ngo.example")[:2] == [accounts.SIGNED_IN, accounts.SIGNED_OUT]
    assert audited(env, "eve@elsewhere.example") == [sso.SSO_REFUSED]


def test_a_local_account_signs_in_after_a_wrong_password_and_out_again(tmp_path) -> None:
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    password = create_account(env, "bora", "board")
    with chromium() as browser, running_app(env) as base_url:
        page = new_page(browser)
        page.goto(f"{base_url}/roadmap")
        page.get_by_label("User name").fill("bora")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("The user name or password is not correct.").wait_for()
        sign_in(page, "bora", password)
        assert page.url.startswith(f"{base_url}/roadmap")  # the page asked for, once signed in
        page.get_by_role("heading", name="Sign in").wait_for(state="detached")
        assert "Board member" in page.locator("[data-testid='stSidebar']").inner_text()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("heading", name="Sign in").wait_for()
        page.get_by_text("Signed in as").wait_for(state="detached")  # gone, not merely stale
    assert audited(env, "bora") == [accounts.SIGN_IN_FAILED, accounts.SIGNED_IN, accounts.SIGNED_OUT]


def test_a_manager_never_reaches_another_organisations_profile_scorecard_or_raw_answers(tmp_path) -> None:
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    store = open_store(database_url(env))
    for number, (organisation, name) in enumerate(((OWN, "Own Relief Society"), (OTHER, OTHER_NAME))):
        submission = make_submission(organisation, 2025, organisation_name=name, seed=number)
        assert ingest_submission(
            store, submission, organisation.encode(), f"{organisation}.xlsx", CLI_ADMIN
        ).stored
    store.close()
    password = create_account(env, "manny", MANAGER, [OWN])
    with chromium() as browser, running_app(env) as base_url:
        page = new_page(browser)
        # The other organisation's profile address, as a shared link.
        page.goto(f"{base_url}/profile?org={OTHER}")
        sign_in(page, "manny", password)
        page.get_by_role("heading", name="Own Relief Society").wait_for()
        assert OTHER_NAME not in page.content()
        screenshot(page, "signin-manager-other-profile")
        # The same session tries addresses by hand (history navigation keeps the session).
        for address in (
            f"/profile?org={OTHER}&year=2025",
            f"/benchmark?org={OTHER}",
            f"/roadmap?org={OTHER}",
            f"/?org={OTHER}",
        ):
            visit_in_session(page, address)
            assert page.get_by_text("Signed in as").count() == 1, address
            assert OTHER_NAME not in page.content(), address
        # The scorecard page asked for the other organisation: it offers only the manager's own
        # scorecard, and no raw dataset at all.
        visit_in_session(page, f"/scorecards?org={OTHER}")
        page.get_by_role("heading", name="Own Relief Society").wait_for(timeout=30_000)
        assert OTHER_NAME not in page.content()
        assert page.get_by_role("heading", name="The whole dataset").count() == 0
        assert page.get_by_text("Download as CSV (ZIP)").count() == 0
        with page.expect_download() as download_info:
            page.get_by_text("Download the Excel scorecard").click()
        download = download_info.value
        assert OWN in download.suggested_filename and OTHER not in download.suggested_filename
        assert OTHER_NAME not in workbook_text(download.path())
        # Pages only other roles have: the address opens a refusal, never the data.
        for address in ("/audit", "/admin"):
            visit_in_session(page, address)
            page.get_by_text("Your role does not allow this action.").wait_for()
            assert OTHER_NAME not in page.content(), address
        library_refusals(env)


def workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True)  # the path has no suffix
    return " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def visit_in_session(page, address: str) -> None:
    """Go to `address` the way the browser's back and forward buttons do: same tab, same session."""
    page.evaluate(
        f"history.pushState({{}}, '', {json.dumps(address)}); "
        "window.dispatchEvent(new PopStateEvent('popstate'))"
    )
    page.wait_for_timeout(300)
    wait_for_app(page)


def library_refusals(env: dict[str, str]) -> None:
    """Behind any page: the other organisation's scorecard and the raw dataset are refused to the manager."""
    from capacity.access import AccessDenied, Actor
    from capacity.export.dataset import dataset_frames
    from capacity.export.scorecard import load_scorecard

    manager = Actor("manny", MANAGER, frozenset({OWN}))
    store = open_store(database_url(env))
    try:
        with pytest.raises(AccessDenied):
            load_scorecard(store, manager, OTHER)
        with pytest.raises(AccessDenied):
            dataset_frames(store, manager)
    finally:
        store.close()
