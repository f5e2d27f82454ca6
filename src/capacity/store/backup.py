"""A portable dump of the whole database, to back up and to move between SQLite and PostgreSQL.

The dump is a zip file: `manifest.json` (format, schema revision, row counts) and one
JSON-lines file per table, every column spelt out by name, binary columns (the original
uploaded files) in base64 and timestamps in ISO 8601 with their time zone. Nothing in it
depends on the database it came from, so a laptop's SQLite data can seed a shared
PostgreSQL server and back. Backups read one consistent snapshot; a restore is one
transaction, so it lands entirely or not at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Date, LargeBinary, Table, bindparam, func, select, text

from capacity import access
from capacity.access import Actor
from capacity.files import private_dir
from capacity.i18n import N_, Message
from capacity.store import audit
from capacity.store.db import Store, current_revision, head_revision
from capacity.store.errors import StoreError
from capacity.store.models import Base, LoginSession, UTCDateTime

FORMAT = "capacity-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 500


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    schema_revision: str
    rows: dict[str, int]  # table → rows


# Signed-in sessions are not data: a backup does not carry them (they would sign people in
# on another server), and a restore ends every session of the database it replaces.
NOT_BACKED_UP = frozenset({LoginSession.__tablename__})


def _tables() -> list[Table]:
    """Every table backed up, parents before children (the order a restore must insert them in)."""
    return [table for table in Base.metadata.sorted_tables if table.name not in NOT_BACKED_UP]


def _encode(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    statement = select(table).order_by(*table.primary_key.columns)
    for row in connection.execution_options(yield_per=BATCH).execute(statement):
        yield {column.name: _encode(column, row._mapping[column]) for column in table.columns}


def backup(store: Store, actor: Actor, out: Path | str) -> BackupSummary:
    """Write the whole database to `out` (replaced atomically, never left half-written)."""
    access.require(actor, access.EXPORT_DATASET)
    access.require(actor, access.MANAGE_USERS)  # the dump holds the accounts too
    out = Path(out)
    private_dir(out.parent)  # mkstemp below makes the dump itself 0600
    counts: dict[str, int] = {}
    handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    os.close(handle)
    try:
        with (
            store.engine.connect() as connection,
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            if connection.dialect.name == "postgresql":  # one snapshot for every table
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                revision = current_revision(connection)
                for table in _tables():
                    counts[table.name] = 0
                    with archive.open(f"{table.name}.jsonl", "w", force_zip64=True) as raw:
                        writer = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                        for row in _rows(connection, table):
                            writer.write(json.dumps(row, ensure_ascii=False) + "\n")
                            counts[table.name] += 1
                        writer.flush()
                        writer.detach()
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_revision": revision,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "source": connection.dialect.name,
                "rows": counts,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    with store.write() as session:
        audit.record(session, actor, audit.BACKUP_CREATED, None, path=str(out), rows=counts)
    return BackupSummary(path=out, schema_revision=revision, rows=counts)


def read_manifest(path: Path | str) -> dict[str, Any]:
    """The dump's manifest, checked to be one of ours."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
    except (OSError, zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise StoreError(
            Message(N_("{path} is not a backup made by this application."), {"path": str(path)})
        ) from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise StoreError(Message(N_("{path} is not a backup made by this application."), {"path": str(path)}))
    return manifest


def is_empty(store: Store) -> bool:
    with store.read() as session:
        return all(session.scalar(select(func.count()).select_from(table)) == 0 for table in _tables())


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which an insert with explicit ids does not advance."""
    for table in _tables():
        if "id" in table.columns and table.columns["id"].autoincrement is True:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                    f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
                )
            )


def _load_table(connection: Connection, archive: zipfile.ZipFile, table: Table) -> int:
    """Insert one table's rows; references to the same table are set afterwards (any order then works)."""
    self_refs = [c for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
    pending: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    count = 0
    with archive.open(f"{table.name}.jsonl") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            stored = json.loads(line)
            row = {c.name: _decode(c, stored.get(c.name)) for c in table.columns}
            for column in self_refs:
                if row[column.name] is not None:
                    pending.append({"pk": row["id"], "column": column.name, "value": row[column.name]})
                    row[column.name] = None
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                count += len(batch)
                batch = []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    for column in self_refs:
        updates = [
            {"pk": ref["pk"], "value": ref["value"]} for ref in pending if ref["column"] == column.name
        ]
        if updates:
            statement = (
                table.update().where(table.c.id == bindparam("pk")).values({column.name: bindparam("value")})
            )
            connection.execute(statement, updates)
    return count


def restore(store: Store, actor: Actor, path: Path | str, force: bool = False) -> BackupSummary:
    """Load a dump into this database; refuses one that holds data unless `force` (which replaces it)."""
    access.require(actor, access.MANAGE_USERS)
    access.require(actor, access.DELETE_SUBMISSION)  # with force, everything present is replaced
    manifest = read_manifest(path)
    with store.engine.connect() as connection:
        head = current_revision(connection) or head_revision()
    if manifest["schema_revision"] != head:
        raise StoreError(
            Message(
                N_(
                    "The backup has database schema {found}, but this version of the application "
                    "uses {expected}."
                ),
                {"found": manifest["schema_revision"], "expected": head},
            )
        )
    if not force and not is_empty(store):
        raise StoreError(
            Message(
                N_(
                    "The database already holds data; restore into an empty database, "
                    "or use --force to replace it."
                ),
                {},
            )
        )
    counts: dict[str, int] = {}
    with store.write() as session, zipfile.ZipFile(path) as archive:
        connection = session.connection()
        connection.execute(LoginSession.__table__.delete())
        for table in reversed(_tables()):
            connection.execute(table.delete())
        for table in _tables():
            counts[table.name] = _load_table(connection, archive, table)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
        if counts != manifest["rows"]:
            raise StoreError(Message(N_("The backup {path} is incomplete or damaged."), {"path": str(path)}))
        audit.record(
            session,
            actor,
            audit.BACKUP_RESTORED,
            None,
            path=str(path),
            rows=counts,
            backup_created_at=manifest["created_at"],
            source=manifest["source"],
        )
    from capacity.versions import apply_active  # local: the versions module builds on the store

    apply_active(store)  # the restored database's framework and roadmap versions
    return BackupSummary(path=Path(path), schema_revision=head, rows=counts)
