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
from capacity.export.batch import FORMATS, GATHERING, PDF, XLSX, Step, batch_zip, export_scorecard
from capacity.export.dataset import dataset_csv_zip, dataset_xlsx
from capacity.export.pdf_charts import gap_bars_png, radar_png
from capacity.export.scorecard import build_scorecard, filename, organisation_details
from capacity.framework import current_framework
from capacity.i18n import format_number, format_percent, tn
from capacity.labels import (
    DATASET_FILE,
    SCORECARDS_FILE,
    arrow_help,
    arrow_text,
    file_name,
    gap_title,
    organisation_type_label,
    region_label,
    status_help,
    status_text,
)
from ui import data, filters
from ui.failures import reported_failures
from ui.language import current_language, t, widget_key
from ui.review_section import review_section
from ui.session import require_page
from ui.text import plain, plain_message

MIME = {XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PDF: "application/pdf"}
BATCH = "scorecards_batch"  # session state: the last ZIP
GATHERING_SHARE = 0.1  # of the progress bar: gathering the figures is quick, drawing is the work

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
place = (organisation_id, kind, organisation.country, region_label(organisation.region, lang))
st.caption(" · ".join(plain(part) for part in place if part))

# ---------------------------------------------------------------- review

if access.is_allowed(actor, access.REVIEW, organisation_id):
    review_section(store, actor, organisation_id, year, result, framework, lang)

# ---------------------------------------------------------------- preview and download

st.subheader(_("Scorecard preview, {year}", year=year))
index, trend = scorecard.index_row, scorecard.index_trend
tiles = st.columns(3)
tiles[0].metric(_("Capacity index (0–100)"), figure(index["score"]), border=True)
tiles[1].metric(
    _("Roadmap status"),
    status_text(index["status"], lang),
    border=True,
    help=status_help(index["status"], lang),
)
tiles[2].metric(
    _("Trend"), arrow_text(trend["arrow"], lang), border=True, help=arrow_help(trend["arrow"], lang)
)
dimensions = scorecard.dimensions
st.dataframe(
    pd.DataFrame(
        {
            _("Dimension"): dimensions["name"],
            _("Score"): [figure(v) for v in dimensions["score"]],
            _("Roadmap status"): [status_text(s, lang) for s in dimensions["status"]],
            _("Expected in {year}", year=year): [format_number(v, lang, 1) for v in dimensions["expected"]],
            gap_title(lang): [figure(v) for v in dimensions["gap"]],
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
    caption=gap_title(lang),
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

    def advance(step: Step) -> None:
        """Gathering is the first tenth of the bar, drawing the rest; every organisation moves it."""
        share = step.done / step.total if step.total else 1.0
        if step.stage == GATHERING:
            text = _("Gathering the figures: {done} of {total}", done=step.done, total=step.total)
            bar.progress(GATHERING_SHARE * share, text=text)
        else:
            text = _("{done} of {total} scorecards ready", done=step.done, total=step.total)
            if step.organisation_id:
                text += " · " + step.organisation_id
            bar.progress(GATHERING_SHARE + (1 - GATHERING_SHARE) * share, text=text)

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
        file_name=file_name(SCORECARDS_FILE, lang, year, batch_format, extension="zip"),
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
        file_name=file_name(DATASET_FILE, lang, "csv", extension="zip"),
        mime="application/zip",
        on_click="ignore",
        icon=":material/download:",
        key="scorecards_dataset_csv",
    )
    columns[1].download_button(
        _("Download as Excel"),
        data=lambda: dataset_xlsx(store, actor, lang),
        file_name=file_name(DATASET_FILE, lang, extension="xlsx"),
        mime=MIME[XLSX],
        on_click="ignore",
        icon=":material/download:",
        key="scorecards_dataset_xlsx",
    )
