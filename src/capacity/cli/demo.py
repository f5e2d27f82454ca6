"""`python -m capacity demo`: write the seeded demo questionnaires, then store them.

    python -m capacity demo [--out assessments/demo] [--no-ingest] [--seed N] [--scale N]
                            [--organisations N] [--database URL]

Storing acts as the system account (`access.SYSTEM`); files already stored are reported
as such, so running the command twice changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from capacity.access import SYSTEM
from capacity.cli import database_option, default_language
from capacity.demo import DEFAULT_SEED, generate_demo, ingest_demo, organisation_count
from capacity.i18n import translator


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    parser = subparsers.add_parser(
        "demo", parents=[common, database_option()], help=t("write and store realistic demo questionnaires")
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("assessments/demo"),
        help=t("where to write the questionnaires (default: {path})", path="assessments/demo"),
    )
    parser.add_argument("--no-ingest", action="store_true", help=t("only write the files, do not store them"))
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=t("random seed (default: {seed})", seed=DEFAULT_SEED)
    )
    parser.add_argument(
        "--scale", type=int, default=1, help=t("multiply the number of organisations (28 each)")
    )
    parser.add_argument("--organisations", type=int, help=t("number of organisations (overrides --scale)"))
    parser.set_defaults(handler=run)


def _progress(label: str, lang: str) -> Callable[[int, int], None]:
    """A progress line: rewritten in place on a terminal, every tenth otherwise (logs stay short)."""
    t = translator(lang)
    interactive = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        line = t("{label}: {done} of {total}", label=label, done=done, total=total)
        if interactive:
            print("\r" + line, end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(line, file=sys.stderr, flush=True)

    return report


def run(args: argparse.Namespace) -> int:
    from capacity.store.ingest import DUPLICATE, REJECTED

    t = translator(args.lang)
    try:
        count = organisation_count(args.scale, args.organisations)
    except ValueError:
        print(t("The demo needs at least one organisation."), file=sys.stderr)
        return 2
    paths = generate_demo(
        args.out,
        seed=args.seed,
        organisations=count,
        progress=_progress(t("Writing questionnaires"), args.lang),
    )
    print(
        t(
            "{files} questionnaires of {organisations} organisations written to {path}",
            files=len(paths),
            organisations=count,
            path=args.out,
        )
    )
    if args.no_ingest:
        return 0

    from capacity.store import open_store

    store = open_store(args.database)
    try:
        outcomes = ingest_demo(
            store,
            paths,
            actor=SYSTEM,
            lang=args.lang,
            progress=_progress(t("Storing questionnaires"), args.lang),
        )
    finally:
        store.close()
    rejected = [o for o in outcomes if o.kind == REJECTED]
    duplicates = sum(o.kind == DUPLICATE for o in outcomes)
    print(
        t(
            "{stored} stored, {duplicates} already stored, {rejected} rejected.",
            stored=len(outcomes) - duplicates - len(rejected),
            duplicates=duplicates,
            rejected=len(rejected),
        )
    )
    for outcome in rejected:
        print(outcome.message(args.lang), file=sys.stderr)
    return 1 if rejected else 0
