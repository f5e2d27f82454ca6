"""The sidebar's API tokens dialog in a real browser: create (shown once), use it on /api/v1, revoke.

The same server serves the page and the API, so the token made in the page opens the API
on the same port, and stops opening it once revoked. Screenshots in English and Turkish.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from capacity.access import BOARD
from tests.browser import (
    chromium,
    create_account,
    error_texts,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def status_with(base_url: str, token: str) -> int:
    request = urllib.request.Request(
        f"{base_url}/api/v1/roadmap", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_make_use_and_revoke_a_token_in_the_page(tmp_path):
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    password = create_account(env, "ana-board", BOARD)
    with running_app(env) as base_url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base_url}/framework")
        sign_in(page, "ana-board", password)
        page.get_by_role("button", name="API tokens").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("What is it for?").fill("Power BI <b>report</b>")
        dialog.get_by_role("button", name="Create a token").click()
        dialog.get_by_text("Copy your token now").wait_for()
        token = dialog.locator("code").first.inner_text().strip()
        assert token.startswith("hdc_")
        wait_for_app(page)
        assert error_texts(page) == []
        screenshot(page, "api-tokens-en")
        assert status_with(base_url, token) == 200

        dialog.get_by_role("button", name="Revoke").click()
        dialog.get_by_text("revoked", exact=True).wait_for(state="attached")
        assert status_with(base_url, token) == 401

        # a new page load, in Turkish: the session cookie keeps her signed in
        page.goto(f"{base_url}/framework?lang=tr")
        wait_for_app(page)
        page.get_by_role("button", name="API anahtarları").click()
        page.get_by_role("dialog").get_by_text("iptal edilmiş", exact=True).wait_for(state="attached")
        page.get_by_role("dialog").get_by_text("Power BI <b>report</b>").first.wait_for(state="attached")
        screenshot(page, "api-tokens-tr")
