"""A page action that hits a storage error: a plain message with a reference, the details in the log.

The database "fails" the way a full disk or a dropped connection does: every write
transaction raises SQLAlchemy's OperationalError, with SQL and a path in its text. The
person must read a plain sentence and a reference, never the exception, the SQL or the
path; the log must hold the traceback under the same reference.
"""

from __future__ import annotations

import logging
import re
import shutil
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import OperationalError

from capacity import upload as upload_flow
from capacity.access import CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.incidents import REFERENCE_ALPHABET, REFERENCE_LENGTH
from capacity.review import review_history
from capacity.store import open_store
from capacity.store.db import Store
from tests.apptest import open_page
from tests.dashboard_data import fill_small_portfolio
from tests.test_app_upload import page_text, press_submit, submissions, upload, upload_page
from tests.upload_files import filled
from ui.review_section import level_key

REFERENCE = re.compile(f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")
SECRET_DETAIL = "INSERT INTO submissions /srv/capacity/data/capacity.db"


@contextmanager
def failing_write(self):
    raise OperationalError(SECRET_DETAIL, {}, Exception("database or disk is full"))
    yield  # never reached: the store fails before the transaction starts


@pytest.fixture
def database(tmp_path_factory, tmp_path, monkeypatch):
    prepared = tmp_path_factory.mktemp("failures") / "capacity.db"
    store = open_store(f"sqlite:///{prepared}")
    fill_small_portfolio(store)
    store.close()
    path = tmp_path / "capacity.db"
    shutil.copy(prepared, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("CAPACITY_DATABASE_URL", url)
    opened = open_store(url)
    yield opened
    opened.close()


def shown_references(text: str) -> list[str]:
    return [word for word in re.findall(r"\b\w+\b", text) if REFERENCE.fullmatch(word)]


def assert_logged_with_traceback(caplog, reference: str) -> None:
    records = [r for r in caplog.records if reference in r.getMessage()]
    assert records, f"no log record names {reference}"
    assert records[0].exc_info is not None and records[0].exc_info[0] is OperationalError


def test_a_storage_error_on_submit_is_a_plain_message_with_a_reference_in_the_log(
    database, monkeypatch, caplog
) -> None:
    caplog.set_level(logging.ERROR)
    manager = Actor("ayse", MANAGER, frozenset({"ORG-001"}))
    at = upload(upload_page(manager), ("good.xlsx", filled()[1]))
    monkeypatch.setattr(Store, "write", failing_write)
    press_submit(at)
    text = page_text(at)
    assert "The file could not be stored because of an unexpected problem" in text
    assert SECRET_DETAIL not in text and "OperationalError" not in text and "disk is full" not in text
    references = shown_references(text)
    assert len(references) == 1
    assert_logged_with_traceback(caplog, references[0])
    monkeypatch.undo()
    assert submissions(database).empty


def test_a_storage_error_on_a_review_is_a_plain_message_with_a_reference_in_the_log(
    database, monkeypatch, caplog
) -> None:
    caplog.set_level(logging.ERROR)
    at = open_page(
        "views/scorecards.py", actor=Actor("eva", EVALUATOR), query={"year": "2026", "org": "NS-01"}
    )
    at.selectbox(key="scorecards_review_code").set_value("IC.1")
    at.run()
    at.selectbox(key=level_key("NS-01", 2026, "IC.1")).set_value("1")
    at.text_area(key="scorecards_review_reason").set_value("The strategy is a draft.")
    monkeypatch.setattr(Store, "write", failing_write)
    at.button(key="scorecards_review_submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [box.value for box in at.error]
    assert len(errors) == 1
    assert errors[0].startswith("This could not be done because of an unexpected problem.")
    assert SECRET_DETAIL not in errors[0] and "OperationalError" not in errors[0]
    references = shown_references(errors[0])
    assert len(references) == 1
    assert_logged_with_traceback(caplog, references[0])
    monkeypatch.undo()
    assert review_history(database, CLI_ADMIN, "NS-01").empty


def test_the_message_and_its_reference_are_in_turkish_too(database, monkeypatch, caplog) -> None:
    caplog.set_level(logging.ERROR)
    at = open_page(
        "views/scorecards.py",
        lang="tr",
        actor=Actor("eva", EVALUATOR),
        query={"year": "2026", "org": "NS-01"},
    )
    at.text_area(key="scorecards_review_reason").set_value("Strateji taslak.")
    monkeypatch.setattr(Store, "write", failing_write)
    at.button(key="scorecards_review_submit").click()
    at.run()
    (error,) = [box.value for box in at.error]
    assert "unexpected" not in error
    (reference,) = shown_references(error)
    assert_logged_with_traceback(caplog, reference)


@pytest.mark.parametrize("failing", ["preview_read_result", "stored_respondents"])
def test_a_storage_error_while_checking_refuses_the_file_with_a_reference(
    database, monkeypatch, caplog, failing: str
) -> None:
    """The dry run of a file, or the preview of its assessment, fails: the file is not stored, no crash."""
    caplog.set_level(logging.ERROR)

    def fail(*args, **kwargs):
        raise OperationalError(SECRET_DETAIL, {}, Exception("server closed the connection"))

    monkeypatch.setattr(upload_flow, failing, fail)
    (report,) = upload_flow.check_uploads([("good.xlsx", filled()[1])], database, CLI_ADMIN, "en")
    assert not report.accepted
    (problem,) = report.errors
    text = problem.render("en")
    assert text.startswith("What saving this file would do could not be worked out")
    assert SECRET_DETAIL not in text
    (reference,) = shown_references(text)
    assert_logged_with_traceback(caplog, reference)
