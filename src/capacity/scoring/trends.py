"""Step 7 of the method: trend arrows between an organisation's earliest and latest years.

Following the SDSN SDG Index dashboards, the pace actually achieved is compared with the
pace needed to reach the 2053 vision from the starting point: an organisation is judged
by whether it is moving fast enough, not only by where it stands today.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from capacity.roadmap import INDEX, Roadmap
from capacity.scoring.results import (
    DECREASING,
    MODERATELY_IMPROVING,
    STAGNATING,
    TREND_ON_TRACK,
    VISION_REACHED,
    AssessmentResult,
    TrendResult,
)
from capacity.scoring.roadmap_gaps import TOLERANCE

STAGNATION_SHARE = 0.5  # below half the required pace counts as stagnating


def required_rate(vision: float, start_score: float, start_year: int, vision_year: int) -> float:
    """Points a year needed from the start to reach the vision by the vision year.

    From the vision year on no time is left: a shortfall then needs an unbounded pace (inf).
    """
    if start_year < vision_year:
        return (vision - start_score) / (vision_year - start_year)
    return math.inf if start_score < vision else 0.0


def arrow_for(end_score: float, vision: float, actual: float, required: float) -> str:
    """The trend arrow, checked in the method's order."""
    if end_score >= vision - TOLERANCE:
        return VISION_REACHED
    if actual < -TOLERANCE:
        return DECREASING
    if actual < STAGNATION_SHARE * required - TOLERANCE:
        return STAGNATING
    if actual < required - TOLERANCE:
        return MODERATELY_IMPROVING
    return TREND_ON_TRACK


def trend(
    organisation_id: str, target: str, points: Sequence[tuple[int, float | None]], roadmap: Roadmap
) -> TrendResult | None:
    """The trend of one target from its (year, score) points; None without two scored years."""
    scored = sorted((year, score) for year, score in points if score is not None)
    if len(scored) < 2 or scored[0][0] == scored[-1][0]:
        return None
    (start_year, start_score), (end_year, end_score) = scored[0], scored[-1]
    vision_year = roadmap.vision_year
    vision = roadmap.target(target, vision_year)
    actual = (end_score - start_score) / (end_year - start_year)
    required = required_rate(vision, start_score, start_year, vision_year)
    arrow = arrow_for(end_score, vision, actual, required)
    return TrendResult(
        organisation_id=organisation_id,
        target=target,
        from_year=start_year,
        to_year=end_year,
        start_score=start_score,
        end_score=end_score,
        actual_rate=actual,
        required_rate=required,
        arrow=arrow,
        projected_year=projected_year(end_year, end_score, vision, actual, arrow),
    )


def projected_year(end_year: int, end_score: float, vision: float, actual: float, arrow: str) -> float | None:
    """The year the vision would be reached at the actual pace, or None when there is none to project.

    Only an organisation still below the vision and moving up has one: t1 + (T − s1) ÷ r,
    never before its latest year t1. At or above the vision it has reached it (the arrow
    says so) and projecting would give a year in the past; without progress it never will.
    """
    if arrow == VISION_REACHED or actual <= 0:
        return None
    return end_year + (vision - end_score) / actual


def trends_for(results: Sequence[AssessmentResult], roadmap: Roadmap) -> list[TrendResult]:
    """The index's and each dimension's trend for one organisation's assessments."""
    organisations = {result.organisation_id for result in results}
    if len(organisations) > 1:
        raise ValueError(f"trends_for takes one organisation's results, got {sorted(organisations)}")
    if not results:
        return []
    organisation_id = results[0].organisation_id
    targets = [INDEX, *results[0].dimensions]
    found = []
    for target in targets:
        points = [(r.year, _score_of(r, target)) for r in results]
        result = trend(organisation_id, target, points, roadmap)
        if result is not None:
            found.append(result)
    return found


def _score_of(result: AssessmentResult, target: str) -> float | None:
    if target == INDEX:
        return result.index.score
    dimension = result.dimensions.get(target)
    return None if dimension is None else dimension.score
