"""Batch writers on PostgreSQL never deadlock: every batch locks its organisations in one global order.

Why batches could deadlock. `ingest_files` stores up to 100 files in one transaction, and
each file locks its organisation when the batch reaches it: the organisation's row
(`SELECT … FOR UPDATE`), or for an organisation the file adds to the register, the
unique index entry of the row it inserts. Two batches meeting the same organisations in
different file orders could each hold one and wait for the other's (A holds ORG-1 and
waits for ORG-2; B holds ORG-2 and waits for ORG-1). PostgreSQL breaks such a cycle after
`deadlock_timeout` by aborting one transaction (SQLSTATE 40P01), and that `ingest` failed.

Why the order prevents it. Before anything else in its transaction, a batch takes a
transaction-level advisory lock for every organisation its files name (existing or not:
an advisory lock needs no row), in ascending order of the lock keys, and only then reads
and writes. A deadlock is a cycle of transactions, each waiting for a lock the next one
holds; follow the waits from a batch:
- a batch still taking its keys holds only keys smaller than the one it waits for, and
  nothing else, so along a chain of such batches the keys only grow: no cycle;
- a batch holding all its keys touches only its own organisations' rows (the
  organisation, its assessments, submissions, answers and results), which no other
  batch can hold, since a batch touches an organisation's rows only under its key. So
  it waits only for a writer of a single organisation (an upload from the page, a
  review, a round event), which waits for a batch only before it holds anything, or for
  the versions lock, whose exclusive holder (an activation) takes it first and then
  waits for no batch (see `version_records.hold_versions`).
The keys are sorted as the integers they are, not as the IDs they come from: two IDs
whose hashes collide then share one lock instead of breaking the order. SQLite needs
none of this: every write transaction there begins with `BEGIN IMMEDIATE`, one writer at
a time.

A transaction the database refuses with a serialisation failure (40001, e.g. under a
stricter isolation level set on the server) or a deadlock (40P01, which the order above
rules out among batches) can simply be run again: `retry_once` does so once and then
reports the batch's files as not stored (`BatchConflict`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from capacity.i18n import N_, Message
from capacity.store.errors import StoreError

log = logging.getLogger(__name__)

# The first key of the two-integer advisory locks on organisations ("OR"); sign-in uses 0x5349
# ("SI") and the single-bigint locks (schema upgrade, versions) are another key space entirely.
ORGANISATION_LOCK_SPACE = 0x4F52
KEY_BYTES = 4  # the second key of a two-integer advisory lock is a signed 32-bit integer
SERIALISATION_FAILURE, DEADLOCK_DETECTED = "40001", "40P01"
RETRIED_SQLSTATES = frozenset({SERIALISATION_FAILURE, DEADLOCK_DETECTED})

T = TypeVar("T")


def organisation_lock_key(organisation_id: str) -> int:
    """The advisory lock key of an organisation: a stable hash, the same in every process and version."""
    digest = hashlib.blake2b(organisation_id.encode("utf-8"), digest_size=KEY_BYTES).digest()
    return int.from_bytes(digest, "big", signed=True)


def organisation_lock_keys(organisation_ids: Iterable[str]) -> list[int]:
    """The keys to take for these organisations: each once, in the one global (ascending) order."""
    return sorted({organisation_lock_key(organisation_id) for organisation_id in organisation_ids})


def lock_organisations(session: Session, organisation_ids: Iterable[str]) -> None:
    """Lock these organisations until the transaction ends, in the global order (PostgreSQL only).

    Must come before the transaction's first read or write of their rows. One statement
    per key, so the order is the order of the calls rather than a query plan's.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in organisation_lock_keys(organisation_ids):
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": ORGANISATION_LOCK_SPACE, "key": key}
        )


def retried_sqlstate(error: BaseException | None) -> str | None:
    """The SQLSTATE of a serialisation failure or deadlock (worth running the transaction again) or None."""
    if not isinstance(error, DBAPIError):
        return None
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate if sqlstate in RETRIED_SQLSTATES else None


class BatchConflict(StoreError):
    """The database refused a batch twice because of concurrent writers; none of its files was stored."""

    def __init__(self, filenames: Sequence[str], sqlstate: str) -> None:
        self.filenames, self.sqlstate = tuple(filenames), sqlstate
        super().__init__(
            Message(
                N_(
                    "Not stored: the batch of files from {first} to {last} ({count} in all). The database "
                    "refused it twice because another writer was changing the same organisations "
                    "(SQLSTATE {sqlstate}); nothing of it was written. Ingest these files again."
                ),
                {"first": filenames[0], "last": filenames[-1], "count": len(filenames), "sqlstate": sqlstate},
            )
        )


def retry_once(transaction: Callable[[], T], filenames: Sequence[str]) -> T:
    """Run `transaction` (a whole transaction: it must roll back on error), again once if refused as above.

    The second refusal raises BatchConflict naming the batch's files. Any other error
    passes through at once.
    """
    try:
        return transaction()
    except DBAPIError as error:
        sqlstate = retried_sqlstate(error)
        if sqlstate is None:
            raise
        log.warning(
            "batch of %d files from %s refused (SQLSTATE %s); retrying once",
            len(filenames),
            filenames[0],
            sqlstate,
        )
    try:
        return transaction()
    except DBAPIError as error:
        sqlstate = retried_sqlstate(error)
        if sqlstate is None:
            raise
        raise BatchConflict(filenames, sqlstate) from error
