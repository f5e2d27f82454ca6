"""The organisation profile in words: its tiles, its peer groups, its priorities and its tables' headers.

The profile page (views/profile.py) reads its widgets, calls these and draws what they
give. The choices behind what is shown live here, where they are tested without
Streamlit: the change since the previous round (none when either round has no index),
a projection the engine left as NaN, whether a peer group holds figures or only the
notice that it is too small, and the sentences of each priority.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from capacity.dashboard import Tile, peer_display
from capacity.framework import Framework
from capacity.i18n import format_number, translator
from capacity.labels import (
    arrow_help,
    arrow_text,
    format_change,
    organisation_type_label,
    projection_text,
    region_label,
    status_help,
    status_text,
)
from capacity.plaintext import markdown_literal
from capacity.roadmap import INDEX
from capacity.scoring.results import AssessmentResult
from capacity.store.portfolio_queries import PEER_GROUP_ALL, PEER_GROUP_TYPE


def organisation_parts(
    organisation_type: str | None, country: object, region: str | None, lang: str
) -> list[str]:
    """The organisation's type, country and region in the reader's words, the empty ones left out."""
    parts = (organisation_type_label(organisation_type, lang), country, region_label(region, lang))
    return [str(part) for part in parts if part]


def index_change(result: AssessmentResult, previous: AssessmentResult | None, lang: str) -> str | None:
    """The index's change since the previous assessment ('+6.1'); None when either has no index."""
    if previous is None or previous.index.score is None or result.index.score is None:
        return None
    return format_change(result.index.score - previous.index.score, lang, 1)


def projected_year(trends: pd.DataFrame, target: str) -> float | None:
    """The year `target` reaches the vision at its pace (`dashboard.trend_rows`); None when it never does.

    The engine leaves the year empty (None, or NaN once in a frame) for a target without
    a trend or one that does not improve; the chart and its summary need None for both.
    """
    year = trends.loc[trends["target"] == target, "projected_year"].iloc[0]
    return None if pd.isna(year) else float(year)


def tiles(results: Sequence[AssessmentResult], trends: pd.DataFrame, lang: str) -> list[Tile]:
    """The four tiles over the latest of `results` (oldest first): index, status, trend and projection.

    The index tile's small figure is the change since the assessment before, which the
    help names; with no assessment before, the help says '–'.
    """
    t = translator(lang)
    result = results[-1]
    previous = results[-2] if len(results) > 1 else None
    index_trend = trends[trends["target"] == INDEX].iloc[0]
    status = result.index.roadmap.status
    return [
        Tile(
            t("Capacity index, {year}", year=result.year),
            format_number(result.index.score, lang, 1),
            t(
                "Weighted mean of the six dimension scores (0–100); the small figure is the change "
                "since {year}.",
                year=previous.year if previous else "–",
            ),
            index_change(result, previous, lang),
        ),
        Tile(
            t("Roadmap status"),
            status_text(status, lang),
            status_help(status, lang)
            + " "
            + t(
                "The roadmap expects {expected} in {year}.",
                expected=format_number(result.index.roadmap.expected, lang, 1),
                year=result.year,
            ),
        ),
        Tile(
            t("Trend"),
            arrow_text(index_trend["arrow"], lang),
            t(
                "From the first to the latest assessment, compared with the pace needed to reach the "
                "2053 vision."
            )
            + " "
            + arrow_help(index_trend["arrow"], lang),
        ),
        Tile(
            t("Reaches the vision in"),
            projection_text(index_trend["projected_year"], index_trend["arrow"], lang),
            t(
                "The year the index would reach the 2053 target if it kept improving as fast as "
                "since the first assessment."
            ),
        ),
    ]


@dataclass(frozen=True)
class PeerGroupView:
    """One peer group as the profile shows it: a bold heading, then its table or (None) a notice."""

    heading: str  # markdown
    table: pd.DataFrame | None  # dashboard.peer_display; None when the group is too small to show


def peer_groups(
    peers: pd.DataFrame, own_scores: dict[str, float | None], kind: str, year: int, lang: str
) -> list[PeerGroupView]:
    """Every organisation of the round, then those of the organisation's type (`kind`, its type's name).

    A group the store withheld (no rows, or no median: too few organisations to show
    without revealing one) has no table.
    """
    t = translator(lang)
    views = []
    for group in (PEER_GROUP_ALL, PEER_GROUP_TYPE):
        members = peers[peers["group"] == group]
        if group == PEER_GROUP_ALL:
            heading = t("**Every organisation assessed in {year}**", year=year)
        else:
            heading = t("**Same type: {kind}**", kind=markdown_literal(kind))
        withheld = members.empty or members["median"].isna().all()
        views.append(PeerGroupView(heading, None if withheld else peer_display(members, own_scores, lang)))
    return views


def peer_headers(lang: str) -> dict[str, str]:
    """The peer tables' column headers, by `dashboard.peer_display` column."""
    t = translator(lang)
    return {
        "target": t("Target"),
        "own": t("This organisation"),
        "median": t("Peers' median"),
        "p25": t("Lower quartile"),
        "p75": t("Upper quartile"),
        "n": t("Organisations"),
    }


def trend_headers(lang: str) -> dict[str, tuple[str, str | None]]:
    """The trend table's headers and their help (None: none), by `dashboard.trend_display` column."""
    t = translator(lang)
    return {
        "target": (t("Target"), None),
        "arrow": (t("Trend"), None),
        "period": (t("Period"), None),
        "actual_rate": (t("Points per year"), t("Pace achieved between the first and latest assessment")),
        "required_rate": (
            t("Needed per year"),
            t("Pace needed from the first assessment to reach the 2053 vision"),
        ),
        "projected_year": (t("Vision reached in"), None),
    }


@dataclass(frozen=True)
class Priority:
    """One of the largest weighted gaps as the profile lists it (all three lines are markdown)."""

    heading: str
    figures: str
    next_step: str


def priorities(gaps: pd.DataFrame, lang: str) -> list[Priority]:
    """`dashboard.top_gaps`, ranked from 1: the indicator, its figures, and the next level to reach."""
    t = translator(lang)
    return [
        Priority(
            f"**{rank}. {gap.code} · {gap.title}**",
            t(
                "Level {level} now, {gap} points below the roadmap (weight {weight}, weighted gap "
                "{weighted}).",
                level=format_number(gap.level, lang, 1),
                gap=format_number(gap.gap, lang, 1),
                weight=format_number(gap.weight, lang, 1),
                weighted=format_number(gap.weighted_gap, lang, 1),
            ),
            t(
                "**Next step — level {level}, {name}:** {step}",
                level=gap.next_level,
                name=gap.next_level_name,
                step=gap.next_step,
            ),
        )
        for rank, gap in enumerate(gaps.itertuples(index=False), start=1)
    ]


def indicator_headers(lang: str) -> dict[str, str]:
    """The indicator tables' column headers, by `dashboard.indicator_display` column, in their order."""
    t = translator(lang)
    return {
        "indicator": t("Indicator"),
        "level_text": t("Level"),
        "descriptor": t("What this level looks like"),
        "self_evaluator": t("Self / evaluator"),
        "spread_text": t("Spread"),
        "flags": t("Flags"),
    }


def evidence_headers(lang: str) -> dict[str, str]:
    """The evidence tables' column headers, by `dashboard.evidence_rows` column."""
    t = translator(lang)
    return {"indicator": t("Indicator"), "number": "#", "note": t("Evidence")}


def dimension_tabs(framework: Framework, lang: str) -> list[str]:
    """One tab label per dimension, in the framework's order: 'IC · Institutional Capacity'."""
    return [f"{dimension.code} · {dimension.name(lang)}" for dimension in framework.dimensions]
