"""The scoring engine: the one documented method from answers to index, gaps, trends and reliability.

The method is written up in docs/METHOD.md; nothing outside this package computes a score.
"""

from capacity.scoring.aggregate import label_for_score
from capacity.scoring.engine import ScoringInputError, score_assessment
from capacity.scoring.priorities import IndicatorPriority, indicator_priorities
from capacity.scoring.reliability import (
    agreement_for,
    consistency_by_dimension,
    cronbach_alpha,
    dimension_consistency,
    krippendorff_alpha,
)
from capacity.scoring.roadmap_gaps import expected_score, roadmap_position, status_for_gap
from capacity.scoring.round_scores import RoundScores
from capacity.scoring.sensitivity import rank_intervals, weight_sensitivity
from capacity.scoring.serialise import assessment_to_json, trend_to_json
from capacity.scoring.trends import trend, trends_for

__all__ = [
    "IndicatorPriority",
    "RoundScores",
    "ScoringInputError",
    "agreement_for",
    "assessment_to_json",
    "consistency_by_dimension",
    "cronbach_alpha",
    "dimension_consistency",
    "expected_score",
    "indicator_priorities",
    "krippendorff_alpha",
    "label_for_score",
    "rank_intervals",
    "roadmap_position",
    "score_assessment",
    "status_for_gap",
    "trend",
    "trend_to_json",
    "trends_for",
    "weight_sensitivity",
]
