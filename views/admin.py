"""Administration: accounts and roles, single sign-on rules, restoring replaced questionnaires,
framework and roadmap versions, evaluator questionnaires no evaluator account uploaded, and the
organisation register.

Every action here is a library call that checks the admin's role itself and writes the
audit log; the page only collects the choices. New passwords are shown once, on the
run that made them, and never again.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from capacity import access, accounts, sso, versions
from capacity.access import MANAGER, ROLE_LABELS, ROLES
from capacity.i18n import format_date, tn
from capacity.store import StoreError, queries, trust
from capacity.store.corrections import restore_submission
from capacity.store.ingest import STATUS_LABELS
from capacity.store.models import ACTIVE, utcnow
from ui import data
from ui.failures import reported_failures
from ui.language import current_language, t, widget_key
from ui.register_tab import register_tab as draw_register_tab
from ui.session import require_page, sso_enabled
from ui.text import plain

lang = current_language()
_ = t()
actor = require_page(access.MANAGE_USERS)
store = data.store()
organisations = accounts.known_organisations(store, actor)


def role_label(role: str) -> str:
    if role == sso.DENY:
        return _("no access (denied)")
    return _(ROLE_LABELS.get(role, role))


def organisation_label(organisation_id: str) -> str:
    name = organisations.get(organisation_id)
    return f"{name} ({organisation_id})" if name else organisation_id


def organisation_picker(key: str, default: tuple[str, ...] = ()) -> list[str]:
    return st.multiselect(
        _("Organisations (managers only)"),
        sorted(set(organisations) | set(default)),
        default=list(default),
        key=key,
        format_func=organisation_label,
        accept_new_options=True,
        placeholder=_("Choose organisations or type an ID"),
        help=_(
            "A manager sees and uploads for these organisations only. Type an ID to add one that has not "
            "uploaded yet."
        ),
    )


def show_password(credential: accounts.Credential) -> None:
    st.success(
        _(
            "The password of {username} is below. It is shown only this once: hand it over safely.",
            username=plain(credential.username),
        ),
        icon=":material/key:",
    )
    st.code(credential.password, language=None)


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
accounts_tab, sso_tab, restore_tab, versions_tab, unverified_tab, register_tab = st.tabs(
    [
        _("Accounts"),
        _("Single sign-on"),
        _("Restore questionnaires"),
        _("Framework and roadmap versions"),
        _("Unverified evaluator questionnaires"),
        _("Organisations"),
    ]
)

# ------------------------------------------------------------------ accounts
with accounts_tab:
    found = accounts.list_users(store, actor)
    now = utcnow()

    def status(account: accounts.Account) -> str:
        if account.disabled:
            return _("disabled")
        if account.locked_until is not None and account.locked_until > now:
            return _("locked")
        return _("active")

    st.dataframe(
        pd.DataFrame(
            [
                {
                    "username": a.username,
                    "display_name": a.display_name,
                    "role": role_label(a.role),
                    "organisations": ", ".join(a.organisations),
                    "status": status(a),
                    "created": format_date(a.created_at.date(), lang),
                }
                for a in found
            ]
        ),
        hide_index=True,
        column_config={
            "username": _("User name"),
            "display_name": _("Name"),
            "role": _("Role"),
            "organisations": _("Organisations"),
            "status": _("Status"),
            "created": _("Created"),
        },
    )

    st.subheader(_("Add an account"))
    with st.form("admin_add_user"):
        cols = st.columns(3)
        username = cols[0].text_input(_("User name"), key="admin_new_username")
        display_name = cols[1].text_input(_("Name"), key="admin_new_display_name")
        role = cols[2].selectbox(_("Role"), ROLES, format_func=role_label, key=widget_key("admin_new_role"))
        chosen = organisation_picker("admin_new_organisations")
        add = st.form_submit_button(_("Add the account"), type="primary")
    if add:
        with reported_failures():
            show_password(accounts.add_user(store, actor, username, role, chosen, display_name))

    st.subheader(_("Change an account"))
    if found:
        by_name = {a.username: a for a in found}
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
                    f"admin_role_{picked.username}_organisations", picked.organisations
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

# ------------------------------------------------------------------ single sign-on
with sso_tab:
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
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "pattern": r.pattern,
                        "role": role_label(r.role),
                        "organisations": ", ".join(r.organisations),
                        "created_by": r.created_by,
                    }
                    for r in rules
                ]
            ),
            hide_index=True,
            column_config={
                "pattern": _("Email or domain"),
                "role": _("Role"),
                "organisations": _("Organisations"),
                "created_by": _("Written by"),
            },
        )
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
        rule_organisations = organisation_picker("admin_sso_organisations")
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

# ------------------------------------------------------------------ restore
with restore_tab:
    st.caption(
        _(
            "A questionnaire replaced by a newer file from the same respondent, or deleted, stays in "
            "the history. Restoring it makes it count again; the file it replaces becomes restorable in "
            "turn."
        )
    )
    if not organisations:
        st.info(_("No organisation has uploaded yet."), icon=":material/inbox:")
    else:
        organisation_id = st.selectbox(
            _("Organisation"),
            list(organisations),
            format_func=organisation_label,
            key="admin_restore_organisation",
        )
        history = queries.submissions(store, actor, organisation_id)
        restorable = history[history["status"] != ACTIVE]
        if restorable.empty:
            st.info(
                _("Every questionnaire of this organisation is in use; there is nothing to restore."),
                icon=":material/check_circle:",
            )
        else:
            st.dataframe(
                restorable.assign(status=restorable["status"].map(lambda s: _(STATUS_LABELS.get(s, s))))[
                    [
                        "submission_id",
                        "year",
                        "filename",
                        "respondent_name",
                        "respondent_role",
                        "uploaded_by",
                        "uploaded_at",
                        "status",
                    ]
                ],
                hide_index=True,
                column_config={
                    "submission_id": _("Submission"),
                    "year": _("Year"),
                    "filename": _("File"),
                    "respondent_name": _("Respondent"),
                    "respondent_role": _("Respondent role"),
                    "uploaded_by": _("Uploaded by"),
                    "uploaded_at": st.column_config.DatetimeColumn(
                        _("Uploaded (UTC)"), format="YYYY-MM-DD HH:mm"
                    ),
                    "status": _("Status"),
                },
            )
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

# ------------------------------------------------------------------ framework and roadmap versions
VERSION_LABELS = {
    versions.FRAMEWORK: (_("Framework version"), _("Activate this framework version")),
    versions.ROADMAP: (_("Roadmap version"), _("Activate this roadmap version")),
}
VERSION_NOTICE = "admin_version_notice"  # a success shown after the rerun that lists the change


def added_notice(added: versions.AddedDocument) -> str:
    names = {"version": plain(added.version), "id": plain(added.id)}
    if added.kind == versions.FRAMEWORK:
        if added.added:
            return _("Framework version {version} ({id}) added.", **names)
        return _("Framework version {version} is already there; nothing changed.", **names)
    if added.added:
        return _("Roadmap version {version} ({id}) added.", **names)
    return _("Roadmap version {version} is already there; nothing changed.", **names)


def activate(kind: str, version: str) -> None:
    """Activate with a progress bar; on success, rerun so the table shows the new active version."""
    bar = st.progress(0.0, text=_("Recomputing the stored results…"))
    with reported_failures():
        with st.spinner(_("Recomputing the stored results…")):
            done = versions.activate_version(
                store, actor, kind, version, progress=lambda finished, total: bar.progress(finished / total)
            )
        st.session_state[VERSION_NOTICE] = tn(
            "Version {version} is active; {n} assessment was recomputed.",
            "Version {version} is active; {n} assessments were recomputed.",
            done.recomputed,
            lang,
            version=plain(done.version),
        )
        st.rerun()
    bar.empty()  # only reached when it failed: the message stands in its place


with versions_tab:
    st.caption(
        _(
            "The framework (indicators and level descriptors) and the roadmap (targets for 2015, 2023 and "
            "2053) ship with the application. Add a new version as a YAML file, then activate it. "
            "Activating recomputes every stored result: a new roadmap changes every expectation, gap and "
            "status; a new framework is used by new templates and questionnaires, while stored "
            "questionnaires keep the framework version they answered."
        )
    )
    notice = st.session_state.pop(VERSION_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    listed = versions.available_versions(store, actor)
    st.dataframe(
        listed.assign(
            kind=listed["kind"].map(lambda kind: _(versions.KIND_LABELS[kind])),
            source=listed["source"].map(
                lambda source: _("added") if source == versions.ADDED else _("bundled")
            ),
            active=listed["active"].map(lambda active: _("active") if active else ""),
            # a bundled version has no one who added it and no date: a dash, not "None"
            added_by=listed["added_by"].fillna("–"),
            added_at=listed["added_at"].map(
                lambda when: "–" if pd.isna(when) else when.strftime("%Y-%m-%d %H:%M")
            ),
        ),
        hide_index=True,
        column_config={
            "kind": _("Kind"),
            "id": _("ID"),
            "version": _("Version"),
            "source": _("Source"),
            "added_by": _("Added by"),
            "added_at": _("Added (UTC)"),
            "active": _("Active"),
        },
    )

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
            st.session_state[VERSION_NOTICE] = added_notice(added)
            st.rerun()

    st.subheader(_("Activate a version"))
    for column, kind in zip(st.columns(2), versions.KINDS, strict=True):
        label, button_label = VERSION_LABELS[kind]
        of_kind = listed[listed["kind"] == kind]
        choices = of_kind["version"].tolist()
        active_now = of_kind[of_kind["active"]]["version"].tolist()
        with column:
            chosen_version = st.selectbox(
                label,
                choices,
                index=choices.index(active_now[0]) if active_now else 0,
                key=f"admin_version_{kind}",
            )
            understood = st.checkbox(
                _("I understand every stored result will be recomputed."), key=f"admin_version_{kind}_confirm"
            )
            if st.button(
                button_label, key=f"admin_version_{kind}_activate", disabled=not understood, type="primary"
            ):
                activate(kind, chosen_version)

# ------------------------------------------------------------------ unverified evaluator questionnaires
DEMOTE_NOTICE = "admin_demote_notice"  # a success shown after the rerun that lists what is left

with unverified_tab:
    st.caption(
        _(
            "Stored before the respondent role of record came from the account: these files say "
            "Evaluator, so they outrank every self-assessment, but the account that uploaded them was not "
            "an evaluator's or an administrator's. Demoting makes them self-assessments and recomputes "
            "the results; each demotion is in the audit log."
        )
    )
    notice = st.session_state.pop(DEMOTE_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    if unverified.empty:
        st.info(
            _(
                "Nothing to check: every evaluator questionnaire was uploaded by an evaluator or admin "
                "account."
            ),
            icon=":material/check_circle:",
        )
    else:
        st.dataframe(
            unverified.assign(
                uploader_role=unverified["uploader_role"].map(lambda r: role_label(r) if r else "–"),
                status=unverified["status"].map(lambda s: _(STATUS_LABELS.get(s, s))),
            ),
            hide_index=True,
            column_config={
                "submission_id": _("Submission"),
                "organisation_id": _("Organisation"),
                "year": _("Year"),
                "filename": _("File"),
                "respondent_name": _("Respondent"),
                "uploaded_by": _("Uploaded by"),
                "uploader_role": _("Uploader's role"),
                "uploaded_at": st.column_config.DatetimeColumn(
                    _("Uploaded (UTC)"), format="YYYY-MM-DD HH:mm"
                ),
                "status": _("Status"),
            },
        )
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
                for submission_id in unverified["submission_id"]:
                    try:
                        trust.demote_submission(store, int(submission_id), actor)
                        demoted += 1
                    except StoreError:  # another admin demoted it meanwhile: nothing left to do
                        continue
            st.session_state[DEMOTE_NOTICE] = tn(
                "{n} questionnaire is now a self-assessment; the results are recomputed.",
                "{n} questionnaires are now self-assessments; the results are recomputed.",
                demoted,
                lang,
            )
            st.rerun()


# ------------------------------------------------------------------ organisation register
with register_tab:
    draw_register_tab(store, actor, lang)
