"""The template survives LibreOffice: re-saved as .xlsx, its dropdowns, values and metadata are intact."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from capacity.i18n import LANGUAGES, is_right_to_left
from capacity.questionnaire import layout
from capacity.questionnaire.template import build_template
from tests.libreoffice import convert
from tests.workbooks import fingerprint

pytestmark = [pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_libreoffice_keeps_dropdowns_values_and_metadata(lang: str) -> None:
    original = build_template(lang=lang)
    resaved = convert(original, ".xlsx", "xlsx")
    before, after = fingerprint(original), fingerprint(resaved)
    assert list(after) == list(before)
    for title, sheet in before.items():
        assert after[title]["state"] == sheet["state"], title
        assert after[title]["protected"] == sheet["protected"], title
        assert after[title]["unlocked"] == sheet["unlocked"], title
        trimmed = [[v for v in row] for row in after[title]["values"] if any(v is not None for v in row)]
        assert trimmed == [row for row in sheet["values"] if any(v is not None for v in row)], title
        # LibreOffice may quote sheet names differently; the ranges and their targets must match.
        normalise = {k: v.replace("'", "") for k, v in sheet["validations"].items()}
        assert {k: v.replace("'", "") for k, v in after[title]["validations"].items()} == normalise, title
    wb = load_workbook(io.BytesIO(resaved))
    assert wb[layout.SHEET_META]["B1"].value == "hd-capacity"
    visible = [sheet for sheet in wb.worksheets if sheet.sheet_state == "visible"]
    assert all(bool(sheet.sheet_view.rightToLeft) == is_right_to_left(lang) for sheet in visible)
