"""Roadmap: the milestone targets, who met the 2023 milestone, and which way each organisation is heading."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from capacity import access, charts, dashboard
from capacity.framework import current_framework
from capacity.i18n import format_number
from capacity.labels import ARROW_ORDER, ARROW_SYMBOLS, arrow_label, target_name, target_short
from capacity.roadmap import TARGETS, current_roadmap
from ui import data, filters, plan_section
from ui.language import current_language, t
from ui.session import current_actor

lang = current_language()
_ = t()
actor = current_actor()
framework = current_framework()
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

st.subheader(_("Milestone targets"))
st.caption(
    _(
        "Targets on the 0–100 score scale. Between milestones the roadmap expects a straight-line rise; "
        "the last column is what it expects in {year}.",
        year=today,
    )
)
targets_table = dashboard.milestone_targets(roadmap, today)
milestone_columns = {m.year: f"{m.year} · {m.label(lang)}" for m in roadmap.milestones}
st.dataframe(
    targets_table.assign(target=targets_table["target"].map(lambda key: target_name(key, lang)))
    .rename(
        columns={
            **{year: label for year, label in milestone_columns.items()},
            "target": _("Target"),
            "expected_now": _("Expected in {year}", year=today),
        }
    )
    .style.format(lambda value: format_number(value, lang, 0), subset=[*milestone_columns.values()])
    .format(lambda value: format_number(value, lang, 1), subset=[_("Expected in {year}", year=today)]),
    hide_index=True,
)

portfolio = data.portfolio(actor)
if portfolio.empty:
    filters.no_data()
    st.stop()

chosen = filters.filter_bar(portfolio, year_label=_("Up to round"))
scope = dashboard.up_to(dashboard.apply_filters(portfolio, chosen, with_year=False), chosen.year)
if scope.empty:
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
positions = dashboard.milestone_positions(scope, data.dimension_positions(actor))
shares = dashboard.milestone_share(positions)
basis_labels = {
    dashboard.IN_MILESTONE_ROUND: _("Assessed in {year}", year=midpoint),
    dashboard.AT_LATEST: _("Latest assessment"),
}
st.plotly_chart(
    charts.milestone_share_chart(shares, basis_labels, lang),
    key="roadmap_milestone",
    config={"displaylogo": False},
)

arrows = data.trend_arrows(actor, chosen.year)
arrows = arrows[arrows["organisation_id"].isin(set(scope["organisation_id"]))]
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
st.plotly_chart(
    charts.arrow_distribution_chart(dashboard.arrow_counts(arrows), list(TARGETS), lang),
    key="roadmap_arrows",
    config={"displaylogo": False},
)

st.subheader(_("Trend arrows by organisation"))
st.caption(
    _(
        "One row per organisation, one column per target, with the same symbols and colours as above; "
        "hover a column title for the dimension's name."
    )
)
visible = access.allowed_organisations(actor, access.VIEW_PROFILE)
own = arrows if visible is None else arrows[arrows["organisation_id"].isin(visible)]
matrix = dashboard.arrow_matrix(own)
symbols = matrix.drop(columns="organisation_id").copy()
for target in TARGETS:
    symbols[target] = symbols[target].map(ARROW_SYMBOLS.__getitem__)
colour_of_symbol = {ARROW_SYMBOLS[arrow]: colour for arrow, colour in charts.ARROW_COLOURS.items()}
st.dataframe(
    symbols.style.map(
        lambda symbol: f"background-color: {colour_of_symbol.get(symbol, 'white')}; color: #111111",
        subset=list(TARGETS),
    ),
    hide_index=True,
    height=min(600, 38 + 35 * len(symbols)),
    column_config={
        "organisation_name": st.column_config.TextColumn(_("Organisation"), width="large"),
        **{
            target: st.column_config.TextColumn(
                target_short(target, lang), help=target_name(target, lang), width="small", alignment="center"
            )
            for target in TARGETS
        },
    },
)

plan_section.show_portfolio(actor, lang)
