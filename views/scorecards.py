"""Scorecards: evaluators verify indicators, preview the scorecard, and hand it over as Excel or PDF.

Everything here is drawn from the library: the scorecard's content (`capacity.export.scorecard`,
built on the dashboards' page data), the review history (`capacity.review`), the store's
`record_review`, and the exports. The page only arranges them and passes the signed-in
person along; the library refuses whatever their role may not do.
"""

from __future__ import annotations

import streamlit as st

from capacity import access, dashboard, profile
from capacity.access import AccessDenied
from capacity.export.scorecard import build_scorecard, organisation_details
from capacity.framework import current_framework
from ui import data, filters
from ui import scorecard_sections as sections
from ui.language import current_language, t
from ui.review_section import review_section
from ui.session import require_page
from ui.text import plain, plain_message

lang = current_language()
_ = t()
actor = require_page(access.EXPORT_SCORECARD)
framework = current_framework()
store = data.store()


st.title(_("Scorecards"))
st.caption(
    _(
        "Verify what organisations reported, preview their scorecard, and download it as Excel or PDF — "
        "for one organisation, for every organisation of the filter, or the whole dataset."
    )
)

portfolio = data.portfolio(actor)
if portfolio.empty:
    filters.no_data()
    st.stop()
chosen = filters.filter_bar(portfolio)
in_filter = dashboard.apply_filters(portfolio, chosen)
exportable = access.allowed_organisations(actor, access.EXPORT_SCORECARD)
choices = dashboard.organisation_choices(in_filter, exportable)
if choices.empty:
    filters.no_match()
    st.stop()
year = int(chosen.year) if chosen.year is not None else int(in_filter["year"].max())

organisation_id = filters.url_choice(
    _("Organisation"), list(choices.index), filters.ORGANISATION, lambda key: f"{choices[key]} ({key})"
)
try:
    results = data.organisation_results(actor, organisation_id)
except AccessDenied as denied:
    st.error(plain_message(denied.message, lang), icon=":material/lock:")
    st.stop()
organisation = organisation_details(portfolio[portfolio["organisation_id"] == organisation_id])
scorecard = build_scorecard(results, organisation, year, lang)
result = scorecard.result

st.header(plain(organisation.name))
place = profile.organisation_parts(
    organisation.organisation_type, organisation.country, organisation.region, lang
)
st.caption(" · ".join(plain(part) for part in (organisation_id, *place)))

# ---------------------------------------------------------------- review

if access.is_allowed(actor, access.REVIEW, organisation_id):
    review_section(store, actor, organisation_id, year, result, framework, lang)

# ---------------------------------------------------------------- preview, downloads, batch, dataset

sections.preview(scorecard, lang)
sections.downloads(store, actor, organisation_id, scorecard, lang)
sections.batch(store, actor, list(choices.index), year, lang)
if access.is_allowed(actor, access.EXPORT_DATASET):
    sections.dataset(store, actor, lang)
