"""Step 10 of the method: how much do the rankings depend on the dimension weights?

The OECD/JRC Handbook asks composite indices to show how robust their rankings are to
the weights chosen. Each dimension weight is shaken by up to ±25 % at random, the index
recomputed and every organisation re-ranked, many times over; a wide rank interval warns
that an organisation's place rests on the weighting rather than on its capacity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from capacity.framework import Framework
from capacity.scoring.reliability import latest_per_organisation
from capacity.scoring.results import AssessmentResult, RankInterval

PERTURBATION = 0.25
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2053


def descending_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score in each row; tied scores share the average of their ranks."""
    draws, count = scores.shape
    order = np.argsort(-scores, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, order, axis=1)
    positions = np.broadcast_to(np.arange(count), (draws, count))
    starts_group = np.ones((draws, count), dtype=bool)
    starts_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends_group = np.ones((draws, count), dtype=bool)
    ends_group[:, :-1] = starts_group[:, 1:]
    # First and last position of each tie group, carried across the group.
    first = np.maximum.accumulate(np.where(starts_group, positions, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends_group, positions, count)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty((draws, count))
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    return ranks


def weight_sensitivity(
    results: Sequence[AssessmentResult],
    framework: Framework,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> list[RankInterval]:
    """Median rank and 5th–95th percentile rank of each organisation's index under random weights.

    Uses each organisation's latest assessment that has an index; the nominal rank is the
    rank of the index as scored (ties share the best rank).
    """
    latest = latest_per_organisation(r for r in results if r.index.score is not None)
    if not latest:
        return []
    codes = [dim.code for dim in framework.dimensions]
    scores = np.array(
        [[_dimension_score(result, code) for code in codes] for result in latest], dtype=float
    )  # organisations × dimensions, NaN where a dimension does not apply
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    base = np.array([dim.weight for dim in framework.dimensions], dtype=float)
    rng = np.random.default_rng(seed)
    weights = base * (1 + rng.uniform(-PERTURBATION, PERTURBATION, size=(draws, len(codes))))
    weights /= weights.sum(axis=1, keepdims=True)
    index = (weights @ filled.T) / (weights @ present.T)  # draws × organisations
    ranks = descending_ranks(index)
    median = np.median(ranks, axis=0)
    low, high = np.percentile(ranks, [5, 95], axis=0)
    nominal = np.array([r.index.score for r in latest], dtype=float)
    nominal_ranks = 1 + (nominal[None, :] > nominal[:, None]).sum(axis=1)
    return [
        RankInterval(
            organisation_id=result.organisation_id,
            median_rank=float(median[i]),
            rank_p05=float(low[i]),
            rank_p95=float(high[i]),
            nominal_rank=int(nominal_ranks[i]),
        )
        for i, result in enumerate(latest)
    ]


def _dimension_score(result: AssessmentResult, code: str) -> float:
    dimension = result.dimensions.get(code)
    return np.nan if dimension is None or dimension.score is None else dimension.score
