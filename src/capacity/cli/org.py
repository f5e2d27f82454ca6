"""`python -m capacity org …`: keep the organisation register from the server's console.

    python -m capacity org add ID --name NAME [--type TYPE] [--country C] [--region R]
    python -m capacity org list [--json] [--active]
    python -m capacity org update ID [--name NAME] [--type TYPE] [--country C] [--region R]
    python -m capacity org archive ID [--restore]
    python -m capacity org create-on-upload {on,off}

Acts as the local administrator (`access.CLI_ADMIN`), so every change is audited under
that name. Exit codes: 0 done, 1 refused (e.g. an ID already there), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language, open_database, refused
from capacity.i18n import translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    org = subparsers.add_parser("org", parents=[common], help=t("keep the organisation register"))
    commands = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")

    def details(parser: argparse.ArgumentParser, name_required: bool) -> None:
        parser.add_argument("--name", required=name_required, help=t("the name shown everywhere"))
        parser.add_argument("--type", dest="kind", help=t("the organisation type (as in the questionnaire)"))
        parser.add_argument("--country")
        parser.add_argument("--region")

    add = commands.add_parser("add", parents=[common, database], help=t("add an organisation"))
    add.add_argument("organisation_id", metavar="ID")
    details(add, name_required=True)
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", parents=[common, database], help=t("list the register"))
    listing.add_argument("--json", action="store_true", help=t("print the register as JSON"))
    listing.add_argument("--active", action="store_true", help=t("leave archived organisations out"))
    listing.set_defaults(handler=run_list)

    update = commands.add_parser("update", parents=[common, database], help=t("change an organisation"))
    update.add_argument("organisation_id", metavar="ID")
    details(update, name_required=False)
    update.set_defaults(handler=run_update)

    archive = commands.add_parser(
        "archive", parents=[common, database], help=t("archive an organisation (its history stays)")
    )
    archive.add_argument("organisation_id", metavar="ID")
    archive.add_argument(
        "--restore", action="store_true", help=t("make an archived organisation active again")
    )
    archive.set_defaults(handler=run_archive)

    setting = commands.add_parser(
        "create-on-upload",
        parents=[common, database],
        help=t("let questionnaires for an unknown ID add it to the register (default: off)"),
    )
    setting.add_argument("value", choices=("on", "off"))
    setting.set_defaults(handler=run_setting)


def _describe(entry, lang: str) -> str:
    from capacity.labels import organisation_type_label

    t = translator(lang)
    state = t("archived") if entry.archived else t("active")
    kind = organisation_type_label(entry.type, lang) if entry.type else "—"
    managers = ", ".join(entry.managers) or "—"
    where = ", ".join(part for part in (entry.country, entry.region) if part) or "—"
    heading = t("managers")  # outside the f-string, so that Babel extracts it
    return f"{entry.id:<14} {entry.name}  ({kind}; {where}; {state}) {heading}: {managers}"


def run_add(args: argparse.Namespace) -> int:
    from capacity.rounds.register import add_organisation
    from capacity.store.errors import StoreError

    t = translator(args.lang)
    store = open_database(args)
    try:
        entry = add_organisation(
            store,
            CLI_ADMIN,
            args.organisation_id,
            args.name,
            args.kind,
            args.country or "",
            args.region or "",
        )
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(t("Organisation {organisation} added to the register.", organisation=entry.id))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from capacity.rounds.register import list_organisations

    store = open_database(args)
    try:
        entries = list_organisations(store, CLI_ADMIN, include_archived=not args.active)
    finally:
        store.close()
    if args.json:
        print(json.dumps([entry.as_dict() for entry in entries], ensure_ascii=False, indent=2))
        return 0
    for entry in entries:
        print(_describe(entry, args.lang))
    return 0


def run_update(args: argparse.Namespace) -> int:
    from capacity.rounds.register import update_organisation
    from capacity.store.errors import StoreError

    t = translator(args.lang)
    given = {"name": args.name, "type": args.kind, "country": args.country, "region": args.region}
    changes = {key: value for key, value in given.items() if value is not None}
    if not changes:
        print(t("Nothing to change: give --name, --type, --country or --region."), file=sys.stderr)
        return 2
    store = open_database(args)
    try:
        entry = update_organisation(store, CLI_ADMIN, args.organisation_id, **changes)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(_describe(entry, args.lang))
    return 0


def run_archive(args: argparse.Namespace) -> int:
    from capacity.rounds.register import set_archived
    from capacity.store.errors import StoreError

    t = translator(args.lang)
    store = open_database(args)
    try:
        entry = set_archived(store, CLI_ADMIN, args.organisation_id, archived=not args.restore)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    if entry.archived:
        print(t("Organisation {organisation} archived.", organisation=entry.id))
    else:
        print(t("Organisation {organisation} is active again.", organisation=entry.id))
    return 0


def run_setting(args: argparse.Namespace) -> int:
    from capacity.rounds.register import set_create_on_first_upload

    t = translator(args.lang)
    store = open_database(args)
    try:
        set_create_on_first_upload(store, CLI_ADMIN, args.value == "on")
    finally:
        store.close()
    if args.value == "on":
        print(t("Questionnaires for an unknown ID now add it to the register."))
    else:
        print(t("Questionnaires for an unknown ID are now refused."))
    return 0
