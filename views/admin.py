"""Administration: accounts and roles, single sign-on rules, restoring replaced questionnaires,
framework and roadmap versions, evaluator questionnaires no evaluator account uploaded, and the
organisation register.

Every action here is a library call that checks the admin's role itself and writes the
audit log; the page only lays out the tabs (each drawn by its `ui.admin_*_tab` module).
New passwords are shown once, on the run that made them, and never again.
"""

from __future__ import annotations

import streamlit as st

from capacity import access, accounts
from capacity.i18n import tn
from capacity.store import trust
from ui import data
from ui.admin_accounts_tab import accounts_tab
from ui.admin_restore_tab import restore_tab
from ui.admin_sso_tab import sso_tab
from ui.admin_unverified_tab import unverified_tab
from ui.admin_versions_tab import versions_tab
from ui.language import current_language, t
from ui.register_tab import register_tab
from ui.session import require_page

lang = current_language()
_ = t()
actor = require_page(access.MANAGE_USERS)
store = data.store()
organisations = accounts.known_organisations(store, actor)

st.title(_("Administration"))
unverified = trust.unverified_evaluator_files(store, actor)
if not unverified.empty:
    st.warning(
        tn(
            "{n} questionnaire counts as an evaluator's but was not uploaded by an evaluator or admin "
            "account: see the tab Unverified evaluator questionnaires.",
            "{n} questionnaires count as an evaluator's but were not uploaded by an evaluator or admin "
            "account: see the tab Unverified evaluator questionnaires.",
            len(unverified),
            lang,
        ),
        icon=":material/gpp_maybe:",
    )
tabs = st.tabs(
    [
        _("Accounts"),
        _("Single sign-on"),
        _("Restore questionnaires"),
        _("Framework and roadmap versions"),
        _("Unverified evaluator questionnaires"),
        _("Organisations"),
    ]
)
with tabs[0]:
    accounts_tab(store, actor, organisations, lang)
with tabs[1]:
    sso_tab(store, actor, organisations, lang)
with tabs[2]:
    restore_tab(store, actor, organisations, lang)
with tabs[3]:
    versions_tab(store, actor, lang)
with tabs[4]:
    unverified_tab(store, actor, unverified, lang)
with tabs[5]:
    register_tab(store, actor, lang)
