"""The Scorecards page's sections: the preview, the downloads, the batch ZIP and the whole dataset.

The page (views/scorecards.py) chooses the organisation and the year and calls these in
order. What is shown comes from the library (`capacity.export.scorecard`'s preview,
`capacity.export.batch`'s progress and file names); every file is made only when its
button is pressed, by the export functions, which refuse what the role may not do.
Widget keys stay the ones the page always had.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity.access import Actor
from capacity.export.batch import (
    FORMATS,
    MIME,
    PDF,
    XLSX,
    Step,
    batch_zip,
    export_scorecard,
    format_label,
    progress_bar,
    zip_name,
)
from capacity.export.dataset import dataset_csv_zip, dataset_xlsx
from capacity.export.pdf_charts import gap_bars_png, radar_png
from capacity.export.scorecard import Scorecard, filename, preview_table, preview_tiles
from capacity.i18n import tn
from capacity.labels import DATASET_FILE, file_name, gap_title
from capacity.store.db import Store
from ui.failures import reported_failures
from ui.language import t, widget_key
from ui.text import plain, plain_message
from ui.tiles import tile_row

BATCH = "scorecards_batch"  # session state: the last ZIP


@st.cache_data(max_entries=16, show_spinner=False)
def chart_images(dimensions: pd.DataFrame, year: int, language: str) -> tuple[bytes, bytes]:
    """The PDF scorecard's two charts, drawn once per scorecard content."""
    return radar_png(dimensions, language), gap_bars_png(dimensions, year, language)


def preview(scorecard: Scorecard, lang: str) -> None:
    """The scorecard as it will print: its tiles, its dimension table and its two charts."""
    _ = t()
    year = scorecard.year
    st.subheader(_("Scorecard preview, {year}", year=year))
    tile_row(preview_tiles(scorecard))
    st.dataframe(preview_table(scorecard), hide_index=True, width="stretch")
    radar, bars = chart_images(scorecard.dimension_table, year, lang)
    left, right = st.columns(2)
    left.image(
        radar,
        caption=_("Dimensions against the 2023 and 2053 targets"),
        alt=_(
            "Radar chart of the six dimension scores and the roadmap targets (numbers in the table above)."
        ),
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


def downloads(store: Store, actor: Actor, organisation_id: str, scorecard: Scorecard, lang: str) -> None:
    """The Excel and the PDF scorecard, each made only when its button is pressed."""
    _ = t()

    def made(file_format: str):
        """The file, made on Streamlit's download thread."""
        return lambda: export_scorecard(store, actor, organisation_id, file_format, scorecard.year, lang)[1]

    columns = st.columns(2)
    for column, file_format, label, icon in (
        (columns[0], XLSX, _("Download the Excel scorecard"), ":material/table_view:"),
        (columns[1], PDF, _("Download the PDF scorecard"), ":material/picture_as_pdf:"),
    ):
        column.download_button(
            label,
            data=made(file_format),
            file_name=filename(scorecard, file_format),
            mime=MIME[file_format],
            on_click="ignore",
            icon=icon,
            key=f"scorecards_{file_format}",
        )


def batch(store: Store, actor: Actor, organisations: list[str], year: int, lang: str) -> None:
    """Every organisation of the filter as one ZIP, made on request; the last one is kept for download."""
    _ = t()
    st.subheader(_("Every organisation of the filter"))
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
        format_func=lambda f: format_label(f, lang),
    )
    if st.button(
        _("Prepare a ZIP of {count} scorecards", count=len(organisations)), key="scorecards_batch_make"
    ):
        bar = st.progress(0.0, text=_("Preparing the scorecards…"))

        def advance(step: Step) -> None:
            share, text = progress_bar(step, lang)
            bar.progress(share, text=text)

        with reported_failures():
            made = batch_zip(store, actor, organisations, batch_format, year, lang, progress=advance)
            st.session_state[BATCH] = (batch_format, year, tuple(organisations), made)
        bar.empty()
    kept = st.session_state.get(BATCH)
    if kept and kept[:3] == (batch_format, year, tuple(organisations)):
        made = kept[3]
        st.download_button(
            tn(
                "Download the ZIP ({n} scorecard)", "Download the ZIP ({n} scorecards)", len(made.files), lang
            ),
            data=made.data,
            file_name=zip_name(lang, year, batch_format),
            mime="application/zip",
            on_click="ignore",
            icon=":material/folder_zip:",
            key="scorecards_batch_zip",
        )
        for skipped, reason in made.skipped:
            st.warning(f"{plain(skipped)}: {plain_message(reason, lang)}", icon=":material/warning:")


def dataset(store: Store, actor: Actor, lang: str) -> None:
    """The whole dataset as CSV files in a ZIP or as one workbook, made when its button is pressed."""
    _ = t()
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
