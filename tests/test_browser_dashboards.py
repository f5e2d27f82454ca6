"""The dashboards in a real browser on the demo data: charts drawn, no error box, screenshots kept.

The screenshots (test-artifacts/dashboard-<page>-<language>.png) are for people: look at
them after a change to the pages, in English, Turkish and Arabic. Streamlit scrolls inside
its main area, so the viewport is grown to the page's height before each full-page
screenshot.
"""

from __future__ import annotations

import pytest

from capacity import i18n
from capacity.access import BOARD
from capacity.store import open_store
from tests.browser import (
    chromium,
    create_account,
    error_texts,
    running_app,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.dashboard_data import fill_demo

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 1400
MAX_HEIGHT = 9000
# page address → (heading, plotly charts the page draws once its method section is open)
PAGES = {
    "overview": ("Portfolio overview", 2),
    "profile": ("Organisation profile", 3),
    "benchmark": ("Benchmark", 3),
    "roadmap": ("Roadmap", 3),
    "framework": ("Framework", 0),
}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory) -> tuple[dict[str, str], str]:
    """The app's environment with the demo stored, and the password of a board member's account."""
    directory = tmp_path_factory.mktemp("demo")
    store = open_store(f"sqlite:///{directory / 'capacity.db'}")
    fill_demo(store)
    store.close()
    env = {"CAPACITY_DATA_DIR": str(directory)}
    return env, create_account(env, "board-member", BOARD)


def grow_to_full_height(page) -> None:
    """Make the viewport as tall as Streamlit's scrolling main area, so nothing is cut off.

    Tables are drawn only once they have been in view: the main area is scrolled through
    first, so none stays a blank placeholder in the screenshot.
    """
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    for top in range(0, int(height), 700):
        page.evaluate(f"() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, {top})")
        page.wait_for_timeout(150)
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 40, MAX_HEIGHT)})
    page.wait_for_timeout(1200)


def wait_for_charts(page, charts: int) -> None:
    """Wait until the page has run and drawn `charts` plotly figures, then show all of it."""
    wait_for_app(page, timeout_ms=60_000)
    # Exactly this page's charts, each drawn (the previous page's fade out while the new one runs).
    page.wait_for_function(
        "(count) => { const plots = [...document.querySelectorAll('.js-plotly-plot')];"
        " return plots.length === count && plots.every(p => p.querySelector('.main-svg')); }",
        arg=charts,
        timeout=60_000,
    )
    grow_to_full_height(page)
    wait_for_app(page, timeout_ms=60_000)


def switch_language(page, lang: str) -> None:
    """Choose `lang` in the sidebar's language switch (the session, and the sign-in, stay)."""
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=i18n.LANGUAGES[lang]).click()
    page.wait_for_function(f"() => window.location.search.includes('lang={lang}')", timeout=30_000)
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_timeout(1500)  # the old language's widgets fade out after the new run


def open_page(page, url_path: str, heading: str, charts: int, lang: str) -> None:
    """Open a dashboard through the sidebar's menu and wait for its charts."""
    page.set_viewport_size({"width": WIDTH, "height": 900})
    links = page.locator("[data-testid='stSidebarNav'] a")  # the first, Overview, lives at the root
    link = links.first if url_path == "overview" else links.and_(page.locator(f"[href$='/{url_path}']"))
    link.first.click()
    page.get_by_role("heading", name=i18n.translator(lang)(heading)).first.wait_for(timeout=60_000)
    wait_for_app(page, timeout_ms=60_000)
    if url_path == "benchmark":  # the evaluators' section: opened so its charts draw and show
        page.locator("[data-testid='stExpander'] summary").first.click()
    wait_for_charts(page, charts)
    if url_path == "profile":  # the indicator tables come last and take a moment to draw
        page.locator("[data-testid='stTableStyledTable']").first.wait_for(timeout=60_000)
        grow_to_full_height(page)


@pytest.mark.parametrize("lang", ["en", "tr", "ar"])
def test_every_dashboard_page_draws_its_charts_without_errors(demo_app, lang) -> None:
    env, password = demo_app
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(base_url)
        sign_in(page, "board-member", password)
        if lang != "en":
            switch_language(page, lang)
        for url_path, (heading, charts) in PAGES.items():
            open_page(page, url_path, heading, charts, lang)
            assert error_texts(page) == [], (url_path, error_texts(page))
            if charts:  # every chart has its text alternative: a caption right below it
                followed = page.evaluate(
                    """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
                        const box = plot.closest('[data-testid="stElementContainer"]');
                        const next = box && box.nextElementSibling;
                        return !!(next && next.querySelector('[data-testid="stCaptionContainer"]'));
                    })"""
                )
                assert all(followed), (url_path, followed)
            screenshot(page, f"dashboard-{url_path}-{lang}")


def test_a_language_switch_translates_the_filter_values_and_the_sort_box_at_once(demo_app) -> None:
    env, password = demo_app
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(base_url)
        sign_in(page, "board-member", password)
        wait_for_charts(page, 2)
        switch_language(page, "tr")
        wait_for_charts(page, 2)
        shown = page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").evaluate_all(
            "inputs => inputs.map(input => input.value)"
        )
        turkish = i18n.translator("tr")
        assert shown.count(turkish("All")) == 3 and "All" not in shown  # type, region, country
        assert turkish("Name (A–Z)") in shown and "Name (A–Z)" not in shown  # the sort box
        sidebar = page.inner_text("[data-testid='stSidebar']")
        assert turkish("Language") in sidebar


def test_a_shared_link_opens_the_same_filtered_view_also_in_turkish(demo_app) -> None:
    env, password = demo_app
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(f"{base_url}/?year=2023&type=national_society")
        sign_in(page, "board-member", password)
        wait_for_charts(page, 2)
        switch_language(page, "tr")
        wait_for_charts(page, 2)
        assert error_texts(page) == []
        tiles = page.locator("[data-testid='stMetricValue']")
        assert tiles.count() == 4
        assert "," in tiles.nth(1).inner_text()  # the mean index with a decimal comma
        assert "type=national_society" in page.url and "year=2023" in page.url
        screenshot(page, "dashboard-overview-tr-filtered")
