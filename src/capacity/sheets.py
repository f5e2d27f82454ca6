"""Sheet direction for the workbooks the app writes (questionnaire, scorecard, dataset).

A right-to-left language gets every sheet in right-to-left view (column A on the right,
as Excel and LibreOffice show Arabic workbooks); cell values are untouched, so numbers
and codes are the same in every language and the reader finds columns by their headers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from capacity.i18n import is_right_to_left


def lay_out_for(sheets: Iterable[Any], lang: str) -> None:
    """Put `sheets` in the language's direction (right to left for Arabic; others untouched).

    A write-only sheet must be passed before its first row is written: its view is
    streamed out with the first row.
    """
    if is_right_to_left(lang):
        for sheet in sheets:
            sheet.sheet_view.rightToLeft = True
