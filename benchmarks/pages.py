"""What each board page computes on a run, without Streamlit: the data, the figures, their JSON.

The functions follow `views/overview.py`, `profile.py`, `benchmark.py` and `roadmap.py`
call by call with the widgets at their defaults (latest round, no filter, the first
organisation, the index), and end where `st.plotly_chart` does: `plotly.io.to_json`.
`PageData` mirrors `ui/data.py`: the same queries and page derivations
(`capacity.page_data`), cached under the same keys (the store's data version, asked once
per call), and a cache hit returns an unpickled copy, which is what `st.cache_data` does.
A fresh `PageData` is a cold page run (a first visit after a start or an upload): it
also empties the figure memo (`capacity.memo`); a filled one is a warm rerun.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.io

from capacity import access, chart_text, charts, dashboard, memo, page_data
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
        memo.clear()

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

    def consistency(self, year: int) -> list[Consistency]:
        return self._cached(("consistency", year), lambda: self.round_statistics(year)[1])

    def visible(self) -> frozenset[str] | None:
        return access.allowed_organisations(self.actor, access.VIEW_PROFILE)

    def overview_round(self, chosen: dashboard.Filters) -> page_data.OverviewRound | None:
        return self._cached(
            ("overview_round", chosen),
            lambda: page_data.overview_round(self.portfolio(), self.evidence(), chosen),
        )

    def overview_heatmap(self, chosen: dashboard.Filters, sort_by: str) -> dashboard.Heatmap:
        return self._cached(
            ("overview_heatmap", chosen, sort_by),
            lambda: page_data.overview_heatmap(self.portfolio(), chosen, sort_by, self.visible()),
        )

    def roadmap_progress(self, chosen: dashboard.Filters) -> page_data.RoadmapProgress | None:
        return self._cached(
            ("roadmap_progress", chosen),
            lambda: page_data.roadmap_progress(
                self.portfolio(),
                self.dimension_positions(),
                self.trend_arrows(chosen.year),
                chosen,
                self.visible(),
            ),
        )

    def benchmark_round(self, year: int) -> page_data.BenchmarkRound:
        return self._cached(
            ("benchmark_round", year),
            lambda: page_data.benchmark_round(self.portfolio(), year, self.visible()),
        )

    def benchmark_peers(
        self, year: int, organisation_id: str | None, target: str
    ) -> page_data.BenchmarkPeers:
        return self._cached(
            ("benchmark_peers", year, organisation_id, target),
            lambda: page_data.benchmark_peers(self.benchmark_round(year).rows, organisation_id, target),
        )

    def rank_table(self, year: int) -> pd.DataFrame:
        return self._cached(
            ("rank_table", year),
            lambda: dashboard.rank_table(self.round_statistics(year)[0], self.benchmark_round(year).rows),
        )

    def organisation_choices(self) -> pd.Series:
        return self._cached(
            ("organisation_choices",),
            lambda: dashboard.organisation_choices(self.portfolio(), self.visible()),
        )


def _filter_bar(portfolio: pd.DataFrame) -> dashboard.Filters:
    """`ui.filters.filter_bar` at its defaults: the latest round, every type, region and country."""
    dashboard.filter_choices(portfolio)
    dashboard.filter_choices(portfolio, None)
    return dashboard.Filters(year=dashboard.rounds(portfolio)[0])


def _figures_json(*figures: Any) -> list[str]:
    """What `st.plotly_chart` does with each figure before sending it to the browser."""
    return [plotly.io.to_json(figure, validate=False) for figure in figures]


def overview(data: PageData) -> list[str]:
    roadmap = current_roadmap()
    chosen = _filter_bar(data.portfolio())
    found = data.overview_round(chosen)
    assert found is not None
    road = charts.roadmap_chart(found.series, dashboard.roadmap_path(roadmap), dt.date.today().year, LANG)
    chart_text.roadmap_summary(found.series, roadmap, LANG)
    heatmap = data.overview_heatmap(chosen, dashboard.SORT_BY_NAME)
    chart_text.heatmap_summary(heatmap, LANG)
    return _figures_json(road, charts.status_heatmap(heatmap.page(1, dashboard.GRID_PAGE_SIZE), LANG))


def profile(data: PageData, organisation_id: str | None = None) -> list[str]:
    framework, roadmap = current_framework(), current_roadmap()
    portfolio = data.portfolio()
    organisation_id = organisation_id or str(data.organisation_choices().index[0])
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
    year = dashboard.rounds(data.portfolio())[0]
    chosen_round = data.benchmark_round(year)
    organisation_id = chosen_round.default
    target = TARGETS[0]
    peers = data.benchmark_peers(year, organisation_id, target)
    figures = []
    if not peers.groups.points.empty:
        figures.append(
            charts.distribution_chart(
                peers.groups, target, LANG, organisation_id, expected_score(roadmap, target, year), year
            )
        )
    consistency = data.consistency(year)
    ranks = data.rank_table(year)
    window = dashboard.rank_window(ranks, organisation_id) if organisation_id is not None else ranks.iloc[0:0]
    if not window.empty:
        figures.append(charts.rank_interval_chart(window, LANG, organisation_id))
    figures.append(charts.consistency_chart(dashboard.consistency_table(consistency), LANG))
    return _figures_json(*figures)


def roadmap_page(data: PageData) -> list[str]:
    roadmap = current_roadmap()
    dashboard.milestone_targets(roadmap, dt.date.today().year)
    chosen = _filter_bar(data.portfolio())
    progress = data.roadmap_progress(chosen)
    assert progress is not None
    basis = {dashboard.IN_MILESTONE_ROUND: "Assessed in 2023", dashboard.AT_LATEST: "Latest assessment"}
    milestone = charts.milestone_share_chart(progress.shares, basis, LANG)
    counts = charts.arrow_distribution_chart(progress.counts, list(TARGETS), LANG)
    grid = charts.arrow_grid(dashboard.page_of(progress.matrix, 1), list(TARGETS), LANG)
    return _figures_json(milestone, counts, grid)


PAGES: dict[str, Callable[[PageData], list[str]]] = {
    "Overview": overview,
    "Profile": profile,
    "Benchmark": benchmark,
    "Roadmap": roadmap_page,
}
