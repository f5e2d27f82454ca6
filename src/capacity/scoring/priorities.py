"""Which indicators to work on first: the priority action plan's order, made here and only here.

An indicator is a priority when its score is below what the roadmap expects of its
dimension in the assessment year. Weighting the gap by the indicator's weight puts the
indicators the framework counts most first, so the plan follows the same weights as the
index. The profile page and both scorecards show this list; none of them re-orders it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from capacity.framework import LEVELS, Framework
from capacity.roadmap import Roadmap
from capacity.scoring.results import ON_TRACK, AssessmentResult
from capacity.scoring.roadmap_gaps import roadmap_position


@dataclass(frozen=True)
class IndicatorPriority:
    """One indicator behind the roadmap: its gap, weighted gap, and the level to reach next."""

    code: str
    dimension: str
    level: float
    expected: float
    gap: float
    weight: float
    weighted_gap: float
    next_level: int


def indicator_priorities(
    result: AssessmentResult, framework: Framework, roadmap: Roadmap
) -> list[IndicatorPriority]:
    """Every scored indicator behind its dimension's expectation, largest weight × gap first.

    Ties keep the framework's order, so the list is the same on every screen and in
    every export. The next level is the one above the floor of the consolidated level
    (a median of 2.5 works towards 3).
    """
    found = []
    for position_in_framework, indicator in enumerate(framework.indicators):
        answer = result.indicators.get(indicator.code)
        if answer is None or answer.score is None or answer.level is None:
            continue
        position = roadmap_position(roadmap, indicator.dimension, answer.score, result.year)
        if position.status in (None, ON_TRACK) or position.gap is None:
            continue
        priority = IndicatorPriority(
            code=indicator.code,
            dimension=indicator.dimension,
            level=answer.level,
            expected=position.expected,
            gap=position.gap,
            weight=indicator.weight,
            weighted_gap=indicator.weight * position.gap,
            next_level=min(math.floor(answer.level) + 1, LEVELS[-1]),
        )
        found.append((-priority.weighted_gap, position_in_framework, priority))
    return [priority for *_, priority in sorted(found, key=lambda item: item[:2])]
