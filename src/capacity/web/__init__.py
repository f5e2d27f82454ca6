"""HTTP routes and middleware served beside the Streamlit app by `st.App` (see app.py); no streamlit here.

`routes()` is the one list app.py serves; another module's routes (the JSON API) are added
to it. `middleware()` keeps Streamlit's `/_stcore/metrics` (server internals, no sign-in)
closed to the world.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from capacity.web.metrics import CloseMetrics
from capacity.web.session_routes import cookie_routes


def routes() -> list[BaseRoute]:
    """Every route of ours, in one list."""
    return [*cookie_routes()]


def middleware() -> list[Middleware]:
    """Middleware run before Streamlit's own."""
    return [Middleware(CloseMetrics)]
