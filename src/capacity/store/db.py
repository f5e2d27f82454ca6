"""Where the data lives and how to talk to it: one `Store` per process, SQLite or PostgreSQL.

A laptop user gets an embedded SQLite file (`data/capacity.db`) with no set-up; a shared
deployment points `CAPACITY_DATABASE_URL` at PostgreSQL (psycopg 3), and several app
instances may then run against the same server. Whatever the back end, the database is
created or upgraded by `open_store`, so a newcomer never runs a migration by hand.

Writers are serialised deliberately: on SQLite every write transaction starts with
`BEGIN IMMEDIATE` (the write lock is taken up front, so two writers wait on the busy
timeout instead of failing on a lock upgrade), on PostgreSQL the store locks the
organisation's row (see `ingest.py`), and a batch of files first locks all its organisations,
in one global order (see `locking.py`). Readers never block writers (WAL on SQLite, MVCC on
PostgreSQL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from capacity.files import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, make_private, narrow, private_dir

DATABASE_URL_ENV = "CAPACITY_DATABASE_URL"
DATA_DIR_ENV = "CAPACITY_DATA_DIR"
DATABASE_FILENAME = "capacity.db"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for another writer before giving up
# Any constant works; it only has to be the same in every process of the deployment.
UPGRADE_LOCK_KEY = 0x4361_7061_6369_7479 >> 1  # "Capacity", shifted into a signed bigint
_WRITE_OPTION = "capacity_write"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a database


def project_root() -> Path:
    """The checkout's root (where pyproject.toml is) for an editable install, else the working directory."""
    candidate = Path(__file__).resolve().parents[3]
    return candidate if (candidate / "pyproject.toml").exists() else Path.cwd()


def data_dir() -> Path:
    """CAPACITY_DATA_DIR, else `data/` in the project root (git-ignored)."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else project_root() / "data"


def resolve_url(url: str | None = None) -> str:
    """The explicit URL, else CAPACITY_DATABASE_URL, else the embedded SQLite file."""
    if url:
        return url
    configured = os.environ.get(DATABASE_URL_ENV)
    if configured:
        return configured
    return f"sqlite:///{data_dir() / DATABASE_FILENAME}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling is switched off (isolation_level=None) because it
    begins transactions lazily and never with IMMEDIATE, which lets two writers deadlock
    on the lock upgrade; we emit BEGIN ourselves instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")  # a committed upload survives a power cut
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _private_database_file(path: Path) -> None:
    """The database file and its folder readable by their owner only, before SQLite opens them.

    SQLite creates the -wal and -shm files with the database file's own permissions, so
    creating the file 0600 first covers them; files of an older run are narrowed too. The
    app's own data folder is narrowed even when it exists; another existing folder is not
    ours to change.
    """
    private_dir(path.parent)
    if path.parent.resolve() == data_dir().resolve():
        narrow(path.parent, PRIVATE_DIR_MODE)
    make_private(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            narrow(companion, PRIVATE_FILE_MODE)


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (see `resolve_url`), with the SQLite pragmas when it is SQLite."""
    resolved = make_url(resolve_url(url))
    if resolved.get_backend_name() == "sqlite":
        database = resolved.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_database_file(Path(database))
        engine = create_engine(resolved, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(resolved, pool_pre_ping=True)


def _alembic_config(connection) -> Config:
    """Alembic configured in code, so no alembic.ini is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade_database(url: str | Engine | None = None) -> None:
    """`alembic upgrade head` in-process, safe when several processes start at once.

    The whole upgrade runs in one transaction that first takes a database-wide lock
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock), so the
    second process to start waits, then finds the schema already at head. DDL is
    transactional on both back ends, so an upgrade killed half-way leaves nothing behind.
    """
    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        with engine.execution_options(**{_WRITE_OPTION: True}).begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
            command.upgrade(_alembic_config(connection), "head")
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def current_revision(connection: Connection) -> str | None:
    """The schema revision the database is at (None before the first upgrade)."""
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest migration shipped with this version of the code."""
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


@dataclass
class Store:
    """The database of one deployment: an engine and sessions for reading and for writing."""

    url: str
    engine: Engine

    def __post_init__(self) -> None:
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; never writes, so it never waits for a writer.

        Closing it ends the transaction without expiring what was loaded, so the objects
        stay readable after the block.
        """
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One atomic transaction: committed when the block ends, rolled back on any error."""
        with self._writer() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None) -> Store:
    """The store at `url` (see `resolve_url`), created or upgraded to the current schema.

    The framework and roadmap versions active in it are installed in this process, so
    every process (CLI, app, tests) works with its own database's versions.
    """
    from capacity.versions import apply_active  # local: the versions module builds on the store

    resolved = resolve_url(url)
    engine = make_engine(resolved)
    upgrade_database(engine)
    store = Store(url=resolved, engine=engine)
    apply_active(store)
    return store
