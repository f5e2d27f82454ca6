"""Exports: `export` (one organisation's scorecard) and `export-dataset` (the whole dataset).

    python -m capacity export --org ID [--year Y] --format xlsx|pdf --out PATH
    python -m capacity export-dataset --format csv|xlsx --out PATH [--scores-only]

Both act as the local administrator (`access.CLI_ADMIN`) on the database named by
--database, else CAPACITY_DATABASE_URL, else the embedded SQLite file. A CSV dataset is
written as one ZIP when PATH ends in .zip, else as CSV files in the folder PATH.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language
from capacity.files import write_private
from capacity.i18n import translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()

    scorecard = subparsers.add_parser(
        "export", parents=[common, database], help=t("write one organisation's scorecard (Excel or PDF)")
    )
    scorecard.add_argument("--org", required=True, metavar="ID", help=t("organisation ID"))
    scorecard.add_argument("--year", type=int, help=t("assessment year (default: the latest)"))
    scorecard.add_argument(
        "--format", required=True, choices=("xlsx", "pdf"), dest="file_format", help=t("file format")
    )
    scorecard.add_argument("--out", required=True, type=Path, help=t("the file to write"))
    scorecard.set_defaults(handler=run_scorecard)

    dataset = subparsers.add_parser(
        "export-dataset", parents=[common, database], help=t("write the whole dataset (CSV or Excel)")
    )
    dataset.add_argument(
        "--format", required=True, choices=("csv", "xlsx"), dest="file_format", help=t("file format")
    )
    dataset.add_argument(
        "--out",
        required=True,
        type=Path,
        help=t("the file to write (CSV: a .zip file, or a folder for separate files)"),
    )
    dataset.add_argument(
        "--scores-only",
        action="store_true",
        help=t("only the consolidated scores, without the answers (what a board member downloads)"),
    )
    dataset.set_defaults(handler=run_dataset)


def run_scorecard(args: argparse.Namespace) -> int:
    from capacity.export import ExportError
    from capacity.export.batch import export_scorecard
    from capacity.store import open_store

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        scorecard, data = export_scorecard(store, CLI_ADMIN, args.org, args.file_format, args.year, args.lang)
    except ExportError as problem:
        print(problem.message.render(args.lang), file=sys.stderr)
        return 1
    finally:
        store.close()
    write_private(args.out, data)
    print(
        t(
            "Scorecard of {organisation} for {year} written to {path}",
            organisation=args.org,
            year=scorecard.year,
            path=args.out,
        )
    )
    return 0


def run_dataset(args: argparse.Namespace) -> int:
    from capacity.export.dataset import dataset_csv_files, dataset_csv_zip, dataset_xlsx
    from capacity.store import open_store

    t = translator(args.lang)
    responses = not args.scores_only
    store = open_store(args.database)
    try:
        if args.file_format == "xlsx":
            written = [write_private(args.out, dataset_xlsx(store, CLI_ADMIN, args.lang, responses))]
        elif args.out.suffix.lower() == ".zip":
            written = [write_private(args.out, dataset_csv_zip(store, CLI_ADMIN, args.lang, responses))]
        else:
            written = [
                write_private(args.out / name, data)
                for name, data in dataset_csv_files(store, CLI_ADMIN, args.lang, responses).items()
            ]
    finally:
        store.close()
    for path in written:
        print(t("Dataset written to {path}", path=path))
    return 0
