"""The one global lock order (`capacity.store.locking`): why it is needed and that it holds.

Two transactions locking the same two organisations in opposite orders deadlock on
PostgreSQL (one is aborted with SQLSTATE 40P01), which is what two `ingest` batches did.
The same two transactions, each first taking `lock_organisations` for its organisations
in whatever order it names them, never do: the second one waits for the first key while
holding none, then runs once the first commits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, event, select, text

from capacity.access import CLI_ADMIN
from capacity.rounds.register import register_from_files
from capacity.store import open_store
from capacity.store.db import Store
from capacity.store.locking import (
    DEADLOCK_DETECTED,
    ORGANISATION_LOCK_SPACE,
    lock_organisations,
    organisation_lock_key,
    organisation_lock_keys,
    retried_sqlstate,
)
from capacity.store.models import Organisation
from tests.store_support import fresh_database, make_submission

FIRST, SECOND = "ORG-A", "ORG-B"
WAIT_S = 30  # far above PostgreSQL's deadlock_timeout (1 s), which decides how long the deadlock takes


@given(st.lists(st.text(min_size=1, max_size=100)))
def test_the_keys_are_each_organisation_once_in_ascending_order(organisation_ids):
    keys = organisation_lock_keys(organisation_ids)
    assert keys == sorted(set(keys))
    assert set(keys) == {organisation_lock_key(o) for o in organisation_ids}
    assert all(-(2**31) <= key < 2**31 for key in keys)  # a signed 32-bit advisory key


def test_a_key_is_the_same_in_every_process_and_version():
    """Pinned: a deployment running two versions of the app side by side must agree on every key."""
    assert organisation_lock_key("ORG-001") == 1_379_081_612  # blake2b, 4 bytes: 0x52331d8c
    assert organisation_lock_key("ORG-001") != organisation_lock_key("ORG-002")


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    """A PostgreSQL database with the two organisations registered."""
    with fresh_database("postgres", tmp_path) as url:
        opened = open_store(url)
        try:
            register_from_files(opened, CLI_ADMIN, [make_submission(FIRST), make_submission(SECOND)])
            yield opened
        finally:
            opened.close()


def _lock_row(session, organisation_id: str) -> None:
    session.execute(select(Organisation.id).where(Organisation.id == organisation_id).with_for_update())


def _holds_an_organisation_key(store: Store, pid: int) -> bool:
    with store.read() as session:
        return bool(
            session.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = :pid AND classid = :space"
                ),
                {"pid": pid, "space": ORGANISATION_LOCK_SPACE},
            )
        )


def _waits_for_a_lock(store: Store, pid: int) -> bool:
    with store.read() as session:
        return bool(
            session.scalar(
                text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted"), {"pid": pid}
            )
        )


def _await(condition, what: str) -> None:
    event = threading.Event()
    for _ in range(WAIT_S * 20):
        if condition():
            return
        event.wait(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def _both(store: Store, a_work, b_work, a_paused: threading.Event, go_on: threading.Event):
    """Run A, then B once A has paused; once B waits for a lock, let A go on.

    Returns what each raised (None when it committed) and whether B held an organisation's
    key while it waited.
    """
    outcome: dict[str, BaseException | None] = {}
    b_began = threading.Event()
    b_pid: list[int] = []

    def a() -> None:
        try:
            with store.write() as session:
                a_work(session)
            outcome["a"] = None
        except Exception as failure:
            outcome["a"] = failure
            a_paused.set()

    def b() -> None:
        try:
            a_paused.wait(WAIT_S)
            with store.write() as session:
                b_pid.append(session.scalar(text("SELECT pg_backend_pid()")))
                b_began.set()
                b_work(session)
            outcome["b"] = None
        except Exception as failure:
            outcome["b"] = failure

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    try:
        assert b_began.wait(WAIT_S)
        _await(lambda: _waits_for_a_lock(store, b_pid[0]), "B waits")
        b_held_a_key = _holds_an_organisation_key(store, b_pid[0])
    finally:
        go_on.set()
        for thread in threads:
            thread.join(WAIT_S * 2)
    return outcome, b_held_a_key


@pytest.mark.postgres
def test_opposite_lock_orders_deadlock(store):
    """A holds FIRST's row, B holds SECOND's and asks for FIRST's, then A asks for SECOND's."""
    a_paused, go_on = threading.Event(), threading.Event()

    def a_work(session) -> None:
        _lock_row(session, FIRST)
        a_paused.set()
        go_on.wait(WAIT_S)
        _lock_row(session, SECOND)

    def b_work(session) -> None:
        _lock_row(session, SECOND)
        _lock_row(session, FIRST)

    outcome, _ = _both(store, a_work, b_work, a_paused, go_on)
    failures = [failure for failure in outcome.values() if failure is not None]
    assert len(failures) == 1, outcome
    assert retried_sqlstate(failures[0]) == DEADLOCK_DETECTED
    assert "deadlock detected" in str(failures[0])


@pytest.mark.postgres
def test_the_same_transactions_after_lock_organisations_both_commit(store):
    """Each first locks both organisations, naming them in its own order; A pauses after its first key.

    B asks for the smallest key first whatever order it names them in, so it waits holding
    none, and A, which holds it, finishes; then B runs. Were the keys taken in the order
    given, B would hold SECOND's key while waiting for FIRST's, and A would then ask for it.
    """
    a_paused, go_on = threading.Event(), threading.Event()
    names = sorted([FIRST, SECOND], key=organisation_lock_key)  # the smaller key first
    a_thread: list[threading.Thread] = []

    def pause_after_the_first_key(connection, cursor, statement, parameters, context, executemany) -> None:
        if threading.current_thread() in a_thread and "pg_advisory_xact_lock" in statement:
            a_thread.clear()  # only once
            a_paused.set()
            go_on.wait(WAIT_S)

    def a_work(session) -> None:
        a_thread.append(threading.current_thread())
        lock_organisations(session, names[::-1])
        _lock_row(session, FIRST)
        _lock_row(session, SECOND)

    def b_work(session) -> None:
        lock_organisations(session, names)
        _lock_row(session, SECOND)
        _lock_row(session, FIRST)

    event.listen(Engine, "after_cursor_execute", pause_after_the_first_key)
    try:
        outcome, b_held_a_key = _both(store, a_work, b_work, a_paused, go_on)
    finally:
        event.remove(Engine, "after_cursor_execute", pause_after_the_first_key)
    assert outcome == {"a": None, "b": None}
    assert not b_held_a_key  # B waited for its first key holding none, so it blocked nobody
