"""Issue 15 in a real browser: a manager's file marked Evaluator is refused on the Upload page, by cell.

The file goes through the page's real <input type=file>, as a person's would. On today's
main the page accepted it and offered to store it as an evaluator's questionnaire.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import create_engine, func, select

from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer
from capacity.store.models import SubmissionRecord
from tests.browser import chromium, database_url, error_texts, running_app, screenshot, sign_in, wait_for_app
from tests.store_support import make_submission, questionnaire
from tests.test_browser_upload import choose_files, manager_of_org_001

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def forged(lang: str) -> bytes:
    """The issue's file: "Respondent role = Evaluator" and every level at 5."""
    submission = make_submission("ORG-001", 2025, "Dr Emre Yilmaz", role=ROLE_EVALUATOR)
    answers = {code: Answer(code=code, level=5) for code in submission.answers}
    return questionnaire(dataclasses.replace(submission, answers=answers), lang)


@pytest.mark.parametrize(
    ("lang", "accepted", "refusal"),
    [
        (
            "en",
            "0 of 1 file accepted.",
            "Only an evaluator account can upload an evaluator's questionnaire; change Organisation!B9 to "
            "Self-assessment or ask your evaluator.",
        ),
        ("tr", "1 dosyadan 0 tanesi kabul edildi.", "Kurum!B9"),
    ],
)
def test_a_manager_uploading_a_file_marked_evaluator_is_refused_naming_the_cell(
    tmp_path, lang: str, accepted: str, refusal: str
) -> None:
    env, password = manager_of_org_001(tmp_path)
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base_url}/upload")
        sign_in(page, "ayse", password)
        if lang == "tr":  # the sidebar's language choice, as a person switches
            page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
            page.get_by_role("option", name="Türkçe").click()
            page.wait_for_function("() => window.location.search.includes('lang=tr')", timeout=30_000)
            wait_for_app(page)
        page.locator("[data-testid='stFileUploader']").wait_for(timeout=30_000)
        choose_files(page, ("emre-2025.xlsx", forged(lang)))
        page.get_by_text(accepted).wait_for(timeout=30_000)
        page.get_by_text(refusal).first.wait_for(timeout=30_000)
        wait_for_app(page)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert refusal in body
        assert "B9" in body.split(refusal)[0]  # the cell is also listed like any other problem's
        assert error_texts(page) == []
        assert page.get_by_role("button", name="Submit the accepted file").count() == 0
        page.get_by_text(refusal).first.scroll_into_view_if_needed()
        screenshot(page, f"upload-forged-evaluator-{lang}")
    engine = create_engine(database_url(env))
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(SubmissionRecord)) == 0
    finally:
        engine.dispose()
