"""The Benchmark page's sections: the highlighted organisation's standing, the distribution, the reliability.

The page (views/benchmark.py) chooses the round, the organisation and the target and
calls these in order; the figures come from `capacity.dashboard` and the words from
`capacity.benchmark` and `capacity.chart_text`, so a section only places them. Chart keys
stay the ones the page always had.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import benchmark, chart_text, charts, dashboard
from capacity.access import MIN_PEER_GROUP, Actor
from capacity.dashboard import PeerGroups, PeerStanding, RoundSummary
from capacity.roadmap import Roadmap
from capacity.scoring import expected_score
from ui import data
from ui.language import t
from ui.text import plain
from ui.tiles import tile_row

PLOT_CONFIG = {"displaylogo": False}


def standing(found: PeerStanding, target_label: str, name: str, year: int, lang: str) -> None:
    """The score, the peer group and the percentile as tiles, then the percentile as a sentence."""
    tile_row(benchmark.standing_tiles(found, target_label, name, year, lang))
    sentence = benchmark.standing_sentence(found, name, year, lang)
    if sentence is not None:
        st.caption(sentence)


def distribution(
    groups: PeerGroups,
    target: str,
    year: int,
    roadmap: Roadmap,
    highlight: tuple[str | None, str | None, PeerStanding | None],
    whole_round: RoundSummary | None,
    lang: str,
) -> None:
    """The scores by organisation type, with the highlighted organisation (its id, name and standing)
    as a star; a round too small to show without identifying anyone says so instead."""
    _ = t()
    organisation_id, name, found = highlight
    st.subheader(_("Distribution by organisation type, {year}", year=year))
    st.caption(
        _(
            "Each dot is one organisation; the box holds the middle half of its type, the line inside is "
            "the median. The grey box is every organisation of the round, anonymised (no dots). The dashed "
            "line is what the roadmap expects in {year}; the star is the highlighted organisation.",
            year=year,
        )
    )
    if groups.points.empty and whole_round is None:
        st.info(
            _(
                "Fewer than {minimum} organisations have a score in {year}, so no distribution can be shown "
                "without identifying organisations.",
                minimum=MIN_PEER_GROUP,
                year=year,
            ),
            icon=":material/visibility_off:",
        )
    else:
        st.plotly_chart(
            charts.distribution_chart(
                groups,
                target,
                lang,
                organisation_id,
                expected_score(roadmap, target, year),
                year,
                whole_round=whole_round,
                highlight_score=None if found is None else found.score,
                highlight_name=name,
            ),
            key="benchmark_distribution",
            config=PLOT_CONFIG,
        )
        st.caption(chart_text.distribution_summary(groups, whole_round, lang))
    withheld = benchmark.withheld_types(groups.groups, lang)
    if withheld is not None:
        st.caption(withheld)


def reliability(actor: Actor, year: int, organisation_id: str | None, name: str, lang: str) -> None:
    """How far the ranking depends on the weights, and whether each dimension's indicators hang
    together: a sentence each for boards, the charts for evaluators in an expander."""
    _ = t()
    consistency = data.consistency(actor, year)
    ranks = data.rank_table(actor, year)
    window = dashboard.rank_window(ranks, organisation_id) if organisation_id is not None else ranks.iloc[0:0]
    table = dashboard.consistency_table(consistency)
    st.subheader(_("Can the comparison be trusted?"))
    if not window.empty:
        st.markdown(chart_text.rank_sentence(window, organisation_id, plain(name), lang))
    st.markdown(chart_text.consistency_sentence(table, lang))
    with st.expander(_("Method and reliability (for evaluators)"), icon=":material/science:"):
        _ranks(window, organisation_id, year, lang)
        st.markdown(_("**Do the indicators of each dimension hang together?**"))
        st.caption(
            _(
                "Cronbach's alpha over the {year} results of all organisations: values of 0.7 and above mean "
                "the indicators of a dimension rise and fall together, so adding them into one score is "
                "sensible.",
                year=year,
            )
        )
        st.plotly_chart(charts.consistency_chart(table, lang), key="benchmark_alpha", config=PLOT_CONFIG)
        st.caption(chart_text.consistency_summary(table, lang))
        notes = benchmark.consistency_notes(table, lang)
        if notes is not None:
            st.caption(notes)
        st.caption(benchmark.complete_cases(table, lang))


def _ranks(window: pd.DataFrame, organisation_id: str | None, year: int, lang: str) -> None:
    """The weight-sensitivity rank intervals of the highlighted organisation's peer group."""
    _ = t()
    st.markdown(_("**How much does the ranking depend on the weights?**"))
    st.caption(
        _(
            "The index was recomputed 1,000 times with every dimension weight shifted at random by up to "
            "±25 %. Each dot is an organisation's median rank, the bar its 5–95 % rank range: a long bar "
            "means its place depends on the weighting rather than on its capacity. Shown for the "
            "highlighted organisation's peer group (at most 25 around it)."
        )
    )
    if window.empty:
        st.info(_("The highlighted organisation has no index in {year}, so it has no rank.", year=year))
    elif len(window) > 1:
        st.plotly_chart(
            charts.rank_interval_chart(window, lang, organisation_id),
            key="benchmark_ranks",
            config=PLOT_CONFIG,
        )
        st.caption(plain(chart_text.rank_summary(window, lang)))
    else:  # its peer group is too small to show the others: the sentence above says it all
        st.caption(
            _(
                "Its peer group has fewer than {minimum} organisations, so no other organisation's rank "
                "is shown.",
                minimum=MIN_PEER_GROUP,
            )
        )
