"""A manager adds two actions to their organisation's improvement plan on the profile, in a real browser.

The small portfolio's NS-04 is behind the roadmap in 2026, so the profile offers five
priorities to plan for. Screenshots (test-artifacts/plan-*.png) show the section in English
and Turkish.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from capacity.access import CLI_ADMIN, MANAGER
from capacity.plans import actions as plan
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

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 1400


def grow_to_full_height(page) -> None:
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": int(height) + 40})
    page.wait_for_timeout(800)


def choose(page, combobox, position: int, attempts: int = 4) -> None:
    """Open a selectbox and pick its option at `position` (a click during a rerun may not open it)."""
    for _ in range(attempts):
        combobox.click()
        try:
            page.get_by_role("option").nth(position).click(timeout=5_000)
            return
        except PlaywrightTimeout:  # try again once the page has settled
            page.keyboard.press("Escape")
            wait_for_app(page)
    raise AssertionError(f"the selectbox never offered option {position}")


def add_action(page, indicator_position: int, text: str, owner: str) -> None:
    form = page.locator("[data-testid='stForm']").filter(has_text="Add an action for a priority")
    choose(page, form.get_by_role("combobox").first, indicator_position)
    form.get_by_label("What will be done").fill(text)
    form.get_by_label("Owner").fill(owner)
    form.get_by_role("button", name="Add to the plan").click()
    page.get_by_text("· planned").nth(indicator_position).wait_for(timeout=30_000)
    wait_for_app(page)


def test_a_manager_adds_two_actions_on_the_profile(small_portfolio_dir, tmp_path) -> None:
    shutil.copy(small_portfolio_dir / "capacity.db", tmp_path / "capacity.db")
    env = {"CAPACITY_DATA_DIR": str(tmp_path)}
    password = create_account(env, "manny", MANAGER, ["NS-04"])
    with chromium() as browser, running_app(env) as base_url:
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
        page.goto(base_url)
        sign_in(page, "manny", password)
        page.locator("[data-testid='stSidebarNav']").get_by_text("Organisation profile", exact=True).click()
        page.get_by_role("heading", name="Improvement plan").wait_for(timeout=60_000)
        wait_for_app(page)
        page.get_by_text("No action has been planned yet.").wait_for()

        add_action(page, 0, "Adopt an HD strategy approved by the board", "Secretary general")
        add_action(page, 1, "<b>Train</b> two staff on negotiation", "HD lead")

        assert not error_texts(page)
        store = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
        try:
            actions = plan.plan_actions(store, CLI_ADMIN, "NS-04")
        finally:
            store.close()
        assert actions["action"].tolist() == [
            "Adopt an HD strategy approved by the board",
            "<b>Train</b> two staff on negotiation",
        ]
        assert set(actions["created_by"]) == {"manny"} and set(actions["year"]) == {2026}
        assert actions["code"].nunique() == 2
        assert page.get_by_text("· planned").count() == 2  # one follow-up expander per action
        page.get_by_role("heading", name="Improvement plan").scroll_into_view_if_needed()
        grow_to_full_height(page)
        screenshot(page, "plan-profile-en")

        page.set_viewport_size({"width": WIDTH, "height": 1000})
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
        page.get_by_role("option", name="Türkçe").click()
        page.get_by_role("heading", name="İyileştirme planı").wait_for(timeout=60_000)
        wait_for_app(page)
        assert not error_texts(page)
        grow_to_full_height(page)
        screenshot(page, "plan-profile-tr")
