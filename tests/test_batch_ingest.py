"""Batch ingestion (`ingest_files`) leaves exactly what ingesting the same files one by one leaves.

Both ways run on the same files, in the same order, into fresh databases of the same back
end (SQLite and PostgreSQL); every table is then compared row by row, ids included, with
only the timestamps left out (their presence is still compared). The files cover new,
duplicate (within a batch, across batches, of a superseded file), superseding, older-year,
invalid and engine-refused uploads, and an assessment with a review.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from capacity.access import CLI_ADMIN, SYSTEM
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.reader import read_questionnaire
from capacity.store import assessments, ingest, open_store
from capacity.store.corrections import record_review
from capacity.store.db import Store
from capacity.store.ingest import (
    DUPLICATE,
    REJECTED,
    STORED_NEW,
    SUPERSEDED_EARLIER,
    IngestOutcome,
    ReadFile,
    ingest_files,
    ingest_read_result,
)
from capacity.store.models import Base, UTCDateTime
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire

EVALUATOR = SYSTEM


def _read(name: str, data: bytes) -> ReadFile:
    return data, name, read_questionnaire(data, name)


def _refused(name: str, data: bytes) -> ReadFile:
    """A file the reader accepts but the engine cannot score with the others (another framework)."""
    read = read_questionnaire(data, name)
    assert read.submission is not None
    other = dataclasses.replace(read.submission, framework_version="0.9")
    return data + b"0.9", name, dataclasses.replace(read, submission=other)


@pytest.fixture(scope="module")
def files() -> list[ReadFile]:
    """Fifteen uploads in an order that makes every outcome happen, some within one batch."""
    first = questionnaire(make_submission("ORG-001", 2025, "Ayşe Demir", seed=1))
    other_respondent = questionnaire(make_submission("ORG-001", 2025, "John Smith", seed=1))
    replacement = questionnaire(make_submission("ORG-001", 2025, "ayşe  demir", seed=2))
    older = questionnaire(make_submission("ORG-001", 2024, organisation_name="An old name", seed=3))
    reviewed = questionnaire(make_submission("ORG-003", 2025, "Leila Haddad", seed=4))
    return [
        _read("a.xlsx", first),
        _read("b.xlsx", other_respondent),
        _read("a-again.xlsx", first),  # duplicate within the batch
        _read("c.xlsx", questionnaire(make_submission("ORG-002", 2025, seed=5))),
        _read("junk.xlsx", b"not a spreadsheet"),
        _refused("old-framework.xlsx", other_respondent),  # refused for an existing assessment
        _read("a2.xlsx", replacement),  # supersedes a.xlsx (name spelt differently)
        _refused("new-org.xlsx", questionnaire(make_submission("ORG-009", 2025, seed=6))),
        _read("older.xlsx", older),  # an older year: the organisation keeps its 2025 details
        _read("a-third-time.xlsx", first),  # duplicate of a superseded submission
        _read("reviewed.xlsx", reviewed),
        _read("c2.xlsx", questionnaire(make_submission("ORG-002", 2025, seed=7))),
        _read("eval.xlsx", questionnaire(make_submission("ORG-002", 2025, "Eva", ROLE_EVALUATOR, seed=8))),
        _read("d.xlsx", questionnaire(make_submission("ORG-004", 2026, seed=9))),
        _read("renamed.xlsx", questionnaire(make_submission("ORG-002", 2026, organisation_name="Renamed"))),
    ]


def _prepare(store: Store, files: list[ReadFile]) -> None:
    """What both databases hold before: a stored file with a review on it (an evaluator respondent)."""
    ingest_read_result(store, *files[10], CLI_ADMIN)
    record_review(store, "ORG-003", 2025, "IC.1", 5, "Seen the approved strategy.", EVALUATOR)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def _open(kind: str, directory: Path) -> Iterator[Store]:
    directory.mkdir()
    with fresh_database(kind, directory) as url:
        store = open_store(url)
        try:
            yield store
        finally:
            store.close()


@pytest.fixture
def one_by_one(backend, tmp_path) -> Iterator[Store]:
    yield from _open(backend, tmp_path / "one-by-one")


@pytest.fixture
def batched(backend, tmp_path) -> Iterator[Store]:
    yield from _open(backend, tmp_path / "batched")


def contents(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in id order; a timestamp counts only as present or absent."""
    dumped = {}
    with store.read() as session:
        for table in Base.metadata.sorted_tables:
            keep = [c for c in table.columns if not isinstance(c.type, UTCDateTime)]
            times = [c for c in table.columns if isinstance(c.type, UTCDateTime)]
            rows = session.execute(select(*keep, *(c.is_(None) for c in times)).order_by(*table.primary_key))
            dumped[table.name] = [tuple(row) for row in rows]
    return dumped


def summary(outcome: IngestOutcome) -> dict[str, Any]:
    return {**outcome.as_dict("en"), "message_tr": outcome.message("tr"), "status": outcome.existing_status}


@pytest.mark.parametrize("batch_size", [1, 4, 100])
def test_a_batch_leaves_what_one_file_at_a_time_leaves(files, one_by_one, batched, batch_size):
    _prepare(one_by_one, files)
    _prepare(batched, files)
    expected = [ingest_read_result(one_by_one, *item, CLI_ADMIN) for item in files]
    got = list(ingest_files(batched, files, CLI_ADMIN, batch_size=batch_size))

    assert [summary(o) for o in got] == [summary(o) for o in expected]
    assert [o.kind for o in got] == [
        STORED_NEW,
        STORED_NEW,
        DUPLICATE,
        STORED_NEW,
        REJECTED,
        REJECTED,
        SUPERSEDED_EARLIER,
        REJECTED,
        STORED_NEW,
        DUPLICATE,
        DUPLICATE,
        SUPERSEDED_EARLIER,
        STORED_NEW,
        STORED_NEW,
        STORED_NEW,
    ]
    before, after = contents(one_by_one), contents(batched)
    assert after["assessment_results"] and after["indicator_results"] and after["audit_log"]
    assert after == before


def test_each_touched_assessment_is_scored_once_per_batch(files, batched, monkeypatch):
    scored: list[str] = []
    real = assessments.score_assessment

    def counting(submissions, **kwargs):
        scored.append(submissions[0].organisation_id)
        return real(submissions, **kwargs)

    monkeypatch.setattr(assessments, "score_assessment", counting)
    accepted = [item for item in files if not item[0].endswith(b"0.9")]  # a refusal is scored at once
    list(ingest_files(batched, accepted, CLI_ADMIN, batch_size=100))
    # ORG-001 in 2024 and 2025, ORG-002 in 2025 and 2026
    assert sorted(scored) == ["ORG-001", "ORG-001", "ORG-002", "ORG-002", "ORG-003", "ORG-004"]


def test_a_file_failing_mid_batch_keeps_the_files_before_it(files, one_by_one, batched, monkeypatch):
    real = ingest._response_rows

    def failing(submission, submission_id):
        if submission.organisation_id == "ORG-002":
            raise RuntimeError("the disk is full")
        return real(submission, submission_id)

    monkeypatch.setattr(ingest, "_response_rows", failing)
    got = []
    with pytest.raises(RuntimeError, match="disk is full"):
        got.extend(ingest_files(batched, files, CLI_ADMIN, batch_size=100))
    monkeypatch.setattr(ingest, "_response_rows", real)

    expected = [ingest_read_result(one_by_one, *item, CLI_ADMIN) for item in files[:3]]
    assert [summary(o) for o in got] == [summary(o) for o in expected]
    assert contents(batched) == contents(one_by_one)


def test_a_refusal_found_only_when_the_batch_is_scored_redoes_the_batch_exactly(
    files, one_by_one, batched, backend, monkeypatch
):
    """Were the quick check ever wrong, re-scoring at the end refuses and the batch is redone file by file."""
    monkeypatch.setattr(ingest._Batch, "_surely_scored", lambda *_: True)
    expected = [ingest_read_result(one_by_one, *item, CLI_ADMIN) for item in files]
    got = list(ingest_files(batched, files, CLI_ADMIN, batch_size=100))
    assert [o.kind for o in got] == [o.kind for o in expected]
    assert [o.refusal for o in got] == [o.refusal for o in expected]
    if backend == "sqlite":  # PostgreSQL's sequences keep the numbers the undone batch drew
        assert [summary(o) for o in got] == [summary(o) for o in expected]
        assert contents(batched) == contents(one_by_one)


def test_the_demo_loader_stores_in_batches_and_reports_progress(files, one_by_one, batched):
    from capacity.demo import ingest_demo
    from capacity.rounds.register import register_from_files
    from capacity.store.ingest import BATCH_SIZE

    pairs = [(name, data) for data, name, read in files if read.valid and not data.endswith(b"0.9")]
    heard: list[tuple[int, int]] = []
    got = ingest_demo(batched, pairs, progress=lambda done, total: heard.append((done, total)))
    reads = [(name, data, read_questionnaire(data, name)) for name, data in pairs]
    assert len(reads) <= BATCH_SIZE  # one batch: the loader reads, and registers, every file before storing
    registered: set[str] = set()
    for _, _, read in reads:  # as the demo loader does: each organisation enters the register first
        if read.submission.organisation_id not in registered:
            register_from_files(one_by_one, SYSTEM, [read.submission])
            registered.add(read.submission.organisation_id)
    expected = [ingest_read_result(one_by_one, data, name, read, SYSTEM) for name, data, read in reads]
    assert [summary(o) for o in got] == [summary(o) for o in expected]
    assert heard == [(done, len(pairs)) for done in range(1, len(pairs) + 1)]
    assert contents(batched) == contents(one_by_one)
