"""Benchmark: how an organisation compares with its peers, and how far the comparison can be trusted."""

from __future__ import annotations

import streamlit as st

from capacity import dashboard
from capacity.labels import target_name
from capacity.roadmap import TARGETS, current_roadmap
from ui import benchmark_sections as sections
from ui import data, filters
from ui.language import current_language, t, widget_key
from ui.session import current_actor

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
chosen_round = data.benchmark_round(actor, year)
choices = chosen_round.choices
organisation_id = None
if not choices.empty:
    organisation_id = filters.url_choice(
        _("Organisation to highlight"),
        list(choices.index),
        filters.ORGANISATION,
        lambda key: f"{choices[key]} ({key})",
        container=top[1],
        default=chosen_round.default,
    )
target = top[2].selectbox(
    _("Compare"),
    list(TARGETS),
    format_func=lambda key: target_name(key, lang),
    key=widget_key("benchmark_target"),
)
name = choices.get(organisation_id) if organisation_id else None
peers = data.benchmark_peers(actor, year, organisation_id, target)
standing = peers.standing
whole_round = None
if organisation_id is not None:
    whole_round = dashboard.round_summary(data.peer_statistics(actor, organisation_id, year), target)

if standing is not None:
    sections.standing(standing, target_name(target, lang), name, year, lang)
highlight = (organisation_id, name, standing)
sections.distribution(peers.groups, target, year, roadmap, highlight, whole_round, lang)
sections.reliability(actor, year, organisation_id, name or "", lang)
