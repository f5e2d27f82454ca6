"""The HTTP side of the API: one definition per endpoint, turned into Starlette routes and OpenAPI.

An `Endpoint` names its path, query parameters, who may call it (a token or nobody) and a
handler that takes the signed-in actor and the parsed parameters and returns data. The
wrapping here does everything the handlers share, the same way for each: the bearer
token (`capacity.api_tokens.authenticate`), the per-token rate limit, parameter
parsing, the audit entry of every read, and errors as JSON with the right status. No
traceback ever reaches a client: an unexpected error is logged and answered with 500.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from capacity import api_tokens
from capacity.access import AccessDenied, Actor
from capacity.api.ratelimit import RateLimiter
from capacity.i18n import N_, Message, normalise_language
from capacity.store.db import Store

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
BEARER = "bearer"


class ApiError(Exception):
    """A refusal with its HTTP status and a translatable message."""

    def __init__(self, status: int, message: Message, headers: Mapping[str, str] | None = None) -> None:
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        super().__init__(message.render("en"))


ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, JSON-schema type ('integer', 'string' or 'boolean') and meaning."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Csv:
    """A handler's answer that is a CSV file rather than JSON."""

    content: bytes
    filename: str


@dataclass(frozen=True)
class Call:
    """What a handler gets: the store, the actor (None for public endpoints) and the parsed parameters."""

    store: Store
    actor: Actor | None
    params: dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """One GET route under /api/v1: the single definition both the route and the OpenAPI text come from."""

    path: str  # below PREFIX, e.g. "/organisations"
    summary: str
    handler: Callable[[Call], Any]
    params: Sequence[Param] = ()
    public: bool = False  # no token needed (health, the description itself)
    audited: bool = True  # every read with a token is audited; the public ones are not reads of data
    media_type: str = "application/json"
    schema: Mapping[str, Any] = field(default_factory=dict)  # the 200 answer's JSON schema
    errors: Sequence[int] = (400, 401, 403, 429, 503)
    organisation_param: str | None = None  # the parameter naming the organisation read, for the audit log


def language_of(request: Request) -> str:
    """The client's first Accept-Language choice among the app's languages (English otherwise)."""
    header = request.headers.get("accept-language", "")
    return normalise_language(header.split(",")[0].split(";")[0])


def error_response(
    status: int, message: Message, lang: str, headers: Mapping[str, str] | None = None
) -> Response:
    """`{"error": {"status", "code", "message"}}` with the status."""
    body = {
        "error": {"status": status, "code": ERROR_CODES.get(status, "error"), "message": message.render(lang)}
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _json_ready(value: Any) -> Any:
    """Dates as ISO 8601 text, non-finite numbers as null: the JSON stays strict."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(_json_ready(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json")


_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no"}
_INTEGER = re.compile(r"-?[0-9]{1,9}")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses


def parse_params(endpoint: Endpoint, query: Mapping[str, str], keys: Sequence[str]) -> dict[str, Any]:
    """The query parameters as typed values; unknown, repeated or malformed ones are a 400."""
    known = {param.name: param for param in endpoint.params}
    for key in keys:
        if key not in known:
            raise ApiError(400, Message(N_("Unknown query parameter {name}."), {"name": key}))
        if keys.count(key) > 1:
            raise ApiError(400, Message(N_("The query parameter {name} is given twice."), {"name": key}))
    parsed: dict[str, Any] = {}
    for name, param in known.items():
        raw = query.get(name)
        if raw is None or raw == "":
            parsed[name] = None
        elif param.type == "integer":
            if not _INTEGER.fullmatch(raw.strip()):
                raise ApiError(
                    400, Message(N_("The query parameter {name} must be a whole number."), {"name": name})
                )
            parsed[name] = int(raw)
        elif param.type == "boolean":
            if raw.lower() not in _TRUE | _FALSE:
                raise ApiError(400, Message(N_("The query parameter {name} must be 1 or 0."), {"name": name}))
            parsed[name] = raw.lower() in _TRUE
        else:
            parsed[name] = raw[:200]
    return parsed


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != BEARER or not token.strip():
        raise ApiError(
            401,
            Message(N_("Send a personal API token: Authorization: Bearer <token>."), {}),
            {"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


UNREACHABLE = Message(N_("The database cannot be reached."), {})
INVALID_TOKEN = Message(
    N_("The API token is not valid: unknown, revoked, expired, or its account is disabled."), {}
)


def make_view(
    endpoint: Endpoint, store_of: Callable[[], Store], limiter: RateLimiter
) -> Callable[[Request], Response]:
    """The Starlette endpoint of `endpoint` (synchronous: Starlette runs it in a worker thread)."""

    def view(request: Request) -> Response:
        lang = language_of(request)
        try:
            if request.method not in {"GET", "HEAD"}:
                raise ApiError(405, Message(N_("The API only reads: use GET."), {}), {"Allow": "GET"})
            return _serve(endpoint, request, store_of, limiter)
        except ApiError as refused:
            return error_response(refused.status, refused.message, lang, refused.headers)
        except OperationalError:  # the database is down or unreachable: say so, and let clients retry
            log.exception("API database error on %s", request.url.path)
            return error_response(503, UNREACHABLE, lang, {"Retry-After": "30"})
        except Exception:  # never a traceback to the client; the log keeps it
            log.exception("API error on %s", request.url.path)
            return error_response(500, Message(N_("Something went wrong on the server."), {}), lang)

    view.__name__ = f"api{endpoint.path.replace('/', '_').replace('.', '_')}"
    return view


def _serve(
    endpoint: Endpoint, request: Request, store_of: Callable[[], Store], limiter: RateLimiter
) -> Response:
    store = store_of()
    token_id, actor = None, None
    if not endpoint.public:
        found = api_tokens.authenticate(store, _bearer(request))
        if found is None:
            raise ApiError(401, INVALID_TOKEN, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        token_id, actor = found
        wait = limiter.hit(token_id)
        if wait is not None:
            raise ApiError(
                429,
                Message(
                    N_("Too many requests with this token; try again in {seconds} s."), {"seconds": wait}
                ),
                {"Retry-After": str(wait)},
            )
    params = parse_params(endpoint, request.query_params, list(request.query_params.keys()))
    try:
        answer = endpoint.handler(Call(store, actor, params))
    except AccessDenied as denied:
        if token_id is not None and actor is not None:
            _audit(store, token_id, actor, endpoint, params, 403)
        raise ApiError(403, denied.message) from denied
    if token_id is not None and actor is not None and endpoint.audited:
        _audit(store, token_id, actor, endpoint, params, 200)
    if isinstance(answer, Csv):
        return Response(
            answer.content,
            media_type=endpoint.media_type,
            headers={"Content-Disposition": f'attachment; filename="{answer.filename}"'},
        )
    if isinstance(answer, Response):
        return answer
    return json_response(answer)


def _audit(
    store: Store, token_id: int, actor: Actor, endpoint: Endpoint, params: dict[str, Any], status: int
) -> None:
    organisation = params.get(endpoint.organisation_param) if endpoint.organisation_param else None
    query = {name: value for name, value in params.items() if value is not None}
    api_tokens.record_api_read(
        store, token_id, actor, organisation, path=PREFIX + endpoint.path, query=query, status=status
    )


def not_found(request: Request) -> Response:
    """Any other path under /api/v1: a JSON 404, not the app's page."""
    return error_response(404, Message(N_("There is no such API route."), {}), language_of(request))
