"""Audit log: who uploaded, replaced, reviewed, exported, signed in or changed a role, and when."""

from __future__ import annotations

import streamlit as st

from capacity import access, audit_view
from capacity.audit_view import AuditFilter, action_label
from capacity.i18n import format_number
from ui import data
from ui.language import current_language, t, widget_key
from ui.session import require_page

# The grid fills about a screen (GRID_ROWS rows of GRID_ROW pixels under the header) and shrinks to
# fewer entries, instead of Streamlit's default of ten rows in a box.
GRID_HEADER, GRID_ROW, GRID_ROWS = 38, 35, 22

lang = current_language()
_ = t()
actor = require_page(access.VIEW_AUDIT)
store = data.store()

st.title(_("Audit log"))
st.caption(
    _(
        "Every upload, replaced or restored questionnaire, review, export, sign-in and account change, "
        "with who did it and when. Entries are only ever added, never changed."
    )
)

choices = audit_view.audit_choices(store, actor)
columns = st.columns([3, 2, 2, 1.5, 1.5])
actions = columns[0].multiselect(
    _("Action"),
    audit_view.known_actions(choices.actions),
    key=widget_key("audit_actions"),
    format_func=lambda action: action_label(action, lang),
    placeholder=_("All"),
)
users = columns[1].multiselect(_("User"), choices.users, key="audit_users", placeholder=_("All"))
organisation = columns[2].selectbox(
    _("Organisation"),
    ["", *choices.organisations],
    key=widget_key("audit_organisation"),
    format_func=lambda value: value or _("All"),
)
since = columns[3].date_input(_("From"), value=None, key="audit_since", format="YYYY-MM-DD")
until = columns[4].date_input(_("To"), value=None, key="audit_until", format="YYYY-MM-DD")

chosen = AuditFilter(tuple(actions), tuple(users), organisation or None, since, until)
entries = audit_view.audit_entries(store, actor, chosen)
if entries.empty:
    st.info(_("No audit entry matches these filters."), icon=":material/filter_alt_off:")
    st.stop()

if len(entries) >= audit_view.DEFAULT_LIMIT:
    st.caption(
        _(
            "Showing the {count} most recent entries; narrow the filters to see older ones.",
            count=format_number(len(entries), lang, 0),
        )
    )
else:
    st.caption(
        _("{count} entries, newest first. Times are in UTC.", count=format_number(len(entries), lang, 0))
    )
shown = audit_view.readable(entries, lang)
st.dataframe(
    shown[["at", "actor", "action_text", "organisation_id", "details"]],
    hide_index=True,
    height=min(GRID_HEADER + GRID_ROW * len(shown), GRID_HEADER + GRID_ROW * GRID_ROWS),
    column_config={
        "at": st.column_config.DatetimeColumn(_("When (UTC)"), format="YYYY-MM-DD HH:mm:ss", width="medium"),
        "actor": _("User"),
        "action_text": _("Action"),
        "organisation_id": _("Organisation"),
        "details": st.column_config.TextColumn(_("Details"), width="large"),
    },
)
st.download_button(
    _("Download as CSV"),
    audit_view.audit_csv(entries, lang),
    audit_view.audit_filename(lang=lang),
    mime="text/csv",
    icon=":material/download:",
    key="audit_download",
)
