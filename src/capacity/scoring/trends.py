"""Step 7 of the method: trend arrows between an organisation's earliest and latest years.

Following the SDSN SDG Index dashboards, the pace actually achieved is compared with the
pace needed to reach the 2053 vision from the starting point: an organisation is judged
by whether it is moving fast enough, not only by where it stands today.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

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


TREND_COLUMNS = (
    "from_year",
    "to_year",
    "start_score",
    "end_score",
    "actual_rate",
    "required_rate",
    "arrow",
    "projected_year",
)


def trend_table(points: pd.DataFrame, roadmap: Roadmap) -> pd.DataFrame:
    """`trend` of every (organisation_id, target) group of `points` at once, for whole portfolios.

    `points` has columns organisation_id, target, year and score (NaN: no score). The
    result has one row per group, in (organisation_id, target) order, with the
    TREND_COLUMNS of the `TrendResult` that `trend` returns for the group's points, or
    NaN / None where it returns None. The arithmetic is `trend`'s, operation for
    operation, on float64 arrays: 140,000 calls of `trend` take seconds, this takes
    milliseconds, and tests check both agree.
    """
    ordered = points.sort_values(["organisation_id", "target", "year"], kind="stable")
    groups = ordered[["organisation_id", "target"]].drop_duplicates().reset_index(drop=True)
    scored = ordered.dropna(subset=["score"]).sort_values(
        ["organisation_id", "target", "year", "score"], kind="stable"
    )
    by_group = scored.groupby(["organisation_id", "target"], sort=True)
    ends = pd.DataFrame(
        {
            "start_year": by_group["year"].first(),
            "start_score": by_group["score"].first(),
            "end_year": by_group["year"].last(),
            "end_score": by_group["score"].last(),
            "points": by_group["score"].size(),
        }
    ).reset_index()
    found = groups.merge(ends, on=["organisation_id", "target"], how="left")
    has_trend = (found["points"] >= 2) & (found["start_year"] != found["end_year"])
    found = found[has_trend.fillna(False).astype(bool)]
    start_year = found["start_year"].to_numpy(dtype=np.float64)
    end_year = found["end_year"].to_numpy(dtype=np.float64)
    start = found["start_score"].to_numpy(dtype=np.float64)
    end = found["end_score"].to_numpy(dtype=np.float64)
    vision_year = roadmap.vision_year
    vision = (
        found["target"].map(lambda target: roadmap.target(target, vision_year)).to_numpy(dtype=np.float64)
    )
    actual = (end - start) / (end_year - start_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        ahead = (vision - start) / (vision_year - start_year)
    required = np.where(start_year < vision_year, ahead, np.where(start < vision, np.inf, 0.0))
    arrow = np.select(
        [
            end >= vision - TOLERANCE,
            actual < -TOLERANCE,
            actual < STAGNATION_SHARE * required - TOLERANCE,
            actual < required - TOLERANCE,
        ],
        [VISION_REACHED, DECREASING, STAGNATING, MODERATELY_IMPROVING],
        default=TREND_ON_TRACK,
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        projected = np.where(
            (arrow == VISION_REACHED) | (actual <= 0), np.nan, end_year + (vision - end) / actual
        )
    trends = pd.DataFrame(
        {
            "from_year": start_year,
            "to_year": end_year,
            "start_score": start,
            "end_score": end,
            "actual_rate": actual,
            "required_rate": required,
            "arrow": pd.Series(arrow, dtype=object).to_numpy(),
            "projected_year": projected,
        },
        index=found.index,
    )
    return groups.join(trends)


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
