"""The Administration page's accounts tab: the list, adding an account, changing its role, state or password.

Streamlit glue only: every action is a `capacity.accounts` call that checks the admin's role
and writes the audit log. A new password is shown once, on the run that made it.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from capacity import accounts, admin_view
from capacity.access import MANAGER, ROLES, Actor
from capacity.store import Store
from capacity.store.models import utcnow
from ui.admin_widgets import organisation_picker, role_label, show_password
from ui.failures import reported_failures
from ui.language import t, widget_key
from ui.tables import labelled_table
from ui.text import plain


def accounts_tab(store: Store, actor: Actor, organisations: Mapping[str, str], lang: str) -> None:
    """Draw the accounts tab for an admin; `organisations` are the IDs and names the pickers offer."""
    _ = t()
    found = accounts.list_users(store, actor)
    labelled_table(admin_view.accounts_table(found, utcnow(), lang), admin_view.ACCOUNT_COLUMNS)

    st.subheader(_("Add an account"))
    with st.form("admin_add_user"):
        cols = st.columns(3)
        username = cols[0].text_input(_("User name"), key="admin_new_username")
        display_name = cols[1].text_input(_("Name"), key="admin_new_display_name")
        role = cols[2].selectbox(_("Role"), ROLES, format_func=role_label, key=widget_key("admin_new_role"))
        chosen = organisation_picker(organisations, "admin_new_organisations")
        add = st.form_submit_button(_("Add the account"), type="primary")
    if add:
        with reported_failures():
            show_password(accounts.add_user(store, actor, username, role, chosen, display_name))

    st.subheader(_("Change an account"))
    if found:
        _change_account(store, actor, organisations, {a.username: a for a in found})


def _change_account(
    store: Store, actor: Actor, organisations: Mapping[str, str], by_name: dict[str, accounts.Account]
) -> None:
    """Pick an account; save its role, enable or disable it, or give it a new password."""
    _ = t()
    picked = by_name[st.selectbox(_("Account"), list(by_name), key="admin_pick_user")]
    with st.form(f"admin_role_{picked.username}"):
        cols = st.columns([1, 2])
        current_role = ROLES.index(picked.role) if picked.role in ROLES else 0
        new_role = cols[0].selectbox(
            _("Role"),
            ROLES,
            index=current_role,
            format_func=role_label,
            key=widget_key(f"admin_role_{picked.username}_role"),
        )
        with cols[1]:
            new_organisations = organisation_picker(
                organisations, f"admin_role_{picked.username}_organisations", picked.organisations
            )
        save = st.form_submit_button(_("Save the role"))
    if save:
        with reported_failures():
            accounts.set_role(
                store, actor, picked.username, new_role, new_organisations if new_role == MANAGER else ()
            )
            st.success(
                _(
                    "{username} now has the role {role}.",
                    username=plain(picked.username),
                    role=role_label(new_role),
                )
            )
    cols = st.columns(2)
    toggle_text = _("Enable the account") if picked.disabled else _("Disable the account")
    if cols[0].button(toggle_text, key=f"admin_toggle_{picked.username}"):
        with reported_failures():
            accounts.set_disabled(store, actor, picked.username, not picked.disabled)
            st.rerun()
    if cols[1].button(_("Give a new password"), key=f"admin_reset_{picked.username}"):
        with reported_failures():
            show_password(accounts.reset_password(store, actor, picked.username))
