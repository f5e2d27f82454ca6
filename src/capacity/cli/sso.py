"""`python -m capacity sso …`: the rules that give single sign-on identities a role.

    python -m capacity sso add ana@ngo.org --role evaluator
    python -m capacity sso add '*@ngo.org' --role manager --org ORG-001
    python -m capacity sso list [--json]
    python -m capacity sso remove PATTERN

With single sign-on configured the app shows no password form, so the first rules are
written here (or on the Administration page by an admin who signs in through a rule).
Acts as the local administrator (`access.CLI_ADMIN`); every change is audited.
"""

from __future__ import annotations

import argparse
import json

from capacity.access import CLI_ADMIN, ROLE_LABELS, ROLES
from capacity.cli import database_option, default_language, open_database, refused
from capacity.i18n import translator
from capacity.sso import DENY


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    sso = subparsers.add_parser("sso", parents=[common], help=t("map single sign-on emails to roles"))
    commands = sso.add_subparsers(dest="sso_command", required=True, metavar="ACTION")

    add = commands.add_parser("add", parents=[common, database], help=t("add or change a rule"))
    add.add_argument("pattern", help=t("an email address, or a domain such as '*@ngo.org'"))
    add.add_argument(
        "--role",
        required=True,
        choices=(*ROLES, DENY),
        help=t("the role it signs in with, or 'deny' for an address or domain that may not sign in"),
    )
    add.add_argument(
        "--org",
        action="append",
        default=[],
        metavar="ORG",
        help=t("an organisation ID for a manager rule (repeat for several)"),
    )
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", parents=[common, database], help=t("list the rules"))
    listing.add_argument("--json", action="store_true", help=t("print the rules as JSON"))
    listing.set_defaults(handler=run_list)

    remove = commands.add_parser("remove", parents=[common, database], help=t("remove a rule"))
    remove.add_argument("pattern")
    remove.set_defaults(handler=run_remove)


def run_add(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError
    from capacity.sso import save_rule

    t = translator(args.lang)
    store = open_database(args)
    try:
        rule = save_rule(store, CLI_ADMIN, args.pattern, args.role, args.org)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    if rule.role == DENY:
        print(t("{pattern} may not sign in.", pattern=rule.pattern))
    else:
        print(
            t(
                "{pattern} signs in with the role {role}.",
                pattern=rule.pattern,
                role=t(ROLE_LABELS[rule.role]),
            )
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from capacity.sso import list_rules

    t = translator(args.lang)
    store = open_database(args)
    try:
        rules = list_rules(store, CLI_ADMIN)
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "pattern": r.pattern,
                        "role": r.role,
                        "organisations": list(r.organisations),
                        "created_by": r.created_by,
                    }
                    for r in rules
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not rules:
        print(
            t("There are no single sign-on rules yet, so nobody can sign in through the identity provider.")
        )
    for rule in rules:
        organisations = ", ".join(rule.organisations)
        suffix = f"\t{organisations}" if organisations else ""
        role = t("denied") if rule.role == DENY else t(ROLE_LABELS[rule.role])
        print(f"{rule.pattern}\t{role}{suffix}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from capacity.accounts import AccountError
    from capacity.sso import delete_rule

    t = translator(args.lang)
    store = open_database(args)
    try:
        delete_rule(store, CLI_ADMIN, args.pattern)
    except AccountError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(t("Rule for {pattern} removed.", pattern=args.pattern))
    return 0
