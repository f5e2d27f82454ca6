"""What the scoring engine returns. Every figure is unrounded; displays round to one decimal.

These types are the contract between the engine, the store, the pages, the exports and
the CLI: nothing outside `capacity.scoring` computes a score, a gap or a status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Roadmap statuses (from the gap to the expected score), worst last.
ON_TRACK = "on track"
SLIGHTLY_BEHIND = "slightly behind"
BEHIND = "behind"
OFF_TRACK = "off track"
STATUSES = (ON_TRACK, SLIGHTLY_BEHIND, BEHIND, OFF_TRACK)

# Trend arrows (from the earliest and latest assessment years).
VISION_REACHED = "vision reached"
TREND_ON_TRACK = "on track"
MODERATELY_IMPROVING = "moderately improving"
STAGNATING = "stagnating"
DECREASING = "decreasing"
ARROWS = (VISION_REACHED, TREND_ON_TRACK, MODERATELY_IMPROVING, STAGNATING, DECREASING)

INDEX = "index"


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator after consolidating every respondent's answer."""

    code: str
    level: float | None  # score of record on the 0–5 scale (a median may be x.5); None if N/A or blank
    not_applicable: bool
    respondents: int  # respondents who answered (a level or N/A)
    self_level: float | None  # median of the self-assessment levels
    evaluator_level: float | None  # median of the evaluators' levels
    spread: float | None  # max − min of the self-assessment levels
    spread_flag: bool  # spread ≥ 2
    self_evaluator_flag: bool  # |self_level − evaluator_level| ≥ 1
    evidence: tuple[str, ...] = ()  # non-empty evidence notes, in respondent order
    evidence_links: tuple[str, ...] = ()

    @property
    def score(self) -> float | None:
        return None if self.level is None else self.level * 20


@dataclass(frozen=True)
class RoadmapPosition:
    """Where a score stands against the roadmap in one year."""

    expected: float  # E(y), the interpolated target
    gap: float | None  # E(y) − s; positive means behind
    gap_2023: float | None
    gap_2053: float | None
    status: str | None  # one of STATUSES, None without a score


@dataclass(frozen=True)
class DimensionResult:
    code: str
    score: float | None  # None: insufficient data or not applicable
    coverage: float | None  # answered ÷ not-N/A indicators; None when all are N/A
    not_applicable: bool
    insufficient_data: bool
    label: int | None  # level 0–5 of floor(score / 20)
    floor_level: float | None  # lowest level among the answered indicators
    roadmap: RoadmapPosition


@dataclass(frozen=True)
class IndexResult:
    score: float | None
    label: int | None
    roadmap: RoadmapPosition


@dataclass(frozen=True)
class Agreement:
    """Agreement between self-assessment respondents (Krippendorff's alpha)."""

    alpha_ordinal: float | None
    alpha_interval: float | None
    coders: int  # self-assessment respondents


@dataclass(frozen=True)
class AssessmentResult:
    """One organisation in one assessment year, all respondents consolidated."""

    organisation_id: str
    organisation_name: str
    year: int
    respondents: int
    framework_id: str
    framework_version: str
    roadmap_version: str
    index: IndexResult
    dimensions: dict[str, DimensionResult]  # framework order
    indicators: dict[str, IndicatorResult]  # framework order
    agreement: Agreement


@dataclass(frozen=True)
class TrendResult:
    organisation_id: str
    target: str  # INDEX or a dimension code
    from_year: int
    to_year: int
    start_score: float
    end_score: float
    actual_rate: float
    required_rate: float
    arrow: str  # one of ARROWS
    projected_year: float | None


@dataclass(frozen=True)
class RankInterval:
    """Weight-sensitivity result for one organisation."""

    organisation_id: str
    median_rank: float
    rank_p05: float
    rank_p95: float
    nominal_rank: float  # tied organisations share the average of their ranks: 1.5, 2.5, …


@dataclass(frozen=True)
class Consistency:
    """Cronbach's alpha of one dimension across organisations."""

    dimension: str
    alpha: float | None
    complete_cases: int
    items: int
    notes: tuple[str, ...] = field(default_factory=tuple)
