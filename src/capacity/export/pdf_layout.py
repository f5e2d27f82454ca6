"""Wrapped text and simple tables for the PDF scorecard, fast enough for batches of hundreds.

fpdf2's own `table()` and `multi_cell()` re-measure a line for every character they add,
which made them most of the time of a scorecard (a quarter of a second); a batch of a
hundred scorecards must take seconds, not minutes. Here words are measured once from
cached character widths (fpdf2 neither kerns nor shapes without HarfBuzz, so a word's
width is the sum of its characters'), wrapped greedily, and every line is drawn with
`cell`. Words longer than a column (a URL, a hostile string with no spaces) are cut.

Shaped (Arabic) text is measured a word at a time instead, since a letter's width depends
on its neighbours. A right-to-left PDF gets mirrored tables and paragraphs: the first
column on the right, text aligned right (see `pdf_fonts.right_to_left`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from fpdf import FPDF

from capacity.export.colours import BLACK, RGB, WHITE, text_on
from capacity.export.pdf_fonts import right_to_left

RULE: RGB = (190, 190, 190)


class Measure:
    """Text widths in the current font, from character widths cached per font style and size."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self._widths: dict[tuple[str, str, float], dict[str, float]] = {}

    def width(self, text: str) -> float:
        key = (self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt)
        known = self._widths.setdefault(key, {})
        if self.pdf.text_shaping:  # joined letters: a word is not the sum of its letters
            found = known.get(text)
            if found is None:
                found = known[text] = self.pdf.get_string_width(text)
            return found
        total = 0.0
        for character in text:
            found = known.get(character)
            if found is None:
                found = known[character] = self.pdf.get_string_width(character)
            total += found
        return total

    def wrap(self, text: str, width: float) -> list[str]:
        """The lines of `text` in a column `width` wide (its own line breaks kept)."""
        lines: list[str] = []
        space = self.width(" ")
        for paragraph in str(text).split("\n"):
            start, current, current_width = len(lines), "", 0.0
            for word in paragraph.split():
                word_width = self.width(word)
                while word_width > width:  # a word longer than the column: cut it
                    if current:
                        lines.append(current)
                        current, current_width = "", 0.0
                    head = self._fitting_prefix(word, width)
                    lines.append(head)
                    word = word[len(head) :]
                    word_width = self.width(word)
                if not word:
                    continue
                if current and current_width + space + word_width <= width:
                    current, current_width = f"{current} {word}", current_width + space + word_width
                else:
                    if current:
                        lines.append(current)
                    current, current_width = word, word_width
            if current or len(lines) == start:
                lines.append(current)
        return lines

    def fit(self, text: str, width: float) -> str:
        """`text` on one line of `width`, cut with an ellipsis when too long."""
        if self.width(text) <= width:
            return text
        return self._fitting_prefix(text, width - self.width("…")).rstrip() + "…"

    def _fitting_prefix(self, word: str, width: float) -> str:
        used = 0.0
        for position, character in enumerate(word):
            used += self.width(character)
            if used > width:
                return word[: max(position, 1)]
        return word


def paragraph(
    pdf: FPDF,
    measure: Measure,
    text: str,
    line_height: float,
    width: float | None = None,
    x: float | None = None,
) -> None:
    """Wrapped text from the current position; the cursor ends under it at the left margin.

    `x` is measured from the page's leading edge: the left, or the right in a right-to-left PDF.
    """
    x = pdf.l_margin if x is None else x
    width = (pdf.w - pdf.r_margin - x) if width is None else width
    rtl = right_to_left(pdf)
    for line in measure.wrap(text, width):
        if pdf.will_page_break(line_height):
            pdf.add_page()
        pdf.set_x(mirrored(pdf, x, width))
        pdf.cell(width, line_height, line, align="R" if rtl else "L", new_x="LMARGIN", new_y="NEXT")


def mirrored(pdf: FPDF, x: float, width: float) -> float:
    """The left edge of a box `width` wide placed `x` from the leading edge of the page."""
    return pdf.w - x - width if right_to_left(pdf) else x


def leading_align(pdf: FPDF, align: str) -> str:
    """An L/R alignment as it reads in the PDF's direction (L is the leading edge)."""
    if not right_to_left(pdf):
        return align
    return {"L": "R", "R": "L"}.get(align, align)


@dataclass(frozen=True)
class Row:
    """A table row: texts by column; `spanning` puts the first text across the whole table."""

    cells: Sequence[str]
    bold: bool = False
    fill: RGB | None = None
    cell_fills: Mapping[int, RGB] = field(default_factory=dict)
    spanning: bool = False


@dataclass(frozen=True)
class TableStyle:
    font: str
    size: float
    line_height: float
    padding: float = 1.0
    header_fill: RGB = (31, 78, 121)
    grid: bool = False  # every cell boxed (forms to fill in) rather than rules between rows
    max_lines: int | None = None  # a cell's text beyond this many lines is cut with an ellipsis


def table(
    pdf: FPDF,
    measure: Measure,
    widths: Sequence[float],
    aligns: str,
    header: Sequence[str],
    rows: Sequence[Row],
    style: TableStyle,
    x: float | None = None,
) -> None:
    """Draw a table from the current position; the header is repeated after every page break.

    `aligns` has one letter per column (L, R or C; L is the leading edge). In a right-to-left
    PDF the columns run from the right: the first column is drawn rightmost.
    """
    x = pdf.l_margin if x is None else x
    if right_to_left(pdf):
        x = mirrored(pdf, x, sum(widths))
        widths, header = widths[::-1], header[::-1]
        aligns = "".join(leading_align(pdf, a) for a in aligns[::-1])
        rows = [
            row
            if row.spanning
            else replace(
                row,
                cells=row.cells[::-1],
                cell_fills={len(row.cells) - 1 - column: fill for column, fill in row.cell_fills.items()},
            )
            for row in rows
        ]
    header_row = Row(header, bold=True, fill=style.header_fill)
    _row(pdf, measure, widths, aligns, header_row, style, x, header=True)
    for row in rows:
        if pdf.will_page_break(_height(pdf, measure, widths, row, style)):
            pdf.add_page()
            _row(pdf, measure, widths, aligns, header_row, style, x, header=True)
        _row(pdf, measure, widths, aligns, row, style, x)


def _layout(
    pdf: FPDF, measure: Measure, widths: Sequence[float], row: Row, style: TableStyle
) -> list[tuple[float, list[str]]]:
    pdf.set_font(style.font, "B" if row.bold else "", style.size)
    if row.spanning:
        total = sum(widths)
        return [(total, _lines(measure, row.cells[0], total - 2 * style.padding, style.max_lines))]
    return [
        (width, _lines(measure, text, width - 2 * style.padding, style.max_lines))
        for width, text in zip(widths, row.cells, strict=True)
    ]


def _lines(measure: Measure, text: str, width: float, max_lines: int | None) -> list[str]:
    lines = measure.wrap(text, width)
    if max_lines is None or len(lines) <= max_lines:
        return lines
    return [*lines[: max_lines - 1], measure.fit(lines[max_lines - 1] + " …", width)]


def _height(pdf: FPDF, measure: Measure, widths: Sequence[float], row: Row, style: TableStyle) -> float:
    cells = _layout(pdf, measure, widths, row, style)
    return max(len(lines) for _, lines in cells) * style.line_height + 2 * style.padding


def _row(
    pdf: FPDF,
    measure: Measure,
    widths: Sequence[float],
    aligns: str,
    row: Row,
    style: TableStyle,
    x: float,
    header: bool = False,
) -> None:
    cells = _layout(pdf, measure, widths, row, style)
    height = max(len(lines) for _, lines in cells) * style.line_height + 2 * style.padding
    top = pdf.get_y()
    left = x
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    for column, (width, lines) in enumerate(cells):
        fill = row.cell_fills.get(column, row.fill)
        if fill is not None:
            pdf.set_fill_color(*fill)
            pdf.rect(left, top, width, height, style="F")
        if style.grid:
            pdf.rect(left, top, width, height)
        pdf.set_text_color(*(WHITE if header else BLACK if fill is None else text_on(fill)))
        align = leading_align(pdf, "L") if row.spanning else aligns[column]
        for number, line in enumerate(lines):
            pdf.set_xy(left + style.padding, top + style.padding + number * style.line_height)
            pdf.cell(width - 2 * style.padding, style.line_height, line, align=align)
        left += width
    if not style.grid:
        pdf.line(x, top + height, x + sum(widths), top + height)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(x, top + height)
