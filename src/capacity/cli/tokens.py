"""`python -m capacity token …`: personal API tokens, made by an administrator at the server's console.

    python -m capacity token create USERNAME [--expires DAYS] [--name TEXT]
    python -m capacity token list [--user USERNAME] [--json]
    python -m capacity token revoke ID

Acts as the local administrator (`access.CLI_ADMIN`), so every token made or revoked is
audited under that name. A new token is printed once; only its sha256 is kept.
"""

from __future__ import annotations

import argparse
import json

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language, open_database, print_columns, refused
from capacity.i18n import format_date, translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    token = subparsers.add_parser("token", parents=[common], help=t("manage personal API tokens"))
    commands = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")

    create = commands.add_parser(
        "create", parents=[common, database], help=t("make an API token for an account and print it once")
    )
    create.add_argument("username")
    create.add_argument("--expires", type=int, metavar="DAYS", help=t("days until the token expires"))
    create.add_argument("--name", default="", help=t("what the token is for, to tell it apart"))
    create.set_defaults(handler=run_create)

    listing = commands.add_parser("list", parents=[common, database], help=t("list the API tokens"))
    listing.add_argument("--user", metavar="USERNAME", help=t("only this account's tokens"))
    listing.add_argument("--json", action="store_true", help=t("print the tokens as JSON"))
    listing.set_defaults(handler=run_list)

    revoke = commands.add_parser("revoke", parents=[common, database], help=t("revoke an API token"))
    revoke.add_argument("token_id", type=int, metavar="ID")
    revoke.set_defaults(handler=run_revoke)


def run_create(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError
    from capacity.api_tokens import create_token

    t = translator(args.lang)
    store = open_database(args)
    try:
        made = create_token(store, CLI_ADMIN, args.username, args.name, args.expires)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(t("API token {id} for {username}:", id=made.info.id, username=made.info.username))
    print(made.secret)
    print(t("It is shown only this once; hand it over safely."))
    return 0


def _status(info, lang: str) -> str:
    t = translator(lang)
    if info.revoked_at is not None:
        return t("revoked")
    if not info.active():
        return t("expired")
    return t("active")


def run_list(args: argparse.Namespace) -> int:
    from capacity.api_tokens import list_tokens

    t = translator(args.lang)
    store = open_database(args)
    try:
        found = list_tokens(store, CLI_ADMIN, args.user or "*")
    finally:
        store.close()
    if args.json:
        fields = ("created_at", "expires_at", "revoked_at", "last_used_at")
        rows = [
            {
                "id": info.id,
                "username": info.username,
                "name": info.name,
                "prefix": info.prefix,
                "created_by": info.created_by,
                **{name: (value.isoformat() if (value := getattr(info, name)) else None) for name in fields},
                "active": info.active(),
            }
            for info in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(t("There are no API tokens."))
        return 0
    rows = [(t("ID"), t("User name"), t("Name"), t("Starts with"), t("Status"), t("Created"), t("Expires"))]
    rows += [
        (
            str(info.id),
            info.username,
            info.name or "–",
            info.prefix + "…",
            _status(info, args.lang),
            format_date(info.created_at.date(), args.lang),
            format_date(info.expires_at.date(), args.lang) if info.expires_at else "–",
        )
        for info in found
    ]
    print_columns(rows)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError
    from capacity.api_tokens import revoke_token

    t = translator(args.lang)
    store = open_database(args)
    try:
        info = revoke_token(store, CLI_ADMIN, args.token_id)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(t("API token {id} of {username} revoked.", id=info.id, username=info.username))
    return 0
