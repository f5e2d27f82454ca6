"""Stage 4: the pages in headless Chromium, from a click in the menu to every chart drawn.

The browser and the server are started exactly as the browser tests start them
(`tests/browser.py`: Debian's /usr/bin/chromium through Playwright, never a downloaded
browser; `streamlit run app.py` on a free port). A board member signs in on the
Framework page, which draws no chart and reads no portfolio, so the first visit of the
Overview really is the first after the server started (nothing cached). Each repeat
starts a new server; within it the Overview and the profile are timed cold (first
visit) and then warm (second visit, served from `st.cache_data`).

"Drawn" means: the page shows exactly its number of `.js-plotly-plot` elements and each
has plotly's `.main-svg`, checked on every animation frame.
"""

from __future__ import annotations

import shutil
import time
from typing import Any

from benchmarks.datasets import Portfolio
from benchmarks.measure import SECONDS, Progress, Row, median

STAGE = "browser"
LIMIT = 3.0  # seconds
WIDTH, HEIGHT = 1400, 900
TIMEOUT_MS = 120_000
CHROMIUM = "/usr/bin/chromium"
# menu entry → plotly charts the page draws (tests/test_browser_dashboards.py)
PAGES = {"Overview": 2, "Organisation profile": 3}
RESTING_PAGE = "Framework"
DRAWN = (
    "(count) => { const plots = [...document.querySelectorAll('.js-plotly-plot')];"
    " return plots.length === count && plots.every(p => p.querySelector('.main-svg')); }"
)


def unavailable() -> str:
    """Why the stage cannot run here ('' when it can)."""
    if shutil.which(CHROMIUM) is None:
        return "no /usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return ""


def open_page(page: Any, entry: str, charts: int) -> float:
    """Seconds from clicking `entry` in the menu until its `charts` figures are drawn."""
    from tests.browser import wait_for_app

    menu = page.locator("[data-testid='stSidebarNav']").get_by_text(entry, exact=True)
    start = time.perf_counter()
    menu.click()
    page.wait_for_function(DRAWN, arg=charts, timeout=TIMEOUT_MS, polling="raf")
    seconds = time.perf_counter() - start
    wait_for_app(page, timeout_ms=TIMEOUT_MS)
    return seconds


def rest(page: Any) -> None:
    """Back to the Framework page, finished and with no chart left on screen."""
    from tests.browser import wait_for_app

    page.locator("[data-testid='stSidebarNav']").get_by_text(RESTING_PAGE, exact=True).click()
    page.wait_for_function(DRAWN, arg=0, timeout=TIMEOUT_MS)
    wait_for_app(page, timeout_ms=TIMEOUT_MS)


def one_server(env: dict[str, str], password: str) -> dict[str, dict[str, float]]:
    """Cold and warm seconds of each page on a newly started server."""
    from tests.browser import chromium, running_app, sign_in

    timings: dict[str, dict[str, float]] = {entry: {} for entry in PAGES}
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(f"{base_url}/framework")
        sign_in(page, "benchmark-board", password)
        for visit in ("cold", "warm"):
            for entry, charts in PAGES.items():
                timings[entry][visit] = open_page(page, entry, charts)
                rest(page)
    return timings


def run(portfolio: Portfolio, repeats: int, progress: Progress) -> list[Row]:
    missing = unavailable()
    if missing:
        return [Row(STAGE, f"{entry} in Chromium", None, SECONDS, LIMIT, skipped=missing) for entry in PAGES]
    from capacity.access import BOARD
    from tests.browser import create_account

    env = {"CAPACITY_DATA_DIR": str(portfolio.path.parent)}
    if portfolio.path.name != "capacity.db":
        raise ValueError("the browser stage needs the portfolio stored as capacity.db in its own directory")
    password = create_account(env, "benchmark-board", BOARD)
    runs = []
    for attempt in range(1, repeats + 1):
        progress(STAGE, f"repeat {attempt}/{repeats}: new server, {portfolio.organisations} organisations")
        runs.append(one_server(env, password))
    rows = []
    for entry in PAGES:
        for visit, note in (("cold", "first visit after the server started"), ("warm", "second visit")):
            samples = tuple(found[entry][visit] for found in runs)
            rows.append(
                Row(
                    STAGE,
                    f"{entry} in Chromium, {visit}",
                    median(samples),
                    SECONDS,
                    LIMIT,
                    samples,
                    note=note,
                )
            )
    return rows
