"""Stores filled for the dashboard tests: a small hand-made portfolio, and the demo.

The small portfolio is built so every number on the pages is known in advance: each
questionnaire answers every indicator of a dimension at one level, so a dimension scores
level × 20 and the index is the mean of the six. Nine organisations: six national
societies in Europe (a peer group large enough to show) and three NGOs in Africa (too
small to show organisation by organisation), assessed in 2019 and 2023, four of them in
2026 too.
"""

from __future__ import annotations

from collections.abc import Iterable

from capacity.access import CLI_ADMIN
from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.questionnaire.submission import Answer, Submission
from capacity.store import Store
from capacity.store.ingest import ingest_submission

DIMENSIONS = ("IC", "IL", "II", "TM", "SM", "SD")
YEARS = (2019, 2023, 2026)

# organisation id → (name, type, region, country, {year: levels of IC, IL, II, TM, SM, SD})
SMALL_PORTFOLIO: dict[str, tuple[str, str, str, str, dict[int, tuple[int, ...]]]] = {
    "NS-01": (
        "Aurora Relief Society",
        "national_society",
        "Europe",
        "Borovia",
        {2019: (2, 2, 2, 2, 2, 2), 2023: (3, 3, 3, 3, 3, 3), 2026: (4, 4, 3, 4, 4, 4)},
    ),
    "NS-02": (
        "Borovian Crescent",
        "national_society",
        "Europe",
        "Borovia",
        {2019: (1, 1, 1, 1, 1, 1), 2023: (2, 2, 2, 2, 2, 2), 2026: (3, 3, 3, 3, 3, 3)},
    ),
    "NS-03": (
        "Cedar Mercy Society",
        "national_society",
        "Europe",
        "Borovia",
        {2019: (3, 3, 3, 3, 3, 3), 2023: (3, 3, 3, 3, 3, 3), 2026: (3, 2, 3, 3, 3, 3)},
    ),
    "NS-04": (
        "Dunmere Aid Society",
        "national_society",
        "Europe",
        "Veldmark",
        {2019: (1, 2, 1, 2, 1, 2), 2023: (2, 2, 2, 2, 2, 2), 2026: (2, 2, 2, 2, 2, 2)},
    ),
    "NS-05": (
        "Elmstead Relief",
        "national_society",
        "Europe",
        "Veldmark",
        {2019: (2, 2, 2, 2, 2, 2), 2023: (4, 4, 4, 4, 4, 4)},
    ),
    "NS-06": (
        "Fernvale Society",
        "national_society",
        "Europe",
        "Veldmark",
        {2019: (0, 1, 0, 1, 0, 1), 2023: (1, 1, 1, 1, 1, 1)},
    ),
    "NGO-01": (
        "Gull Harbour Initiative",
        "ngo",
        "Sub-Saharan Africa",
        "Calderra",
        {2019: (2, 2, 2, 2, 2, 2), 2023: (2, 2, 2, 2, 2, 2)},
    ),
    "NGO-02": (
        "Hollow Oak Network",
        "ngo",
        "Sub-Saharan Africa",
        "Calderra",
        {2019: (3, 3, 3, 3, 3, 3), 2023: (2, 2, 2, 2, 2, 2)},
    ),
    "NGO-03": (
        "Ironbridge Collective",
        "ngo",
        "Sub-Saharan Africa",
        "Ombara",
        {2019: (1, 1, 1, 1, 1, 1), 2023: (5, 5, 5, 5, 5, 5)},
    ),
}


def uniform_submission(
    organisation_id: str,
    year: int,
    role: str = ROLE_SELF,
    respondent: str = "Self",
    levels: tuple[int, ...] | None = None,
) -> Submission:
    """One questionnaire answering every indicator of a dimension at that dimension's level.

    Indicators at an odd position in the framework carry an evidence note, the others none.
    """
    name, kind, region, country, rounds = SMALL_PORTFOLIO[organisation_id]
    levels = rounds[year] if levels is None else levels
    framework = current_framework()
    by_dimension = dict(zip(DIMENSIONS, levels, strict=True))
    answers = {
        ind.code: Answer(
            code=ind.code,
            level=by_dimension[ind.dimension],
            evidence=f"Annual report {year}, section {position}" if position % 2 else "",
        )
        for position, ind in enumerate(framework.indicators)
    }
    return Submission(
        framework_id=framework.id,
        framework_version=framework.version,
        organisation_id=organisation_id,
        organisation_name=name,
        year=year,
        respondent_role=role,
        answers=answers,
        organisation_type=kind,
        country=country,
        region=region,
        respondent_name=respondent,
    )


def small_portfolio_submissions() -> list[Submission]:
    """Every questionnaire of the small portfolio (self-assessments only)."""
    return [uniform_submission(org, year) for org, info in SMALL_PORTFOLIO.items() for year in info[4]]


def ingest_all(store: Store, submissions: Iterable[Submission]) -> None:
    """Store each submission as an upload by the local admin (unique bytes per file)."""
    for number, submission in enumerate(submissions):
        data = "|".join(
            map(str, (submission.organisation_id, submission.year, submission.respondent_name, number))
        ).encode()
        outcome = ingest_submission(store, submission, data, f"{number}.xlsx", CLI_ADMIN)
        assert outcome.stored, outcome.message()


def fill_small_portfolio(store: Store) -> None:
    ingest_all(store, small_portfolio_submissions())


def fill_with_evaluator(store: Store, organisation_id: str, year: int, levels: tuple[int, ...]) -> None:
    """Add an evaluator's questionnaire to one assessment (it outranks the self-assessment)."""
    ingest_all(store, [uniform_submission(organisation_id, year, ROLE_EVALUATOR, "Evaluator", levels)])


def fill_demo(store: Store, organisations: int | None = None) -> None:
    """The demo organisations, stored from Submission objects (no Excel written or read)."""
    from capacity.demo import demo_submissions

    ingest_all(store, demo_submissions(organisations=organisations))
