"""Accessibility, measured: axe-core on every page, in every language, for every role; the keyboard alone
signs in, uploads, submits and exports; full-page screenshots of every page.

axe-core comes bundled with the `axe-playwright-python` package (nothing is fetched at run
time). A page fails on any *serious* or *critical* violation of the WCAG 2.2 AA rules
(axe tags below); minor and moderate findings are best practice, not conformance. One app
serves the demo (28 organisations, rounds, plans) for the whole module, and each role
signs in once: its browser context keeps the session cookie while the pages are opened
by address in each language.

The keyboard test presses only Tab, Enter and typed keys: the file chooser opens from
Enter on the uploader's focused button, as a browser opens it for a person.

The screenshots (test-artifacts/pages/{page}-{lang}.png, saved during the administrator's
pass, who sees every page) are for people: look at them after a change to a page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from capacity.access import ADMIN, BOARD, EVALUATOR, MANAGER, Actor
from capacity.accounts import DEMO_ACCOUNTS, FIRST_ADMIN
from capacity.i18n import LANGUAGES
from tests.browser import ARTIFACTS, chromium, error_texts, running_app, sign_in
from ui.navigation import PageSpec, present_specs, shown_to

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WCAG_22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
FAILING_IMPACTS = ("serious", "critical")
USERNAMES = {role: username for username, role in DEMO_ACCOUNTS} | {ADMIN: FIRST_ADMIN}
ROLES = (BOARD, MANAGER, EVALUATOR, ADMIN)
WIDTH, HEIGHT = 1400, 900
PAGE_SHOTS = ARTIFACTS / "pages"
SETTLED_TIMEOUT_MS = 60_000
FILE_CHOOSER_TIMEOUT_MS = 10_000
MAX_TABS = 80  # the focusable elements of the longest page the keyboard test crosses, with room
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SETTLED_SCRIPT = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')
    && [...document.querySelectorAll('.js-plotly-plot')].every((plot) => plot.querySelector('.main-svg'))
    && [...document.images].every((image) => image.complete);
}"""


@dataclass(frozen=True)
class Site:
    """The running demo app: its address, the browser, and each demo account's password."""

    base_url: str
    browser: object
    passwords: dict[str, str]
    managed: tuple[str, str]  # (ID, name) of the demo manager's first organisation


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """The demo as `python -m capacity init` leaves it, served once for the module."""
    from sqlalchemy import select

    from capacity import accounts
    from capacity.demo import ingest_demo_if_empty
    from capacity.store import open_store
    from capacity.store.models import Organisation

    directory = tmp_path_factory.mktemp("a11y")
    store = open_store(f"sqlite:///{directory / 'capacity.db'}")
    try:
        ingest_demo_if_empty(store)
        admin = accounts.ensure_first_admin(store)
        credentials = [admin, *accounts.create_demo_accounts(store)]
        managed = next(c.organisations[0] for c in credentials if c.username == USERNAMES[MANAGER])
        with store.read() as session:
            managed_name = session.scalar(select(Organisation.name).where(Organisation.id == managed))
    finally:
        store.close()
    passwords = {credential.username: credential.password for credential in credentials}
    with chromium() as browser, running_app({"CAPACITY_DATA_DIR": str(directory)}) as base_url:
        yield Site(base_url, browser, passwords, (managed, managed_name))


def pages_of(role: str) -> list[PageSpec]:
    """The pages in `role`'s menu (the same rule the app's navigation uses)."""
    actor = Actor(username=USERNAMES[role], role=role)
    return [spec for spec in present_specs() if shown_to(actor, spec)]


def settle(page) -> None:
    """Wait until the page's script has run to its end (twice in a row) and every chart and image is drawn.

    Streamlit marks its root with the run's state; a page may rerun itself (a filter put
    into the address), so the state must stay "not running" across a short pause. Elements
    still arriving show as skeletons even when the run is over (the profile's charts).
    """
    for _ in range(2):
        page.wait_for_function(SETTLED_SCRIPT, timeout=SETTLED_TIMEOUT_MS)
        page.wait_for_timeout(300)
    page.wait_for_function(SETTLED_SCRIPT, timeout=SETTLED_TIMEOUT_MS)


def open_page(page, base_url: str, spec: PageSpec | None, lang: str) -> None:
    """Open a page by its address in `lang` (None: the start page) and wait until it has settled."""
    path = "" if spec is None or spec.default else spec.url_path
    page.goto(f"{base_url}/{path}?lang={lang}")
    settle(page)


def signed_in_page(site: Site, role: str):
    """A new browser context signed in as the demo account of `role` (the cookie serves every page)."""
    context = site.browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.goto(site.base_url)
    username = USERNAMES[role]
    sign_in(page, username, site.passwords[username])
    return context, page


def violations(page) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations on the page, one readable line per rule."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": list(WCAG_22_AA)}, "resultTypes": ["violations"]}
    )
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        node = violation["nodes"][0]
        checks = node.get("any") or node.get("all") or node.get("none") or [{"message": ""}]
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} elements): "
            f"{checks[0]['message']} — first at {node['target']}: {node['html'][:160]}"
        )
    return found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_sign_in_page_meets_wcag_22_aa(site: Site, lang: str) -> None:
    context = site.browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(f"{site.base_url}/?lang={lang}")
        page.locator("input[type='password']").wait_for(timeout=SETTLED_TIMEOUT_MS)
        settle(page)
        assert violations(page) == []
    finally:
        context.close()


def grow_to_full_height(page) -> None:
    """Make the viewport as tall as Streamlit's scrolling main area, so a screenshot holds all of it."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": int(height) + 40})
    page.wait_for_timeout(800)
    settle(page)


def save_screenshot(page, spec: PageSpec, lang: str) -> Path:
    """The whole page as test-artifacts/pages/{page}-{lang}.png, for people to look at."""
    PAGE_SHOTS.mkdir(parents=True, exist_ok=True)
    grow_to_full_height(page)
    path = PAGE_SHOTS / f"{spec.url_path}-{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("role", ROLES)
def test_every_page_meets_wcag_22_aa_in_every_language(site: Site, role: str) -> None:
    """axe on each page of the role's menu in each language; the administrator, who sees every
    page, also saves each one whole (one page load serves both, which halves the time)."""
    context, page = signed_in_page(site, role)
    found: dict[str, list[str]] = {}
    saved: list[Path] = []
    try:
        for lang in LANGUAGES:
            for spec in pages_of(role):
                page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
                open_page(page, site.base_url, spec, lang)
                assert error_texts(page) == [], (spec.url_path, lang, error_texts(page))
                if problems := violations(page):
                    found[f"{spec.url_path} ({lang})"] = problems
                if role == ADMIN:
                    saved.append(save_screenshot(page, spec, lang))
    finally:
        context.close()
    assert found == {}
    if role == ADMIN:
        assert len(saved) == len(LANGUAGES) * len(present_specs())
        assert all(path.stat().st_size > 10_000 for path in saved)  # a drawn page, not a blank one


def tab_to(page, target, limit: int = MAX_TABS) -> None:
    """Press Tab until `target` (a locator) has the keyboard focus; fail if it never gets it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus in {limit} presses of Tab")


def choose_with_enter(page, button, attempts: int = 3):
    """Tab to the uploader's button and press Enter; the file chooser the browser opens.

    A late rerun (the session cookie's hand-over right after signing in) can redraw the
    uploader between the Tab and the Enter, which takes the focus away; the person would
    press Tab again, and so does this, a few times at most.
    """
    for _ in range(attempts):
        tab_to(page, button)
        try:
            with page.expect_file_chooser(timeout=FILE_CHOOSER_TIMEOUT_MS) as chooser:
                page.keyboard.press("Enter")
        except PlaywrightTimeoutError:
            settle(page)
            continue
        return chooser.value
    raise AssertionError(f"Enter on the focused upload button opened no file chooser in {attempts} tries")


def test_sign_in_upload_submit_and_export_with_the_keyboard_alone(site: Site) -> None:
    from tests.upload_files import filled

    organisation_id, name = site.managed
    year = dt.datetime.now(dt.UTC).year  # the demo's open round (a manager may not store a closed one's)
    _, questionnaire = filled(organisation_id=organisation_id, organisation_name=name, year=year)
    username = USERNAMES[MANAGER]
    context = site.browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(f"{site.base_url}/upload")
        settle(page)
        tab_to(page, page.get_by_label("User name"))
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(site.passwords[username])
        page.keyboard.press("Enter")  # submits the sign-in form
        page.get_by_text("Signed in as").wait_for(timeout=SETTLED_TIMEOUT_MS)
        settle(page)

        uploader = page.locator("[data-testid='stFileUploader']").get_by_role(
            "button", name="Choose files", exact=True  # the page's word, not Streamlit's "Upload"
        )
        choose_with_enter(page, uploader).set_files(
            [{"name": "keyboard.xlsx", "mimeType": XLSX, "buffer": questionnaire}]
        )
        page.get_by_text("1 of 1 file accepted.").wait_for(timeout=SETTLED_TIMEOUT_MS)
        settle(page)
        tab_to(page, page.get_by_role("button", name="Submit the accepted file"))
        page.keyboard.press("Enter")
        page.get_by_text("Submitted. This is exactly what happened:").wait_for(timeout=SETTLED_TIMEOUT_MS)
        stored = rf"keyboard\.xlsx: stored as submission \d+ for {organisation_id}, {year}\."
        assert re.search(stored, page.locator("[data-testid='stMain']").inner_text())
        settle(page)

        tab_to(page, page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Scorecards"))
        page.keyboard.press("Enter")
        page.wait_for_url("**/scorecards**")
        settle(page)
        tab_to(page, page.locator(".st-key-scorecards_pdf").get_by_role("button"))
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
        assert download.value.suggested_filename.endswith(".pdf")
        assert error_texts(page) == []
    finally:
        context.close()
