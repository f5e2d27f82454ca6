"""Organisation profile: one organisation's capacity, its path to the vision, and what to work on next."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from capacity import access, chart_text, charts, dashboard
from capacity.access import MIN_PEER_GROUP, AccessDenied
from capacity.framework import current_framework
from capacity.i18n import format_number, tn
from capacity.labels import (
    arrow_help,
    arrow_text,
    format_change,
    organisation_type_label,
    projection_text,
    region_label,
    status_help,
    status_text,
    target_name,
)
from capacity.roadmap import INDEX, TARGETS, current_roadmap
from capacity.rounds import rounds
from capacity.scoring import trends_for
from capacity.store.portfolio_queries import PEER_GROUP_ALL, PEER_GROUP_TYPE
from ui import data, filters, plan_section
from ui.language import current_language, t, widget_key
from ui.session import current_actor
from ui.text import plain, plain_message, plain_table

lang = current_language()
_ = t()
actor = current_actor()
framework = current_framework()
roadmap = current_roadmap()
today = dt.date.today().year
dimensions = [dim.code for dim in framework.dimensions]

st.title(_("Organisation profile"))
st.caption(
    _(
        "One organisation's capacity by dimension and indicator, its path towards the 2053 vision, and "
        "the next steps that would close its largest gaps."
    )
)

portfolio = data.portfolio(actor)
if portfolio.empty:
    filters.no_data()
    st.stop()

choices = dashboard.organisation_choices(portfolio, access.allowed_organisations(actor, access.VIEW_PROFILE))
if choices.empty:
    st.info(_("Your account does not give access to any organisation's profile."), icon=":material/lock:")
    st.stop()

top = st.columns([3, 1])
organisation_id = filters.url_choice(
    _("Organisation"),
    list(choices.index),
    filters.ORGANISATION,
    lambda key: f"{choices[key]} ({key})",
    container=top[0],
)
try:
    all_results = data.organisation_results(actor, organisation_id)
except AccessDenied as denied:
    st.error(plain_message(denied.message, lang))
    st.stop()
years = [str(result.year) for result in reversed(all_results)]
year = int(
    filters.url_choice(_("Assessment year"), years, filters.YEAR, str, default=years[0], container=top[1])
    or years[0]
)
results = [result for result in all_results if result.year <= year]
result = results[-1]
own_rows = portfolio[portfolio["organisation_id"] == organisation_id]
details = dashboard.latest_per_organisation(own_rows).iloc[0]

st.header(plain(result.organisation_name))
place = " · ".join(str(part) for part in (details["country"], region_label(details["region"], lang)) if part)
kind = organisation_type_label(details["organisation_type"], lang)
st.caption(" · ".join(plain(part) for part in (kind, place) if part))
late = rounds.late_uploads(data.store(), actor, organisation_id, result.year)
if late:
    st.warning(
        tn(
            "{n} questionnaire of {year} was stored after the round closed (a late upload).",
            "{n} questionnaires of {year} were stored after the round closed (late uploads).",
            late,
            lang,
            year=result.year,
        ),
        icon=":material/schedule:",
    )

trends = trends_for(results, roadmap)
trend_table = dashboard.trend_rows(trends, list(TARGETS))
index_trend = trend_table[trend_table["target"] == INDEX].iloc[0]
previous = results[-2] if len(results) > 1 else None
tile_columns = st.columns(4)
tile_columns[0].metric(
    _("Capacity index, {year}", year=result.year),
    format_number(result.index.score, lang, 1),
    delta=None
    if previous is None or previous.index.score is None or result.index.score is None
    else format_change(result.index.score - previous.index.score, lang, 1),
    help=_(
        "Weighted mean of the six dimension scores (0–100); the small figure is the change since {year}.",
        year=previous.year if previous else "–",
    ),
    border=True,
)
tile_columns[1].metric(
    _("Roadmap status"),
    status_text(result.index.roadmap.status, lang),
    border=True,
    help=status_help(result.index.roadmap.status, lang)
    + " "
    + _(
        "The roadmap expects {expected} in {year}.",
        expected=format_number(result.index.roadmap.expected, lang, 1),
        year=result.year,
    ),
)
tile_columns[2].metric(
    _("Trend"),
    arrow_text(index_trend["arrow"], lang),
    border=True,
    help=_("From the first to the latest assessment, compared with the pace needed to reach the 2053 vision.")
    + " "
    + arrow_help(index_trend["arrow"], lang),
)
projected = index_trend["projected_year"]
tile_columns[3].metric(
    _("Reaches the vision in"),
    projection_text(projected, index_trend["arrow"], lang),
    border=True,
    help=_(
        "The year the index would reach the 2053 target if it kept improving as fast as "
        "since the first assessment."
    ),
)
st.caption(
    tn(
        "{n} respondent answered in {year}.",
        "{n} respondents answered in {year}.",
        result.respondents,
        lang,
        year=result.year,
    )
)

st.subheader(_("Score against the roadmap, {year}", year=result.year))
st.caption(
    _(
        "Each bar is the score (0–100), marked with its roadmap status; the black tick is what the "
        "roadmap expected in {year}, the green diamond the 2053 vision. The grey bands are the levels "
        "of the scale.",
        year=result.year,
    )
)
bullets = dashboard.bullet_rows(result, roadmap, list(TARGETS))
st.plotly_chart(
    charts.bullet_chart(bullets, result.year, lang), key="profile_bullets", config={"displaylogo": False}
)
st.caption(chart_text.bullet_summary(bullets, lang))

st.subheader(_("Compared with peers, {year}", year=result.year))
st.caption(
    _(
        "Anonymised statistics of every organisation assessed in {year}, and of those of the same type. "
        "A group is shown only when it holds at least {minimum} organisations, so no peer's score can "
        "be read from it.",
        year=result.year,
        minimum=MIN_PEER_GROUP,
    )
)
peers = data.peer_statistics(actor, organisation_id, result.year)
own_scores = {row.target: row.score for row in bullets.itertuples(index=False)}
# one group under the other: six columns need the page's width
for group in (PEER_GROUP_ALL, PEER_GROUP_TYPE):
    members = peers[peers["group"] == group]
    if group == PEER_GROUP_ALL:
        st.markdown(_("**Every organisation assessed in {year}**", year=result.year))
    else:
        st.markdown(_("**Same type: {kind}**", kind=plain(kind)))
    if members.empty or members["median"].isna().all():
        st.info(
            _("Too few organisations in this group to show statistics without revealing a peer."),
            icon=":material/visibility_off:",
        )
        continue
    st.dataframe(
        dashboard.peer_display(members, own_scores, lang),
        hide_index=True,
        column_config={
            "target": _("Target"),
            "own": _("This organisation"),
            "median": _("Peers' median"),
            "p25": _("Lower quartile"),
            "p75": _("Upper quartile"),
            "n": _("Organisations"),
        },
    )

left, right = st.columns(2, gap="large")
with left:
    st.subheader(_("Dimensions at a glance"))
    st.caption(
        _(
            "Blue area: this round. Grey: the previous round. Dashed orange: what the roadmap expects "
            "today. Dotted green: the 2053 vision. The further out, the stronger."
        )
    )
    radar = dashboard.radar_series(results, roadmap, today, dimensions)
    st.plotly_chart(charts.radar_chart(radar, lang), key="profile_radar", config={"displaylogo": False})
    st.caption(chart_text.radar_summary(radar, lang))
with right:
    st.subheader(_("Trend and projection"))
    st.caption(
        _(
            "The score in each assessment against the roadmap path (dashed); the dotted line extends "
            "the pace since the first assessment to the year the 2053 vision would be reached (star)."
        )
    )
    trend_target = st.selectbox(
        _("Show"),
        list(TARGETS),
        format_func=lambda key: target_name(key, lang),
        key=widget_key("profile_trend_target"),
    )
    chosen_trend = trend_table[trend_table["target"] == trend_target].iloc[0]
    chosen_projection = chosen_trend["projected_year"]
    chosen_projection = None if pd.isna(chosen_projection) else float(chosen_projection)
    history = dashboard.history_series(results, list(TARGETS))
    st.plotly_chart(
        charts.trend_chart(
            history,
            dashboard.roadmap_path(roadmap),
            trend_target,
            lang,
            roadmap.vision_year,
            chosen_projection,
        ),
        key="profile_trend",
        config={"displaylogo": False},
    )
    st.caption(chart_text.trend_summary(history, trend_target, chosen_projection, lang))

st.caption(_("Trends of the index and every dimension:"))
st.dataframe(
    dashboard.trend_display(trend_table, lang),
    hide_index=True,
    column_config={
        "target": _("Target"),
        "arrow": _("Trend"),
        "period": _("Period"),
        "actual_rate": st.column_config.TextColumn(
            _("Points per year"), help=_("Pace achieved between the first and latest assessment")
        ),
        "required_rate": st.column_config.TextColumn(
            _("Needed per year"), help=_("Pace needed from the first assessment to reach the 2053 vision")
        ),
        "projected_year": _("Vision reached in"),
    },
)

st.subheader(_("Five priorities: the largest weighted gaps"))
st.caption(
    _(
        "Indicators furthest below the roadmap's expectation for {year}, weighted by their importance "
        "in the framework. The next step is what the next level of the scale looks "
        "like.",
        year=result.year,
    )
)
gaps = dashboard.top_gaps(result, framework, roadmap, lang)
if gaps.empty:
    st.success(
        _("Every answered indicator meets the roadmap's expectation for {year}.", year=result.year),
        icon=":material/check_circle:",
    )
for rank, gap in enumerate(gaps.itertuples(index=False), start=1):
    with st.container(border=True):
        st.markdown(f"**{rank}. {gap.code} · {gap.title}**")
        st.caption(
            _(
                "Level {level} now, {gap} points below the roadmap (weight {weight}, weighted gap "
                "{weighted}).",
                level=format_number(gap.level, lang, 1),
                gap=format_number(gap.gap, lang, 1),
                weight=format_number(gap.weight, lang, 1),
                weighted=format_number(gap.weighted_gap, lang, 1),
            )
        )
        st.markdown(
            _(
                "**Next step — level {level}, {name}:** {step}",
                level=gap.next_level,
                name=gap.next_level_name,
                step=gap.next_step,
            )
        )
plan_section.show(actor, organisation_id, result.year, gaps, lang)

st.subheader(_("Indicators"))
st.caption(
    _(
        "The consolidated level of each indicator (an evaluator's level outranks self-assessment), what "
        "that level looks like, and two flags: ⚠ spread when self-assessors differ by two levels or "
        "more, ⚠ self vs evaluator when the evaluator differs by a level or more. Below each table, the "
        "evidence named, one line per respondent who named some."
    )
)
shown = dashboard.indicator_display(dashboard.indicator_table(result, framework, lang), lang)
headers = {
    "indicator": _("Indicator"),
    "level_text": _("Level"),
    "descriptor": _("What this level looks like"),
    "self_evaluator": _("Self / evaluator"),
    "spread_text": _("Spread"),
    "flags": _("Flags"),
}
tabs = st.tabs([f"{dim.code} · {dim.name(lang)}" for dim in framework.dimensions])
for tab, dimension in zip(tabs, framework.dimensions, strict=True):
    rows = shown[shown["dimension"] == dimension.code]
    tab.table(
        plain_table(rows[list(headers)], ["indicator", "descriptor"]).rename(columns=headers), hide_index=True
    )
    evidence = dashboard.evidence_rows(rows)
    tab.markdown("**" + _("Evidence named") + "**")
    if evidence.empty:
        tab.caption(_("No evidence was named for this dimension."))
    else:
        tab.table(
            plain_table(evidence, ["indicator", "note"]).rename(
                columns={"indicator": _("Indicator"), "number": "#", "note": _("Evidence")}
            ),
            hide_index=True,
        )
