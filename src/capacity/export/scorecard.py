"""What one organisation's scorecard says, gathered once and drawn by the Excel and PDF writers.

Both formats show the same content, so it is assembled here from the engine's stored
results through the dashboards' page-data functions (`capacity.dashboard` and
`figure_data`): the profile page, the Excel scorecard and the PDF scorecard therefore
print the same numbers. A `Scorecard` is plain data (picklable), so a batch can gather
them in one process and draw them in others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from capacity import access, dashboard
from capacity.access import AccessDenied, Actor
from capacity.export import ExportError
from capacity.export.figure_data import dimension_rows
from capacity.framework import Framework, current_framework
from capacity.i18n import N_, Message, format_number, format_percent, normalise_language, translator
from capacity.labels import (
    SCORECARD_FILE,
    arrow_help,
    arrow_text,
    file_name,
    gap_title,
    status_help,
    status_text,
)
from capacity.plans.report import EXPORT_HEADERS, organisation_plan, readable_actions
from capacity.roadmap import INDEX, Roadmap, current_roadmap
from capacity.scoring import trends_for
from capacity.scoring.aggregate import MIN_COVERAGE_DENOMINATOR, MIN_COVERAGE_NUMERATOR, POINTS_PER_LEVEL
from capacity.scoring.consolidate import SELF_EVALUATOR_FLAG_LEVELS, SPREAD_FLAG_LEVELS
from capacity.scoring.results import AssessmentResult
from capacity.scoring.roadmap_gaps import BEHIND_LIMIT, SLIGHTLY_BEHIND_LIMIT
from capacity.store import queries
from capacity.store.db import Store

# The action plan's Status column offers these; the organisation fills it in.
ACTION_STATUSES = (N_("Not started"), N_("In progress"), N_("Done"))


@dataclass(frozen=True)
class OrganisationDetails:
    organisation_id: str
    name: str
    organisation_type: str | None
    country: str
    region: str


@dataclass(frozen=True)
class Scorecard:
    """Everything one scorecard shows, in the reader's language; every figure is the engine's."""

    lang: str
    organisation: OrganisationDetails
    result: AssessmentResult  # the assessment of the scorecard's year
    dimensions: pd.DataFrame  # figure_data.dimension_rows: the six dimensions, then the index
    trends: pd.DataFrame  # dashboard.trend_rows over the assessments up to the scorecard's year
    indicators: pd.DataFrame  # dashboard.indicator_table
    priorities: pd.DataFrame  # dashboard.top_gaps: every indicator behind, largest weighted gap first
    milestones: pd.DataFrame  # dashboard.milestone_targets: 2015, 2023, 2053 and the expectation of the year
    framework_id: str
    framework_version: str
    framework_title: str
    roadmap_id: str
    roadmap_version: str
    created: dt.date
    # plans.report.readable_actions: the improvement plan's actions of rounds up to the year, figures included
    plan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EXPORT_HEADERS)))

    @property
    def year(self) -> int:
        return self.result.year

    @property
    def index_trend(self) -> pd.Series:
        return self.trends[self.trends["target"] == INDEX].iloc[0]

    @property
    def index_row(self) -> pd.Series:
        return self.dimensions[self.dimensions["target"] == INDEX].iloc[0]

    @property
    def dimension_table(self) -> pd.DataFrame:
        """The six dimensions without the index row (what the charts draw)."""
        return self.dimensions[self.dimensions["target"] != INDEX].reset_index(drop=True)


def build_scorecard(
    results: Sequence[AssessmentResult],
    organisation: OrganisationDetails,
    year: int | None = None,
    lang: str = "en",
    framework: Framework | None = None,
    roadmap: Roadmap | None = None,
    created: dt.date | None = None,
    plan: pd.DataFrame | None = None,
) -> Scorecard:
    """The scorecard of one organisation's assessment in `year` (its latest when None) from its results.

    `results` are the organisation's engine results (any order); the trend uses the
    assessments up to `year`, as the profile page does. `plan` is the organisation's
    improvement plan (`plans.report.readable_actions`); the scorecard keeps the actions of
    rounds up to its year.
    """
    framework = current_framework() if framework is None else framework
    roadmap = current_roadmap() if roadmap is None else roadmap
    lang = normalise_language(lang)
    ordered = sorted(results, key=lambda r: r.year)
    chosen = [r for r in ordered if year is None or r.year == year]
    if not chosen:
        raise ExportError(
            Message(
                N_("There is no scored assessment of {organisation} for {year}."),
                {"organisation": organisation.organisation_id, "year": year},
            )
        )
    result = chosen[-1]
    history = [r for r in ordered if r.year <= result.year]
    targets = [dimension.code for dimension in framework.dimensions] + [INDEX]
    trends = dashboard.trend_rows(trends_for(history, roadmap), targets)
    return Scorecard(
        lang=lang,
        organisation=organisation,
        result=result,
        dimensions=dimension_rows(result, framework, roadmap, trends, lang),
        trends=trends,
        indicators=dashboard.indicator_table(result, framework, lang),
        priorities=dashboard.top_gaps(result, framework, roadmap, lang, count=len(framework.indicators)),
        milestones=dashboard.milestone_targets(roadmap, result.year, [INDEX, *targets[:-1]]),
        framework_id=result.framework_id,
        framework_version=result.framework_version,
        framework_title=framework.title(lang),
        roadmap_id=roadmap.id,
        roadmap_version=result.roadmap_version,
        created=created or dt.date.today(),
        plan=pd.DataFrame(columns=list(EXPORT_HEADERS))
        if plan is None
        else plan[plan["year"] <= result.year].reset_index(drop=True),
    )


def figure(value: float | None, lang: str, not_applicable: bool = False) -> str:
    """A level or score with one decimal in the reader's locale; N/A or a dash when there is none."""
    if not_applicable:
        return translator(lang)("N/A")
    return "–" if value is None or pd.isna(value) else format_number(float(value), lang, 1)


def preview_tiles(scorecard: Scorecard) -> list[dashboard.Tile]:
    """The scorecard's headline: its index, the index's roadmap status and its trend."""
    t, lang = translator(scorecard.lang), scorecard.lang
    index, trend = scorecard.index_row, scorecard.index_trend
    return [
        dashboard.Tile(t("Capacity index (0–100)"), figure(index["score"], lang)),
        dashboard.Tile(
            t("Roadmap status"), status_text(index["status"], lang), status_help(index["status"], lang)
        ),
        dashboard.Tile(t("Trend"), arrow_text(trend["arrow"], lang), arrow_help(trend["arrow"], lang)),
    ]


def preview_table(scorecard: Scorecard) -> pd.DataFrame:
    """The scorecard's dimensions as text, headed in the reader's language: score, status, gap, trend."""
    t, lang, dimensions = translator(scorecard.lang), scorecard.lang, scorecard.dimensions
    return pd.DataFrame(
        {
            t("Dimension"): dimensions["name"],
            t("Score"): [figure(v, lang) for v in dimensions["score"]],
            t("Roadmap status"): [status_text(s, lang) for s in dimensions["status"]],
            t("Expected in {year}", year=scorecard.year): [
                format_number(v, lang, 1) for v in dimensions["expected"]
            ],
            gap_title(lang): [figure(v, lang) for v in dimensions["gap"]],
            t("Coverage"): [format_percent(v, lang) if pd.notna(v) else "–" for v in dimensions["coverage"]],
            t("Trend"): [arrow_text(a, lang) for a in dimensions["arrow"]],
        }
    )


def organisation_details(rows: pd.DataFrame) -> OrganisationDetails:
    """An organisation's name, type and place as of its latest assessment, from its rows of a store query.

    `rows` are one organisation's rows of `queries.portfolio` or `queries.organisation_history`.
    """
    latest = rows.sort_values("year").iloc[-1]
    return OrganisationDetails(
        organisation_id=str(latest["organisation_id"]),
        name=str(latest["organisation_name"]),
        organisation_type=None if pd.isna(latest["organisation_type"]) else str(latest["organisation_type"]),
        country="" if pd.isna(latest["country"]) else str(latest["country"]),
        region="" if pd.isna(latest["region"]) else str(latest["region"]),
    )


def _no_assessment(organisation_id: str) -> ExportError:
    return ExportError(
        Message(N_("There is no scored assessment of {organisation}."), {"organisation": organisation_id})
    )


def load_scorecard(
    store: Store, actor: Actor, organisation_id: str, year: int | None = None, lang: str = "en"
) -> Scorecard:
    """The scorecard of a stored organisation; raises AccessDenied unless the actor may export it."""
    access.require(actor, access.EXPORT_SCORECARD, organisation_id)
    history = queries.organisation_history(store, actor, organisation_id)
    if history.empty:
        raise _no_assessment(organisation_id)
    results = queries.assessment_results(store, actor, organisation_id)
    return build_scorecard(
        results, organisation_details(history), year, lang, plan=_plan(store, actor, organisation_id, lang)
    )


def load_scorecards(
    store: Store,
    actor: Actor,
    organisation_ids: Sequence[str],
    year: int | None = None,
    lang: str = "en",
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[Scorecard], list[tuple[str, Message]]]:
    """Many scorecards, and the organisations that have none (no access, no assessment) with the reason.

    One portfolio query gives every organisation's details, instead of one history query
    each, which would be most of a batch's time before drawing begins. `progress` hears
    (done, total, organisation) after each organisation, so a page can show the gathering too.
    """
    by_organisation = dict(iter(queries.portfolio(store, actor).groupby("organisation_id")))
    scorecards, skipped = [], []
    wanted = list(dict.fromkeys(organisation_ids))
    for done, organisation_id in enumerate(wanted, start=1):
        try:
            access.require(actor, access.EXPORT_SCORECARD, organisation_id)
            rows = by_organisation.get(organisation_id)
            if rows is None:
                raise _no_assessment(organisation_id)
            results = queries.assessment_results(store, actor, organisation_id)
            plan = _plan(store, actor, organisation_id, lang)
            scorecards.append(build_scorecard(results, organisation_details(rows), year, lang, plan=plan))
        except (AccessDenied, ExportError) as refused:
            skipped.append((organisation_id, refused.message))
        if progress:
            progress(done, len(wanted), organisation_id)
    return scorecards, skipped


def _plan(store: Store, actor: Actor, organisation_id: str, lang: str) -> pd.DataFrame:
    """The organisation's improvement plan as the scorecards print it."""
    return readable_actions(organisation_plan(store, actor, organisation_id, lang), lang)


def empty_plan_text(scorecard: Scorecard) -> str:
    """What the action plan says when no indicator is behind the roadmap (or none has a level)."""
    t = translator(scorecard.lang)
    if scorecard.indicators["level"].notna().any():
        return t("Every answered indicator meets the roadmap's expectation for {year}.", year=scorecard.year)
    return t("No indicator has a level yet, so there is no action plan.")


def filename(scorecard: Scorecard, extension: str) -> str:
    """e.g. `scorecard_NS-TR-01_2025.pdf` (Turkish `karne_…`): the ID made safe for any file system."""
    return file_name(
        SCORECARD_FILE,
        scorecard.lang,
        safe_name(scorecard.organisation.organisation_id),
        scorecard.year,
        extension=extension,
    )


def safe_name(text: str, limit: int = 60) -> str:
    """Letters, digits, dot, dash and underscore only: an uploaded ID can never name a path."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "organisation"
    return cleaned[:limit]


def method_paragraphs(lang: str) -> list[str]:
    """The scoring rules in words, with the engine's own thresholds, for the method sheet and page."""
    t = translator(lang)

    def points(value: float) -> str:
        return format_number(value, lang, 0)

    return [
        t(
            "Each indicator is answered with a level from 0 to 5; a level is worth {points} points, so every "
            "score runs from 0 to 100.",
            points=points(POINTS_PER_LEVEL),
        ),
        t(
            "Indicator score of record: an evaluator's verified level when there is one (the median of "
            "several evaluators), otherwise the median of the self-assessment levels. N/A and blank "
            "answers are never counted as 0."
        ),
        t(
            "Dimension score: the weighted average of the scores of its answered indicators, using the "
            "framework's indicator weights. A dimension with fewer than {share} of its applicable indicators "
            "answered gets no score (insufficient data).",
            share=format_percent(MIN_COVERAGE_NUMERATOR / MIN_COVERAGE_DENOMINATOR, lang),
        ),
        t(
            "Capacity index: the weighted average of the dimension scores, using the framework's dimension "
            "weights. There is no index while an applicable dimension has no score."
        ),
        t(
            "Level label: the level whose band of {points} points holds the score (the score divided by "
            "{points}, rounded down).",
            points=points(POINTS_PER_LEVEL),
        ),
        t(
            "Expected score: read from the straight line between the roadmap targets of 2015, 2023 and 2053 "
            "for the assessment year. Gap = expected score − score; a positive gap means behind."
        ),
        t(
            "Roadmap status from the gap: on track at 0 or less, slightly behind up to {slightly} points, "
            "behind up to {behind} points, off track beyond.",
            slightly=points(SLIGHTLY_BEHIND_LIMIT),
            behind=points(BEHIND_LIMIT),
        ),
        t(
            "Trend (a pace, not a status): the points gained per year between the first and the latest "
            "assessment, compared with the pace needed from the first assessment to reach the 2053 vision: "
            "vision reached; declining below 0; stagnating below half the needed pace; too slow below the "
            "needed pace; otherwise on pace."
        ),
        t(
            "Priority action plan: an indicator's gap is its dimension's expected score for the "
            "assessment year minus the indicator's score; weight × gap orders the list; the action is the "
            "description of the next level of the scale."
        ),
        t(
            "Flags: self vs evaluator when the median self-assessment and the evaluator's level differ by "
            "{evaluator} level or more; spread when self-assessments differ by {spread} levels or more.",
            evaluator=SELF_EVALUATOR_FLAG_LEVELS,
            spread=SPREAD_FLAG_LEVELS,
        ),
        t(
            "Every figure is computed unrounded and shown with one decimal. The full method, with worked "
            "examples and references, is in the method document (docs/METHOD.md)."
        ),
    ]
