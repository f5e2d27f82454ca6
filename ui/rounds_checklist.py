"""The Rounds page for a manager: each of their organisations' state, checklist and the button to submit.

Streamlit glue only: what is missing comes from `capacity.rounds.view.missing_lines`, and
marking complete is a `capacity.rounds.rounds` call that checks the manager's organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from capacity.access import Actor
from capacity.i18n import format_date
from capacity.rounds import rounds, states, view
from capacity.rounds.checklist import checklist
from capacity.store import Store
from ui.language import t
from ui.text import plain


def manager_checklists(
    store: Store,
    actor: Actor,
    info: rounds.RoundInfo,
    statuses: Sequence[rounds.OrganisationStatus],
    act: Callable[..., None],
    lang: str,
) -> None:
    """Draw each organisation's checklist; `act(action, *args, done=...)` runs the page's actions."""
    _ = t()
    year = info.year
    if not statuses:
        st.info(_("This round does not expect any of your organisations."), icon=":material/info:")
    for status in statuses:
        st.subheader(plain(f"{status.name} ({status.organisation_id})"), anchor=False)
        st.write(_("State: {state}", state=_(states.STATE_LABELS[status.state])))
        items = checklist(store, actor, status.organisation_id, year)
        st.write(
            _(
                "Self-assessment questionnaires: {self}; evaluator questionnaires: {evaluator}.",
                self=items.self_respondents,
                evaluator=items.evaluator_respondents,
            )
        )
        if missing := view.missing_lines(items, lang):
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
                act(
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
