"""Overview: the portfolio at a glance: headline figures, the road to 2053, every organisation's status."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from capacity import access, chart_text, charts, dashboard
from capacity.export.dataset import dataset_xlsx
from capacity.framework import current_framework
from capacity.i18n import format_number, format_percent
from capacity.labels import (
    PORTFOLIO_FILE,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    file_name,
    format_change,
    status_label,
    target_name,
)
from capacity.roadmap import current_roadmap
from ui import data, filters
from ui.language import current_language, t, widget_key
from ui.session import current_actor

lang = current_language()
_ = t()
actor = current_actor()
framework = current_framework()
roadmap = current_roadmap()
today = dt.date.today().year

st.title(_("Portfolio overview"))
st.caption(
    _("How the assessed organisations stand against the 2015–2023–2053 humanitarian diplomacy roadmap.")
)

portfolio = data.portfolio(actor)
if portfolio.empty:
    filters.no_data()
    st.stop()

chosen = filters.filter_bar(portfolio)
overview = data.overview_round(actor, chosen)
if overview is None:
    filters.no_match()
    st.stop()
tiles, series = overview.tiles, overview.series


def tile(column, label: str, value: str, change: str | None, explanation: str) -> None:
    """One KPI tile; an unchanged figure gets no arrow, a missing previous round no change at all."""
    unchanged = change is not None and change.startswith("±")
    column.metric(
        label,
        value,
        delta=change,
        border=True,
        help=explanation,
        delta_arrow="off" if unchanged else "auto",
        delta_color="off" if unchanged else "normal",
    )


def points(share_change: float | None) -> str | None:
    """A change of a share, in percentage points."""
    return None if share_change is None else format_change(share_change * 100, lang, 0, " " + _("pts"))


since = (
    _("Change since the previous round ({year}).", year=tiles.previous_year)
    if tiles.previous_year
    else _("There is no earlier round to compare with.")
)
columns = st.columns(4)
tile(
    columns[0],
    _("Organisations assessed"),
    format_number(tiles.organisations.value, lang, 0),
    format_change(tiles.organisations.delta, lang, 0),
    _("Organisations with a scored assessment in {year}.", year=tiles.year) + " " + since,
)
tile(
    columns[1],
    _("Mean index"),
    format_number(tiles.mean_index.value, lang, 1),
    format_change(tiles.mean_index.delta, lang, 1),
    _("The average capacity index (0–100) of these organisations.") + " " + since,
)
tile(
    columns[2],
    _("On track for the roadmap"),
    format_percent(tiles.share_on_track.value, lang),
    points(tiles.share_on_track.delta),
    _(
        "Share of organisations whose index is at or above the roadmap's expectation for their assessment "
        "year."
    )
    + " "
    + since,
)
tile(
    columns[3],
    _("Indicators with evidence"),
    format_percent(tiles.share_evidence.value, lang),
    points(tiles.share_evidence.delta),
    _("Share of answered indicators for which a respondent or evaluator named the evidence.") + " " + since,
)
if tiles.previous_year:
    st.caption(
        _(
            "Round {year}; the small figures show the change since the previous round, {previous}.",
            year=tiles.year,
            previous=tiles.previous_year,
        )
    )
else:
    st.caption(
        _("Round {year}; this is the first round, so there is no change to show yet.", year=tiles.year)
    )

st.subheader(_("The road to 2053"))
st.caption(
    _(
        "Mean capacity index of the organisations assessed in each round (thick line) against the "
        "roadmap's target path (dashed), over the years that hold data; the {year} vision stands at the "
        "right, after the break in the time axis. Click a dimension in the legend to add its line.",
        year=roadmap.vision_year,
    )
)
st.plotly_chart(
    charts.roadmap_chart(series, dashboard.roadmap_path(roadmap), today, lang),
    key="overview_roadmap",
    config={"displaylogo": False},
)
st.caption(chart_text.roadmap_summary(series, roadmap, lang))

st.subheader(_("Organisations against the roadmap in {year}", year=tiles.year))
legend = ", ".join(f"{STATUS_SYMBOLS[status]} {status_label(status, lang)}" for status in STATUS_ORDER)
st.caption(
    _(
        "Each cell is the organisation's score (0–100) for the index or a dimension, coloured and "
        "marked by its roadmap status: {legend}. Slightly behind means up to 10 points below the "
        "roadmap's expectation for the assessment year, behind 10 to 20 points, off "
        "track more than 20.",
        legend=legend,
    )
)
sort_columns = st.columns([2, 1, 3])
sort_by = sort_columns[0].selectbox(
    _("Sort organisations by"),
    dashboard.sort_options(framework),
    key=widget_key("overview_sort"),
    format_func=lambda key: (
        _("Name (A–Z)")
        if key == dashboard.SORT_BY_NAME
        else _("{target} (highest first)", target=target_name(key, lang))
    ),
)
heatmap = data.overview_heatmap(actor, chosen, sort_by)  # only organisations the reader may open
page_number = filters.page_choice(len(heatmap), "overview_page", sort_columns[1])
st.plotly_chart(
    charts.status_heatmap(heatmap.page(page_number, dashboard.GRID_PAGE_SIZE), lang),
    key="overview_heatmap",
    config={"displaylogo": False},
)
st.caption(chart_text.heatmap_summary(heatmap, lang))
st.caption(
    _(
        "Dimensions: {names}.",
        names="; ".join(f"{dim.code} = {dim.name(lang)}" for dim in framework.dimensions),
    )
)

if access.is_allowed(actor, access.EXPORT_SCORES):
    st.subheader(_("The portfolio in a file"))
    st.caption(
        _(
            "The consolidated scores of every organisation and assessment year (the index, each "
            "dimension, gaps, statuses and respondents' agreement) with a codebook, to open in Excel. "
            "It holds no answers and no evidence."
        )
    )
    store = data.store()
    st.download_button(
        _("Download the portfolio's scores (Excel)"),
        data=lambda: dataset_xlsx(store, actor, lang, responses=False),
        file_name=file_name(PORTFOLIO_FILE, lang, extension="xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key="overview_scores_xlsx",
    )
