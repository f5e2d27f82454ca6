"""The demo's rounds: a closed past round and an open current one with organisations in every state.

Two newly joined fictional members enter the register without files. Called once the
demo questionnaires are stored (`capacity.demo.ingest_demo_if_empty`), so
`make run` shows the whole cycle at once: in the current round some organisations have
not started, some are in progress, some submitted, some under review and some verified;
the closed past round shows verified organisations and late ones (a deadline can only
have passed in a round whose deadline is behind us). Every step goes through the same
library calls as a person's, as the system account, so it is all on the audit trail.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from capacity.access import SYSTEM
from capacity.questionnaire.layout import ROLE_SELF
from capacity.rounds import register, rounds
from capacity.store.corrections import record_review
from capacity.store.db import Store
from capacity.store.models import ACTIVE, Assessment, ResponseRecord, SubmissionRecord

PAST_DEADLINE = (6, 30)  # month, day of the past round's deadline
CURRENT_WEEKS = 8  # the current round's deadline is this many weeks after the demo is loaded
SIGNED_OFF_SHARE = 5  # in the past round, all but every SIGNED_OFF_SHARE-th submitted one is verified
# Fictional members that joined after the past round and have not uploaded yet: the
# current round's "not started" (every other demo organisation has this year's files).
NEWCOMERS = (
    ("NGO-VAL-02", "Valdoria Open Door Relief", "ngo", "Valdoria", "Americas"),
    ("FDN-NOR-02", "Norhaven Bridges Foundation", "foundation", "Norhaven", "Europe"),
)


def _self_assessed(store: Store, year: int) -> list[str]:
    """Organisations with an active self-assessment questionnaire in `year`, by ID."""
    with store.read() as session:
        return sorted(
            set(
                session.scalars(
                    select(Assessment.organisation_id)
                    .join(SubmissionRecord, SubmissionRecord.assessment_id == Assessment.id)
                    .where(
                        Assessment.year == year,
                        SubmissionRecord.status == ACTIVE,
                        SubmissionRecord.respondent_role == ROLE_SELF,
                    )
                )
            )
        )


def _years(store: Store) -> list[int]:
    with store.read() as session:
        return sorted(set(session.scalars(select(Assessment.year))))


def _first_answer(store: Store, organisation_id: str, year: int) -> tuple[str, int] | None:
    """An indicator and the level a self-assessment gave it (the evaluator's review confirms it)."""
    with store.read() as session:
        row = session.execute(
            select(ResponseRecord.code, ResponseRecord.level)
            .join(SubmissionRecord, SubmissionRecord.id == ResponseRecord.submission_id)
            .join(Assessment, Assessment.id == SubmissionRecord.assessment_id)
            .where(
                Assessment.organisation_id == organisation_id,
                Assessment.year == year,
                SubmissionRecord.status == ACTIVE,
                ResponseRecord.level.is_not(None),
            )
            .order_by(ResponseRecord.code)
            .limit(1)
        ).first()
    return (row.code, row.level) if row else None


def open_demo_rounds(store: Store, today: dt.date | None = None) -> None:
    """Open and fill the demo's rounds (nothing if the store holds no questionnaire or already a round)."""
    today = today or dt.datetime.now(dt.UTC).date()
    years = _years(store)
    if not years or rounds.list_rounds(store, SYSTEM):
        return
    past = [year for year in years if year < today.year]
    if past:
        year = past[-1]
        rounds.open_round(store, SYSTEM, year, dt.date(year, *PAST_DEADLINE))
        for number, organisation_id in enumerate(_self_assessed(store, year)):
            rounds.mark_submitted(store, SYSTEM, organisation_id, year)
            if number % SIGNED_OFF_SHARE:
                rounds.sign_off(store, SYSTEM, organisation_id, year)
        rounds.close_round(store, SYSTEM, year)
    existing = {entry.id for entry in register.list_organisations(store, SYSTEM)}
    for organisation_id, name, kind, country, region in NEWCOMERS:
        if organisation_id not in existing:
            register.add_organisation(store, SYSTEM, organisation_id, name, kind, country, region)
    year = today.year
    rounds.open_round(store, SYSTEM, year, today + dt.timedelta(weeks=CURRENT_WEEKS))
    # Organisations without a questionnaire this year have not started; of the others a
    # quarter each stays in progress, is submitted, is under review, is verified.
    for number, organisation_id in enumerate(_self_assessed(store, year)):
        step = number % 4
        if step == 0:
            continue
        rounds.mark_submitted(store, SYSTEM, organisation_id, year)
        if step == 2:
            answer = _first_answer(store, organisation_id, year)
            if answer is not None:
                code, level = answer
                record_review(store, organisation_id, year, code, level, "Evidence seen (demo).", SYSTEM)
        elif step == 3:
            rounds.sign_off(store, SYSTEM, organisation_id, year)
