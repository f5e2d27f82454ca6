"""Hostile uploads cannot plant a formula in any export or pre-filled questionnaire (formula injection).

Organisation names and evidence notes that start with =, +, -, @, a tab or a carriage
return are stored as uploaded, then exported: no XLSX cell may be a formula (openpyxl
data type "f") and every such text must reach CSV and XLSX with an apostrophe in front.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from capacity.access import CLI_ADMIN
from capacity.export.batch import XLSX, batch_zip
from capacity.export.dataset import dataset_csv_files, dataset_xlsx
from capacity.export.safe import FORMULA_STARTS, neutralise, write
from capacity.export.scorecard import load_scorecard
from capacity.export.xlsx_scorecard import build_xlsx
from capacity.framework import current_framework
from capacity.questionnaire.template import build_template
from capacity.store import open_store
from capacity.store.prefill import latest_submission
from tests.dashboard_data import ingest_all
from tests.export_data import HOSTILE, submission

HOSTILE_IDS = ("=1+1", "@ORG", "../../etc/passwd")


def kept(text: str) -> str:
    """`text` neutralised, as read back: XML and our CSV both turn a carriage return into a line feed."""
    return ("'" + text).replace("\r", "\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Organisations whose names, IDs and evidence are hostile text."""
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'capacity.db'}")
    submissions = [
        submission(f"ORG-{number}", 2025, [2, 3, 1, 2, 4, 0], name=text, evidence=text)
        for number, text in enumerate(HOSTILE)
    ]
    submissions += [
        submission(organisation_id, 2025, [1, 1, 1, 1, 1, 1], name="Plain", evidence=HOSTILE[0])
        for organisation_id in HOSTILE_IDS
    ]
    ingest_all(opened, submissions)
    yield opened
    opened.close()


def cells(workbook_bytes: bytes):
    book = load_workbook(io.BytesIO(workbook_bytes))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_safe_workbook(data: bytes) -> list[str]:
    """No formula anywhere, and no text that a spreadsheet would run; the texts, for further checks."""
    texts = []
    for cell in cells(data):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
            texts.append(cell.value)
    return texts


def test_scorecards_neutralise_hostile_names_and_evidence(store) -> None:
    for number, text in enumerate(HOSTILE):
        texts = assert_safe_workbook(build_xlsx(load_scorecard(store, CLI_ADMIN, f"ORG-{number}", 2025)))
        assert kept(text) in texts  # the organisation's name, kept, but as text
        evidence = kept(text.strip())  # the engine keeps evidence notes without surrounding blanks
        assert sum(value == evidence for value in texts) >= len(current_framework().indicators)


def test_hostile_ids_give_safe_workbooks_and_file_names(store) -> None:
    batch = batch_zip(store, CLI_ADMIN, list(HOSTILE_IDS), XLSX)
    assert not batch.skipped
    for name in batch.files:
        assert "/" not in name and "\\" not in name and not name.startswith((".", *FORMULA_STARTS))
    with zipfile.ZipFile(io.BytesIO(batch.data)) as archive:
        assert sorted(archive.namelist()) == sorted(batch.files)
        for name in batch.files:
            assert_safe_workbook(archive.read(name))


def test_the_dataset_workbook_has_no_formula(store) -> None:
    texts = assert_safe_workbook(dataset_xlsx(store, CLI_ADMIN))
    for text in HOSTILE:
        assert kept(text) in texts


def test_the_dataset_csv_prefixes_hostile_text(store) -> None:
    files = dataset_csv_files(store, CLI_ADMIN)
    for name, data in files.items():
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert all(None not in row.values() and None not in row for row in rows)  # no row broken apart
        for row in rows:
            for column, value in row.items():
                if value.startswith(FORMULA_STARTS):
                    float(value)  # only a negative number may start with "-" (raises otherwise)
                    assert column not in ("organisation_name", "evidence", "organisation_id"), (name, value)
    scores = {
        row["organisation_id"]: row
        for row in csv.DictReader(io.StringIO(files["scores.csv"].decode("utf-8-sig"), newline=""))
    }
    for number, text in enumerate(HOSTILE):
        assert scores[f"ORG-{number}"]["organisation_name"] == kept(text)
    assert "'=1+1" in scores and "'@ORG" in scores
    responses = csv.DictReader(io.StringIO(files["responses.csv"].decode("utf-8-sig"), newline=""))
    assert {kept(text) for text in HOSTILE} <= {row["evidence"] for row in responses}


@given(st.text(min_size=1, max_size=30))
def test_any_text_is_written_as_text_never_a_formula(text) -> None:
    sheet = Workbook().active
    cell = write(sheet, 1, 1, text)
    assert cell.data_type == "s"
    assert not cell.value.startswith(FORMULA_STARTS)
    if text.startswith(FORMULA_STARTS):
        assert neutralise(text) == "'" + text
    else:
        assert neutralise(text) == text


@given(st.sampled_from(FORMULA_STARTS), st.text(max_size=20))
def test_every_formula_start_is_neutralised(start, rest) -> None:
    assert neutralise(start + rest) == "'" + start + rest


def test_the_prefilled_questionnaire_writes_stored_text_as_text(store) -> None:
    """Last round's answers go back out as text: never a formula, whatever the file that stored them held."""
    for number, text in enumerate(HOSTILE):
        earlier = latest_submission(store, CLI_ADMIN, f"ORG-{number}")
        texts = assert_safe_workbook(build_template(prefill=earlier))
        # the organisation's name, and each indicator's evidence (the stored answer, not stripped)
        assert sum(value == kept(text) for value in texts) == 1 + len(current_framework().indicators)
    for organisation_id in HOSTILE_IDS:
        earlier = latest_submission(store, CLI_ADMIN, organisation_id)
        texts = assert_safe_workbook(build_template(prefill=earlier, complete=True))
        shown = kept(organisation_id) if organisation_id.startswith(FORMULA_STARTS) else organisation_id
        assert shown in texts
