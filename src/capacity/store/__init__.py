"""Storage and history: every uploaded questionnaire kept whole, scored by the engine, queryable.

`open_store()` gives the database of this deployment (embedded SQLite by default,
PostgreSQL when CAPACITY_DATABASE_URL says so), created or upgraded on the spot. The
actions live in `ingest` (uploads), `corrections` (restore, delete, reviews) and `backup`;
the dashboards read through `queries`. Every action and query takes the acting user.
"""

from capacity.store.db import Store, open_store
from capacity.store.errors import StoreError

__all__ = ["Store", "StoreError", "open_store"]
