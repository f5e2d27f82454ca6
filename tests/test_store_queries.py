"""Dashboard queries: the engine's numbers, filtered by role, one SQL statement each, fast at scale."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from capacity import access
from capacity.access import CLI_ADMIN, AccessDenied, Actor
from capacity.framework import DIMENSION_CODES, current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.review import review_history
from capacity.roadmap import current_roadmap
from capacity.scoring import score_assessment, trends_for
from capacity.store import evidence_queries, open_store, queries
from capacity.store.ingest import ingest_submission
from capacity.store.models import (
    Assessment,
    AssessmentResultRecord,
    DimensionResultRecord,
    Organisation,
)
from tests.store_support import BACKENDS, fresh_database, make_submission

MANAGER = Actor("manny", access.MANAGER, frozenset({"ORG-A"}))
BOARD = Actor("bea", access.BOARD)
EVALUATOR = Actor("eva", access.EVALUATOR)

# Three organisations in different places and rounds; ORG-B has two respondents in 2025.
ROUNDS = {
    "ORG-A": {"years": (2019, 2023), "type": "ngo", "region": "Europe", "country": "Türkiye"},
    "ORG-B": {
        "years": (2021, 2025),
        "type": "national_society",
        "region": "Asia-Pacific",
        "country": "Japan",
    },
    "ORG-C": {"years": (2025,), "type": "ngo", "region": "Europe", "country": "France"},
}


def _populate(store) -> dict[tuple[str, int], list]:
    """Store the rounds above; return the active submissions of each assessment."""
    active: dict[tuple[str, int], list] = {}
    for organisation_id, info in ROUNDS.items():
        for year in info["years"]:
            fields = {"organisation_type": info["type"], "region": info["region"], "country": info["country"]}
            names = ("One", "Two") if (organisation_id, year) == ("ORG-B", 2025) else ("One",)
            for name in names:
                submission = make_submission(organisation_id, year, respondent_name=name, **fields)
                ingest_submission(
                    store, submission, f"{organisation_id}{year}{name}".encode(), "f.xlsx", CLI_ADMIN
                )
                active.setdefault((organisation_id, year), []).append(submission)
    # A superseded file, which must not count.
    old = make_submission(
        "ORG-C",
        2025,
        respondent_name="One",
        seed=9,
        organisation_type="ngo",
        region="Europe",
        country="France",
    )
    with store.write() as session:
        ingest_submission(session, old, b"superseded later", "old.xlsx", CLI_ADMIN)
    newer = active[("ORG-C", 2025)][0]
    ingest_submission(store, newer, b"the newest ORG-C file", "new.xlsx", CLI_ADMIN)
    return active


@pytest.fixture(params=BACKENDS)
def populated(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        store = open_store(url)
        active = _populate(store)
        yield store, active
        store.close()


@contextmanager
def counted_selects(store):
    """Count the SELECT statements the block sends to the database."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_latest_assessment_per_organisation_shows_the_engines_numbers(populated):
    store, active = populated
    frame = queries.latest_assessments(store, BOARD).set_index("organisation_id")
    assert frame["year"].to_dict() == {"ORG-A": 2023, "ORG-B": 2025, "ORG-C": 2025}
    for organisation_id, row in frame.iterrows():
        expected = score_assessment(active[(organisation_id, row["year"])])
        assert row["index_score"] == pytest.approx(expected.index.score)
        assert row["index_status"] == expected.index.roadmap.status
        assert row["respondents"] == expected.respondents
        for code in DIMENSION_CODES:
            dimension = expected.dimensions[code]
            assert row[f"{code}_score"] == pytest.approx(dimension.score, nan_ok=True)
            assert row[f"{code}_status"] == dimension.roadmap.status
            assert row[f"{code}_coverage"] == pytest.approx(dimension.coverage)
    assert frame.loc["ORG-B", "organisation_type"] == "national_society"


def test_history_lists_every_scored_year_oldest_first(populated):
    store, active = populated
    frame = queries.organisation_history(store, MANAGER, "ORG-A")
    assert frame["year"].tolist() == [2019, 2023]
    assert frame["index_score"].tolist() == pytest.approx(
        [score_assessment(active[("ORG-A", y)]).index.score for y in (2019, 2023)]
    )
    with pytest.raises(AccessDenied):
        queries.organisation_history(store, MANAGER, "ORG-B")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {("ORG-A", 2019), ("ORG-A", 2023), ("ORG-B", 2021), ("ORG-B", 2025), ("ORG-C", 2025)}),
        ({"years": [2025]}, {("ORG-B", 2025), ("ORG-C", 2025)}),
        ({"organisation_types": ["ngo"]}, {("ORG-A", 2019), ("ORG-A", 2023), ("ORG-C", 2025)}),
        ({"regions": ["Asia-Pacific"]}, {("ORG-B", 2021), ("ORG-B", 2025)}),
        (
            {"countries": ["France", "Japan"], "years": [2021, 2025]},
            {("ORG-B", 2021), ("ORG-B", 2025), ("ORG-C", 2025)},
        ),
        ({"countries": []}, set()),
    ],
)
def test_portfolio_filters(populated, filters, expected):
    store, _ = populated
    frame = queries.portfolio(store, BOARD, **filters)
    assert set(zip(frame["organisation_id"], frame["year"], strict=True)) == expected


def test_responses_in_tidy_form(populated):
    store, active = populated
    frame = queries.responses(store, EVALUATOR)
    indicators = len(current_framework().indicators)
    assert len(frame) == sum(len(subs) for subs in active.values()) * indicators
    assert list(frame.columns) == [
        "organisation_id",
        "year",
        "submission_id",
        "respondent_role",
        "status",
        "code",
        "dimension",
        "level",
        "not_applicable",
        "evidence",
        "evidence_link",
        "late",
    ]
    assert not frame["late"].any()  # no round was closed before these uploads
    first = active[("ORG-A", 2019)][0]
    rows = frame[(frame["organisation_id"] == "ORG-A") & (frame["year"] == 2019)].set_index("code")
    for code, answer in first.answers.items():
        assert rows.loc[code, "not_applicable"] == answer.not_applicable
        level = rows.loc[code, "level"]
        assert (None if pd.isna(level) else level) == answer.level
        assert rows.loc[code, "evidence"] == answer.evidence
        assert rows.loc[code, "dimension"] == code.split(".")[0]
    with_history = queries.responses(store, EVALUATOR, include_inactive=True)
    assert len(with_history) == len(frame) + 2 * indicators  # ORG-C's two superseded files
    assert (
        len(queries.responses(store, EVALUATOR, organisation_ids=["ORG-B"], years=[2025])) == 2 * indicators
    )


def test_a_board_member_gets_no_raw_answers(populated):
    """Boards read profiles and scores but take no raw answers away (docs/ACCOUNTS.md)."""
    store, _ = populated
    for call in (
        lambda: queries.responses(store, BOARD),
        lambda: queries.responses(store, BOARD, organisation_ids=["ORG-A"]),
        lambda: review_history(store, BOARD, "ORG-A"),
        lambda: review_history(store, BOARD, "ORG-B", 2025),
        lambda: evidence_queries.reviews(store, BOARD),  # the dataset's reviews table
        lambda: evidence_queries.submission_provenance(store, BOARD),  # who uploaded what
    ):
        with pytest.raises(AccessDenied):
            call()
    assert not review_history(store, EVALUATOR, "ORG-A").columns.empty
    assert set(evidence_queries.submission_provenance(store, MANAGER)["organisation_id"]) == {"ORG-A"}


def test_a_manager_sees_only_their_organisations_answers(populated):
    store, _ = populated
    frame = queries.responses(store, MANAGER)
    assert set(frame["organisation_id"]) == {"ORG-A"}
    assert queries.responses(store, MANAGER, organisation_ids=["ORG-B"]).empty
    # Dashboards show a manager their own organisations only (others only as anonymised peer statistics).
    assert set(queries.latest_assessments(store, MANAGER)["organisation_id"]) == {"ORG-A"}


def test_indicator_results_come_in_framework_order_with_the_engines_values(populated):
    store, active = populated
    frame = queries.indicator_results(store, EVALUATOR, "ORG-B", 2025)
    expected = score_assessment(active[("ORG-B", 2025)])
    assert frame["code"].tolist() == [ind.code for ind in current_framework().indicators]
    for row in frame.itertuples():
        indicator = expected.indicators[row.code]
        assert row.level == pytest.approx(indicator.level, nan_ok=True)
        assert row.score == pytest.approx(indicator.score, nan_ok=True)
        assert row.respondents == indicator.respondents
        assert row.spread_flag == indicator.spread_flag


def test_stored_results_feed_the_trend_engine(populated):
    store, active = populated
    results = queries.assessment_results(store, BOARD, "ORG-B")
    assert results == [score_assessment(active[("ORG-B", year)]) for year in (2021, 2025)]
    assert trends_for(results, current_roadmap()) == trends_for(
        [score_assessment(active[("ORG-B", year)]) for year in (2021, 2025)], current_roadmap()
    )


def test_submissions_list_every_file_including_superseded_ones(populated):
    store, _ = populated
    files = queries.submissions(store, BOARD, "ORG-C")
    assert files["filename"].tolist() == ["f.xlsx", "old.xlsx", "new.xlsx"]
    assert files["status"].tolist() == ["superseded", "superseded", "active"]


def test_the_audit_log_is_for_evaluators_and_admins(populated):
    store, _ = populated
    log = queries.audit_log(store, EVALUATOR)
    assert log["id"].is_monotonic_decreasing
    assert (log["action"] == "submission_stored").sum() == 6
    assert len(queries.audit_log(store, EVALUATOR, organisation_id="ORG-C")) == 3
    for actor in (MANAGER, BOARD):
        with pytest.raises(AccessDenied):
            queries.audit_log(store, actor)


def test_each_dashboard_query_is_a_single_select(populated):
    store, _ = populated
    calls = [
        lambda: queries.latest_assessments(store, BOARD),
        lambda: queries.organisation_history(store, BOARD, "ORG-A"),
        lambda: queries.portfolio(store, MANAGER, years=[2025], regions=["Europe"]),
        lambda: queries.responses(store, MANAGER),
        lambda: queries.indicator_results(store, BOARD, "ORG-A", 2019),
        lambda: queries.audit_log(store, EVALUATOR),
    ]
    for call in calls:
        with counted_selects(store) as statements:
            call()
        assert len(statements) == 1, statements


@given(
    respondents=st.lists(
        st.tuples(st.sampled_from([ROLE_SELF, ROLE_EVALUATOR]), st.integers(0, 10_000)),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_store_keeps_exactly_what_the_engine_returned(tmp_path_factory, respondents):
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'c.db'}"
    store = open_store(url)
    try:
        submissions = [
            make_submission("ORG-P", 2024, respondent_name=f"R{n}", role=role, seed=seed)
            for n, (role, seed) in enumerate(respondents)
        ]
        for n, submission in enumerate(submissions):
            ingest_submission(store, submission, f"file {n}".encode(), f"{n}.xlsx", CLI_ADMIN)
        (stored,) = queries.assessment_results(store, BOARD, "ORG-P")
        assert stored == score_assessment(submissions)
    finally:
        store.close()


@pytest.mark.slow
def test_queries_stay_fast_for_2000_organisations_over_4_rounds(tmp_path):
    """Derived rows are copied from one real result: this measures the SQL, not the engine."""
    store = open_store(f"sqlite:///{tmp_path / 'big.db'}")
    try:
        submission = make_submission("ORG-0000", 2015)
        ingest_submission(store, submission, b"seed", "seed.xlsx", CLI_ADMIN)
        with store.write() as session:
            result = session.scalars(select(AssessmentResultRecord)).one()
            dims = session.scalars(select(DimensionResultRecord)).all()
            organisations, assessments, results, dim_rows = [], [], [], []
            next_id = 2
            for n in range(1, 2000):
                organisation_id = f"ORG-{n:04d}"
                organisations.append(
                    {
                        "id": organisation_id,
                        "name": organisation_id,
                        "type": "ngo",
                        "country": f"C{n % 50}",
                        "region": f"R{n % 6}",
                        "created_at": result.computed_at,
                        "updated_at": result.computed_at,
                    }
                )
                for year in (2015, 2019, 2023, 2027):
                    assessments.append(
                        {
                            "id": next_id,
                            "organisation_id": organisation_id,
                            "year": year,
                            "created_at": result.computed_at,
                        }
                    )
                    results.append(
                        {
                            **_columns(result),
                            "assessment_id": next_id,
                            "organisation_id": organisation_id,
                            "year": year,
                        }
                    )
                    dim_rows += [{**_columns(d), "assessment_id": next_id} for d in dims]
                    next_id += 1
            for model, rows in (
                (Organisation, organisations),
                (Assessment, assessments),
                (AssessmentResultRecord, results),
                (DimensionResultRecord, dim_rows),
            ):
                session.execute(model.__table__.insert(), rows)
        started = time.perf_counter()
        latest = queries.latest_assessments(store, BOARD)
        whole = queries.portfolio(store, BOARD)
        europe = queries.portfolio(store, BOARD, years=[2023], regions=["R1"])
        elapsed = time.perf_counter() - started
        assert len(latest) == 2000 and len(whole) == 7997 and len(europe) == 334
        print(f"latest + whole portfolio + filtered portfolio over 8,000 assessments: {elapsed:.2f} s")
        assert elapsed < 5, f"three portfolio queries took {elapsed:.1f} s"
    finally:
        store.close()


def _columns(record) -> dict:
    return {column.key: getattr(record, column.key) for column in record.__table__.columns}
