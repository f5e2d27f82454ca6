"""Widgets the Administration page's tabs share: role names, the organisation picker, a new password.

Streamlit glue only; the words come from `capacity.admin_view`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from capacity import accounts, admin_view
from ui.language import current_language, t
from ui.tables import labelled_table, utc_minute_column
from ui.text import plain


def role_label(role: str) -> str:
    """A role's name in the page's language (a format_func for role pickers)."""
    return admin_view.role_label(role, current_language())


def organisation_picker(
    organisations: Mapping[str, str], key: str, default: tuple[str, ...] = ()
) -> list[str]:
    """The organisations a manager account or rule is tied to; a new ID may be typed in."""
    _ = t()
    return st.multiselect(
        _("Organisations (managers only)"),
        sorted(set(organisations) | set(default)),
        default=list(default),
        key=key,
        format_func=lambda organisation_id: admin_view.organisation_label(organisations, organisation_id),
        accept_new_options=True,
        placeholder=_("Choose organisations or type an ID"),
        help=_(
            "A manager sees and uploads for these organisations only. Type an ID to add one that has not "
            "uploaded yet."
        ),
    )


def show_password(credential: accounts.Credential) -> None:
    """The new password, shown on the run that made it and never again."""
    _ = t()
    st.success(
        _(
            "The password of {username} is below. It is shown only this once: hand it over safely.",
            username=plain(credential.username),
        ),
        icon=":material/key:",
    )
    st.code(credential.password, language=None)


def submissions_table(frame: pd.DataFrame) -> None:
    """A table of questionnaires (restorable or unverified) headed in the page's language."""
    labelled_table(
        frame,
        {column: admin_view.SUBMISSION_COLUMNS[column] for column in frame.columns},
        kinds={"uploaded_at": utc_minute_column},
    )


def kept_notice(key: str) -> None:
    """Show, once, the success an action kept under `key` before the rerun that shows its result."""
    if notice := st.session_state.pop(key, None):
        st.success(notice, icon=":material/check_circle:")
