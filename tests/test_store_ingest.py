"""Ingestion: new, duplicate, superseding and rejected uploads; previews; nothing lost; roles enforced."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from capacity import access
from capacity.access import CLI_ADMIN, AccessDenied, Actor
from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.reader import read_questionnaire
from capacity.roadmap import current_roadmap
from capacity.scoring import score_assessment
from capacity.store import ingest, queries
from capacity.store.assessments import find_assessment, rebuild_submissions
from capacity.store.ingest import (
    DUPLICATE,
    REJECTED,
    STORED_NEW,
    SUPERSEDED_EARLIER,
    ingest_file,
    ingest_submission,
    preview_file,
)
from capacity.store.models import (
    ACTIVE,
    SUPERSEDED,
    AuditEntry,
    Organisation,
    ResponseRecord,
    SubmissionRecord,
)
from tests.store_support import make_submission, questionnaire

MANAGER = Actor("manny", access.MANAGER, frozenset({"ORG-001"}))
BOARD = Actor("bea", access.BOARD)


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_new_file_is_stored_whole_with_its_provenance(store):
    submission = make_submission()
    data = questionnaire(submission)

    outcome = ingest_file(store, data, "ayse.xlsx", MANAGER)

    assert outcome.kind == STORED_NEW and outcome.stored
    assert (outcome.organisation_id, outcome.year) == ("ORG-001", 2025)
    assert "stored as submission" in outcome.message("en")
    with store.read() as session:
        record = session.get(SubmissionRecord, outcome.submission_id)
        assert record.content == data and record.size == len(data)
        assert record.sha256 == outcome.sha256 == read_questionnaire(data, "ayse.xlsx").sha256
        assert record.uploaded_by == "manny" and record.filename == "ayse.xlsx"
        assert record.framework_version == current_framework().version
        assert record.roadmap_version == current_roadmap().version
        assert record.status == ACTIVE
        assert record.parse_result["errors"] == 0
        assessment = find_assessment(session, "ORG-001", 2025)
        (rebuilt,) = rebuild_submissions(session, assessment)
        entry = session.scalars(select(AuditEntry)).one()
    assert rebuilt.answers == read_questionnaire(data, "ayse.xlsx").submission.answers
    assert (entry.action, entry.actor, entry.organisation_id) == ("submission_stored", "manny", "ORG-001")
    assert entry.detail["submission_id"] == outcome.submission_id
    (result,) = queries.assessment_results(store, BOARD, "ORG-001")
    assert result == score_assessment([read_questionnaire(data, "ayse.xlsx").submission])


def test_the_same_bytes_again_are_a_reported_no_op(store):
    data = questionnaire(make_submission())
    first = ingest_file(store, data, "a.xlsx", CLI_ADMIN)
    again = ingest_file(store, data, "copy of a.xlsx", CLI_ADMIN)
    assert again.kind == DUPLICATE and not again.stored
    assert again.submission_id == first.submission_id
    assert f"identical to submission {first.submission_id}" in again.message("en")
    assert _count(store, SubmissionRecord) == 1
    assert queries.audit_log(store, CLI_ADMIN)["action"].tolist() == [
        "submission_duplicate",
        "submission_stored",
    ]


def test_a_new_file_from_the_same_respondent_supersedes_the_earlier_one(store):
    first = ingest_submission(store, make_submission(seed=1), b"first", "v1.xlsx", CLI_ADMIN)
    # Case and spacing of the name do not make another respondent.
    second_submission = make_submission(respondent_name="  ayşe   DEMIR ", seed=2)
    second = ingest_submission(store, second_submission, b"second", "v2.xlsx", CLI_ADMIN)

    assert second.kind == SUPERSEDED_EARLIER and second.superseded_id == first.submission_id
    assert f"replaces submission {first.submission_id}" in second.message("en")
    with store.read() as session:
        earlier = session.get(SubmissionRecord, first.submission_id)
        assert (earlier.status, earlier.superseded_by) == (SUPERSEDED, second.submission_id)
        assert earlier.content == b"first", "the superseded file stays in the history"
    (result,) = queries.assessment_results(store, BOARD, "ORG-001")
    assert result == score_assessment([second_submission])


def test_other_respondents_and_roles_add_up_instead_of_superseding(store):
    subs = [
        make_submission(respondent_name="Ayşe Demir"),
        make_submission(respondent_name="John Smith"),
        make_submission(respondent_name="Ayşe Demir", role=ROLE_EVALUATOR),
    ]
    kinds = [
        ingest_submission(store, s, f"{n}".encode(), "f.xlsx", CLI_ADMIN).kind for n, s in enumerate(subs)
    ]
    assert kinds == [STORED_NEW] * 3
    (result,) = queries.assessment_results(store, BOARD, "ORG-001")
    assert result == score_assessment(subs)
    assert result.respondents == 3


def test_later_files_never_overwrite_the_registers_details(store):
    """The first file of an organisation (create on first upload) starts its entry; the register keeps it."""
    ingest_submission(
        store,
        make_submission(year=2025, organisation_name="First name", region="Europe"),
        b"2025",
        "new.xlsx",
        CLI_ADMIN,
    )
    for year, name in ((2019, "Old name"), (2027, "Newest name")):
        ingest_submission(
            store,
            make_submission(year=year, organisation_name=name, region="Elsewhere"),
            b"%d" % year,
            "x",
            CLI_ADMIN,
        )
    with store.read() as session:
        organisation = session.get(Organisation, "ORG-001")
    assert (organisation.name, organisation.region) == ("First name", "Europe")


def test_an_invalid_file_is_rejected_with_the_readers_problems_and_nothing_stored(store):
    outcome = ingest_file(store, b"this is not a spreadsheet", "notes.txt", CLI_ADMIN)
    assert outcome.kind == REJECTED and not outcome.stored
    assert outcome.errors, "the reader's problems come with the outcome"
    assert "rejected" in outcome.message("en")
    assert outcome.as_dict("en")["problems"]
    assert _count(store, SubmissionRecord) == 0
    entry = queries.audit_log(store, CLI_ADMIN).iloc[0]
    assert entry["action"] == "submission_rejected" and entry["detail"]["filename"] == "notes.txt"


def test_a_file_the_engine_cannot_score_is_refused_whole(store):
    other_version = make_submission(framework_version="0.9")
    outcome = ingest_submission(store, other_version, b"old framework", "old.xlsx", CLI_ADMIN)
    assert outcome.kind == REJECTED and outcome.refusal is not None
    assert "framework" in outcome.message("en")
    assert _count(store, SubmissionRecord) == 0 and _count(store, ResponseRecord) == 0
    assert _count(store, Organisation) == 0


def test_a_preview_says_what_saving_would_do_without_writing(store):
    first = make_submission(seed=1)
    first_file = questionnaire(first)
    assert preview_file(store, first_file, "a.xlsx", MANAGER).kind == STORED_NEW
    assert _count(store, SubmissionRecord) == _count(store, AuditEntry) == 0

    stored = ingest_file(store, first_file, "a.xlsx", MANAGER)
    duplicate = preview_file(store, first_file, "a.xlsx", MANAGER)
    assert (duplicate.kind, duplicate.submission_id, duplicate.dry_run) == (
        DUPLICATE,
        stored.submission_id,
        True,
    )
    assert "would change nothing" in duplicate.message("en")

    replacing = preview_file(store, questionnaire(make_submission(seed=2)), "b.xlsx", MANAGER)
    assert (replacing.kind, replacing.superseded_id) == (SUPERSEDED_EARLIER, stored.submission_id)
    assert not replacing.stored and "would be stored" in replacing.message("en")
    assert preview_file(store, b"junk", "junk.xlsx", MANAGER).kind == REJECTED
    assert _count(store, SubmissionRecord) == 1 and _count(store, AuditEntry) == 1


def test_roles_decide_who_may_upload_for_which_organisation(store):
    mine = questionnaire(make_submission("ORG-001"))
    theirs = questionnaire(make_submission("ORG-002"))
    assert ingest_file(store, mine, "mine.xlsx", MANAGER).stored
    with pytest.raises(AccessDenied):
        ingest_file(store, theirs, "theirs.xlsx", MANAGER)
    with pytest.raises(AccessDenied):
        preview_file(store, theirs, "theirs.xlsx", MANAGER)
    with pytest.raises(AccessDenied):
        ingest_file(store, mine, "mine.xlsx", BOARD)
    assert ingest_file(store, theirs, "theirs.xlsx", Actor("eva", access.EVALUATOR)).stored
    assert _count(store, SubmissionRecord) == 2


def test_outcomes_speak_the_uploaders_language(store, monkeypatch):
    data = questionnaire(make_submission(), lang="tr")
    outcome = ingest_file(store, data, "tr.xlsx", CLI_ADMIN, lang="tr")
    assert outcome.lang == "tr"
    asked: list[str] = []
    real = ingest.translator
    monkeypatch.setattr(ingest, "translator", lambda lang: asked.append(lang) or real(lang))
    outcome.message()
    outcome.as_dict()
    outcome.message("en")
    assert asked == ["tr", "tr", "en"]


def test_the_caller_may_own_the_transaction(store):
    """Given a session, ingestion joins it: rolling back the caller's transaction undoes the upload."""
    with pytest.raises(RuntimeError), store.write() as session:
        outcome = ingest_submission(session, make_submission(), b"x", "x.xlsx", CLI_ADMIN)
        assert outcome.stored
        raise RuntimeError("the caller changes its mind")
    assert _count(store, SubmissionRecord) == 0 and _count(store, AuditEntry) == 0


def test_every_answer_is_kept_as_given(store):
    submission = make_submission(seed=7)
    odd = dataclasses.replace(
        submission,
        answers={
            **submission.answers,
            "IC.1": dataclasses.replace(
                submission.answers["IC.1"],
                evidence="Bütçe raporu 2024 — «ek 3»",
                evidence_link="https://example.org/ç?x=1&y=2",
            ),
        },
    )
    ingest_submission(store, odd, b"odd", "odd.xlsx", CLI_ADMIN)
    with store.read() as session:
        (rebuilt,) = rebuild_submissions(session, find_assessment(session, "ORG-001", 2025))
    assert rebuilt == odd


def test_a_refused_file_leaves_nothing_behind_in_the_callers_transaction(store):
    with store.write() as session:
        outcome = ingest_submission(
            session, make_submission(framework_version="0.9"), b"x", "x.xlsx", CLI_ADMIN
        )
    assert outcome.kind == REJECTED
    assert _count(store, Organisation) == 0 and _count(store, SubmissionRecord) == 0
    assert queries.audit_log(store, CLI_ADMIN)["action"].tolist() == ["submission_rejected"]
