"""Shared test helpers.

Optional-looking tests (LibreOffice, Chromium, PostgreSQL) skip locally with a clear
reason when the tool is missing, but fail under CI=true, where .ci/run installs them.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
# The storage backends a test may run on; PostgreSQL cases need a server (tests/store_support.py).
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def require_tool(name: str, why: str = "") -> str:
    """The path of an external program; skip locally, fail in CI when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"'{name}' is not installed{': ' + why if why else ''}"
    if IN_CI:
        pytest.fail(f"{reason} (it is mandatory in CI; .ci/run installs it)")
    pytest.skip(reason)
    raise AssertionError("unreachable")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """An empty store on each backend, closed afterwards; a test file may override it with its own."""
    from capacity.store import open_store
    from tests.store_support import fresh_database

    with fresh_database(request.param, tmp_path) as url:
        opened = open_store(url)
        try:
            yield opened
        finally:
            opened.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """An empty SQLite store, closed afterwards: for tests that need no second backend."""
    from capacity.store import open_store

    opened = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def small_portfolio_dir(tmp_path_factory):
    """A data directory holding the small hand-made portfolio (tests/dashboard_data.py), built once."""
    from capacity.store import open_store
    from tests.dashboard_data import fill_small_portfolio

    directory = tmp_path_factory.mktemp("small-portfolio")
    store = open_store(f"sqlite:///{directory / 'capacity.db'}")
    fill_small_portfolio(store)
    store.close()
    return directory


@pytest.fixture
def small_portfolio(small_portfolio_dir, monkeypatch):
    """The app (AppTest) reads the small portfolio: its data directory, no database URL."""
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(small_portfolio_dir))


@pytest.fixture(scope="session", autouse=True)
def _files_may_add_organisations():
    """Tests written before the register store files for organisations nobody registered.

    They run as if an administrator had allowed "create on first upload" (session-wide, so
    module-scoped fixtures that store files see it too); tests marked `register_default`
    keep the real default, off (`_register_default`). The app started by browser tests runs
    in another process, with the real default.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("capacity.rounds.register.DEFAULT_CREATE_ON_FIRST_UPLOAD", True)
        yield


@pytest.fixture(autouse=True)
def _register_default(request, monkeypatch):
    """The real default for tests marked `register_default` (use function-scoped fixtures there)."""
    if request.node.get_closest_marker("register_default") is not None:
        monkeypatch.setattr("capacity.rounds.register.DEFAULT_CREATE_ON_FIRST_UPLOAD", False)
