"""Organisation profile: one organisation's capacity, its path to the vision, and what to work on next."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from capacity import dashboard, profile
from capacity.access import AccessDenied
from capacity.framework import current_framework
from capacity.i18n import tn
from capacity.labels import organisation_type_label
from capacity.roadmap import TARGETS, current_roadmap
from capacity.rounds import rounds
from capacity.scoring import trends_for
from ui import data, filters, plan_section
from ui import profile_sections as sections
from ui.language import current_language, t
from ui.session import current_actor
from ui.text import plain, plain_message
from ui.tiles import tile_row

lang = current_language()
_ = t()
actor = current_actor()
framework = current_framework()
roadmap = current_roadmap()

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

choices = data.organisation_choices(actor)
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
kind = organisation_type_label(details["organisation_type"], lang)
parts = profile.organisation_parts(details["organisation_type"], details["country"], details["region"], lang)
st.caption(" · ".join(plain(part) for part in parts))
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

trends = dashboard.trend_rows(trends_for(results, roadmap), list(TARGETS))
tile_row(profile.tiles(results, trends, lang))
st.caption(
    tn(
        "{n} respondent answered in {year}.",
        "{n} respondents answered in {year}.",
        result.respondents,
        lang,
        year=result.year,
    )
)

bullets = sections.roadmap_bullets(result, roadmap, lang)
sections.peers(actor, organisation_id, result.year, bullets, kind, lang)
sections.glance_and_trend(results, framework, roadmap, trends, dt.date.today().year, lang)
sections.trend_table(trends, lang)
gaps = sections.priorities(result, framework, roadmap, lang)
plan_section.show(actor, organisation_id, result.year, gaps, lang)
sections.indicators(result, framework, lang)
