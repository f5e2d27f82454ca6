"""A board member's browser, on pages showing an organisation whose every text carries markup (issue 15).

The organisation's name, country, region, evidence, respondent's name and a reviewer's
reason hold markdown images and links pointing at another host, raw HTML, autolinks and
Streamlit's own syntax (`tests/hostile_text.py`). Rendered by Streamlit and plotly in
Chromium, the pages must make no request to any host but the app's own, and show no
link or image made of that text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
from tests.dashboard_data import fill_small_portfolio
from tests.hostile_text import FRAGMENTS, HOSTILE_ID, MARKER, fill_hostile

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 1400
PAYLOAD = " ".join(FRAGMENTS)
# menu entry → (heading, plotly charts the page draws)
PAGES = {
    "Organisation profile": ("Organisation profile", 3),
    "Benchmark": ("Benchmark", 3),
    "Overview": ("Portfolio overview", 2),
    "Roadmap": ("Roadmap", 3),  # milestone shares, trend distribution and the trend grid
}
# Every link and image on the page whose address leaves the app, or that was made of the organisation's text.
FOREIGN_OR_INJECTED = """
(marker) => {
  const found = [];
  for (const el of document.querySelectorAll('a, img, image, iframe, video, audio, source, object, embed')) {
    const raw = el.getAttribute('href') || el.getAttribute('xlink:href') || el.getAttribute('src') || '';
    const text = (el.textContent || '') + ' ' + (el.getAttribute('alt') || '');
    let foreign = false;
    try {
      const url = new URL(raw, window.location.href);
      foreign = ['http:', 'https:'].includes(url.protocol) && url.host !== window.location.host;
    } catch (error) { foreign = true; }
    if (foreign || text.includes(marker) || /phish|click/.test(text)) {
      found.push(el.tagName + ' ' + raw + ' ' + text.trim().slice(0, 80));
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory) -> tuple[dict[str, str], str]:
    """The small portfolio and the hostile organisation, and a board member's password."""
    directory = tmp_path_factory.mktemp("hostile-browser")
    store = open_store(f"sqlite:///{directory / 'capacity.db'}")
    fill_small_portfolio(store)
    fill_hostile(store, PAYLOAD)
    store.close()
    env = {"CAPACITY_DATA_DIR": str(directory)}
    return env, create_account(env, "board-member", BOARD)


def wait_for_charts(page, charts: int) -> None:
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_function(
        "(count) => { const plots = [...document.querySelectorAll('.js-plotly-plot')];"
        " return plots.length === count && plots.every(p => p.querySelector('.main-svg')); }",
        arg=charts,
        timeout=60_000,
    )
    wait_for_app(page, timeout_ms=60_000)


def hover_every_chart(page) -> None:
    """Show hover texts too: plotly draws them only under the pointer."""
    for plot in page.locator(".js-plotly-plot .nsewdrag").all():
        box = plot.bounding_box()
        if box:
            for fraction in (0.2, 0.5, 0.8):
                page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * fraction)
                page.wait_for_timeout(150)


def outside(requests: list[str], app_host: str) -> list[str]:
    """The requests that went to another host than the app's."""
    web = [url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    return [url for url in web if urlsplit(url).netloc != app_host]


def test_a_board_member_sees_the_hostile_organisation_as_text_and_loads_nothing_from_elsewhere(
    hostile_app,
) -> None:
    env, password = hostile_app
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 1200})
        app_host = urlsplit(base_url).netloc
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{base_url}/profile?org={HOSTILE_ID}")
        sign_in(page, "board-member", password)
        for entry, (heading, charts) in PAGES.items():
            page.locator("[data-testid='stSidebarNav']").get_by_text(entry, exact=True).click()
            page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
            wait_for_charts(page, charts)
            hover_every_chart(page)
            assert error_texts(page) == [], (entry, error_texts(page))
            assert outside(requests, app_host) == [], entry
            assert page.evaluate(FOREIGN_OR_INJECTED, MARKER) == [], entry
            assert MARKER in page.locator("[data-testid='stMain']").inner_text(), entry
            screenshot(page, f"plain-text-{entry.split()[-1].lower()}")
