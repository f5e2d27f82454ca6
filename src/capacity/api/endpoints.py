"""What each API route returns: the library's own queries and serialisers, behind its own access checks.

Every handler reads through the functions the pages and the CLI use (`queries`,
`result_queries`, `export.dataset`, `scoring.serialise`), passing the token's actor, so
a token sees exactly what its owner sees in the pages and nothing the library refuses
them. Assessments are `score --json`'s objects (`assessment_to_json`) with the stored
versions and the review state added.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import text

from capacity import access, versions
from capacity.access import Actor
from capacity.api.http import ApiError, Call, Csv, Endpoint, Param
from capacity.export.dataset import dataset_csv_files
from capacity.framework import current_framework
from capacity.i18n import N_, Message
from capacity.roadmap import current_roadmap
from capacity.scoring import assessment_to_json, trend_to_json, trends_for
from capacity.store import queries
from capacity.store.result_queries import StoredResult, organisation_exists, stored_results

ORGANISATION = Param(
    "organisation", "string", "An organisation ID; without it, every organisation you may see."
)
YEAR = Param("year", "integer", "An assessment year; without it, every year.")
SCORES_ONLY = Param(
    "scores_only",
    "boolean",
    "1 (the default): the consolidated scores, one row per organisation and year. "
    "0: every answer, one row per questionnaire and indicator (evaluators and administrators).",
)


def _actor(call: Call) -> Actor:
    assert call.actor is not None, "a token endpoint always has an actor"
    return call.actor


def _known_organisation(call: Call) -> str | None:
    """The organisation asked for, once the actor may see it (403) and it exists (404)."""
    organisation = call.params.get("organisation")
    if organisation is not None:
        access.require(_actor(call), access.VIEW_PROFILE, organisation)
        if not organisation_exists(call.store, organisation):
            raise ApiError(
                404, Message(N_("There is no organisation {organisation}."), {"organisation": organisation})
            )
    return organisation


def organisations(call: Call) -> dict[str, Any]:
    """Each organisation with a scored assessment the actor may see, with its rounds."""
    frame = queries.portfolio(call.store, _actor(call))
    rows = []
    for organisation_id, group in frame.groupby("organisation_id", sort=True):
        first = group.iloc[0]
        rows.append(
            {
                "organisation_id": organisation_id,
                "organisation_name": first["organisation_name"],
                "organisation_type": first["organisation_type"],
                "country": first["country"],
                "region": first["region"],
                "rounds": sorted(int(year) for year in group["year"]),
            }
        )
    return {"organisations": rows}


def _assessment(stored: StoredResult, actor: Actor) -> dict[str, Any]:
    """`score --json`'s object, with the indicators only for those who may read the profile."""
    body = assessment_to_json(stored.result, current_framework())
    if not access.is_allowed(actor, access.VIEW_PROFILE, stored.result.organisation_id):
        del body["indicators"]
    body["framework_version"] = stored.framework_version
    body["roadmap_version"] = stored.roadmap_version
    body["computed_at"] = stored.computed_at
    body["review"] = {
        "reviewed_indicators": stored.reviewed_indicators,
        "last_reviewed_at": stored.last_reviewed_at,
    }
    return body


def assessments(call: Call) -> dict[str, Any]:
    """Stored assessments (of one organisation, of one year) as `score --json` gives them."""
    organisation = _known_organisation(call)
    versions.apply_active(call.store)
    year = call.params.get("year")
    found = stored_results(call.store, _actor(call), [year] if year is not None else None, organisation)
    return {"assessments": [_assessment(stored, _actor(call)) for stored in found]}


def trends(call: Call) -> dict[str, Any]:
    """Each organisation's index and dimension trends from its stored assessments."""
    organisation = _known_organisation(call)
    versions.apply_active(call.store)
    by_organisation: dict[str, list] = {}
    for stored in stored_results(call.store, _actor(call), organisation_id=organisation):
        by_organisation.setdefault(stored.result.organisation_id, []).append(stored.result)
    roadmap = current_roadmap()
    found = [trend for results in by_organisation.values() for trend in trends_for(results, roadmap)]
    return {"trends": [trend_to_json(trend) for trend in found]}


def framework(call: Call) -> dict[str, Any]:
    """The active framework: dimensions, indicators, weights and level descriptors in every language."""
    access.require(_actor(call), access.VIEW_DASHBOARD)
    versions.apply_active(call.store)
    return dataclasses.asdict(current_framework())


def roadmap(call: Call) -> dict[str, Any]:
    """The active roadmap: each milestone year's targets for the index and every dimension."""
    access.require(_actor(call), access.VIEW_DASHBOARD)
    versions.apply_active(call.store)
    return dataclasses.asdict(current_roadmap())


def dataset_csv(call: Call) -> Csv:
    """The dataset's scores (or answers) table as the export gives it: UTF-8 CSV with a header row."""
    scores_only = call.params.get("scores_only") is not False
    files = dataset_csv_files(call.store, _actor(call), "en", responses=not scores_only)
    name = "scores.csv" if scores_only else "responses.csv"
    return Csv(files[name], name)


def health(call: Call) -> dict[str, Any]:
    """Whether the database answers, and the framework and roadmap versions in force (no token)."""
    with call.store.read() as session:  # an unreachable database is a 503 (`http.make_view`)
        session.execute(text("SELECT 1"))
    active = versions.apply_active(call.store)
    return {"status": "ok", "database": "reachable", "versions": active}


# One sign for gaps everywhere, and trend keys that are not the pages' words (docs/METHOD.md).
ROADMAP_FIELDS = (
    "`gap`, `gap_2023` and `gap_2053` are the expected or target score minus the score: "
    "positive means behind. `status` is on track, slightly behind, behind or off track."
)
TREND_FIELDS = (
    "`arrow` keeps the method's keys, which the pages show in pace words: vision reached, on track "
    "(on pace), moderately improving (too slow), stagnating, decreasing (declining). It is a pace, "
    "not the roadmap status."
)

ASSESSMENT_SCHEMA = {
    "type": "object",
    "description": "The object `python -m capacity score --json` prints in `assessments`, plus the stored "
    "versions, when it was computed, and the evaluator review state.",
    "required": ["organisation_id", "year", "index", "dimensions", "agreement", "review"],
    "properties": {
        "organisation_id": {"type": "string"},
        "organisation_name": {"type": "string"},
        "year": {"type": "integer"},
        "respondents": {"type": "integer"},
        "index": {"type": "object", "description": ROADMAP_FIELDS},
        "dimensions": {"type": "array", "items": {"type": "object", "description": ROADMAP_FIELDS}},
        "indicators": {"type": "array", "items": {"type": "object"}},
        "agreement": {"type": "object"},
        "framework_version": {"type": "string"},
        "roadmap_version": {"type": "string"},
        "computed_at": {"type": "string", "format": "date-time"},
        "review": {
            "type": "object",
            "properties": {
                "reviewed_indicators": {"type": "integer"},
                "last_reviewed_at": {"type": ["string", "null"], "format": "date-time"},
            },
        },
    },
}

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "/organisations",
        "Organisations you may see, with the rounds assessed",
        organisations,
        schema={
            "type": "object",
            "properties": {
                "organisations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "organisation_id": {"type": "string"},
                            "organisation_name": {"type": "string"},
                            "organisation_type": {"type": "string"},
                            "country": {"type": "string"},
                            "region": {"type": "string"},
                            "rounds": {"type": "array", "items": {"type": "integer"}},
                        },
                    },
                }
            },
        },
    ),
    Endpoint(
        "/assessments",
        "Stored assessments, as `score --json` gives them",
        assessments,
        params=(YEAR, ORGANISATION),
        schema={
            "type": "object",
            "properties": {"assessments": {"type": "array", "items": ASSESSMENT_SCHEMA}},
        },
        errors=(400, 401, 403, 404, 429, 503),
        organisation_param="organisation",
    ),
    Endpoint(
        "/trends",
        "Trends of the index and each dimension against the roadmap",
        trends,
        params=(ORGANISATION,),
        schema={
            "type": "object",
            "description": "The objects `score --json` prints in `trends`. " + TREND_FIELDS,
            "properties": {"trends": {"type": "array", "items": {"type": "object"}}},
        },
        errors=(400, 401, 403, 404, 429, 503),
        organisation_param="organisation",
    ),
    Endpoint("/framework", "The active framework version", framework, schema={"type": "object"}),
    Endpoint("/roadmap", "The active roadmap version", roadmap, schema={"type": "object"}),
    Endpoint(
        "/dataset.csv",
        "The dataset as CSV (UTF-8 with a byte-order mark, a header row)",
        dataset_csv,
        params=(SCORES_ONLY,),
        media_type="text/csv",
        schema={"type": "string"},
    ),
    Endpoint(
        "/health",
        "Database reachable and versions active, for load balancers (no token)",
        health,
        public=True,
        audited=False,
        schema={
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "database": {"type": "string"},
                "versions": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        errors=(503,),
    ),
)
