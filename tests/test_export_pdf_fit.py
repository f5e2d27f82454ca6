"""Status and trend words fit their PDF cells in every language, and every coloured label meets WCAG AA.

Widths are measured with fpdf2's own `get_string_width` in the scorecard's fonts (DejaVu
Sans; the Arabic font with shaping for Arabic), so a translation that grows past its cell
fails here rather than on a board member's printout.
"""

from __future__ import annotations

import pytest
from fpdf import FPDF

from capacity.charts import STATUS_COLOURS
from capacity.export import pdf_scorecard
from capacity.export.colours import AA_NORMAL_TEXT, BLACK, WHITE, contrast_ratio, rgb, text_on
from capacity.export.pdf_fonts import set_up_fonts
from capacity.i18n import LANGUAGES
from capacity.labels import ARROW_ORDER, STATUS_ORDER, arrow_text, status_help, status_text

CELL = pdf_scorecard.DIMENSION_WIDTHS
INNER = [width - 2 * pdf_scorecard.DIMENSION_PADDING for width in CELL]


def _pdf(lang: str) -> tuple[FPDF, str]:
    pdf = FPDF()
    family = set_up_fonts(pdf, lang)
    pdf.add_page()
    return pdf, family


# the short status words and the trend words, each with its column of the dimensions table
WORDS_AND_COLUMNS = {
    "status": (lambda lang: [status_text(s, lang) for s in STATUS_ORDER], pdf_scorecard.STATUS_COLUMN),
    "trend": (lambda lang: [arrow_text(a, lang) for a in ARROW_ORDER], pdf_scorecard.TREND_COLUMN),
}


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("style", ["", "B"])  # dimension rows are regular, the index row bold
@pytest.mark.parametrize("kind", list(WORDS_AND_COLUMNS))
def test_every_status_and_trend_word_fits_its_cell_on_one_line(lang, style, kind) -> None:
    words, column = WORDS_AND_COLUMNS[kind]
    pdf, family = _pdf(lang)
    pdf.set_font(family, style, pdf_scorecard.DIMENSION_TEXT_SIZE)
    room = INNER[column]
    for text in words(lang):
        assert pdf.get_string_width(text) <= room, (lang, style, text, pdf.get_string_width(text), room)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_column_title_of_the_dimensions_table_breaks_inside_a_word(lang) -> None:
    pdf, family = _pdf(lang)
    pdf.set_font(family, "B", pdf_scorecard.DIMENSION_TEXT_SIZE)
    for title, room in zip(pdf_scorecard.dimension_header(lang, 2026), INNER, strict=True):
        for word in title.split():
            assert pdf.get_string_width(word) <= room, (lang, title, word)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_column_title_of_the_indicators_table_breaks_inside_a_word(lang) -> None:
    pdf, family = _pdf(lang)
    pdf.set_font(family, "B", 7)  # the indicators table's type size
    for title, width in zip(
        pdf_scorecard.indicator_header(lang), pdf_scorecard.INDICATOR_WIDTHS, strict=True
    ):
        for word in title.split():
            assert pdf.get_string_width(word) <= width - 2 * 0.6, (lang, title, word)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_status_and_trend_words_fit_the_headline_tiles_without_an_ellipsis(lang) -> None:
    pdf, family = _pdf(lang)
    tile = (pdf.epw - 2 * 4) / 3 - 2 * pdf_scorecard.TILE_PADDING  # three tiles 4 mm apart
    pdf.set_font(family, "B", min(pdf_scorecard.TILE_VALUE_SIZES))
    for text in [status_text(s, lang) for s in STATUS_ORDER] + [arrow_text(a, lang) for a in ARROW_ORDER]:
        assert pdf.get_string_width(text) <= tile, (lang, text)


def test_the_full_sentence_is_kept_for_the_help_text() -> None:
    """Cards carry the short word; the help text the sentence with the engine's thresholds."""
    assert status_text("slightly behind", "en") == "! slightly behind"
    assert "10" in status_help("slightly behind", "en") and "points below" in status_help(
        "slightly behind", "en"
    )
    assert status_text("on track", "tr") == "✓ yolunda"


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast_ratio(rgb("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)  # the known AA grey


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_text_on_every_status_colour_meets_aa(status) -> None:
    """Every status colour × the text colour the PDF and the workbook put on it (cells and tiles)."""
    fill = rgb(STATUS_COLOURS[status])
    ink = text_on(fill)
    assert contrast_ratio(ink, fill) >= AA_NORMAL_TEXT, (status, STATUS_COLOURS[status], ink)
    title = pdf_scorecard.tile_title_colour(fill)
    assert contrast_ratio(title, fill) >= AA_NORMAL_TEXT


def test_the_other_text_colours_meet_aa() -> None:
    """Table headers (white on brand blue), the light tiles and rows, grey notes on white paper."""
    assert contrast_ratio(WHITE, pdf_scorecard.BRAND) >= AA_NORMAL_TEXT
    assert contrast_ratio(text_on(pdf_scorecard.LIGHT), pdf_scorecard.LIGHT) >= AA_NORMAL_TEXT
    assert (
        contrast_ratio(pdf_scorecard.tile_title_colour(pdf_scorecard.LIGHT), pdf_scorecard.LIGHT)
        >= AA_NORMAL_TEXT
    )
    assert contrast_ratio(pdf_scorecard.GREY, WHITE) >= AA_NORMAL_TEXT
