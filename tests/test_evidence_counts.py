"""Evidence counts kept with each result (migration 0009) equal counting them over every answer, as before.

The reference counts in plain Python over the rows the ORM reads (not a copy of the SQL
that keeps the counts): indicator results with a level, and among them those an active
file or an active review backs with a non-blank note. Both back ends, after uploads, a superseding
file, a deleted file, blank notes and reviews; and the migration's backfill of results
stored before it.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import select

from capacity.access import BOARD, CLI_ADMIN, Actor
from capacity.demo import demo_submissions
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer
from capacity.rounds.register import register_from_files
from capacity.store import open_store, portfolio_queries
from capacity.store.corrections import delete_submission, record_review
from capacity.store.db import _alembic_config
from capacity.store.ingest import ingest_submission
from capacity.store.models import (
    ACTIVE,
    AssessmentResultRecord,
    IndicatorResultRecord,
    ResponseRecord,
    Review,
    SubmissionRecord,
)
from tests.store_support import BACKENDS, fresh_database

ORGANISATIONS = 6
READER = Actor("board-member", BOARD)


def reference_coverage(store) -> pd.DataFrame:
    """The evidence coverage counted in Python over the stored rows, independently of the SQL that keeps it.

    Per result: its indicators with a level, and among them those for which an active
    file of the assessment, or an active review, holds a note that is not blank.
    """
    with store.read() as session:
        results = session.scalars(select(AssessmentResultRecord)).all()
        indicators = session.scalars(select(IndicatorResultRecord)).all()
        active = {
            s.id: s.assessment_id
            for s in session.scalars(select(SubmissionRecord)).all()
            if s.status == ACTIVE
        }
        noted = {
            (active[resp.submission_id], resp.code)
            for resp in session.scalars(select(ResponseRecord)).all()
            if resp.submission_id in active and (resp.evidence or "").strip()
        }
        noted |= {
            (review.assessment_id, review.code)
            for review in session.scalars(select(Review)).all()
            if review.superseded_at is None and (review.justification or "").strip()
        }
    answered: dict[int, int] = {}
    evidenced: dict[int, int] = {}
    for indicator in indicators:
        if indicator.level is not None:
            answered[indicator.assessment_id] = answered.get(indicator.assessment_id, 0) + 1
            evidenced[indicator.assessment_id] = evidenced.get(indicator.assessment_id, 0) + (
                (indicator.assessment_id, indicator.code) in noted
            )
    rows = sorted(
        (r.organisation_id, r.year, answered[r.assessment_id], evidenced[r.assessment_id])
        for r in results
        if r.assessment_id in answered
    )
    frame = pd.DataFrame(rows, columns=["organisation_id", "year", "answered", "evidenced"])
    # the dtypes `frame_of` gives these columns
    return frame.astype({"year": "Int64", "answered": "int64", "evidenced": "int64"})


def _blank_some_notes(submission, every: int):
    """The same questionnaire with every `every`-th note blank or only spaces (which count as no evidence)."""
    answers = {
        code: dataclasses.replace(answer, evidence=" " * (n % 2)) if n % every == 0 else answer
        for n, (code, answer) in enumerate(submission.answers.items())
    }
    return dataclasses.replace(submission, answers=answers)


def _populate(url: str):
    """A small demo portfolio, then the changes that move the counts: a new file, a deletion, reviews."""
    store = open_store(url)
    submissions = demo_submissions(organisations=ORGANISATIONS)
    register_from_files(store, CLI_ADMIN, submissions)
    stored = []
    for n, submission in enumerate(submissions):
        changed = _blank_some_notes(submission, 3 + n % 4)
        stored.append(ingest_submission(store, changed, f"file {n}".encode(), f"{n}.xlsx", CLI_ADMIN))
    first = submissions[0]
    # the same respondent again, with no notes at all: supersedes the first file
    silent = {code: dataclasses.replace(a, evidence="") for code, a in first.answers.items()}
    ingest_submission(store, dataclasses.replace(first, answers=silent), b"again", "again.xlsx", CLI_ADMIN)
    delete_submission(store, stored[3].submission_id, CLI_ADMIN, reason="test")
    other = submissions[10]
    code = next(iter(other.answers))
    record_review(store, other.organisation_id, other.year, code, 4, "Verified on site", CLI_ADMIN)
    # an evaluator file whose only note is on an indicator nobody else documented
    extra = dataclasses.replace(
        other,
        respondent_name="Visiting Evaluator",
        respondent_role=ROLE_EVALUATOR,
        answers={c: Answer(code=c, level=2, evidence="Seen" if c == code else "") for c in other.answers},
    )
    ingest_submission(store, extra, b"evaluator", "evaluator.xlsx", CLI_ADMIN)
    return store


@pytest.mark.parametrize("backend", BACKENDS)
def test_stored_counts_equal_counting_every_answer(backend, tmp_path) -> None:
    with fresh_database(backend, tmp_path) as url:
        store = _populate(url)
        try:
            kept = portfolio_queries.evidence_coverage(store, READER)
            counted = reference_coverage(store)
            assert len(kept) > ORGANISATIONS and kept["evidenced"].lt(kept["answered"]).any()
            pd.testing.assert_frame_equal(kept, counted)
        finally:
            store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_fills_the_counts_of_results_stored_before_it(backend, tmp_path) -> None:
    with fresh_database(backend, tmp_path) as url:
        store = _populate(url)
        try:
            expected = reference_coverage(store)
            with store.engine.begin() as connection:
                command.downgrade(_alembic_config(connection), "0008")  # as a database of release 0008
            with store.engine.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
            pd.testing.assert_frame_equal(portfolio_queries.evidence_coverage(store, READER), expected)
        finally:
            store.close()
