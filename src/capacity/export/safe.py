"""Text from uploads never becomes a formula in an export (CSV or formula injection).

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, and some
also strip a leading tab or carriage return and then do so. Organisation names, evidence
notes and justifications come from uploaded files, so a hostile upload could otherwise
plant `=HYPERLINK(...)` in a board member's Excel. Following OWASP's advice, such text
is prefixed with an apostrophe, which the spreadsheet shows as plain text. In XLSX the
cell is also typed as a string explicitly, because openpyxl would otherwise store any
string starting with `=` as a formula.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell


def neutralise(value: Any) -> Any:
    """`value` with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are neutralised (numbers, dates and booleans untouched)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe


def cell_text(value: str) -> str:
    """Text fit for an XLSX cell: no XML-illegal control characters, within Excel's length, neutralised."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(cleaned) > EXCEL_CELL_LIMIT:
        cleaned = cleaned[: EXCEL_CELL_LIMIT - 1] + "…"
    return neutralise(cleaned)


def write(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put `value` in a cell; text is cleaned, neutralised and typed as a string, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = cell_text(value)
        cell.data_type = "s"
    elif value is None or (isinstance(value, float) and value != value):
        cell.value = None
    else:
        cell.value = value
    return cell
