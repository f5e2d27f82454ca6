"""Sheet direction for the workbooks the app writes (questionnaire, scorecard, dataset).

A right-to-left language gets every sheet in right-to-left view (column A on the right,
as Excel and LibreOffice show Arabic workbooks); cell values are untouched, so numbers
and codes are the same in every language and the reader finds columns by their headers.
"""

from __future__ import annotations

from openpyxl import Workbook

from capacity.i18n import is_right_to_left


def lay_out_for(wb: Workbook, lang: str) -> None:
    """Set every sheet of `wb` in the language's direction (right to left for Arabic)."""
    if is_right_to_left(lang):
        for ws in wb.worksheets:
            ws.sheet_view.rightToLeft = True
