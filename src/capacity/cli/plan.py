"""`python -m capacity plan …`: an organisation's improvement plan from the console.

    python -m capacity plan list --org ID [--json]
    python -m capacity plan export --org ID --out FILE.xlsx

Acts as the local administrator (`access.CLI_ADMIN`); the export is on the audit trail.
Exit codes: 0 done, 1 unknown organisation.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language, refused
from capacity.i18n import format_date, format_number, tn, translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    plan = subparsers.add_parser(
        "plan", parents=[common], help=t("list or export an organisation's improvement plan")
    )
    commands = plan.add_subparsers(dest="plan_command", required=True, metavar="ACTION")

    listing = commands.add_parser(
        "list",
        parents=[common, database],
        help=t("list the plan's actions with their before and after levels"),
    )
    listing.add_argument("--org", required=True, metavar="ID", help=t("organisation ID"))
    listing.add_argument("--json", action="store_true", help=t("print the plan as JSON"))
    listing.set_defaults(handler=run_list)

    export = commands.add_parser(
        "export", parents=[common, database], help=t("write the plan to an Excel workbook")
    )
    export.add_argument("--org", required=True, metavar="ID", help=t("organisation ID"))
    export.add_argument(
        "--out", required=True, type=Path, metavar="FILE.xlsx", help=t("where to write the workbook")
    )
    export.set_defaults(handler=run_export)


def run_list(args: argparse.Namespace) -> int:
    from capacity.plans.report import organisation_plan, plan_records, readable_actions
    from capacity.store import StoreError, open_store

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        found = organisation_plan(store, CLI_ADMIN, args.org, args.lang)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    if args.json:
        print(json.dumps(plan_records(found), ensure_ascii=False, indent=2))
        return 0
    print(
        tn(
            "{n} action in the plan of {organisation}.",
            "{n} actions in the plan of {organisation}.",
            len(found.actions),
            args.lang,
            organisation=args.org,
        )
    )
    for row in readable_actions(found, args.lang).itertuples(index=False):
        print(f"#{row.action_id} {row.year} {row.code} · {row.title} · {row.status}")
        print(f"   {row.action}")
        print(
            "   "
            + t(
                "Owner {owner}, due {due}, aims for level {target}.",
                owner=row.owner,
                due=format_date(row.due_date, args.lang),
                target=row.target_level,
            )
        )
        if row.after is None:
            print(
                "   "
                + t("Level {before}; not measured again yet.", before=format_number(row.before, args.lang, 1))
            )
        else:
            print(
                "   "
                + t(
                    "Level {before} → {after} in {year} (aim reached: {reached}).",
                    before=format_number(row.before, args.lang, 1),
                    after=format_number(row.after, args.lang, 1),
                    year=row.after_year,
                    reached=row.reached,
                )
            )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from capacity.plans.report import plan_xlsx
    from capacity.store import StoreError, open_store

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        data = plan_xlsx(store, CLI_ADMIN, args.org, args.lang)
    except StoreError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(t("Plan of {organisation} written to {path}", organisation=args.org, path=args.out))
    return 0
