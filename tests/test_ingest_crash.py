"""Atomic ingestion: a process killed with SIGKILL at random moments never leaves half a submission.

A forked child stores questionnaires one after another (reading the database, inserting
the file and its answers, superseding, scoring, auditing) and reports each commit; the
test kills it at a random moment, many times over, then checks the SQLite file: it opens,
passes `PRAGMA integrity_check`, every reported commit is there, and every submission
present is whole, with results consistent with the evidence.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import signal
import time
import zipfile
from collections import Counter

import pytest
from sqlalchemy import create_engine, select

from capacity.access import CLI_ADMIN
from capacity.framework import current_framework
from capacity.questionnaire.submission import Submission
from capacity.scoring import score_assessment
from capacity.store import open_store
from capacity.store.assessments import rebuild_submissions, respondent_key, result_from_json
from capacity.store.ingest import ingest_submission
from capacity.store.models import (
    ACTIVE,
    SUPERSEDED,
    Assessment,
    AssessmentResultRecord,
    AuditEntry,
    DimensionResultRecord,
    IndicatorResultRecord,
    ResponseRecord,
    SubmissionRecord,
)
from tests.store_support import make_submission, questionnaire

KILLS = 30
RESPONDENTS = ("Ayşe Demir", "John Smith", "Leila Haddad")
# Five organisations × two years × three respondents: files keep superseding each other.
COMBINATIONS = [(f"ORG-{o}", year, name) for o in range(5) for year in (2023, 2024) for name in RESPONDENTS]
_FILES: list[tuple[Submission, bytes]] = []  # built once in the parent, inherited by every forked child


def _with_zip_comment(data: bytes, comment: bytes) -> bytes:
    """The same workbook with another zip comment: a distinct file (new sha256) that still opens."""
    archive = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(archive, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.comment = comment
    return archive.getvalue()


def _job(number: int) -> tuple[Submission, bytes]:
    """The `number`th upload: a real questionnaire, made unique by its zip comment."""
    submission, data = _FILES[number % len(_FILES)]
    return submission, _with_zip_comment(data, f"upload {number}".encode())


def _ingest_forever(url: str, start: int, report) -> None:
    """The child: store uploads start, start+1, … reporting each one before and once committed."""
    store = open_store(url)
    number = start
    while True:
        submission, data = _job(number)
        report.send(("storing", number, None))
        outcome = ingest_submission(store, submission, data, f"file-{number}.xlsx", CLI_ADMIN)
        report.send(("committed", number, outcome.sha256))
        number += 1


def _check_database(url: str, committed: set[str]) -> int:
    """Everything the test promises about the file after the crashes; returns the submissions found."""
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    engine.dispose()
    store = open_store(url)
    indicators = len(current_framework().indicators)
    try:
        with store.read() as session:
            records = session.scalars(select(SubmissionRecord)).all()
            assert committed <= {r.sha256 for r in records}, "a reported commit was lost"
            answers = Counter(session.scalars(select(ResponseRecord.submission_id)))
            audited = {e.detail.get("submission_id") for e in session.scalars(select(AuditEntry))}
            for record in records:
                assert answers[record.id] == indicators, f"submission {record.id} is not whole"
                assert record.id in audited, f"submission {record.id} has no audit entry"
                assert len(record.content) == record.size
                if record.status == SUPERSEDED:
                    assert record.superseded_by in {r.id for r in records}
            active = Counter(
                (r.assessment_id, respondent_key(r.respondent_name, r.respondent_role))
                for r in records
                if r.status == ACTIVE
            )
            assert set(active.values()) <= {1}, "a respondent has two active files"
            for assessment in session.scalars(select(Assessment)):
                stored = session.get(AssessmentResultRecord, assessment.id)
                assert stored is not None, f"assessment {assessment.id} has no result"
                expected = score_assessment(rebuild_submissions(session, assessment))
                assert result_from_json(stored.result) == expected, "stored result is stale"
                dims = session.scalars(
                    select(DimensionResultRecord).where(DimensionResultRecord.assessment_id == assessment.id)
                ).all()
                inds = session.scalars(
                    select(IndicatorResultRecord).where(IndicatorResultRecord.assessment_id == assessment.id)
                ).all()
                assert len(dims) == 6 and len(inds) == indicators
        return len(records)
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.xdist_group("store-heavy")
def test_sigkill_at_random_moments_never_leaves_half_a_submission(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    if not _FILES:
        for organisation_id, year, name in COMBINATIONS:
            submission = make_submission(organisation_id, year, respondent_name=name)
            _FILES.append((submission, questionnaire(submission)))
    context = multiprocessing.get_context("fork")  # a forked child starts at once: many kills fit in seconds
    rng = random.Random(20530101)
    committed: set[str] = set()
    next_job = 0
    kills_while_storing = 0
    for _ in range(KILLS):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_ingest_forever, args=(url, next_job, sender), daemon=True)
        child.start()
        sender.close()
        time.sleep(rng.uniform(0.0, 0.5))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert child.exitcode == -signal.SIGKILL
        last = None
        while receiver.poll():
            try:
                last = receiver.recv()
            except EOFError:
                break
            if last[0] == "committed":
                committed.add(last[2])
                next_job = max(next_job, last[1] + 1)
        receiver.close()
        kills_while_storing += last is not None and last[0] == "storing"
    # The kills must really have hit transactions in flight, or the test proves nothing.
    assert kills_while_storing >= KILLS // 5, kills_while_storing
    print(f"{kills_while_storing} of {KILLS} kills hit a transaction in flight; {len(committed)} commits")
    stored = _check_database(url, committed)
    assert stored >= len(committed) > 0
    # After all that, the database still takes new files normally.
    store = open_store(url)
    try:
        submission, data = _job(next_job + 10_000)  # surely never uploaded before
        assert ingest_submission(store, submission, data, "after.xlsx", CLI_ADMIN).stored
    finally:
        store.close()
    _check_database(url, committed)
