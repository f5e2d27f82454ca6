"""The OpenAPI 3.1 description, written from the very `Endpoint` definitions the routes are built from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from capacity.api.http import ERROR_CODES, PREFIX, Endpoint
from capacity.i18n import LANGUAGES

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string", "enum": sorted(set(ERROR_CODES.values()))},
                "message": {
                    "type": "string",
                    "description": f"In the Accept-Language's language (one of {', '.join(LANGUAGES)}).",
                },
            },
        }
    },
}
ERROR_MEANINGS = {
    400: "A query parameter is unknown or malformed",
    401: "No token, or one that is unknown, revoked, expired or whose account is disabled",
    403: "Your role or organisations do not allow this",
    404: "No such organisation or route",
    429: "Too many requests with this token; see Retry-After",
    503: "The database cannot be reached",
}


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "operationId": endpoint.handler.__name__,
        "parameters": [
            {
                "name": param.name,
                "in": "query",
                "required": False,
                "description": param.description,
                "schema": {"type": param.type}
                if param.type != "boolean"
                else {"type": "integer", "enum": [0, 1]},
            }
            for param in endpoint.params
        ],
        "responses": {
            "200": {
                "description": (endpoint.handler.__doc__ or endpoint.summary).strip().splitlines()[0],
                "content": {endpoint.media_type: {"schema": dict(endpoint.schema)}},
            },
            **{
                str(status): {
                    "description": ERROR_MEANINGS[status],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for status in endpoint.errors
            },
        },
    }
    operation["security"] = [] if endpoint.public else [{"bearerToken": []}]
    return operation


def openapi_document(endpoints: Sequence[Endpoint], version: str, server: str = "/") -> dict[str, Any]:
    """OpenAPI 3.1 for `endpoints` (the document's own path is added as a public route).

    `server` is where the app is served: "/", or its sub-path (Streamlit's server.baseUrlPath),
    which clients put before every path.
    """
    paths = {PREFIX + endpoint.path: {"get": _operation(endpoint)} for endpoint in endpoints}
    paths[PREFIX + "/openapi.json"] = {
        "get": {
            "summary": "This description (no token)",
            "operationId": "openapi",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Humanitarian Diplomacy Capacity Dashboard API",
            "version": version,
            "description": "Read-only. Each route returns what the token owner's role sees in the pages. "
            "Create a personal token in the app (sidebar, API tokens) and send it as "
            "`Authorization: Bearer <token>`.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA},
        },
        "security": [{"bearerToken": []}],
    }
