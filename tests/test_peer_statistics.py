"""Anonymised peer statistics: what a manager may know of other organisations, and no more.

The figures are checked against the engine's stored scores read as the local admin; the
privacy rules (no group under five, no subgroup whose complement is under five, no peer
named) are checked for every mix of group sizes hypothesis picks.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.access import CLI_ADMIN, MANAGER, MIN_PEER_GROUP, AccessDenied, Actor
from capacity.roadmap import INDEX, TARGETS
from capacity.store import open_store, queries
from capacity.store.portfolio_queries import PEER_GROUP_ALL, PEER_GROUP_TYPE, peer_statistics
from tests.dashboard_data import fill_small_portfolio, ingest_all
from tests.store_support import make_submission

MANAGER_OF_NS_01 = Actor("manny", MANAGER, frozenset({"NS-01"}))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('peers') / 'capacity.db'}")
    fill_small_portfolio(opened)
    yield opened
    opened.close()


def row(stats, group: str, target: str):
    return stats[(stats["group"] == group) & (stats["target"] == target)].iloc[0]


def test_the_whole_round_matches_the_stored_scores(small) -> None:
    stats = peer_statistics(small, MANAGER_OF_NS_01, "NS-01", 2023)
    stored = queries.portfolio(small, CLI_ADMIN, years=[2023])
    index = stored["index_score"].astype(float)
    found = row(stats, PEER_GROUP_ALL, INDEX)
    assert found["n"] == len(index) >= MIN_PEER_GROUP
    assert found["median"] == pytest.approx(index.median())
    assert found["mean"] == pytest.approx(index.mean())
    assert found["p25"] <= found["median"] <= found["p75"]
    ic = stored["IC_score"].dropna().astype(float)
    assert row(stats, PEER_GROUP_ALL, "IC")["median"] == pytest.approx(ic.median())


def test_a_manager_learns_nothing_that_names_a_peer(small) -> None:
    stats = peer_statistics(small, MANAGER_OF_NS_01, "NS-01", 2023)
    assert set(stats["target"]) == set(TARGETS)
    assert "organisation_id" not in stats.columns
    shown = " ".join(map(str, stats.to_numpy().ravel()))
    assert not any(f"NS-0{n}" in shown for n in range(2, 7))
    assert queries.portfolio(small, MANAGER_OF_NS_01)["organisation_id"].unique().tolist() == ["NS-01"]


def test_only_for_an_organisation_the_actor_may_see(small) -> None:
    with pytest.raises(AccessDenied):
        peer_statistics(small, MANAGER_OF_NS_01, "NS-02", 2023)


def test_a_subgroup_with_too_few_left_outside_it_is_withheld(small) -> None:
    """2023: six national societies and three NGOs; the six beside all nine would reveal the three."""
    stats = peer_statistics(small, MANAGER_OF_NS_01, "NS-01", 2023)
    same_type = row(stats, PEER_GROUP_TYPE, INDEX)
    assert same_type["organisation_type"] == "national_society" and same_type["n"] == 6
    assert math.isnan(same_type["median"]) and math.isnan(same_type["mean"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(same_type=st.integers(1, 7), other_type=st.integers(0, 7))
def test_figures_show_only_for_groups_safe_to_show(tmp_path_factory, same_type: int, other_type: int) -> None:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('mix') / 'capacity.db'}")
    try:
        ingest_all(
            store,
            [
                make_submission(f"S-{n}", 2025, seed=n, organisation_type="foundation")
                for n in range(same_type)
            ]
            + [make_submission(f"O-{n}", 2025, seed=n, organisation_type="ngo") for n in range(other_type)],
        )
        manager = Actor("m", MANAGER, frozenset({"S-0"}))
        stats = peer_statistics(store, manager, "S-0", 2025)
        whole = row(stats, PEER_GROUP_ALL, INDEX)
        subgroup = row(stats, PEER_GROUP_TYPE, INDEX)
        assert (whole["n"], subgroup["n"]) == (same_type + other_type, same_type)
        assert math.isnan(whole["median"]) == (same_type + other_type < MIN_PEER_GROUP)
        subgroup_safe = same_type >= MIN_PEER_GROUP and not 0 < other_type < MIN_PEER_GROUP
        assert math.isnan(subgroup["median"]) != subgroup_safe
    finally:
        store.close()
