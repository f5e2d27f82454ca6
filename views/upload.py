"""Upload: templates, the filled files, a report per file, a preview of the scores, then Submit.

A manager fills the form once a year, so the page walks through four numbered steps
(templates, upload, each file's report beside the preview of its scores, Submit) and never
stores anything before the explicit Submit. All the rules live in
`capacity.upload` (the same reader, store and engine as the CLI); the page only draws.
The checked files are kept in the session state, so a rejected file can be removed or
replaced while the other files and their reports stay on the page. Text that comes from a
file (names, cells) is escaped before it reaches markdown, so a file cannot inject links or
images into the page.
"""

from __future__ import annotations

import streamlit as st

from capacity import access, upload
from capacity.access import AccessDenied
from capacity.framework import current_framework
from capacity.i18n import tn
from capacity.labels import QUESTIONNAIRE_FILE, file_name
from capacity.questionnaire.template import build_template
from capacity.store.prefill import latest_submission
from ui import data
from ui.failures import reported_failures
from ui.language import current_language, t
from ui.session import current_actor
from ui.text import plain, plain_message
from ui.upload_button import name_upload_button
from ui.upload_sections import show_confirmation, show_report

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHECKED, DONE = "upload_checked", "upload_done"  # session state: the checked files, the last submit
GENERATION, PREFILLED = "upload_generation", "upload_prefilled_file"  # uploader key, template

lang = current_language()
_ = t()
actor = current_actor()
framework = current_framework()


@st.cache_data(show_spinner=False, max_entries=4)
def blank_questionnaire(language: str) -> bytes:
    return build_template(lang=language)


def prefilled_questionnaire(organisation_id: str) -> tuple[bytes, int] | None:
    """The template carrying the organisation's last answers, and their year (None if none stored)."""
    key = (organisation_id, lang, data.version(), actor)
    kept = st.session_state.get(PREFILLED)
    if kept is None or kept[0] != key:
        earlier = latest_submission(data.store(), actor, organisation_id)
        kept = key, None if earlier is None else (build_template(lang=lang, prefill=earlier), earlier.year)
        st.session_state[PREFILLED] = kept
    return kept[1]


def upload_organisations() -> dict[str, str]:
    """The organisations the actor may upload for, id → name (names of those already assessed)."""
    portfolio = data.portfolio(actor)
    names = dict(zip(portfolio["organisation_id"], portfolio["organisation_name"], strict=True))
    allowed = access.allowed_organisations(actor, access.UPLOAD)
    ids = sorted(names) if allowed is None else sorted(allowed)
    return {organisation: names.get(organisation, organisation) for organisation in ids}


st.title(_("Upload questionnaires"))
st.caption(
    _(
        "Send your organisation's filled questionnaire. Nothing is stored until you press Submit: "
        "first you see, for every file, whether it is accepted, what to fix, and the scores it would "
        "produce."
    )
)

refusal = upload.can_upload(actor)
if refusal is not None:
    st.warning(plain_message(refusal, lang), icon=":material/lock:")
    st.info(
        _(
            "Uploading is for managers (for their own organisations), evaluators and administrators. "
            "Board members read the dashboards."
        )
    )
    st.stop()

show_confirmation(st.session_state.get(DONE))

st.subheader(_("1 · Download the questionnaire"))
left, right = st.columns(2)
with left:
    st.markdown(_("**Blank questionnaire**, in the language of this page."))
    st.download_button(
        _("Download the blank questionnaire (.xlsx)"),
        data=blank_questionnaire(lang),
        file_name=file_name(
            QUESTIONNAIRE_FILE, lang, framework.id, framework.version, lang, extension="xlsx"
        ),
        mime=XLSX_MIME,
        icon=":material/download:",
        key="upload_blank",
    )
with right:
    st.markdown(_("**Pre-filled with last round's answers**, so you update them rather than retype them."))
    organisations = upload_organisations()
    if not organisations:
        st.caption(_("No organisation is linked to your account yet; start from the blank questionnaire."))
    else:
        chosen = st.selectbox(
            _("Organisation"),
            list(organisations),
            key="upload_prefill_org",
            format_func=lambda key: f"{organisations[key]} ({key})" if organisations[key] != key else key,
        )
        try:
            prefilled = prefilled_questionnaire(chosen)
        except AccessDenied as denied:
            prefilled = None
            st.warning(plain_message(denied.message, lang))
        if prefilled is None:
            st.caption(
                _(
                    "Nothing is stored for {organisation} yet; start from the blank questionnaire.",
                    organisation=plain(chosen),
                )
            )
        else:
            content, year = prefilled
            st.download_button(
                _(
                    "Download {organisation} pre-filled with the answers of {year} (.xlsx)",
                    organisation=plain(chosen),
                    year=year,
                ),
                data=content,
                mime=XLSX_MIME,
                file_name=file_name(QUESTIONNAIRE_FILE, lang, chosen, year, lang, extension="xlsx"),
                icon=":material/download:",
                key="upload_prefilled",
            )
            st.caption(_("Write the new assessment year, your name and role, then change what has changed."))

st.subheader(_("2 · Upload the filled files"))
st.caption(
    _(
        "Excel (.xlsx, .xlsm) or OpenDocument (.ods) files, up to {limit} MB each. Several files at "
        "once are fine, for example one per respondent. A filled questionnaire is usually well under "
        "1 MB; a larger file is refused unread: remove pictures and extra sheets, or copy the answers "
        "into a fresh template.",
        limit=upload.size_limit_mb(),
    )
)
name_upload_button(_("Choose files"))  # Streamlit's English "Upload" and size line, in the page's words
generation = st.session_state.setdefault(GENERATION, 0)
files = st.file_uploader(
    _("Questionnaire files"),
    type=list(upload.ACCEPTED_EXTENSIONS),
    accept_multiple_files=True,
    key=f"upload_files_{generation}",
    max_upload_size=upload.whole_megabytes_limit(),
    on_change=lambda: st.session_state.pop(DONE, None),  # new files: old news goes
    help=_(
        "Drag the files here or browse for them. They are only checked, not stored, until you press Submit."
    ),
)
if not files:
    st.session_state.pop(CHECKED, None)
    st.stop()

# Re-check only when the files, the stored data or the actor changed; a rerun (language switch,
# a click elsewhere) redraws the same reports.
signature = (tuple((f.file_id, f.name, f.size) for f in files), data.version(), actor)
checked = st.session_state.get(CHECKED)
if checked is None or checked[0] != signature:
    bar = st.progress(0.0, text=_("Reading the files…"))

    def advance(done: int, total: int, name: str) -> None:
        text = (
            _("Reading {name} ({done} of {total})…", name=name, done=done + 1, total=total)
            if name
            else _("Checking what saving would do…")
        )
        bar.progress(done / total if total else 1.0, text=text)

    reports = upload.check_uploads(
        [(f.name, f.getvalue()) for f in files],
        data.store(),
        actor,
        lang,
        progress=advance,
        framework=framework,
    )
    bar.empty()
    st.session_state[CHECKED] = (signature, reports)
else:
    reports = checked[1]

st.subheader(_("3 · Check the report and the preview"))
accepted = [report for report in reports if report.accepted]
st.markdown(
    tn(
        "**{accepted} of {n} file accepted.**",
        "**{accepted} of {n} files accepted.**",
        len(reports),
        lang,
        accepted=len(accepted),
    )
    + " "
    + _(
        "Each file below says what to fix, cell by cell, the scores it would produce, and what "
        "saving it will do."
    )
)
st.download_button(
    _("Download this report (CSV)"),
    data=upload.report_csv(reports, lang),
    file_name=upload.report_filename(lang=lang),
    mime="text/csv",
    icon=":material/download:",
    key="upload_report_csv",
)
for report in reports:
    show_report(report, framework)

st.subheader(_("4 · Submit"))
if not accepted:
    st.info(
        _(
            "No file can be stored yet. Fix the cells listed above, save the file and upload it again: "
            "remove the rejected file with its ✕ and add the corrected one."
        )
    )
    st.stop()
rejected = len(reports) - len(accepted)
note = tn(
    "Submit stores the accepted file as previewed above.",
    "Submit stores the {n} accepted files as previewed above.",
    len(accepted),
    lang,
)
if rejected:
    note += " " + tn(
        "The rejected file is not stored.", "The {n} rejected files are not stored.", rejected, lang
    )
st.caption(note)
if st.button(
    tn("Submit the accepted file", "Submit the {n} accepted files", len(accepted), lang),
    type="primary",
    icon=":material/send:",
    key="upload_submit",
):
    with reported_failures():
        with st.spinner(_("Storing…")):
            outcomes = upload.submit(accepted, data.store(), actor, lang)
        st.session_state[DONE] = outcomes
        st.session_state.pop(CHECKED, None)
        st.session_state[GENERATION] = generation + 1  # a fresh, empty uploader
        st.rerun()
