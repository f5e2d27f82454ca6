"""The Excel scorecard: one workbook per organisation and year, built to be printed and worked on.

Sheets: a cover with the headline figures, the dimensions with their roadmap status
(coloured by conditional formatting on the status symbol, so the colour follows the
engine's status and never a threshold re-computed in Excel) and two native Excel charts,
the indicators, a priority action plan with empty Owner / Due date / Status columns to
fill in, the improvement plan the organisation recorded (with each action's before and
after), and the method. Figures are numeric cells holding the engine's unrounded values,
formatted to one decimal, so Excel can still compute with them. Every text cell goes
through `safe.write`, so no upload can plant a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from capacity.charts import STATUS_COLOURS
from capacity.export import safe
from capacity.export.colours import rgb, text_on
from capacity.export.scorecard import ACTION_STATUSES, Scorecard, empty_plan_text, method_paragraphs
from capacity.framework import current_framework
from capacity.i18n import format_date, is_right_to_left, translator
from capacity.labels import (
    GAP_HELP,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    arrow_legend,
    arrow_text,
    gap_title,
    organisation_type_label,
    projection_sentence,
    region_label,
    status_key,
    status_legend,
    status_text,
)
from capacity.plans.report import EXPORT_HEADERS
from capacity.roadmap import INDEX
from capacity.sheets import lay_out_for

BRAND = "1F4E79"
HEADER_FILL = PatternFill("solid", fgColor=BRAND)
FONT_NAME, FONT_SIZE = "Calibri", 10
LINE_HEIGHT = 13.5  # points per line of 10-point text
NOTE_LINE_HEIGHT = 17.0  # italic notes with symbols: Arabic fonts set taller lines than Calibri
# Calibri 10 (and LibreOffice's Carlito) fits about 1.15 average characters per unit of
# Excel's column width (one "0"), and about 0.95 bold capitals or long words; the header
# widths and row heights use these.
CHARACTERS_PER_WIDTH, BOLD_CHARACTERS_PER_WIDTH = 1.15, 0.95
HEADER_WIDTH_PADDING = 1.5
PRINT_MARGIN_SIDES, PRINT_MARGIN_ENDS, PRINT_HEADER_FOOTER = 0.4, 0.5, 0.25  # inches
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color=BRAND)
NOTE_FONT = Font(name=FONT_NAME, size=FONT_SIZE, italic=True, color="555555")
BODY = Font(name=FONT_NAME, size=FONT_SIZE)
BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
ONE_DECIMAL, NO_DECIMALS, PERCENT, DATE = "0.0", "0", "0%", "yyyy-mm-dd"
TABLE_HEADER_ROW = 4  # title, note, blank line, then the table
COVER_WIDTHS = (42, 62)
COVER_WIDTH = sum(COVER_WIDTHS)
# The Indicators sheet: wide text columns wrap the level descriptions and evidence into few
# lines, so the 36 indicators print on at most three landscape A4 pages at a readable size.
INDICATOR_WIDTHS = (7, 9, 28, 6, 13, 50, 12, 11, 12, 8, 12, 50)
ACTION_ROWS_TO_FILL = 3  # blank rows left under the action plan for the organisation's own actions

# Chart sizes (height, width in cm): large enough to read printed on landscape A4.
RADAR_SIZE, GAP_BARS_SIZE = (12, 16), (12, 15)
CHART_ROW_HEIGHT, CM_PER_INCH, POINTS_PER_INCH = 15.0, 2.54, 72
# Series colours of the native charts, matching the dashboards' radar (capacity.charts).
SCORE_COLOUR, MIDPOINT_COLOUR, VISION_COLOUR = "0072B2", "E69F00", "009E73"


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _status_fill(status: str) -> PatternFill:
    colour = _hex(STATUS_COLOURS[status])
    return PatternFill("solid", fgColor=colour, bgColor=colour)


def _status_ink(status: str, bold: bool = False) -> Font:
    """Black or white text, whichever meets WCAG AA on the status's colour."""
    ink = "{:02X}{:02X}{:02X}".format(*text_on(rgb(STATUS_COLOURS[status])))
    return Font(name=FONT_NAME, size=FONT_SIZE, bold=bold, color=ink)


def _number(value: Any) -> float | None:
    """A figure for a numeric cell: None when missing (None or NaN)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def _status(value: Any) -> str:
    return status_key(None if value is None or pd.isna(value) else str(value))


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _title(sheet: Worksheet, title: str, note: str = "") -> None:
    safe.write(sheet, 1, 1, title).font = TITLE_FONT
    if note:
        safe.write(sheet, 2, 1, note).font = NOTE_FONT


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    """Table titles that wrap between words only: a column narrower than a title's longest word is widened.

    Call it after `_widths` and before the rows, whose heights follow the final widths.
    """
    for column, title in enumerate(titles, start=1):
        cell = safe.write(sheet, row, column, title)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = sheet.column_dimensions[get_column_letter(column)]
        dimension.width = max(dimension.width or 0, header_width(title))
    lines = max(
        _lines(title, sheet.column_dimensions[get_column_letter(c)].width, BOLD_CHARACTERS_PER_WIDTH)
        for c, title in enumerate(titles, start=1)
    )
    sheet.row_dimensions[row].height = max(lines, 2) * LINE_HEIGHT + 4


def header_width(title: str) -> float:
    """The column width (in Excel's character units) that holds `title`'s longest word in bold."""
    longest = max((len(word) for word in title.split()), default=0)
    return round(longest / BOLD_CHARACTERS_PER_WIDTH + HEADER_WIDTH_PADDING, 1)


def _row(sheet: Worksheet, row: int, values: Sequence[Any], formats: Sequence[str | None]) -> None:
    """One boxed, wrapped table row; numbers get the format at their position in `formats`.

    Set the column widths first: the row is made tall enough for its longest wrapped text.
    """
    for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
        cell = safe.write(sheet, row, column, value)
        cell.border, cell.alignment, cell.font = BOX, WRAP, BODY
        if number_format and isinstance(cell.value, int | float):
            cell.number_format = number_format
    _fit_height(sheet, row, len(values))


def _lines(text: str, width: float, per_width: float = CHARACTERS_PER_WIDTH) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a close estimate)."""
    per_line = max(int(width * per_width), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _fit_height(sheet: Worksheet, row: int, columns: int, first_column: int = 1) -> None:
    """Spreadsheets do not grow rows for wrapped text on opening, so the height is set here."""
    lines = 1
    for column in range(first_column, first_column + columns):
        value = sheet.cell(row, column).value
        if isinstance(value, str):
            width = sheet.column_dimensions[get_column_letter(column)].width or 8.43
            lines = max(lines, _lines(value, width))
    if lines > 1:
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT + 2


def _print_setup(sheet: Worksheet, landscape: bool, header_row: int | None = None) -> None:
    """A4, fitted to the page width, the table header repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = PRINT_MARGIN_SIDES
    sheet.page_margins.top = sheet.page_margins.bottom = PRINT_MARGIN_ENDS
    sheet.page_margins.header = sheet.page_margins.footer = PRINT_HEADER_FOOTER
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)


def _period(trend: pd.Series) -> str:
    if _number(trend["from_year"]) is None:
        return "–"
    return f"{int(trend['from_year'])}–{int(trend['to_year'])}"


def _projected(trend: Any, lang: str) -> str:
    return projection_sentence(_number(trend["projected_year"]), trend["arrow"], lang)


def _level_label(label: Any, lang: str) -> str:
    return "–" if _number(label) is None else current_framework().level_label(int(label), lang)


# ---------------------------------------------------------------- cover


def _cover(sheet: Worksheet, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang, result, organisation = scorecard.lang, scorecard.result, scorecard.organisation
    index, trend = scorecard.index_row, scorecard.index_trend
    _widths(sheet, COVER_WIDTHS)
    leading = "right" if is_right_to_left(lang) else "left"  # values start where their labels end
    _title(sheet, t("Capacity scorecard"), scorecard.framework_title)
    facts: list[tuple[str, Any, str | None]] = [
        (t("Organisation"), organisation.name, None),
        (t("Organisation ID"), organisation.organisation_id, None),
        (t("Organisation type"), organisation_type_label(organisation.organisation_type, lang), None),
        (t("Country"), organisation.country or "–", None),
        (t("Region"), region_label(organisation.region, lang) or "–", None),
        (t("Assessment year"), result.year, NO_DECIMALS),
        (t("Respondents"), result.respondents, NO_DECIMALS),
        (t("Capacity index (0–100)"), _number(index["score"]), ONE_DECIMAL),
        (t("Level"), _level_label(index["label"], lang), None),
        (t("Roadmap status"), status_text(index["status"], lang), None),
        (t("Expected by the roadmap in {year}", year=result.year), _number(index["expected"]), ONE_DECIMAL),
        (t("Gap to the expectation (points)"), _number(index["gap"]), ONE_DECIMAL),
        (t("Gap to the 2023 target (points)"), _number(index["gap_2023"]), ONE_DECIMAL),
        (t("Gap to the 2053 vision (points)"), _number(index["gap_2053"]), ONE_DECIMAL),
        (t("Trend ({period})", period=_period(trend)), arrow_text(trend["arrow"], lang), None),
        (t("Points per year"), _number(trend["actual_rate"]), ONE_DECIMAL),
        (t("Needed per year"), _number(trend["required_rate"]), ONE_DECIMAL),
        (t("Projection at the current pace"), _projected(trend, lang), None),
        (t("Created on"), format_date(scorecard.created, lang), None),
        (t("Framework"), f"{scorecard.framework_id} {scorecard.framework_version}", None),
        (t("Roadmap"), f"{scorecard.roadmap_id} {scorecard.roadmap_version}", None),
    ]
    first = TABLE_HEADER_ROW
    for offset, (label, value, number_format) in enumerate(facts):
        row = first + offset
        safe.write(sheet, row, 1, label).font = BOLD
        cell = safe.write(sheet, row, 2, value)
        cell.alignment, cell.font = Alignment(horizontal=leading, vertical="top", wrap_text=True), BODY
        if number_format and isinstance(cell.value, int | float):
            cell.number_format = number_format
        for column in (1, 2):
            sheet.cell(row, column).border = BOX
        _fit_height(sheet, row, 2)
    index_cell = sheet.cell(first + 7, 2)
    index_cell.font = Font(name=FONT_NAME, bold=True, size=18, color=BRAND)
    sheet.row_dimensions[first + 7].height = 26
    status_cell = sheet.cell(first + 9, 2)
    status_cell.fill = _status_fill(_status(index["status"]))
    status_cell.font = _status_ink(_status(index["status"]), bold=True)
    contents = first + len(facts) + 1
    safe.write(sheet, contents, 1, t("In this workbook")).font = BOLD
    for offset, line in enumerate(
        (
            t("Dimensions: each dimension's score, level and roadmap status, with two charts."),
            t(
                "Indicators: the level of record of every indicator, self-assessment against evaluator, "
                "evidence."
            ),
            t(
                "Action plan: the indicators furthest behind the roadmap, the next step, and columns to "
                "fill in."
            ),
            t("Method: how every figure is computed, and the framework and roadmap versions used."),
        ),
        start=1,
    ):
        row = contents + offset
        cell = safe.write(sheet, row, 1, f"• {line}")
        cell.font, cell.alignment = BODY, WRAP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)  # wraps on the page
        sheet.row_dimensions[row].height = _lines(line, COVER_WIDTH) * LINE_HEIGHT + 2
    _print_setup(sheet, landscape=False)


# ---------------------------------------------------------------- dimensions


def _dimensions(sheet: Worksheet, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang, year = scorecard.lang, scorecard.year
    _widths(sheet, (6, 30, 8, 17, 18, 10, 12, 9, 9, 9, 10, 10, 23))
    _title(
        sheet,
        t("Dimensions, {year}", year=year),
        t(
            "Scores run from 0 to 100. The status compares each score with what the roadmap expects in "
            "{year}; its colour and symbol say the same.",
            year=year,
        ),
    )
    header = [
        t("Code"),
        t("Dimension"),
        t("Score"),
        t("Level"),
        t("Roadmap status"),
        t("Expected in {year}", year=year),
        t("Gap to the expectation"),
        t("Target 2023"),
        t("Target 2053"),
        t("Gap to 2053"),
        t("Coverage"),
        t("Lowest indicator level"),
        t("Trend"),
    ]
    formats = [
        None,
        None,
        ONE_DECIMAL,
        None,
        None,
        ONE_DECIMAL,
        ONE_DECIMAL,
        ONE_DECIMAL,
        ONE_DECIMAL,
        ONE_DECIMAL,
        PERCENT,
        ONE_DECIMAL,
        None,
    ]
    _header(sheet, TABLE_HEADER_ROW, header)
    for offset, row in enumerate(scorecard.dimensions.itertuples(index=False), start=1):
        if row.not_applicable:
            level = t("not applicable")
        elif row.insufficient_data:
            level = t("insufficient data")
        else:
            level = _level_label(row.label, lang)
        values = [
            "" if row.target == INDEX else row.target,
            row.name,
            _number(row.score),
            level,
            status_text(row.status, lang),
            _number(row.expected),
            _number(row.gap),
            _number(row.midpoint),
            _number(row.vision),
            _number(row.gap_2053),
            _number(row.coverage),
            _number(row.floor_level),
            arrow_text(row.arrow, lang),
        ]
        _row(sheet, TABLE_HEADER_ROW + offset, values, formats)
        if row.target == INDEX:
            for column in range(1, len(header) + 1):
                sheet.cell(TABLE_HEADER_ROW + offset, column).font = BOLD
    first = TABLE_HEADER_ROW + 1
    last = TABLE_HEADER_ROW + len(scorecard.dimensions)
    _colour_by_status(sheet, first, last, status_column="E", columns=("C", "E"))
    dimensions_last = first + len(scorecard.dimension_table) - 1
    chart_row = last + 2
    sheet.add_chart(_radar(sheet, scorecard, first, dimensions_last), f"A{chart_row}")
    sheet.add_chart(_gap_bars(sheet, scorecard, first, dimensions_last), f"G{chart_row}")
    chart_rows = math.ceil(
        max(RADAR_SIZE[0], GAP_BARS_SIZE[0]) / CM_PER_INCH * POINTS_PER_INCH / CHART_ROW_HEIGHT
    )
    for row in range(chart_row, chart_row + chart_rows):
        sheet.row_dimensions[row].height = CHART_ROW_HEIGHT  # fixed, so the legends start under the charts
    legends = (
        t(GAP_HELP),
        t("Roadmap status ({year}):", year=year) + "\n" + status_legend(lang, "\n"),
        t("Trend:") + "\n" + arrow_legend(lang, "\n"),
    )
    width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, len(header) + 1))
    for offset, legend in enumerate(legends, start=chart_row + chart_rows + 1):
        cell = safe.write(sheet, offset, 1, legend)
        cell.alignment, cell.font = WRAP, NOTE_FONT
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=len(header))
        sheet.row_dimensions[offset].height = _lines(legend, width) * NOTE_LINE_HEIGHT + 2
    _print_setup(sheet, landscape=True)


def _colour_by_status(
    sheet: Worksheet, first: int, last: int, status_column: str, columns: Sequence[str]
) -> None:
    """Fill the cells of `columns` with the colour of the status whose symbol starts the status cell.

    The text takes black or white, whichever reads on the fill (WCAG AA).
    """
    for column in columns:
        cells = f"{column}{first}:{column}{last}"
        for status in STATUS_ORDER:
            sign = f"{STATUS_SYMBOLS[status]} "  # with its space: "!" must not match "!! behind"
            sheet.conditional_formatting.add(
                cells,
                FormulaRule(
                    formula=[f'LEFT(${status_column}{first},{len(sign)})="{sign}"'],
                    fill=_status_fill(status),
                    font=_status_ink(status),
                    stopIfTrue=True,
                ),
            )


def _chart_title(text: str) -> Title:
    """A chart title at 12 points: the default 18 crowds a chart sized for A4."""
    font = CharacterProperties(sz=1200, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _radar(sheet: Worksheet, scorecard: Scorecard, first: int, last: int) -> RadarChart:
    """Dimension scores against the 2023 and 2053 targets (columns C, H and I of the table)."""
    t = translator(scorecard.lang)
    chart = RadarChart(radarStyle="marker")
    chart.title = _chart_title(t("Dimensions against the 2023 and 2053 targets"))
    chart.height, chart.width = RADAR_SIZE
    for column, colour in ((3, SCORE_COLOUR), (8, MIDPOINT_COLOUR), (9, VISION_COLOUR)):
        chart.add_data(
            Reference(sheet, min_col=column, min_row=TABLE_HEADER_ROW, max_row=last), titles_from_data=True
        )
        series = chart.series[-1]
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28_000 if column == 3 else 19_000
        if column != 3:
            series.graphicalProperties.line.dashStyle = "dash"
        series.marker.symbol = "circle" if column == 3 else "none"
        series.smooth = False
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = NO_DECIMALS
    chart.y_axis.delete = False
    chart.legend.position = "b"
    return chart


def _gap_bars(sheet: Worksheet, scorecard: Scorecard, first: int, last: int) -> BarChart:
    """Each dimension's gap to the expectation of the year and to the 2053 vision (columns G and J)."""
    chart = BarChart()
    chart.type, chart.grouping = "bar", "clustered"
    chart.title = _chart_title(gap_title(scorecard.lang))
    chart.height, chart.width = GAP_BARS_SIZE
    for column, colour in ((7, "D55E00"), (10, "8C8C8C")):
        chart.add_data(
            Reference(sheet, min_col=column, min_row=TABLE_HEADER_ROW, max_row=last), titles_from_data=True
        )
        series = chart.series[-1]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # first dimension on top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # dimension codes at the edge, never under a bar that is ahead (negative)
    chart.y_axis.majorGridlines = None
    chart.y_axis.number_format = NO_DECIMALS
    chart.legend.position = "b"
    return chart


# ---------------------------------------------------------------- indicators


def _flags(spread: bool, self_vs_evaluator: bool, lang: str) -> str:
    t = translator(lang)
    found = [t("self vs evaluator") if self_vs_evaluator else "", t("spread") if spread else ""]
    return " ".join(f"⚠ {flag}" for flag in found if flag)


def _indicators(sheet: Worksheet, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang = scorecard.lang
    _widths(sheet, INDICATOR_WIDTHS)
    _title(
        sheet,
        t("Indicators, {year}", year=scorecard.year),
        t(
            "The level of record of each indicator (an evaluator's verified level outranks "
            "self-assessment), what that level looks like, and the evidence named."
        ),
    )
    header = [
        t("Code"),
        t("Dimension"),
        t("Indicator"),
        t("Level"),
        t("Level name"),
        t("What this level looks like"),
        t("Self-assessment (median)"),
        t("Evaluator"),
        t("Respondents"),
        t("Spread"),
        t("Flags"),
        t("Evidence and links"),
    ]
    formats = [
        None,
        None,
        None,
        ONE_DECIMAL,
        None,
        None,
        ONE_DECIMAL,
        ONE_DECIMAL,
        NO_DECIMALS,
        NO_DECIMALS,
        None,
        None,
    ]
    _header(sheet, TABLE_HEADER_ROW, header)
    for offset, row in enumerate(scorecard.indicators.itertuples(index=False), start=1):
        if row.not_applicable:
            level, name = t("N/A"), t("not applicable")
        else:
            level, name = _number(row.level), row.level_name or t("no answer")
        values = [
            row.code,
            row.dimension,
            row.title,
            level,
            name,
            row.descriptor or "–",
            _number(row.self_level),
            _number(row.evaluator_level),
            int(row.respondents),
            _number(row.spread),
            _flags(bool(row.spread_flag), bool(row.self_evaluator_flag), lang),
            "\n".join(part for part in (row.evidence, row.evidence_links) if part),
        ]
        _row(sheet, TABLE_HEADER_ROW + offset, values, formats)
    last = TABLE_HEADER_ROW + len(scorecard.indicators)
    sheet.auto_filter.ref = f"A{TABLE_HEADER_ROW}:{get_column_letter(len(header))}{last}"
    _print_setup(sheet, landscape=True, header_row=TABLE_HEADER_ROW)


# ---------------------------------------------------------------- action plan


def _action_plan(sheet: Worksheet, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang, year = scorecard.lang, scorecard.year
    _widths(sheet, (7, 6, 24, 6, 9, 7, 7, 8, 14, 44, 14, 11, 12))
    _title(
        sheet,
        t("Priority action plan"),
        t(
            "The indicators below the roadmap's expectation for {year}, the largest weighted gap first. "
            "The action is what the next level of the scale looks like; fill in who does it, by when, and "
            "how it is going.",
            year=year,
        ),
    )
    header = [
        t("Priority"),
        t("Code"),
        t("Indicator"),
        t("Level now"),
        t("Expected in {year}", year=year),
        t("Gap"),
        t("Weight"),
        t("Weight × gap"),
        t("Next level"),
        t("Action: what the next level looks like"),
        t("Owner"),
        t("Due date"),
        t("Status"),
    ]
    formats = [
        NO_DECIMALS,
        None,
        None,
        ONE_DECIMAL,
        ONE_DECIMAL,
        ONE_DECIMAL,
        ONE_DECIMAL,
        ONE_DECIMAL,
        None,
        None,
        None,
        DATE,
        None,
    ]
    _header(sheet, TABLE_HEADER_ROW, header)
    priorities = scorecard.priorities
    if priorities.empty:
        safe.write(sheet, TABLE_HEADER_ROW + 1, 1, empty_plan_text(scorecard)).font = BOLD
    for rank, row in enumerate(priorities.itertuples(index=False), start=1):
        values = [
            rank,
            row.code,
            row.title,
            _number(row.level),
            _number(row.expected),
            _number(row.gap),
            _number(row.weight),
            _number(row.weighted_gap),
            current_framework().level_label(int(row.next_level), lang),
            row.next_step,
            None,
            None,
            None,
        ]
        _row(sheet, TABLE_HEADER_ROW + rank, values, formats)
    first = TABLE_HEADER_ROW + 1
    last = TABLE_HEADER_ROW + max(len(priorities), 1) + ACTION_ROWS_TO_FILL
    for row in range(first + len(priorities), last + 1):
        for column in range(1, len(header) + 1):
            sheet.cell(row, column).border = BOX
    for row in range(first, last + 1):
        sheet.cell(row, 12).number_format = DATE
    choices = ",".join(t(status).replace(",", " ").replace('"', "") for status in ACTION_STATUSES)
    status_list = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    due_dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        error=t("Enter a date, e.g. 2026-06-30."),
    )
    sheet.add_data_validation(status_list)
    sheet.add_data_validation(due_dates)
    status_list.add(f"M{first}:M{last}")
    due_dates.add(f"L{first}:L{last}")
    _print_setup(sheet, landscape=True, header_row=TABLE_HEADER_ROW)


def _improvement_plan(sheet: Worksheet, scorecard: Scorecard) -> None:
    """The actions the organisation recorded, with their indicator's level before and after the next round."""
    t = translator(scorecard.lang)
    _widths(sheet, (7, 7, 7, 24, 40, 16, 11, 8, 11, 11, 9, 9, 9, 9, 9))
    _title(
        sheet,
        t("Improvement plan"),
        t(
            "The actions recorded for the gaps of each round up to {year}: level before is the "
            "indicator's level in the action's round, level after its level in the next round.",
            year=scorecard.year,
        ),
    )
    plan = scorecard.plan
    _header(sheet, TABLE_HEADER_ROW, [t(title) for title in EXPORT_HEADERS.values()])
    if plan.empty:
        safe.write(sheet, TABLE_HEADER_ROW + 1, 1, t("No action has been planned yet.")).font = BOLD
    formats = [NO_DECIMALS, NO_DECIMALS, None, None, None, None, DATE, NO_DECIMALS, None, DATE]
    formats += [ONE_DECIMAL, NO_DECIMALS, ONE_DECIMAL, ONE_DECIMAL, None]
    for offset, row in enumerate(plan.itertuples(index=False), start=1):
        values = [None if _missing(value) else value for value in row]
        _row(sheet, TABLE_HEADER_ROW + offset, values, formats)
        for column in (7, 10):
            sheet.cell(TABLE_HEADER_ROW + offset, column).number_format = DATE
    _print_setup(sheet, landscape=True, header_row=TABLE_HEADER_ROW)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


# ---------------------------------------------------------------- method


def _method(sheet: Worksheet, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang = scorecard.lang
    _widths(sheet, (16, 20, 20, 20, 20))
    _title(sheet, t("Method"), t("How the figures of this scorecard are computed."))
    versions = [
        (
            t("Framework"),
            t(
                "{title} ({id}, version {version})",
                title=scorecard.framework_title,
                id=scorecard.framework_id,
                version=scorecard.framework_version,
            ),
        ),
        (
            t("Roadmap"),
            t("{id}, version {version}", id=scorecard.roadmap_id, version=scorecard.roadmap_version),
        ),
        (t("Created on"), format_date(scorecard.created, lang)),
    ]
    row = TABLE_HEADER_ROW
    for label, value in versions:
        safe.write(sheet, row, 1, label).font = BOLD
        cell = safe.write(sheet, row, 2, value)
        cell.alignment, cell.font = WRAP, BODY
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        row += 1
    row += 1
    safe.write(sheet, row, 1, t("Roadmap targets")).font = BOLD
    row += 1
    milestones = scorecard.milestones
    years = [column for column in milestones.columns if isinstance(column, int)]
    _header(
        sheet,
        row,
        [t("Target"), *(str(year) for year in years), t("Expected in {year}", year=scorecard.year)],
    )
    for found in milestones.itertuples(index=False):
        target = found[0]
        values = [t("Index") if target == INDEX else target, *(_number(v) for v in found[1:])]
        row += 1
        _row(sheet, row, values, [None, *([ONE_DECIMAL] * (len(values) - 1))])
    row += 2
    safe.write(sheet, row, 1, t("Formulas in words")).font = BOLD
    for number, paragraph in enumerate(method_paragraphs(lang), start=1):
        row += 1
        number_cell = safe.write(sheet, row, 1, f"{number}.")
        number_cell.alignment, number_cell.font = Alignment(horizontal="right", vertical="top"), BODY
        cell = safe.write(sheet, row, 2, paragraph)
        cell.alignment, cell.font = WRAP, BODY
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        lines = _lines(paragraph, sum(sheet.column_dimensions[letter].width for letter in "BCDE"))
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT + 4
    _print_setup(sheet, landscape=False)


# ---------------------------------------------------------------- workbook


def build_xlsx(scorecard: Scorecard) -> bytes:
    """The scorecard as an .xlsx file's bytes."""
    t = translator(scorecard.lang)
    workbook = Workbook()
    cover = workbook.active
    cover.title = t("Scorecard")
    sheets = [
        (cover, _cover),
        (workbook.create_sheet(t("Dimensions")), _dimensions),
        (workbook.create_sheet(t("Indicators")), _indicators),
        (workbook.create_sheet(t("Action plan")), _action_plan),
        (workbook.create_sheet(t("Improvement plan")), _improvement_plan),
        (workbook.create_sheet(t("Method")), _method),
    ]
    for sheet, fill in sheets:
        fill(sheet, scorecard)
    lay_out_for(workbook.worksheets, scorecard.lang)
    workbook.properties.title = t("Capacity scorecard")
    workbook.properties.subject = safe.cell_text(f"{scorecard.organisation.name} {scorecard.year}")
    workbook.properties.creator = t("Humanitarian Diplomacy Capacity Dashboard")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
