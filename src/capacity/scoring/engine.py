"""`score_assessment`: the one place where answers become scores, gaps and statuses.

Dashboards, scorecards, exports and the CLI all call this function, so a number shown
anywhere is the same number. It is called for thousands of assessments at a time, so the work
per assessment is a few plain loops over the answers (well under a millisecond).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from capacity.framework import Framework, current_framework
from capacity.i18n import N_, Message
from capacity.questionnaire.submission import Submission
from capacity.roadmap import Roadmap, current_roadmap
from capacity.scoring.aggregate import score_dimension, score_index
from capacity.scoring.consolidate import consolidate_indicator
from capacity.scoring.reliability import agreement_for
from capacity.scoring.results import AssessmentResult, DimensionResult


class ScoringInputError(ValueError):
    """The submissions cannot be scored together; `.message` explains it in any language."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render("en"))


def _dimension_weights(framework: Framework, given: Mapping[str, float] | None) -> dict[str, float]:
    """The framework's dimension weights, with any given ones replacing them."""
    weights = {dim.code: dim.weight for dim in framework.dimensions}
    if not given:
        return weights
    unknown = sorted(set(given) - set(weights))
    if unknown:
        raise ValueError(f"unknown dimension(s) in dimension_weights: {', '.join(unknown)}")
    if any(not weight > 0 for weight in given.values()):
        raise ValueError("dimension weights must be positive numbers")
    return {**weights, **given}


def _organisation_name(submissions: Sequence[Submission]) -> str:
    """The name most respondents wrote (alphabetically first on a tie), whatever their order."""
    counts: dict[str, int] = {}
    for submission in submissions:
        name = submission.organisation_name.strip()
        if name:
            counts[name] = counts.get(name, 0) + 1
    return min(counts, key=lambda name: (-counts[name], name)) if counts else ""


# Marked with N_ so that Babel extracts them: a Message is translated where it is shown.
MSG_MIXED_FILES = N_(
    "Files of different organisations or years cannot be scored as one assessment: "
    "{first} ({first_year}) and {other} ({other_year})."
)
MSG_OTHER_FRAMEWORK = N_("A questionnaire answers framework {found}, but scoring uses framework {expected}.")


def _check_together(submissions: Sequence[Submission], framework: Framework) -> None:
    if not submissions:
        raise ValueError("score_assessment needs at least one submission")
    first = submissions[0]
    for submission in submissions:
        if (submission.organisation_id, submission.year) != (first.organisation_id, first.year):
            raise ScoringInputError(
                Message(
                    MSG_MIXED_FILES,
                    {
                        "first": first.organisation_id,
                        "first_year": first.year,
                        "other": submission.organisation_id,
                        "other_year": submission.year,
                    },
                )
            )
        if (submission.framework_id, submission.framework_version) != (framework.id, framework.version):
            raise ScoringInputError(
                Message(
                    MSG_OTHER_FRAMEWORK,
                    {
                        "found": f"{submission.framework_id} {submission.framework_version}",
                        "expected": f"{framework.id} {framework.version}",
                    },
                )
            )


def score_assessment(
    submissions: Sequence[Submission],
    framework: Framework | None = None,
    roadmap: Roadmap | None = None,
    dimension_weights: Mapping[str, float] | None = None,
) -> AssessmentResult:
    """Score one organisation in one assessment year from all its respondents' questionnaires.

    Raises ValueError (ScoringInputError) when the submissions mix organisations, years or
    framework versions: each of those would make the numbers meaningless.
    """
    framework = current_framework() if framework is None else framework
    roadmap = current_roadmap() if roadmap is None else roadmap
    _check_together(submissions, framework)
    weights = _dimension_weights(framework, dimension_weights)
    year = submissions[0].year

    indicators = {}
    dimensions: dict[str, DimensionResult] = {}
    for dimension in framework.dimensions:
        weighted = []
        for indicator in dimension.indicators:
            result = consolidate_indicator(indicator.code, submissions)
            indicators[indicator.code] = result
            weighted.append((indicator.weight, result))
        dimensions[dimension.code] = score_dimension(dimension.code, weighted, roadmap, year)

    return AssessmentResult(
        organisation_id=submissions[0].organisation_id,
        organisation_name=_organisation_name(submissions),
        year=year,
        respondents=len(submissions),
        framework_id=framework.id,
        framework_version=framework.version,
        roadmap_version=roadmap.version,
        index=score_index(dimensions, weights, roadmap, year),
        dimensions=dimensions,
        indicators=indicators,
        agreement=agreement_for(submissions),
    )
