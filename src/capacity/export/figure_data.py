"""Page data the scorecards need beyond `capacity.dashboard`: the dimension table behind both charts.

The scorecard's radar (dimensions against the 2023 and 2053 targets) and its gap bars
are drawn from one table, built on `dashboard.bullet_rows` (the rows of the profile
page's bullet chart), so the Excel chart, the PDF chart and the dashboard show the
same numbers. The extra columns are read from the engine's result as it returned
them; nothing here computes a score, a gap or a status.
"""

from __future__ import annotations

import pandas as pd

from capacity import dashboard
from capacity.framework import Framework
from capacity.labels import target_name
from capacity.roadmap import INDEX, Roadmap
from capacity.scoring.results import AssessmentResult

DIMENSION_COLUMNS = (
    "target",
    "name",
    "score",
    "label",
    "level_name",
    "status",
    "expected",
    "gap",
    "midpoint",
    "vision",
    "gap_2023",
    "gap_2053",
    "coverage",
    "floor_level",
    "insufficient_data",
    "not_applicable",
    "arrow",
)


def dimension_rows(
    result: AssessmentResult, framework: Framework, roadmap: Roadmap, trends: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """Each dimension in framework order, then the index: the bullet rows plus label, coverage and trend.

    `trends` is `dashboard.trend_rows` for the same targets. Columns are DIMENSION_COLUMNS;
    `midpoint` and `vision` are the 2023 and 2053 targets, `gap` the gap to the roadmap's
    expectation for the assessment year (positive: behind).
    """
    targets = [dimension.code for dimension in framework.dimensions] + [INDEX]
    rows = dashboard.bullet_rows(result, roadmap, targets)
    arrows = dict(zip(trends["target"], trends["arrow"], strict=True))
    extra = []
    for target in targets:
        if target == INDEX:
            position, label = result.index.roadmap, result.index.label
            coverage = floor_level = None
            insufficient = not_applicable = False
        else:
            found = result.dimensions[target]
            position, label = found.roadmap, found.label
            coverage, floor_level = found.coverage, found.floor_level
            insufficient, not_applicable = found.insufficient_data, found.not_applicable
        extra.append(
            {
                "name": target_name(target, lang, framework),
                "label": label,
                "level_name": None if label is None else framework.level_name(label, lang),
                "gap_2023": position.gap_2023,
                "gap_2053": position.gap_2053,
                "coverage": coverage,
                "floor_level": floor_level,
                "insufficient_data": insufficient,
                "not_applicable": not_applicable,
                "arrow": arrows.get(target),
            }
        )
    combined = pd.concat([rows.reset_index(drop=True), pd.DataFrame(extra)], axis=1)
    return combined[list(DIMENSION_COLUMNS)]
