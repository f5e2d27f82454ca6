"""The Upload page in a real browser: a manager's file reaches the Overview; hostile files are refused.

The files go through the page's real <input type=file> (Playwright's `set_input_files`),
so the upload travels the same HTTP path as a person's. After the zip bomb and the
renamed PDF the server must still answer its health check and the page must still work.
"""

from __future__ import annotations

import urllib.request

import pytest

from capacity.access import MANAGER
from tests.bad_files import zip_bomb
from tests.browser import (
    chromium,
    create_account,
    error_texts,
    register_organisations,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.upload_files import filled, renamed_pdf

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORGANISATION = "Aurora Relief Society"


def choose_files(page, *files: tuple[str, bytes]) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        [{"name": name, "mimeType": XLSX, "buffer": data} for name, data in files]
    )


def manager_of_org_001(tmp_path) -> tuple[dict[str, str], str]:
    """A fresh database with ORG-001 registered and "ayse" its manager; the app's env and her password."""
    env = {"CAPACITY_DATABASE_URL": f"sqlite:///{tmp_path / 'capacity.db'}"}
    register_organisations(env, ("ORG-001", ORGANISATION))
    return env, create_account(env, "ayse", MANAGER, ["ORG-001"])


def healthy(base_url: str) -> bool:
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=5) as response:
        return response.status == 200 and response.read().strip() == b"ok"


def test_a_manager_uploads_a_file_and_sees_it_on_the_overview(tmp_path) -> None:
    _, data = filled(organisation_id="ORG-001", organisation_name=ORGANISATION)
    env, password = manager_of_org_001(tmp_path)
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base_url}/upload")
        sign_in(page, "ayse", password)
        page.get_by_text("Download the blank questionnaire (.xlsx)").wait_for()
        choose_files(page, ("aurora-2025.xlsx", data))
        page.get_by_text("1 of 1 file accepted.").wait_for(timeout=30_000)
        page.get_by_text("Saving stores it as a new questionnaire for ORG-001, 2025.").wait_for()
        wait_for_app(page)
        assert error_texts(page) == []
        screenshot(page, "upload-preview")

        page.get_by_role("button", name="Submit the accepted file").click()
        page.get_by_text("Submitted. This is exactly what happened:").wait_for(timeout=30_000)
        page.get_by_text("aurora-2025.xlsx: stored as submission 1 for ORG-001, 2025.").wait_for()
        wait_for_app(page)
        screenshot(page, "upload-submitted")

        page.get_by_role("link", name="Overview").click()  # the same session: no second sign-in
        wait_for_app(page)
        page.locator("svg text", has_text=ORGANISATION).first.wait_for(timeout=30_000)
        assert error_texts(page) == []
        screenshot(page, "upload-then-overview")


def test_a_zip_bomb_and_a_renamed_pdf_are_refused_and_the_server_lives_on(tmp_path) -> None:
    bomb = zip_bomb()  # one member of 1 GiB of zeros, about 1 MB compressed
    _, good = filled()
    env, password = manager_of_org_001(tmp_path)
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base_url}/upload")
        sign_in(page, "ayse", password)
        choose_files(page, ("bomb.xlsx", bomb), ("answers.xlsx", renamed_pdf()), ("good.xlsx", good))
        page.get_by_text("1 of 3 files accepted.").wait_for(timeout=60_000)
        wait_for_app(page)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "zip bomb" in body
        assert "This is a PDF file, not a spreadsheet." in body
        assert body.count("✕ Rejected") == 2
        screenshot(page, "upload-hostile")
        assert healthy(base_url)

        # The page still works: the good file of the same upload can be submitted.
        page.get_by_role("button", name="Submit the accepted file").click()
        page.get_by_text("good.xlsx: stored as submission 1 for ORG-001, 2025.").wait_for(timeout=30_000)
        assert healthy(base_url)
