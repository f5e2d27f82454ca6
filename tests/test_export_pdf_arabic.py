"""The Arabic PDF scorecard: shaped letters, logical-order text, an Arabic font, mirrored pages.

Arabic letters change shape with their neighbours (initial, medial, final, isolated); a
PDF made without text shaping draws every letter isolated, which no Arabic reader
accepts. The joined forms are checked in the embedded font's ToUnicode map: a shaped
PDF uses several glyphs for one letter. Text extracted from the PDF must come back in
logical (reading) order, Arabic mixed with an ID and numbers included. The rendered
pages (test-artifacts/scorecard-pdf-ar-*.png) are for people to look at.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from capacity.export import pdf_fonts
from capacity.export.pdf_scorecard import build_pdf
from capacity.i18n import format_number
from tests.export_data import results_of, scorecard_of
from tests.test_export_pdf import pages_of, render_pages

ARABIC_NAME = "جمعية الهلال الأحمر العربي"
ORGANISATION_ID = "AR-RC-07"
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def glyphs_per_letter(data: bytes) -> Counter[str]:
    """How many glyphs of the embedded fonts stand for each Arabic letter (from ToUnicode)."""
    found: Counter[str] = Counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for _code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", cmap):
                text = bytes.fromhex(target).decode("utf-16-be", errors="replace")
                if len(text) == 1 and ARABIC_LETTER.match(text):
                    found[text] += 1
    return found


def arabic_pdf() -> bytes:
    results = results_of(
        (2019, [1, 2, 1, 2, 1, 2]),
        (2025, [2, 3, 2, 3, 2, 1]),
        organisation_id=ORGANISATION_ID,
        name=ARABIC_NAME,
        evidence="التقرير السنوي 2024 (IC.1)",
    )
    return build_pdf(scorecard_of(results, "ar"))


@pytest.fixture(scope="module")
def arabic() -> bytes:
    return arabic_pdf()


def test_an_arabic_font_from_a_debian_package_is_found() -> None:
    files = pdf_fonts.arabic_font_files()
    assert files is not None, "install fonts-noto-core or fonts-hosny-amiri (.ci/run does)"
    assert set(files) == {"", "B"}
    assert all(path.startswith(("/usr/share/fonts", "/usr/local/share/fonts")) for path in files.values())


def test_a_missing_arabic_font_is_reported_as_none(tmp_path) -> None:
    assert pdf_fonts.arabic_font_files((tmp_path,)) is None


def test_arabic_letters_are_shaped_into_their_joined_forms(arabic) -> None:
    shaped = glyphs_per_letter(arabic)
    # ل and ع occur at the start, middle and end of words in the name: several forms each.
    assert shaped["ل"] >= 2 and shaped["ع"] >= 2 and shaped["م"] >= 2, shaped
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(arabic)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Arabic" in name or "Amiri" in name for name in fonts), fonts


def test_without_shaping_the_same_check_fails() -> None:
    """The check above can fail: unshaped text uses one glyph per letter."""
    pdf = FPDF()
    pdf.add_font("Arabic", "", pdf_fonts.arabic_font_files()[""])
    pdf.add_page()
    pdf.set_font("Arabic", "", 12)
    pdf.cell(0, 10, ARABIC_NAME)
    assert max(glyphs_per_letter(bytes(pdf.output())).values()) == 1


def test_the_organisation_name_is_extracted_in_logical_order(arabic) -> None:
    pages = pages_of(arabic)
    assert ARABIC_NAME in pages[0]
    assert ORGANISATION_ID in pages[0]


def placed_texts(data: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Every text piece pypdf finds on a page, with its x and y in points (y from the bottom)."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, _font, _size) -> None:
        if text.strip():
            found.append((text.strip(), cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def test_mixed_arabic_latin_and_numbers_read_correctly(arabic) -> None:
    """Right to left, the ID that comes first is drawn rightmost; IDs and numbers are not reversed."""
    pieces = placed_texts(arabic)
    # pypdf returns the ID in two runs (AR-RC- and 07, a number); both lie right of the Arabic
    id_x, id_y = next((x, y) for text, x, y in pieces if text.startswith("AR-RC"))
    arabic_x = [x for text, x, y in pieces if abs(y - id_y) < 1 and ARABIC_LETTER.search(text)]
    assert arabic_x and all(x < id_x for x in arabic_x)
    text = " ".join(pages_of(arabic))
    assert ORGANISATION_ID in text and "07-CR-RA" not in text
    assert "IC.1" in text and "1.CI" not in text
    assert "2024" in text  # the evidence note's year, not 4202


def test_the_pages_are_mirrored(arabic) -> None:
    """The organisation name is set against the right margin; the first table column is rightmost."""
    pieces = placed_texts(arabic)
    width = float(PdfReader(io.BytesIO(arabic)).pages[0].mediabox.width)
    name_x = next(x for text, x, _y in pieces if "الهلال" in text)
    assert name_x > width / 2
    # the dimensions table: the dimension's code (first column) is right of its score (second)
    ic_x = next(x for text, x, _y in pieces if text.startswith("IC"))
    score_x = next(x for text, x, _y in pieces if text == format_number(43.3, "ar"))
    assert ic_x > width / 2 > score_x or ic_x > score_x
    print(render_pages(arabic, "scorecard-pdf-ar"))


def test_arabic_numbers_are_western_digits_as_in_the_app(arabic) -> None:
    assert format_number(62.5, "ar") == "62.5"
    assert "2025" in pages_of(arabic)[0]
