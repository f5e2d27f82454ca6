"""The questionnaire template: structure, dropdowns, protection, metadata, and the committed copy."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from capacity.framework import current_framework
from capacity.i18n import LANGUAGES, is_right_to_left, translator
from capacity.questionnaire import layout
from capacity.questionnaire.template import build_template, level_choices
from tests.workbooks import fingerprint

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = {lang: ROOT / "assessments" / f"questionnaire-template-{lang}.xlsx" for lang in LANGUAGES}


@pytest.fixture(scope="module", params=list(LANGUAGES))
def workbook(request):
    lang = request.param
    return lang, load_workbook(io.BytesIO(build_template(lang=lang)))


def _sheet(wb, lang: str, msgid: str):
    return wb[translator(lang)(msgid)]


def _list_values(wb, formula: str) -> list[str]:
    sheet_part, cell_range = formula.rsplit("!", 1)
    ws = wb[sheet_part.strip("'")]
    min_col, min_row, _, max_row = range_boundaries(cell_range.replace("$", ""))
    return [ws.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]


def test_sheets_are_in_order_and_metadata_is_hidden(workbook) -> None:
    lang, wb = workbook
    t = translator(lang)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == [t(layout.SHEET_INSTRUCTIONS), t(layout.SHEET_ORGANISATION), t(layout.SHEET_RESPONSES)]
    meta = wb[layout.SHEET_META]
    assert meta.sheet_state == "hidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    framework = current_framework()
    assert values == {
        "framework_id": framework.id,
        "framework_version": framework.version,
        "template_version": layout.TEMPLATE_VERSION,
        "language": lang,
    }
    assert wb.active.title == t(layout.SHEET_INSTRUCTIONS)


def test_organisation_sheet_has_exactly_the_labels_and_dropdowns(workbook) -> None:
    lang, wb = workbook
    t = translator(lang)
    ws = _sheet(wb, lang, layout.SHEET_ORGANISATION)
    labels = [
        ws.cell(row=r, column=1).value.rstrip(" *") for r in range(2, 2 + len(layout.ORGANISATION_FIELDS))
    ]
    assert labels == [t(f.label) for f in layout.ORGANISATION_FIELDS]
    if lang == "en":
        assert labels == [
            "Organisation ID",
            "Organisation name",
            "Organisation type",
            "Country",
            "Region",
            "Assessment year",
            "Respondent name",
            "Respondent role",
            "Date completed",
        ]
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    type_row = 2 + [f.key for f in layout.ORGANISATION_FIELDS].index("organisation_type")
    role_row = 2 + [f.key for f in layout.ORGANISATION_FIELDS].index("respondent_role")
    assert _list_values(wb, lists[f"B{type_row}"].formula1) == [
        t(v) for v in layout.ORGANISATION_TYPES.values()
    ]
    assert _list_values(wb, lists[f"B{role_row}"].formula1) == [
        t(v) for v in layout.RESPONDENT_ROLES.values()
    ]
    if lang == "en":
        assert "National Red Crescent/Red Cross society" in _list_values(wb, lists[f"B{type_row}"].formula1)


def test_responses_sheet_has_one_row_per_indicator_with_descriptors(workbook) -> None:
    lang, wb = workbook
    t = translator(lang)
    framework = current_framework()
    ws = _sheet(wb, lang, layout.SHEET_RESPONSES)
    headers = [c.value for c in ws[layout.HEADER_ROW]]
    assert headers == [t(c.header) for c in layout.RESPONSE_COLUMNS]
    for required in ("Code", "Dimension", "Indicator", "Question", "Level", "Evidence", "Evidence link"):
        assert t(required) in headers
    code_col = headers.index(t("Code")) + 1
    desc_col = headers.index(t("Level descriptors (0–5)")) + 1
    rows = list(range(layout.HEADER_ROW + 1, ws.max_row + 1))
    assert [ws.cell(row=r, column=code_col).value for r in rows] == [i.code for i in framework.indicators]
    for r, indicator in zip(rows, framework.indicators, strict=True):
        descriptors = ws.cell(row=r, column=desc_col).value
        for level in range(6):
            assert (
                f"{framework.level_label(level, lang)}: {indicator.descriptors[level](lang)}" in descriptors
            )


def test_level_dropdown_covers_every_indicator_row(workbook) -> None:
    lang, wb = workbook
    framework = current_framework()
    ws = _sheet(wb, lang, layout.SHEET_RESPONSES)
    level_letter = "ABCDEFGH"[[c.key for c in layout.RESPONSE_COLUMNS].index("level")]
    (dv,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(level_letter)]
    first, last = layout.HEADER_ROW + 1, layout.HEADER_ROW + len(framework.indicators)
    assert str(dv.sqref) == f"{level_letter}{first}:{level_letter}{last}"
    choices = _list_values(wb, dv.formula1)
    assert choices == level_choices(framework, lang)
    if lang == "en":
        assert choices == [
            "0 – Absent",
            "1 – Initial",
            "2 – Developing",
            "3 – Established",
            "4 – Advanced",
            "5 – Leading",
            "N/A",
        ]
    assert dv.showErrorMessage


def test_only_answer_cells_are_unlocked_and_sheets_are_protected_without_password(workbook) -> None:
    lang, wb = workbook
    framework = current_framework()
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.protection.sheet
        assert not ws.protection.password
    org = _sheet(wb, lang, layout.SHEET_ORGANISATION)
    unlocked = {c.coordinate for row in org.iter_rows() for c in row if c.protection.locked is False}
    assert unlocked == {f"B{r}" for r in range(2, 2 + len(layout.ORGANISATION_FIELDS))}
    responses = _sheet(wb, lang, layout.SHEET_RESPONSES)
    answer_letters = {"ABCDEFGH"[i] for i, c in enumerate(layout.RESPONSE_COLUMNS) if c.answer}
    unlocked = {c.coordinate for row in responses.iter_rows() for c in row if c.protection.locked is False}
    rows = range(layout.HEADER_ROW + 1, layout.HEADER_ROW + 1 + len(framework.indicators))
    assert unlocked == {f"{letter}{r}" for letter in answer_letters for r in rows}


def test_print_setup_is_a4_landscape_fitted_to_width(workbook) -> None:
    lang, wb = workbook
    ws = _sheet(wb, lang, layout.SHEET_RESPONSES)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
    assert ws.freeze_panes is not None


def test_every_sheet_reads_in_the_direction_of_the_language(workbook) -> None:
    """Arabic sheets open right to left (column A on the right); English and Turkish do not."""
    lang, wb = workbook
    assert {ws.title: bool(ws.sheet_view.rightToLeft) for ws in wb.worksheets} == dict.fromkeys(
        wb.sheetnames, is_right_to_left(lang)
    )
    assert is_right_to_left("ar") and not is_right_to_left("tr")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_committed_template_is_up_to_date(lang: str) -> None:
    """Regenerate with `make template` when this fails."""
    assert COMMITTED[lang].exists(), f"{COMMITTED[lang]} is missing: run `make template`"
    assert fingerprint(COMMITTED[lang].read_bytes()) == fingerprint(build_template(lang=lang))


def test_the_cli_writes_the_template(tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "capacity", "template", "--out", str(out), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    assert fingerprint(out.read_bytes()) == fingerprint(build_template(lang="en"))
