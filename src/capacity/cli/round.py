"""`python -m capacity round …`: open, follow and close assessment rounds from the console.

    python -m capacity round open --year Y --deadline YYYY-MM-DD [--org ID …]
    python -m capacity round list [--json]
    python -m capacity round status --year Y [--json]
    python -m capacity round close --year Y

Acts as the local administrator (`access.CLI_ADMIN`), so every change is audited under
that name. `status --json` prints one record per expected organisation:
organisation_id, state, respondents, last_upload, reviewed_indicators, verified_at.
Exit codes: 0 done, 1 refused (e.g. a round already open for the year), 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language, open_database, refused
from capacity.i18n import format_date, tn, translator


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    round_ = subparsers.add_parser(
        "round", parents=[common], help=t("open, follow and close assessment rounds")
    )
    commands = round_.add_subparsers(dest="round_command", required=True, metavar="ACTION")

    opening = commands.add_parser("open", parents=[common, database], help=t("open the round of a year"))
    opening.add_argument("--year", type=int, required=True)
    opening.add_argument("--deadline", type=_date, required=True, metavar="YYYY-MM-DD")
    opening.add_argument(
        "--org",
        action="append",
        default=[],
        metavar="ID",
        help=t("an organisation the round expects (repeat; default: every active one)"),
    )
    opening.set_defaults(handler=run_open)

    listing = commands.add_parser("list", parents=[common, database], help=t("list the rounds"))
    listing.add_argument("--json", action="store_true", help=t("print the rounds as JSON"))
    listing.set_defaults(handler=run_list)

    status = commands.add_parser(
        "status", parents=[common, database], help=t("where each expected organisation stands")
    )
    status.add_argument("--year", type=int, required=True)
    status.add_argument("--json", action="store_true", help=t("print the states as JSON"))
    status.set_defaults(handler=run_status)

    closing = commands.add_parser(
        "close", parents=[common, database], help=t("close (freeze) the round of a year")
    )
    closing.add_argument("--year", type=int, required=True)
    closing.set_defaults(handler=run_close)


def run_open(args: argparse.Namespace) -> int:
    from capacity.rounds.rounds import open_round
    from capacity.store.errors import StoreError

    store = open_database(args)
    try:
        info = open_round(store, CLI_ADMIN, args.year, args.deadline, args.org or None)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(
        tn(
            "Round {year} opened: {n} organisation expected by {deadline}.",
            "Round {year} opened: {n} organisations expected by {deadline}.",
            len(info.expected),
            args.lang,
            year=info.year,
            deadline=format_date(info.deadline, args.lang),
        )
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from capacity.rounds.rounds import list_rounds

    t = translator(args.lang)
    store = open_database(args)
    try:
        found = list_rounds(store, CLI_ADMIN)
    finally:
        store.close()
    if args.json:
        print(json.dumps([info.as_dict() for info in found], ensure_ascii=False, indent=2))
        return 0
    for info in found:
        state = t("open") if info.is_open else t("closed")
        deadline = format_date(info.deadline, args.lang)
        print(
            tn(
                "{year}: {state}, deadline {deadline}, {n} organisation expected",
                "{year}: {state}, deadline {deadline}, {n} organisations expected",
                len(info.expected),
                args.lang,
                year=info.year,
                state=state,
                deadline=deadline,
            )
        )
    return 0


def run_status(args: argparse.Namespace) -> int:
    from capacity.rounds.rounds import round_status
    from capacity.rounds.states import STATE_LABELS
    from capacity.store.errors import StoreError

    t = translator(args.lang)
    store = open_database(args)
    try:
        statuses = round_status(store, CLI_ADMIN, args.year)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    if args.json:
        print(json.dumps([status.as_dict() for status in statuses], ensure_ascii=False, indent=2))
        return 0
    for status in statuses:
        print(
            f"{status.organisation_id:<14} {t(STATE_LABELS[status.state]):<16} "
            + tn("{n} respondent", "{n} respondents", status.respondents, args.lang)
            + f"  {status.name}"
        )
    return 0


def run_close(args: argparse.Namespace) -> int:
    from capacity.rounds.rounds import close_round
    from capacity.store.errors import StoreError

    t = translator(args.lang)
    store = open_database(args)
    try:
        info = close_round(store, CLI_ADMIN, args.year)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    print(t("Round {year} closed: later uploads for it need an administrator.", year=info.year))
    return 0
