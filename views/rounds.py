"""Rounds: who is expected this year, where each organisation stands, and what a manager still lacks."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from capacity import access
from capacity.rounds import register, rounds, states, view
from capacity.rounds.figures import funnel_figure
from ui import data
from ui.failures import reported_failures
from ui.language import current_language, t
from ui.rounds_checklist import manager_checklists
from ui.session import require_page
from ui.tables import grid_height, labelled_table, number_column
from ui.text import plain

lang = current_language()
_ = t()
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

by_year = {info.year: info for info in found}
years = list(by_year)
year = st.selectbox(
    _("Round"),
    years,
    index=years.index(view.default_year(found)),
    key="rounds_year",
    format_func=lambda value: view.round_label(by_year[value], lang),
)
info = by_year[year]
statuses = rounds.round_status(store, actor, year)
st.write(view.round_summary(info, lang))

if actor.role == access.MANAGER:
    manager_checklists(store, actor, info, statuses, _act, lang)
    st.stop()

steps = rounds.funnel(statuses)
st.subheader(_("Completion"), anchor=False)
st.plotly_chart(funnel_figure(steps, lang), config={"displaylogo": False}, key="rounds_funnel")
st.caption(view.funnel_caption(steps, lang))

st.subheader(_("Organisations"), anchor=False)
shown_states = st.multiselect(
    _("State"),
    list(states.STATES),
    key="rounds_states",
    format_func=lambda state: _(states.STATE_LABELS[state]),
    placeholder=_("All"),
)
table = view.state_table(statuses, shown_states, lang)
labelled_table(
    table,
    view.STATE_COLUMNS,
    kinds=dict.fromkeys(view.COUNT_COLUMNS, number_column),
    key="rounds_table",
    height=grid_height(len(table)),  # every organisation of a usual round without a scroll inside the page
)

if can_manage:
    waiting = view.waiting(statuses)
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
    ready = view.ready(statuses)
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
