"""Scorecards: evaluators verify indicators, preview the scorecard, and hand it over as Excel or PDF.

Everything here is drawn from the library: the scorecard's content (`capacity.export.scorecard`,
built on the dashboards' page data), the review history (`capacity.review`), the store's
`record_review`, and the exports. The page only arranges them and passes the signed-in
person along; the library refuses whatever their role may not do.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import access, dashboard
from capacity.access import AccessDenied
from capacity.export.batch import FORMATS, PDF, XLSX, batch_zip, export_scorecard
from capacity.export.dataset import dataset_csv_zip, dataset_xlsx
from capacity.export.pdf_charts import gap_bars_png, radar_png
from capacity.export.scorecard import build_scorecard, filename, organisation_details
from capacity.framework import LEVELS, current_framework
from capacity.i18n import format_date, format_number, format_percent, tn
from capacity.labels import arrow_text, organisation_type_label, status_text
from capacity.review import review_history, review_sheet
from capacity.store.corrections import record_review
from ui import data, filters
from ui.failures import reported_failures
from ui.language import current_language, t, widget_key
from ui.session import require_page
from ui.text import plain, plain_message

MIME = {XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PDF: "application/pdf"}
NOT_APPLICABLE = "na"
REVIEWED, BATCH = "scorecards_reviewed", "scorecards_batch"  # session state: last review, last ZIP

lang = current_language()
_ = t()
actor = require_page(access.EXPORT_SCORECARD)
framework = current_framework()
store = data.store()


def figure(value: float | None, not_applicable: bool = False) -> str:
    """A level or score with one decimal in the reader's locale; N/A or a dash when there is none."""
    if not_applicable:
        return _("N/A")
    return "–" if value is None or pd.isna(value) else format_number(float(value), lang, 1)


@st.cache_data(max_entries=16, show_spinner=False)
def chart_images(dimensions: pd.DataFrame, year: int, language: str) -> tuple[bytes, bytes]:
    """The PDF scorecard's two charts, drawn once per scorecard content."""
    return radar_png(dimensions, language), gap_bars_png(dimensions, year, language)


st.title(_("Scorecards"))
st.caption(
    _(
        "Verify what organisations reported, preview their scorecard, and download it as Excel or PDF — "
        "for one organisation, for every organisation of the filter, or the whole dataset."
    )
)

portfolio = data.portfolio(actor)
if portfolio.empty:
    filters.no_data()
    st.stop()
chosen = filters.filter_bar(portfolio)
in_filter = dashboard.apply_filters(portfolio, chosen)
exportable = access.allowed_organisations(actor, access.EXPORT_SCORECARD)
choices = dashboard.organisation_choices(in_filter, exportable)
if choices.empty:
    filters.no_match()
    st.stop()
year = int(chosen.year) if chosen.year is not None else int(in_filter["year"].max())

organisation_id = filters.url_choice(
    _("Organisation"), list(choices.index), filters.ORGANISATION, lambda key: f"{choices[key]} ({key})"
)
try:
    results = data.organisation_results(actor, organisation_id)
except AccessDenied as denied:
    st.error(plain_message(denied.message, lang), icon=":material/lock:")
    st.stop()
organisation = organisation_details(portfolio[portfolio["organisation_id"] == organisation_id])
scorecard = build_scorecard(results, organisation, year, lang)
result = scorecard.result

st.header(plain(organisation.name))
kind = organisation_type_label(organisation.organisation_type, lang)
place = (organisation_id, kind, organisation.country, organisation.region)
st.caption(" · ".join(plain(part) for part in place if part))

# ---------------------------------------------------------------- review

can_review = access.is_allowed(actor, access.REVIEW, organisation_id)
if can_review:
    st.subheader(_("Review the indicators, {year}", year=year))
    st.caption(
        _(
            "Record the level you verified from the evidence, with your reason. It becomes the level "
            "of record (an evaluator's level outranks self-assessment) and the scores are recomputed at "
            "once. ⚠ marks indicators where self-assessment and evaluator differ by a level or more."
        )
    )
    done = st.session_state.pop(REVIEWED, None)
    if done:
        st.success(done, icon=":material/task_alt:")
    sheet = review_sheet(result, framework, lang)
    only_flagged = st.toggle(
        _("Only indicators where self-assessment and evaluator differ"), key="scorecards_only_flagged"
    )
    shown = sheet[sheet["self_evaluator_flag"]] if only_flagged else sheet
    st.dataframe(
        pd.DataFrame(
            {
                _("Indicator"): shown["code"] + " · " + shown["title"],
                _("Self-assessment (median)"): [figure(v) for v in shown["self_level"]],
                _("Evaluator"): [figure(v) for v in shown["evaluator_level"]],
                _("Level of record"): [
                    figure(v, na) for v, na in zip(shown["level"], shown["not_applicable"], strict=True)
                ],
                _("Differs"): ["⚠" if flag else "" for flag in shown["self_evaluator_flag"]],
                _("Evidence"): shown["evidence"],
            }
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(shown), 1), 420),
    )

    codes = list(sheet["code"])
    titles = dict(zip(sheet["code"], sheet["title"], strict=True))
    left, right = st.columns([2, 1])
    code = left.selectbox(
        _("Indicator to review"),
        codes,
        format_func=lambda c: f"{c} · {titles[c]}",
        key=widget_key("scorecards_review_code"),
    )
    choice = right.selectbox(
        _("Verified level"),
        [str(level) for level in LEVELS] + [NOT_APPLICABLE],
        format_func=lambda v: (
            _("N/A – does not apply") if v == NOT_APPLICABLE else framework.level_label(int(v), lang)
        ),
        key=widget_key("scorecards_review_level"),
    )
    indicator = framework.indicator(code)
    if choice != NOT_APPLICABLE:
        st.caption(
            _(
                "What level {level} looks like: {descriptor}",
                level=choice,
                descriptor=indicator.descriptors[int(choice)](lang),
            )
        )
    justification = st.text_area(
        _("Justification"),
        key="scorecards_review_reason",
        placeholder=_("What you checked, e.g. the board minutes approving the strategy."),
    )
    if st.button(_("Record the verified level"), type="primary", key="scorecards_review_submit"):
        with reported_failures():
            verified = None if choice == NOT_APPLICABLE else int(choice)
            record_review(
                store,
                organisation_id,
                year,
                code,
                verified,
                justification,
                actor,
                not_applicable=choice == NOT_APPLICABLE,
            )
            st.session_state[REVIEWED] = _(
                "Verified level of {code} recorded; the scores are up to date.", code=code
            )
            st.session_state.pop("scorecards_review_reason", None)
            st.rerun()

    history = review_history(store, actor, organisation_id, year)
    with st.expander(tn("Review history: {n} review", "Review history: {n} reviews", len(history), lang)):
        if history.empty:
            st.caption(_("No indicator of this assessment has been reviewed yet."))
        else:
            verified = zip(history["level"], history["not_applicable"], strict=True)
            replaced = zip(history["active"], history["superseded_at"], strict=True)
            st.dataframe(
                pd.DataFrame(
                    {
                        _("When"): history["created_at"].dt.strftime("%Y-%m-%d %H:%M UTC"),
                        _("Reviewer"): history["reviewer"],
                        _("Indicator"): history["code"],
                        _("Verified level"): [figure(level, na) for level, na in verified],
                        _("Justification"): history["justification"],
                        _("State"): [
                            _("level of record")
                            if active
                            else _("replaced on {date}", date=format_date(when.date(), lang))
                            for active, when in replaced
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
            )

# ---------------------------------------------------------------- preview and download

st.subheader(_("Scorecard preview, {year}", year=year))
index, trend = scorecard.index_row, scorecard.index_trend
tiles = st.columns(3)
tiles[0].metric(_("Capacity index (0–100)"), figure(index["score"]), border=True)
tiles[1].metric(_("Roadmap status"), status_text(index["status"], lang), border=True)
tiles[2].metric(_("Trend"), arrow_text(trend["arrow"], lang), border=True)
dimensions = scorecard.dimensions
st.dataframe(
    pd.DataFrame(
        {
            _("Dimension"): dimensions["name"],
            _("Score"): [figure(v) for v in dimensions["score"]],
            _("Roadmap status"): [status_text(s, lang) for s in dimensions["status"]],
            _("Expected in {year}", year=year): [format_number(v, lang, 1) for v in dimensions["expected"]],
            _("Gap"): [figure(v) for v in dimensions["gap"]],
            _("Coverage"): [format_percent(v, lang) if pd.notna(v) else "–" for v in dimensions["coverage"]],
            _("Trend"): [arrow_text(a, lang) for a in dimensions["arrow"]],
        }
    ),
    hide_index=True,
    width="stretch",
)
radar, bars = chart_images(scorecard.dimension_table, year, lang)
left, right = st.columns(2)
left.image(
    radar,
    caption=_("Dimensions against the 2023 and 2053 targets"),
    alt=_("Radar chart of the six dimension scores and the roadmap targets (numbers in the table above)."),
)
right.image(
    bars,
    caption=_("Gaps in points (positive: behind)"),
    alt=_("Bar chart of each dimension's gap to the roadmap in points (numbers in the table above)."),
)
st.caption(
    tn(
        "{n} indicator is behind the roadmap; the action plan lists it with its next step.",
        "{n} indicators are behind the roadmap; the action plan lists them with their next step.",
        len(scorecard.priorities),
        lang,
    )
)


def scorecard_file(file_format: str):
    """The file, made only when the button is pressed (on Streamlit's download thread)."""
    return lambda: export_scorecard(store, actor, organisation_id, file_format, year, lang)[1]


downloads = st.columns(2)
downloads[0].download_button(
    _("Download the Excel scorecard"),
    data=scorecard_file(XLSX),
    file_name=filename(scorecard, XLSX),
    mime=MIME[XLSX],
    on_click="ignore",
    icon=":material/table_view:",
    key="scorecards_xlsx",
)
downloads[1].download_button(
    _("Download the PDF scorecard"),
    data=scorecard_file(PDF),
    file_name=filename(scorecard, PDF),
    mime=MIME[PDF],
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    key="scorecards_pdf",
)

# ---------------------------------------------------------------- batch

st.subheader(_("Every organisation of the filter"))
organisations = list(choices.index)
st.caption(
    tn(
        "{n} organisation matches the filters above for {year}.",
        "{n} organisations match the filters above for {year}.",
        len(organisations),
        lang,
        year=year,
    )
)
batch_format = st.radio(
    _("Format"),
    list(FORMATS),
    horizontal=True,
    key=widget_key("scorecards_batch_format"),
    format_func=lambda f: _("PDF") if f == PDF else _("Excel"),
)
if st.button(_("Prepare a ZIP of {count} scorecards", count=len(organisations)), key="scorecards_batch_make"):
    bar = st.progress(0.0, text=_("Preparing the scorecards…"))

    def advance(done: int, total: int) -> None:
        bar.progress(
            done / total if total else 1.0,
            text=_("{done} of {total} scorecards ready", done=done, total=total),
        )

    with reported_failures():
        made = batch_zip(store, actor, organisations, batch_format, year, lang, progress=advance)
        st.session_state[BATCH] = (batch_format, year, tuple(organisations), made)
    bar.empty()
kept = st.session_state.get(BATCH)
if kept and kept[:3] == (batch_format, year, tuple(organisations)):
    made = kept[3]
    st.download_button(
        tn("Download the ZIP ({n} scorecard)", "Download the ZIP ({n} scorecards)", len(made.files), lang),
        data=made.data,
        file_name=f"scorecards_{year}_{batch_format}.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/folder_zip:",
        key="scorecards_batch_zip",
    )
    for skipped, reason in made.skipped:
        st.warning(f"{plain(skipped)}: {plain_message(reason, lang)}", icon=":material/warning:")

# ---------------------------------------------------------------- dataset

if access.is_allowed(actor, access.EXPORT_DATASET):
    st.subheader(_("The whole dataset"))
    st.caption(
        _(
            "Consolidated scores of every assessment and every answer in tidy form (one row per "
            "questionnaire and indicator), with a codebook, to open in Excel or any statistics tool."
        )
    )
    columns = st.columns(2)
    columns[0].download_button(
        _("Download as CSV (ZIP)"),
        data=lambda: dataset_csv_zip(store, actor, lang),
        file_name="capacity_dataset_csv.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/download:",
        key="scorecards_dataset_csv",
    )
    columns[1].download_button(
        _("Download as Excel"),
        data=lambda: dataset_xlsx(store, actor, lang),
        file_name="capacity_dataset.xlsx",
        mime=MIME[XLSX],
        on_click="ignore",
        icon=":material/download:",
        key="scorecards_dataset_xlsx",
    )
