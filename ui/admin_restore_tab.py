"""The Administration page's restore tab: an organisation's replaced or deleted questionnaires, restored.

Streamlit glue only: restoring is a `capacity.store.corrections` call that checks the admin's
role, re-scores the assessment and writes the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from capacity import admin_view
from capacity.access import Actor
from capacity.store import Store, queries
from capacity.store.corrections import restore_submission
from ui.admin_widgets import submissions_table
from ui.failures import reported_failures
from ui.language import t, widget_key


def restore_tab(store: Store, actor: Actor, organisations: Mapping[str, str], lang: str) -> None:
    """Draw the restore tab for an admin; `organisations` are the ones to choose from."""
    _ = t()
    st.caption(
        _(
            "A questionnaire replaced by a newer file from the same respondent, or deleted, stays in "
            "the history. Restoring it makes it count again; the file it replaces becomes restorable in "
            "turn."
        )
    )
    if not organisations:
        st.info(_("No organisation has uploaded yet."), icon=":material/inbox:")
        return
    organisation_id = st.selectbox(
        _("Organisation"),
        list(organisations),
        format_func=lambda key: admin_view.organisation_label(organisations, key),
        key="admin_restore_organisation",
    )
    restorable = admin_view.restorable(queries.submissions(store, actor, organisation_id))
    if restorable.empty:
        st.info(
            _("Every questionnaire of this organisation is in use; there is nothing to restore."),
            icon=":material/check_circle:",
        )
        return
    submissions_table(admin_view.restorable_table(restorable, lang))
    cols = st.columns([3, 1], vertical_alignment="bottom")
    submission_id = cols[0].selectbox(
        _("Questionnaire to restore"),
        [int(i) for i in restorable["submission_id"]],
        key=widget_key("admin_restore_submission"),
        format_func=lambda i: _("Submission {submission}", submission=i),
    )
    if cols[1].button(_("Restore"), key="admin_restore_button", type="primary"):
        with reported_failures():
            change = restore_submission(store, submission_id, actor)
            st.success(
                _(
                    "Submission {submission} counts again for {year}.",
                    submission=change.submission_id,
                    year=change.year,
                )
            )
