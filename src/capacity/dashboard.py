"""Page data for the board dashboards: the exact tables each page (and export) shows.

The inputs are the store's query DataFrames (`capacity.store.queries`, `portfolio_queries`)
and the engine's result objects; the outputs are small tables ready to draw. This module
selects, joins, counts and reshapes, and calls the scoring engine where a roadmap number
is needed: it never computes a score, a gap or a status itself, so the dashboard shows
exactly what the engine said. Everything is vectorised pandas, because a portfolio can
hold 2,000 organisations × several rounds.

The portfolio frame is `queries.portfolio`'s: one row per scored assessment with
`index_score`, `index_status`, … and `<dimension>_score`, `<dimension>_status`, ….
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from capacity.access import MIN_PEER_GROUP
from capacity.framework import Framework
from capacity.i18n import format_number, translator
from capacity.labels import NO_DATA, NO_TREND, arrow_text, projection_text, target_name
from capacity.roadmap import INDEX, MILESTONE_YEARS, TARGETS, Roadmap
from capacity.scoring import expected_score
from capacity.scoring.priorities import indicator_priorities
from capacity.scoring.results import (
    ON_TRACK,
    AssessmentResult,
    Consistency,
    RankInterval,
    RoadmapPosition,
    TrendResult,
)
from capacity.scoring.roadmap_gaps import on_track
from capacity.scoring.trends import trend_table
from capacity.store.portfolio_queries import PEER_GROUP_ALL

MIDPOINT_YEAR = MILESTONE_YEARS[1]
SORT_BY_NAME = "name"

# The series of the profile radar.
LATEST, PREVIOUS, EXPECTED_NOW, VISION = "latest", "previous", "expected", "vision"

# Bases of the milestone share: the organisations assessed in the milestone round, or
# every organisation at its latest assessment.
IN_MILESTONE_ROUND, AT_LATEST = "milestone_round", "latest"


def score_column(target: str) -> str:
    return f"{target}_score"


def status_column(target: str) -> str:
    return f"{target}_status"


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What the board member chose to look at; None means all."""

    year: int | None = None
    organisation_type: str | None = None
    region: str | None = None
    country: str | None = None


def rounds(portfolio: pd.DataFrame) -> list[int]:
    """The assessment years present, most recent first."""
    return sorted({int(year) for year in portfolio["year"].unique()}, reverse=True)


def previous_round(portfolio: pd.DataFrame, year: int) -> int | None:
    """The most recent assessment year before `year`, if any."""
    earlier = [found for found in rounds(portfolio) if found < year]
    return earlier[0] if earlier else None


def filter_choices(portfolio: pd.DataFrame, region: str | None = None) -> dict[str, list[str]]:
    """The organisation types, regions and countries to offer (countries within the chosen region)."""
    within = portfolio if region is None else portfolio[portfolio["region"] == region]

    def values(frame: pd.DataFrame, column: str) -> list[str]:
        return sorted({str(v) for v in frame[column].dropna().unique() if str(v).strip()})

    return {
        "organisation_type": values(portfolio, "organisation_type"),
        "region": values(portfolio, "region"),
        "country": values(within, "country"),
    }


def apply_filters(portfolio: pd.DataFrame, filters: Filters, with_year: bool = True) -> pd.DataFrame:
    """The rows matching the filters (the year too, unless `with_year` is False)."""
    keep = pd.Series(True, index=portfolio.index)
    for column, wanted in (
        ("organisation_type", filters.organisation_type),
        ("region", filters.region),
        ("country", filters.country),
    ):
        if wanted is not None:
            keep &= portfolio[column] == wanted
    if with_year and filters.year is not None:
        keep &= portfolio["year"] == filters.year
    return portfolio[keep]


def up_to(portfolio: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Assessments of `year` or earlier (all when year is None)."""
    return portfolio if year is None else portfolio[portfolio["year"] <= year]


def latest_per_organisation(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's most recent row."""
    if portfolio.empty:
        return portfolio
    ordered = portfolio.sort_values(["organisation_id", "year"])
    return ordered.drop_duplicates("organisation_id", keep="last").reset_index(drop=True)


# ---------------------------------------------------------------- tiles


@dataclass(frozen=True)
class Tile:
    """One figure on a bordered tile: its label, the figure as text, its help, and a change (e.g. '+4.2')."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None


# ---------------------------------------------------------------- overview: KPI tiles


@dataclass(frozen=True)
class Kpi:
    """A figure of the selected round and the same figure in the previous round."""

    value: float | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class KpiTiles:
    year: int
    previous_year: int | None
    organisations: Kpi
    mean_index: Kpi  # points, 0–100
    share_on_track: Kpi  # 0–1, among organisations with an index
    share_evidence: Kpi  # 0–1, among indicators with a level


def _round_figures(
    rows: pd.DataFrame, evidence: pd.DataFrame
) -> tuple[float, float | None, float | None, float | None]:
    organisations = float(rows["organisation_id"].nunique())
    indexed = rows["index_score"].dropna()
    mean_index = float(indexed.mean()) if len(indexed) else None
    statuses = rows["index_status"].dropna()
    share_on_track = float((statuses == ON_TRACK).mean()) if len(statuses) else None
    keys = rows[["organisation_id", "year"]]
    counted = evidence.merge(keys, on=["organisation_id", "year"], how="inner")
    answered = int(counted["answered"].sum())
    evidenced = float(counted["evidenced"].sum()) / answered if answered else None
    return organisations, mean_index, share_on_track, evidenced


def kpi_tiles(portfolio: pd.DataFrame, evidence: pd.DataFrame, filters: Filters) -> KpiTiles | None:
    """The four headline figures of the chosen round, each with the previous round's value.

    None when nothing matches the filters. The previous round is the latest earlier year
    in which organisations matching the same filters were assessed.
    """
    scope = apply_filters(portfolio, filters, with_year=False)
    if scope.empty:
        return None
    year = filters.year if filters.year is not None else rounds(scope)[0]
    current = scope[scope["year"] == year]
    if current.empty:
        return None
    before = previous_round(scope, year)
    now = _round_figures(current, evidence)
    then = _round_figures(scope[scope["year"] == before], evidence) if before is not None else (None,) * 4
    tiles = [Kpi(value, previous) for value, previous in zip(now, then, strict=True)]
    return KpiTiles(year, before, *tiles)


# ---------------------------------------------------------------- overview: roadmap chart


def long_scores(portfolio: pd.DataFrame, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """One row per assessment × target (index and each dimension): score and status."""
    frames = []
    for target in targets:
        part = portfolio[["organisation_id", "organisation_name", "organisation_type", "year"]].copy()
        part["target"] = target
        part["score"] = portfolio[score_column(target)].astype("float64")
        part["status"] = portfolio[status_column(target)]
        frames.append(part)
    if not frames:
        return pd.DataFrame(
            columns=[
                "organisation_id",
                "organisation_name",
                "organisation_type",
                "year",
                "target",
                "score",
                "status",
            ]
        )
    return pd.concat(frames, ignore_index=True)


def roadmap_series(portfolio: pd.DataFrame, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """The portfolio mean of the index and of each dimension per year (target, year, mean, organisations)."""
    scores = long_scores(portfolio, targets).dropna(subset=["score"])
    grouped = scores.groupby(["target", "year"])["score"].agg(["mean", "count"]).reset_index()
    grouped = grouped.rename(columns={"count": "organisations"})
    grouped["order"] = grouped["target"].map({t: i for i, t in enumerate(targets)})
    return grouped.sort_values(["order", "year"]).drop(columns="order").reset_index(drop=True)


def roadmap_path(roadmap: Roadmap, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """The milestone targets (year, target, expected, milestone); a straight line between them is E(y)."""
    rows = [
        {"year": m.year, "target": target, "expected": m.targets[target], "milestone": m.year}
        for target in targets
        for m in roadmap.milestones
    ]
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class TimelineWindow:
    """The years a roadmap chart spans: those that hold data, up to the next milestone.

    The vision year, decades away, is not stretched out to: it is drawn in a narrow inset
    at the end (`inset`), so the years that hold data get the width.
    """

    start: int
    end: int
    vision_year: int

    @property
    def inset(self) -> bool:
        """Whether the vision lies beyond the window and needs its own inset."""
        return self.vision_year > self.end


# Years of room after today (or the latest data) before the window ends; a milestone this
# close is brought into the window rather than left to the inset.
TIMELINE_MARGIN_YEARS, MILESTONE_REACH_YEARS = 2, 8


def timeline_window(years: Iterable[int], milestone_years: Sequence[int], today: int) -> TimelineWindow:
    """From the milestone at or before the first data year to the next milestone or just past today."""
    found = sorted({int(year) for year in years}) or [today]
    first = max([m for m in milestone_years if m <= found[0]], default=found[0])
    last = max(found[-1], today)
    vision = max(milestone_years)
    upcoming = [m for m in milestone_years if m > last and m - last <= MILESTONE_REACH_YEARS]
    end = min(upcoming) if upcoming else last + TIMELINE_MARGIN_YEARS
    return TimelineWindow(start=min(first, found[0]), end=min(end, vision), vision_year=vision)


# ---------------------------------------------------------------- overview: heatmap


@dataclass(frozen=True)
class Heatmap:
    """Organisations (rows, display order) × targets: the engine's scores and statuses."""

    names: pd.Series  # organisation id → name
    scores: pd.DataFrame  # organisation id × target, NaN without a score
    statuses: pd.DataFrame  # organisation id × target, a status or labels.NO_DATA

    @property
    def targets(self) -> list[str]:
        return list(self.scores.columns)

    def __len__(self) -> int:
        return len(self.names)

    def page(self, number: int, size: int) -> Heatmap:
        """Rows of page `number` (1-based) of `size` rows."""
        start = (max(number, 1) - 1) * size
        window = self.names.index[start : start + size]
        return Heatmap(self.names.loc[window], self.scores.loc[window], self.statuses.loc[window])


# Rows of an organisation grid (the heatmap, the trend arrows) shown at once: a page.
GRID_PAGE_SIZE = 50


def page_count(rows: int, size: int = GRID_PAGE_SIZE) -> int:
    """How many pages of `size` rows `rows` rows fill (at least one)."""
    return max(1, math.ceil(rows / size))


def page_of(frame: pd.DataFrame, number: int, size: int = GRID_PAGE_SIZE) -> pd.DataFrame:
    """Rows of page `number` (1-based, clamped to the pages there are)."""
    start = (min(max(number, 1), page_count(len(frame), size)) - 1) * size
    return frame.iloc[start : start + size]


def sort_options(framework: Framework) -> list[str]:
    """How the heatmap can be sorted: by name, by the index, or by one dimension."""
    return [SORT_BY_NAME, INDEX, *(dim.code for dim in framework.dimensions)]


def heatmap_matrix(
    round_rows: pd.DataFrame,
    sort_by: str = SORT_BY_NAME,
    visible: Iterable[str] | None = None,
    targets: Sequence[str] = TARGETS,
) -> Heatmap:
    """The heatmap of one round, sorted by name or by a target's score (highest first, missing last).

    `visible` limits the rows to organisations the reader may see one by one (None: all).
    """
    rows = latest_per_organisation(round_rows)
    if visible is not None:
        rows = rows[rows["organisation_id"].isin(set(visible))]
    rows = rows.assign(_name=rows["organisation_name"].str.casefold())
    if sort_by == SORT_BY_NAME:
        rows = rows.sort_values(["_name", "organisation_id"])
    else:
        rows = rows.sort_values([score_column(sort_by), "_name"], ascending=[False, True], na_position="last")
    rows = rows.set_index("organisation_id")
    scores = pd.DataFrame({t: rows[score_column(t)].astype("float64") for t in targets}, index=rows.index)
    statuses = pd.DataFrame({t: rows[status_column(t)].fillna(NO_DATA) for t in targets}, index=rows.index)
    statuses = statuses.where(scores.notna(), NO_DATA)
    return Heatmap(rows["organisation_name"], scores, statuses)


# ---------------------------------------------------------------- organisation profile


def organisation_choices(portfolio: pd.DataFrame, visible: Iterable[str] | None = None) -> pd.Series:
    """Organisation id → its latest name, sorted by name, limited to `visible` (None: all)."""
    latest = latest_per_organisation(portfolio)
    if visible is not None:
        latest = latest[latest["organisation_id"].isin(set(visible))]
    latest = latest.assign(_name=latest["organisation_name"].str.casefold()).sort_values(
        ["_name", "organisation_id"]
    )
    return pd.Series(latest["organisation_name"].to_numpy(), index=latest["organisation_id"].to_numpy())


def _target_score(result: AssessmentResult, target: str) -> float | None:
    if target == INDEX:
        return result.index.score
    dimension = result.dimensions.get(target)
    return None if dimension is None else dimension.score


def _target_position(result: AssessmentResult, target: str) -> RoadmapPosition:
    return result.index.roadmap if target == INDEX else result.dimensions[target].roadmap


def radar_series(
    results: Sequence[AssessmentResult], roadmap: Roadmap, now_year: int, dimensions: Sequence[str]
) -> pd.DataFrame:
    """Per dimension: latest round, previous round, the roadmap's expectation now and the vision.

    Columns series, year, target, score; `results` is one organisation's, oldest first.
    Rows of the previous round only exist when there is one.
    """
    rows = []
    ordered = sorted(results, key=lambda r: r.year)
    for series, result in (
        (LATEST, ordered[-1] if ordered else None),
        (PREVIOUS, ordered[-2] if len(ordered) > 1 else None),
    ):
        if result is not None:
            rows += [
                {"series": series, "year": result.year, "target": code, "score": _target_score(result, code)}
                for code in dimensions
            ]
    rows += [
        {
            "series": EXPECTED_NOW,
            "year": now_year,
            "target": code,
            "score": expected_score(roadmap, code, now_year),
        }
        for code in dimensions
    ]
    rows += [
        {
            "series": VISION,
            "year": roadmap.vision_year,
            "target": code,
            "score": roadmap.target(code, roadmap.vision_year),
        }
        for code in dimensions
    ]
    return pd.DataFrame(rows, columns=["series", "year", "target", "score"])


def bullet_rows(result: AssessmentResult, roadmap: Roadmap, targets: Sequence[str]) -> pd.DataFrame:
    """Per target: the score, the expectation for the assessment year, the status and the milestones."""
    rows = []
    for target in targets:
        position = _target_position(result, target)
        rows.append(
            {
                "target": target,
                "score": _target_score(result, target),
                "expected": position.expected,
                "status": position.status or NO_DATA,
                "gap": position.gap,
                "midpoint": roadmap.target(target, MIDPOINT_YEAR),
                "vision": roadmap.target(target, roadmap.vision_year),
            }
        )
    return pd.DataFrame(rows)


def history_series(results: Sequence[AssessmentResult], targets: Sequence[str]) -> pd.DataFrame:
    """One organisation's score per year and target (year, target, score, status)."""
    rows = [
        {
            "year": r.year,
            "target": target,
            "score": _target_score(r, target),
            "status": _target_position(r, target).status or NO_DATA,
        }
        for r in sorted(results, key=lambda r: r.year)
        for target in targets
    ]
    return pd.DataFrame(rows, columns=["year", "target", "score", "status"])


def trend_rows(trends: Sequence[TrendResult], targets: Sequence[str]) -> pd.DataFrame:
    """The engine's trends in target order; a target without a trend gets the 'no trend' arrow."""
    found = {t.target: t for t in trends}
    rows = []
    for target in targets:
        found_trend = found.get(target)
        if found_trend is None:
            rows.append(
                {
                    "target": target,
                    "from_year": None,
                    "to_year": None,
                    "actual_rate": None,
                    "required_rate": None,
                    "arrow": NO_TREND,
                    "projected_year": None,
                }
            )
        else:
            rows.append(
                {
                    "target": target,
                    "from_year": found_trend.from_year,
                    "to_year": found_trend.to_year,
                    "actual_rate": found_trend.actual_rate,
                    "required_rate": _finite(found_trend.required_rate),
                    "arrow": found_trend.arrow,
                    "projected_year": found_trend.projected_year,
                }
            )
    return pd.DataFrame(rows)


def trend_display(trends: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`trend_rows` in the reader's words and number format (target, arrow, period, paces, projection).

    Numbers are text here so that Turkish tables show the decimal comma, as every other
    figure on the page does.
    """
    period = [
        "–" if pd.isna(first) else f"{int(first)}–{int(last)}"
        for first, last in zip(trends["from_year"], trends["to_year"], strict=True)
    ]
    return pd.DataFrame(
        {
            "target": [target_name(key, lang) for key in trends["target"]],
            "arrow": [arrow_text(arrow, lang) for arrow in trends["arrow"]],
            "period": period,
            "actual_rate": [format_number(_missing(v), lang, 1) for v in trends["actual_rate"]],
            "required_rate": [format_number(_missing(v), lang, 1) for v in trends["required_rate"]],
            "projected_year": [
                projection_text(_missing(year), arrow, lang)
                for year, arrow in zip(trends["projected_year"], trends["arrow"], strict=True)
            ],
        }
    )


def peer_display(members: pd.DataFrame, own_scores: dict[str, float | None], lang: str) -> pd.DataFrame:
    """One peer group's anonymised statistics beside the organisation's own scores, as text to show."""
    return pd.DataFrame(
        {
            "target": [target_name(key, lang) for key in members["target"]],
            "own": [format_number(_missing(own_scores.get(key)), lang, 1) for key in members["target"]],
            **{
                column: [format_number(_missing(v), lang, 1) for v in members[column]]
                for column in ("median", "p25", "p75")
            },
            "n": [format_number(float(n), lang, 0) for n in members["n"]],
        }
    )


def _missing(value: object) -> float | None:
    """None for a missing figure (None or NaN), else the figure as a float."""
    return None if value is None or pd.isna(value) else float(value)


def _finite(value: float | None) -> float | None:
    """None for a missing or unbounded figure (an infinite required pace cannot be shown)."""
    return value if value is not None and math.isfinite(value) else None


def _floor_level(level: float | None) -> int | None:
    return None if level is None else math.floor(level)


def indicator_table(result: AssessmentResult, framework: Framework, lang: str) -> pd.DataFrame:
    """The consolidated indicators: level, what that level looks like, evidence, and the flags.

    A median between two levels (e.g. 2.5) is described by the lower level, which the
    organisation has certainly reached.
    """
    rows = []
    for indicator in framework.indicators:
        found = result.indicators.get(indicator.code)
        if found is None:
            continue
        floor = _floor_level(found.level)
        rows.append(
            {
                "code": indicator.code,
                "dimension": indicator.dimension,
                "title": indicator.title(lang),
                "level": found.level,
                "not_applicable": found.not_applicable,
                "level_name": None if floor is None else framework.level_name(floor, lang),
                "descriptor": None if floor is None else indicator.descriptors[floor](lang),
                "evidence": " · ".join(found.evidence),
                "evidence_notes": list(found.evidence),  # one note per respondent who named evidence
                "evidence_links": " ".join(found.evidence_links),
                "respondents": found.respondents,
                "spread": found.spread,
                "self_level": found.self_level,
                "evaluator_level": found.evaluator_level,
                "spread_flag": found.spread_flag,
                "self_evaluator_flag": found.self_evaluator_flag,
            }
        )
    return pd.DataFrame(rows)


def indicator_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`indicator_table` with the words the profile shows: 'IC.1 · title', '3.0 · Established', flags.

    Adds indicator, level_text, self_evaluator, spread_text, flags and descriptor ('–' when
    none); evidence_notes stays a list, one note per respondent who named evidence.
    """
    t = translator(lang)

    def level_text(level: float | None, name: str | None, not_applicable: bool) -> str:
        if not_applicable:
            return t("N/A")
        return "–" if level is None or pd.isna(level) else f"{format_number(level, lang, 1)} · {name}"

    def flags(spread: bool, self_vs_evaluator: bool) -> str:
        found = [t("spread") if spread else "", t("self vs evaluator") if self_vs_evaluator else ""]
        return " ".join(f"⚠ {flag}" for flag in found if flag)

    if table.empty:
        return table.assign(
            indicator=[], level_text=[], self_evaluator=[], spread_text=[], flags=[], descriptor=[]
        )
    return table.assign(
        indicator=table["code"] + " · " + table["title"],
        level_text=[
            level_text(*row)
            for row in zip(table["level"], table["level_name"], table["not_applicable"], strict=True)
        ],
        self_evaluator=[
            f"{format_number(s, lang, 1)} / {format_number(e, lang, 1)}"
            for s, e in zip(table["self_level"], table["evaluator_level"], strict=True)
        ],
        spread_text=[format_number(s, lang, 0) for s in table["spread"]],
        flags=[flags(*row) for row in zip(table["spread_flag"], table["self_evaluator_flag"], strict=True)],
        descriptor=table["descriptor"].fillna("–"),
    )


def evidence_rows(display: pd.DataFrame) -> pd.DataFrame:
    """The evidence of `indicator_display`'s rows as a list: one row per note, numbered per indicator.

    The indicator is named on its first note only, so each indicator's notes read as one
    numbered list (one note per respondent who named evidence) rather than a run-on cell.
    """
    rows = [
        {"indicator": indicator if number == 1 else "", "number": str(number), "note": note}
        for indicator, notes in zip(display["indicator"], display["evidence_notes"], strict=True)
        for number, note in enumerate(notes, start=1)
    ]
    return pd.DataFrame(rows, columns=["indicator", "number", "note"])


def top_gaps(
    result: AssessmentResult, framework: Framework, roadmap: Roadmap, lang: str, count: int = 5
) -> pd.DataFrame:
    """The engine's priorities (`indicator_priorities`) with the words to show: title and next step."""
    columns = [
        "code",
        "dimension",
        "title",
        "level",
        "expected",
        "gap",
        "weight",
        "weighted_gap",
        "next_level",
        "next_level_name",
        "next_step",
    ]
    rows = [
        {
            **asdict(priority),
            "title": framework.indicator(priority.code).title(lang),
            "next_level_name": framework.level_name(priority.next_level, lang),
            "next_step": framework.indicator(priority.code).descriptors[priority.next_level](lang),
        }
        for priority in indicator_priorities(result, framework, roadmap)[:count]
    ]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- benchmark


@dataclass(frozen=True)
class PeerGroups:
    """A target's scores by organisation type, with groups too small to show left out."""

    points: pd.DataFrame  # organisation_id, organisation_name, organisation_type, score: shown groups only
    groups: pd.DataFrame  # organisation_type, organisations, shown


def peer_distribution(round_rows: pd.DataFrame, target: str, minimum: int = MIN_PEER_GROUP) -> PeerGroups:
    """One round's scores by organisation type; types with fewer than `minimum` scores are withheld.

    Fewer than five organisations cannot be shown one by one, nor as a box (its whiskers
    would be two organisations' scores), so such a group only appears as a count.
    """
    rows = latest_per_organisation(round_rows)
    scored = pd.DataFrame(
        {
            "organisation_id": rows["organisation_id"],
            "organisation_name": rows["organisation_name"],
            "organisation_type": rows["organisation_type"].fillna(""),
            "score": rows[score_column(target)],
        }
    ).dropna(subset=["score"])
    counts = scored.groupby("organisation_type")["organisation_id"].count().rename("organisations")
    groups = counts.reset_index()
    groups["shown"] = groups["organisations"] >= minimum
    shown = set(groups.loc[groups["shown"], "organisation_type"])
    points = scored[scored["organisation_type"].isin(shown)].reset_index(drop=True)
    return PeerGroups(points=points, groups=groups.sort_values("organisation_type").reset_index(drop=True))


# What an organisation is compared with: the organisations of its type, or (when its type
# has fewer than the k-anonymity minimum) every organisation of the round, anonymised.
COMPARED_WITH_TYPE, COMPARED_WITH_ROUND = "type", "round"


@dataclass(frozen=True)
class PeerStanding:
    """Where one organisation stands among the organisations of its type, or of its round, in one round."""

    organisation_type: str
    peers: int  # scored organisations of the type, the organisation included
    score: float | None
    share_below: float | None  # share of the others compared with that score lower (ties count half)
    shown: bool  # False when the type's group is smaller than the k-anonymity minimum
    compared_with: str | None = COMPARED_WITH_TYPE  # None: no group large enough
    round_size: int = 0  # scored organisations of the round, the organisation included


def _share_below(values: pd.Series, score: float) -> float:
    """Share of the others in `values` (which hold `score` once) with a lower score; ties count half."""
    others = len(values) - 1
    below = float((values < score).sum()) + 0.5 * float((values == score).sum() - 1)
    return below / others


def peer_standing(
    round_rows: pd.DataFrame, organisation_id: str, target: str = INDEX, minimum: int = MIN_PEER_GROUP
) -> PeerStanding | None:
    """The organisation's percentile among its type, else among the whole round; None if not assessed.

    A type with fewer than `minimum` scored organisations is never compared with one by
    one; the organisation is then placed in the whole round (anonymised: only the share
    below it is shown) when the round is large enough.
    """
    rows = latest_per_organisation(round_rows)
    own = rows[rows["organisation_id"] == organisation_id]
    if own.empty:
        return None
    kind = own["organisation_type"].fillna("").iloc[0]
    score = own[score_column(target)].iloc[0]
    score = None if pd.isna(score) else float(score)
    everyone = rows[score_column(target)].dropna()
    peers = rows[(rows["organisation_type"].fillna("") == kind)][score_column(target)].dropna()
    shown = len(peers) >= minimum
    group = peers if shown else everyone
    compared_with = COMPARED_WITH_TYPE if shown else COMPARED_WITH_ROUND if len(everyone) >= minimum else None
    if score is None or compared_with is None or len(group) < 2:
        return PeerStanding(kind, len(peers), score, None, shown, compared_with, len(everyone))
    return PeerStanding(
        kind, len(peers), score, _share_below(group, score), shown, compared_with, len(everyone)
    )


@dataclass(frozen=True)
class RoundSummary:
    """Anonymised statistics of one target over a whole round (`portfolio_queries.peer_statistics`)."""

    organisations: int
    p25: float
    median: float
    p75: float


def round_summary(peers: pd.DataFrame, target: str) -> RoundSummary | None:
    """The whole round's quartiles of `target`, None when withheld (too few organisations) or absent."""
    rows = peers[(peers["group"] == PEER_GROUP_ALL) & (peers["target"] == target)] if len(peers) else peers
    if rows.empty or pd.isna(rows["median"].iloc[0]):
        return None
    row = rows.iloc[0]
    return RoundSummary(int(row["n"]), float(row["p25"]), float(row["median"]), float(row["p75"]))


def default_highlight(
    round_rows: pd.DataFrame, candidates: Sequence[str], target: str = INDEX, minimum: int = MIN_PEER_GROUP
) -> str | None:
    """The first of `candidates` whose peer group is large enough to show, else the first candidate.

    Landing on an organisation whose peers cannot be shown would leave the page half empty.
    """
    rows = latest_per_organisation(round_rows).dropna(subset=[score_column(target)])
    sizes = rows["organisation_type"].fillna("").map(rows["organisation_type"].fillna("").value_counts())
    large = set(rows.loc[sizes >= minimum, "organisation_id"])
    return next((c for c in candidates if c in large), candidates[0] if len(candidates) else None)


def rank_table(intervals: Sequence[RankInterval], round_rows: pd.DataFrame) -> pd.DataFrame:
    """The weight-sensitivity rank intervals with names and types, best median rank first."""
    frame = pd.DataFrame(
        [
            {
                "organisation_id": r.organisation_id,
                "nominal_rank": r.nominal_rank,
                "median_rank": r.median_rank,
                "rank_p05": r.rank_p05,
                "rank_p95": r.rank_p95,
            }
            for r in intervals
        ],
        columns=["organisation_id", "nominal_rank", "median_rank", "rank_p05", "rank_p95"],
    )
    names = latest_per_organisation(round_rows)[["organisation_id", "organisation_name", "organisation_type"]]
    frame = frame.merge(names, on="organisation_id", how="left")
    frame["organisations"] = len(frame)
    return frame.sort_values(["median_rank", "nominal_rank", "organisation_id"]).reset_index(drop=True)


def rank_window(
    ranks: pd.DataFrame, organisation_id: str, minimum: int = MIN_PEER_GROUP, size: int = 25
) -> pd.DataFrame:
    """The rank intervals to show beside one organisation: its own, and its peer group's when large enough.

    At most `size` rows, centred on the organisation, so a large portfolio stays readable.
    """
    own = ranks[ranks["organisation_id"] == organisation_id]
    if own.empty:
        return own
    kind = own["organisation_type"].iloc[0]
    peers = ranks[ranks["organisation_type"].fillna("") == ("" if pd.isna(kind) else kind)]
    if len(peers) < minimum:
        return own.reset_index(drop=True)
    peers = peers.reset_index(drop=True)
    position = int(peers.index[peers["organisation_id"] == organisation_id][0])
    start = max(0, min(position - size // 2, len(peers) - size))
    return peers.iloc[start : start + size].reset_index(drop=True)


def consistency_table(consistency: Sequence[Consistency]) -> pd.DataFrame:
    """Cronbach's alpha per dimension (dimension, alpha, complete_cases, items, notes)."""
    return pd.DataFrame(
        [
            {
                "dimension": c.dimension,
                "alpha": c.alpha,
                "complete_cases": c.complete_cases,
                "items": c.items,
                "notes": c.notes,
            }
            for c in consistency
        ],
        columns=["dimension", "alpha", "complete_cases", "items", "notes"],
    )


# ---------------------------------------------------------------- roadmap page


def milestone_targets(roadmap: Roadmap, now_year: int, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """Per target: the milestone targets and the roadmap's expectation for `now_year` (engine E(y))."""
    rows = []
    for target in targets:
        row: dict[str, object] = {"target": target}
        row.update({m.year: m.targets[target] for m in roadmap.milestones})
        row["expected_now"] = expected_score(roadmap, target, now_year)
        rows.append(row)
    return pd.DataFrame(rows)


def targets_shared(table: pd.DataFrame) -> bool:
    """Whether every row of `milestone_targets` holds the same targets (one row then says it all)."""
    values = table.drop(columns="target")
    return len(values) > 0 and bool((values.nunique(dropna=False) <= 1).all())


def milestone_positions(portfolio: pd.DataFrame, dimension_positions: pd.DataFrame) -> pd.DataFrame:
    """Assessment × target with the gap to the 2023 milestone, for the rows of `portfolio` only."""
    keys = portfolio[["organisation_id", "year"]]
    index_rows = pd.DataFrame(
        {
            "organisation_id": portfolio["organisation_id"],
            "year": portfolio["year"],
            "target": INDEX,
            "score": portfolio["index_score"],
            "gap_2023": portfolio["index_gap_2023"],
        }
    )
    dims = dimension_positions.merge(keys, on=["organisation_id", "year"], how="inner")
    dim_rows = pd.DataFrame(
        {
            "organisation_id": dims["organisation_id"],
            "year": dims["year"],
            "target": dims["dimension"],
            "score": dims["score"],
            "gap_2023": dims["gap_2023"],
        }
    )
    return pd.concat([index_rows, dim_rows], ignore_index=True)


def _met_midpoint(gaps: pd.Series) -> pd.Series:
    """Whether each gap to the 2023 target means the milestone is met (the engine's on-track rule)."""
    return pd.Series(on_track(gaps.to_numpy(dtype=float, na_value=np.nan)), index=gaps.index)


def milestone_share(
    positions: pd.DataFrame, targets: Sequence[str] = TARGETS, midpoint_year: int = MIDPOINT_YEAR
) -> pd.DataFrame:
    """Share of organisations that met the 2023 milestone, per target, on two bases.

    `milestone_round`: the organisations assessed in 2023; `latest`: every organisation
    at its latest assessment in `positions`. Columns basis, target, assessed, met, share.
    """
    scored = positions.dropna(subset=["score", "gap_2023"])
    bases = {
        IN_MILESTONE_ROUND: scored[scored["year"] == midpoint_year],
        AT_LATEST: scored.sort_values("year").drop_duplicates(["organisation_id", "target"], keep="last"),
    }
    rows = []
    for basis, rows_of_basis in bases.items():
        met = _met_midpoint(rows_of_basis["gap_2023"]) if len(rows_of_basis) else pd.Series(dtype=bool)
        counted = rows_of_basis.assign(met=met).groupby("target")["met"].agg(["count", "sum"])
        for target in targets:
            assessed = int(counted.loc[target, "count"]) if target in counted.index else 0
            hit = int(counted.loc[target, "sum"]) if target in counted.index else 0
            rows.append(
                {
                    "basis": basis,
                    "target": target,
                    "assessed": assessed,
                    "met": hit,
                    "share": hit / assessed if assessed else None,
                }
            )
    return pd.DataFrame(rows, columns=["basis", "target", "assessed", "met", "share"])


def trend_arrows(portfolio: pd.DataFrame, roadmap: Roadmap, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """The engine's trend (arrow, paces, projected year) for every organisation and target in `portfolio`.

    Columns organisation_id, organisation_name, target, from_year, to_year, arrow,
    actual_rate, required_rate, projected_year; one assessment gives the 'no trend' arrow.
    The engine's `trend_table` does every organisation at once: a call of `trend` per
    organisation and target took seconds at 20,000 organisations.
    """
    columns = [
        "organisation_id",
        "organisation_name",
        "target",
        "from_year",
        "to_year",
        "arrow",
        "actual_rate",
        "required_rate",
        "projected_year",
    ]
    scores = long_scores(portfolio, targets)
    if scores.empty:
        return pd.DataFrame(columns=columns)
    names = latest_per_organisation(portfolio).set_index("organisation_id")["organisation_name"]
    found = trend_table(scores[["organisation_id", "target", "year", "score"]], roadmap)
    has_trend = found["arrow"].notna()
    frame = pd.DataFrame(
        {
            "organisation_id": found["organisation_id"],
            "organisation_name": found["organisation_id"].map(names).fillna(found["organisation_id"]),
            "target": found["target"],
            "from_year": found["from_year"].astype("Int64"),
            "to_year": found["to_year"].astype("Int64"),
            "arrow": found["arrow"].where(has_trend, NO_TREND).astype(str),
            "actual_rate": found["actual_rate"],
            # an unbounded pace cannot be shown (`_finite`)
            "required_rate": found["required_rate"].where(np.isfinite(found["required_rate"])),
            "projected_year": found["projected_year"],
        },
        columns=columns,
    )
    return frame.reset_index(drop=True)


def arrow_counts(arrows: pd.DataFrame, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """How many organisations have each arrow, per target (target, arrow, organisations)."""
    counted = arrows.groupby(["target", "arrow"]).size().rename("organisations").reset_index()
    order = {t: i for i, t in enumerate(targets)}
    counted = counted[counted["target"].isin(order)]
    return counted.sort_values(["target"], key=lambda s: s.map(order)).reset_index(drop=True)


def arrow_matrix(arrows: pd.DataFrame, targets: Sequence[str] = TARGETS) -> pd.DataFrame:
    """Organisations (rows, by name) × targets: each cell an arrow."""
    if arrows.empty:
        return pd.DataFrame(columns=["organisation_id", "organisation_name", *targets])
    wide = arrows.pivot(index=["organisation_id", "organisation_name"], columns="target", values="arrow")
    wide = wide.reindex(columns=list(targets)).fillna(NO_TREND).reset_index()
    wide.columns.name = None
    return wide.sort_values("organisation_name", key=lambda s: s.str.casefold()).reset_index(drop=True)
