"""Sign-in that cannot be raced, bypassed or turned against others (issue 15, item 4).

Each test here failed on the code before this change: thirty simultaneous guesses all
had their password checked, the client key believed the leftmost X-Forwarded-For value,
one guesser shut everybody behind a shared address out for 15 minutes and an account's
owner for up to a day, and a locked account answered differently from an unknown name.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from capacity import accounts
from capacity.access import BOARD, CLI_ADMIN
from capacity.accounts import CLIENT_LIMIT, MAX_FAILURES, add_user, sign_in

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
RACERS = 30


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", CHEAP)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


class CountingVerify:
    """Counts the passwords actually checked; each check takes as long as a real argon2 one, roughly."""

    def __init__(self, verify) -> None:
        self.verify, self.calls, self.lock = verify, 0, threading.Lock()

    def __call__(self, stored_hash, password) -> bool:
        with self.lock:
            self.calls += 1
        time.sleep(0.05)
        return self.verify(stored_hash, password)


def race(store, attempts, monkeypatch) -> CountingVerify:
    """Run every (user name, password, client) of `attempts` through `sign_in` at the same moment."""
    counting = CountingVerify(accounts._verify)
    monkeypatch.setattr(accounts, "_verify", counting)
    barrier = threading.Barrier(len(attempts))

    def attempt(args):
        barrier.wait()
        return sign_in(store, *args, now=T0)

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        results = list(pool.map(attempt, attempts))
    assert all(result.actor is None for result in results)
    return counting


def test_thirty_simultaneous_guesses_on_one_account_check_at_most_the_allowed_passwords(
    store, monkeypatch
) -> None:
    add_user(store, CLI_ADMIN, "ana", BOARD)
    guesses = [("ana", f"guess {n}", f"198.51.100.{n}") for n in range(RACERS)]
    assert race(store, guesses, monkeypatch).calls == MAX_FAILURES


def test_thirty_simultaneous_guesses_from_one_client_check_at_most_the_clients_allowance(
    store, monkeypatch
) -> None:
    guesses = [(f"user{n}", "guess", "203.0.113.9") for n in range(RACERS)]
    assert race(store, guesses, monkeypatch).calls == CLIENT_LIMIT


def test_behind_a_proxy_the_client_is_the_address_the_proxy_appended() -> None:
    # The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended the address it saw.
    assert accounts.client_key("10.0.0.2", "1.2.3.4, 198.51.100.7", trust_proxy=True) == "198.51.100.7"
    assert accounts.client_key("10.0.0.2", " 1.2.3.4 ,198.51.100.7 ", trust_proxy=True) == "198.51.100.7"
    assert accounts.client_key("10.0.0.2", "1.2.3.4, 198.51.100.7", trust_proxy=False) == "10.0.0.2"


def test_a_forged_forwarded_header_does_not_give_a_guesser_fresh_allowances(sqlite_store) -> None:
    for number in range(CLIENT_LIMIT):
        client = accounts.client_key("10.0.0.2", f"192.0.2.{number}, 198.51.100.7", trust_proxy=True)
        sign_in(sqlite_store, f"user{number}", "guess", client, now=T0)
    forged = accounts.client_key("10.0.0.2", "192.0.2.250, 198.51.100.7", trust_proxy=True)
    refused = sign_in(sqlite_store, "other", "guess", forged, now=T0)
    assert "from this network" in refused.message.render("en")


def test_a_guesser_on_a_shared_address_does_not_shut_out_the_others_behind_it(sqlite_store) -> None:
    owner = add_user(sqlite_store, CLI_ADMIN, "ana", BOARD)
    for number in range(3 * CLIENT_LIMIT):  # other accounts, all from the office's one address
        sign_in(sqlite_store, f"user{number}", "guess", "203.0.113.9", now=T0 + dt.timedelta(seconds=number))
    last_guess = T0 + dt.timedelta(seconds=3 * CLIENT_LIMIT)
    signed_in = sign_in(
        sqlite_store, "ana", owner.password, "203.0.113.9", now=last_guess + dt.timedelta(minutes=1)
    )
    assert signed_in.actor is not None


def test_an_owner_made_to_wait_on_purpose_waits_minutes_not_a_day(sqlite_store) -> None:
    owner = add_user(sqlite_store, CLI_ADMIN, "ana", BOARD)
    now = T0
    for number in range(40):  # an attacker keeps failing on purpose, from many addresses
        result = sign_in(sqlite_store, "ana", "guess", f"192.0.2.{number}", now=now)
        if result.message != accounts.WRONG_PASSWORD:  # waiting: come back when the delay is over
            now += dt.timedelta(minutes=result.message.params["minutes"])
            sign_in(sqlite_store, "ana", "guess", f"192.0.2.{number}", now=now)
    assert sign_in(
        sqlite_store, "ana", owner.password, "198.51.100.7", now=now + dt.timedelta(minutes=15)
    ).actor


def test_an_unknown_user_name_and_a_delayed_account_give_the_same_answers(sqlite_store) -> None:
    add_user(sqlite_store, CLI_ADMIN, "ana", BOARD)
    answers = {}
    for name in ("ana", "nobody"):
        answers[name] = [
            sign_in(sqlite_store, name, f"guess {n}", f"192.0.2.{n}", now=T0).message
            for n in range(MAX_FAILURES + 2)
        ]
    assert answers["ana"] == answers["nobody"]
    assert answers["ana"][-1] != accounts.WRONG_PASSWORD  # both are delayed by now
