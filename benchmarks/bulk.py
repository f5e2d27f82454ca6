"""Demo portfolios of tens of thousands of organisations, written straight into the database.

Storing 200,000 questionnaires through `ingest_submission` one by one would take an
hour, so the scale stage builds its databases here instead: the demo generator draws
each organisation's questionnaires (`capacity.demo`, on every core), ingestion's own row
builders give the submission and response rows, the scoring engine scores each assessment
as ingestion would (`recompute_assessments`' own row builder),
and the rows go in with one multi-row insert per table and chunk. What lands in the
tables is what ingestion would have stored, except the original files' bytes (a short
stand-in, as `datasets` does; no page reads them) and the audit log (one entry).

A SQLite database is cached under `benchmarks/work/scale/`, keyed by the number of
organisations and `GENERATOR_VERSION` (bump it when this module or the demo generator
changes what is written), never by commit, so a re-run after a code change reuses it.
The data are those of a fixed day (`BENCH_DAY`), so the cache does not expire at midnight.
A PostgreSQL database is loaded from the cached SQLite file (`copy_to_postgres`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, func, select, text

from capacity.access import Actor
from capacity.demo import DEFAULT_SEED, DemoOrganisation, _organisation_questionnaires, demo_organisations
from capacity.framework import current_framework
from capacity.questionnaire.submission import Submission
from capacity.roadmap import current_roadmap
from capacity.scoring.engine import score_assessment
from capacity.store import open_store
from capacity.store.assessments import _result_rows, refresh_evidence_counts, respondent_key
from capacity.store.backup import _reset_sequences, _tables
from capacity.store.ingest import _response_rows, _submission_values, sha256_of
from capacity.store.models import (
    ACTIVE,
    SUPERSEDED,
    Assessment,
    AssessmentResultRecord,
    AuditEntry,
    DimensionResultRecord,
    IndicatorResultRecord,
    Organisation,
    ResponseRecord,
    SubmissionRecord,
)

GENERATOR_VERSION = 1
BENCH_DAY = dt.date(2026, 6, 30)  # the data's "today": rounds 2015, 2019, 2023 and 2026
ORGANISATIONS_PER_JOB = 100  # one worker's share at a time: small enough to keep memory flat
INSERT_CHUNK = 5_000
UPLOADER = "benchmark-bulk"
_ACTOR = Actor(UPLOADER, "admin")  # whose upload the rows record

Report = Callable[[str], None]


@dataclass(frozen=True)
class ScaleDatabase:
    """A database holding the first `organisations` demo organisations of `BENCH_DAY`."""

    url: str
    organisations: int
    assessments: int
    submissions: int
    responses: int


@dataclass(frozen=True)
class _Key:
    """What `_result_rows` needs of an assessment."""

    id: int
    organisation_id: str
    year: int


@dataclass
class _Rows:
    """One job's rows, ids still to be given (assessments and submissions are numbered by the caller)."""

    organisations: list[dict[str, Any]]
    # per assessment: organisation id, year, [(submission values, response rows, superseded?)], and
    # `_result_rows` of its result (assessment id 0 until the writer numbers it)
    assessments: list[tuple[str, int, list[tuple[dict[str, Any], list[dict[str, Any]], bool]], Any]]


def _assessment_rows(org: DemoOrganisation, year: int, submissions: list[Submission]) -> tuple:
    """An assessment's submissions in upload order with what ingestion would do to each, and its result."""
    framework, roadmap = current_framework(), current_roadmap()
    latest: dict[tuple[str, str], int] = {}
    for position, submission in enumerate(submissions):
        latest[respondent_key(submission.respondent_name, submission.respondent_role)] = position
    stored = []
    for position, submission in enumerate(submissions):
        stand_in = f"benchmark questionnaire {org.organisation_id}/{year}/{position}".encode()
        values = _submission_values(
            submission, stand_in, sha256_of(stand_in), f"{year}-{position}.xlsx", _ACTOR, None
        )
        responses = _response_rows(submission, 0)  # the writer gives the submission its id
        superseded = (
            latest[respondent_key(submission.respondent_name, submission.respondent_role)] != position
        )
        stored.append((values, responses, superseded))
    active = [s for s, (_, _, superseded) in zip(submissions, stored, strict=True) if not superseded]
    result = score_assessment(active, framework=framework, roadmap=roadmap)
    # The result rows are built here, in the worker, with the id given later by the writer.
    key = _Key(0, org.organisation_id, year)
    return org.organisation_id, year, stored, _result_rows(key, result, framework, dt.datetime.now(dt.UTC))


def _job(orgs: Sequence[DemoOrganisation]) -> _Rows:
    """Draw, order and score the questionnaires of a few organisations (runs in a worker)."""
    framework = current_framework()
    rows = _Rows([], [])
    for org in orgs:
        rounds: dict[int, list[Submission]] = {}
        first = None
        for q in _organisation_questionnaires(org, framework, DEFAULT_SEED, BENCH_DAY):
            rounds.setdefault(q.submission.year, []).append(q.submission)
            first = first or q.submission
        assert first is not None
        rows.organisations.append(
            {
                "id": org.organisation_id,
                "name": first.organisation_name,
                "type": first.organisation_type,
                "country": first.country,
                "region": first.region,
                "archived": False,
            }
        )
        rows.assessments.extend(_assessment_rows(org, year, subs) for year, subs in sorted(rounds.items()))
    return rows


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    """Numbers the rows and inserts them table by table in chunks, in one transaction."""

    def __init__(self, connection: Any, next_assessment: int, next_submission: int) -> None:
        self.connection = connection
        self.assessment_id = next_assessment
        self.submission_id = next_submission
        self.counts = {"assessments": 0, "submissions": 0, "responses": 0}
        self.now = dt.datetime.now(dt.UTC)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, INSERT_CHUNK):
            self.connection.execute(table.insert(), list(chunk))

    def write(self, rows: _Rows) -> None:
        now = self.now
        assessments, submissions, responses, supersede = [], [], [], []
        summaries, dimensions, indicators = [], [], []
        for org in rows.organisations:
            org.update(created_at=now, updated_at=now)
        for organisation_id, year, stored, result in rows.assessments:
            self.assessment_id += 1
            key = _Key(self.assessment_id, organisation_id, year)
            assessments.append(
                {"id": key.id, "organisation_id": organisation_id, "year": year, "created_at": now}
            )
            ids = []
            for values, answers, superseded in stored:
                self.submission_id += 1
                ids.append(self.submission_id)
                submissions.append(
                    {
                        **values,
                        "id": self.submission_id,
                        "assessment_id": key.id,
                        "uploaded_at": now,
                        "status": SUPERSEDED if superseded else ACTIVE,
                        "superseded_by": None,
                        "status_changed_at": now if superseded else None,
                    }
                )
                responses.extend({**answer, "submission_id": self.submission_id} for answer in answers)
            by_respondent = {}
            for submission_id, (values, _, _) in zip(ids, stored, strict=True):
                who = respondent_key(values["respondent_name"], values["respondent_role"])
                if who in by_respondent:
                    supersede.append((by_respondent[who], submission_id))
                by_respondent[who] = submission_id
            summary, dimension_rows, indicator_rows = result
            summaries.append({**summary, "assessment_id": key.id, "computed_at": now})
            dimensions.extend({**row, "assessment_id": key.id} for row in dimension_rows)
            indicators.extend({**row, "assessment_id": key.id} for row in indicator_rows)
        self._insert(Organisation.__table__, rows.organisations)
        self._insert(Assessment.__table__, assessments)
        self._insert(SubmissionRecord.__table__, submissions)
        for earlier, later in supersede:
            self.connection.execute(
                SubmissionRecord.__table__.update()
                .where(SubmissionRecord.__table__.c.id == earlier)
                .values(superseded_by=later)
            )
        self._insert(ResponseRecord.__table__, responses)
        self._insert(AssessmentResultRecord.__table__, summaries)
        self._insert(DimensionResultRecord.__table__, dimensions)
        self._insert(IndicatorResultRecord.__table__, indicators)
        refresh_evidence_counts(self.connection, [row["assessment_id"] for row in summaries])
        self.counts["assessments"] += len(assessments)
        self.counts["submissions"] += len(submissions)
        self.counts["responses"] += len(responses)


def _fill(url: str, orgs: Sequence[DemoOrganisation], workers: int, report: Report | None) -> None:
    """Add `orgs` to the database at `url` (which may already hold earlier demo organisations)."""
    store = open_store(url)
    try:
        with store.engine.begin() as connection:
            next_assessment = connection.scalar(select(func.coalesce(func.max(Assessment.id), 0)))
            next_submission = connection.scalar(select(func.coalesce(func.max(SubmissionRecord.id), 0)))
            writer = _Writer(connection, next_assessment, next_submission)
            jobs = list(_chunks(orgs, ORGANISATIONS_PER_JOB))
            with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
                for done, rows in enumerate(pool.map(_job, jobs), start=1):
                    writer.write(rows)
                    if report and (done % 10 == 0 or done == len(jobs)):
                        report(
                            f"drew, scored and stored {min(done * ORGANISATIONS_PER_JOB, len(orgs))} "
                            f"of {len(orgs)} organisations"
                        )
            connection.execute(
                AuditEntry.__table__.insert(),
                [
                    {
                        "at": writer.now,
                        "actor": UPLOADER,
                        "action": "benchmark_data_loaded",
                        "organisation_id": None,
                        "detail": {"organisations": len(orgs), "generator": GENERATOR_VERSION},
                    }
                ],
            )
    finally:
        store.close()


def counted(url: str) -> ScaleDatabase:
    """The sizes of the portfolio at `url`."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:

            def count(model: Any) -> int:
                return int(connection.scalar(select(func.count()).select_from(model)))

            return ScaleDatabase(
                url,
                count(Organisation),
                count(Assessment),
                count(SubmissionRecord),
                count(ResponseRecord),
            )
    finally:
        engine.dispose()


def cached_sqlite(
    directory: Path,
    organisations: int,
    workers: int,
    report: Report | None = None,
    grow_from: ScaleDatabase | None = None,
) -> ScaleDatabase:
    """The SQLite database of `organisations` demo organisations under `directory`, built if missing.

    With `grow_from` (a smaller one of the same generator), it is copied and only the
    organisations it lacks are added: the demo's organisations draw from streams of their
    own, so the first 2,000 of 20,000 are the 2,000.
    """
    path = directory / f"scale-{organisations}-v{GENERATOR_VERSION}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        if report:
            report(f"reusing {path}")
        return counted(url)
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in directory.glob(f"{partial.name}*"):
        stale.unlink()
    orgs = demo_organisations(DEFAULT_SEED, organisations)
    if grow_from is not None and grow_from.organisations <= organisations:
        shutil.copyfile(grow_from.url.removeprefix("sqlite:///"), partial)
        orgs = orgs[grow_from.organisations :]
    _fill(f"sqlite:///{partial}", orgs, workers, report)
    os.replace(partial, path)
    return counted(url)


def copy_to_postgres(source: ScaleDatabase, server_url: str, report: Report | None = None) -> ScaleDatabase:
    """The portfolio of `source` (SQLite) in a database of its own on the PostgreSQL server at `server_url`.

    The database is named after the size and generator version and reused when a copy
    finished before (it holds the size's audit entry); else it is made afresh with the
    app's migrations and filled with COPY, table by table.
    """
    name = f"capacity_bench_{source.organisations}_v{GENERATOR_VERSION}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        target_url = str(admin.url.set(database=name).render_as_string(hide_password=False))
        if exists and _complete(target_url, source):
            if report:
                report(f"reusing PostgreSQL database {name}")
            return counted(target_url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    open_store(target_url).close()  # the schema, by the app's migrations
    reader = create_engine(source.url)
    writer = create_engine(target_url)
    try:
        with reader.connect() as src, writer.begin() as dst:
            raw = dst.connection.driver_connection
            for table in _tables():
                copied = _copy_table(src, raw, table)
                if report and copied:
                    report(f"PostgreSQL: copied {copied} rows of {table.name}")
            _reset_sequences(dst)
            dst.execute(text("ANALYZE"))
    finally:
        reader.dispose()
        writer.dispose()
    return counted(target_url)


def _complete(url: str, source: ScaleDatabase) -> bool:
    try:
        return counted(url) == ScaleDatabase(
            url, source.organisations, source.assessments, source.submissions, source.responses
        )
    except Exception:  # a half-made database of an interrupted run: make it again
        return False


def _copy_table(src: Any, raw: Any, table: Table) -> int:
    """Stream one table from SQLite into PostgreSQL with COPY (JSON columns as JSON text)."""
    from psycopg.types.json import Jsonb

    names = [column.name for column in table.columns]
    json_columns = {
        n for n, c in zip(names, table.columns, strict=True) if c.type.__class__.__name__ == "JSON"
    }
    quoted = ", ".join(f'"{n}"' for n in names)
    count = 0
    result = src.execution_options(yield_per=INSERT_CHUNK).execute(select(table))
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in result:
            copy.write_row(
                [
                    Jsonb(value) if name in json_columns and value is not None else value
                    for name, value in zip(names, row, strict=True)
                ]
            )
            count += 1
    return count
