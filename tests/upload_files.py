"""Files a manager might upload, for the upload tests: filled, broken in known cells, a renamed PDF.

The broken questionnaire has exactly three errors in known cells (Organisation!B2 and B7,
Responses!F4), so a test can check that the page names each one with its sheet and cell.
Hostile files (zip bombs …) come from `tests.bad_files`.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from capacity.questionnaire.submission import Submission
from tests.store_support import make_submission, questionnaire


def filled(
    organisation_id: str = "ORG-001",
    year: int = 2025,
    respondent: str = "Ayşe Demir",
    seed: int = 0,
    lang: str = "en",
    **fields,
) -> tuple[Submission, bytes]:
    """A questionnaire filled like a respondent would, and the submission it holds."""
    submission = make_submission(organisation_id, year, respondent, seed=seed, **fields)
    return submission, questionnaire(submission, lang)


def three_errors(seed: int = 0) -> bytes:
    """A filled questionnaire with no Organisation ID, a year that is not one, and a level that is not one."""
    _, data = filled(seed=seed)
    workbook = load_workbook(io.BytesIO(data))
    organisation, responses = workbook["Organisation"], workbook["Responses"]
    assert organisation["A2"].value.startswith("Organisation ID")
    assert organisation["A7"].value.startswith("Assessment year")
    assert responses["F1"].value == "Level"
    organisation["B2"] = None
    organisation["B7"] = "next year"
    responses["F4"] = "Very good"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def renamed_pdf() -> bytes:
    """A small PDF, as a manager who exported the form to PDF and renamed it .xlsx would send."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
