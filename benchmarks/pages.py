"""What each board page computes on a run, without Streamlit: the data, the figures, their JSON.

The functions follow `views/overview.py`, `profile.py`, `benchmark.py` and `roadmap.py`
call by call with the widgets at their defaults (latest round, no filter, the first
organisation, the index), and end where `st.plotly_chart` does: `plotly.io.to_json`.
`PageData` mirrors `ui/data.py`: the same queries, cached under the same keys (the
store's data version, asked once per call), and a cache hit returns an unpickled copy,
which is what `st.cache_data` does. A fresh `PageData` is a cold page run (a first
visit after a start or an upload); a filled one is a warm rerun.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.io

from capacity import access, charts, dashboard
from capacity.access import Actor
from capacity.framework import current_framework
from capacity.roadmap import TARGETS, current_roadmap
from capacity.scoring import expected_score, trends_for
from capacity.scoring.reliability import dimension_consistency
from capacity.scoring.results import AssessmentResult, Consistency, RankInterval
from capacity.scoring.sensitivity import rank_intervals
from capacity.store import Store, portfolio_queries, queries

LANG = "en"


class PageData:
    """The cached queries of `ui/data.py`, keyed by data version like `st.cache_data` keys them."""

    def __init__(self, store: Store, actor: Actor) -> None:
        self.store = store
        self.actor = actor
        self._cache: dict[tuple[Any, ...], bytes] = {}

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        full_key = (*key, portfolio_queries.data_version(self.store))
        stored = self._cache.get(full_key)
        if stored is not None:
            return pickle.loads(stored)
        value = compute()
        self._cache[full_key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return value

    def portfolio(self) -> pd.DataFrame:
        return self._cached(("portfolio",), lambda: queries.portfolio(self.store, self.actor))

    def evidence(self) -> pd.DataFrame:
        return self._cached(
            ("evidence",), lambda: portfolio_queries.evidence_coverage(self.store, self.actor)
        )

    def dimension_positions(self) -> pd.DataFrame:
        return self._cached(
            ("dimension_positions",), lambda: portfolio_queries.dimension_positions(self.store, self.actor)
        )

    def organisation_results(self, organisation_id: str) -> list[AssessmentResult]:
        return self._cached(
            ("organisation_results", organisation_id),
            lambda: queries.assessment_results(self.store, self.actor, organisation_id),
        )

    def peer_statistics(self, organisation_id: str, year: int) -> pd.DataFrame:
        return self._cached(
            ("peer_statistics", organisation_id, year),
            lambda: portfolio_queries.peer_statistics(self.store, self.actor, organisation_id, year),
        )

    def trend_arrows(self, up_to_year: int | None) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            scope = dashboard.up_to(self.portfolio(), up_to_year)
            return dashboard.trend_arrows(scope, current_roadmap())

        return self._cached(("trend_arrows", up_to_year), compute)

    def round_statistics(self, year: int) -> tuple[list[RankInterval], list[Consistency]]:
        def compute() -> tuple[list[RankInterval], list[Consistency]]:
            framework = current_framework()
            scores = portfolio_queries.round_scores(self.store, self.actor, year, framework)
            return rank_intervals(scores, framework), dimension_consistency(scores, framework)

        return self._cached(("round_statistics", year), compute)


def _filter_bar(portfolio: pd.DataFrame) -> dashboard.Filters:
    """`ui.filters.filter_bar` at its defaults: the latest round, every type, region and country."""
    dashboard.filter_choices(portfolio)
    dashboard.filter_choices(portfolio, None)
    return dashboard.Filters(year=dashboard.rounds(portfolio)[0])


def _figures_json(*figures: Any) -> list[str]:
    """What `st.plotly_chart` does with each figure before sending it to the browser."""
    return [plotly.io.to_json(figure, validate=False) for figure in figures]


def overview(data: PageData) -> list[str]:
    actor, roadmap = data.actor, current_roadmap()
    portfolio = data.portfolio()
    chosen = _filter_bar(portfolio)
    tiles = dashboard.kpi_tiles(portfolio, data.evidence(), chosen)
    assert tiles is not None
    scope = dashboard.apply_filters(portfolio, chosen, with_year=False)
    series = dashboard.roadmap_series(dashboard.up_to(scope, tiles.year))
    road = charts.roadmap_chart(series, dashboard.roadmap_path(roadmap), dt.date.today().year, LANG)
    round_rows = dashboard.apply_filters(portfolio, chosen)
    visible = access.allowed_organisations(actor, access.VIEW_PROFILE)
    heatmap = dashboard.heatmap_matrix(round_rows, dashboard.SORT_BY_NAME, visible)
    return _figures_json(road, charts.status_heatmap(heatmap.page(1, dashboard.GRID_PAGE_SIZE), LANG))


def default_profile(portfolio: pd.DataFrame, actor: Actor) -> str:
    """The organisation the profile page opens on: the first of its list."""
    choices = dashboard.organisation_choices(
        portfolio, access.allowed_organisations(actor, access.VIEW_PROFILE)
    )
    return str(choices.index[0])


def profile(data: PageData, organisation_id: str | None = None) -> list[str]:
    framework, roadmap = current_framework(), current_roadmap()
    portfolio = data.portfolio()
    organisation_id = organisation_id or default_profile(portfolio, data.actor)
    all_results = data.organisation_results(organisation_id)
    year = all_results[-1].year
    results = [result for result in all_results if result.year <= year]
    result = results[-1]
    dashboard.latest_per_organisation(portfolio[portfolio["organisation_id"] == organisation_id])
    trend_table = dashboard.trend_rows(trends_for(results, roadmap), list(TARGETS))
    bullet_rows = dashboard.bullet_rows(result, roadmap, list(TARGETS))
    bullets = charts.bullet_chart(bullet_rows, result.year, LANG)
    peers = data.peer_statistics(organisation_id, result.year)
    own_scores = {row.target: row.score for row in bullet_rows.itertuples(index=False)}
    peers.assign(own=peers["target"].map(own_scores))
    dimensions = [dim.code for dim in framework.dimensions]
    radar = charts.radar_chart(
        dashboard.radar_series(results, roadmap, dt.date.today().year, dimensions), LANG
    )
    chosen = trend_table[trend_table["target"] == TARGETS[0]].iloc[0]
    projection = chosen["projected_year"]
    trend = charts.trend_chart(
        dashboard.history_series(results, list(TARGETS)),
        dashboard.roadmap_path(roadmap),
        TARGETS[0],
        LANG,
        roadmap.vision_year,
        None if projection is None or projection != projection else float(projection),
    )
    dashboard.top_gaps(result, framework, roadmap, LANG)
    dashboard.indicator_table(result, framework, LANG)
    return _figures_json(bullets, radar, trend)


def benchmark(data: PageData) -> list[str]:
    roadmap = current_roadmap()
    portfolio = data.portfolio()
    year = dashboard.rounds(portfolio)[0]
    round_rows = portfolio[portfolio["year"] == year]
    choices = dashboard.organisation_choices(
        round_rows, access.allowed_organisations(data.actor, access.VIEW_PROFILE)
    )
    organisation_id = dashboard.default_highlight(round_rows, list(choices.index))
    target = TARGETS[0]
    if organisation_id is not None:
        dashboard.peer_standing(round_rows, organisation_id, target)
    groups = dashboard.peer_distribution(round_rows, target)
    figures = []
    if not groups.points.empty:
        figures.append(
            charts.distribution_chart(
                groups, target, LANG, organisation_id, expected_score(roadmap, target, year), year
            )
        )
    intervals, consistency = data.round_statistics(year)
    ranks = dashboard.rank_table(intervals, round_rows)
    window = dashboard.rank_window(ranks, organisation_id) if organisation_id is not None else ranks.iloc[0:0]
    if not window.empty:
        figures.append(charts.rank_interval_chart(window, LANG, organisation_id))
    figures.append(charts.consistency_chart(dashboard.consistency_table(consistency), LANG))
    return _figures_json(*figures)


def roadmap_page(data: PageData) -> list[str]:
    roadmap = current_roadmap()
    dashboard.milestone_targets(roadmap, dt.date.today().year)
    portfolio = data.portfolio()
    chosen = _filter_bar(portfolio)
    scope = dashboard.up_to(dashboard.apply_filters(portfolio, chosen, with_year=False), chosen.year)
    positions = dashboard.milestone_positions(scope, data.dimension_positions())
    shares = dashboard.milestone_share(positions)
    basis = {dashboard.IN_MILESTONE_ROUND: "Assessed in 2023", dashboard.AT_LATEST: "Latest assessment"}
    milestone = charts.milestone_share_chart(shares, basis, LANG)
    arrows = data.trend_arrows(chosen.year)
    arrows = arrows[arrows["organisation_id"].isin(set(scope["organisation_id"]))]
    counts = charts.arrow_distribution_chart(dashboard.arrow_counts(arrows), list(TARGETS), LANG)
    visible = access.allowed_organisations(data.actor, access.VIEW_PROFILE)
    matrix = dashboard.arrow_matrix(
        arrows if visible is None else arrows[arrows["organisation_id"].isin(visible)]
    )
    grid = charts.arrow_grid(dashboard.page_of(matrix, 1), list(TARGETS), LANG)
    return _figures_json(milestone, counts, grid)


PAGES: dict[str, Callable[[PageData], list[str]]] = {
    "Overview": overview,
    "Profile": profile,
    "Benchmark": benchmark,
    "Roadmap": roadmap_page,
}
