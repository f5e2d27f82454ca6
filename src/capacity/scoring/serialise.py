"""Results as JSON-ready dicts: the shape the CLI prints and other tools read.

Figures are rounded to four decimals here and only here (the engine keeps them
unrounded); anything missing, and any non-finite number, becomes null.
"""

from __future__ import annotations

import math
from typing import Any

from capacity.framework import Framework, current_framework
from capacity.scoring.results import AssessmentResult, RoadmapPosition, TrendResult

JSON_DECIMALS = 4


def number(value: float | None) -> float | None:
    """A figure rounded to four decimals; None (null) when missing or not finite."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), JSON_DECIMALS)


def _position(position: RoadmapPosition) -> dict[str, Any]:
    return {
        "expected": number(position.expected),
        "gap": number(position.gap),
        "gap_2023": number(position.gap_2023),
        "gap_2053": number(position.gap_2053),
        "status": position.status,
    }


def assessment_to_json(result: AssessmentResult, framework: Framework | None = None) -> dict[str, Any]:
    """One assessment in the issue's JSON shape; labels are the English level names."""
    framework = current_framework() if framework is None else framework

    def label(level: int | None) -> str | None:
        return None if level is None else framework.level_name(level, "en")

    return {
        "organisation_id": result.organisation_id,
        "organisation_name": result.organisation_name,
        "year": result.year,
        "respondents": result.respondents,
        "index": {
            "score": number(result.index.score),
            "label": label(result.index.label),
            **_position(result.index.roadmap),
        },
        "dimensions": [
            {
                "code": dim.code,
                "score": number(dim.score),
                "coverage": number(dim.coverage),
                "label": label(dim.label),
                "floor_level": number(dim.floor_level),
                **_position(dim.roadmap),
            }
            for dim in result.dimensions.values()
        ],
        "indicators": [
            {
                "code": ind.code,
                "level": number(ind.level),
                "score": number(ind.score),
                "respondents": ind.respondents,
                "spread": number(ind.spread),
                "self_level": number(ind.self_level),
                "evaluator_level": number(ind.evaluator_level),
            }
            for ind in result.indicators.values()
        ],
        "agreement": {
            "alpha_ordinal": number(result.agreement.alpha_ordinal),
            "alpha_interval": number(result.agreement.alpha_interval),
        },
    }


def trend_to_json(trend: TrendResult) -> dict[str, Any]:
    """One trend in the issue's JSON shape."""
    return {
        "organisation_id": trend.organisation_id,
        "target": trend.target,
        "from_year": trend.from_year,
        "to_year": trend.to_year,
        "actual_rate": number(trend.actual_rate),
        "required_rate": number(trend.required_rate),
        "arrow": trend.arrow,
        "projected_year": number(trend.projected_year),
    }
