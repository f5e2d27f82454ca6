"""The app served below a sub-path (`server.baseUrlPath`, as behind a proxy at /capacity/).

Before this change our own routes stayed at the site's root: the page posted its sign-in
hand-over to /session/claim, which that proxy does not send to the app, so a reload asked
to sign in again, and the API answered at /api/v1 instead of /capacity/api/v1.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from capacity.access import BOARD
from capacity.web import base_path
from tests.browser import chromium, create_account, running_app, sign_in, wait_for_app
from tests.test_browser_sessions import cookie_gone, session_cookie, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BASE = "/capacity"


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("", ""),
        (None, ""),
        ("/", ""),
        ("capacity", "/capacity"),
        ("/capacity/", "/capacity"),
        ("a/b/", "/a/b"),
    ],
)
def test_base_path_is_a_prefix_without_trailing_slash(configured, expected) -> None:
    assert base_path(configured) == expected


def get_json(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_sign_in_lasts_sign_out_forgets_and_the_api_answers_below_the_base_path(tmp_path) -> None:
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    password = create_account(env, "bora", BOARD)
    with running_app(env, base_path=BASE) as app_url, chromium() as browser:
        status, health = get_json(f"{app_url}/api/v1/health")
        assert status == 200 and health["status"] == "ok"
        status, description = get_json(f"{app_url}/api/v1/openapi.json")
        assert description["servers"] == [{"url": BASE}]

        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{app_url}/")
        sign_in(page, "bora", password)
        cookie = session_cookie(context)
        assert cookie["path"] == BASE and cookie["httpOnly"]
        page.reload()
        wait_for_app(page)
        signed_in_as(page, "bora")
        page.get_by_role("button", name="Sign out").click()
        cookie_gone(context)
