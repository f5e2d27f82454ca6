"""The sidebar's "API tokens" dialog: a person makes, lists and revokes their own personal API tokens.

The library (`capacity.api_tokens`) does the work and the checks; a new token is shown
once, in this run of the dialog, and only its hash is kept.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import api_tokens
from capacity.access import Actor
from capacity.accounts import AccountError
from capacity.i18n import format_date
from ui import data
from ui.language import current_language, t
from ui.text import plain_message

EXPIRY_CHOICES = (30, 90, 365, None)  # days; None: until revoked


def api_tokens_button(actor: Actor) -> None:
    """The sidebar button that opens the dialog."""
    _ = t()
    if st.button(_("API tokens"), key="api_tokens", icon=":material/key:"):
        st.dialog(_("API tokens"), width="large")(_dialog)(actor)


def _expiry_label(days: int | None) -> str:
    _ = t()
    return _("Until revoked") if days is None else _("{days} days", days=days)


def _dialog(actor: Actor) -> None:
    _ = t()
    lang = current_language()
    st.caption(
        _(
            "A token reads the API (/api/v1) with your role and organisations, for Power BI, Excel or R. "
            "Send it as: Authorization: Bearer <token>."
        )
    )
    with st.form("api_token_form", clear_on_submit=True, border=False):
        name = st.text_input(_("What is it for?"), max_chars=api_tokens.MAX_NAME)
        days = st.selectbox(_("Expires after"), EXPIRY_CHOICES, index=1, format_func=_expiry_label)
        created = st.form_submit_button(_("Create a token"), type="primary")
    if created:
        try:
            made = api_tokens.create_token(data.store(), actor, name=name, expires_days=days)
        except AccountError as refused:
            st.error(plain_message(refused.message, lang))
        else:
            st.success(_("Copy your token now: it is shown only this once."))
            st.code(made.secret, language=None)
    _token_list(actor, lang)


def _token_list(actor: Actor, lang: str) -> None:
    _ = t()
    tokens = api_tokens.list_tokens(data.store(), actor)
    if not tokens:
        st.caption(_("You have no API tokens yet."))
        return

    def when(value) -> str:
        return format_date(value.date(), lang) if value is not None else "–"

    def status(info: api_tokens.TokenInfo) -> str:
        if info.revoked_at is not None:
            return _("revoked")
        return _("active") if info.active() else _("expired")

    st.dataframe(
        pd.DataFrame(
            {
                _("Name"): [info.name or "–" for info in tokens],
                _("Starts with"): [info.prefix + "…" for info in tokens],
                _("Status"): [status(info) for info in tokens],
                _("Created"): [when(info.created_at) for info in tokens],
                _("Expires"): [when(info.expires_at) for info in tokens],
                _("Last used"): [when(info.last_used_at) for info in tokens],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    active = [info for info in tokens if info.active()]
    if not active:
        return
    chosen = st.selectbox(
        _("Token to revoke"),
        active,
        format_func=lambda info: f"{info.prefix}… {info.name}".strip(),
        key="api_token_revoke_choice",
    )
    if st.button(_("Revoke"), key="api_token_revoke"):
        api_tokens.revoke_token(data.store(), actor, chosen.id)
        st.rerun(scope="fragment")  # the table above then shows it revoked
