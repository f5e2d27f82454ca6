"""Backup and restore: a portable dump that moves everything between SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from capacity import access, sessions
from capacity.access import CLI_ADMIN, AccessDenied, Actor
from capacity.accounts import PASSWORD
from capacity.plans import actions as plan
from capacity.store import StoreError, open_store, queries
from capacity.store.backup import MANIFEST, backup, is_empty, restore
from capacity.store.corrections import delete_submission, record_review, restore_submission
from capacity.store.ingest import ingest_submission
from capacity.store.models import LoginSession, SubmissionRecord, User, utcnow
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire


def _fresh_store(kind, directory):
    directory.mkdir()
    with fresh_database(kind, directory) as url:
        store = open_store(url)
        yield store
        store.close()


@pytest.fixture(params=BACKENDS)
def source(request, tmp_path):
    yield from _fresh_store(request.param, tmp_path / "source")


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path):
    yield from _fresh_store(request.param, tmp_path / "target")


def _fill(store) -> None:
    """A bit of everything: superseded, restored and deleted files, a review, a plan, a user, the log."""
    outcomes = [
        ingest_submission(store, sub, questionnaire(sub), f"{n}.xlsx", CLI_ADMIN)
        for n, sub in enumerate(
            [
                make_submission("ORG-1", 2023, seed=1),
                make_submission("ORG-1", 2023, seed=2),
                make_submission("ORG-1", 2025, respondent_name="Çağrı Öztürk"),
                make_submission("ORG-2", 2025),
            ]
        )
    ]
    restore_submission(store, outcomes[0].submission_id, CLI_ADMIN)  # superseded_by now points backwards
    delete_submission(store, outcomes[3].submission_id, CLI_ADMIN, reason="test")
    record_review(store, "ORG-1", 2025, "IL.2", 2, "Seen the minutes.", CLI_ADMIN)
    action = plan.add_action(
        store, CLI_ADMIN, "ORG-1", 2023, "IC.1", "Adopt a strategy", "Ana", date(2024, 6, 30), 3
    )
    plan.update_action(store, CLI_ADMIN, action, status=plan.DONE, today=date(2024, 5, 2))
    plan.add_note(store, CLI_ADMIN, action, "Approved by the board.")
    with store.write() as session:
        session.add(
            User(
                username="eva",
                display_name="Eva",
                role="evaluator",
                organisations=["ORG-1"],
                password_hash="$argon2id$…",
                created_at=utcnow(),
            )
        )


def _dump(store, path) -> dict[str, list[str]]:
    backup(store, CLI_ADMIN, path)
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode().splitlines() for name in archive.namelist() if name != MANIFEST
        }


def test_a_dump_moves_everything_to_another_database(source, target, tmp_path):
    _fill(source)
    original = _dump(source, tmp_path / "one.zip")

    summary = restore(target, CLI_ADMIN, tmp_path / "one.zip")

    assert summary.rows["submissions"] == 4
    assert (summary.rows["plan_actions"], summary.rows["plan_notes"]) == (1, 1)
    copied = _dump(target, tmp_path / "two.zip")
    for table, rows in original.items():
        if table == "audit_log.jsonl":  # the copy also logs the restore itself
            assert copied[table][: len(rows)] == rows
            assert json.loads(copied[table][-1])["action"] == "backup_restored"
        else:
            assert copied[table] == rows, table
    file_id = queries.submissions(target, CLI_ADMIN, "ORG-1")["submission_id"].iloc[0]
    assert queries.original_file(target, CLI_ADMIN, int(file_id)) == queries.original_file(
        source, CLI_ADMIN, int(file_id)
    )
    assert queries.assessment_results(target, CLI_ADMIN, "ORG-1") == queries.assessment_results(
        source, CLI_ADMIN, "ORG-1"
    )


def test_the_restored_database_keeps_working(source, target, tmp_path):
    _fill(source)
    backup(source, CLI_ADMIN, tmp_path / "dump.zip")
    restore(target, CLI_ADMIN, tmp_path / "dump.zip")
    submission = make_submission("ORG-3", 2025)
    outcome = ingest_submission(target, submission, questionnaire(submission), "new.xlsx", CLI_ADMIN)
    with target.read() as session:
        highest = session.scalar(select(func.max(SubmissionRecord.id)))
    assert outcome.stored and outcome.submission_id == highest == 5  # ids continue after the restored ones


def test_a_database_with_data_is_only_replaced_when_forced(source, target, tmp_path):
    _fill(source)
    backup(source, CLI_ADMIN, tmp_path / "dump.zip")
    other = make_submission("ORG-OTHER", 2024)
    ingest_submission(target, other, b"other", "other.xlsx", CLI_ADMIN)

    with pytest.raises(StoreError, match="already holds data"):
        restore(target, CLI_ADMIN, tmp_path / "dump.zip")
    assert len(queries.submissions(target, CLI_ADMIN, "ORG-OTHER")) == 1

    restore(target, CLI_ADMIN, tmp_path / "dump.zip", force=True)
    assert queries.submissions(target, CLI_ADMIN, "ORG-OTHER").empty
    assert len(queries.submissions(target, CLI_ADMIN, "ORG-1")) == 3


def test_sessions_are_not_backed_up_and_a_forced_restore_ends_the_replaced_ones(source, target, tmp_path):
    _fill(source)
    eva = Actor("eva", "evaluator", frozenset({"ORG-1"}))
    sessions.start(source, eva, PASSWORD, "c")
    backup(source, CLI_ADMIN, tmp_path / "dump.zip")
    with zipfile.ZipFile(tmp_path / "dump.zip") as archive:
        assert "login_sessions.jsonl" not in archive.namelist()
    _fill(target)
    signed_in = sessions.start(target, eva, PASSWORD, "c").session
    restore(target, CLI_ADMIN, tmp_path / "dump.zip", force=True)
    with target.read() as session:
        assert session.scalar(select(func.count()).select_from(LoginSession)) == 0
    assert sessions.resume(target, session_id=signed_in.id) is None


def test_a_damaged_dump_changes_nothing(source, target, tmp_path):
    _fill(source)
    backup(source, CLI_ADMIN, tmp_path / "dump.zip")
    with zipfile.ZipFile(tmp_path / "dump.zip") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    lines = parts["responses.jsonl"].splitlines(keepends=True)
    parts["responses.jsonl"] = b"".join(lines[:-5])  # truncated
    with zipfile.ZipFile(tmp_path / "damaged.zip", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    with pytest.raises(StoreError, match="incomplete or damaged"):
        restore(target, CLI_ADMIN, tmp_path / "damaged.zip")
    assert is_empty(target)


def test_only_our_own_dumps_of_the_same_schema_are_accepted(target, tmp_path):
    (tmp_path / "junk.zip").write_bytes(b"not a zip at all")
    with pytest.raises(StoreError, match="not a backup"):
        restore(target, CLI_ADMIN, tmp_path / "junk.zip")
    with zipfile.ZipFile(tmp_path / "future.zip", "w") as archive:
        archive.writestr(
            MANIFEST,
            json.dumps(
                {"format": "capacity-backup", "format_version": 1, "schema_revision": "9999", "rows": {}}
            ),
        )
    with pytest.raises(StoreError, match="schema 9999"):
        restore(target, CLI_ADMIN, tmp_path / "future.zip")


def test_backup_and_restore_are_for_administrators(target, tmp_path):
    evaluator = Actor("eva", access.EVALUATOR)
    with pytest.raises(AccessDenied):
        backup(target, evaluator, tmp_path / "dump.zip")
    assert not (tmp_path / "dump.zip").exists()
    backup(target, CLI_ADMIN, tmp_path / "dump.zip")
    with pytest.raises(AccessDenied):
        restore(target, Actor("manny", access.MANAGER, frozenset({"ORG-1"})), tmp_path / "dump.zip")
    assert queries.audit_log(target, CLI_ADMIN)["action"].tolist() == ["backup_created"]
