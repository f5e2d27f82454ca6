"""Alembic environment, configured in code by `capacity.store.db.upgrade_database`.

The caller passes an open connection (already holding the upgrade lock) in
`config.attributes["connection"]`, so no alembic.ini is read at run time. Run without one
(e.g. `alembic -c <ini> revision --autogenerate` by a developer), it connects to
`capacity.store.db.resolve_url()`.
"""

from __future__ import annotations

from alembic import context

from capacity.store.db import make_engine
from capacity.store.models import Base


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine()
    with engine.begin() as own_connection:
        _run(own_connection)
    engine.dispose()
