"""The profile's improvement plan: the actions next to the gaps, and the forms that record them.

Everything shown comes from `capacity.plans` (figures included); every write goes through
`capacity.plans.actions`, which checks the role and writes the audit entry. Who sees a form
is only a convenience: the library refuses what the role does not allow. Text people typed
(actions, owners, notes) is only ever shown in tables, never as markdown.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from capacity import access
from capacity.access import Actor
from capacity.framework import LEVELS
from capacity.i18n import N_, format_date, format_number, format_percent, tn
from capacity.labels import format_change
from capacity.plans import actions as plan
from capacity.plans.report import OrganisationPlan, PortfolioFigures, organisation_plan, portfolio_figures
from ui import data
from ui.failures import reported_failures
from ui.language import t
from ui.tables import labelled_table

NOTE_COLUMNS = {"date": N_("Date"), "kind": N_("Note"), "author": N_("By"), "text": N_("Text")}
DEFAULT_DUE_DAYS = 180  # a first due date half a year out; the manager changes it


@st.cache_data(max_entries=data.CACHE_ENTRIES * 4, show_spinner=False)
def _plan(
    url: str, data_version: str, actor: tuple[str, str, tuple[str, ...]], organisation_id: str, lang: str
) -> OrganisationPlan:
    username, role, organisations = actor
    return organisation_plan(
        data.store(), Actor(username, role, frozenset(organisations)), organisation_id, lang
    )


def plan_of(actor: Actor, organisation_id: str, lang: str) -> OrganisationPlan:
    """The organisation's plan with its figures, cached until the data version changes (any plan change)."""
    key = (actor.username, actor.role, tuple(sorted(actor.organisations)))
    return _plan(data.store().url, data.version(), key, organisation_id, lang)


def _before_after(before: float | None, after: float | None, after_year: int | None, lang: str) -> str:
    if after is None:
        return f"{format_number(before, lang, 1)} → …"
    return f"{format_number(before, lang, 1)} → {format_number(after, lang, 1)} ({after_year})"


def _reached(reached: bool | None) -> str:
    _ = t()
    return "–" if reached is None else _("yes") if reached else _("no")


def _done(message: str) -> None:
    st.toast(message, icon=":material/check_circle:")
    st.rerun()


def show(actor: Actor, organisation_id: str, year: int, gaps: pd.DataFrame, lang: str) -> None:
    """The plan section of the profile for `organisation_id`, whose `year` round is on screen."""
    _ = t()
    st.subheader(_("Improvement plan"))
    st.caption(
        _(
            "What the organisation committed to do about its gaps: each action names an indicator, "
            "an owner, a due date and the level it aims for. Once the next round is scored, each "
            "action shows its indicator's level before → after and whether it reached the aim."
        )
    )
    found = plan_of(actor, organisation_id, lang)
    actions = found.actions
    if actions.empty:
        st.info(_("No action has been planned yet."), icon=":material/assignment:")
    else:
        shown = pd.DataFrame(
            {
                "round": actions["year"].astype(str),
                "indicator": actions["code"] + " · " + actions["title"],
                "action": actions["action"],
                "owner": actions["owner"],
                "due": [format_date(d, lang) for d in actions["due_date"]],
                "target": actions["target_level"],
                "status": [_(plan.STATUS_LABELS[s]) for s in actions["status"]],
                "before_after": [
                    _before_after(*row, lang)
                    for row in zip(actions["before"], actions["after"], actions["after_year"], strict=True)
                ],
                "reached": [_reached(r) for r in actions["reached"]],
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            key="plan_table",
            column_config={
                "round": st.column_config.TextColumn(_("Round"), width="small"),
                "indicator": st.column_config.TextColumn(_("Indicator"), width="medium"),
                "action": st.column_config.TextColumn(_("What will be done"), width="medium"),
                "owner": st.column_config.TextColumn(_("Owner"), width="small"),
                "due": _("Due"),
                "target": st.column_config.NumberColumn(_("Aimed level"), format="%d", width="small"),
                "status": st.column_config.TextColumn(_("Status"), width="small"),
                "before_after": st.column_config.TextColumn(
                    _("Level before → after"),
                    help=_(
                        "The indicator's level in the action's round and in the next round (… until scored)."
                    ),
                ),
                "reached": st.column_config.TextColumn(_("Aim reached"), width="small"),
            },
        )
        _follow_up(actor, organisation_id, found, lang)
    if not access.is_allowed(actor, access.PLAN, organisation_id):
        return
    latest = data.organisation_results(actor, organisation_id)[-1].year
    if year == latest or access.is_allowed(actor, access.BACKFILL_PLAN, organisation_id):
        _add_form(actor, organisation_id, year, gaps, lang)
    else:
        st.caption(
            _("New actions answer the latest round's gaps: choose {latest} above to add one.", latest=latest)
        )


def _follow_up(actor: Actor, organisation_id: str, found: OrganisationPlan, lang: str) -> None:
    """Per action: its notes, and the form to move it along (planners) or to comment (evaluators)."""
    _ = t()
    kind = plan.note_kind(actor, organisation_id)
    for row in found.actions.itertuples(index=False):
        label = f"#{row.action_id} · {row.year} · {row.code} · {_(plan.STATUS_LABELS[row.status])}"
        with st.expander(label):
            notes = found.notes[found.notes["action_id"] == row.action_id]
            if notes.empty:
                st.caption(_("No notes yet."))
            else:
                labelled_table(
                    pd.DataFrame(
                        {
                            "date": [format_date(at.date(), lang) for at in notes["created_at"]],
                            "kind": [_(plan.NOTE_LABELS[k]) for k in notes["kind"]],
                            "author": notes["author"],
                            "text": notes["text"],
                        }
                    ),
                    NOTE_COLUMNS,
                )
            if kind is None:
                continue
            with st.form(f"plan_follow_{row.action_id}", clear_on_submit=True):
                status = row.status
                if kind == plan.PROGRESS:
                    status = st.selectbox(
                        _("Status"),
                        plan.STATUSES,
                        index=plan.STATUSES.index(row.status),
                        format_func=lambda key: _(plan.STATUS_LABELS[key]),
                        key=f"plan_status_{row.action_id}",
                    )
                text = st.text_area(
                    _("Progress note") if kind == plan.PROGRESS else _("Comment"),
                    key=f"plan_note_{row.action_id}",
                    max_chars=plan.MAX_TEXT,
                )
                if st.form_submit_button(_("Save")):
                    with reported_failures():
                        if status != row.status:
                            plan.update_action(data.store(), actor, row.action_id, status=status)
                        if text.strip():
                            plan.add_note(data.store(), actor, row.action_id, text, kind)
                        _done(_("Saved."))


def _add_form(actor: Actor, organisation_id: str, year: int, gaps: pd.DataFrame, lang: str) -> None:
    """Turn one of the round's priorities into an action."""
    _ = t()
    if gaps.empty:
        return
    choices = {row.code: row for row in gaps.itertuples(index=False)}
    with st.form("plan_add", clear_on_submit=True):
        st.markdown(_("**Add an action for a priority of {year}**", year=year))
        code = st.selectbox(
            _("Indicator"),
            list(choices),
            format_func=lambda key: f"{key} · {choices[key].title}",
            key=f"plan_add_code_{lang}",  # per language: a keyed widget keeps its first labels
        )
        action = st.text_area(_("What will be done"), max_chars=plan.MAX_TEXT, key="plan_add_action")
        left, middle, right = st.columns(3)
        owner = left.text_input(_("Owner"), max_chars=plan.MAX_OWNER, key="plan_add_owner")
        due = middle.date_input(
            _("Due"), value=dt.date.today() + dt.timedelta(days=DEFAULT_DUE_DAYS), key="plan_add_due"
        )
        target = right.selectbox(
            _("Aimed level"),
            LEVELS[1:],
            index=None,
            placeholder=_("The next level"),
            key="plan_add_target",
        )
        if st.form_submit_button(_("Add to the plan"), type="primary"):
            aimed = target if target is not None else int(choices[code].next_level)
            with reported_failures():
                plan.add_action(data.store(), actor, organisation_id, year, code, action, owner, due, aimed)
                _done(_("Action added to the plan."))


@st.cache_data(max_entries=data.CACHE_ENTRIES, show_spinner=False)
def _portfolio_figures(
    url: str, data_version: str, actor: tuple[str, str, tuple[str, ...]], as_of: dt.date
) -> PortfolioFigures:
    username, role, organisations = actor
    return portfolio_figures(data.store(), Actor(username, role, frozenset(organisations)), as_of)


def show_portfolio(actor: Actor, lang: str) -> None:
    """The Roadmap page's section: the plans of every organisation the actor's dashboards show."""
    _ = t()
    st.subheader(_("Improvement plans: done on time, and what changed"))
    key = (actor.username, actor.role, tuple(sorted(actor.organisations)))
    figures = _portfolio_figures(data.store().url, data.version(), key, dt.date.today())
    if not figures.actions:
        st.info(_("No organisation has planned an action yet."), icon=":material/assignment:")
        return
    st.caption(
        tn("{n} organisation has a plan.", "{n} organisations have a plan.", figures.organisations, lang)
        + " "
        + _(
            "Actions: {planned} planned, {in_progress} in progress, {done} done, {dropped} dropped.",
            **figures.by_status,
        )
    )
    comparison = figures.comparison
    columns = st.columns(3)
    columns[0].metric(
        _("Done on time"),
        format_percent(figures.on_time.share, lang),
        border=True,
        help=_(
            "Of the {settled} actions that are done, dropped or past their due date, the share done by "
            "their due date.",
            settled=figures.on_time.settled,
        ),
    )
    columns[1].metric(
        _("Change with a completed action"),
        format_change(comparison.with_mean, lang, 2) or "–",
        border=True,
        help=tn(
            "Mean change of level to the next round, over {n} indicator with a completed action.",
            "Mean change of level to the next round, over {n} indicators with a completed action.",
            comparison.with_count,
            lang,
        ),
    )
    columns[2].metric(
        _("Change without one"),
        format_change(comparison.without_mean, lang, 2) or "–",
        border=True,
        help=tn(
            "Mean change of level over {n} other indicator of the same organisations and rounds.",
            "Mean change of level over {n} other indicators of the same organisations and rounds.",
            comparison.without_count,
            lang,
        ),
    )
    st.warning(
        _(
            "This is not proof that the actions caused the change. Organisations choose which gaps to "
            "work on, a level can move for many reasons, and the groups are small. Read the difference "
            "as a question to ask the organisations, not as an answer."
        ),
        icon=":material/warning:",
    )
