"""HTTP routes and middleware served beside the Streamlit app by `st.App` (see app.py); no streamlit here.

`routes()` is the one list app.py serves: the session cookie's routes and the JSON API,
under Streamlit's `server.baseUrlPath` when the app is served below the site's root (behind
a proxy at https://example.org/capacity/, say), as Streamlit's own routes are.
`middleware()` keeps Streamlit's `/_stcore/metrics` (server internals, no sign-in) to the
machine itself.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from capacity import api
from capacity.api.metrics_guard import LocalMetricsOnly
from capacity.web.session_routes import cookie_routes


def base_path(configured: str | None) -> str:
    """`server.baseUrlPath` as a path prefix: "" at the root, else "/name" (no trailing slash)."""
    parts = [part for part in (configured or "").split("/") if part]
    return "/" + "/".join(parts) if parts else ""


def routes(configured_base_path: str | None = None) -> list[BaseRoute]:
    """Every route of ours, in one list, below `configured_base_path` (Streamlit's option) if set.

    Each route's path starts with the prefix (a Starlette mount would swallow Streamlit's own
    routes below it); the cookie is scoped to it and the OpenAPI description names it.
    """
    prefix = base_path(configured_base_path)
    return [*cookie_routes(prefix), *api.routes(base=prefix)]


def middleware() -> list[Middleware]:
    """Middleware run before Streamlit's own."""
    return [Middleware(LocalMetricsOnly)]
