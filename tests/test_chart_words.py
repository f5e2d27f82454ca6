"""Every legend entry, axis title and annotation of the dashboard charts is in the catalog.

Each chart is built in English and in Turkish from the same data; a text that contains a
word and reads the same in both languages is an English leftover ("portfolio mean" was one).
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from capacity import charts, dashboard
from capacity.framework import current_framework
from capacity.roadmap import INDEX, TARGETS, current_roadmap
from capacity.scoring import score_assessment, trends_for
from tests.dashboard_data import uniform_submission

ROADMAP = current_roadmap()
DIMENSIONS = [dim.code for dim in current_framework().dimensions]
WORD = re.compile(r"[^\W\d_]{3,}")  # three letters or more: not a code such as IC or a number


def _texts(fig: go.Figure) -> list[str]:
    """The words a reader sees besides the data: legend names, axis and legend titles, annotations."""
    layout = fig.layout
    found = [trace.name or "" for trace in fig.data if trace.showlegend is not False]
    found += [layout.xaxis.title.text or "", layout.yaxis.title.text or ""]
    found.append(layout.legend.title.text or "")
    found += [annotation.text or "" for annotation in layout.annotations]
    return found


def _figures(lang: str) -> dict[str, go.Figure]:
    results = [score_assessment([uniform_submission("NS-04", year)]) for year in (2019, 2023, 2026)]
    series = pd.DataFrame(
        {
            "target": [INDEX, INDEX, "IC", "IC"],
            "year": [2019, 2023, 2019, 2023],
            "mean": [35.0, 50.0, 30.0, 52.0],
            "organisations": [10, 12, 10, 12],
        }
    )
    trends = dashboard.trend_rows(trends_for(results, ROADMAP), list(TARGETS))
    history = dashboard.history_series(results, list(TARGETS))
    projected = trends.set_index("target").loc[INDEX, "projected_year"]
    counts = pd.DataFrame(
        {"target": [INDEX, "IC"], "arrow": ["on track", "stagnating"], "organisations": [3, 2]}
    )
    return {
        "roadmap": charts.roadmap_chart(series, dashboard.roadmap_path(ROADMAP), 2026, lang),
        "radar": charts.radar_chart(dashboard.radar_series(results, ROADMAP, 2026, DIMENSIONS), lang),
        "bullet": charts.bullet_chart(dashboard.bullet_rows(results[-1], ROADMAP, list(TARGETS)), 2026, lang),
        "trend": charts.trend_chart(history, dashboard.roadmap_path(ROADMAP), INDEX, lang, 2053, projected),
        "arrows": charts.arrow_distribution_chart(counts, [INDEX, "IC"], lang),
    }


@pytest.mark.parametrize("lang", ["tr", "ar"])
def test_no_chart_text_is_left_in_english(lang) -> None:
    english, translated = _figures("en"), _figures(lang)
    for name, figure in english.items():
        for before, after in zip(_texts(figure), _texts(translated[name]), strict=True):
            if WORD.search(before):
                assert after != before, (name, before)


def test_the_portfolio_mean_is_translated() -> None:
    names = [trace.name for trace in _figures("tr")["roadmap"].data if trace.name]
    assert any("portföy ortalaması" in name for name in names)
