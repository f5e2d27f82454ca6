"""Close Streamlit's `/_stcore/metrics`: it answers anyone, signed in or not, with server internals.

Streamlit 1.67 has no setting to switch the route off, so this middleware answers 404
before Streamlit sees the request (also under a `server.baseUrlPath`).
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

METRICS_SUFFIX = "/_stcore/metrics"


class CloseMetrics:
    """ASGI middleware: 404 for the metrics route, everything else passed on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/").endswith(METRICS_SUFFIX):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)
