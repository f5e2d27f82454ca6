"""Cached store queries for the pages, keyed by the store's data version.

Each query runs once per data version and actor: the version (`portfolio_queries.data_version`)
changes with every upload, restore, deletion or review, so a new upload shows on the
next page run while unchanged data is served from memory. Heavier peer statistics
(trends of every organisation, weight sensitivity, Cronbach's alpha) are cached the
same way, so no page ever calls the engine per organisation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity import dashboard, versions
from capacity.access import Actor
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


def evidence(actor: Actor) -> pd.DataFrame:
    """Indicators with a level and with evidence, per assessment."""
    return _evidence(store().url, version(), _key(actor))


def dimension_positions(actor: Actor) -> pd.DataFrame:
    """Each assessment × dimension with its roadmap gaps."""
    return _dimension_positions(store().url, version(), _key(actor))


def organisation_results(actor: Actor, organisation_id: str) -> list[AssessmentResult]:
    """The engine's stored results of one organisation, oldest first (raises AccessDenied)."""
    return _organisation_results(store().url, version(), _key(actor), organisation_id)


def trend_arrows(actor: Actor, up_to_year: int | None) -> pd.DataFrame:
    """Every organisation's trend per target from its assessments up to `up_to_year`."""
    return _trend_arrows(store().url, version(), _key(actor), up_to_year)


def round_statistics(actor: Actor, year: int) -> tuple[list[RankInterval], list[Consistency]]:
    """Weight-sensitivity rank intervals and Cronbach's alpha over the scores of one round.

    Computed from the round's numbers only (`portfolio_queries.round_scores`), not its whole
    stored results, so a cold Benchmark page need not decode every result's JSON.
    """
    return _round_statistics(store().url, version(), _key(actor), year)


@st.cache_data(max_entries=CACHE_ENTRIES * 4, show_spinner=False)
def _peer_statistics(
    url: str, data_version: str, actor: ActorKey, organisation_id: str, year: int
) -> pd.DataFrame:
    return portfolio_queries.peer_statistics(_open(url), _actor(actor), organisation_id, year)


def peer_statistics(actor: Actor, organisation_id: str, year: int) -> pd.DataFrame:
    """Anonymised statistics of the round to compare one organisation with (raises AccessDenied)."""
    return _peer_statistics(store().url, version(), _key(actor), organisation_id, year)
