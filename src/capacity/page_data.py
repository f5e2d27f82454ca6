"""What each board page derives from the portfolio for one choice of its widgets.

A page reruns on every click. At 20,000 organisations each of these derivations (each
organisation's latest row, sorting by name, grouping by type, the milestone shares)
costs 30–500 ms, and together they were most of a rerun (issue 20: a warm page within
150 ms). So `ui/data.py` caches their results per data version, reader and choice, and
the views only draw them; `benchmarks/pages.py` calls the same functions, so what is
measured is what the pages run. Every function here is pure and reads only its
arguments; the numbers in them are the engine's, as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from capacity import dashboard
from capacity.dashboard import Filters, Heatmap, KpiTiles, PeerGroups, PeerStanding


@dataclass(frozen=True)
class OverviewRound:
    """The Overview's headline figures and the road-to-2053 means up to the chosen round."""

    tiles: KpiTiles
    series: pd.DataFrame  # `dashboard.roadmap_series` of the filtered assessments up to the round


def overview_round(portfolio: pd.DataFrame, evidence: pd.DataFrame, chosen: Filters) -> OverviewRound | None:
    """The round's tiles and the roadmap series; None when nothing matches the filters."""
    tiles = dashboard.kpi_tiles(portfolio, evidence, chosen)
    if tiles is None:
        return None
    scope = dashboard.apply_filters(portfolio, chosen, with_year=False)
    return OverviewRound(tiles, dashboard.roadmap_series(dashboard.up_to(scope, tiles.year)))


def overview_heatmap(
    portfolio: pd.DataFrame, chosen: Filters, sort_by: str, visible: Iterable[str] | None
) -> Heatmap:
    """Every organisation of the chosen round the reader may open, in the chosen order."""
    return dashboard.heatmap_matrix(dashboard.apply_filters(portfolio, chosen), sort_by, visible)


@dataclass(frozen=True)
class RoadmapProgress:
    """The Roadmap page's milestone shares, arrow counts and arrow grid for the chosen filters."""

    shares: pd.DataFrame  # `dashboard.milestone_share`
    counts: pd.DataFrame  # `dashboard.arrow_counts`
    matrix: pd.DataFrame  # `dashboard.arrow_matrix`: organisations the reader may open × targets


def roadmap_progress(
    portfolio: pd.DataFrame,
    dimension_positions: pd.DataFrame,
    arrows: pd.DataFrame,
    chosen: Filters,
    visible: Iterable[str] | None,
) -> RoadmapProgress | None:
    """Who met the 2023 milestone and which way each organisation heads, up to the chosen round.

    `arrows` are every organisation's trends up to that round (`dashboard.trend_arrows`);
    they are narrowed to the filtered organisations here. None when no assessment matches.
    """
    scope = dashboard.up_to(dashboard.apply_filters(portfolio, chosen, with_year=False), chosen.year)
    if scope.empty:
        return None
    shares = dashboard.milestone_share(dashboard.milestone_positions(scope, dimension_positions))
    arrows = arrows[arrows["organisation_id"].isin(scope["organisation_id"].unique())]
    shown = arrows if visible is None else arrows[arrows["organisation_id"].isin(list(visible))]
    return RoadmapProgress(shares, dashboard.arrow_counts(arrows), dashboard.arrow_matrix(shown))


@dataclass(frozen=True)
class BenchmarkRound:
    """One round as the Benchmark page compares it."""

    rows: pd.DataFrame  # the round's assessments (rows of the portfolio)
    choices: pd.Series  # organisation id → name, of those the reader may open, by name
    default: str | None  # the organisation highlighted first (`dashboard.default_highlight`)


def benchmark_round(portfolio: pd.DataFrame, year: int, visible: Iterable[str] | None) -> BenchmarkRound:
    """The round's rows, the organisations to offer and the one to start on."""
    rows = portfolio[portfolio["year"] == year]
    choices = dashboard.organisation_choices(rows, visible)
    return BenchmarkRound(rows, choices, dashboard.default_highlight(rows, list(choices.index)))


@dataclass(frozen=True)
class BenchmarkPeers:
    """One target's distribution by type in the round, and the highlighted organisation's standing."""

    groups: PeerGroups
    standing: PeerStanding | None


def benchmark_peers(round_rows: pd.DataFrame, organisation_id: str | None, target: str) -> BenchmarkPeers:
    """`dashboard.peer_distribution` and, with an organisation, `dashboard.peer_standing`."""
    standing = dashboard.peer_standing(round_rows, organisation_id, target) if organisation_id else None
    return BenchmarkPeers(dashboard.peer_distribution(round_rows, target), standing)
