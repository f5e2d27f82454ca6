"""The Framework page in a real browser: it renders, shows no error, and offers the template."""

from __future__ import annotations

import pytest

from capacity.access import BOARD
from tests.browser import chromium, create_account, error_texts, running_app, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_framework_page_in_chromium(tmp_path) -> None:
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    password = create_account(env, "reader", BOARD)
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base_url}/framework")
        sign_in(page, "reader", password)
        page.get_by_text("Download the blank questionnaire").wait_for()
        assert error_texts(page) == []
        with page.expect_download() as download_info:
            page.get_by_text("Download the blank questionnaire").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        assert download.path().read_bytes()[:2] == b"PK"
        screenshot(page, "framework")
