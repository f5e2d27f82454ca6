"""Writes the Excel questionnaire from the framework (openpyxl).

A manager must be able to fill it in offline without any other document: every question
carries its six level descriptors, the answer cells are the only unlocked cells, and the
dropdowns hold exactly the values the reader accepts. The hidden `_meta` sheet records
the framework id and version so an upload can be matched to the framework it answered.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from capacity.export import safe
from capacity.framework import LEVELS, Framework, current_framework
from capacity.i18n import normalise_language, translator
from capacity.questionnaire import layout
from capacity.questionnaire.submission import Submission
from capacity.sheets import lay_out_for

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ANSWER_FILL = PatternFill("solid", fgColor="FFF4CC")  # pale yellow: "write here"
DIMENSION_FILLS = ("EEF3F8", "F7F7F7")
THIN = Side(style="thin", color="B7B7B7")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
POINTS_PER_LINE = 13.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def level_choices(framework: Framework, lang: str) -> list[str]:
    """The Level dropdown entries, e.g. `3 – Established`, then N/A."""
    t = translator(lang)
    return [framework.level_label(level, lang) for level in LEVELS] + [t(layout.NOT_APPLICABLE)]


def _estimated_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (for row heights)."""
    chars_per_line = max(int(width * 1.1), 1)
    return sum(max(1, math.ceil(len(part) / chars_per_line)) for part in str(text).split("\n"))


def _fit_row(ws: Worksheet, row: int, texts: Iterable[tuple[str, float]]) -> None:
    lines = max(_estimated_lines(text, width) for text, width in texts)
    ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, max(18.0, lines * POINTS_PER_LINE + 4))


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def _protect(ws: Worksheet) -> None:
    """Protect without a password; respondents may still resize rows and columns."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _choice_lists(framework: Framework, lang: str) -> dict[str, list[str]]:
    """The dropdown choices, in the file's language."""
    t = translator(lang)
    return {
        "levels": level_choices(framework, lang),
        "types": [t(label) for label in layout.ORGANISATION_TYPES.values()],
        "roles": [t(label) for label in layout.RESPONDENT_ROLES.values()],
    }


def _list_ranges(lists: dict[str, list[str]]) -> dict[str, str]:
    """Where each list will sit on the hidden `_lists` sheet, as a validation formula."""
    ranges = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        ranges[name] = f"{quote_sheetname(layout.SHEET_LISTS)}!${letter}$1:${letter}${len(values)}"
    return ranges


def _write_lists(wb: Workbook, lists: dict[str, list[str]]) -> None:
    ws = wb.create_sheet(layout.SHEET_LISTS)
    for col, values in enumerate(lists.values(), start=1):
        for row, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    ws.sheet_state = "hidden"


def _write_meta(wb: Workbook, framework: Framework, lang: str) -> None:
    ws = wb.create_sheet(layout.SHEET_META)
    rows = [
        (layout.META_FRAMEWORK_ID, framework.id),
        (layout.META_FRAMEWORK_VERSION, framework.version),
        (layout.META_TEMPLATE_VERSION, layout.TEMPLATE_VERSION),
        (layout.META_LANGUAGE, lang),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    ws.sheet_state = "hidden"


def _write_instructions(wb: Workbook, framework: Framework, lang: str) -> None:
    t = translator(lang)
    ws = wb.active
    ws.title = t(layout.SHEET_INSTRUCTIONS)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    ws["A1"] = framework.title(lang)
    ws["A1"].font = Font(bold=True, size=16, color="1F3A5F")
    ws["A2"] = t(
        "Capacity self-assessment questionnaire · framework {framework} version {version}",
        framework=framework.id,
        version=framework.version,
    )
    ws["A2"].font = Font(italic=True, color="555555")
    steps = [
        (
            t("Purpose"),
            t(
                "This questionnaire measures your organisation's capacity for humanitarian diplomacy "
                "in six dimensions. Honest answers give you a useful picture of where to improve; "
                "the results are compared with the 2015–2023–2053 roadmap."
            ),
        ),
        (
            t("Step 1"),
            t(
                "On the sheet '{sheet}', fill in the yellow cells in column B. Organisation ID, "
                "Organisation name, Assessment year and Respondent role are required.",
                sheet=t(layout.SHEET_ORGANISATION),
            ),
        ),
        (
            t("Step 2"),
            t(
                "On the sheet '{sheet}', read each question and its six level descriptors, then choose "
                "the level that best matches what an outsider would actually find today. Choose the "
                "highest level whose description is fully true.",
                sheet=t(layout.SHEET_RESPONSES),
            ),
        ),
        (
            t("Step 3"),
            t(
                "Under Evidence, name the documents that prove the level (see the guidance in each "
                "row's descriptors). Add a link if the document is online."
            ),
        ),
        (
            t("Not applicable"),
            t(
                "Choose N/A only when the indicator cannot apply to your organisation's mandate. "
                "N/A and blank answers are never scored as 0; a dimension with too many blanks "
                "gets no score."
            ),
        ),
        (
            t("Several respondents"),
            t(
                "Several people from the same organisation may each fill in a copy. "
                "Their answers are combined and their agreement is measured."
            ),
        ),
        (
            t("Step 4"),
            t(
                "Save the file as .xlsx (or .ods) and upload it on the Upload page of the dashboard. "
                "You will see at once whether it was accepted and, if not, which cells to fix."
            ),
        ),
    ]
    row = 4
    for heading, text in steps:
        ws.cell(row=row, column=1, value=heading).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=text)
        cell.alignment = WRAP_TOP
        ws.cell(row=row, column=1).alignment = WRAP_TOP
        _fit_row(ws, row, [(text, 100)])
        row += 1
    row += 1
    ws.cell(row=row, column=1, value=t("The scale")).font = Font(bold=True, size=13, color="1F3A5F")
    row += 1
    scale_meaning = [
        t("Nothing exists or is done."),
        t("Done occasionally, depending on individuals; nothing written down."),
        t("Some documented practice, applied inconsistently."),
        t("Formal, documented and applied routinely."),
        t("Systematically measured, reviewed and improved, with results to show."),
        t("Recognised by others as a reference; shapes partners' practice."),
    ]
    for level, meaning in zip(LEVELS, scale_meaning, strict=True):
        ws.cell(row=row, column=1, value=framework.level_label(level, lang)).font = Font(bold=True)
        ws.cell(row=row, column=2, value=meaning).alignment = WRAP_TOP
        row += 1
    ws.cell(row=row, column=1, value=t(layout.NOT_APPLICABLE)).font = Font(bold=True)
    ws.cell(row=row, column=2, value=t("Not applicable to your organisation's mandate.")).alignment = WRAP_TOP
    row += 2
    ws.cell(row=row, column=1, value=t("Dimensions")).font = Font(bold=True, size=13, color="1F3A5F")
    row += 1
    for dim in framework.dimensions:
        ws.cell(row=row, column=1, value=f"{dim.code} · {dim.name(lang)}").font = Font(bold=True)
        ws.cell(row=row, column=1).alignment = WRAP_TOP
        ws.cell(row=row, column=2, value=dim.description(lang)).alignment = WRAP_TOP
        _fit_row(ws, row, [(dim.description(lang), 100), (dim.name(lang), 22)])
        row += 1
    _print_setup(ws)
    _protect(ws)


def _write_organisation(
    wb: Workbook, ranges: dict[str, str], lang: str, prefill: Submission | None, complete: bool
) -> None:
    t = translator(lang)
    ws = wb.create_sheet(t(layout.SHEET_ORGANISATION))
    for col, (header, width) in enumerate(
        ((t("Field"), 26), (t("Your answer"), 44), (t("Help"), 60)), start=1
    ):
        cell = ws.cell(row=1, column=col, value=header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    values = _prefill_organisation(prefill, lang, complete)
    for row, fld in enumerate(layout.ORGANISATION_FIELDS, start=layout.ORGANISATION_FIRST_ROW):
        label = ws.cell(row=row, column=1, value=t(fld.label) + (" *" if fld.required else ""))
        label.font = Font(bold=fld.required)
        answer = safe.write(
            ws, row, layout.ORGANISATION_ANSWER_COLUMN, values.get(fld.key)
        )  # stored text: never a formula
        answer.fill, answer.protection, answer.border = ANSWER_FILL, UNLOCKED, BORDER
        ws.cell(row=row, column=3, value=t(fld.help)).alignment = WRAP_TOP
        ws.row_dimensions[row].height = 20
    first = layout.ORGANISATION_FIRST_ROW
    rows = {fld.key: row for row, fld in enumerate(layout.ORGANISATION_FIELDS, start=first)}
    validations = [
        DataValidation(type="list", formula1=ranges["types"], allow_blank=True),
        DataValidation(type="list", formula1=ranges["roles"], allow_blank=False),
        DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=False),
    ]
    for dv, key in zip(validations, ("organisation_type", "respondent_role", "year"), strict=True):
        dv.error = (
            t("Choose a value from the list.")
            if dv.type == "list"
            else t("Enter a year between 2000 and 2100.")
        )
        dv.errorTitle = t("Not a valid answer")
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(layout.organisation_cell(key))
    ws.cell(row=rows["date_completed"], column=2).number_format = "yyyy-mm-dd"
    footer = len(layout.ORGANISATION_FIELDS) + 3
    ws.cell(row=footer, column=1, value=t("* required")).font = Font(italic=True, color="555555")
    ws.freeze_panes = "A2"
    _print_setup(ws)
    _protect(ws)


def _prefill_organisation(prefill: Submission | None, lang: str, complete: bool) -> dict[str, object]:
    """Organisation values to pre-fill; respondent and year only for a `complete` copy."""
    if prefill is None:
        return {}
    t = translator(lang)
    values: dict[str, object] = {
        "organisation_id": prefill.organisation_id,
        "organisation_name": prefill.organisation_name,
        "organisation_type": t(layout.ORGANISATION_TYPES[prefill.organisation_type])
        if prefill.organisation_type
        else None,
        "country": prefill.country or None,
        "region": prefill.region or None,
    }
    if complete:
        values.update(
            year=prefill.year,
            respondent_name=prefill.respondent_name or None,
            respondent_role=t(layout.RESPONDENT_ROLES[prefill.respondent_role]),
            date_completed=prefill.date_completed,
        )
    return values


def _framework_text(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """A cell of the framework's own text, written as it is."""
    return ws.cell(row=row, column=column, value=value)


def _descriptor_text(framework: Framework, code: str, lang: str) -> str:
    indicator = framework.indicator(code)
    return "\n".join(
        f"{framework.level_label(level, lang)}: {indicator.descriptors[level](lang)}" for level in LEVELS
    )


def _write_responses(
    wb: Workbook, framework: Framework, ranges: dict[str, str], lang: str, prefill: Submission | None
) -> None:
    t = translator(lang)
    ws = wb.create_sheet(t(layout.SHEET_RESPONSES))
    columns = {col.key: idx for idx, col in enumerate(layout.RESPONSE_COLUMNS, start=1)}
    for idx, col in enumerate(layout.RESPONSE_COLUMNS, start=1):
        cell = ws.cell(row=layout.HEADER_ROW, column=idx, value=t(col.header))
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    ws.row_dimensions[layout.HEADER_ROW].height = 30
    level_dv = DataValidation(type="list", formula1=ranges["levels"], allow_blank=True)
    level_dv.error = t("Choose a level 0–5 or N/A from the list.")
    level_dv.errorTitle = t("Not a level")
    level_dv.showErrorMessage = True
    level_dv.prompt = t("Choose the highest level whose description is fully true today.")
    level_dv.showInputMessage = True
    ws.add_data_validation(level_dv)
    choices = level_choices(framework, lang)
    row = layout.HEADER_ROW
    for dim_pos, dim in enumerate(framework.dimensions):
        fill = PatternFill("solid", fgColor=DIMENSION_FILLS[dim_pos % 2])
        for indicator in dim.indicators:
            row += 1
            previous = prefill.answers.get(indicator.code) if prefill else None
            level_value = None
            if previous is not None and previous.level is not None:
                level_value = choices[previous.level]
            elif previous is not None and previous.not_applicable:
                level_value = choices[-1]
            values = {
                "code": indicator.code,
                "dimension": dim.name(lang),
                "indicator": indicator.title(lang),
                "question": indicator.question(lang)
                + "\n\n"
                + t("Evidence: {guidance}", guidance=indicator.evidence(lang)),
                "descriptors": _descriptor_text(framework, indicator.code, lang),
                "level": level_value,
                "evidence": previous.evidence if previous else None,
                "evidence_link": previous.evidence_link if previous else None,
            }
            for key, idx in columns.items():
                column = layout.RESPONSE_COLUMNS[idx - 1]
                # an answer cell carries stored text (evidence, links): written as text, never a formula
                write = safe.write if column.answer else _framework_text
                cell = write(ws, row, idx, values[key] or None)
                cell.alignment, cell.border = WRAP_TOP, BORDER
                if column.answer:
                    cell.fill, cell.protection = ANSWER_FILL, UNLOCKED
                else:
                    cell.fill = fill
            ws.cell(row=row, column=columns["code"]).font = Font(bold=True)
            _fit_row(ws, row, [(values["descriptors"], 62), (values["question"], 38)])
    level_letter = get_column_letter(columns["level"])
    level_dv.add(f"{level_letter}{layout.HEADER_ROW + 1}:{level_letter}{row}")
    ws.freeze_panes = ws.cell(row=layout.HEADER_ROW + 1, column=columns["indicator"] + 1)
    ws.auto_filter.ref = f"A{layout.HEADER_ROW}:{get_column_letter(len(columns))}{row}"
    _print_setup(ws, title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}")
    _protect(ws)
    ws.protection.autoFilter = False


def build_template(
    framework: Framework | None = None,
    lang: str = "en",
    prefill: Submission | None = None,
    complete: bool = False,
) -> bytes:
    """The questionnaire as .xlsx bytes.

    `prefill` carries the organisation and answers of an earlier round, so a manager
    updates rather than retypes; with `complete=True` the year and respondent are written
    too, which makes a fully filled questionnaire (demo data, tests, benchmarks).
    """
    framework = framework or current_framework()
    lang = normalise_language(lang)
    wb = Workbook()
    _write_instructions(wb, framework, lang)
    lists = _choice_lists(framework, lang)
    ranges = _list_ranges(lists)
    _write_organisation(wb, ranges, lang, prefill, complete)
    _write_responses(wb, framework, ranges, lang, prefill)
    _write_lists(wb, lists)
    _write_meta(wb, framework, lang)
    lay_out_for(wb.worksheets, lang)
    wb.properties.title = framework.title(lang)
    wb.properties.creator = "Humanitarian Diplomacy Capacity Dashboard"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
