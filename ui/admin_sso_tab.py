"""The Administration page's single sign-on tab: whether it is on, the rules, writing and removing one.

Streamlit glue only: every action is a `capacity.sso` call that checks the admin's role and
writes the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from capacity import admin_view, sso
from capacity.access import ROLES, Actor
from capacity.store import Store
from ui.admin_widgets import organisation_picker, role_label
from ui.failures import reported_failures
from ui.language import t, widget_key
from ui.session import sso_enabled
from ui.tables import labelled_table
from ui.text import plain


def sso_tab(store: Store, actor: Actor, organisations: Mapping[str, str], lang: str) -> None:
    """Draw the single sign-on tab for an admin; `organisations` are what the picker offers."""
    _ = t()
    if sso_enabled():
        st.info(
            _(
                "Single sign-on is on: people sign in with the identity provider, and these rules decide "
                "their role. An email nobody names here gets no access."
            ),
            icon=":material/badge:",
        )
    else:
        st.info(
            _(
                "Single sign-on is off (no [auth] section in .streamlit/secrets.toml), so people sign in "
                "with the accounts above. Rules written here apply once it is switched on."
            ),
            icon=":material/badge:",
        )
    rules = sso.list_rules(store, actor)
    if rules:
        labelled_table(admin_view.rules_table(rules, lang), admin_view.RULE_COLUMNS)
    else:
        st.caption(_("No rule yet."))
    with st.form("admin_sso_rule", clear_on_submit=True):
        cols = st.columns(2)
        pattern = cols[0].text_input(
            _("Email or domain"),
            key="admin_sso_pattern",
            help=_(
                "An exact address (ana@ngo.org) or a whole domain (*@ngo.org). "
                "An exact address wins over its domain. Choose no access to keep it out."
            ),
        )
        rule_role = cols[1].selectbox(
            _("Role"), (*ROLES, sso.DENY), format_func=role_label, key=widget_key("admin_sso_role")
        )
        rule_organisations = organisation_picker(organisations, "admin_sso_organisations")
        save_rule = st.form_submit_button(_("Save the rule"), type="primary")
    if save_rule:
        with reported_failures():
            rule = sso.save_rule(store, actor, pattern, rule_role, rule_organisations)
            if rule.role == sso.DENY:
                st.success(_("{pattern} may not sign in.", pattern=plain(rule.pattern)))
            else:
                st.success(
                    _(
                        "{pattern} signs in with the role {role}.",
                        pattern=plain(rule.pattern),
                        role=role_label(rule.role),
                    )
                )
    if rules:
        cols = st.columns([3, 1], vertical_alignment="bottom")
        remove = cols[0].selectbox(_("Rule to remove"), [r.pattern for r in rules], key="admin_sso_remove")
        if cols[1].button(_("Remove the rule"), key="admin_sso_remove_button"):
            with reported_failures():
                sso.delete_rule(store, actor, remove)
                st.rerun()
