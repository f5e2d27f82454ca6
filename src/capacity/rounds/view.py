"""The Rounds page's words and tables, shaped from the round's records in the reader's language.

Kept apart from the page so that which round it opens on, what a manager still lacks, who
waits to be reminded and who to be signed off are decided once and tested without a browser.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from capacity.i18n import N_, format_date, format_number, format_utc_minute, translator
from capacity.rounds import states
from capacity.rounds.checklist import Checklist
from capacity.rounds.rounds import OrganisationStatus, RoundInfo

WAITING = (states.NOT_STARTED, states.IN_PROGRESS, states.LATE)  # not yet submitted: to remind
READY = (states.SUBMITTED, states.UNDER_REVIEW)  # submitted: to sign off or send back
STATE_COLUMNS = {
    "organisation_id": N_("ID"),
    "name": N_("Organisation"),
    "state": N_("State"),
    "respondents": N_("Respondents"),
    "last_upload": N_("Last upload (UTC)"),
    "reviewed_indicators": N_("Reviewed indicators"),
    "verified_at": N_("Verified (UTC)"),
    "late_uploads": N_("Uploads after closing"),
}
COUNT_COLUMNS = ("respondents", "reviewed_indicators", "late_uploads")


def default_year(found: Sequence[RoundInfo]) -> int:
    """The round the page opens on: the open one, else the first listed (the latest)."""
    return next((info.year for info in found if info.is_open), found[0].year)


def round_label(info: RoundInfo, lang: str) -> str:
    """'2026 (open)' or '2026 (closed)' for the round picker."""
    t = translator(lang)
    return t("{year} (open)", year=info.year) if info.is_open else t("{year} (closed)", year=info.year)


def round_summary(info: RoundInfo, lang: str) -> str:
    """One sentence on the round: open with its deadline, or closed and frozen; its versions."""
    t = translator(lang)
    if info.is_open:
        return t(
            "Open, deadline {deadline}. Framework {framework}, roadmap {roadmap}.",
            deadline=format_date(info.deadline, lang),
            framework=info.framework_version,
            roadmap=info.roadmap_version,
        )
    return t(
        "Closed on {closed} (deadline was {deadline}): frozen, later uploads need an administrator "
        "and count as late. Framework {framework}, roadmap {roadmap}.",
        closed=format_date(info.closed_at.date() if info.closed_at else None, lang),
        deadline=format_date(info.deadline, lang),
        framework=info.framework_version,
        roadmap=info.roadmap_version,
    )


def missing_lines(items: Checklist, lang: str) -> list[str]:
    """What a manager's checklist still lacks, one sentence each; empty when nothing is missing."""
    t = translator(lang)
    missing = []
    if items.self_respondents == 0:
        missing.append(t("No self-assessment questionnaire is stored yet."))
    if items.blank:
        missing.append(t("Indicators no questionnaire answers: {codes}", codes=", ".join(items.blank)))
    if items.without_evidence:
        missing.append(
            t("Levels of 1 or more without evidence: {codes}", codes=", ".join(items.without_evidence))
        )
    return missing


def funnel_caption(steps: Sequence[tuple[str, int]], lang: str) -> str:
    """The funnel's counts in words ('Expected: 28 · Started: 20 …'), for readers who skip the chart."""
    t = translator(lang)
    return " · ".join(
        f"{t(label)}: {format_number(count, lang, 0)}"
        for (_step, count), (_funnel_step, label) in zip(steps, states.FUNNEL, strict=True)
    )


def state_table(statuses: Sequence[OrganisationStatus], shown: Collection[str], lang: str) -> pd.DataFrame:
    """One row per organisation in a `shown` state (none shown: every state), columns STATE_COLUMNS."""
    t = translator(lang)
    return pd.DataFrame(
        [
            {
                "organisation_id": s.organisation_id,
                "name": s.name,
                "state": t(states.STATE_LABELS[s.state]),
                "respondents": s.respondents,
                "last_upload": format_utc_minute(s.last_upload),
                "reviewed_indicators": s.reviewed_indicators,
                "verified_at": format_utc_minute(s.verified_at),
                "late_uploads": s.late_uploads,
            }
            for s in statuses
            if not shown or s.state in shown
        ],
        columns=list(STATE_COLUMNS),
    )


def waiting(statuses: Sequence[OrganisationStatus]) -> list[OrganisationStatus]:
    """The organisations not yet submitted, whose managers to remind."""
    return [s for s in statuses if s.state in WAITING]


def ready(statuses: Sequence[OrganisationStatus]) -> list[str]:
    """The IDs of the organisations submitted and waiting for a sign-off."""
    return [s.organisation_id for s in statuses if s.state in READY]
