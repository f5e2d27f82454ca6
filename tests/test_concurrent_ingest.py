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
another leaves, ids and timestamps aside. The writers start at one barrier, as forked
processes calling the library, and as real `python -m capacity ingest` subprocesses;
on SQLite (one writer at a time, the others wait on the busy timeout) and PostgreSQL.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from capacity.access import CLI_ADMIN
from capacity.questionnaire.reader import read_questionnaire
from capacity.rounds.register import register_from_files, set_create_on_first_upload
from capacity.store import open_store
from capacity.store.audit import SUBMISSION_DUPLICATE, SUBMISSION_STORED, SUBMISSION_SUPERSEDED
from capacity.store.ingest import DUPLICATE, STORED_NEW, SUPERSEDED_EARLIER, ReadFile, ingest_files
from capacity.store.models import (
    Assessment,
    AssessmentResultRecord,
    AuditEntry,
    Base,
    SubmissionRecord,
    UTCDateTime,
)
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


def _read_all(files: list[tuple[str, bytes]]) -> list[ReadFile]:
    return [(data, name, read_questionnaire(data, name)) for name, data in files]


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
def databases(backend, tmp_path) -> Iterator[tuple[str, str]]:
    """Two prepared empty databases of the backend: one for the concurrent writers, one for the sequence."""
    (tmp_path / "concurrent").mkdir()
    (tmp_path / "sequential").mkdir()
    with (
        fresh_database(backend, tmp_path / "concurrent") as concurrent,
        fresh_database(backend, tmp_path / "sequential") as sequential,
    ):
        _prepare(concurrent)
        _prepare(sequential)
        yield concurrent, sequential


Reported = list[tuple[str, str, int | None]]  # each file's name, outcome kind and submission id


def _write_in_process(url: str, files: list[ReadFile], barrier, results, writer: int) -> None:
    """A forked writer: open the store, wait for the others, store the files as the CLI does."""
    try:
        store = open_store(url)
        try:
            barrier.wait(WAIT_S)
            reported = [(o.filename, o.kind, o.submission_id) for o in ingest_files(store, files, CLI_ADMIN)]
        finally:
            store.close()
        results.put((writer, reported, None))
    except BaseException as failure:
        results.put((writer, None, repr(failure)))
        raise


def _write_concurrently(url: str, lists: list[list[ReadFile]]) -> list[Reported]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(lists)), context.Queue()
    processes = [
        context.Process(target=_write_in_process, args=(url, files, barrier, results, writer))
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


def _write_sequentially(url: str, lists: list[list[ReadFile]]) -> list[Reported]:
    store = open_store(url)
    try:
        return [
            [(o.filename, o.kind, o.submission_id) for o in ingest_files(store, files, CLI_ADMIN)]
            for files in lists
        ]
    finally:
        store.close()


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


def _check(
    concurrent: list[Reported], sequential: list[Reported], lists: list[list[ReadFile]], urls: tuple[str, str]
) -> None:
    """Nothing lost, nothing twice, and the same database as the one-after-another run."""
    for reported, files in zip(concurrent, lists, strict=True):
        assert [name for name, _, _ in reported] == [name for _, name, _ in files]  # each file once, in order
    outcomes = Counter((name, kind) for reported in concurrent for name, kind, _ in reported)
    assert outcomes == Counter((name, kind) for reported in sequential for name, kind, _ in reported)
    distinct = {data for files in lists for data, _, _ in files}
    stored = [sid for reported in concurrent for _, kind, sid in reported if kind != DUPLICATE]
    assert len(stored) == len(set(stored)) == len(distinct)
    assert Counter(kind for _, kind in outcomes.elements()) == {
        STORED_NEW: len(distinct) - len(lists),
        SUPERSEDED_EARLIER: len(lists),
        DUPLICATE: sum(map(len, lists)) - len(distinct),
    }
    got, expected = canonical(urls[0]), canonical(urls[1])
    assert len(got["submissions"]) == len(distinct)
    actions = Counter(row["action"] for row in got["audit_log"])
    assert actions[SUBMISSION_STORED] + actions[SUBMISSION_SUPERSEDED] == len(distinct)
    assert actions[SUBMISSION_DUPLICATE] == sum(map(len, lists)) - len(distinct)
    assert got == expected


@pytest.mark.parametrize("writers", [2, MAX_WRITERS])
def test_batch_writers_in_processes_lose_and_duplicate_nothing(databases, writer_files, writers):
    lists = [_read_all(files) for files in writer_files[:writers]]
    concurrent = _write_concurrently(databases[0], lists)
    sequential = _write_sequentially(databases[1], lists)
    _check(concurrent, sequential, lists, databases)


def test_two_ingest_commands_at_once_lose_and_duplicate_nothing(databases, writer_files, tmp_path):
    """The real command twice at once (four would mostly measure the interpreters starting up)."""
    writers = 2
    concurrent = _write_with_the_cli(databases[0], writer_files[:writers], tmp_path)
    lists = [_read_all(files) for files in writer_files[:writers]]
    sequential = _write_sequentially(databases[1], lists)
    _check(concurrent, sequential, lists, databases)
