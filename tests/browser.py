"""Headless Chromium against the real app: Debian's /usr/bin/chromium driven by Playwright.

Never downloads a browser. Locally the browser tests skip when chromium is missing; under
CI=true they fail instead (.ci/run installs chromium).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.3)
    raise TimeoutError(f"the app did not answer on {base_url} within {timeout} s")


@contextlib.contextmanager
def running_app(
    env: dict[str, str],
    host: str = "127.0.0.1",
    port: int | None = None,
    args: Sequence[str] = (),
    base_path: str = "",
) -> Iterator[str]:
    """Serve app.py on a free loopback port (or `port`) with `env` added and extra Streamlit `args`.

    With `base_path` ("/capacity") the app is served below it (`server.baseUrlPath`), as behind
    a proxy that serves it at a sub-path; the URL given back includes it.
    """
    port = port or free_port()
    if base_path:
        args = [*args, "--server.baseUrlPath", base_path.strip("/")]
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *args,
    ]
    log = ARTIFACTS / f"server-{port}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log_file, stderr=subprocess.STDOUT
        )
        base_url = f"http://{host}:{port}{base_path}"
        try:
            wait_healthy(base_url, process)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A Playwright browser on Debian's Chromium."""
    executable = require_tool("chromium", "the browser tests drive Debian's Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )
    page.wait_for_timeout(300)


def error_texts(page) -> list[str]:
    """Texts of any exception or error box on the page."""
    boxes = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
    return [boxes.nth(i).inner_text() for i in range(boxes.count())]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def database_url(env: dict[str, str]) -> str:
    """The database the app started with `env` uses (CAPACITY_DATABASE_URL, else CAPACITY_DATA_DIR)."""
    return env.get("CAPACITY_DATABASE_URL") or f"sqlite:///{Path(env['CAPACITY_DATA_DIR']) / 'capacity.db'}"


def create_account(env: dict[str, str], username: str, role: str, organisations: Iterable[str] = ()) -> str:
    """Add a local account to the app's database (as the CLI's local admin); returns its random password."""
    from capacity.access import CLI_ADMIN
    from capacity.accounts import add_user
    from capacity.store import open_store

    store = open_store(database_url(env))
    try:
        return add_user(store, CLI_ADMIN, username, role, organisations).password
    finally:
        store.close()


def register_organisations(env: dict[str, str], *organisations: tuple[str, str]) -> None:
    """Add (ID, name) organisations to the register of the app's database, as the CLI's local admin."""
    from capacity.access import CLI_ADMIN
    from capacity.rounds.register import add_organisation
    from capacity.store import open_store

    store = open_store(database_url(env))
    try:
        for organisation_id, name in organisations:
            add_organisation(store, CLI_ADMIN, organisation_id, name)
    finally:
        store.close()


def sign_in(page, username: str, password: str) -> None:
    """Fill the app's sign-in form and wait until the page behind it has run."""
    page.get_by_label("User name").wait_for()
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    wait_for_app(page)
