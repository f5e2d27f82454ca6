"""The cookie routes of a password session: claim it with the one-time code, and forget it.

After a sign-in the page posts its hand-over code to `POST /session/claim`; the answer
sets the session cookie: HttpOnly (no page script can read it), SameSite=Lax, Secure when
the app is reached over HTTPS, for the app's path (the site's root, or the sub-path of
Streamlit's `server.baseUrlPath`, which `capacity.web` passes as `base`). `POST
/session/forget` removes it after a sign-out (the session itself is already ended on the
server).

Both refuse requests from other sites (cross-site request forgery): the browser's
`Sec-Fetch-Site` must say same-origin, or, from a browser that does not send it, the
`Origin` must be this host; and a custom header is required, which no form and no
cross-site script can send without a CORS preflight that nothing here answers.
"""

from __future__ import annotations

import os
from functools import cache
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from capacity import sessions
from capacity.accounts import TRUST_PROXY_ENV
from capacity.store.db import Store, open_store

CLAIM_PATH = "/session/claim"
FORGET_PATH = "/session/forget"
CSRF_HEADER = "X-Capacity-Session"
MAX_CODE_LENGTH = 100


@cache
def _store() -> Store:
    """This process's store for the routes (the pages have their own, cached by Streamlit)."""
    return open_store()


def same_origin(request: Request) -> bool:
    """Whether the request comes from a page of this site (see the module's docstring)."""
    if request.headers.get(CSRF_HEADER) != "1":
        return False
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc == request.headers.get("host")


def _secure(request: Request) -> bool:
    """HTTPS: the connection's scheme, or the trusted proxy's X-Forwarded-Proto."""
    if request.url.scheme == "https":
        return True
    trusted = os.environ.get(TRUST_PROXY_ENV, "").strip().lower() in {"1", "true", "yes"}
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return trusted and forwarded == "https"


async def claim(request: Request, cookie_path: str = "/") -> Response:
    """Exchange a one-time hand-over code for the session cookie (204), or 403."""
    if not same_origin(request):
        return Response(status_code=403)
    form = await request.form()
    code = form.get("code")
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
        return Response(status_code=403)
    token = await run_in_threadpool(sessions.claim, _store(), code)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(
        sessions.COOKIE_NAME,
        token,
        max_age=int(sessions.ABSOLUTE_TIMEOUT.total_seconds()),
        path=cookie_path,
        secure=_secure(request),
        httponly=True,
        samesite="lax",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def forget(request: Request, cookie_path: str = "/") -> Response:
    """Remove the session cookie from this browser (204), or 403 from another site."""
    if not same_origin(request):
        return Response(status_code=403)
    response = Response(status_code=204)
    response.delete_cookie(
        sessions.COOKIE_NAME, path=cookie_path, secure=_secure(request), httponly=True, samesite="lax"
    )
    return response


def cookie_routes(base: str = "") -> list[BaseRoute]:
    """The claim and forget routes below `base` (the app's sub-path, "" at the root)."""
    cookie_path = base or "/"

    async def claim_here(request: Request) -> Response:
        return await claim(request, cookie_path)

    async def forget_here(request: Request) -> Response:
        return await forget(request, cookie_path)

    return [
        Route(base + CLAIM_PATH, claim_here, methods=["POST"]),
        Route(base + FORGET_PATH, forget_here, methods=["POST"]),
    ]
