"""The Rounds page's words and tables (`capacity.rounds.view`), without a browser."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from capacity.i18n import LANGUAGES, translator
from capacity.rounds import states, view
from capacity.rounds.checklist import Checklist
from capacity.rounds.rounds import OrganisationStatus, RoundInfo

AT = dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC)
OPEN = RoundInfo(2026, dt.date(2026, 6, 30), True, "1.0.0", "1.0.0", "admin", AT, None, None, ("A", "B"))
CLOSED = dataclasses.replace(OPEN, year=2025, closed_by="admin", closed_at=AT)


def status(organisation_id: str, state: str, **changes) -> OrganisationStatus:
    values = {
        "organisation_id": organisation_id,
        "name": f"Org {organisation_id}",
        "state": state,
        "respondents": 2,
        "last_upload": AT,
        "reviewed_indicators": 3,
        "submitted_at": None,
        "verified_at": None,
        "late_uploads": 0,
        "managers": (),
    }
    return OrganisationStatus(**(values | changes))


STATUSES = [status(str(n), state) for n, state in enumerate(states.STATES)]


def test_the_page_opens_on_the_open_round_else_the_first() -> None:
    assert view.default_year([CLOSED, OPEN]) == 2026
    assert view.default_year([CLOSED, dataclasses.replace(CLOSED, year=2024)]) == 2025


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_round_says_whether_it_is_open(lang: str) -> None:
    t = translator(lang)
    assert view.round_label(OPEN, lang) == t("{year} (open)", year=2026)
    assert view.round_label(CLOSED, lang) == t("{year} (closed)", year=2025)
    assert "1.0.0" in view.round_summary(OPEN, lang) and "1.0.0" in view.round_summary(CLOSED, lang)
    assert view.round_summary(OPEN, lang) != view.round_summary(CLOSED, lang)


def test_the_checklist_lists_what_is_missing_and_nothing_when_complete() -> None:
    complete = Checklist("A", 2026, 1, 1, (), ())
    assert view.missing_lines(complete, "en") == []
    lacking = Checklist("A", 2026, 0, 0, ("IC.1", "IC.2"), ("PA.3",))
    assert view.missing_lines(lacking, "en") == [
        "No self-assessment questionnaire is stored yet.",
        "Indicators no questionnaire answers: IC.1, IC.2",
        "Levels of 1 or more without evidence: PA.3",
    ]


def test_the_funnel_caption_names_each_step_with_its_count() -> None:
    steps = [(step, 10 - n) for n, (step, _label) in enumerate(states.FUNNEL)]
    assert view.funnel_caption(steps, "en") == (
        "Expected: 10 · Started: 9 · Submitted: 8 · Under review: 7 · Verified: 6"
    )


def test_the_state_table_keeps_the_shown_states_and_writes_missing_times_as_a_dash() -> None:
    everything = view.state_table(STATUSES, [], "en")
    assert list(everything.columns) == list(view.STATE_COLUMNS) and len(everything) == len(STATUSES)
    assert everything["last_upload"].iloc[0] == "2026-03-04 05:06"
    assert everything["verified_at"].iloc[0] == "–"
    late = view.state_table(STATUSES, [states.LATE], "en")
    assert late["state"].tolist() == ["late"]
    assert list(view.state_table([], [], "en").columns) == list(view.STATE_COLUMNS)  # headings even empty


def test_waiting_and_ready_split_the_organisations_by_what_they_need() -> None:
    assert {s.state for s in view.waiting(STATUSES)} == {states.NOT_STARTED, states.IN_PROGRESS, states.LATE}
    ready = view.ready(STATUSES)
    assert [s.state for s in STATUSES if s.organisation_id in ready] == list(view.READY)
