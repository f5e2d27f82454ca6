"""Every page in Arabic in a real browser: laid out right to left, no English left, screenshots kept.

Streamlit has no right-to-left mode; ui/language.py sets `dir="rtl"` on the document and
adds a scoped stylesheet. This opens every page as an administrator (who sees them all)
in Arabic through the sidebar's language switch, and checks the document's direction,
the sidebar's side, that codes and numbers keep their order, and that no English
catalog string remains in what the page shows. The screenshots
(test-artifacts/arabic-*.png) are for people to look at after a change; an English page
is kept beside them (arabic-english-overview.png) to compare the mirroring.
"""

from __future__ import annotations

import pytest

from capacity import i18n
from capacity.access import ADMIN
from tests.browser import (
    chromium,
    create_account,
    error_texts,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.test_app_languages import PAGES, english_pieces

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 1400
ARABIC = "ar"


def switch_language(page, lang: str) -> None:
    """Choose `lang` in the sidebar's language switch (the session, and the sign-in, stay)."""
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=i18n.LANGUAGES[lang]).click()
    wait_for_app(page, timeout_ms=60_000)


def open_from_menu(page, url_path: str) -> None:
    """Open a page through the sidebar's menu (its link ends with the page's address)."""
    links = page.locator("[data-testid='stSidebarNav'] a")
    link = (
        links.first
        if url_path == PAGES[0]
        else page.locator(f"[data-testid='stSidebarNav'] a[href$='/{url_path}']")
    )
    link.first.click()
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_timeout(1500)  # charts and tables finish drawing after the script run


def show_everything(page) -> None:
    """Grow the viewport to the height of Streamlit's scrolling main area before a full-page screenshot."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(800)


def direction(page) -> dict[str, object]:
    return page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const sidebar = document.querySelector('[data-testid="stSidebar"]');
            return {
                dir: document.documentElement.dir,
                lang: document.documentElement.lang,
                main: getComputedStyle(main).direction,
                sidebar_right_of_main:
                    sidebar.getBoundingClientRect().left > main.getBoundingClientRect().left,
            };
        }"""
    )


def test_every_page_in_arabic_is_right_to_left_without_english(small_portfolio_dir) -> None:
    env = {"CAPACITY_DATA_DIR": str(small_portfolio_dir)}
    password = create_account(env, "arabic-admin", ADMIN)
    english_left = english_pieces(i18n.catalog(ARABIC))
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(base_url)
        sign_in(page, "arabic-admin", password)
        show_everything(page)
        screenshot(page, "arabic-english-overview")
        assert direction(page)["dir"] == "ltr"
        switch_language(page, ARABIC)
        # Streamlit keeps a keyed widget's choice as its displayed text: after the switch the
        # filters must show the Arabic words, not the English ones they showed before.
        english_options = {msgid for msgid, text in i18n.catalog(ARABIC).items() if text != msgid}
        page.wait_for_timeout(2000)  # the English run's widgets fade out after the Arabic run
        switch_label = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] label").first
        assert switch_label.inner_text().strip() == i18n.translator(ARABIC)("Language")
        shown_choices = page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").evaluate_all(
            "inputs => inputs.map(input => input.value)"
        )
        stale = [text for text in shown_choices if text in english_options]
        assert shown_choices and not stale, stale
        problems: dict[str, list[str]] = {}
        for url_path in PAGES:
            page.set_viewport_size({"width": WIDTH, "height": 900})
            open_from_menu(page, url_path)
            assert direction(page) == {
                "dir": "rtl",
                "lang": "ar",
                "main": "rtl",
                "sidebar_right_of_main": True,
            }
            assert not error_texts(page), (url_path, error_texts(page))
            shown = page.inner_text("[data-testid='stApp']")
            left = sorted({msgid for piece, msgid in english_left.items() if piece in shown})
            if left:
                problems[url_path] = left
            show_everything(page)
            screenshot(page, f"arabic-{url_path}")
        switch_language(page, "en")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction === 'ltr'",
            timeout=30_000,
        )
        assert direction(page) == {"dir": "ltr", "lang": "en", "main": "ltr", "sidebar_right_of_main": False}
    assert not problems, f"English on Arabic pages: {problems}"
