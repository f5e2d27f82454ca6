"""Framework page: dimensions, indicators, level descriptors, roadmap targets and the blank questionnaire."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import dashboard
from capacity.framework import LEVELS, current_framework
from capacity.i18n import format_number
from capacity.labels import QUESTIONNAIRE_FILE, file_name
from capacity.questionnaire.template import build_template
from capacity.roadmap import INDEX, current_roadmap
from ui.language import current_language, t

lang = current_language()
_ = t()
framework = current_framework()
roadmap = current_roadmap()


@st.cache_data(show_spinner=False)
def blank_questionnaire(language: str) -> bytes:
    return build_template(lang=language)


st.title(_("Framework"))
st.write(
    _(
        "The capacity framework has six dimensions, the sub-themes of the Humanitarian Diplomacy strategic "
        "vision. Each indicator is answered on one scale from 0 to 5; a score is the level × 20."
    )
)
st.caption(
    _(
        "Framework {framework}, version {version} · roadmap version {roadmap}",
        framework=framework.id,
        version=framework.version,
        roadmap=roadmap.version,
    )
)

st.download_button(
    _("Download the blank questionnaire (.xlsx)"),
    data=blank_questionnaire(lang),
    file_name=file_name(QUESTIONNAIRE_FILE, lang, framework.id, framework.version, lang, extension="xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    type="primary",
)

st.subheader(_("The scale"))
st.dataframe(
    pd.DataFrame(
        {
            _("Level"): list(LEVELS),
            _("Name"): [framework.level_name(lv, lang) for lv in LEVELS],
            _("Score"): [lv * 20 for lv in LEVELS],
        }
    ),
    hide_index=True,
)
st.caption(_("N/A (not applicable) and blank answers are never scored as 0."))

st.subheader(_("Roadmap targets"))
milestones = dashboard.milestone_targets(roadmap, roadmap.vision_year).drop(columns="expected_now")
shared = dashboard.targets_shared(milestones)
if shared:  # one row says it all
    milestones = milestones[milestones["target"] == INDEX]
names = {dim.code: f"{dim.code} · {dim.name(lang)}" for dim in framework.dimensions}
st.dataframe(
    pd.DataFrame(
        {
            _("Target"): [
                _("Index and every dimension") if shared else names.get(key, _("Index"))
                for key in milestones["target"]
            ],
            **{
                f"{m.year} · {m.label(lang)}": [format_number(v, lang, 0) for v in milestones[m.year]]
                for m in roadmap.milestones
            },
        }
    ),
    hide_index=True,
)
if shared:
    st.caption(_("The index and all six dimensions share these targets, so one row shows them all."))

st.subheader(_("Dimensions and indicators"))
for dimension in framework.dimensions:
    with st.expander(f"**{dimension.code}** · {dimension.name(lang)} ({len(dimension.indicators)})"):
        st.write(dimension.description(lang))
        for indicator in dimension.indicators:
            st.markdown(f"**{indicator.code} · {indicator.title(lang)}** — {indicator.question(lang)}")
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Level"): [framework.level_label(lv, lang) for lv in LEVELS],
                        _("What you would see"): [indicator.descriptors[lv](lang) for lv in LEVELS],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            st.caption(
                _("Evidence: {guidance}", guidance=indicator.evidence(lang))
                + "  \n"
                + _("From the vision: {source}", source=indicator.source(lang))
            )
