"""A read-only JSON API under /api/v1, served by the app's own Streamlit server (`st.App(routes=…)`).

`routes()` gives the Starlette routes; `app.py` hands them to `st.App`, so pages and API
share one port and one process. Nothing here imports Streamlit: the handlers
(`endpoints`) call the library with the token's actor, the wrapping (`http`) does
tokens, rate limit, audit and JSON errors, and `openapi` describes the same definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from capacity.api.endpoints import ENDPOINTS
from capacity.api.http import PREFIX, json_response, make_view, not_found
from capacity.api.openapi import openapi_document
from capacity.api.ratelimit import RateLimiter, configured_limit
from capacity.store.db import Store

API_VERSION = "1.0.0"


@cache
def _deployment_store() -> Store:
    """This deployment's store (CAPACITY_DATABASE_URL or the data directory), opened at the first request."""
    from capacity.store import open_store

    return open_store()


def routes(
    store: Callable[[], Store] | None = None, limiter: RateLimiter | None = None, base: str = ""
) -> list[BaseRoute]:
    """The API's routes below `base` (the app's sub-path, "" at the root).

    `store` gives the database (default: the deployment's), `limiter` the rate limit.
    """
    store_of = store or _deployment_store
    limiter = limiter or RateLimiter(configured_limit())
    document = openapi_document(ENDPOINTS, API_VERSION, server=base or "/")

    def openapi(request: Request) -> Response:
        return json_response(document)

    found: list[BaseRoute] = [
        Route(base + PREFIX + endpoint.path, make_view(endpoint, store_of, limiter)) for endpoint in ENDPOINTS
    ]
    found.append(Route(base + PREFIX + "/openapi.json", openapi))
    found.append(Route(base + PREFIX + "/{rest:path}", not_found))
    return found


__all__ = ["API_VERSION", "routes"]
