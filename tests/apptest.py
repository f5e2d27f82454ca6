"""Open one page of the app in Streamlit's AppTest, signed in, the way the pages' tests all do.

Every page sits behind sign-in. A test signs in the way the app itself does after a
successful sign-in: the account exists in the database the app uses and a fresh
server-side session's `SignedInSession` sits in the session state (`sign_in`). There is no environment
switch or other way past the sign-in form in the app.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from capacity import accounts, sessions
from capacity.access import BOARD, Actor
from capacity.store import open_store
from capacity.store.db import DATA_DIR_ENV, DATABASE_URL_ENV
from capacity.store.models import User
from ui.session import SESSION_KEY

APP = Path(__file__).resolve().parents[1] / "app.py"
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
TIMEOUT = 60


def shown(markdown: str) -> str:
    """What a reader sees of markdown that quotes plain text: escapes and invisible word joiners gone."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown).replace("\u2060", "")


def use_test_database() -> None:
    """Point the app at a throwaway data directory when the test chose no database.

    Without this, an AppTest that names no database would add its test account to the
    developer's data/capacity.db, and `make run` would then find accounts and never
    create the first administrator.
    """
    if not (os.environ.get(DATABASE_URL_ENV) or os.environ.get(DATA_DIR_ENV)):
        directory = tempfile.mkdtemp(prefix="capacity-apptest-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        os.environ[DATA_DIR_ENV] = directory


def ensure_account(actor: Actor) -> sessions.SignedInSession:
    """The actor's account in the app's database, with this role and these organisations (no password),
    and a fresh server-side session of it."""
    use_test_database()
    store = open_store()
    try:
        with store.write() as session:
            user = session.scalar(select(User).where(User.username == actor.username))
            if user is None:
                user = User(username=actor.username, password_hash=None, disabled=False)
                session.add(user)
            user.role, user.organisations = actor.role, sorted(actor.organisations)
            user.display_name, user.disabled = actor.display_name, False
        return sessions.start(store, actor, accounts.PASSWORD, "apptest").session
    finally:
        store.close()


def sign_in(at: AppTest, actor: Actor) -> AppTest:
    """Sign `actor` in for the AppTest `at` (before `at.run()`)."""
    at.session_state[SESSION_KEY] = ensure_account(actor)
    return at


def open_page(
    page: str,
    lang: str | None = None,
    query: dict[str, str] | None = None,
    role: str = BOARD,
    organisations: Iterable[str] = (),
    actor: Actor | None = None,
) -> AppTest:
    """Run the app signed in as a `role` test account (or `actor`), open `page`, check it raised nothing."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    sign_in(at, actor or Actor(f"{role}-test", role, frozenset(organisations)))
    if lang:
        at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_signed_out(page: str | None = None, lang: str | None = None) -> AppTest:
    """Run the app without signing in (optionally asking for `page`)."""
    use_test_database()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
