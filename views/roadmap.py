"""Roadmap: the milestone targets, who met the 2023 milestone, and which way each organisation is heading."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from capacity import chart_text, charts, dashboard
from capacity.i18n import format_number
from capacity.labels import ARROW_ORDER, ARROW_SYMBOLS, arrow_label, target_name
from capacity.roadmap import INDEX, TARGETS, current_roadmap
from ui import data, filters, plan_section
from ui.language import current_language, t
from ui.session import current_actor

lang = current_language()
_ = t()
actor = current_actor()
roadmap = current_roadmap()
today = dt.date.today().year
midpoint = dashboard.MIDPOINT_YEAR

st.title(_("Roadmap"))
st.caption(
    _(
        "The 2015–2023–2053 roadmap's targets, how many organisations reached the 2023 milestone, and "
        "whether each organisation is moving fast enough to reach the 2053 vision."
    )
)

portfolio = data.portfolio(actor)
chosen = filters.filter_bar(portfolio, year_label=_("Up to round")) if not portfolio.empty else None

st.subheader(_("Milestone targets"))
st.caption(
    _(
        "Targets on the 0–100 score scale. Between milestones the roadmap expects a straight-line rise; "
        "the last column is what it expects in {year}.",
        year=today,
    )
)
targets_table = dashboard.milestone_targets(roadmap, today)
shared = dashboard.targets_shared(targets_table)
if shared:  # one row says it all
    targets_table = targets_table[targets_table["target"] == INDEX]
milestone_columns = {m.year: f"{m.year} · {m.label(lang)}" for m in roadmap.milestones}
expected_now = _("Expected in {year}", year=today)
st.dataframe(
    targets_table.assign(
        target=targets_table["target"].map(
            lambda key: _("Index and every dimension") if shared else target_name(key, lang)
        )
    )
    .rename(columns={**milestone_columns, "target": _("Target"), "expected_now": expected_now})
    .style.format(lambda value: format_number(value, lang, 0), subset=[*milestone_columns.values()])
    .format(lambda value: format_number(value, lang, 1), subset=[expected_now]),
    hide_index=True,
)
if shared:
    st.caption(_("The index and all six dimensions share these targets, so one row shows them all."))

if chosen is None:
    filters.no_data()
    st.stop()
progress = data.roadmap_progress(actor, chosen)
if progress is None:
    filters.no_match()
    st.stop()

st.subheader(_("Who met the {year} milestone?", year=midpoint))
st.caption(
    _(
        "Share of organisations whose score is at or above the {year} target, per dimension: among "
        "those assessed in the {year} round, and among all organisations at their latest assessment (up "
        "to {last}).",
        year=midpoint,
        last=chosen.year,
    )
)
shares = progress.shares
basis_labels = {
    dashboard.IN_MILESTONE_ROUND: _("Assessed in {year}", year=midpoint),
    dashboard.AT_LATEST: _("Latest assessment"),
}
st.plotly_chart(
    charts.milestone_share_chart(shares, basis_labels, lang),
    key="roadmap_milestone",
    config={"displaylogo": False},
)
st.caption(chart_text.milestone_summary(shares, basis_labels, lang))

legend = ", ".join(f"{ARROW_SYMBOLS[arrow]} {arrow_label(arrow, lang)}" for arrow in ARROW_ORDER)
st.subheader(_("Which way are organisations heading?"))
st.caption(
    _(
        "Trend from each organisation's first to its latest assessment, compared with the pace needed "
        "to reach the 2053 vision from where it started: {legend}. Stagnating means less than half the "
        "needed pace.",
        legend=legend,
    )
)
counts = progress.counts
st.plotly_chart(
    charts.arrow_distribution_chart(counts, list(TARGETS), lang),
    key="roadmap_arrows",
    config={"displaylogo": False},
)
st.caption(chart_text.arrow_summary(counts, lang))

st.subheader(_("Trend arrows by organisation"))
st.caption(
    _(
        "One row per organisation, one column per target, with the same symbols and colours as above; "
        "hover a cell for the organisation, the dimension and the trend in words."
    )
)
matrix = progress.matrix  # only organisations the reader may open
if not matrix.empty:
    page_number = filters.page_choice(len(matrix), "roadmap_arrow_page", st.columns([1, 3])[0])
    st.plotly_chart(
        charts.arrow_grid(dashboard.page_of(matrix, page_number), list(TARGETS), lang),
        key="roadmap_arrow_grid",
        config={"displaylogo": False},
    )
    st.caption(
        _(
            "Dimensions: {names}.",
            names="; ".join(
                f"{target} = {target_name(target, lang)}" for target in TARGETS if target != INDEX
            ),
        )
    )

plan_section.show_portfolio(actor, lang)
