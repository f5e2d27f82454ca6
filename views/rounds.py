"""Rounds: who is expected this year, where each organisation stands, and what a manager still lacks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from capacity import access
from capacity.i18n import format_date, format_number, format_utc_minute
from capacity.rounds import register, rounds, states
from capacity.rounds.checklist import checklist
from capacity.rounds.figures import funnel_figure
from ui import data
from ui.failures import reported_failures
from ui.language import current_language, t
from ui.session import require_page
from ui.text import plain

lang = current_language()
_ = t()
# The state table grows with its rows (GRID_ROW pixels each under the header) up to GRID_MAX_ROWS.
GRID_HEADER, GRID_ROW, GRID_MAX_ROWS = 38, 35, 60
actor = require_page(access.VIEW_ROUNDS)
store = data.store()

st.title(_("Rounds"))
st.caption(
    _(
        "An assessment round expects organisations to answer by a deadline. Each organisation's state "
        "follows from what is stored: questionnaires, the self-assessment marked complete, reviews and "
        "the evaluator's sign-off."
    )
)


def _act(action, *args, done: str) -> None:
    """Run a library action for the signed-in person; show its refusal instead of failing."""
    with reported_failures():
        action(store, actor, *args)
        st.session_state["rounds_done"] = done
        st.rerun()


if done := st.session_state.pop("rounds_done", None):
    st.success(done, icon=":material/check_circle:")

found = rounds.list_rounds(store, actor)
can_manage = access.is_allowed(actor, access.MANAGE_ROUNDS)

if can_manage:
    with st.expander(_("Open a round"), expanded=not found), st.form("open_round"):
        columns = st.columns(2)
        year = columns[0].number_input(
            _("Assessment year"), min_value=2000, max_value=2100, value=dt.date.today().year, step=1
        )
        deadline = columns[1].date_input(_("Deadline"), value=None, format="YYYY-MM-DD")
        active = register.list_organisations(store, actor, include_archived=False)
        chosen = st.multiselect(
            _("Organisations expected (none chosen: every active organisation)"),
            [entry.id for entry in active],
            placeholder=_("Every active organisation"),
        )
        if st.form_submit_button(_("Open the round")):
            if deadline is None:
                st.error(_("Give the round a deadline."))
            else:
                _act(
                    rounds.open_round,
                    int(year),
                    deadline,
                    chosen or None,
                    done=_("Round {year} opened.", year=int(year)),
                )

if not found:
    st.info(_("No round has been opened yet."), icon=":material/event_busy:")
    st.stop()

years = [info.year for info in found]
default_year = next((info.year for info in found if info.is_open), years[0])
year = st.selectbox(
    _("Round"),
    years,
    index=years.index(default_year),
    key="rounds_year",
    format_func=lambda value: (
        _("{year} (open)", year=value)
        if next(info for info in found if info.year == value).is_open
        else _("{year} (closed)", year=value)
    ),
)
info = next(item for item in found if item.year == year)
statuses = rounds.round_status(store, actor, year)
if info.is_open:
    st.write(
        _(
            "Open, deadline {deadline}. Framework {framework}, roadmap {roadmap}.",
            deadline=format_date(info.deadline, lang),
            framework=info.framework_version,
            roadmap=info.roadmap_version,
        )
    )
else:
    st.write(
        _(
            "Closed on {closed} (deadline was {deadline}): frozen, later uploads need an administrator "
            "and count as late. Framework {framework}, roadmap {roadmap}.",
            closed=format_date(info.closed_at.date() if info.closed_at else None, lang),
            deadline=format_date(info.deadline, lang),
            framework=info.framework_version,
            roadmap=info.roadmap_version,
        )
    )

if actor.role == access.MANAGER:
    # A manager's view: their own organisations' checklists and the button to submit.
    if not statuses:
        st.info(_("This round does not expect any of your organisations."), icon=":material/info:")
    for status in statuses:
        st.subheader(plain(f"{status.name} ({status.organisation_id})"), anchor=False)
        st.write(_("State: {state}", state=_(states.STATE_LABELS[status.state])))
        items = checklist(store, actor, status.organisation_id, year)
        missing = []
        if items.self_respondents == 0:
            missing.append(_("No self-assessment questionnaire is stored yet."))
        if items.blank:
            missing.append(_("Indicators no questionnaire answers: {codes}", codes=", ".join(items.blank)))
        if items.without_evidence:
            missing.append(
                _(
                    "Levels of 1 or more without evidence: {codes}",
                    codes=", ".join(items.without_evidence),
                )
            )
        st.write(
            _(
                "Self-assessment questionnaires: {self}; evaluator questionnaires: {evaluator}.",
                self=items.self_respondents,
                evaluator=items.evaluator_respondents,
            )
        )
        if missing:
            for line in missing:
                st.text("• " + line)
        else:
            st.success(_("Nothing is missing."), icon=":material/task_alt:")
        if status.submitted_at is None and info.is_open:
            if st.button(
                _("Mark the self-assessment complete"),
                key=f"submit_{status.organisation_id}",
                disabled=items.self_respondents == 0,
            ):
                _act(
                    rounds.mark_submitted,
                    status.organisation_id,
                    year,
                    done=_(
                        "{organisation}: self-assessment marked complete.",
                        organisation=status.organisation_id,
                    ),
                )
        elif status.submitted_at is not None:
            st.caption(_("Marked complete on {date}.", date=format_date(status.submitted_at.date(), lang)))
    st.stop()

steps = rounds.funnel(statuses)
st.subheader(_("Completion"), anchor=False)
st.plotly_chart(funnel_figure(steps, lang), config={"displaylogo": False}, key="rounds_funnel")
st.caption(
    " · ".join(
        f"{_(label)}: {format_number(count, lang, 0)}"
        for (step, count), (_step, label) in zip(steps, states.FUNNEL, strict=True)
    )
)

st.subheader(_("Organisations"), anchor=False)
shown_states = st.multiselect(
    _("State"),
    list(states.STATES),
    key="rounds_states",
    format_func=lambda state: _(states.STATE_LABELS[state]),
    placeholder=_("All"),
)
table = pd.DataFrame(
    [
        {
            "organisation_id": s.organisation_id,
            "name": s.name,
            "state": _(states.STATE_LABELS[s.state]),
            "respondents": s.respondents,
            "last_upload": format_utc_minute(s.last_upload),
            "reviewed_indicators": s.reviewed_indicators,
            "verified_at": format_utc_minute(s.verified_at),
            "late_uploads": s.late_uploads,
        }
        for s in statuses
        if not shown_states or s.state in shown_states
    ],
    columns=[
        "organisation_id",
        "name",
        "state",
        "respondents",
        "last_upload",
        "reviewed_indicators",
        "verified_at",
        "late_uploads",
    ],
)
st.dataframe(
    table,
    hide_index=True,
    key="rounds_table",
    # every organisation of a usual round without a scroll inside the page; a very large one scrolls
    height=GRID_HEADER + GRID_ROW * min(max(len(table), 1), GRID_MAX_ROWS),
    column_config={
        "organisation_id": _("ID"),
        "name": _("Organisation"),
        "state": _("State"),
        "respondents": st.column_config.NumberColumn(_("Respondents")),
        "last_upload": _("Last upload (UTC)"),
        "reviewed_indicators": st.column_config.NumberColumn(_("Reviewed indicators")),
        "verified_at": _("Verified (UTC)"),
        "late_uploads": st.column_config.NumberColumn(_("Uploads after closing")),
    },
)

if can_manage:
    waiting = [s for s in statuses if s.state in (states.NOT_STARTED, states.IN_PROGRESS, states.LATE)]
    st.subheader(_("Not yet submitted: whom to remind"), anchor=False)
    contacts = rounds.reminder_contacts(store, actor, waiting)
    if contacts:
        st.caption(_("The managers of the organisations not yet submitted; copy the list with the button."))
        st.code("; ".join(contacts), language=None)
    elif waiting:
        st.caption(_("No manager account is tied to the organisations not yet submitted."))
    else:
        st.caption(_("Every expected organisation has submitted."))

if access.is_allowed(actor, access.VERIFY):
    ready = [s.organisation_id for s in statuses if s.state in (states.SUBMITTED, states.UNDER_REVIEW)]
    st.subheader(_("Sign off"), anchor=False)
    if ready and (info.is_open or access.is_allowed(actor, access.UPLOAD_LATE)):
        columns = st.columns([3, 1, 1], vertical_alignment="bottom")
        chosen_id = columns[0].selectbox(_("Submitted organisation"), ready, key="rounds_sign_off_org")
        if columns[1].button(_("Sign off"), key="rounds_sign_off", type="primary"):
            _act(
                rounds.sign_off,
                chosen_id,
                year,
                done=_("{organisation}: verified.", organisation=plain(chosen_id)),
            )
        if columns[2].button(_("Send back"), key="rounds_reopen"):
            _act(
                rounds.reopen,
                chosen_id,
                year,
                done=_("{organisation}: sent back to the organisation.", organisation=plain(chosen_id)),
            )
    else:
        st.caption(_("No submitted organisation is waiting for a sign-off."))

if can_manage and info.is_open:
    st.subheader(_("Close the round"), anchor=False)
    st.caption(
        _(
            "Closing freezes the round: states stay as they are today, and later uploads for {year} "
            "need an administrator and count as late.",
            year=year,
        )
    )
    if st.button(_("Close the {year} round", year=year), key="rounds_close"):
        _act(rounds.close_round, year, done=_("Round {year} closed.", year=year))
