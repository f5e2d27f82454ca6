"""HTTP routes and middleware served beside the Streamlit app by `st.App` (see app.py); no streamlit here.

`routes()` is the one list app.py serves: the session cookie's routes and the JSON API.
`middleware()` keeps Streamlit's `/_stcore/metrics` (server internals, no sign-in) to the
machine itself.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from capacity import api
from capacity.api.metrics_guard import LocalMetricsOnly
from capacity.web.session_routes import cookie_routes


def routes() -> list[BaseRoute]:
    """Every route of ours, in one list."""
    return [*cookie_routes(), *api.routes()]


def middleware() -> list[Middleware]:
    """Middleware run before Streamlit's own."""
    return [Middleware(LocalMetricsOnly)]
