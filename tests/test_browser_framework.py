"""The Framework page in a real browser: it renders, shows no error, and offers the template."""

from __future__ import annotations

import pytest

from tests.browser import chromium, error_texts, running_app, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_framework_page_in_chromium(tmp_path) -> None:
    with chromium() as browser, running_app({"CAPACITY_DATA_DIR": str(tmp_path)}) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base_url}/framework")
        wait_for_app(page)
        page.get_by_text("Download the blank questionnaire").wait_for()
        assert error_texts(page) == []
        with page.expect_download() as download_info:
            page.get_by_text("Download the blank questionnaire").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        assert download.path().read_bytes()[:2] == b"PK"
        screenshot(page, "framework")
