"""Small hand-made frameworks, roadmaps and submissions for the scoring tests.

Built directly from the dataclasses (not from YAML), so a test can have a dimension of
three indicators with weights chosen to make the arithmetic checkable by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from capacity.framework import Dimension, Framework, Indicator, Level, LocalText
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.questionnaire.submission import Answer, Submission
from capacity.roadmap import TARGETS, Milestone, Roadmap

LEVEL_NAMES = ("Absent", "Initial", "Developing", "Established", "Advanced", "Leading")
NA = "N/A"


def text(value: str) -> LocalText:
    return LocalText(en=value, tr=value, ar=value)


def make_framework(
    indicator_weights: Mapping[str, Sequence[float]], dimension_weights: Mapping[str, float] | None = None
) -> Framework:
    """A framework whose dimension `code` has indicators code.1, code.2 … with the given weights."""
    dimension_weights = dimension_weights or {}
    dimensions = []
    for code, weights in indicator_weights.items():
        indicators = tuple(
            Indicator(
                code=f"{code}.{n}",
                dimension=code,
                weight=float(weight),
                title=text(f"{code}.{n}"),
                question=text("?"),
                descriptors=tuple(text(name) for name in LEVEL_NAMES),
                evidence=text(""),
                source=text(""),
            )
            for n, weight in enumerate(weights, start=1)
        )
        dimensions.append(
            Dimension(
                code=code,
                weight=float(dimension_weights.get(code, 1.0)),
                name=text(code),
                description=text(code),
                indicators=indicators,
            )
        )
    return Framework(
        id="test-framework",
        version="9.9",
        title=text("Test"),
        levels=tuple(Level(level=n, name=text(name)) for n, name in enumerate(LEVEL_NAMES)),
        dimensions=tuple(dimensions),
    )


def make_roadmap(t2015: float = 20, t2023: float = 60, t2053: float = 90) -> Roadmap:
    """The same three milestone targets for the index and every dimension."""
    return Roadmap(
        id="test-roadmap",
        version="1",
        milestones=tuple(
            Milestone(year=year, label=text(str(year)), targets=dict.fromkeys(TARGETS, float(target)))
            for year, target in ((2015, t2015), (2023, t2023), (2053, t2053))
        ),
    )


def answer(code: str, value: int | str | None) -> Answer:
    """A level 0–5, NA for not applicable, or None for blank."""
    if value == NA:
        return Answer(code=code, not_applicable=True)
    return Answer(code=code, level=value)  # type: ignore[arg-type]


def submission(
    framework: Framework,
    levels: Mapping[str, int | str | None],
    role: str = ROLE_SELF,
    organisation_id: str = "ORG-1",
    year: int = 2025,
    name: str = "Organisation One",
) -> Submission:
    """A questionnaire answering `levels` (indicator code → value); unlisted indicators are blank."""
    return Submission(
        framework_id=framework.id,
        framework_version=framework.version,
        organisation_id=organisation_id,
        organisation_name=name,
        year=year,
        respondent_role=role,
        answers={ind.code: answer(ind.code, levels.get(ind.code)) for ind in framework.indicators},
    )


def evaluator(framework: Framework, levels: Mapping[str, int | str | None], **kwargs) -> Submission:
    return submission(framework, levels, role=ROLE_EVALUATOR, **kwargs)
