"""The Administration page's organisation register tab: list, add, change, archive, and the upload setting.

Streamlit glue only: every action is a `capacity.rounds.register` call that checks the
admin's role and writes the audit log.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity.access import Actor
from capacity.labels import organisation_type_label, region_label
from capacity.questionnaire.layout import ORGANISATION_TYPES
from capacity.rounds import register
from capacity.store import Store
from ui.failures import reported_failures
from ui.language import t
from ui.text import plain

_TYPES = ["", *ORGANISATION_TYPES]


def _done(message: str) -> None:
    st.session_state["register_done"] = message
    st.rerun()


def register_tab(store: Store, actor: Actor, lang: str) -> None:
    """Draw the register tab for an admin."""
    _ = t()
    if done := st.session_state.pop("register_done", None):
        st.success(done, icon=":material/check_circle:")
    entries = register.list_organisations(store, actor)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "type": organisation_type_label(e.type, lang) if e.type else "",
                    "country": e.country,
                    "region": region_label(e.region, lang),
                    "state": _("archived") if e.archived else _("active"),
                    "managers": ", ".join(e.managers),
                }
                for e in entries
            ],
            columns=["id", "name", "type", "country", "region", "state", "managers"],
        ),
        hide_index=True,
        key="register_table",
        column_config={
            "id": _("ID"),
            "name": _("Name"),
            "type": _("Type"),
            "country": _("Country"),
            "region": _("Region"),
            "state": _("State"),
            "managers": _("Managers"),
        },
    )
    allowed = register.allows_create_on_first_upload(store)
    wanted = st.toggle(
        _("Questionnaires for an unknown ID add it to the register (create on first upload)"),
        value=allowed,
        key="register_create_on_upload",
        help=_("Off: a questionnaire whose ID is not in the register is refused, naming the ID."),
    )
    if wanted != allowed:
        register.set_create_on_first_upload(store, actor, wanted)
        _done(_("Setting saved."))

    def kind_label(kind: str) -> str:
        return organisation_type_label(kind, lang) if kind else "—"

    st.subheader(_("Add an organisation"), anchor=False)
    with st.form("register_add", clear_on_submit=True):
        columns = st.columns(2)
        new_id = columns[0].text_input(_("ID (as written in the questionnaires)"), key="register_add_id")
        name = columns[1].text_input(_("Name"), key="register_add_name")
        columns = st.columns(3)
        kind = columns[0].selectbox(_("Type"), _TYPES, format_func=kind_label, key="register_add_type")
        country = columns[1].text_input(_("Country"), key="register_add_country")
        region = columns[2].text_input(_("Region"), key="register_add_region")
        if st.form_submit_button(_("Add")):
            with reported_failures():
                entry = register.add_organisation(store, actor, new_id, name, kind or None, country, region)
                _done(_("Organisation {organisation} added to the register.", organisation=plain(entry.id)))

    if not entries:
        return
    st.subheader(_("Change an organisation"), anchor=False)
    by_id = {e.id: e for e in entries}
    chosen = st.selectbox(
        _("Organisation"),
        list(by_id),
        key="register_edit_id",
        format_func=lambda key: f"{by_id[key].name} ({key})",
    )
    entry = by_id[chosen]
    with st.form(f"register_edit_{chosen}"):
        name = st.text_input(_("Name"), value=entry.name)
        columns = st.columns(3)
        kind = columns[0].selectbox(
            _("Type"), _TYPES, index=_TYPES.index(entry.type or ""), format_func=kind_label
        )
        country = columns[1].text_input(_("Country"), value=entry.country)
        region = columns[2].text_input(_("Region"), value=entry.region)
        archived = st.checkbox(
            _("Archived (no longer expected in new rounds; history kept)"), value=entry.archived
        )
        if st.form_submit_button(_("Save")):
            with reported_failures():
                register.update_organisation(
                    store, actor, chosen, name=name, type=kind or None, country=country, region=region
                )
                register.set_archived(store, actor, chosen, archived)
                _done(_("Organisation {organisation} saved.", organisation=plain(chosen)))
