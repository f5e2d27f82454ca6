"""Issue 15, item 1: the role of record comes from the account, never from the file.

A manager once stored a questionnaire marked "Respondent role = Evaluator" with every level
at 5: it outranked every self-assessment, overruled the evaluator's review, superseded the
real evaluator's file by using his name, and took the index from 62.3 to 100. These tests
replay that upload on every path that stores files (one file, the CLI's batches, the
upload page's check) and pin down who may replace whose file, the migration that flags
such files already stored, and the admin's demotion of them.
"""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select, text

from capacity import access
from capacity.access import ADMIN, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.cli import main
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF, organisation_cell
from capacity.questionnaire.reader import read_questionnaire
from capacity.questionnaire.submission import Answer
from capacity.store import audit, open_store, queries
from capacity.store.corrections import record_review
from capacity.store.db import _alembic_config, make_engine
from capacity.store.errors import StoreError
from capacity.store.ingest import (
    REJECTED,
    STORED_NEW,
    SUPERSEDED_EARLIER,
    ingest_file,
    ingest_files,
    ingest_submission,
)
from capacity.store.models import ACTIVE, SUPERSEDED, AuditEntry, SubmissionRecord
from capacity.store.trust import demote_all, demote_submission, unverified_evaluator_files
from capacity.upload import check_uploads, submit
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire

ORG, YEAR = "ORG-001", 2025
MANNY = Actor("manny", MANAGER, frozenset({ORG}))
MARA = Actor("mara", MANAGER, frozenset({ORG}))  # a second manager of the same organisation
EVA = Actor("eva", EVALUATOR)
EMRE = Actor("emre", EVALUATOR)
ADA = Actor("ada", ADMIN)
REFUSAL_START = "Only an evaluator account can upload an evaluator's questionnaire"


def all_fives(respondent: str, role: str = ROLE_EVALUATOR, seed: int = 99):
    """The forged questionnaire of the issue: every indicator at level 5."""
    submission = make_submission(ORG, YEAR, respondent, role=role, seed=seed)
    answers = {code: Answer(code=code, level=5, evidence="Trust us") for code in submission.answers}
    return dataclasses.replace(submission, answers=answers)


def index_of(store) -> float:
    return float(queries.organisation_history(store, CLI_ADMIN, ORG)["index_score"].iloc[-1])


EMRES_FILE = make_submission(ORG, YEAR, "Dr Emre Yilmaz", role=ROLE_EVALUATOR, seed=7)


def organisation_with_evidence(store) -> None:
    """Two self-assessments, the evaluator's own questionnaire and one recorded review."""
    for seed, name in enumerate(("Ayşe Demir", "Mehmet Kaya")):
        assert ingest_submission(
            store, make_submission(ORG, YEAR, name, seed=seed), b"%d" % seed, "s", MANNY
        ).stored
    evaluator_file = EMRES_FILE
    assert ingest_submission(store, evaluator_file, b"evaluator", "emre.xlsx", EMRE).stored
    record_review(store, ORG, YEAR, "IC.1", 2, "Strategy read; no budget line.", EVA)


def stored_rows(store) -> list[SubmissionRecord]:
    with store.read() as session:
        rows = list(session.scalars(select(SubmissionRecord).order_by(SubmissionRecord.id)))
        session.expunge_all()
        return rows


# --------------------------------------------------------------------------- the forged upload


def test_a_managers_file_marked_evaluator_is_refused_naming_the_cell_and_changes_nothing(store):
    organisation_with_evidence(store)
    before, rows_before = index_of(store), len(stored_rows(store))
    levels_before = queries.indicator_results(store, CLI_ADMIN, ORG, YEAR)["level"].fillna(-1).tolist()
    forged = all_fives("Dr Emre Yilmaz")  # the real evaluator's name, as in the issue

    outcome = ingest_file(store, questionnaire(forged), "forged.xlsx", MANNY)

    assert outcome.kind == REJECTED and not outcome.stored
    (problem,) = outcome.errors
    assert (problem.sheet, problem.cell) == ("Organisation", "B9")
    assert problem.message.render("en") == (
        f"{REFUSAL_START}; change Organisation!B9 to Self-assessment or ask your evaluator."
    )
    assert "Organisation!B9" in outcome.message("en")
    assert index_of(store) == before and len(stored_rows(store)) == rows_before
    evaluator_rows = [r for r in stored_rows(store) if r.respondent_role == ROLE_EVALUATOR]
    assert [(r.uploaded_by, r.status) for r in evaluator_rows] == [("emre", ACTIVE)]
    levels = queries.indicator_results(store, CLI_ADMIN, ORG, YEAR)["level"].fillna(-1).tolist()
    assert levels == levels_before  # the evaluator's file and review still decide
    with store.read() as session:
        logged = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (logged.action, logged.actor) == (audit.SUBMISSION_REJECTED, "manny")
    assert logged.detail["reason"].startswith(REFUSAL_START)


def test_the_cli_batches_refuse_it_the_same_way(store):
    organisation_with_evidence(store)
    before = index_of(store)
    data = questionnaire(all_fives("Dr Emre Yilmaz"))
    (outcome,) = list(
        ingest_files(store, [(data, "forged.xlsx", read_questionnaire(data, "forged.xlsx"))], MANNY)
    )
    assert outcome.kind == REJECTED
    assert [(p.sheet, p.cell) for p in outcome.errors] == [("Organisation", "B9")]
    assert outcome.as_dict()["problems"][0]["cell"] == "B9"
    assert index_of(store) == before


def test_the_upload_page_refuses_it_before_anything_is_stored(sqlite_store):
    organisation_with_evidence(sqlite_store)
    forged = questionnaire(all_fives("Dr Emre Yilmaz"))
    (report,) = check_uploads([("forged.xlsx", forged)], sqlite_store, MANNY, "en")
    assert not report.accepted
    assert [(p.sheet, p.cell) for p in report.errors] == [("Organisation", "B9")]
    assert submit([report], sqlite_store, MANNY) == []


def test_the_refusal_points_at_the_cell_where_the_file_really_has_the_role(sqlite_store, tmp_path):
    """A respondent who inserted a row above the fields moved the role to B10: the message follows it."""
    workbook = load_workbook(io.BytesIO(questionnaire(all_fives("X"))))
    sheet = workbook["Organisation"]
    sheet.insert_rows(2)
    path = tmp_path / "moved.xlsx"
    workbook.save(path)
    outcome = ingest_file(sqlite_store, path.read_bytes(), "moved.xlsx", MANNY)
    assert [(p.sheet, p.cell) for p in outcome.errors] == [("Organisation", "B10")]
    assert organisation_cell("respondent_role") == "B9"  # the template's place, for files never read


def test_in_a_turkish_file_the_message_names_its_sheet_and_choice(sqlite_store):
    data = questionnaire(all_fives("X"), lang="tr")
    outcome = ingest_file(sqlite_store, data, "sahte.xlsx", MANNY, lang="tr")
    (problem,) = outcome.errors
    assert problem.sheet == "Kurum" and problem.cell == "B9"
    rendered = problem.message.render("tr")
    assert "Kurum!B9" in rendered and "Öz değerlendirme" in rendered
    assert REFUSAL_START not in rendered  # the sentence itself is translated


def test_a_managers_self_assessment_is_stored_with_the_account_and_role_of_record(sqlite_store):
    outcome = ingest_submission(sqlite_store, make_submission(ORG, YEAR), b"self", "self.xlsx", MANNY)
    assert outcome.kind == STORED_NEW
    (row,) = stored_rows(sqlite_store)
    assert (row.uploaded_by, row.uploader_role, row.respondent_role) == ("manny", MANAGER, ROLE_SELF)
    assert not row.evaluator_unverified


@pytest.mark.parametrize("actor", [EVA, ADA, CLI_ADMIN], ids=lambda a: a.role + "-" + a.username)
def test_evaluators_and_admins_may_upload_either_role(sqlite_store, actor):
    for role in (ROLE_SELF, ROLE_EVALUATOR):
        submission = make_submission(ORG, YEAR, f"{actor.username} {role}", role=role)
        assert ingest_submission(sqlite_store, submission, role.encode(), f"{role}.xlsx", actor).stored
    assert {(r.respondent_role, r.uploader_role) for r in stored_rows(sqlite_store)} == {
        (ROLE_SELF, actor.role),
        (ROLE_EVALUATOR, actor.role),
    }


# --------------------------------------------------------------------------- who replaces whose file


def test_only_the_same_account_replaces_a_managers_file(sqlite_store):
    first = ingest_submission(sqlite_store, make_submission(ORG, YEAR, seed=1), b"1", "a.xlsx", MANNY)
    again = ingest_submission(sqlite_store, make_submission(ORG, YEAR, seed=2), b"2", "b.xlsx", MANNY)
    assert again.kind == SUPERSEDED_EARLIER and again.superseded_id == first.submission_id

    for other in (MARA, EVA, ADA):  # nobody else, not even an admin, silently replaces it
        refused = ingest_submission(
            sqlite_store, make_submission(ORG, YEAR, seed=3), b"3" + other.username.encode(), "c.xlsx", other
        )
        assert refused.kind == REJECTED
        (problem,) = refused.errors
        assert (problem.sheet, problem.cell) == ("Organisation", "B8")  # the respondent's name
        assert "manny" in problem.message.render("en")
    assert [r.status for r in stored_rows(sqlite_store)] == [SUPERSEDED, ACTIVE]


def test_an_evaluator_or_admin_replaces_an_evaluators_file_and_a_manager_never_does(sqlite_store):
    name = "Dr Emre Yilmaz"
    first = ingest_submission(
        sqlite_store, make_submission(ORG, YEAR, name, role=ROLE_EVALUATOR), b"1", "1", EMRE
    )
    by_colleague = ingest_submission(
        sqlite_store, make_submission(ORG, YEAR, name, role=ROLE_EVALUATOR, seed=1), b"2", "2", EVA
    )
    assert by_colleague.superseded_id == first.submission_id
    by_admin = ingest_submission(
        sqlite_store, make_submission(ORG, YEAR, name, role=ROLE_EVALUATOR, seed=2), b"3", "3", ADA
    )
    assert by_admin.superseded_id == by_colleague.submission_id
    # An evaluator's file marked Self-assessment (a respondent interviewed by the evaluator) is the
    # same: the manager's file of that respondent is refused, not stored over it.
    ingest_submission(sqlite_store, make_submission(ORG, YEAR, "Ayşe", seed=3), b"4", "4", EVA)
    refused = ingest_submission(sqlite_store, make_submission(ORG, YEAR, "Ayşe", seed=4), b"5", "5", MANNY)
    assert refused.kind == REJECTED
    assert [r.uploaded_by for r in stored_rows(sqlite_store) if r.status == ACTIVE] == ["ada", "eva"]


ACCOUNTS = (MANNY, MARA, EVA, EMRE, ADA)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ACCOUNTS),
            st.sampled_from(("Ayşe", "Emre")),
            st.sampled_from((ROLE_SELF, ROLE_EVALUATOR)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_whatever_the_uploads_the_evidence_obeys_the_accounts(tmp_path_factory, uploads):
    """Any sequence of uploads, one file at a time and in one batch, ends in the same trusted state."""
    finals = []
    for batch in (False, True):
        store = open_store(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'c.db'}")
        try:
            for number, (actor, name, role) in enumerate(uploads):
                data = questionnaire(make_submission(ORG, YEAR, name, role=role, seed=number))
                read = read_questionnaire(data, f"{number}.xlsx")
                if batch:
                    list(ingest_files(store, [(data, f"{number}.xlsx", read)], actor))
                else:
                    ingest_file(store, data, f"{number}.xlsx", actor)
            rows = stored_rows(store)
        finally:
            store.close()
        by_id = {r.id: r for r in rows}
        for row in rows:
            assert row.uploader_role == next(a.role for a in ACCOUNTS if a.username == row.uploaded_by)
            if row.respondent_role == ROLE_EVALUATOR:
                assert row.uploader_role in (EVALUATOR, ADMIN)
            if row.superseded_by is not None:
                newer = by_id[row.superseded_by]
                assert newer.uploaded_by == row.uploaded_by or (
                    newer.uploader_role in (EVALUATOR, ADMIN) and row.uploader_role in (EVALUATOR, ADMIN)
                )
        active = [(r.respondent_name, r.respondent_role) for r in rows if r.status == ACTIVE]
        assert len(active) == len(set(active))
        finals.append([(r.uploaded_by, r.respondent_name, r.respondent_role, r.status) for r in rows])
    assert finals[0] == finals[1]


# --------------------------------------------------------------------------- files stored before the rule


def _legacy_database(url: str) -> None:
    """A database at revision 0003 holding what the old code let a manager store."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0003")
            connection.execute(
                text(
                    "INSERT INTO users (username, display_name, role, organisations, disabled, created_at, "
                    "failed_attempts) VALUES (:u, '', :r, '[]', false, CURRENT_TIMESTAMP, 0)"
                ),
                [{"u": "manny", "r": MANAGER}, {"u": "eva", "r": EVALUATOR}],
            )
            connection.execute(
                text(
                    "INSERT INTO organisations (id, name, country, region, created_at, updated_at) "
                    "VALUES ('ORG-001', 'Org', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO assessments (id, organisation_id, year, created_at) "
                    "VALUES (1, 'ORG-001', 2025, CURRENT_TIMESTAMP)"
                )
            )
            files = [
                (1, "manny", ROLE_SELF),
                (2, "manny", ROLE_EVALUATOR),  # the forgery
                (3, "eva", ROLE_EVALUATOR),
                (4, "local-admin", ROLE_EVALUATOR),  # the command line: an administrator without a row
                (5, "gone", ROLE_EVALUATOR),  # an account since removed: nobody vouches for it
            ]
            connection.execute(
                text(
                    "INSERT INTO submissions (id, assessment_id, sha256, filename, content, size, "
                    "uploaded_by, uploaded_at, respondent_name, respondent_role, organisation_name, "
                    "country, region, language, template_version, framework_id, framework_version, "
                    "roadmap_version, notes, parse_result, status) VALUES (:id, 1, :sha, 'f.xlsx', "
                    ":content, 1, :by, CURRENT_TIMESTAMP, :name, :role, 'Org', '', '', 'en', '1.0', "
                    "'hd', '1', '1', '[]', '{}', 'active')"
                ),
                [
                    {"id": i, "sha": f"{i:064d}", "content": b"x", "by": by, "name": f"R{i}", "role": role}
                    for i, by, role in files
                ],
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_records_uploader_roles_and_flags_unverified_evaluator_files(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        _legacy_database(url)
        store = open_store(url)  # upgrades to head
        try:
            rows = {r.id: (r.uploader_role, r.evaluator_unverified) for r in stored_rows(store)}
            assert rows == {
                1: (MANAGER, False),
                2: (MANAGER, True),
                3: (EVALUATOR, False),
                4: (ADMIN, False),
                5: (None, True),
            }
            assert list(unverified_evaluator_files(store, ADA)["submission_id"]) == [2, 5]
        finally:
            store.close()


def test_an_admin_demotes_a_flagged_file_audited_and_rescored(store):
    organisation_with_evidence(store)
    honest = index_of(store)
    forged = ingest_submission(store, all_fives("Dr Fake"), b"forged", "forged.xlsx", CLI_ADMIN)
    with store.write() as session:  # what migration 0006 does to such a file stored by a manager
        session.get(SubmissionRecord, forged.submission_id).evaluator_unverified = True
    assert index_of(store) > honest  # still counted as an evaluator until an admin acts

    for denied in (MANNY, EVA):
        with pytest.raises(AccessDenied):
            demote_submission(store, forged.submission_id, denied)
        with pytest.raises(AccessDenied):
            unverified_evaluator_files(store, denied)
    demotion = demote_submission(store, forged.submission_id, ADA)

    assert demotion.organisation_id == ORG and demotion.superseded_id is None
    row = next(r for r in stored_rows(store) if r.id == forged.submission_id)
    assert (row.respondent_role, row.evaluator_unverified, row.status) == (ROLE_SELF, False, ACTIVE)
    assert unverified_evaluator_files(store, ADA).empty
    indicators = queries.indicator_results(store, CLI_ADMIN, ORG, YEAR).set_index("code")
    emre = {code: a.level for code, a in EMRES_FILE.answers.items() if a.level is not None and code != "IC.1"}
    # The only evaluator questionnaire left is Emre's (the review of IC.1 joins it there).
    assert {code: indicators.loc[code, "evaluator_level"] for code in emre} == emre
    with store.read() as session:
        logged = session.scalars(
            select(AuditEntry).where(AuditEntry.action == audit.SUBMISSION_DEMOTED)
        ).one()
    assert logged.actor == "ada" and logged.detail["submission_id"] == forged.submission_id
    with pytest.raises(StoreError):
        demote_submission(store, forged.submission_id, ADA)  # once is enough


def test_a_demoted_file_meeting_its_respondents_self_assessment_keeps_only_the_newer(sqlite_store):
    older = ingest_submission(sqlite_store, make_submission(ORG, YEAR, "Ayşe"), b"self", "self.xlsx", MANNY)
    forged = ingest_submission(sqlite_store, all_fives("Ayşe"), b"forged", "forged.xlsx", CLI_ADMIN)
    with sqlite_store.write() as session:
        session.get(SubmissionRecord, forged.submission_id).evaluator_unverified = True
    demotion = demote_submission(sqlite_store, forged.submission_id, ADA)
    assert demotion.superseded_id == older.submission_id
    statuses = {r.id: (r.status, r.superseded_by) for r in stored_rows(sqlite_store)}
    assert statuses == {
        older.submission_id: (SUPERSEDED, forged.submission_id),
        forged.submission_id: (ACTIVE, None),
    }


def test_demoting_all_skips_the_files_already_demoted_and_counts_the_rest(sqlite_store):
    forged = [
        ingest_submission(sqlite_store, all_fives(name, seed=n), b"%d" % n, "f.xlsx", CLI_ADMIN).submission_id
        for n, name in enumerate(("Dr Fake", "Dr Faux", "Dr Sahte"))
    ]
    with sqlite_store.write() as session:
        for submission_id in forged:
            session.get(SubmissionRecord, submission_id).evaluator_unverified = True
    demote_submission(sqlite_store, forged[0], ADA)  # another admin was quicker with the first

    assert demote_all(sqlite_store, forged, ADA) == 2
    assert unverified_evaluator_files(sqlite_store, ADA).empty
    assert demote_all(sqlite_store, forged, ADA) == 0  # nothing is left: no error either
    with pytest.raises(AccessDenied):
        demote_all(sqlite_store, forged, MANNY)


def test_upload_evaluator_is_a_permission_of_evaluators_and_admins_only():
    allowed = {role for role in access.ROLES if access.is_allowed(Actor("x", role), access.UPLOAD_EVALUATOR)}
    assert allowed == {EVALUATOR, ADMIN}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_command_line_obeys_the_same_rule_for_its_local_admin(tmp_path, capsys, workers: str):
    """The CLI acts as `local-admin`: it may store evaluator files, but not replace a manager's file."""
    url = f"sqlite:///{tmp_path / 'capacity.db'}"
    store = open_store(url)
    try:
        ingest_submission(store, make_submission(ORG, YEAR, "Ayşe Demir"), b"hers", "hers.xlsx", MANNY)
    finally:
        store.close()
    files = []
    for name, submission in (
        ("ayse-again.xlsx", make_submission(ORG, YEAR, "Ayşe Demir", seed=5)),
        ("evaluator.xlsx", make_submission(ORG, YEAR, "Dr Emre Yilmaz", role=ROLE_EVALUATOR)),
    ):
        (tmp_path / name).write_bytes(questionnaire(submission))
        files.append(str(tmp_path / name))
    assert main(["ingest", *files, "--json", "--workers", workers, "--database", url]) == 1
    replaced, evaluator = json.loads(capsys.readouterr().out)
    assert replaced["outcome"] == REJECTED
    assert [(p["sheet"], p["cell"]) for p in replaced["problems"] if p["severity"] == "error"] == [
        ("Organisation", "B8")
    ]
    assert "manny" in replaced["message"]
    assert evaluator["outcome"] == STORED_NEW
