"""The round's cycle in a real browser: a manager's checklist, upload and submit; an evaluator's sign-off.

The app runs in its own process with the register's real default (files for unknown IDs
refused); the organisation is registered and the round opened through the library first.
"""

from __future__ import annotations

import datetime as dt

import pytest

from capacity.access import CLI_ADMIN, EVALUATOR, MANAGER
from capacity.rounds import rounds, states
from capacity.store import open_store
from tests.browser import (
    chromium,
    create_account,
    database_url,
    error_texts,
    register_organisations,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.test_browser_upload import XLSX
from tests.upload_files import filled

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

YEAR = dt.date.today().year
ORGANISATION = "Aurora Relief Society"


def _state(env: dict[str, str]) -> str:
    store = open_store(database_url(env))
    try:
        (status,) = rounds.round_status(store, CLI_ADMIN, YEAR)
        return status.state
    finally:
        store.close()


def _open_round(env: dict[str, str]) -> None:
    store = open_store(database_url(env))
    try:
        rounds.open_round(store, CLI_ADMIN, YEAR, dt.date.today() + dt.timedelta(days=30))
    finally:
        store.close()


def test_manager_submits_evaluator_signs_off_and_the_round_shows_verified(tmp_path) -> None:
    env = {"CAPACITY_DATABASE_URL": f"sqlite:///{tmp_path / 'capacity.db'}"}
    register_organisations(env, ("ORG-001", ORGANISATION))
    _open_round(env)
    manager_password = create_account(env, "ayse", MANAGER, ["ORG-001"])
    evaluator_password = create_account(env, "eva", EVALUATOR)
    _, data = filled(organisation_id="ORG-001", year=YEAR, organisation_name=ORGANISATION)

    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base_url}/rounds")
        sign_in(page, "ayse", manager_password)
        page.get_by_text("No self-assessment questionnaire is stored yet.").wait_for()
        page.get_by_text("State: not started").wait_for()
        assert page.get_by_role("button", name="Mark the self-assessment complete").is_disabled()
        screenshot(page, "rounds-manager-checklist")

        page.get_by_role("link", name="Upload").click()
        wait_for_app(page)
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            [{"name": "aurora.xlsx", "mimeType": XLSX, "buffer": data}]
        )
        page.get_by_text("1 of 1 file accepted.").wait_for(timeout=30_000)
        wait_for_app(page)
        page.get_by_role("button", name="Submit the accepted file").click()
        page.get_by_text(f"aurora.xlsx: stored as submission 1 for ORG-001, {YEAR}.").wait_for(timeout=30_000)

        page.get_by_role("link", name="Rounds").click()
        wait_for_app(page)
        page.get_by_text("State: in progress").wait_for()
        page.get_by_role("button", name="Mark the self-assessment complete").click()
        page.get_by_text("ORG-001: self-assessment marked complete.").wait_for(timeout=30_000)
        wait_for_app(page)
        assert error_texts(page) == []
        assert _state(env) == states.SUBMITTED
        screenshot(page, "rounds-manager-submitted")

        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{base_url}/rounds")
        sign_in(page, "eva", evaluator_password)
        page.get_by_role("button", name="Sign off").click()
        page.get_by_text("ORG-001: verified.").wait_for(timeout=30_000)
        wait_for_app(page)
        assert error_texts(page) == []
        assert _state(env) == states.VERIFIED
        page.get_by_text("Verified: 1").wait_for()  # the funnel's caption
        screenshot(page, "rounds-evaluator-verified")
