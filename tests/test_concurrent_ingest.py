"""Batch writers at once: two and four `ingest` runs over the same organisations lose and duplicate nothing.

Each writer stores its own list of real questionnaires in one batch transaction
(`ingest_files`, what `python -m capacity ingest` calls), and the lists overlap: every
organisation's 2025 assessment receives files from two or three writers, each writer
supersedes one of its own files, and one file per organisation is in every list that
covers it (identical bytes, so all but one writer must report it as a duplicate). The
writers visit the organisations in opposite orders, which is what made two batches
deadlock before the batch took its locks in one global order (`capacity.store.locking`).

The proof: every writer ends normally and reports each of its files once, in order;
every distinct file is stored exactly once; and the whole database (submissions,
answers, results, audit log, register) equals what ingesting the same lists one after
another leaves, ids and timestamps aside. The writers are forked processes calling the
library, started at one barrier (on SQLite, one writer at a time, the others wait on the
busy timeout; and on PostgreSQL), and real `python -m capacity ingest` subprocesses.

A batch the database refuses (SQLSTATE 40001 or 40P01, injected as a real server error)
is undone whole and retried once, so each file is still stored once; refused twice, the
command reports its files as not stored and goes on with the next batch.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from capacity.access import CLI_ADMIN
from capacity.questionnaire.reader import read_questionnaire
from capacity.rounds.register import register_from_files, set_create_on_first_upload
from capacity.store import open_store
from capacity.store.audit import SUBMISSION_DUPLICATE, SUBMISSION_STORED, SUBMISSION_SUPERSEDED
from capacity.store.ingest import (
    DUPLICATE,
    STORED_NEW,
    SUPERSEDED_EARLIER,
    IngestOutcome,
    ReadFile,
    ingest_files,
    ingest_read_result,
)
from capacity.store.locking import DEADLOCK_DETECTED, SERIALISATION_FAILURE
from capacity.store.models import (
    Assessment,
    AssessmentResultRecord,
    AuditEntry,
    Base,
    SubmissionRecord,
    UTCDateTime,
)
from tests.cli_support import run
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("store-heavy")]

ROOT = Path(__file__).resolve().parents[1]
ORGANISATIONS = [f"ORG-C{n}" for n in range(4)]
REGISTERED = ORGANISATIONS[:2]  # in the register beforehand; the others enter it on their first upload
YEAR = 2025
ORGANISATIONS_PER_WRITER = 3  # writer w covers organisations w, w+1, w+2 (wrapping): neighbours overlap
MAX_WRITERS = 4
WAIT_S = 120  # generous: on 2 busy cores four writers may queue behind each other


def _organisations_of(writer: int) -> list[str]:
    """The writer's organisations in the order it visits them: even writers go up, odd ones down."""
    covered = [ORGANISATIONS[(writer + k) % len(ORGANISATIONS)] for k in range(ORGANISATIONS_PER_WRITER)]
    return covered if writer % 2 == 0 else covered[::-1]


def _file(name: str, organisation_id: str, respondent: str, seed: int) -> tuple[str, bytes]:
    return name, questionnaire(make_submission(organisation_id, YEAR, respondent, seed=seed))


@pytest.fixture(scope="module")
def writer_files() -> list[list[tuple[str, bytes]]]:
    """Each writer's files (name, bytes) in its order; made once for every test of the module."""
    shared = {o: _file(f"shared-{o}.xlsx", o, "Shared Respondent", seed=1) for o in ORGANISATIONS}
    lists = []
    for writer in range(MAX_WRITERS):
        respondent = f"Writer {writer}"
        files = []
        for organisation_id in _organisations_of(writer):
            files.append(_file(f"w{writer}-{organisation_id}.xlsx", organisation_id, respondent, seed=writer))
            files.append(shared[organisation_id])
        first = _organisations_of(writer)[0]  # its own file there is replaced, as a corrected upload would be
        files.append(_file(f"w{writer}-{first}-v2.xlsx", first, respondent, seed=writer + 100))
        lists.append(files)
    return lists


def _prepare(url: str) -> None:
    """What every database holds first: two organisations registered, files allowed to add the rest."""
    store = open_store(url)
    try:
        register_from_files(store, CLI_ADMIN, [make_submission(o, YEAR) for o in REGISTERED])
        set_create_on_first_upload(store, CLI_ADMIN, True)
    finally:
        store.close()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(backend, tmp_path) -> Iterator[str]:
    """A prepared database of the backend for the concurrent writers."""
    with fresh_database(backend, tmp_path) as url:
        _prepare(url)
        yield url


@pytest.fixture(scope="module")
def read_lists(writer_files) -> list[list[ReadFile]]:
    """Each writer's files as the reader returns them, read once."""
    return [[(data, name, read_questionnaire(data, name)) for name, data in files] for files in writer_files]


Expected = tuple[Counter, dict[str, list[dict[str, Any]]]]  # the outcomes (name, kind) and the database


@pytest.fixture(scope="module")
def sequential_runs() -> dict[tuple[str, int], Expected]:
    """What ingesting the first n writers' lists one after another leaves, per backend: made once each."""
    return {}


@pytest.fixture
def expected(sequential_runs, backend, read_lists, tmp_path_factory) -> Callable[[int], Expected]:
    def sequential(writers: int) -> Expected:
        if (backend, writers) not in sequential_runs:
            with fresh_database(backend, tmp_path_factory.mktemp("sequential")) as url:
                _prepare(url)
                store = open_store(url)
                try:
                    outcomes = Counter(
                        (o.filename, o.kind)
                        for files in read_lists[:writers]
                        for o in ingest_files(store, files, CLI_ADMIN)
                    )
                finally:
                    store.close()
                sequential_runs[backend, writers] = outcomes, canonical(url)
        return sequential_runs[backend, writers]

    return sequential


Reported = list[tuple[str, str, int | None]]  # each file's name, outcome kind and submission id


def _write_in_process(
    url: str, files: list[ReadFile], barrier, results, writer: int, one_by_one: bool
) -> None:
    """A forked writer: open the store, wait for the others, store the files as the CLI does.

    With `one_by_one` it stores them as the upload page does instead: a transaction per file.
    """
    try:
        store = open_store(url)
        try:
            barrier.wait(WAIT_S)
            if one_by_one:
                stored = [ingest_read_result(store, *file, CLI_ADMIN) for file in files]
            else:
                stored = list(ingest_files(store, files, CLI_ADMIN))
            reported = [(o.filename, o.kind, o.submission_id) for o in stored]
        finally:
            store.close()
        results.put((writer, reported, None))
    except BaseException as failure:
        results.put((writer, None, repr(failure)))
        raise


def _write_concurrently(
    url: str, lists: list[list[ReadFile]], one_by_one: tuple[int, ...] = ()
) -> list[Reported]:
    """Each list stored by a forked process, all starting at once; the writers `one_by_one` file by file."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(lists)), context.Queue()
    processes = [
        context.Process(
            target=_write_in_process, args=(url, files, barrier, results, writer, writer in one_by_one)
        )
        for writer, files in enumerate(lists)
    ]
    for process in processes:
        process.start()
    gathered = dict(
        (writer, (reported, failure))
        for writer, reported, failure in (results.get(timeout=WAIT_S) for _ in processes)
    )
    for process in processes:
        process.join(WAIT_S)
    failures = {writer: failure for writer, (_, failure) in gathered.items() if failure is not None}
    assert not failures, failures
    assert [p.exitcode for p in processes] == [0] * len(processes)
    return [gathered[writer][0] for writer in range(len(lists))]


def _write_with_the_cli(url: str, lists: list[list[tuple[str, bytes]]], folder: Path) -> list[Reported]:
    """Real `python -m capacity ingest --json` processes, all started before any is waited for."""
    commands = []
    for writer, files in enumerate(lists):
        directory = folder / f"writer-{writer}"
        directory.mkdir()
        paths = []
        for name, data in files:
            (directory / name).write_bytes(data)
            paths.append(str(directory / name))
        commands.append(
            [sys.executable, "-m", "capacity", "ingest", "--json", "--lang", "en", "--database", url, *paths]
        )
    running = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]
    reported = []
    for process in running:
        out, err = process.communicate(timeout=WAIT_S)
        assert process.returncode == 0, err
        reported.append([(o["file"], o["outcome"], o["submission_id"]) for o in json.loads(out)])
    return reported


def canonical(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as a sorted list, with ids replaced by what they stand for.

    An assessment is named by its organisation and year, a submission by its sha256;
    other generated ids and the timestamps are left out (a timestamp only counts as
    present or absent), since they depend on which writer came first.
    """
    store = open_store(url)
    try:
        with store.read() as session:
            assessment_keys = {a.id: (a.organisation_id, a.year) for a in session.scalars(select(Assessment))}
            submission_keys = dict(
                session.execute(select(SubmissionRecord.id, SubmissionRecord.sha256)).all()
            )
            tables = {}
            for table in Base.metadata.sorted_tables:
                names = {}
                for column in table.columns:
                    targets = {key.target_fullname for key in column.foreign_keys}
                    if targets & {"assessments.id", "assessment_results.assessment_id"} or (
                        table.name in ("assessments", "assessment_results")
                        and column.name in ("id", "assessment_id")
                    ):
                        names[column.name] = assessment_keys
                    elif "submissions.id" in targets or (table.name == "submissions" and column.name == "id"):
                        names[column.name] = submission_keys
                keep = [c for c in table.columns if not isinstance(c.type, UTCDateTime)]
                keep = [c for c in keep if c.name != "id" or c.name in names]  # other ids: order of arrival
                times = [
                    c.is_(None).label(f"{c.name} missing")
                    for c in table.columns
                    if isinstance(c.type, UTCDateTime)
                ]
                rows = []
                for row in session.execute(select(*keep, *times)).mappings():
                    values = dict(row)
                    for name, mapping in names.items():
                        values[name] = mapping.get(values[name], values[name])
                    if table.name == AuditEntry.__tablename__:
                        values["detail"] = _named_detail(values["detail"], submission_keys)
                    if table.name == AssessmentResultRecord.__tablename__:
                        values["result"] = _evidence_sorted(values["result"])
                    rows.append(values)
                tables[table.name] = sorted(rows, key=repr)
    finally:
        store.close()
    return tables


def _evidence_sorted(result: dict[str, Any]) -> dict[str, Any]:
    """The stored result with each indicator's evidence notes sorted: they are listed in order of arrival."""
    indicators = {
        code: {**indicator, "evidence": sorted(indicator["evidence"])}
        for code, indicator in result["indicators"].items()
    }
    return {**result, "indicators": indicators}


def _named_detail(detail: dict[str, Any], submission_keys: dict[int, str]) -> dict[str, Any]:
    named = dict(detail)
    for key in ("submission_id", "superseded_id"):
        if named.get(key) is not None:
            named[key] = submission_keys[named[key]]
    return named


def _check(url: str, concurrent: list[Reported], lists: list[list[ReadFile]], expected: Expected) -> None:
    """Nothing lost, nothing twice, and the same database as the one-after-another run."""
    for reported, files in zip(concurrent, lists, strict=True):
        assert [name for name, _, _ in reported] == [name for _, name, _ in files]  # each file once, in order
    outcomes = Counter((name, kind) for reported in concurrent for name, kind, _ in reported)
    expected_outcomes, expected_database = expected
    assert outcomes == expected_outcomes
    distinct = {data for files in lists for data, _, _ in files}
    stored = [sid for reported in concurrent for _, kind, sid in reported if kind != DUPLICATE]
    assert len(stored) == len(set(stored)) == len(distinct)
    assert Counter(kind for _, kind in outcomes.elements()) == {
        STORED_NEW: len(distinct) - len(lists),
        SUPERSEDED_EARLIER: len(lists),
        DUPLICATE: sum(map(len, lists)) - len(distinct),
    }
    got = canonical(url)
    assert len(got["submissions"]) == len(distinct)
    actions = Counter(row["action"] for row in got["audit_log"])
    assert actions[SUBMISSION_STORED] + actions[SUBMISSION_SUPERSEDED] == len(distinct)
    assert actions[SUBMISSION_DUPLICATE] == sum(map(len, lists)) - len(distinct)
    assert got == expected_database


@pytest.mark.parametrize(
    ("writers", "one_by_one"),
    [(2, ()), (MAX_WRITERS, ()), (MAX_WRITERS, (1, 3))],
    ids=["2-batches", "4-batches", "2-batches-and-2-uploading-file-by-file"],
)
def test_batch_writers_in_processes_lose_and_duplicate_nothing(
    database, read_lists, expected, writers, one_by_one
):
    """Batches at once; and batches with writers storing a file per transaction, as the upload page does.

    The second works because a batch leaves what one-file transactions leave (`test_batch_ingest.py`).
    """
    lists = read_lists[:writers]
    _check(database, _write_concurrently(database, lists, one_by_one), lists, expected(writers))


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_two_ingest_commands_at_once_lose_and_duplicate_nothing(
    database, writer_files, read_lists, expected, tmp_path
):
    """The real command, twice at once (on PostgreSQL: SQLite's single writer is covered above)."""
    writers = 2
    concurrent = _write_with_the_cli(database, writer_files[:writers], tmp_path)
    _check(database, concurrent, read_lists[:writers], expected(writers))


@contextmanager
def refused_by_the_database(
    sqlstate: str, statement: str, filenames: set[str], times: int
) -> Iterator[list[str]]:
    """The server refuses the first `times` executions of `statement` that store one of `filenames`.

    A real refusal, as a concurrent writer would cause it: just before the statement, the
    same connection runs a block raising `sqlstate`, so PostgreSQL aborts the transaction
    (or the file's savepoint) and psycopg raises its own error class. Yields the refusals made.
    """
    made: list[str] = []

    def refuse(connection, cursor, text_, parameters, context, executemany) -> None:
        if (
            len(made) < times
            and text_.startswith(statement)
            and any(n in repr(parameters) for n in filenames)
        ):
            made.append(text_)
            cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '{sqlstate}'; END $$")

    event.listen(Engine, "before_cursor_execute", refuse)
    try:
        yield made
    finally:
        event.remove(Engine, "before_cursor_execute", refuse)


FILES_PER_BATCH = 3


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
@pytest.mark.parametrize("sqlstate", [SERIALISATION_FAILURE, DEADLOCK_DETECTED])
@pytest.mark.parametrize(
    "statement",
    ["INSERT INTO submissions", "INSERT INTO audit_log"],
    ids=["inside-a-file's-savepoint", "when-the-batch-ends"],
)
def test_a_batch_refused_once_is_retried_whole_and_stored_once(
    database, read_lists, expected, sqlstate, statement, caplog
):
    """The refusal hits the second batch; it is undone whole and run again, so each file is stored once."""
    files = [file for files in read_lists[:2] for file in files]
    second_batch = {name for _, name, _ in files[FILES_PER_BATCH : 2 * FILES_PER_BATCH]}
    store = open_store(database)
    try:
        with refused_by_the_database(sqlstate, statement, second_batch, times=1) as refusals:
            got = list(ingest_files(store, files, CLI_ADMIN, batch_size=FILES_PER_BATCH))
    finally:
        store.close()
    assert len(refusals) == 1
    assert f"refused (SQLSTATE {sqlstate}); retrying once" in caplog.text
    _check(database, _by_writer(got, read_lists[:2]), read_lists[:2], expected(2))


def _by_writer(reported: list[IngestOutcome], lists: list[list[ReadFile]]) -> list[Reported]:
    """One run's outcomes cut into the writers' lists they came from, in order."""
    cut, start = [], 0
    for files in lists:
        cut.append([(o.filename, o.kind, o.submission_id) for o in reported[start : start + len(files)]])
        start += len(files)
    return cut


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_a_batch_refused_twice_is_reported_as_not_stored_and_the_next_batches_go_on(
    database, read_lists, writer_files, tmp_path, capsys
):
    """The command names the batch's files, stores none of them, stores the batches after it, and exits 1."""
    (tmp_path / "files").mkdir()
    paths = []
    for name, data in writer_files[0]:
        (tmp_path / "files" / name).write_bytes(data)
        paths.append(str(tmp_path / "files" / name))
    names = [name for name, _ in writer_files[0]]
    refused = names[FILES_PER_BATCH : 2 * FILES_PER_BATCH]
    with (
        pytest.MonkeyPatch.context() as patch,
        refused_by_the_database(DEADLOCK_DETECTED, "INSERT INTO submissions", set(refused), times=2),
    ):
        patch.setattr("capacity.store.ingest.BATCH_SIZE", FILES_PER_BATCH)
        code, out, err = run(capsys, "ingest", "--json", "--database", database, *paths)
    assert code == 1
    assert err.strip() == (
        f"Not stored: the batch of files from {refused[0]} to {refused[-1]} ({FILES_PER_BATCH} in all). The "
        "database refused it twice because another writer was changing the same organisations (SQLSTATE "
        "40P01); nothing of it was written. Ingest these files again."
    )
    reported = json.loads(out)
    assert [r["file"] for r in reported] == names
    assert [r["outcome"] == "not_stored" for r in reported] == [name in refused for name in names]
    store = open_store(database)
    try:
        with store.read() as session:
            stored = set(session.scalars(select(SubmissionRecord.filename)))
            logged = {e.detail.get("filename") for e in session.scalars(select(AuditEntry))}
    finally:
        store.close()
    assert stored == {r["file"] for r in reported if r["outcome"] in (STORED_NEW, SUPERSEDED_EARLIER)}
    assert stored and not stored & set(refused) and not logged & set(refused)
