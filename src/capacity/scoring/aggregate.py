"""Steps 2–4 of the method: dimension scores, the index and the level labels.

Weighted arithmetic means, as the OECD/JRC Handbook recommends when indicators are on
one common scale: transparent, and a board member can redo them with a calculator.
Missing answers are never counted as 0; instead a score is only shown when enough of
its indicators were answered (coverage), so a half-empty questionnaire cannot pass for
a low capacity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from capacity.framework import LEVELS
from capacity.roadmap import INDEX, Roadmap
from capacity.scoring.results import DimensionResult, IndexResult, IndicatorResult
from capacity.scoring.roadmap_gaps import TOLERANCE, roadmap_position

POINTS_PER_LEVEL = 20
# Coverage below 3/5 means insufficient data; kept as a fraction so that 3 of 5 answered
# is compared exactly (integer arithmetic) and lands on the sufficient side.
MIN_COVERAGE_NUMERATOR, MIN_COVERAGE_DENOMINATOR = 3, 5


def label_for_score(score: float | None) -> int | None:
    """The level 0–5 whose band holds `score`: floor(score / 20), so 59.99 → 2 and 60 → 3."""
    if score is None:
        return None
    return min(LEVELS[-1], max(LEVELS[0], math.floor((score + TOLERANCE) / POINTS_PER_LEVEL)))


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float:
    """Σ w·x / Σ w over (weight, value) pairs: the weights re-normalised over what is present."""
    total_weight = sum(weight for weight, _ in pairs)
    return sum(weight * value for weight, value in pairs) / total_weight


def has_enough_coverage(answered: int, applicable: int) -> bool:
    """answered ÷ applicable (indicators that are not N/A) ≥ 0.6, compared exactly."""
    return answered * MIN_COVERAGE_DENOMINATOR >= MIN_COVERAGE_NUMERATOR * applicable


def score_dimension(
    code: str,
    weighted_indicators: Sequence[tuple[float, IndicatorResult]],
    roadmap: Roadmap,
    year: int,
) -> DimensionResult:
    """One dimension from its indicators (weight, consolidated result) in framework order."""
    answered = [(weight, ind.level) for weight, ind in weighted_indicators if ind.level is not None]
    applicable = sum(1 for _, ind in weighted_indicators if not ind.not_applicable)
    not_applicable = applicable == 0
    coverage = None if not_applicable else len(answered) / applicable
    sufficient = not not_applicable and has_enough_coverage(len(answered), applicable)
    score = weighted_mean(answered) * POINTS_PER_LEVEL if sufficient else None
    return DimensionResult(
        code=code,
        score=score,
        coverage=coverage,
        not_applicable=not_applicable,
        insufficient_data=not not_applicable and not sufficient,
        label=label_for_score(score),
        floor_level=min(level for _, level in answered) if answered else None,
        roadmap=roadmap_position(roadmap, code, score, year),
    )


def score_index(
    dimensions: Mapping[str, DimensionResult],
    weights: Mapping[str, float],
    roadmap: Roadmap,
    year: int,
) -> IndexResult:
    """The weighted mean of the applicable dimensions; none while any of them lacks a score."""
    applicable = [dim for dim in dimensions.values() if not dim.not_applicable]
    complete = bool(applicable) and all(dim.score is not None for dim in applicable)
    score = weighted_mean([(weights[dim.code], dim.score) for dim in applicable]) if complete else None
    return IndexResult(
        score=score, label=label_for_score(score), roadmap=roadmap_position(roadmap, INDEX, score, year)
    )
