"""Twenty uploads at once, from threads and from processes, on SQLite and PostgreSQL.

All land, none is lost or duplicated; ten files from the same respondent racing each other
leave exactly one active and the rest superseded in an unbroken chain; the same file
uploaded twenty times at once is stored exactly once.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from capacity.access import CLI_ADMIN
from capacity.scoring import score_assessment
from capacity.store import open_store
from capacity.store.assessments import rebuild_submissions, result_from_json
from capacity.store.ingest import DUPLICATE, ingest_file
from capacity.store.models import ACTIVE, SUPERSEDED, Assessment, AssessmentResultRecord, SubmissionRecord
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire

UPLOADS = 20
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("store-heavy")]


@pytest.fixture(scope="module")
def files() -> list[bytes]:
    """Ten organisations' files, and ten versions from one respondent of ORG-RACE (all distinct)."""
    separate = [make_submission(f"ORG-{n:02d}", 2025) for n in range(UPLOADS // 2)]
    racing = [make_submission("ORG-RACE", 2025, seed=n) for n in range(UPLOADS // 2)]
    return [questionnaire(s) for s in separate + racing]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        open_store(url).close()  # created up front, so only the uploads race
        yield url


def _upload_in_process(url: str, data: bytes, name: str, barrier, results) -> None:
    barrier.wait(60)
    store = open_store(url)
    try:
        outcome = ingest_file(store, data, name, CLI_ADMIN)
        results.put((outcome.kind, outcome.submission_id))
    finally:
        store.close()


def _upload_all(url: str, uploads: list[bytes], mode: str) -> list[tuple[str, int]]:
    """Start every upload at the same instant; return (outcome kind, submission id) of each."""
    if mode == "threads":
        barrier = threading.Barrier(len(uploads))
        store = open_store(url)

        def upload(n: int) -> tuple[str, int]:
            barrier.wait(60)
            outcome = ingest_file(store, uploads[n], f"upload-{n}.xlsx", CLI_ADMIN)
            return outcome.kind, outcome.submission_id

        try:
            with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
                return list(pool.map(upload, range(len(uploads))))
        finally:
            store.close()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(uploads)), context.Queue()
    processes = [
        context.Process(target=_upload_in_process, args=(url, data, f"upload-{n}.xlsx", barrier, results))
        for n, data in enumerate(uploads)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0] * len(processes)
    return outcomes


def _check_consistent(url: str) -> list[SubmissionRecord]:
    """One active file per respondent, superseded ones chained, results matching the evidence."""
    store = open_store(url)
    try:
        with store.read() as session:
            records = session.scalars(select(SubmissionRecord).order_by(SubmissionRecord.id)).all()
            ids = {r.id for r in records}
            for record in records:
                if record.status == SUPERSEDED:
                    assert record.superseded_by in ids
            for assessment in session.scalars(select(Assessment)):
                stored = session.get(AssessmentResultRecord, assessment.id)
                expected = score_assessment(rebuild_submissions(session, assessment))
                assert result_from_json(stored.result) == expected
        return records
    finally:
        store.close()


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_twenty_uploads_at_once_all_land(database_url, files, mode):
    outcomes = _upload_all(database_url, files, mode)

    assert all(kind in ("stored_new", "superseded") for kind, _ in outcomes), outcomes
    assert len({submission_id for _, submission_id in outcomes}) == UPLOADS
    records = _check_consistent(database_url)
    assert len(records) == UPLOADS
    racing = [r for r in records if r.organisation_name == "Organisation ORG-RACE"]
    assert Counter(r.status for r in racing) == {ACTIVE: 1, SUPERSEDED: UPLOADS // 2 - 1}
    assert Counter(kind for kind, _ in outcomes)["superseded"] == UPLOADS // 2 - 1


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_the_same_file_uploaded_twenty_times_at_once_is_stored_once(database_url, files, mode):
    outcomes = _upload_all(database_url, [files[0]] * UPLOADS, mode)

    kinds = Counter(kind for kind, _ in outcomes)
    assert kinds == {"stored_new": 1, DUPLICATE: UPLOADS - 1}
    assert len({submission_id for _, submission_id in outcomes}) == 1
    assert len(_check_consistent(database_url)) == 1
