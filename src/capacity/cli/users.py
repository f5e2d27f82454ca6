"""`python -m capacity user …`: manage the app's local accounts from the server's console.

    python -m capacity user add NAME --role manager --org ORG-001 [--org ORG-002] [--display-name TEXT]
    python -m capacity user list [--json]
    python -m capacity user disable NAME | enable NAME
    python -m capacity user set-role NAME --role ROLE [--org ORG …]
    python -m capacity user reset-password NAME

Acts as the local administrator (`access.CLI_ADMIN`), so every change is audited under
that name. New and reset passwords are random and printed once; nothing else shows them.
"""

from __future__ import annotations

import argparse
import json

from capacity.access import CLI_ADMIN, ROLE_LABELS, ROLES
from capacity.cli import database_option, default_language, open_database, print_columns, refused
from capacity.i18n import format_date, translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    user = subparsers.add_parser("user", parents=[common], help=t("manage the app's accounts"))
    commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")

    def organisations(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--org",
            action="append",
            default=[],
            metavar="ORG",
            help=t("an organisation ID a manager is tied to (repeat for several)"),
        )

    add = commands.add_parser(
        "add", parents=[common, database], help=t("create an account with a random password")
    )
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--display-name", default="", help=t("the name shown in the app"))
    organisations(add)
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", parents=[common, database], help=t("list the accounts"))
    listing.add_argument("--json", action="store_true", help=t("print the accounts as JSON"))
    listing.set_defaults(handler=run_list)

    toggles = (("disable", True, "disable an account"), ("enable", False, "enable an account"))
    for name, disabled, text in toggles:
        toggle = commands.add_parser(name, parents=[common, database], help=text)
        toggle.add_argument("username")
        toggle.set_defaults(handler=run_disable, disabled=disabled)

    set_role = commands.add_parser("set-role", parents=[common, database], help=t("change an account's role"))
    set_role.add_argument("username")
    set_role.add_argument("--role", required=True, choices=ROLES)
    organisations(set_role)
    set_role.set_defaults(handler=run_set_role)

    reset = commands.add_parser(
        "reset-password", parents=[common, database], help=t("give an account a new random password")
    )
    reset.add_argument("username")
    reset.set_defaults(handler=run_reset)


def _print_password(credential, lang: str) -> None:
    t = translator(lang)
    print(
        t("Password for {username}: {password}", username=credential.username, password=credential.password)
    )
    print(t("It is shown only this once; hand it over safely."))


def run_add(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError, add_user

    t = translator(args.lang)
    store = open_database(args)
    try:
        credential = add_user(store, CLI_ADMIN, args.username, args.role, args.org, args.display_name)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(
        t(
            "Account {username} created with the role {role}.",
            username=credential.username,
            role=t(ROLE_LABELS[credential.role]),
        )
    )
    _print_password(credential, args.lang)
    return 0


def _status(account, lang: str) -> str:
    from capacity.store.models import utcnow

    t = translator(lang)
    if account.disabled:
        return t("disabled")
    if account.locked_until is not None and account.locked_until > utcnow():
        return t("locked")
    return t("active")


def run_list(args: argparse.Namespace) -> int:
    from capacity.accounts import list_users

    t = translator(args.lang)
    store = open_database(args)
    try:
        found = list_users(store, CLI_ADMIN)
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "username": a.username,
                        "display_name": a.display_name,
                        "role": a.role,
                        "organisations": list(a.organisations),
                        "disabled": a.disabled,
                        "locked_until": a.locked_until.isoformat() if a.locked_until else None,
                        "created_at": a.created_at.isoformat(),
                    }
                    for a in found
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not found:
        print(
            t("There are no accounts yet. Run `python -m capacity init` to create the first administrator.")
        )
        return 0
    rows = [(t("User name"), t("Role"), t("Status"), t("Organisations"), t("Created"))]
    rows += [
        (
            a.username,
            t(ROLE_LABELS.get(a.role, a.role)),
            _status(a, args.lang),
            ", ".join(a.organisations) or "–",
            format_date(a.created_at.date(), args.lang),
        )
        for a in found
    ]
    print_columns(rows)
    return 0


def run_disable(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError, normalise_username, set_disabled

    t = translator(args.lang)
    store = open_database(args)
    try:
        set_disabled(store, CLI_ADMIN, args.username, args.disabled)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    name = normalise_username(args.username)
    print(
        t("Account {username} disabled.", username=name)
        if args.disabled
        else t("Account {username} enabled.", username=name)
    )
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError, normalise_username, set_role

    t = translator(args.lang)
    store = open_database(args)
    try:
        set_role(store, CLI_ADMIN, args.username, args.role, args.org)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(
        t(
            "Account {username} now has the role {role}.",
            username=normalise_username(args.username),
            role=t(ROLE_LABELS[args.role]),
        )
    )
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError, reset_password

    store = open_database(args)
    try:
        credential = reset_password(store, CLI_ADMIN, args.username)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    _print_password(credential, args.lang)
    return 0
