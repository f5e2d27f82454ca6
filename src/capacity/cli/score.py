"""`python -m capacity score FILE... [--json]`: score questionnaires without storing them.

Files are grouped into assessments by Organisation ID and Assessment year, scored by the
engine (`capacity.scoring`) and, for organisations with several years, given trend arrows.
Invalid files are reported on stderr and make the exit code 1, after the valid ones are scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from capacity.cli import default_language
from capacity.framework import Framework, current_framework
from capacity.i18n import format_number, format_percent, tn, translator
from capacity.labels import arrow_label, status_label
from capacity.questionnaire.reader import read_questionnaire
from capacity.questionnaire.submission import Submission
from capacity.roadmap import INDEX, current_roadmap
from capacity.scoring import (
    ScoringInputError,
    assessment_to_json,
    score_assessment,
    trend_to_json,
    trends_for,
)
from capacity.scoring.results import (
    VISION_REACHED,
    AssessmentResult,
    DimensionResult,
    TrendResult,
)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    parser = subparsers.add_parser(
        "score", parents=[common], help=t("score questionnaire files without storing them")
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help=t("print the results as JSON"))
    parser.set_defaults(handler=run)


def read_files(paths: Sequence[Path], lang: str) -> tuple[dict[tuple[str, int], list[Submission]], bool]:
    """Valid submissions grouped by (organisation, year); problems with the others go to stderr."""
    t = translator(lang)
    groups: dict[tuple[str, int], list[Submission]] = {}
    problems = False
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems = True
            print(
                t("{path}: cannot be read: {reason}", path=path, reason=exc.strerror or exc), file=sys.stderr
            )
            continue
        read = read_questionnaire(data, path.name)
        if not read.valid or read.submission is None:
            problems = True
            print(t("{path} is not a valid questionnaire:", path=path), file=sys.stderr)
            for error in read.errors:
                print("  - " + error.render(lang), file=sys.stderr)
            continue
        submission = read.submission
        groups.setdefault((submission.organisation_id, submission.year), []).append(submission)
    return groups, problems


def run(args: argparse.Namespace) -> int:
    groups, problems = read_files(args.files, args.lang)
    framework, roadmap = current_framework(), current_roadmap()
    results: list[AssessmentResult] = []
    for key in sorted(groups):
        try:
            results.append(score_assessment(groups[key], framework, roadmap))
        except ScoringInputError as refused:
            problems = True
            print(refused.message.render(args.lang), file=sys.stderr)
    trends: list[TrendResult] = []
    for organisation in sorted({r.organisation_id for r in results}):
        trends += trends_for([r for r in results if r.organisation_id == organisation], roadmap)

    if args.json:
        payload = {
            "assessments": [assessment_to_json(result, framework) for result in results],
            "trends": [trend_to_json(found) for found in trends],
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
        print()
    else:
        print_summary(results, trends, framework, args.lang)
    return 1 if problems else 0


def print_summary(
    results: Sequence[AssessmentResult], trends: Sequence[TrendResult], framework: Framework, lang: str
) -> None:
    """A readable account of each assessment and trend, in the user's language."""
    t = translator(lang)

    def num(value: float | None) -> str:
        return format_number(value, lang)

    for result in results:
        print(
            tn(
                "{name} ({organisation}), {year}: {n} respondent",
                "{name} ({organisation}), {year}: {n} respondents",
                result.respondents,
                lang,
                name=result.organisation_name,
                organisation=result.organisation_id,
                year=result.year,
            )
        )
        index = result.index
        if index.score is None:
            print("  " + t("Index: no score (a dimension lacks data)"))
        else:
            print(
                "  "
                + t(
                    "Index: {score} ({label}); expected {expected}, gap {gap}: {status}",
                    score=num(index.score),
                    label=framework.level_name(index.label, lang),
                    expected=num(index.roadmap.expected),
                    gap=num(index.roadmap.gap),
                    status=status_label(index.roadmap.status, lang),
                )
            )
        for dimension in result.dimensions.values():
            name = framework.dimension(dimension.code).name(lang)
            print(f"  {dimension.code} {name}: " + _dimension_line(dimension, framework, lang, t))
        agreement = result.agreement
        if agreement.alpha_ordinal is not None:
            print(
                "  "
                + t(
                    "Respondent agreement (Krippendorff's alpha): ordinal {ordinal}, interval {interval}",
                    ordinal=format_number(agreement.alpha_ordinal, lang, digits=2),
                    interval=format_number(agreement.alpha_interval, lang, digits=2),
                )
            )
        flagged = [
            code for code, ind in result.indicators.items() if ind.spread_flag or ind.self_evaluator_flag
        ]
        if flagged:
            print("  " + t("Answers worth a conversation: {codes}", codes=", ".join(flagged)))
        print()
    if trends:
        print(t("Trends"))
    for found in trends:
        target = t("Index") if found.target == INDEX else found.target
        line = t(
            "{organisation} {target}, {start}–{end}: {actual} points a year ({required} needed): {arrow}",
            organisation=found.organisation_id,
            target=target,
            start=found.from_year,
            end=found.to_year,
            actual=num(found.actual_rate),
            required=num(found.required_rate),
            arrow=arrow_label(found.arrow, lang),
        )
        if found.projected_year is not None and found.arrow != VISION_REACHED:
            line += "; " + t(
                "vision reached around {year}", year=format_number(found.projected_year, lang, digits=0)
            )
        print("  " + line)


def _dimension_line(
    dimension: DimensionResult, framework: Framework, lang: str, t: Callable[..., str]
) -> str:
    if dimension.not_applicable:
        return t("not applicable")
    coverage = format_percent(dimension.coverage, lang)
    if dimension.score is None:
        return t("insufficient data (coverage {coverage})", coverage=coverage)
    return t(
        "{score} ({label}), coverage {coverage}; expected {expected}, gap {gap}: {status}",
        score=format_number(dimension.score, lang),
        label=framework.level_name(dimension.label, lang),
        coverage=coverage,
        expected=format_number(dimension.roadmap.expected, lang),
        gap=format_number(dimension.roadmap.gap, lang),
        status=status_label(dimension.roadmap.status, lang),
    )
