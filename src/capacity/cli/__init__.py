"""`python -m capacity …`: a thin command line over the library, the same functions the pages call.

Each command lives in its own module in this package and exposes
`register(subparsers, common)`; modules are discovered automatically, so adding a command
never touches a shared file. Exit codes: 0 success, 1 the work found a problem (e.g. an
invalid file), 2 a usage error, 3 the database could not be used (unreachable, full,
locked): one plain line says why, and `CAPACITY_DEBUG=1` shows the whole traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from capacity.i18n import LANGUAGES, normalise_language, translator

DATABASE_FAILED = 3  # exit code when the database could not be used
DEBUG_ENV = "CAPACITY_DEBUG"


def default_language() -> str:
    """CAPACITY_LANG, else the system locale (LANG), else English."""
    return normalise_language(os.environ.get("CAPACITY_LANG") or os.environ.get("LANG"))


def database_option() -> argparse.ArgumentParser:
    """The `--database URL` option every storage command shares, as a parent parser."""
    t = translator(default_language())
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--database",
        metavar="URL",
        help=t("database URL (default: CAPACITY_DATABASE_URL, else data/capacity.db)"),
    )
    return parent


def open_database(args: argparse.Namespace):
    """The store named by `--database`, opened only when a command runs (so `--help` needs no database)."""
    from capacity.store import open_store

    return open_store(args.database)


def refused(error, lang: str) -> int:
    """Say on stderr why the library refused (its translated message) and give exit code 1."""
    print(error.message.render(lang), file=sys.stderr)
    return 1


def print_columns(rows: Sequence[Sequence[str]]) -> None:
    """Print `rows` (the first: the headings) as left-aligned columns two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def build_parser() -> argparse.ArgumentParser:
    t = translator(default_language())
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=sorted(LANGUAGES), default=default_language(), help=t("language of the output")
    )
    parser = argparse.ArgumentParser(
        prog="python -m capacity", description=t("Humanitarian Diplomacy Capacity Dashboard: command line.")
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        t = translator(args.lang)
        print(t("Interrupted."), file=sys.stderr)
        return 130
    except SQLAlchemyError as failure:
        if os.environ.get(DEBUG_ENV, "").strip().lower() in {"1", "true", "yes"}:
            raise
        t = translator(args.lang)
        print(t("The database could not be used: {reason}", reason=database_reason(failure)), file=sys.stderr)
        advice = t("Check --database or CAPACITY_DATABASE_URL; {name}=1 shows the details.", name=DEBUG_ENV)
        print(advice, file=sys.stderr)
        return DATABASE_FAILED


def database_reason(failure: SQLAlchemyError) -> str:
    """The driver's own first line ("connection refused", "database is locked"), without SQL or traceback."""
    reason = str(getattr(failure, "orig", None) or failure).strip()
    return reason.splitlines()[0] if reason else type(failure).__name__
