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
from capacity.scoring.results import AssessmentResult, RankInterval
from capacity.scoring.round_scores import RoundScores

PERTURBATION = 0.25
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2053
RANK_BLOCK_CELLS = 2_000_000  # draws × organisations ranked at once (16 MB per temporary table)
PERCENTILES = (5, 50, 95)  # the 5th–95th percentile rank interval and, between them, the median


def descending_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score in each row; tied scores share the average of their ranks.

    Ranking 2,000 organisations under 1,000 weightings is most of the statistic's time, so
    it is done on the whole table at once: sort each row (the order within a tie does not
    matter, as every member of a tie gets the same average, so the quicker unstable sort
    does), then find the ties in the flattened sorted table, where each row starts a new tie
    group. A group from sorted position `first` to `last` shares (first + last) / 2 + 1;
    positions are integers, so every rank is exact (a multiple of 0.5).
    """
    draws, count = scores.shape
    if scores.size == 0:
        return np.empty((draws, count))
    order = np.argsort(-scores, axis=1)
    ordered = np.take_along_axis(scores, order, axis=1).ravel()
    starts_group = np.empty(ordered.size, dtype=bool)
    starts_group[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    starts_group[::count] = True
    first = np.flatnonzero(starts_group)  # flat position of each group's first member
    after = np.append(first[1:], ordered.size)  # ... and one past its last member
    row_start = first // count * count
    group_rank = (first + after - 1 - 2 * row_start) / 2 + 1
    ranks = np.empty((draws, count))
    shared = group_rank[np.cumsum(starts_group) - 1].reshape(draws, count)
    np.put_along_axis(ranks, order, shared, axis=1)
    return ranks


def _ranks_in_blocks(scores: np.ndarray, cells: int = RANK_BLOCK_CELLS) -> np.ndarray:
    """`descending_ranks` of `scores`, a block of rows at a time (each row is ranked on its own).

    Ranking 1,000 draws × 20,000 organisations at once needs a dozen temporary tables of
    160 MB each; in blocks of about `cells` values the process stays within its memory
    budget, with the same ranks.
    """
    draws, count = scores.shape
    ranks = np.empty((draws, count))
    step = max(1, cells // max(count, 1))
    for start in range(0, draws, step):
        ranks[start : start + step] = descending_ranks(scores[start : start + step])
    return ranks


def rank_intervals(
    scores: RoundScores,
    framework: Framework,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> list[RankInterval]:
    """Median rank and 5th–95th percentile rank of each organisation's index under random weights.

    Takes the round's numbers as arrays (`RoundScores`, columns in `framework`'s order) and
    uses each organisation that has an index; the nominal rank is the rank of the index as
    scored, with the published weights. Ties share the average of their ranks there as in
    every draw (two organisations at 60 in first place are both 1.5), so the nominal rank
    always lies where the drawn ranks of an unperturbed weighting would. Results in
    organisation-id order.
    """
    scores.check_framework(framework)
    has_index = ~np.isnan(scores.index)
    if not has_index.any():
        return []
    organisation_ids = [key for key, kept in zip(scores.organisation_ids, has_index, strict=True) if kept]
    dimensions = scores.dimensions[has_index]  # organisations × dimensions, NaN where one does not apply
    present = ~np.isnan(dimensions)
    filled = np.where(present, dimensions, 0.0)
    base = np.array([dim.weight for dim in framework.dimensions], dtype=float)
    rng = np.random.default_rng(seed)
    weights = base * (1 + rng.uniform(-PERTURBATION, PERTURBATION, size=(draws, len(base))))
    weights /= weights.sum(axis=1, keepdims=True)
    index = weights @ filled.T  # draws × organisations
    index /= weights @ present.T  # in place: one table of draws × organisations fewer at a time
    # One partition for the three percentiles. The 50th (linear interpolation) equals the
    # median exactly here: ranks are multiples of 0.5, so halving sums and differences is exact.
    low, median, high = np.percentile(_ranks_in_blocks(index), PERCENTILES, axis=0)
    nominal_ranks = descending_ranks(scores.index[has_index][np.newaxis, :])[0]
    return [
        RankInterval(
            organisation_id=organisation_id,
            median_rank=float(median[i]),
            rank_p05=float(low[i]),
            rank_p95=float(high[i]),
            nominal_rank=float(nominal_ranks[i]),
        )
        for i, organisation_id in enumerate(organisation_ids)
    ]


def weight_sensitivity(
    results: Sequence[AssessmentResult],
    framework: Framework,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> list[RankInterval]:
    """`rank_intervals` of results held in memory: each organisation's latest assessment that has an index."""
    scored = (result for result in results if result.index.score is not None)
    return rank_intervals(RoundScores.from_results(scored, framework), framework, draws, seed)
