"""The committed demo as `make run` loads it: a register, a closed past round, an open one in every state."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from capacity import demo
from capacity.access import CLI_ADMIN
from capacity.rounds import register, rounds, states
from capacity.store import open_store
from capacity.store.ingest import STORED_NEW

pytestmark = pytest.mark.register_default  # the demo registers its organisations itself


@pytest.fixture
def loaded(tmp_path):
    """Function-scoped: the register's default must already be the real one while the demo loads."""
    store = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    outcomes = demo.ingest_demo_if_empty(store)
    yield store, outcomes
    store.close()


def test_the_demo_registers_its_organisations_and_fills_a_closed_and_an_open_round(loaded) -> None:
    store, outcomes = loaded
    assert outcomes and {o.kind for o in outcomes} == {STORED_NEW}
    registered = {entry.id for entry in register.list_organisations(store, CLI_ADMIN)}
    assert {o.organisation_id for o in outcomes} < registered  # plus the newcomers without files
    assert register.allows_create_on_first_upload(store) is False

    # A closed past round and an open current round show every state.
    found = rounds.list_rounds(store, CLI_ADMIN)
    current, past = found[0], found[1]
    assert (current.year, current.is_open) == (dt.datetime.now(dt.UTC).year, True)
    assert past.year < current.year and not past.is_open
    now = Counter(s.state for s in rounds.round_status(store, CLI_ADMIN, current.year))
    before = Counter(s.state for s in rounds.round_status(store, CLI_ADMIN, past.year))
    for state in (
        states.NOT_STARTED,
        states.IN_PROGRESS,
        states.SUBMITTED,
        states.UNDER_REVIEW,
        states.VERIFIED,
    ):
        assert now[state] > 0, (state, now)
    assert before[states.VERIFIED] > 0 and before[states.LATE] > 0, before
    assert rounds.dashboard_round(store) == (past.year, "closed")
