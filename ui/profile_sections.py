"""The Organisation profile's sections, each drawn under its heading from the library's page data.

The page (views/profile.py) chooses the organisation and the year and calls these in order;
what each section shows comes from `capacity.dashboard` (tables and chart data) and
`capacity.profile` (tiles, peer groups, priorities and headers, in words), so a section
only places it. Chart and widget keys stay the ones the page always had.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import chart_text, charts, dashboard, profile
from capacity.access import MIN_PEER_GROUP, Actor
from capacity.framework import Framework
from capacity.labels import target_name
from capacity.roadmap import TARGETS, Roadmap
from capacity.scoring.results import AssessmentResult
from ui import data
from ui.language import t, widget_key
from ui.text import plain_table

PLOT_CONFIG = {"displaylogo": False}


def roadmap_bullets(result: AssessmentResult, roadmap: Roadmap, lang: str) -> pd.DataFrame:
    """Each target's score against the roadmap; its rows, which the peer tables show beside the peers."""
    _ = t()
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
        charts.bullet_chart(bullets, result.year, lang), key="profile_bullets", config=PLOT_CONFIG
    )
    st.caption(chart_text.bullet_summary(bullets, lang))
    return bullets


def peers(actor: Actor, organisation_id: str, year: int, bullets: pd.DataFrame, kind: str, lang: str) -> None:
    """The round's and the same type's anonymised statistics, one group under the other (six columns
    need the page's width); a group too small to show says so instead."""
    _ = t()
    st.subheader(_("Compared with peers, {year}", year=year))
    st.caption(
        _(
            "Anonymised statistics of every organisation assessed in {year}, and of those of the same type. "
            "A group is shown only when it holds at least {minimum} organisations, so no peer's score can "
            "be read from it.",
            year=year,
            minimum=MIN_PEER_GROUP,
        )
    )
    statistics = data.peer_statistics(actor, organisation_id, year)
    own_scores = {row.target: row.score for row in bullets.itertuples(index=False)}
    for group in profile.peer_groups(statistics, own_scores, kind, year, lang):
        st.markdown(group.heading)
        if group.table is None:
            st.info(
                _("Too few organisations in this group to show statistics without revealing a peer."),
                icon=":material/visibility_off:",
            )
        else:
            st.dataframe(group.table, hide_index=True, column_config=profile.peer_headers(lang))


def glance_and_trend(
    results: list[AssessmentResult],
    framework: Framework,
    roadmap: Roadmap,
    trends: pd.DataFrame,
    today: int,
    lang: str,
) -> None:
    """The radar of the dimensions beside the chosen target's trend and projection."""
    _ = t()
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(_("Dimensions at a glance"))
        st.caption(
            _(
                "Blue area: this round. Grey: the previous round. Dashed orange: what the roadmap expects "
                "today. Dotted green: the 2053 vision. The further out, the stronger."
            )
        )
        dimensions = [dimension.code for dimension in framework.dimensions]
        radar = dashboard.radar_series(results, roadmap, today, dimensions)
        st.plotly_chart(charts.radar_chart(radar, lang), key="profile_radar", config=PLOT_CONFIG)
        st.caption(chart_text.radar_summary(radar, lang))
    with right:
        st.subheader(_("Trend and projection"))
        st.caption(
            _(
                "The score in each assessment against the roadmap path (dashed); the dotted line extends "
                "the pace since the first assessment to the year the 2053 vision would be reached (star)."
            )
        )
        target = st.selectbox(
            _("Show"),
            list(TARGETS),
            format_func=lambda key: target_name(key, lang),
            key=widget_key("profile_trend_target"),
        )
        projection = profile.projected_year(trends, target)
        history = dashboard.history_series(results, list(TARGETS))
        path = dashboard.roadmap_path(roadmap)
        st.plotly_chart(
            charts.trend_chart(history, path, target, lang, roadmap.vision_year, projection),
            key="profile_trend",
            config=PLOT_CONFIG,
        )
        st.caption(chart_text.trend_summary(history, target, projection, lang))


def trend_table(trends: pd.DataFrame, lang: str) -> None:
    """The trends of the index and every dimension, paces and projection, as a table."""
    _ = t()
    st.caption(_("Trends of the index and every dimension:"))
    headers = {
        column: label if help_text is None else st.column_config.TextColumn(label, help=help_text)
        for column, (label, help_text) in profile.trend_headers(lang).items()
    }
    st.dataframe(dashboard.trend_display(trends, lang), hide_index=True, column_config=headers)


def priorities(result: AssessmentResult, framework: Framework, roadmap: Roadmap, lang: str) -> pd.DataFrame:
    """The five largest weighted gaps with their next step; the gaps, which the plan section starts from."""
    _ = t()
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
    for priority in profile.priorities(gaps, lang):
        with st.container(border=True):
            st.markdown(priority.heading)
            st.caption(priority.figures)
            st.markdown(priority.next_step)
    return gaps


def indicators(result: AssessmentResult, framework: Framework, lang: str) -> None:
    """Every indicator by dimension, one tab each: its level and flags, then the evidence named."""
    _ = t()
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
    headers = profile.indicator_headers(lang)
    tabs = st.tabs(profile.dimension_tabs(framework, lang))
    for tab, dimension in zip(tabs, framework.dimensions, strict=True):
        rows = shown[shown["dimension"] == dimension.code]
        tab.table(
            plain_table(rows[list(headers)], ["indicator", "descriptor"]).rename(columns=headers),
            hide_index=True,
        )
        evidence = dashboard.evidence_rows(rows)
        tab.markdown("**" + _("Evidence named") + "**")
        if evidence.empty:
            tab.caption(_("No evidence was named for this dimension."))
        else:
            tab.table(
                plain_table(evidence, ["indicator", "note"]).rename(columns=profile.evidence_headers(lang)),
                hide_index=True,
            )
