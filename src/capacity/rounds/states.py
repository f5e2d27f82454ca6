"""Where an organisation stands in a round, derived from what is stored and never typed by hand.

    not started → in progress → submitted → under review → verified
                  (late: past the deadline and not submitted)

The facts come from the store: respondents are the active questionnaires of the year,
"submitted" and "verified" are recorded events (a manager marked the self-assessment
complete; an evaluator signed it off), "under review" means an evaluator has started on
a submitted assessment (a review recorded or an evaluator questionnaire stored). A
reopening (`REOPENED`) cancels earlier marks, so a state can go back without deleting
anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from capacity.i18n import N_

NOT_STARTED, IN_PROGRESS, SUBMITTED, UNDER_REVIEW, VERIFIED, LATE = (
    "not_started",
    "in_progress",
    "submitted",
    "under_review",
    "verified",
    "late",
)
STATES = (NOT_STARTED, IN_PROGRESS, SUBMITTED, UNDER_REVIEW, VERIFIED, LATE)
STATE_LABELS = {
    NOT_STARTED: N_("not started"),
    IN_PROGRESS: N_("in progress"),
    SUBMITTED: N_("submitted"),
    UNDER_REVIEW: N_("under review"),
    VERIFIED: N_("verified"),
    LATE: N_("late"),
}
# The funnel's steps: how many expected organisations reached at least each one.
FUNNEL = (
    ("expected", N_("Expected")),
    (IN_PROGRESS, N_("Started")),
    (SUBMITTED, N_("Submitted")),
    (UNDER_REVIEW, N_("Under review")),
    (VERIFIED, N_("Verified")),
)

# Recorded events (table round_events).
MARKED_SUBMITTED, SIGNED_OFF, REOPENED = "submitted", "verified", "reopened"
EVENT_KINDS = (MARKED_SUBMITTED, SIGNED_OFF, REOPENED)


@dataclass(frozen=True)
class Facts:
    """What the store says about one organisation's assessment year."""

    respondents: int = 0  # active questionnaires
    evaluator_questionnaires: int = 0
    reviewed_indicators: int = 0
    submitted_at: dt.datetime | None = None  # the self-assessment marked complete (since any reopening)
    verified_at: dt.datetime | None = None  # signed off (since any reopening)


def current_marks(events: list[tuple[str, dt.datetime]]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The submitted and verified times still standing after the events, given in recorded order.

    Recorded order (the events' ids), not their times: two events may share a timestamp.
    A reopening clears both; a sign-off counts only once the self-assessment is marked
    complete (the library refuses it otherwise, this keeps the rule if data disagree).
    """
    submitted: dt.datetime | None = None
    verified: dt.datetime | None = None
    for kind, at in events:
        if kind == REOPENED:
            submitted = verified = None
        elif kind == MARKED_SUBMITTED and submitted is None:
            submitted = at
        elif kind == SIGNED_OFF and submitted is not None:
            verified = at
    return submitted, verified


def derive_state(facts: Facts, deadline: dt.date, today: dt.date) -> str:
    """The organisation's state on `today` in a round with `deadline` (see the module docstring)."""
    if facts.verified_at is not None:
        return VERIFIED
    if facts.submitted_at is not None:
        if facts.reviewed_indicators > 0 or facts.evaluator_questionnaires > 0:
            return UNDER_REVIEW
        return SUBMITTED
    if today > deadline:
        return LATE
    return IN_PROGRESS if facts.respondents > 0 else NOT_STARTED
