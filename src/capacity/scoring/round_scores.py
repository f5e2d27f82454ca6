"""The numbers of one assessment round that the peer statistics (steps 9 and 10) read, as arrays.

Weight sensitivity and Cronbach's alpha need only each organisation's index, dimension
scores and consolidated indicator levels, not whole `AssessmentResult`s. The store reads
exactly these numbers from its result tables (`portfolio_queries.round_scores`), which is
far quicker than decoding every stored result with its evidence notes; results held in
memory (just scored, in tests) become the same arrays through `RoundScores.from_results`.
Either way the statistics get the same numbers, in the same order, so the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from capacity.framework import Framework
from capacity.scoring.results import AssessmentResult


def latest_per_organisation(results: Iterable[AssessmentResult]) -> list[AssessmentResult]:
    """Each organisation's most recent assessment, in organisation-id order."""
    latest: dict[str, AssessmentResult] = {}
    for result in results:
        known = latest.get(result.organisation_id)
        if known is None or result.year > known.year:
            latest[result.organisation_id] = result
    return [latest[key] for key in sorted(latest)]


@dataclass(frozen=True, eq=False)
class RoundScores:
    """One row per organisation (its latest assessment), columns in framework order; NaN = no value.

    No value is: no index, no dimension score (insufficient data or not applicable), no
    level (N/A, blank, or an indicator the result does not have, e.g. one scored against
    another framework version). The codes say which framework the columns follow, so a
    statistic can refuse numbers laid out for another one.
    """

    organisation_ids: tuple[str, ...]  # ascending, each once
    dimension_codes: tuple[str, ...]
    indicator_codes: tuple[str, ...]
    index: np.ndarray  # (organisations,)
    dimensions: np.ndarray  # organisations × dimension_codes
    levels: np.ndarray  # organisations × indicator_codes

    def __post_init__(self) -> None:
        # One memory layout (C-ordered float64) whatever the source, so the statistics do the
        # same floating-point operations in the same order on numbers from the store or memory.
        count = len(self.organisation_ids)
        if list(self.organisation_ids) != sorted(set(self.organisation_ids)):
            raise ValueError("organisation ids must be unique and in ascending order")
        for name, shape in (
            ("index", (count,)),
            ("dimensions", (count, len(self.dimension_codes))),
            ("levels", (count, len(self.indicator_codes))),
        ):
            table = np.array(getattr(self, name), dtype=np.float64, order="C")
            if table.shape != shape:
                raise ValueError(f"{name} has shape {table.shape}, expected {shape}")
            table.flags.writeable = False
            object.__setattr__(self, name, table)

    @classmethod
    def from_results(cls, results: Iterable[AssessmentResult], framework: Framework) -> RoundScores:
        """The arrays of results held in memory: each organisation's latest result, by organisation id."""
        latest = latest_per_organisation(results)
        dimension_codes = tuple(dim.code for dim in framework.dimensions)
        indicator_codes = tuple(ind.code for ind in framework.indicators)
        return cls(
            organisation_ids=tuple(result.organisation_id for result in latest),
            dimension_codes=dimension_codes,
            indicator_codes=indicator_codes,
            index=np.array([_value(result.index.score) for result in latest], dtype=np.float64),
            dimensions=np.array(
                [[_dimension_score(result, code) for code in dimension_codes] for result in latest],
                dtype=np.float64,
            ).reshape(len(latest), len(dimension_codes)),
            levels=np.array(
                [[_level(result, code) for code in indicator_codes] for result in latest], dtype=np.float64
            ).reshape(len(latest), len(indicator_codes)),
        )

    def check_framework(self, framework: Framework) -> None:
        """Raise ValueError unless the columns follow `framework`'s dimensions and indicators."""
        laid_out = (self.dimension_codes, self.indicator_codes)
        expected = (
            tuple(dim.code for dim in framework.dimensions),
            tuple(ind.code for ind in framework.indicators),
        )
        if laid_out != expected:
            raise ValueError(
                f"these scores are not laid out for framework {framework.id} {framework.version}"
            )


def _value(value: float | None) -> float:
    return np.nan if value is None else value


def _dimension_score(result: AssessmentResult, code: str) -> float:
    dimension = result.dimensions.get(code)
    return np.nan if dimension is None else _value(dimension.score)


def _level(result: AssessmentResult, code: str) -> float:
    indicator = result.indicators.get(code)
    return np.nan if indicator is None else _value(indicator.level)
