"""Cached store queries for the pages, keyed by the store's data version.

Each query runs once per data version and actor: the version (`portfolio_queries.data_version`)
changes with every upload, restore, deletion or review, so a new upload shows on the
next page run while unchanged data is served from memory. Heavier peer statistics
(trends of every organisation, weight sensitivity, Cronbach's alpha) are cached the
same way, so no page ever calls the engine per organisation. What a page derives from
these for one choice of its widgets (`capacity.page_data`) is cached too, keyed by that
choice as well, so a rerun with unchanged data and choices recomputes nothing; the
figures drawn from it are memoised by `capacity.charts`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import access, dashboard, page_data, versions
from capacity.access import Actor
from capacity.dashboard import Filters, Heatmap
from capacity.framework import current_framework
from capacity.roadmap import current_roadmap
from capacity.scoring.reliability import dimension_consistency
from capacity.scoring.results import AssessmentResult, Consistency, RankInterval
from capacity.scoring.sensitivity import rank_intervals
from capacity.store import Store, open_store, portfolio_queries, queries
from capacity.store.db import resolve_url

ActorKey = tuple[str, str, tuple[str, ...]]
CACHE_ENTRIES = 16


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    return open_store(url)


def store() -> Store:
    """This deployment's store (CAPACITY_DATABASE_URL or the data directory), opened once per process."""
    return _open(resolve_url())


def _key(actor: Actor) -> ActorKey:
    return actor.username, actor.role, tuple(sorted(actor.organisations))


def _actor(key: ActorKey) -> Actor:
    username, role, organisations = key
    return Actor(username, role, frozenset(organisations))


def version() -> str:
    """The current data version (one cheap query per page run)."""
    return portfolio_queries.data_version(store())


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _active_versions(url: str, data_version: str) -> dict[str, str]:
    return versions.apply_active(_open(url))


def use_active_versions() -> dict[str, str]:
    """Install the store's active framework and roadmap versions, again whenever the data version changes.

    Another app instance sharing the database may have activated a version; activating
    writes the audit log, which changes the data version, so this process follows on its
    next page run without reading the versions on every run.
    """
    return _active_versions(store().url, version())


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _portfolio(url: str, data_version: str, actor: ActorKey) -> pd.DataFrame:
    return queries.portfolio(_open(url), _actor(actor))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _evidence(url: str, data_version: str, actor: ActorKey) -> pd.DataFrame:
    return portfolio_queries.evidence_coverage(_open(url), _actor(actor))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _dimension_positions(url: str, data_version: str, actor: ActorKey) -> pd.DataFrame:
    return portfolio_queries.dimension_positions(_open(url), _actor(actor))


@st.cache_data(max_entries=CACHE_ENTRIES * 4, show_spinner=False)
def _organisation_results(
    url: str, data_version: str, actor: ActorKey, organisation_id: str
) -> list[AssessmentResult]:
    return queries.assessment_results(_open(url), _actor(actor), organisation_id)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _trend_arrows(url: str, data_version: str, actor: ActorKey, up_to_year: int | None) -> pd.DataFrame:
    scope = dashboard.up_to(_portfolio(url, data_version, actor), up_to_year)
    return dashboard.trend_arrows(scope, current_roadmap())


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _round_statistics(
    url: str, data_version: str, actor: ActorKey, year: int
) -> tuple[list[RankInterval], list[Consistency]]:
    framework = current_framework()
    scores = portfolio_queries.round_scores(_open(url), _actor(actor), year, framework)
    return rank_intervals(scores, framework), dimension_consistency(scores, framework)


def portfolio(actor: Actor) -> pd.DataFrame:
    """Every scored assessment the actor may see (`queries.portfolio`)."""
    return _portfolio(store().url, version(), _key(actor))


def organisation_results(actor: Actor, organisation_id: str) -> list[AssessmentResult]:
    """The engine's stored results of one organisation, oldest first (raises AccessDenied)."""
    return _organisation_results(store().url, version(), _key(actor), organisation_id)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _consistency(url: str, data_version: str, actor: ActorKey, year: int) -> list[Consistency]:
    return _round_statistics(url, data_version, actor, year)[1]


def consistency(actor: Actor, year: int) -> list[Consistency]:
    """Cronbach's alpha of each dimension over the scores of one round.

    Computed with the weight-sensitivity rank intervals (`rank_table`) from the round's
    numbers only (`portfolio_queries.round_scores`), not its whole stored results, so a
    cold Benchmark page need not decode every result's JSON; kept apart from the
    intervals so a rerun does not copy 20,000 of them to read six alphas.
    """
    return _consistency(store().url, version(), _key(actor), year)


@st.cache_data(max_entries=CACHE_ENTRIES * 4, show_spinner=False)
def _peer_statistics(
    url: str, data_version: str, actor: ActorKey, organisation_id: str, year: int
) -> pd.DataFrame:
    return portfolio_queries.peer_statistics(_open(url), _actor(actor), organisation_id, year)


def peer_statistics(actor: Actor, organisation_id: str, year: int) -> pd.DataFrame:
    """Anonymised statistics of the round to compare one organisation with (raises AccessDenied)."""
    return _peer_statistics(store().url, version(), _key(actor), organisation_id, year)


def _visible(actor: Actor) -> frozenset[str] | None:
    """The organisations the reader may open one by one (None: all)."""
    return access.allowed_organisations(actor, access.VIEW_PROFILE)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _overview_round(
    url: str, data_version: str, actor: ActorKey, chosen: Filters
) -> page_data.OverviewRound | None:
    key = (url, data_version, actor)
    return page_data.overview_round(_portfolio(*key), _evidence(*key), chosen)


def overview_round(actor: Actor, chosen: Filters) -> page_data.OverviewRound | None:
    """The Overview's tiles and road-to-2053 means for the chosen filters (None: nothing matches)."""
    return _overview_round(store().url, version(), _key(actor), chosen)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _overview_heatmap(url: str, data_version: str, actor: ActorKey, chosen: Filters, sort_by: str) -> Heatmap:
    found = _portfolio(url, data_version, actor)
    return page_data.overview_heatmap(found, chosen, sort_by, _visible(_actor(actor)))


def overview_heatmap(actor: Actor, chosen: Filters, sort_by: str) -> Heatmap:
    """The Overview's organisations × targets for the chosen round, in the chosen order."""
    return _overview_heatmap(store().url, version(), _key(actor), chosen, sort_by)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _roadmap_progress(
    url: str, data_version: str, actor: ActorKey, chosen: Filters
) -> page_data.RoadmapProgress | None:
    key = (url, data_version, actor)
    return page_data.roadmap_progress(
        _portfolio(*key),
        _dimension_positions(*key),
        _trend_arrows(*key, chosen.year),
        chosen,
        _visible(_actor(actor)),
    )


def roadmap_progress(actor: Actor, chosen: Filters) -> page_data.RoadmapProgress | None:
    """The Roadmap's milestone shares and trend arrows for the chosen filters (None: nothing matches)."""
    return _roadmap_progress(store().url, version(), _key(actor), chosen)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _benchmark_round(url: str, data_version: str, actor: ActorKey, year: int) -> page_data.BenchmarkRound:
    return page_data.benchmark_round(_portfolio(url, data_version, actor), year, _visible(_actor(actor)))


def benchmark_round(actor: Actor, year: int) -> page_data.BenchmarkRound:
    """The Benchmark's round: its assessments, the organisations to offer and the first highlighted."""
    return _benchmark_round(store().url, version(), _key(actor), year)


@st.cache_data(max_entries=CACHE_ENTRIES * 4, show_spinner=False)
def _benchmark_peers(
    url: str, data_version: str, actor: ActorKey, year: int, organisation_id: str | None, target: str
) -> page_data.BenchmarkPeers:
    rows = _benchmark_round(url, data_version, actor, year).rows
    return page_data.benchmark_peers(rows, organisation_id, target)


def benchmark_peers(
    actor: Actor, year: int, organisation_id: str | None, target: str
) -> page_data.BenchmarkPeers:
    """One target's distribution by type in the round and the highlighted organisation's standing."""
    return _benchmark_peers(store().url, version(), _key(actor), year, organisation_id, target)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _rank_table(url: str, data_version: str, actor: ActorKey, year: int) -> pd.DataFrame:
    intervals, _consistency = _round_statistics(url, data_version, actor, year)
    return dashboard.rank_table(intervals, _benchmark_round(url, data_version, actor, year).rows)


def rank_table(actor: Actor, year: int) -> pd.DataFrame:
    """The round's weight-sensitivity rank intervals with names and types, best median rank first."""
    return _rank_table(store().url, version(), _key(actor), year)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _organisation_choices(url: str, data_version: str, actor: ActorKey) -> pd.Series:
    return dashboard.organisation_choices(_portfolio(url, data_version, actor), _visible(_actor(actor)))


def organisation_choices(actor: Actor) -> pd.Series:
    """Organisation id → latest name of every organisation whose profile the reader may open, by name."""
    return _organisation_choices(store().url, version(), _key(actor))
