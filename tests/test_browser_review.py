"""Review, upload and audit in a real browser, in English, Turkish and Arabic: screenshots to look at.

A manager uploads a self-assessment with a blank level next to an evaluator's stored levels,
an evaluator reviews on the Scorecards page and prepares a batch ZIP of PDFs, and reads the
audit log. Each page is kept as test-artifacts/review-<page>-<lang>.png. The checks are
what a person would see: the warning naming the unanswered indicator, the note that the
evaluator's levels take precedence, the review form starting at the level of record, every
indicator listed without an inner scroll, the batch's progress bar moving file by file, and
audit details in words.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from capacity import i18n
from capacity.access import CLI_ADMIN, EVALUATOR, MANAGER
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer
from capacity.store import open_store
from capacity.store.ingest import ingest_file
from tests.browser import (
    chromium,
    create_account,
    error_texts,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.store_support import make_submission, questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 1400
LANGUAGES = ("en", "tr", "ar")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def env(small_portfolio_dir, tmp_path) -> dict[str, str]:
    """A copy of the small portfolio with an evaluator's questionnaire for NS-01, 2026 (three indicators)."""
    shutil.copy(small_portfolio_dir / "capacity.db", tmp_path / "capacity.db")
    store = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    try:
        full = make_submission("NS-01", 2026, "External Evaluator", seed=7, role=ROLE_EVALUATOR)
        answers = {c: a if c in ("IC.1", "IC.3", "SD.2") else Answer(c) for c, a in full.answers.items()}
        evaluator = dataclasses.replace(full, answers=answers, organisation_name="Aurora Relief Society")
        ingest_file(store, questionnaire(evaluator, "en"), "evaluator.xlsx", CLI_ADMIN)
    finally:
        store.close()
    return {"CAPACITY_DATA_DIR": str(tmp_path)}


def show_everything(page) -> None:
    """Grow the viewport to the main area's height, so a full-page screenshot holds the whole page."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(800)


def open_page(page, base_url: str, path: str, lang: str, title: str) -> None:
    """Open `path` in `lang` and wait until its title (a catalog msgid) is drawn and the script is done."""
    page.goto(f"{base_url}/{path}{'&' if '?' in path else '?'}lang={lang}")
    page.locator("h1", has_text=i18n.translator(lang)(title)).wait_for(timeout=60_000)
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_timeout(1000)


def blank_level_file() -> bytes:
    """Aurora Relief Society's self-assessment for 2026 with IC.4 left blank."""
    name = "Aurora Relief Society"
    submission = make_submission("NS-01", 2026, "Ayşe Demir", seed=3, organisation_name=name)
    answers = {**submission.answers, "IC.4": Answer("IC.4")}
    return questionnaire(dataclasses.replace(submission, answers=answers), "en")


def signed_in(browser, base_url: str, username: str, password: str):
    """A page of a fresh browser context signed in (in English) as `username`; a cookie keeps the session."""
    page = browser.new_context(viewport={"width": WIDTH, "height": 900}).new_page()
    page.goto(base_url)
    sign_in(page, username, password)
    return page


def test_upload_review_and_audit_pages_in_three_languages(env) -> None:
    manager = create_account(env, "mia", MANAGER, ["NS-01"])
    evaluator = create_account(env, "eva", EVALUATOR)
    with chromium() as browser, running_app(env) as base_url:
        mia = signed_in(browser, base_url, "mia", manager)
        eva = signed_in(browser, base_url, "eva", evaluator)
        for lang in LANGUAGES:
            t = i18n.translator(lang)
            page = mia
            page.set_viewport_size({"width": WIDTH, "height": 900})
            open_page(page, base_url, "upload", lang, "Upload questionnaires")
            screenshot(page, f"review-upload-empty-{lang}")
            uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
            assert uploader.get_attribute("accept").split(",")[-3:] == [".xlsx", ".xlsm", ".ods"]
            # the uploader's button speaks the page's language (Streamlit's own word is English)
            dropzone = page.locator("[data-testid='stFileUploaderDropzone']")
            assert dropzone.get_by_role("button", name=t("Choose files"), exact=True).is_visible()
            assert lang == "en" or "Upload" not in dropzone.inner_text()
            file = {"name": "aurora-2026.xlsx", "mimeType": XLSX, "buffer": blank_level_file()}
            uploader.set_input_files([file])
            page.get_by_text(t("Accepted"), exact=False).first.wait_for(timeout=60_000)
            wait_for_app(page, timeout_ms=60_000)
            page.locator("[data-testid='stExpander'] summary").last.click()  # the warnings
            page.wait_for_timeout(500)
            body = page.locator("[data-testid='stMain']").inner_text()
            assert error_texts(page) == []
            assert "(IC.4)" in body
            assert "IC.1, IC.3, SD.2" in body  # the evaluator's levels take precedence there
            show_everything(page)
            screenshot(page, f"review-upload-{lang}")

            page = eva
            page.set_viewport_size({"width": WIDTH, "height": 900})
            open_page(page, base_url, "scorecards?org=NS-01&year=2026", lang, "Scorecards")
            page.locator("[data-testid='stTable']").nth(5).wait_for(timeout=60_000)
            show_everything(page)
            screenshot(page, f"review-scorecards-{lang}")
            assert error_texts(page) == []
            tables = page.locator("[data-testid='stTable']")
            assert tables.count() == 6  # one per dimension, every indicator, no inner scroll
            assert all(tables.nth(i).evaluate("e => e.scrollHeight <= e.clientHeight + 1") for i in range(6))

            page.set_viewport_size({"width": WIDTH, "height": 900})
            page.get_by_role("radiogroup").get_by_text("PDF", exact=True).click()
            wait_for_app(page)
            page.locator("[data-testid='stButton'] button", has_text="ZIP").click()
            bar = page.locator("[data-testid='stProgress']")
            bar.wait_for(timeout=30_000)
            seen = set()
            while bar.count():
                # all_inner_texts does not wait: the bar may go between count() and the read
                seen.update(bar.all_inner_texts())
                page.wait_for_timeout(100)
            wait_for_app(page, timeout_ms=120_000)
            assert len(seen) >= 3, seen  # the bar moved file by file, not once at the end

            open_page(page, base_url, "audit", lang, "Audit log")
            assert error_texts(page) == []
            grid = page.locator("[data-testid='stDataFrame']").first
            assert grid.bounding_box()["height"] > 600  # about a screen, not a ten-row box
            screenshot(page, f"review-audit-{lang}")
