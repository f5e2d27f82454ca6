"""The database, its -wal and -shm files, the data folder, CLI exports and backups: owner only.

They hold every organisation's answers (a backup also the password hashes). Each test
sets the usual umask 022 first, under which a file made without an explicit mode is
readable by every user of the machine, as the database and the exports were.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from capacity import files
from capacity.access import CLI_ADMIN
from capacity.files import write_private
from capacity.store import open_store
from capacity.store.backup import backup
from capacity.store.db import DATA_DIR_ENV, DATABASE_URL_ENV
from capacity.store.ingest import ingest_submission
from tests.cli_support import run
from tests.store_support import make_submission


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_database_its_wal_and_shm_files_and_the_data_folder_are_the_owners_only(tmp_path, monkeypatch):
    tmp_path.chmod(0o755)
    data = tmp_path / "deep" / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    store = open_store()
    try:
        ingest_submission(store, make_submission("ORG-1"), b"ORG-1", "q.xlsx", CLI_ADMIN)
        database = data / "capacity.db"
        companions = [data / "capacity.db-wal", data / "capacity.db-shm"]
        assert all(path.exists() for path in companions)  # WAL mode, a connection still open
        assert {path.name: mode(path) for path in (database, *companions)} == {
            "capacity.db": 0o600,
            "capacity.db-wal": 0o600,
            "capacity.db-shm": 0o600,
        }
        assert mode(data) == 0o700 and mode(data.parent) == 0o700  # both made by the app
    finally:
        store.close()
    assert mode(tmp_path) == 0o755  # an existing folder that is not the data folder is left alone


def test_a_database_and_data_folder_of_an_earlier_run_are_narrowed(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    for name in ("capacity.db", "capacity.db-wal"):
        (data / name).touch(mode=0o644)
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    open_store().close()
    assert mode(data) == 0o700
    assert mode(data / "capacity.db") == 0o600
    assert not (data / "capacity.db-wal").exists() or mode(data / "capacity.db-wal") == 0o600


@pytest.fixture
def database(tmp_path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'store' / 'capacity.db'}"
    store = open_store(url)
    ingest_submission(store, make_submission("ORG-1"), b"ORG-1", "q.xlsx", CLI_ADMIN)
    store.close()
    yield url


@pytest.mark.parametrize(
    "arguments",
    [
        ["export", "--org", "ORG-1", "--format", "xlsx", "--out", "{out}/card.xlsx"],
        ["export-dataset", "--format", "xlsx", "--out", "{out}/dataset.xlsx"],
        ["export-dataset", "--format", "csv", "--out", "{out}/dataset.zip"],
        ["export-dataset", "--format", "csv", "--out", "{out}/csv"],
    ],
    ids=["scorecard", "dataset-xlsx", "dataset-zip", "dataset-folder"],
)
def test_exports_the_cli_writes_are_the_owners_only(capsys, tmp_path, database, arguments):
    out = tmp_path / "exports" / "new"
    code, _, err = run(capsys, *(a.format(out=out) for a in arguments), "--database", database)
    assert code == 0, err
    written = [path for path in out.rglob("*") if path.is_file()]
    assert written
    assert {path.name: mode(path) for path in written} == {path.name: 0o600 for path in written}
    assert mode(out) == 0o700 and mode(out.parent) == 0o700


def test_an_export_over_an_existing_readable_file_is_narrowed(tmp_path):
    target = tmp_path / "old.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new" and mode(target) == 0o600


def test_backups_are_the_owners_only(tmp_path, database):
    store = open_store(database)
    try:
        summary = backup(store, CLI_ADMIN, tmp_path / "backups" / "capacity.zip")
    finally:
        store.close()
    assert mode(summary.path) == 0o600
    assert mode(summary.path.parent) == 0o700


def test_a_database_of_another_owner_is_opened_with_a_warning_not_refused(tmp_path, monkeypatch, caplog):
    """An app running as a service user with group rights cannot chmod a file it does not own."""
    existing = tmp_path / "shared.db"
    open_store(f"sqlite:///{existing}").close()

    def not_the_owner(path, mode):
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(files.os, "chmod", not_the_owner)
    with caplog.at_level(logging.WARNING, logger="capacity.files"):
        open_store(f"sqlite:///{existing}").close()
    assert any("does not own it" in record.getMessage() for record in caplog.records)
