"""Benchmark: how an organisation compares with its peers, and how far the comparison can be trusted."""

from __future__ import annotations

import streamlit as st

from capacity import access, chart_text, charts, dashboard
from capacity.access import MIN_PEER_GROUP
from capacity.i18n import format_number, format_percent
from capacity.labels import organisation_type_label, target_name
from capacity.roadmap import TARGETS, current_roadmap
from capacity.scoring import expected_score
from ui import data, filters
from ui.language import current_language, t, widget_key
from ui.session import current_actor
from ui.text import plain

lang = current_language()
_ = t()
actor = current_actor()
roadmap = current_roadmap()

st.title(_("Benchmark"))
st.caption(
    _(
        "How an organisation compares with the others of its type, or with the whole round when its "
        "type has too few organisations, within one assessment round."
    )
)

portfolio = data.portfolio(actor)
if portfolio.empty:
    filters.no_data()
    st.stop()

top = st.columns([1.3, 3, 2])
year = filters.round_choice(portfolio, top[0])
round_rows = portfolio[portfolio["year"] == year]
choices = dashboard.organisation_choices(round_rows, access.allowed_organisations(actor, access.VIEW_PROFILE))
organisation_id = None
if not choices.empty:
    organisation_id = filters.url_choice(
        _("Organisation to highlight"),
        list(choices.index),
        filters.ORGANISATION,
        lambda key: f"{choices[key]} ({key})",
        container=top[1],
        default=dashboard.default_highlight(round_rows, list(choices.index)),
    )
target = top[2].selectbox(
    _("Compare"),
    list(TARGETS),
    format_func=lambda key: target_name(key, lang),
    key=widget_key("benchmark_target"),
)
target_label = target_name(target, lang)
standing = dashboard.peer_standing(round_rows, organisation_id, target) if organisation_id else None
name = plain(choices[organisation_id]) if organisation_id else ""
whole_round = None
if organisation_id is not None:
    whole_round = dashboard.round_summary(data.peer_statistics(actor, organisation_id, year), target)

if standing is not None:
    kind = plain(organisation_type_label(standing.organisation_type or None, lang))
    in_round = standing.compared_with == dashboard.COMPARED_WITH_ROUND
    tiles = st.columns(3)
    tiles[0].metric(
        _("Score"),
        format_number(standing.score, lang, 1),
        border=True,
        help=_("{target} of {name} in {year}.", target=target_label, name=name, year=year),
    )
    tiles[1].metric(
        _("Organisations of the same type"),
        format_number(standing.peers, lang, 0),
        border=True,
        help=_("Peer group: {kind}, organisations with a score in {year}.", kind=kind, year=year),
    )
    tiles[2].metric(
        _("Percentile in the whole round") if in_round else _("Percentile among peers"),
        format_percent(standing.share_below, lang),
        border=True,
        help=_("Share of the other organisations compared with that score lower (ties count half)."),
    )
    if standing.share_below is not None and not in_round:
        st.caption(
            _(
                "{name} ({kind}) scores higher than {share} of the other {count} organisations of its "
                "type in {year}.",
                name=name,
                kind=kind,
                share=format_percent(standing.share_below, lang),
                count=standing.peers - 1,
                year=year,
            )
        )
    elif standing.share_below is not None:
        st.caption(
            _(
                "Its type has fewer than {minimum} organisations with a score, so {name} is compared with "
                "all {count} organisations of {year}, anonymised: it scores higher than {share} of them.",
                minimum=MIN_PEER_GROUP,
                name=name,
                count=standing.round_size,
                year=year,
                share=format_percent(standing.share_below, lang),
            )
        )

st.subheader(_("Distribution by organisation type, {year}", year=year))
st.caption(
    _(
        "Each dot is one organisation; the box holds the middle half of its type, the line inside is "
        "the median. The grey box is every organisation of the round, anonymised (no dots). The dashed "
        "line is what the roadmap expects in {year}; the star is the highlighted organisation.",
        year=year,
    )
)
groups = dashboard.peer_distribution(round_rows, target)
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
            highlight_score=None if standing is None else standing.score,
            highlight_name=choices.get(organisation_id),
        ),
        key="benchmark_distribution",
        config={"displaylogo": False},
    )
    st.caption(chart_text.distribution_summary(groups, whole_round, lang))
withheld = groups.groups[~groups.groups["shown"]]
if len(withheld):
    listing = ", ".join(
        f"{plain(organisation_type_label(row.organisation_type or None, lang))} ({row.organisations})"
        for row in withheld.itertuples(index=False)
    )
    st.caption(
        _(
            "Types with fewer than {minimum} organisations are only part of the anonymised box: {groups}.",
            minimum=MIN_PEER_GROUP,
            groups=listing,
        )
    )

intervals, consistency = data.round_statistics(actor, year)
ranks = dashboard.rank_table(intervals, round_rows)
window = dashboard.rank_window(ranks, organisation_id) if organisation_id is not None else ranks.iloc[0:0]
table = dashboard.consistency_table(consistency)
st.subheader(_("Can the comparison be trusted?"))
if not window.empty:
    st.markdown(chart_text.rank_sentence(window, organisation_id, name, lang))
st.markdown(chart_text.consistency_sentence(table, lang))
with st.expander(_("Method and reliability (for evaluators)"), icon=":material/science:"):
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
            config={"displaylogo": False},
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
    st.markdown(_("**Do the indicators of each dimension hang together?**"))
    st.caption(
        _(
            "Cronbach's alpha over the {year} results of all organisations: values of 0.7 and above mean "
            "the indicators of a dimension rise and fall together, so adding them into one score is "
            "sensible.",
            year=year,
        )
    )
    st.plotly_chart(
        charts.consistency_chart(table, lang), key="benchmark_alpha", config={"displaylogo": False}
    )
    st.caption(chart_text.consistency_summary(table, lang))
    notes = [
        f"{row.dimension}: {'; '.join(_(note) for note in row.notes)}"
        for row in table.itertuples()
        if row.notes
    ]
    if notes:
        st.caption(" ".join(notes))
    st.caption(
        _(
            "Organisations with every indicator of the dimension answered: {counts}.",
            counts=", ".join(f"{row.dimension} {row.complete_cases}" for row in table.itertuples()),
        )
    )
