"""A file the reader accepts always stores, on SQLite and on PostgreSQL.

PostgreSQL enforces the length of every `String(n)` column and refuses the null
character in any text; SQLite stores anything. Before the reader checked the texts
against the model columns, an organisation name of 301 characters was "accepted" and
then failed to store on PostgreSQL with a database error. Now the reader refuses such a
text with its sheet and cell, and the limits come from the columns (`store.limits`).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from capacity.access import CLI_ADMIN
from capacity.questionnaire.reader import MSG_TOO_LONG, MSG_UNSTORABLE, read_questionnaire
from capacity.store import open_store
from capacity.store.ingest import REJECTED, ingest_read_result
from capacity.store.limits import max_length
from capacity.store.models import Organisation, ResponseRecord, SubmissionRecord
from tests.bad_files import filled_xlsx, rezip
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire

# Where the template writer puts each text (Organisation!B2…B10 in field order; IC.1's evidence).
CELLS = {
    "organisation_id": ("Organisation", "B2"),
    "organisation_name": ("Organisation", "B3"),
    "country": ("Organisation", "B5"),
    "region": ("Organisation", "B6"),
    "respondent_name": ("Organisation", "B8"),
    "evidence": ("Responses", "G2"),
}
ORGANISATION_FIELDS = [key for key in CELLS if key != "evidence"]
# Characters openpyxl can write and XML can carry (no control characters, no lone surrogates).
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))


def with_text(field: str, value: str) -> bytes:
    """A filled questionnaire whose `field` holds `value`."""
    submission = make_submission("ORG-LIMITS")
    if field == "evidence":
        first = next(iter(submission.answers))
        answer = replace(submission.answers[first], level=3, not_applicable=False, evidence=value)
        return questionnaire(replace(submission, answers={**submission.answers, first: answer}))
    return questionnaire(replace(submission, **{field: value}))


def refusals(data: bytes, filename: str = "q.xlsx") -> list[tuple[str, str, str]]:
    return [(p.sheet, p.cell, p.message.msgid) for p in read_questionnaire(data, filename).errors]


@pytest.mark.parametrize("field", ORGANISATION_FIELDS)
def test_a_text_one_character_over_its_column_is_refused_at_its_cell(field: str) -> None:
    limit = max_length(field)
    assert limit is not None
    sheet, cell = CELLS[field]
    assert refusals(with_text(field, "x" * limit)) == []
    assert refusals(with_text(field, "x" * (limit + 1))) == [(sheet, cell, MSG_TOO_LONG)]
    problem = read_questionnaire(with_text(field, "é" * (limit + 1)), "q.xlsx").errors[0]
    assert f"{limit + 1} characters" in problem.render("en") and f"at most {limit}" in problem.render("en")


def test_the_limits_follow_the_model_columns() -> None:
    assert max_length("organisation_name") == Organisation.__table__.c.name.type.length
    assert max_length("organisation_id") == Organisation.__table__.c.id.type.length
    assert max_length("respondent_name") == SubmissionRecord.__table__.c.respondent_name.type.length
    assert max_length("evidence") is None  # a Text column: any length fits


def test_a_null_character_in_the_evidence_is_refused_at_its_cell() -> None:
    """Excel's escape _x0000_ (and a raw NUL) reach python-calamine as U+0000, which PostgreSQL refuses."""
    for escape in (b"_x0000_", b"\x00"):
        data = rezip(
            filled_xlsx(),
            lambda name, content, escape=escape: (
                content.replace(b">Board minutes 2<", b">Board" + escape + b"minutes 2<")
                if name == "xl/worksheets/sheet3.xml"
                else content
            ),
        )
        assert refusals(data) == [("Responses", "G4", MSG_UNSTORABLE)]


def test_an_over_long_file_name_is_refused() -> None:
    limit = max_length("filename")
    assert limit is not None
    assert refusals(filled_xlsx(), "q" * (limit - 5) + ".xlsx") == []
    assert [msgid for *_, msgid in refusals(filled_xlsx(), "q" * limit + ".xlsx")] == [
        "The file name is {length} characters long; at most {limit} can be stored. Give the file a "
        "shorter name and upload it again."
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    with fresh_database(request.param, tmp_path_factory.mktemp("limits")) as url:
        opened = open_store(url)
        yield opened
        opened.close()


def around(limit: int | None) -> st.SearchStrategy[int]:
    """Lengths just under, at and over a limit (or ordinary and long ones for a Text column)."""
    if limit is None:
        return st.integers(0, 5000)
    return st.integers(max(0, limit - 3), limit + 3)


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, str]:
    field = draw(st.sampled_from(list(CELLS)))
    length = draw(around(max_length(field)))
    text = draw(st.text(PRINTABLE, min_size=length, max_size=length))
    if draw(st.booleans()):  # sometimes Excel's escape of a null character, somewhere in the text
        at = draw(st.integers(0, len(text)))
        text = text[:at] + "_x0000_" + text[at:]
    return field, text


@settings(max_examples=25, deadline=None)
@given(case=texts())
def test_a_file_the_reader_accepts_always_stores(store, case: tuple[str, str]) -> None:
    field, text = case
    data = with_text(field, text)
    read = read_questionnaire(data, "q.xlsx")
    sheet, cell = CELLS[field]
    if not read.valid:  # refused: only at the cell that holds the text, and only for a reason the store has
        assert {(p.sheet, p.cell) for p in read.errors} <= {(sheet, cell)}, read.errors
        return
    outcome = ingest_read_result(store, data, "q.xlsx", read, CLI_ADMIN, "en")
    assert outcome.kind != REJECTED, outcome.message("en")
    submission = read.submission
    assert submission is not None
    with store.read() as session:
        stored = session.get(SubmissionRecord, outcome.submission_id)
        assert stored is not None
        assert stored.organisation_name == submission.organisation_name
        assert stored.respondent_name == submission.respondent_name
        evidence = session.scalars(
            select(ResponseRecord.evidence).where(ResponseRecord.submission_id == stored.id)
        ).all()
        assert set(evidence) >= {a.evidence for a in submission.answers.values()}
