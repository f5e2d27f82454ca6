"""Scorecards carry markup typed into a questionnaire as text: no link in the PDF or the workbook (issue 15).

fpdf2 reads markdown or HTML only when asked (`markdown=True`, `write_html`), and a
spreadsheet cell is a link only with a hyperlink or a formula; these tests hold the
exports to that with an organisation whose name and evidence are markup.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from capacity.export.pdf_scorecard import build_pdf
from capacity.export.xlsx_scorecard import build_xlsx
from tests.export_data import results_of, scorecard_of

MARKUP = "![t](http://127.0.0.2:9/t.png) [phish](https://evil.example/l) <b>bold</b> **strong**"


def hostile_scorecard():
    return scorecard_of(results_of((2025, [2, 3, 1, 2, 4, 0]), name=MARKUP, evidence=MARKUP))


def test_the_pdf_prints_markup_as_text_and_links_nowhere() -> None:
    reader = PdfReader(io.BytesIO(build_pdf(hostile_scorecard())))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "[phish](https://evil.example/l) <b>bold</b> **strong**" in text
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert "/URI" not in str(annotation.get_object().get("/A", {})), annotation.get_object()


def test_the_workbook_holds_markup_as_plain_text_cells() -> None:
    book = load_workbook(io.BytesIO(build_xlsx(hostile_scorecard())))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.hyperlink is None, cell.coordinate
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert MARKUP in texts
