"""`python -m capacity versions …`: add and activate framework and roadmap versions from the console.

    python -m capacity versions list [--json]
    python -m capacity versions add FILE [--kind framework|roadmap]
    python -m capacity versions activate {framework|roadmap} VERSION

Acts as the local administrator (`access.CLI_ADMIN`), so every change is audited under
that name. Activating recomputes every stored assessment (see `capacity.versions`).
Exit codes: 0 done, 1 the file or version was refused, 2 a usage error (unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language, open_database, print_columns, refused
from capacity.i18n import format_date, tn, translator

KINDS = ("framework", "roadmap")  # capacity.versions.KINDS, spelt out to keep `--help` import-light


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()
    versions = subparsers.add_parser(
        "versions", parents=[common], help=t("add and activate framework and roadmap versions")
    )
    commands = versions.add_subparsers(dest="versions_command", required=True, metavar="ACTION")

    listing = commands.add_parser(
        "list", parents=[common, database], help=t("list the framework and roadmap versions")
    )
    listing.add_argument("--json", action="store_true", help=t("print the versions as JSON"))
    listing.set_defaults(handler=run_list)

    add = commands.add_parser(
        "add", parents=[common, database], help=t("add a framework or roadmap version from a YAML file")
    )
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--kind", choices=KINDS, help=t("what the file is (default: told from the file)"))
    add.set_defaults(handler=run_add)

    activate = commands.add_parser(
        "activate",
        parents=[common, database],
        help=t("use a version from now on and recompute every stored result"),
    )
    activate.add_argument("kind", choices=KINDS)
    activate.add_argument("version")
    activate.set_defaults(handler=run_activate)


def run_list(args: argparse.Namespace) -> int:
    from capacity.versions import ADDED, KIND_LABELS, available_versions

    t = translator(args.lang)
    store = open_database(args)
    try:
        frame = available_versions(store, CLI_ADMIN)
    finally:
        store.close()
    if args.json:
        records = [
            {**row, "added_at": row["added_at"].isoformat() if row["added_at"] is not None else None}
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    rows = [(t("Kind"), t("ID"), t("Version"), t("Source"), t("Added by"), t("Added"), t("Active"))]
    rows += [
        (
            t(KIND_LABELS[row.kind]),
            row.id,
            row.version,
            t("added") if row.source == ADDED else t("bundled"),
            row.added_by if row.source == ADDED else "–",
            format_date(row.added_at.date(), args.lang) if row.source == ADDED else "–",
            t("active") if row.active else "",
        )
        for row in frame.itertuples(index=False)
    ]
    print_columns(rows)
    return 0


def run_add(args: argparse.Namespace) -> int:
    from capacity.versions import FRAMEWORK, VersionError, add_version

    t = translator(args.lang)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(t("Cannot read {path}: {reason}", path=args.file, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    store = open_database(args)
    try:
        added = add_version(store, CLI_ADMIN, args.kind, data)
    except VersionError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    framework = added.kind == FRAMEWORK
    if not added.added:
        print(
            t("Framework version {version} is already there; nothing changed.", version=added.version)
            if framework
            else t("Roadmap version {version} is already there; nothing changed.", version=added.version)
        )
        return 0
    print(
        t("Framework version {version} ({id}) added.", version=added.version, id=added.id)
        if framework
        else t("Roadmap version {version} ({id}) added.", version=added.version, id=added.id)
    )
    print(
        t(
            "Activate it with: python -m capacity versions activate {kind} {version}",
            kind=added.kind,
            version=added.version,
        )
    )
    return 0


def run_activate(args: argparse.Namespace) -> int:
    from capacity.versions import FRAMEWORK, VersionError, activate_version

    t = translator(args.lang)
    store = open_database(args)
    try:
        done = activate_version(store, CLI_ADMIN, args.kind, args.version)
    except VersionError as error:
        return refused(error, args.lang)
    finally:
        store.close()
    names = {"version": done.version, "previous": done.previous}
    print(
        t("Framework version {version} is now active (before: {previous}).", **names)
        if done.kind == FRAMEWORK
        else t("Roadmap version {version} is now active (before: {previous}).", **names)
    )
    print(tn("{n} assessment recomputed.", "{n} assessments recomputed.", done.recomputed, args.lang))
    return 0
