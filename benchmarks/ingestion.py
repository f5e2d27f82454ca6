"""Stage 1: ingesting questionnaires, against reading the same files and doing nothing else.

Three ways over the same files, in turn within each repeat so they share the machine's
conditions, and their ratio taken per repeat:

- the floor: python-calamine reading the sheets the reader needs, nothing else;
- the usual tool: `pandas.read_excel(engine="openpyxl")` reading the same sheets;
- the library as the command line and the demo loader use it: `read_questionnaire` on
  each file's bytes (container guard, reader, validation), then `ingest_files` (scoring,
  storing, `BATCH_SIZE` files per SQLite transaction, each assessment re-scored once per
  batch) into a fresh database. The targets' ratios are taken on this path.

For comparison, each repeat also stores the same read files one transaction per file
(`ingest_read_result`, as the CLI and the upload page did before the batch path).
Then the command line, `python -m capacity ingest FILE... --workers N`, as a subprocess
on a fresh database: its time includes starting Python and creating the schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from benchmarks.measure import PER_SECOND, SECONDS, TIMES, Progress, Row, median, timed
from capacity.access import CLI_ADMIN
from capacity.i18n import variants
from capacity.questionnaire import layout
from capacity.questionnaire.reader import read_questionnaire
from capacity.rounds.register import register_from_files
from capacity.store import open_store
from capacity.store.ingest import BATCH_SIZE, STORED_NEW, ingest_files, ingest_read_result

STAGE = "ingestion"
FLOOR_FACTOR = 5.0  # ingestion may take at most 5 × the calamine floor
PANDAS_FACTOR = 0.33  # and at most a third of pandas + openpyxl


def reader_sheets(path: Path) -> list[str]:
    """The sheets the questionnaire reader loads (Organisation, Responses, _meta in any language)."""
    wanted = variants(layout.SHEET_ORGANISATION) | variants(layout.SHEET_RESPONSES) | {layout.SHEET_META}
    return [name for name in CalamineWorkbook.from_path(str(path)).sheet_names if name in wanted]


def read_with_calamine(files: Sequence[tuple[Path, list[str]]]) -> None:
    for path, sheets in files:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in sheets:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_with_pandas(files: Sequence[tuple[Path, list[str]]]) -> None:
    for path, sheets in files:
        pd.read_excel(path, sheet_name=sheets, engine="openpyxl", header=None)


@dataclass(frozen=True)
class Ingested:
    """Seconds of one library ingestion run, in all and split into reading and storing."""

    total: float
    reading: float  # container guard, python-calamine, validation (`read_questionnaire`)
    storing: float  # answers, scoring, result rows, audit (`ingest_files` or `ingest_read_result`)


def ingest_in_process(paths: Sequence[Path], database: Path, batched: bool) -> Ingested:
    """Validate, score and store every file into a new database (schema made beforehand).

    All files are read first, then stored: the same work as the CLI's, which reads a batch
    and stores it, with the two halves timed apart. `batched` stores them with
    `ingest_files` (the CLI's path), else one transaction per file with `ingest_read_result`.
    """
    store = open_store(f"sqlite:///{database}")
    try:
        start = time.perf_counter()
        read = []
        for path in paths:
            data = path.read_bytes()
            read.append((data, path.name, read_questionnaire(data, path.name)))
        reading = time.perf_counter() - start
        # The organisations are in the register beforehand, as in a deployment (not timed).
        register_from_files(store, CLI_ADMIN, [r.submission for _, _, r in read if r.submission is not None])
        storing_from = time.perf_counter()
        if batched:
            kinds = [outcome.kind for outcome in ingest_files(store, read, CLI_ADMIN)]
        else:
            kinds = [ingest_read_result(store, *item, CLI_ADMIN).kind for item in read]
        done = time.perf_counter()
    finally:
        store.close()
    refused = len(kinds) - kinds.count(STORED_NEW)
    if refused:
        raise RuntimeError(f"{refused} of {len(kinds)} generated questionnaires were not stored as new")
    storing = done - storing_from
    return Ingested(reading + storing, reading, storing)


def ingest_with_cli(paths: Sequence[Path], database: Path, workers: int) -> float:
    """Seconds `python -m capacity ingest` takes on a new database, start-up included.

    The database is made beforehand with the files' organisations in its register, as in a
    deployment (files for unknown organisations are refused).
    """
    store = open_store(f"sqlite:///{database}")
    try:
        submissions = (read_questionnaire(path.read_bytes(), path.name).submission for path in paths)
        register_from_files(store, CLI_ADMIN, [s for s in submissions if s is not None])
    finally:
        store.close()
    command = [
        sys.executable,
        "-m",
        "capacity",
        "ingest",
        *map(str, paths),
        "--workers",
        str(workers),
        "--database",
        f"sqlite:///{database}",
    ]
    seconds, done = timed(
        lambda: subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy()
        )
    )
    if done.returncode != 0:
        raise RuntimeError(f"the ingest command failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return seconds


def run(paths: Sequence[Path], repeats: int, workdir: Path, progress: Progress) -> list[Row]:
    """The stage's rows: throughputs, the two ratios to the targets, and the CLI's speed-up."""
    files = [(path, reader_sheets(path)) for path in paths]
    count = len(files)
    floor, usual, library, single, to_floor, to_pandas = [], [], [], [], [], []
    reading: list[float] = []
    storing: list[float] = []
    storing_single: list[float] = []
    for attempt in range(1, repeats + 1):
        progress(STAGE, f"repeat {attempt}/{repeats}: python-calamine floor on {count} files")
        floor.append(timed(lambda: read_with_calamine(files))[0])
        progress(STAGE, f"repeat {attempt}/{repeats}: pandas.read_excel(engine='openpyxl')")
        usual.append(timed(lambda: read_with_pandas(files))[0])
        progress(STAGE, f"repeat {attempt}/{repeats}: ingest_files (batches) into a fresh SQLite database")
        found = ingest_in_process(paths, workdir / f"ingest-{attempt}.db", batched=True)
        library.append(found.total)
        reading.append(found.reading / count)
        storing.append(found.storing / count)
        to_floor.append(found.total / floor[-1])
        to_pandas.append(found.total / usual[-1])
        progress(STAGE, f"repeat {attempt}/{repeats}: one transaction per file, for comparison")
        alone = ingest_in_process(paths, workdir / f"ingest-single-{attempt}.db", batched=False)
        single.append(alone.total)
        storing_single.append(alone.storing / count)

    cli: dict[int, list[float]] = {1: [], 2: []}
    for attempt in range(1, repeats + 1):
        for workers in cli:
            progress(STAGE, f"repeat {attempt}/{repeats}: python -m capacity ingest --workers {workers}")
            cli[workers].append(ingest_with_cli(paths, workdir / f"cli-{workers}-{attempt}.db", workers))
    speed_up = [one / two for one, two in zip(cli[1], cli[2], strict=True)]

    def rate(samples: list[float]) -> tuple[float, tuple[float, ...]]:
        rates = tuple(count / seconds for seconds in samples)
        return median(rates), rates

    rows = []
    for name, samples in (
        ("read only: python-calamine (the floor)", floor),
        ("read only: pandas.read_excel, openpyxl", usual),
        (f"ingest in process: validate, score, store ({BATCH_SIZE} per transaction)", library),
        ("ingest in process, 1 transaction per file (before)", single),
    ):
        value, rates = rate(samples)
        rows.append(Row(STAGE, f"{name}, {count} files", value, PER_SECOND, samples=rates))
    rows.append(
        Row(
            STAGE,
            "ingest time ÷ calamine time",
            median(to_floor),
            TIMES,
            FLOOR_FACTOR,
            tuple(to_floor),
            note="ratio taken within each repeat",
        )
    )
    rows.append(
        Row(
            STAGE,
            "ingest time ÷ pandas time",
            median(to_pandas),
            TIMES,
            PANDAS_FACTOR,
            tuple(to_pandas),
            note="ratio taken within each repeat",
        )
    )
    for workers, samples in cli.items():
        value, rates = rate(samples)
        rows.append(
            Row(
                STAGE,
                f"CLI ingest --workers {workers} (start-up included)",
                value,
                PER_SECOND,
                samples=rates,
                note=f"median {median(samples):.2f} s for {count} files",
            )
        )
    rows.append(
        Row(STAGE, "CLI speed-up, --workers 2 over 1", median(speed_up), TIMES, samples=tuple(speed_up))
    )
    per_file = [seconds / count for seconds in floor]
    for name, samples in (
        ("per file: python-calamine (the floor)", per_file),
        ("per file: reading and validating (reader)", reading),
        (f"per file: storing and scoring ({BATCH_SIZE} per transaction)", storing),
        ("per file: storing and scoring (1 transaction each, before)", storing_single),
    ):
        rows.append(Row(STAGE, name, median(samples), SECONDS, samples=tuple(samples)))
    return rows
