"""Keep Streamlit's `/_stcore/metrics` to the machine itself: it tells anyone how busy the app is.

A pure ASGI middleware (no Streamlit import), given to `st.App(middleware=…)` in app.py,
runs before Streamlit's own routes. The metrics answer only a loopback client that did not
come through a proxy (no X-Forwarded-For); everyone else gets a 404 as if there were none.
"""

from __future__ import annotations

import ipaddress

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

METRICS_SUFFIX = "/_stcore/metrics"


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LocalMetricsOnly:
    """Answer `/_stcore/metrics` with 404 unless the request comes from this machine directly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/").endswith(METRICS_SUFFIX):
            client = scope.get("client")
            proxied = any(name == b"x-forwarded-for" for name, _ in scope.get("headers", []))
            if proxied or not _loopback(client[0] if client else None):
                await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
                return
        await self.app(scope, receive, send)
