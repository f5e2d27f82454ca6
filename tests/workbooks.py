"""Helpers to compare workbooks by content (bytes differ with every save's timestamps)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook


def validation_lists(ws) -> dict[str, str]:
    """Each data validation's cell ranges → its formula (list source, or bounds for numbers).

    A list has no second formula; LibreOffice writes a meaningless "0" there, so it is left out.
    """
    return {
        str(dv.sqref): f"{dv.type}:{dv.formula1}" + ("" if dv.type == "list" else f":{dv.formula2}")
        for dv in ws.data_validations.dataValidation
    }


def fingerprint(data: bytes) -> dict[str, Any]:
    """Everything a respondent sees or relies on: sheets, states, values, validations, protection."""
    wb = load_workbook(io.BytesIO(data))
    result: dict[str, Any] = {}
    for ws in wb.worksheets:
        result[ws.title] = {
            "state": ws.sheet_state,
            "values": [[cell.value for cell in row] for row in ws.iter_rows()],
            "validations": validation_lists(ws),
            "protected": bool(ws.protection.sheet),
            "unlocked": sorted(
                cell.coordinate for row in ws.iter_rows() for cell in row if cell.protection.locked is False
            ),
        }
    return result
