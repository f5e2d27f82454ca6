"""The four dashboards in a real browser on the demo data: charts drawn, no error box, screenshots kept.

The screenshots (test-artifacts/dashboard-*.png) are for people: look at them after a
change to the pages. Streamlit scrolls inside its main area, so the viewport is grown to
the page's height before each full-page screenshot.
"""

from __future__ import annotations

import pytest

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
# menu entry → (screenshot name, heading, plotly charts the page draws)
PAGES = {
    "Overview": ("dashboard-overview", "Portfolio overview", 2),
    "Organisation profile": ("dashboard-profile", "Organisation profile", 3),
    "Benchmark": ("dashboard-benchmark", "Benchmark", 3),
    "Roadmap": ("dashboard-roadmap", "Roadmap", 2),
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
    """Make the viewport as tall as Streamlit's scrolling main area, so nothing is cut off."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": int(height) + 40})
    page.wait_for_timeout(800)


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


def test_every_dashboard_page_draws_its_charts_without_errors(demo_app) -> None:
    env, password = demo_app
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(base_url)
        sign_in(page, "board-member", password)
        for entry, (name, heading, charts) in PAGES.items():
            page.set_viewport_size({"width": WIDTH, "height": 900})
            # Through the menu: the session (and the sign-in) lives as long as the page is not reloaded.
            page.locator("[data-testid='stSidebarNav']").get_by_text(entry, exact=True).click()
            page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
            wait_for_charts(page, charts)
            assert error_texts(page) == [], (entry, error_texts(page))
            screenshot(page, name)


def test_a_shared_link_opens_the_same_filtered_view_also_in_turkish(demo_app) -> None:
    env, password = demo_app
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(f"{base_url}/?year=2023&type=national_society")
        sign_in(page, "board-member", password)
        wait_for_charts(page, 2)
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
        page.get_by_role("option", name="Türkçe").click()
        page.wait_for_function("() => window.location.search.includes('lang=tr')", timeout=30_000)
        wait_for_charts(page, 2)
        assert error_texts(page) == []
        tiles = page.locator("[data-testid='stMetricValue']")
        assert tiles.count() == 4
        assert "," in tiles.nth(1).inner_text()  # the mean index with a decimal comma
        assert "type=national_society" in page.url and "year=2023" in page.url
        screenshot(page, "dashboard-overview-tr-filtered")
