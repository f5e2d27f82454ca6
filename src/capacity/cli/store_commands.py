"""Storage commands: `ingest`, `history`, `backup`, `restore` and `init-db`.

They act as the local administrator (`access.CLI_ADMIN`) on the database named by
--database, else CAPACITY_DATABASE_URL, else the embedded SQLite file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from capacity.access import CLI_ADMIN
from capacity.cli import database_option, default_language
from capacity.i18n import format_number, translator

if TYPE_CHECKING:  # the store, pandas and the reader load only when a storage command runs
    import pandas as pd

    from capacity.questionnaire.reader import ReadResult

READ_CHUNK = 4  # files handed to a worker at a time: fewer round trips, still balanced


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    database = database_option()

    ingest = subparsers.add_parser(
        "ingest", parents=[common, database], help=t("validate and store questionnaires")
    )
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ingest.add_argument("--json", action="store_true", help=t("print the outcomes as JSON"))
    ingest.add_argument(
        "--workers",
        type=int,
        default=1,
        help=t("processes reading files in parallel (storing stays in order)"),
    )
    ingest.set_defaults(handler=run_ingest)

    history = subparsers.add_parser(
        "history", parents=[common, database], help=t("one organisation's history")
    )
    history.add_argument("--org", required=True, help=t("organisation ID"))
    history.add_argument("--json", action="store_true", help=t("print the history as JSON"))
    history.set_defaults(handler=run_history)

    backup = subparsers.add_parser("backup", parents=[common, database], help=t("write a portable dump"))
    backup.add_argument("--out", required=True, type=Path, help=t("the dump file to write (.zip)"))
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", parents=[common, database], help=t("load a dump"))
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--force", action="store_true", help=t("replace the data of a non-empty database"))
    restore.set_defaults(handler=run_restore)

    init_db = subparsers.add_parser(
        "init-db", parents=[common, database], help=t("create or upgrade the database")
    )
    init_db.set_defaults(handler=run_init_db)


def _read(path: Path) -> tuple[bytes | None, ReadResult | None, str]:
    """Read and validate one file (runs in a worker process when --workers > 1)."""
    from capacity.questionnaire.reader import read_questionnaire

    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, None, exc.strerror or str(exc)
    return data, read_questionnaire(data, path.name), ""


def _read_all(
    paths: list[Path], workers: int
) -> Iterator[tuple[Path, tuple[bytes | None, ReadResult | None, str]]]:
    """Files read in order; with several workers the reading runs in parallel, ahead of the storing."""
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, _read(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(paths, pool.map(_read, paths, chunksize=READ_CHUNK), strict=True)


def run_ingest(args: argparse.Namespace) -> int:
    """Read the files (in parallel with --workers) and store them in batches, in the order given.

    The files are stored `BATCH_SIZE` per transaction (`ingest_files`); a file that cannot
    be read ends the batch before it, so every message comes out in the order of the files.
    A batch the database refuses twice for concurrent writers (`BatchConflict`) is reported
    file by file as not stored, and the next batches are still stored.
    """
    from capacity.store import open_store
    from capacity.store.ingest import BATCH_SIZE, REJECTED, IngestOutcome, ReadFile, ingest_files
    from capacity.store.locking import BatchConflict

    t = translator(args.lang)
    if args.workers < 1:
        print(t("--workers must be at least 1."), file=sys.stderr)
        return 2
    store = open_store(args.database)
    problems = False
    outcomes = []

    def report(outcome: IngestOutcome) -> None:
        nonlocal problems
        problems |= outcome.kind == REJECTED
        if args.json:
            outcomes.append(outcome.as_dict(args.lang))
            return
        print(outcome.message(args.lang))
        for problem in (*outcome.errors, *outcome.warnings):
            print("  - " + problem.render(args.lang))

    def store_batch(batch: list[ReadFile]) -> None:
        nonlocal problems
        try:
            for outcome in ingest_files(store, batch, CLI_ADMIN, args.lang):
                report(outcome)
        except BatchConflict as conflict:  # none of the batch is stored; the next batch goes on
            problems = True
            message = conflict.message.render(args.lang)
            print(message, file=sys.stderr)
            outcomes.extend(
                {"file": name, "outcome": "not_stored", "message": message} for name in conflict.filenames
            )
        batch.clear()

    batch: list[ReadFile] = []
    try:
        for path, (data, read, failure) in _read_all(args.files, args.workers):
            if data is None or read is None:
                store_batch(batch)
                problems = True
                outcomes.append({"file": str(path), "outcome": "unreadable", "message": failure})
                if not args.json:
                    print(t("{path}: cannot be read: {reason}", path=path, reason=failure))
                continue
            batch.append((data, path.name, read))
            if len(batch) >= BATCH_SIZE:
                store_batch(batch)
        store_batch(batch)
    finally:
        store.close()
    if args.json:
        json.dump(outcomes, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    return 1 if problems else 0


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    """A plain-text table with translated headers."""
    return frame[list(columns)].rename(columns=columns).to_string(index=False, na_rep="–")


def run_history(args: argparse.Namespace) -> int:
    import pandas as pd

    from capacity.framework import DIMENSION_CODES
    from capacity.store import open_store, queries

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        scores = queries.organisation_history(store, CLI_ADMIN, args.org)
        files = queries.submissions(store, CLI_ADMIN, args.org)
    finally:
        store.close()
    if files.empty:
        print(
            t("No submissions are stored for organisation {organisation}.", organisation=args.org),
            file=sys.stderr,
        )
        return 1
    if args.json:
        payload = {
            "organisation_id": args.org,
            "assessments": scores.to_dict("records"),
            "submissions": files.to_dict("records"),
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    print(t("Assessments of {organisation}", organisation=args.org))
    shown = scores.copy()
    for column in [c for c in shown.columns if c.endswith("_score")]:
        shown[column] = shown[column].map(lambda v: format_number(None if pd.isna(v) else v, args.lang))
    dims = {f"{code}_score": code for code in DIMENSION_CODES}
    print(
        _table(
            shown,
            {
                "year": t("Year"),
                "respondents": t("Respondents"),
                "index_score": t("Index"),
                "index_status": t("Status"),
                **dims,
            },
        )
    )
    print()
    print(t("Files"))
    print(
        _table(
            files,
            {
                "submission_id": t("Submission"),
                "year": t("Year"),
                "filename": t("File"),
                "respondent_role": t("Role"),
                "uploaded_by": t("Uploaded by"),
                "uploaded_at": t("Uploaded at"),
                "status": t("Status"),
                "superseded_by": t("Superseded by"),
            },
        )
    )
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from capacity.store import open_store
    from capacity.store.backup import backup

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        summary = backup(store, CLI_ADMIN, args.out)
    finally:
        store.close()
    print(
        t(
            "Backup written to {path}: {submissions} submissions, {rows} rows in all.",
            path=summary.path,
            submissions=summary.rows.get("submissions", 0),
            rows=sum(summary.rows.values()),
        )
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from capacity.store import StoreError, open_store
    from capacity.store.backup import restore

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        summary = restore(store, CLI_ADMIN, args.file, force=args.force)
    except StoreError as refused:
        print(refused.message.render(args.lang), file=sys.stderr)
        return 1
    finally:
        store.close()
    print(
        t(
            "Restored {path}: {submissions} submissions, {rows} rows in all.",
            path=summary.path,
            submissions=summary.rows.get("submissions", 0),
            rows=sum(summary.rows.values()),
        )
    )
    return 0


def run_init_db(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from capacity.store import open_store
    from capacity.store.db import current_revision

    t = translator(args.lang)
    store = open_store(args.database)
    try:
        with store.engine.connect() as connection:
            revision = current_revision(connection)
    finally:
        store.close()
    print(
        t(
            "Database ready at {url} (schema {revision}).",
            url=make_url(store.url).render_as_string(hide_password=True),
            revision=revision,
        )
    )
    return 0
