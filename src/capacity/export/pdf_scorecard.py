"""The PDF scorecard: the Excel scorecard's content on 2 to 4 A4 pages, to print and hand over.

Page 1 holds the headline figures, the dimensions table and the two charts; page 2 the
priority action plan (the ten largest weighted gaps, with boxes to fill in); then the
indicators and the method. fpdf2 writes the file and matplotlib draws the charts, both
pure Python packages: no browser, no network. The DejaVu Sans font that ships inside
matplotlib is embedded (subset), so Turkish (ğ, ş, ı, İ), é and the status symbols print
on any machine and stay extractable as text. Arabic is shaped with HarfBuzz in an Arabic
font from a Debian package and the pages are mirrored (see pdf_fonts and pdf_layout).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from fpdf import FPDF

from capacity.charts import STATUS_COLOURS
from capacity.export.colours import AA_NORMAL_TEXT, contrast_ratio, rgb, text_on
from capacity.export.pdf_charts import gap_bars_png, radar_png
from capacity.export.pdf_fonts import set_up_fonts
from capacity.export.pdf_layout import (
    RGB,
    Measure,
    Row,
    TableStyle,
    leading_align,
    mirrored,
    paragraph,
    table,
)
from capacity.export.scorecard import Scorecard, empty_plan_text, method_paragraphs
from capacity.framework import current_framework
from capacity.i18n import format_date, format_number, format_percent, translator
from capacity.labels import (
    ARROW_ORDER,
    GAP_HELP,
    STATUS_ORDER,
    arrow_text,
    organisation_type_label,
    projection_sentence,
    region_label,
    status_key,
    status_text,
)
from capacity.roadmap import INDEX

BRAND: RGB = (31, 78, 121)
GREY: RGB = (90, 90, 90)
LIGHT: RGB = (235, 240, 246)
TILE_TITLE: RGB = (50, 50, 50)  # on the light tiles; coloured tiles take black or white (colours.text_on)
MARGIN = 15
PRIORITIES_SHOWN = 10  # on the action plan page; the Excel scorecard lists every indicator behind
INDICATOR_LINES = 2  # a row of the indicators table is cut to this many lines, so four pages always suffice
NAME_CHARACTERS = 160  # an organisation name longer than this is cut on the cover
LONG_NAME = 60  # names longer than this are set smaller, so the cover keeps to one page
TILE_HEIGHT = 30
TILE_VALUE_SIZES = (16, 12, 10)  # points, largest first
TILE_PADDING = 3
CHART_HEIGHT = 100
NOTE_SIZE, NOTE_LEADING = 7.5, 0.45  # points; a line is size × leading millimetres
# The dimensions table's columns (mm): wide enough that the longest status and trend words
# of every language fit one line in bold (tests/test_export_pdf_fit.py measures them).
DIMENSION_WIDTHS = (33, 11, 20, 27, 17, 11, 13, 16, 32)
STATUS_COLUMN, TREND_COLUMN = 3, 8
INDICATOR_WIDTHS = (10, 51, 25, 11, 23, 20, 40)  # "Değerlendirici" must not break
DIMENSION_TEXT_SIZE, DIMENSION_PADDING = 7.5, 0.9
MM_PER_INCH = 25.4


def _shorten(text: Any, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _number(value: Any, lang: str, digits: int = 1) -> str:
    return format_number(None if _missing(value) else float(value), lang, digits)


def _status(value: Any) -> str:
    return status_key(None if _missing(value) else str(value))


def _level(label: Any, lang: str) -> str:
    return "–" if _missing(label) else current_framework().level_label(int(label), lang)


def _flags(spread: bool, self_vs_evaluator: bool, lang: str) -> str:
    t = translator(lang)
    found = [t("self vs evaluator") if self_vs_evaluator else "", t("spread") if spread else ""]
    return " ".join(f"⚠ {flag}" for flag in found if flag)


class ScorecardPDF(FPDF):
    """A4 pages with the organisation, year and page number in the footer."""

    def __init__(self, footer_text: str, page_label: str, lang: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.typeface = set_up_fonts(self, lang)
        self.footer_text, self.page_label = footer_text, page_label
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.measure = Measure(self)

    def cell(self, *args: Any, **kwargs: Any) -> bool:
        """A cell; with text shaping, inside its own graphics state.

        fpdf2 2.8 switches to the fallback font inside a text object without switching back,
        and PDF keeps the font after the text object ends: the next cell's digits would be
        drawn in the fallback font with the Arabic font's glyph numbers (gibberish) or, on
        a new page, with no font at all. Saving and restoring the state around each cell
        (q … Q) keeps every cell's font its own.
        """
        if not self.text_shaping:
            return super().cell(*args, **kwargs)
        with self.local_context():
            return super().cell(*args, **kwargs)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.typeface, "", 7)
        self.set_text_color(*GREY)
        page = self.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.set_x(mirrored(self, MARGIN, self.epw * 0.8))
        self.cell(self.epw * 0.8, 4, self.footer_text, align=leading_align(self, "L"))
        self.set_x(mirrored(self, MARGIN + self.epw * 0.8, self.epw * 0.2))
        self.cell(self.epw * 0.2, 4, page, align=leading_align(self, "R"))
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 13) -> None:
        self.set_font(self.typeface, "B", size)
        self.set_text_color(*BRAND)
        paragraph(self, self.measure, text, size * 0.5)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def note(self, text: str, size: float = NOTE_SIZE) -> None:
        self.set_font(self.typeface, "", size)
        self.set_text_color(*GREY)
        paragraph(self, self.measure, text, size * NOTE_LEADING)
        self.set_text_color(0, 0, 0)

    def style(
        self,
        size: float,
        line_height: float,
        padding: float = 1.0,
        grid: bool = False,
        max_lines: int | None = None,
    ) -> TableStyle:
        return TableStyle(self.typeface, size, line_height, padding, BRAND, grid, max_lines)


def tile_title_colour(fill: RGB) -> RGB:
    """The soft dark grey of tile titles where it reads (WCAG AA), else black or white."""
    return TILE_TITLE if contrast_ratio(TILE_TITLE, fill) >= AA_NORMAL_TEXT else text_on(fill)


def _tile(
    pdf: ScorecardPDF, x: float, width: float, title: str, value: str, lines: list[str], fill: RGB = LIGHT
) -> None:
    """A headline figure: a small title, the value in large type, and up to three lines under it.

    `x` is measured from the leading edge (the right in a right-to-left PDF).
    """
    y, x = pdf.get_y(), mirrored(pdf, x, width)
    align = leading_align(pdf, "L")
    pdf.set_fill_color(*fill)
    pdf.set_draw_color(200, 200, 200)
    pdf.rect(x, y, width, TILE_HEIGHT, style="DF")
    pdf.set_font(pdf.typeface, "", 7.5)
    pdf.set_text_color(*tile_title_colour(fill))
    pdf.set_xy(x + 3, y + 2)
    pdf.cell(width - 6, 4, title, align=align)
    pdf.set_text_color(*text_on(fill))
    for size in TILE_VALUE_SIZES:  # the largest size at which the value fits the tile
        pdf.set_font(pdf.typeface, "B", size)
        if pdf.measure.width(value) <= width - 2 * TILE_PADDING:
            break
    pdf.set_xy(x + 3, y + 6.5)
    pdf.cell(width - 6, 8, pdf.measure.fit(value, width - 6), align=align)
    pdf.set_font(pdf.typeface, "", 7.5)
    for number, line in enumerate(lines[:3]):
        pdf.set_xy(x + 3, y + 16 + number * 4)
        pdf.cell(width - 6, 4, pdf.measure.fit(line, width - 6), align=align)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(y)


def _cover(pdf: ScorecardPDF, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang, result, organisation = scorecard.lang, scorecard.result, scorecard.organisation
    index, trend = scorecard.index_row, scorecard.index_trend
    pdf.add_page()
    pdf.set_font(pdf.typeface, "B", 8)
    pdf.set_text_color(*GREY)
    kicker = t("Capacity scorecard").upper()
    pdf.cell(
        0,
        4,
        _shorten(f"{kicker} · {scorecard.framework_title}", 120),
        align=leading_align(pdf, "L"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    name = _shorten(organisation.name, NAME_CHARACTERS)
    pdf.heading(name, 18 if len(name) <= LONG_NAME else 13)
    place = [
        organisation_type_label(organisation.organisation_type, lang),
        organisation.country,
        region_label(organisation.region, lang),
    ]
    pdf.set_font(pdf.typeface, "", 9)
    paragraph(pdf, pdf.measure, " · ".join([organisation.organisation_id, *(p for p in place if p)]), 4.5)
    respondents = (
        t("1 respondent") if result.respondents == 1 else t("{count} respondents", count=result.respondents)
    )
    pdf.set_font(pdf.typeface, "B", 10)
    assessment = t("Assessment {year}", year=result.year)
    pdf.cell(
        0, 6, f"{assessment} · {respondents}", align=leading_align(pdf, "L"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)

    gap = 4
    width = (pdf.epw - 2 * gap) / 3
    status = _status(index["status"])
    _tile(
        pdf,
        MARGIN,
        width,
        t("Capacity index (0–100)"),
        _number(index["score"], lang),
        [_level(index["label"], lang)],
    )
    _tile(
        pdf,
        MARGIN + width + gap,
        width,
        t("Roadmap status"),
        status_text(status, lang),
        [
            t("Expected in {year}: {expected}", year=result.year, expected=_number(index["expected"], lang)),
            t("Gap: {gap} points", gap=_number(index["gap"], lang)),
        ],
        fill=rgb(STATUS_COLOURS[status]),
    )
    if _missing(trend["from_year"]):
        trend_lines = [t("A trend needs a second assessment.")]
    else:
        year = None if _missing(trend["projected_year"]) else float(trend["projected_year"])
        trend_lines = [
            t(
                "{start}–{end}: {actual} points a year",
                start=int(trend["from_year"]),
                end=int(trend["to_year"]),
                actual=_number(trend["actual_rate"], lang),
            ),
            t("Needed: {needed} points a year", needed=_number(trend["required_rate"], lang)),
            projection_sentence(year, trend["arrow"], lang),
        ]
    _tile(pdf, MARGIN + 2 * (width + gap), width, t("Trend"), arrow_text(trend["arrow"], lang), trend_lines)
    pdf.set_y(pdf.get_y() + TILE_HEIGHT + 5)

    pdf.heading(t("Dimensions, {year}", year=result.year), 11)
    _dimensions_table(pdf, scorecard)
    pdf.ln(3)
    notes = [
        t(
            "Scores run from 0 to 100 (a level is worth 20 points). The radar shows each dimension "
            "against the 2023 and 2053 targets; the bars show each dimension's gap. {gap}",
            gap=t(GAP_HELP),
        ),
        t(
            "Roadmap status ({year}): {statuses}. Trend: {arrows}. What each word means is under Method.",
            year=result.year,
            statuses=", ".join(status_text(status, lang) for status in STATUS_ORDER),
            arrows=", ".join(arrow_text(arrow, lang) for arrow in ARROW_ORDER),
        ),
    ]
    pdf.set_font(pdf.typeface, "", NOTE_SIZE)
    note_lines = sum(len(pdf.measure.wrap(note, pdf.epw)) for note in notes)
    chart_y, chart_width = pdf.get_y(), (pdf.epw - gap) / 2
    room = pdf.page_break_trigger - chart_y - 2 - note_lines * NOTE_SIZE * NOTE_LEADING
    chart_height = max(min(CHART_HEIGHT, room), 50)  # the notes under the charts stay on the page
    size = {"width_in": chart_width / MM_PER_INCH, "height_in": chart_height / MM_PER_INCH}
    dimensions = scorecard.dimension_table
    radar_x = mirrored(pdf, MARGIN, chart_width)
    pdf.image(radar_png(dimensions, lang, **size), x=radar_x, y=chart_y, w=chart_width, h=chart_height)
    pdf.image(
        gap_bars_png(dimensions, result.year, lang, **size),
        x=mirrored(pdf, MARGIN + chart_width + gap, chart_width),
        y=chart_y,
        w=chart_width,
        h=chart_height,
    )
    pdf.set_y(chart_y + chart_height + 2)
    for note in notes:
        pdf.note(note)


def dimension_header(lang: str, year: int) -> list[str]:
    """The dimensions table's column titles (their words must fit DIMENSION_WIDTHS unbroken)."""
    t = translator(lang)
    return [
        t("Dimension"),
        t("Score"),
        t("Level"),
        t("Roadmap status"),
        t("Expected in {year}", year=year),
        t("Gap"),
        t("Gap to 2053"),
        t("Coverage"),
        t("Trend"),
    ]


def _dimensions_table(pdf: ScorecardPDF, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang, year = scorecard.lang, scorecard.year
    rows = []
    for row in scorecard.dimensions.itertuples(index=False):
        is_index = row.target == INDEX
        if row.not_applicable:
            level = t("not applicable")
        elif row.insufficient_data:
            level = t("insufficient data")
        else:
            level = _level(row.label, lang)
        status = _status(row.status)
        rows.append(
            Row(
                [
                    row.name if is_index else f"{row.target} · {row.name}",
                    _number(row.score, lang),
                    level,
                    status_text(status, lang),
                    _number(row.expected, lang),
                    _number(row.gap, lang),
                    _number(row.gap_2053, lang),
                    "–" if _missing(row.coverage) else format_percent(float(row.coverage), lang),
                    arrow_text(row.arrow, lang),
                ],
                bold=is_index,
                fill=LIGHT if is_index else None,
                cell_fills={STATUS_COLUMN: rgb(STATUS_COLOURS[status])},
            )
        )
    table(
        pdf,
        pdf.measure,
        DIMENSION_WIDTHS,
        "LRLLRRRRL",
        dimension_header(lang, year),
        rows,
        pdf.style(DIMENSION_TEXT_SIZE, 3.4, DIMENSION_PADDING),
    )


def _action_plan(pdf: ScorecardPDF, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang, year = scorecard.lang, scorecard.year
    pdf.add_page()
    pdf.heading(t("Priority action plan"))
    pdf.note(
        t(
            "The indicators furthest below the roadmap's expectation for {year}, ordered by weight × "
            "gap (the gap in points times the indicator's weight in the framework). The action is what "
            "the next level of the scale looks like. Fill in who does it, by when, and how it is going.",
            year=year,
        ),
        8,
    )
    pdf.ln(2)
    priorities = scorecard.priorities
    if priorities.empty:
        pdf.set_font(pdf.typeface, "B", 10)
        paragraph(pdf, pdf.measure, empty_plan_text(scorecard), 5)
        return
    shown = priorities.head(PRIORITIES_SHOWN)
    rows = [
        Row(
            [
                str(rank),
                f"{row.code} · {row.title}",
                f"{_number(row.level, lang)} → {int(row.next_level)} · {row.next_level_name}",
                _number(row.gap, lang),
                _number(row.weighted_gap, lang),
                row.next_step,
                "",
                "",
                "",
            ]
        )
        for rank, row in enumerate(shown.itertuples(index=False), start=1)
    ]
    header = [
        "#",
        t("Indicator"),
        t("Level now → next"),
        t("Gap"),
        t("Weight × gap"),
        t("Action: what the next level looks like"),
        t("Owner"),
        t("Due date"),
        t("Status"),
    ]
    table(
        pdf,
        pdf.measure,
        (6, 34, 19, 10, 13, 55, 16, 14, 13),
        "RLLRRLLLL",
        header,
        rows,
        pdf.style(7.5, 3.3, 1.0, grid=True),
    )
    remaining = len(priorities) - len(shown)
    if remaining > 0:
        pdf.ln(2)
        pdf.note(
            t(
                "{count} more indicators are behind the roadmap; the action plan of the Excel "
                "scorecard lists them all.",
                count=remaining,
            ),
            8,
        )


def _improvement_plan(pdf: ScorecardPDF, scorecard: Scorecard) -> None:
    """The actions the organisation recorded, each with its indicator's level before → after."""
    t = translator(scorecard.lang)
    lang = scorecard.lang
    pdf.ln(4)
    pdf.heading(t("Improvement plan"))
    pdf.note(
        t(
            "The actions recorded for the gaps of each round up to {year}, with the indicator's level in "
            "the action's round → in the next round (… until that round is scored).",
            year=scorecard.year,
        ),
        8,
    )
    pdf.ln(2)
    if scorecard.plan.empty:
        pdf.set_font(pdf.typeface, "B", 10)
        paragraph(pdf, pdf.measure, t("No action has been planned yet."), 5)
        return
    rows = [
        Row(
            [
                str(row.year),
                f"{row.code} · {row.title}",
                row.action,
                row.owner,
                format_date(row.due_date, lang),
                str(row.target_level),
                row.status,
                f"{_number(row.before, lang)} → "
                + ("…" if _missing(row.after) else f"{_number(row.after, lang)} ({row.after_year})"),
                "–" if _missing(row.reached) else row.reached,
            ]
        )
        for row in scorecard.plan.itertuples(index=False)
    ]
    header = [
        t("Round"),
        t("Indicator"),
        t("What will be done"),
        t("Owner"),
        t("Due"),
        t("Aimed level"),
        t("Status"),
        t("Level before → after"),
        t("Aim reached"),
    ]
    table(
        pdf,
        pdf.measure,
        (11, 34, 40, 18, 17, 11, 15, 22, 12),
        "LLLLLRLLL",
        header,
        rows,
        pdf.style(7.5, 3.3, 1.0, grid=True),
    )


def indicator_header(lang: str) -> list[str]:
    """The indicators table's column titles (their words must fit INDICATOR_WIDTHS unbroken)."""
    t = translator(lang)
    return [t("Code"), t("Indicator"), t("Level"), t("Self"), t("Evaluator"), t("Flags"), t("Evidence")]


def _indicators(pdf: ScorecardPDF, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang = scorecard.lang
    pdf.add_page()
    pdf.heading(t("Indicators, {year}", year=scorecard.year))
    pdf.note(
        t(
            "The level of record of each indicator: an evaluator's verified level outranks "
            "self-assessment. ⚠ self vs evaluator: they differ by a level or more; ⚠ spread: "
            "self-assessments differ by two levels or more. Evidence notes are shortened here; the Excel "
            "scorecard has them in full."
        )
    )
    pdf.ln(1.5)
    rows = []
    for dimension in current_framework().dimensions:
        rows.append(Row([f"{dimension.code} · {dimension.name(lang)}"], bold=True, fill=LIGHT, spanning=True))
        found = scorecard.indicators[scorecard.indicators["dimension"] == dimension.code]
        for row in found.itertuples(index=False):
            if row.not_applicable:
                level = t("N/A")
            elif _missing(row.level):
                level = t("no answer")
            else:
                level = f"{_number(row.level, lang)} · {row.level_name}"
            rows.append(
                Row(
                    [
                        row.code,
                        row.title,
                        level,
                        _number(row.self_level, lang),
                        _number(row.evaluator_level, lang),
                        _flags(bool(row.spread_flag), bool(row.self_evaluator_flag), lang),
                        row.evidence or "–",
                    ]
                )
            )
    header = indicator_header(lang)
    table(
        pdf,
        pdf.measure,
        INDICATOR_WIDTHS,
        "LLLRRLL",
        header,
        rows,
        pdf.style(7, 2.9, 0.6, max_lines=INDICATOR_LINES),
    )


def _method(pdf: ScorecardPDF, scorecard: Scorecard) -> None:
    t = translator(scorecard.lang)
    lang = scorecard.lang
    if pdf.get_y() > pdf.h * 0.55:
        pdf.add_page()
    else:
        pdf.ln(6)
    pdf.heading(t("Method"))
    pdf.set_font(pdf.typeface, "", 8)
    paragraph(
        pdf,
        pdf.measure,
        t(
            "Framework: {title} ({id}, version {version}). Roadmap: {roadmap} (version {roadmap_version}).",
            title=scorecard.framework_title,
            id=scorecard.framework_id,
            version=scorecard.framework_version,
            roadmap=scorecard.roadmap_id,
            roadmap_version=scorecard.roadmap_version,
        ),
        4,
    )
    pdf.ln(1.5)
    milestones = scorecard.milestones
    years = [column for column in milestones.columns if isinstance(column, int)]
    rows = []
    for found in milestones.itertuples(index=False):
        target = found[0]
        name = t("Index") if target == INDEX else current_framework().dimension(target).name(lang)
        rows.append(Row([name, *(_number(value, lang) for value in found[1:])], bold=target == INDEX))
    header = [
        t("Roadmap target"),
        *(str(year) for year in years),
        t("Expected in {year}", year=scorecard.year),
    ]
    table(pdf, pdf.measure, (48, 18, 18, 18, 26), "LRRRR", header, rows, pdf.style(7.5, 3.3, 0.6))
    pdf.ln(2)
    pdf.set_font(pdf.typeface, "", 7.5)
    for number, text in enumerate(method_paragraphs(lang), start=1):
        if pdf.will_page_break(3.4):
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_x(mirrored(pdf, MARGIN, 5))
        pdf.cell(5, 3.4, f"{number}.", align=leading_align(pdf, "L"))
        pdf.set_y(top)
        paragraph(pdf, pdf.measure, text, 3.4, x=MARGIN + 5)
        pdf.ln(0.6)


def build_pdf(scorecard: Scorecard) -> bytes:
    """The scorecard as a PDF file's bytes (A4, 2 to 4 pages)."""
    t = translator(scorecard.lang)
    organisation = scorecard.organisation
    footer = " · ".join(
        (
            _shorten(organisation.name, 70),
            _shorten(organisation.organisation_id, 30),
            str(scorecard.year),
            t("Created on {date}", date=format_date(scorecard.created, scorecard.lang)),
        )
    )
    pdf = ScorecardPDF(footer, t("Page {page} of {pages}"), scorecard.lang)
    pdf.set_title(t("Capacity scorecard"))
    pdf.set_subject(_shorten(f"{organisation.name} {scorecard.year}", NAME_CHARACTERS))
    pdf.set_creator(t("Humanitarian Diplomacy Capacity Dashboard"))
    pdf.set_lang(scorecard.lang)
    _cover(pdf, scorecard)
    _action_plan(pdf, scorecard)
    _improvement_plan(pdf, scorecard)
    _indicators(pdf, scorecard)
    _method(pdf, scorecard)
    return bytes(pdf.output())
