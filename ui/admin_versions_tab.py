"""The Administration page's framework and roadmap versions tab: the list, adding a file, activating one.

Streamlit glue only: adding and activating are `capacity.versions` calls that check the
admin's role and write the audit log. A success is kept in the session and shown after the
rerun, so that the table it speaks of is already the new one.
"""

from __future__ import annotations

import math

import streamlit as st

from capacity import admin_view, versions
from capacity.access import Actor
from capacity.i18n import tn
from capacity.store import Store
from ui.admin_widgets import kept_notice
from ui.failures import reported_failures
from ui.language import t
from ui.tables import labelled_table
from ui.text import plain, plain_message

NOTICE = "admin_version_notice"  # a success shown after the rerun that lists the change


def _activate(store: Store, actor: Actor, kind: str, version: str, lang: str) -> None:
    """Activate with a progress bar; on success, rerun so the table shows the new active version."""
    _ = t()
    bar = st.progress(0.0, text=_("Recomputing the stored results…"))
    with reported_failures():
        with st.spinner(_("Recomputing the stored results…")):
            done = versions.activate_version(
                store, actor, kind, version, progress=lambda finished, total: bar.progress(finished / total)
            )
        st.session_state[NOTICE] = tn(
            "Version {version} is active; {n} assessment was recomputed.",
            "Version {version} is active; {n} assessments were recomputed.",
            done.recomputed,
            lang,
            version=plain(done.version),
        )
        st.rerun()
    bar.empty()  # only reached when it failed: the message stands in its place


def versions_tab(store: Store, actor: Actor, lang: str) -> None:
    """Draw the versions tab for an admin."""
    _ = t()
    st.caption(
        _(
            "The framework (indicators and level descriptors) and the roadmap (targets for 2015, 2023 and "
            "2053) ship with the application. Add a new version as a YAML file, then activate it. "
            "Activating recomputes every stored result: a new roadmap changes every expectation, gap and "
            "status; a new framework is used by new templates and questionnaires, while stored "
            "questionnaires keep the framework version they answered."
        )
    )
    kept_notice(NOTICE)
    listed = versions.available_versions(store, actor)
    labelled_table(admin_view.versions_table(listed, lang), admin_view.VERSION_COLUMNS)

    st.subheader(_("Add a version"))
    uploaded = st.file_uploader(
        _("Framework or roadmap file (YAML)"),
        type=["yaml", "yml"],
        max_upload_size=max(1, math.ceil(versions.MAX_VERSION_BYTES / 1e6)),  # the browser counts whole MB
        key="admin_version_file",
        help=_(
            "Start from the bundled framework.yaml or roadmap.yaml, change what is needed and give the "
            "file a new version number. It is checked like the bundled file before it is kept."
        ),
    )
    if uploaded is not None and st.button(_("Add this version"), key="admin_version_add"):
        with reported_failures():
            added = versions.add_version(store, actor, None, uploaded.getvalue())
            st.session_state[NOTICE] = plain_message(admin_view.added_notice(added), lang)
            st.rerun()

    st.subheader(_("Activate a version"))
    for column, kind in zip(st.columns(2), versions.KINDS, strict=True):
        label, button_label = admin_view.VERSION_LABELS[kind]
        choices, index = admin_view.version_choices(listed, kind)
        with column:
            chosen_version = st.selectbox(_(label), choices, index=index, key=f"admin_version_{kind}")
            understood = st.checkbox(
                _("I understand every stored result will be recomputed."), key=f"admin_version_{kind}_confirm"
            )
            if st.button(
                _(button_label), key=f"admin_version_{kind}_activate", disabled=not understood, type="primary"
            ):
                _activate(store, actor, kind, chosen_version, lang)
