"""The Administration page's tab of evaluator questionnaires no evaluator account uploaded: list and demote.

Streamlit glue only: demoting is `capacity.store.trust.demote_all`, which checks the admin's
role, re-scores and audits each file. The count demoted is kept in the session and shown
after the rerun, so the list it speaks of is already the shorter one.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import admin_view
from capacity.access import Actor
from capacity.i18n import tn
from capacity.store import Store, trust
from ui.admin_widgets import kept_notice, submissions_table
from ui.failures import reported_failures
from ui.language import t

NOTICE = "admin_demote_notice"  # a success shown after the rerun that lists what is left


def unverified_tab(store: Store, actor: Actor, unverified: pd.DataFrame, lang: str) -> None:
    """Draw the tab for an admin; `unverified` is `trust.unverified_evaluator_files` of this run."""
    _ = t()
    st.caption(
        _(
            "Stored before the respondent role of record came from the account: these files say "
            "Evaluator, so they outrank every self-assessment, but the account that uploaded them was not "
            "an evaluator's or an administrator's. Demoting makes them self-assessments and recomputes "
            "the results; each demotion is in the audit log."
        )
    )
    kept_notice(NOTICE)
    if unverified.empty:
        st.info(
            _(
                "Nothing to check: every evaluator questionnaire was uploaded by an evaluator or admin "
                "account."
            ),
            icon=":material/check_circle:",
        )
        return
    submissions_table(admin_view.unverified_table(unverified, lang))
    demote = st.button(
        tn(
            "Demote {n} questionnaire to a self-assessment",
            "Demote {n} questionnaires to self-assessments",
            len(unverified),
            lang,
        ),
        key="admin_demote_button",
        type="primary",
    )
    if demote:
        demoted = 0
        with reported_failures():
            demoted = trust.demote_all(store, unverified["submission_id"], actor)
        st.session_state[NOTICE] = tn(
            "{n} questionnaire is now a self-assessment; the results are recomputed.",
            "{n} questionnaires are now self-assessments; the results are recomputed.",
            demoted,
            lang,
        )
        st.rerun()
