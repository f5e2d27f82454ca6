"""The database itself: zero-configuration default, pragmas, migrations, concurrent start-up."""

from __future__ import annotations

import multiprocessing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from capacity.store import db
from capacity.store.models import Base
from tests.store_support import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


def test_default_is_an_embedded_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(db.DATA_DIR_ENV, str(tmp_path / "somewhere"))
    store = db.open_store()
    try:
        assert store.url == f"sqlite:///{tmp_path / 'somewhere' / 'capacity.db'}"
        assert (tmp_path / "somewhere" / "capacity.db").exists()
    finally:
        store.close()


def test_without_any_setting_the_file_is_data_capacity_db_in_the_project(monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    monkeypatch.delenv(db.DATA_DIR_ENV, raising=False)
    assert db.resolve_url() == f"sqlite:///{db.project_root() / 'data' / 'capacity.db'}"
    assert (db.project_root() / "pyproject.toml").exists()


def test_the_environment_selects_the_database_and_an_explicit_url_wins(monkeypatch):
    monkeypatch.setenv(db.DATABASE_URL_ENV, "postgresql+psycopg://app@db.example/capacity")
    assert db.resolve_url() == "postgresql+psycopg://app@db.example/capacity"
    assert db.resolve_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    store = db.open_store(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS
    finally:
        store.close()


def test_a_write_transaction_takes_the_sqlite_write_lock_up_front(tmp_path):
    """BEGIN IMMEDIATE: a second writer cannot even start while the first holds the lock."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    store = db.open_store(url)
    other = db.make_engine(url)
    try:
        with store.write() as session:
            session.execute(text("SELECT 1"))
            with other.connect() as connection:
                connection.exec_driver_sql("PRAGMA busy_timeout = 0")
                with pytest.raises(Exception, match="locked"):
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                # Readers are never blocked by a writer.
                assert connection.exec_driver_sql("SELECT count(*) FROM organisations").scalar() == 0
    finally:
        other.dispose()
        store.close()


def test_migrations_create_exactly_the_models(database_url):
    store = db.open_store(database_url)
    try:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert db.current_revision(connection) == db.head_revision()
        tables = set(inspect(store.engine).get_table_names())
        assert {
            "organisations",
            "assessments",
            "submissions",
            "responses",
            "reviews",
            "assessment_results",
            "dimension_results",
            "indicator_results",
            "audit_log",
            "users",
        } <= tables
    finally:
        store.close()


def test_opening_again_is_a_no_op(database_url):
    db.open_store(database_url).close()
    store = db.open_store(database_url)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        store.close()


def _open_and_close(url: str, barrier) -> None:
    barrier.wait(60)  # every process has imported everything: they now really start together
    db.open_store(url).close()


def test_several_processes_starting_at_once_all_find_a_ready_database(database_url):
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    processes = [context.Process(target=_open_and_close, args=(database_url, barrier)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    store = db.open_store(database_url)
    try:
        with store.engine.connect() as connection:
            assert db.current_revision(connection) == db.head_revision()
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        store.close()
