"""Where a score stands against the 2015–2023–2053 roadmap: expectation, gaps and status.

The roadmap only holds three milestone targets; the expectation for any other year is the
straight line between the neighbouring milestones, so an organisation assessed in 2019 is
measured against where the roadmap says it should be in 2019, not against a far target.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from capacity.roadmap import MILESTONE_YEARS, Roadmap
from capacity.scoring.results import BEHIND, OFF_TRACK, ON_TRACK, SLIGHTLY_BEHIND, RoadmapPosition

# Computer arithmetic leaves noise in the last digits (a weighted mean of 60s can come out
# as 59.99999999999999). Comparisons at thresholds allow this much so that such noise never
# changes a label, a status or an arrow; it is far below anything a display can show.
TOLERANCE = 1e-9

SLIGHTLY_BEHIND_LIMIT = 10.0
BEHIND_LIMIT = 20.0
MIDPOINT_YEAR = MILESTONE_YEARS[1]


def expected_score(roadmap: Roadmap, target: str, year: float) -> float:
    """E(y): the milestone targets of `target` interpolated linearly at `year`.

    Before the first milestone the first target applies, after the last the last one:
    the roadmap says nothing about earlier or later years, so it is not extrapolated.
    """
    milestones = roadmap.milestones
    if year <= milestones[0].year:
        return milestones[0].targets[target]
    for start, end in pairwise(milestones):
        if year <= end.year:
            low, high = start.targets[target], end.targets[target]
            return low + (high - low) * (year - start.year) / (end.year - start.year)
    return milestones[-1].targets[target]


def status_for_gap(gap: float | None) -> str | None:
    """The roadmap status of a gap (E − s): on track ≤ 0 < slightly behind ≤ 10 < behind ≤ 20 < off track."""
    if gap is None:
        return None
    if gap <= TOLERANCE:
        return ON_TRACK
    if gap <= SLIGHTLY_BEHIND_LIMIT + TOLERANCE:
        return SLIGHTLY_BEHIND
    if gap <= BEHIND_LIMIT + TOLERANCE:
        return BEHIND
    return OFF_TRACK


def on_track(gaps: np.ndarray) -> np.ndarray:
    """`status_for_gap(gap) == ON_TRACK` for every gap at once; a missing gap (NaN) is not on track.

    The milestone shares of the Roadmap page test a quarter of a million gaps at 20,000
    organisations: one Python call per gap took over a second, this takes milliseconds.
    """
    gaps = np.asarray(gaps, dtype=float)
    return ~np.isnan(gaps) & (gaps <= TOLERANCE)


def roadmap_position(roadmap: Roadmap, target: str, score: float | None, year: float) -> RoadmapPosition:
    """The expectation for `year`, the gaps to it and to the 2023 and 2053 targets, and the status."""
    expected = expected_score(roadmap, target, year)
    if score is None:
        return RoadmapPosition(expected=expected, gap=None, gap_2023=None, gap_2053=None, status=None)
    gap = expected - score
    return RoadmapPosition(
        expected=expected,
        gap=gap,
        gap_2023=roadmap.target(target, MIDPOINT_YEAR) - score,
        gap_2053=roadmap.target(target, roadmap.vision_year) - score,
        status=status_for_gap(gap),
    )
