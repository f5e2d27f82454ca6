"""Arabic Excel exports: right-to-left sheets, Arabic sheet names and headers, the same numbers.

Only the view and the words change with the language: every number of the Arabic
scorecard and dataset must equal the English one, cell for cell.
"""

from __future__ import annotations

import io
import numbers

from openpyxl import load_workbook

from capacity.export.dataset import dataset_xlsx
from capacity.export.xlsx_scorecard import build_xlsx
from capacity.i18n import translator
from tests.export_data import results_of, scorecard_of
from tests.test_export_dataset import EVALUATOR_ACTOR, store  # noqa: F401  (the module's fixture)


def numbers_of(workbook) -> list[list[float]]:
    """Every number of every sheet, sheet by sheet in reading order."""
    return [
        [
            value
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, numbers.Number)
        ]
        for sheet in workbook.worksheets
    ]


def test_the_arabic_scorecard_reads_right_to_left_with_the_english_numbers() -> None:
    results = results_of((2019, [1, 2, 1, 2, 1, 2]), (2025, [2, 3, 2, 3, 2, 1]))
    english = load_workbook(io.BytesIO(build_xlsx(scorecard_of(results, "en"))))
    arabic = load_workbook(io.BytesIO(build_xlsx(scorecard_of(results, "ar"))))
    assert all(sheet.sheet_view.rightToLeft for sheet in arabic.worksheets)
    assert not any(sheet.sheet_view.rightToLeft for sheet in english.worksheets)
    assert arabic.sheetnames[0] == translator("ar")("Scorecard")
    assert numbers_of(arabic) == numbers_of(english)


def test_the_arabic_dataset_reads_right_to_left_with_the_english_numbers(store) -> None:  # noqa: F811
    english = load_workbook(io.BytesIO(dataset_xlsx(store, EVALUATOR_ACTOR, "en")))
    arabic = load_workbook(io.BytesIO(dataset_xlsx(store, EVALUATOR_ACTOR, "ar")))
    assert all(sheet.sheet_view.rightToLeft for sheet in arabic.worksheets)
    assert not any(sheet.sheet_view.rightToLeft for sheet in english.worksheets)
    assert numbers_of(arabic) == numbers_of(english)
