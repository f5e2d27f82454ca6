"""`python -m capacity init`: everything a first start needs, so `make run` never ends in a dead end.

    python -m capacity init [--port 8501] [--no-demo] [--database URL]

Opens (creates or upgrades) the database, loads the committed demo into an empty one,
creates the first administrator with a random password when there is no account yet,
plus one demo account per role when the demo is there, prints those passwords once and
appends them to data/first-run-credentials.txt (readable only by its owner). Running it
again changes nothing and prints only where the app is.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Callable

from capacity.access import ROLE_LABELS
from capacity.cli import database_option, default_language
from capacity.i18n import translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    parser = subparsers.add_parser(
        "init",
        parents=[common, database_option()],
        help=t("prepare the database, the demo and the first accounts"),
    )
    parser.add_argument(
        "--port", type=int, default=8501, help=t("the port the app will listen on (for the message)")
    )
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help=t("do not load the demo organisations nor create demo accounts"),
    )
    parser.set_defaults(handler=run)


def _progress(lang: str) -> Callable[[int, int], None]:
    t = translator(lang)

    def report(done: int, total: int) -> None:
        if done == total or done % max(1, total // 4) == 0:
            print(
                t("Loading the demo: {done} of {total} questionnaires", done=done, total=total),
                file=sys.stderr,
                flush=True,
            )

    return report


def sso_configured() -> bool:
    """Whether .streamlit/secrets.toml configures single sign-on (an [auth] section)."""
    from capacity.store.db import project_root

    path = project_root() / ".streamlit" / "secrets.toml"
    try:
        return "auth" in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False


def run(args: argparse.Namespace) -> int:
    from capacity import accounts
    from capacity.demo import ingest_demo_if_empty, store_is_empty
    from capacity.store import open_store

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        loaded = [] if args.no_demo else ingest_demo_if_empty(store, progress=_progress(args.lang))
        if loaded:
            stored = sum(outcome.stored for outcome in loaded)
            print(t("Demo loaded: {stored} questionnaires of fictional organisations.", stored=stored))
        created = [admin] if (admin := accounts.ensure_first_admin(store)) else []
        if (loaded or created) and not args.no_demo and not store_is_empty(store):
            created += accounts.create_demo_accounts(store)
    finally:
        store.close()
    url = f"http://localhost:{args.port}"
    if created:
        path = accounts.write_credentials(created)
        print()
        print(t("Accounts created for this first start (each password is shown only this once):"))
        for credential in created:
            role = t(ROLE_LABELS[credential.role])
            organisations = (
                " " + t("for {organisations}", organisations=", ".join(credential.organisations))
                if credential.organisations
                else ""
            )
            print(f"  {credential.username:<16} {credential.password}   {role}{organisations}")
        print(
            t(
                "They are also in {path}, readable only by you. Delete that file once you have noted them.",
                path=path,
            )
        )
        print(
            t(
                "Change a password in the app (sidebar, after signing in) or give a new one with "
                "`python -m capacity user reset-password NAME`."
            )
        )
        print()
    elif accounts.credentials_path().exists():
        print(
            t(
                "Sign in with your account (the first-start passwords are in {path}).",
                path=accounts.credentials_path(),
            )
        )
    if sso_configured():
        print(
            t(
                "Single sign-on is configured: people sign in with their identity provider, and "
                "`python -m capacity sso add` gives their email addresses or domains a role."
            )
        )
    print(t("The app will be at {url}", url=url))
    return 0
