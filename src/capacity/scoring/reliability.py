"""Steps 8–9 of the method: do respondents agree, and do a dimension's indicators hang together?

Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability")
measures agreement between the self-assessment respondents of one assessment; it accepts
any number of respondents and missing answers, which a questionnaire always has. The
ordinal metric respects that the levels are ordered but not equally spaced in meaning;
the interval metric is reported beside it. Cronbach's alpha (Cronbach 1951) asks whether
the indicators of a dimension rise and fall together across organisations, i.e. whether
adding them up into one dimension score is sensible.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from capacity.framework import Framework
from capacity.i18n import N_
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Submission
from capacity.scoring.results import Agreement, AssessmentResult, Consistency
from capacity.scoring.round_scores import RoundScores

Metric = Literal["ordinal", "interval"]
METRICS: tuple[Metric, ...] = ("ordinal", "interval")
MIN_COMPLETE_CASES = 3

NOTE_TOO_FEW_CASES = N_("Fewer than three organisations answered every indicator of this dimension.")
NOTE_NO_VARIATION = N_("The organisations' totals for this dimension do not vary, so alpha is undefined.")


def _is_value(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _alphas(units: Iterable[Sequence[float]], metrics: Sequence[Metric]) -> dict[Metric, float | None]:
    """Krippendorff's alpha for each metric from the values of each unit (missing left out).

    Built on the coincidence matrix o[c][k]: every ordered pair of values from different
    coders within a unit adds 1/(m_u − 1). Per unit the pairs are counted with integers,
    so the result does not depend on the order of the coders, not even in the last digit.
    """
    pairable = [unit for unit in units if len(unit) >= 2]
    if not pairable:
        return dict.fromkeys(metrics)
    values = sorted({value for unit in pairable for value in unit})
    position = {value: i for i, value in enumerate(values)}
    size = len(values)
    coincidences = [[0.0] * size for _ in range(size)]
    for unit in pairable:
        counts: dict[int, int] = {}
        for value in unit:
            counts[position[value]] = counts.get(position[value], 0) + 1
        pairs_per_value = len(unit) - 1
        for c, n_c in counts.items():
            row = coincidences[c]
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    row[k] += pairs / pairs_per_value
    marginals = [sum(row) for row in coincidences]
    total = sum(marginals)
    found: dict[Metric, float | None] = {}
    for metric in metrics:
        delta = _distances(metric, values, marginals)
        observed = sum(
            coincidences[c][k] * delta[c][k] for c in range(size) for k in range(size) if delta[c][k]
        )
        expected = sum(marginals[c] * marginals[k] * delta[c][k] for c in range(size) for k in range(size))
        found[metric] = None if expected == 0 else 1 - (total - 1) * observed / expected
    return found


def _distances(metric: Metric, values: Sequence[float], marginals: Sequence[float]) -> list[list[float]]:
    """The squared difference δ²(c, k) between two values under `metric` (Krippendorff 2011, sec. E)."""
    size = len(values)
    if metric == "interval":
        return [[(values[c] - values[k]) ** 2 for k in range(size)] for c in range(size)]
    if metric != "ordinal":
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    delta = [[0.0] * size for _ in range(size)]
    for c in range(size):
        between = marginals[c]
        for k in range(c + 1, size):
            between += marginals[k]
            delta[c][k] = delta[k][c] = (between - (marginals[c] + marginals[k]) / 2) ** 2
    return delta


def krippendorff_alpha(reliability_data: Sequence[Sequence[float | None]], metric: Metric) -> float | None:
    """Krippendorff's alpha of a coders × units table (None or NaN = missing).

    Units with fewer than two values cannot be paired and are dropped. None when no unit
    is pairable or the pairable values do not vary at all (alpha is then undefined).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    rows = [list(row) for row in reliability_data]
    width = max((len(row) for row in rows), default=0)
    if any(len(row) != width for row in rows):
        raise ValueError("every coder needs one entry (a value or None) per unit")
    units = [[float(row[u]) for row in rows if _is_value(row[u])] for u in range(width)]
    return _alphas(units, (metric,))[metric]


def agreement_for(submissions: Sequence[Submission]) -> Agreement:
    """Agreement between the self-assessment respondents of one assessment on the levels 0–5.

    Units are the indicators (in code order), N/A and blank answers are missing; evaluators
    are left out because they are not peers of the self-assessors but their check.
    """
    coders = [s for s in submissions if s.respondent_role != ROLE_EVALUATOR]
    if len(coders) < 2:
        return Agreement(alpha_ordinal=None, alpha_interval=None, coders=len(coders))
    codes = sorted({code for s in coders for code in s.answers})
    units = []
    for code in codes:
        unit = []
        for submission in coders:
            answer = submission.answers.get(code)
            if answer is not None and answer.level is not None:
                unit.append(float(answer.level))
        units.append(unit)
    alphas = _alphas(units, METRICS)
    return Agreement(alpha_ordinal=alphas["ordinal"], alpha_interval=alphas["interval"], coders=len(coders))


def cronbach_alpha(items: ArrayLike) -> float | None:
    """Cronbach's alpha of a cases × items table: k/(k−1) · (1 − Σ var(item) / var(total)).

    Sample variances (n − 1). Rows with a missing value are left out (complete cases only);
    None with fewer than three complete cases, fewer than two items, or totals that do not vary.
    """
    table = np.asarray(items, dtype=float)
    if table.ndim != 2:
        raise ValueError("items must be a two-dimensional table: one row per case, one column per item")
    table = table[~np.isnan(table).any(axis=1)]
    cases, k = table.shape
    if cases < MIN_COMPLETE_CASES or k < 2:
        return None
    total_variance = float(table.sum(axis=1).var(ddof=1))
    if total_variance == 0:
        return None
    item_variances = float(table.var(axis=0, ddof=1).sum())
    return k / (k - 1) * (1 - item_variances / total_variance)


def dimension_consistency(scores: RoundScores, framework: Framework) -> list[Consistency]:
    """Cronbach's alpha per dimension over the round's consolidated levels (`RoundScores`).

    Each organisation counts for a dimension when it has a level on every one of the
    dimension's indicators (complete cases), in organisation-id order.
    """
    scores.check_framework(framework)
    column = {code: position for position, code in enumerate(scores.indicator_codes)}
    found = []
    for dimension in framework.dimensions:
        codes = [ind.code for ind in dimension.indicators]
        levels = scores.levels[:, [column[code] for code in codes]]
        complete = levels[~np.isnan(levels).any(axis=1)]
        alpha = cronbach_alpha(complete)
        notes: tuple[str, ...] = ()
        if len(complete) < MIN_COMPLETE_CASES:
            notes = (NOTE_TOO_FEW_CASES,)
        elif alpha is None:
            notes = (NOTE_NO_VARIATION,)
        found.append(
            Consistency(
                dimension=dimension.code,
                alpha=alpha,
                complete_cases=len(complete),
                items=len(codes),
                notes=notes,
            )
        )
    return found


def consistency_by_dimension(results: Sequence[AssessmentResult], framework: Framework) -> list[Consistency]:
    """`dimension_consistency` of results held in memory: each organisation's latest assessment."""
    return dimension_consistency(RoundScores.from_results(results, framework), framework)
